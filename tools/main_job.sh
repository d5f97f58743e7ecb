#!/usr/bin/env bash
# The main job, on a fresh machine: install the pinned IREE toolchain from
# PyPI, rebuild the committed test modules and their reference results with
# it, build this runtime, then check it against the reference runtime on
# those modules (results must match exactly) and report relative speed.
#
# Regenerating rewrites files under testdata/; `git status testdata` shows
# whether the pinned toolchain still produces what is committed.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "install the pinned toolchain into .venv"
tools/setup_toolchain.sh

step "regenerate test modules and reference results"
tools/regen_testdata.sh
tools/regen_native_testdata.sh
tools/regen_bench.sh

step "build the runtime and its tools"
cargo build --release

step "compare with the reference runtime"
cargo test --release --test vm_differential --test vm_conformance --test vm_testdata \
  --test vm_opcode_coverage --test native_testdata

step "benchmark against the reference (ours / reference; below 1 is faster)"
tools/bench_vm.sh

step "testdata drift against the committed files"
git status --short testdata || true
