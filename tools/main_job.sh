#!/usr/bin/env bash
# The main job, on a fresh machine: install the pinned IREE toolchain from
# PyPI, rebuild the committed test modules and their reference results with
# it, build this runtime, then check it against the reference runtime on
# those modules (results must match exactly) and report relative speed.
#
# Regenerating rewrites files under testdata/; `git status testdata` shows
# whether the pinned toolchain still produces what is committed.
# tools/gen-tflite-models.sh downloads the model packages from PyPI; set
# SKIP_TFLITE=1 to keep the committed models (offline machines).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "install the pinned toolchain into .venv"
tools/setup_toolchain.sh

step "regenerate test modules and reference results"
tools/regen_testdata.sh
tools/regen_native_testdata.sh
tools/regen_tools_testdata.sh
tools/regen_bench.sh
tools/gen-hal-module-testdata.sh
tools/gen-runtime-testdata.sh
tools/gen-tools-hal-testdata.sh
tools/gen-corpus.sh
if [ -z "${SKIP_TFLITE:-}" ]; then tools/gen-tflite-models.sh; fi

step "build the runtime and its tools"
cargo build --release --workspace

step "compare with the reference runtime (VM, hal module, runtime API, corpus, real models, tools)"
cargo test --release --test vm_conformance --test vm_testdata --test vm_opcode_coverage \
  --test native_testdata --test modules_hal --test modules_check --test runtime_session \
  --test corpus --test tflite_models
cargo test --release -p iree-tools --test vm_differential --test hal_differential --test check_module

step "benchmark against the reference (ours / reference; below 1 is faster)"
OURS_BIN=target/release/iree-benchmark-module tools/bench_vm.sh
OURS_BIN=target/release/iree-benchmark-module tools/bench_models.sh

step "testdata drift against the committed files"
git status --short testdata || true
