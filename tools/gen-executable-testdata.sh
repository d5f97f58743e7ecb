#!/usr/bin/env bash
# Rebuilds the CPU executables of testdata/hal/executables/ from *.mlir with
# the pinned iree-compile: each program's dispatches are linked into one
# system library (`--iree-llvmcpu-link-embedded=false`), dumped as
# M.system_elf_x86_64.so. M.dispatches.txt records how the compiled host
# code dispatches each export (workgroup counts, constants, bindings), which
# is what tests/hal_executables.rs replays by hand.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="$root/.venv/bin"
dir="$root/testdata/hal/executables"
flags=(
  --iree-hal-target-device=local
  --iree-hal-local-target-device-backends=llvm-cpu
  --iree-llvmcpu-target-cpu=x86-64-v3
  --iree-llvmcpu-link-embedded=false
  --iree-llvmcpu-debug-symbols=false
)
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
cd "$dir"
for src in *.mlir; do
  m="${src%.mlir}"
  "$bin/iree-compile" "${flags[@]}" "$src" \
    --iree-hal-dump-executable-binaries-to="$scratch/$m" -o "$scratch/$m.vmfb"
  libraries=("$scratch/$m"/*_system_elf_x86_64.so)
  if [ ${#libraries[@]} -ne 1 ]; then
    echo "error: $src gave ${#libraries[@]} executables; expected one linked library" >&2
    exit 1
  fi
  cp "${libraries[0]}" "$m.system_elf_x86_64.so"
  "$bin/iree-compile" "${flags[@]}" "$src" --compile-to=hal -o "$scratch/$m.hal.mlir"
  {
    echo "# How the host code of $src dispatches its exports (from --compile-to=hal)."
    grep -E 'hal\.executable\.lookup\.function|hal\.command_buffer\.dispatch|^\s+\(%' \
      "$scratch/$m.hal.mlir" | sed -e 's/^ *//'
  } > "$m.dispatches.txt"
done
