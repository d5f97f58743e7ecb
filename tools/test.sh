#!/usr/bin/env bash
# The project's full check, as CI runs it: formatting, lints, the release
# build, and every test (Rust unit and integration tests, the C tests
# natively and under valgrind, standalone header compiles, the install and
# the examples).
#
# Every system tool the tests use must be installed: a missing one fails
# here, up front, naming the package to install, rather than letting a test
# skip it and the run end in "all checks passed".
#
#   tools/test.sh                     run everything
#   tools/test.sh --missing-packages  print the Debian packages still needed
#                                     (one a line; .ci/run installs them)
set -euo pipefail
cd "$(dirname "$0")/.."

# command the tests run -> Debian/Ubuntu package that provides it.
prerequisites=(
  "cc build-essential"        # C tests, examples
  "gcc build-essential"       # header compiles (C11)
  "g++ build-essential"       # header compiles (C++17)
  "make build-essential"      # the CMake example's generator
  "clang clang"               # header compiles (C11)
  "clang++ clang"             # header compiles (C++17)
  "cmake cmake"               # the CMake example
  "pkg-config pkg-config"     # the pkg-config examples
  "valgrind valgrind"         # the C tests under valgrind
  "readelf binutils"          # the install's soname check
)

missing_tools=()
missing_packages=()
for entry in "${prerequisites[@]}"; do
  read -r tool package <<<"$entry"
  if ! command -v "$tool" >/dev/null 2>&1; then
    missing_tools+=("$tool")
    case " ${missing_packages[*]} " in
      *" $package "*) ;;
      *) missing_packages+=("$package") ;;
    esac
  fi
done

if [ "${1:-}" = "--missing-packages" ]; then
  if [ ${#missing_packages[@]} -gt 0 ]; then printf '%s\n' "${missing_packages[@]}"; fi
  exit 0
elif [ $# -gt 0 ]; then
  echo "usage: $0 [--missing-packages]" >&2
  exit 2
fi

if [ ${#missing_tools[@]} -gt 0 ]; then
  {
    echo "error: the tests need tools that are not installed: ${missing_tools[*]}"
    echo "install them with:"
    echo "  apt-get install ${missing_packages[*]}"
    echo "(as root, or with sudo; .ci/run does this on a fresh machine)"
  } >&2
  exit 1
fi
if ! command -v cargo >/dev/null 2>&1; then
  echo "error: cargo is not on PATH; install a Rust toolchain (https://rustup.rs)" >&2
  exit 1
fi

# The knobs for local work would make this run skip tests: the full check
# runs everything.
unset IREE_C_TESTS_FILTER IREE_C_TESTS_NO_VALGRIND

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
