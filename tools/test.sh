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

# Install the release build the way users would; the examples test builds
# and runs the CMake, pkg-config and dlopen examples against this prefix.
prefix="${CARGO_TARGET_DIR:-$PWD/target}/test-install"
step "tools/install.sh $prefix"
rm -rf "$prefix"
tools/install.sh "$prefix"

step "cargo test --release"
IREE_RUNTIME_INSTALL_PREFIX="$prefix" cargo test --release

printf '\nall checks passed\n'
