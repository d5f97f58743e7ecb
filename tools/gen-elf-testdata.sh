#!/usr/bin/env bash
# Rebuilds the embedded-ELF executables of testdata/hal/elf/ (read by
# tests/hal_elf_loader.rs and the elf_loader fuzz target's seeds) from the
# MLIR beside them, with the pinned iree-compile:
#   M_x86_64.so   from M.mlir for x86-64 (x86-64-v3)
#   M_arm_64.so   from M.mlir for AArch64 (add.mlir only)
# Each is the raw ELF that the compiler puts into the .vmfb for the
# llvm-cpu backend (one library per module: several dispatches are linked).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
compile="$root/.venv/bin/iree-compile"
dir="$root/testdata/hal/elf"
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT

build() { # build SRC OUT TARGET-FLAG
  local src="$1" out="$2" target="$3"
  rm -rf "$scratch/dump"
  # Compiled from inside the directory so the source locations embedded
  # in the library name the file, not this checkout's path.
  (cd "$dir" && "$compile" "$src" -o "$scratch/module.vmfb" \
    --iree-hal-target-device=local \
    --iree-hal-local-target-device-backends=llvm-cpu \
    "$target" \
    --iree-hal-dump-executable-binaries-to="$scratch/dump")
  local found=("$scratch"/dump/*.so)
  if [ "${#found[@]}" -ne 1 ]; then
    echo "error: expected one executable from $src, got ${#found[@]}" >&2
    exit 1
  fi
  cp "${found[0]}" "$dir/$out"
  echo "wrote testdata/hal/elf/$out ($(stat -c %s "$dir/$out") bytes)"
}

build add.mlir add_x86_64.so --iree-llvmcpu-target-cpu=x86-64-v3
build multi.mlir multi_x86_64.so --iree-llvmcpu-target-cpu=x86-64-v3
build add.mlir add_arm_64.so --iree-llvmcpu-target-triple=aarch64-unknown-linux-gnu
