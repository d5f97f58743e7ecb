#!/usr/bin/env bash
# Compiles testdata/bench/*.mlir into testdata/bench/*.vmfb with the pinned
# iree-compile from .venv (tools/setup_toolchain.sh makes it; IREE_BIN
# overrides the directory holding the tools). The VM-only programs compile
# with --compile-mode=vm; the HAL ones (HAL_PROGRAMS) for the local CPU.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${IREE_BIN:-$root/.venv/bin}"
HAL_PROGRAMS=" add4 "
cd "$root/testdata/bench"
for src in *.mlir; do
  name="${src%.mlir}"
  if [[ "$HAL_PROGRAMS" == *" $name "* ]]; then
    "$bin/iree-compile" --iree-hal-target-device=local \
      --iree-hal-local-target-device-backends=llvm-cpu \
      --iree-llvmcpu-target-cpu=x86-64-v3 "$src" -o "$name.vmfb"
  else
    "$bin/iree-compile" --compile-mode=vm "$src" -o "$name.vmfb"
  fi
  echo "compiled $name.vmfb"
done
