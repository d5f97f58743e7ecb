#!/usr/bin/env bash
# Compiles testdata/bench/*.mlir into testdata/bench/*.vmfb with the pinned
# iree-compile from .venv (tools/setup_toolchain.sh makes it; IREE_BIN
# overrides the directory holding the tools).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${IREE_BIN:-$root/.venv/bin}"
cd "$root/testdata/bench"
for src in *.mlir; do
  "$bin/iree-compile" --compile-mode=vm "$src" -o "${src%.mlir}.vmfb"
  echo "compiled ${src%.mlir}.vmfb"
done
