#!/usr/bin/env bash
# Builds the release library and installs it, with headers, a CMake package
# and a pkg-config file, under PREFIX:
#
#   PREFIX/lib/libiree_runtime.so.X.Y.Z   (+ .so.X soname and .so dev links)
#   PREFIX/lib/libiree_runtime.a
#   PREFIX/include/iree/...
#   PREFIX/lib/cmake/IREERuntime/IREERuntimeConfig{,Version}.cmake
#   PREFIX/lib/pkgconfig/iree_runtime.pc         (links the .so)
#   PREFIX/lib/pkgconfig/iree_runtime_static.pc  (links the .a)
#
# Usage: tools/install.sh PREFIX
# IREE_RUNTIME_PREBUILT=DIR skips the cargo build and takes
# libiree_runtime.{so,a} from DIR instead (the tests use their own build).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 PREFIX" >&2
  exit 2
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$1"
prefix="$(cd "$1" && pwd)"

version="$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$root/Cargo.toml" | head -1)"
major="${version%%.*}"

if [ -n "${IREE_RUNTIME_PREBUILT:-}" ]; then
  artifacts="$IREE_RUNTIME_PREBUILT"
else
  (cd "$root" && cargo build --release --lib)
  artifacts="${CARGO_TARGET_DIR:-$root/target}/release"
fi
for f in libiree_runtime.so libiree_runtime.a; do
  [ -f "$artifacts/$f" ] || { echo "missing $artifacts/$f" >&2; exit 1; }
done

lib="$prefix/lib"
mkdir -p "$lib/cmake/IREERuntime" "$lib/pkgconfig" "$prefix/include"

# Shared library under its full version, with the soname link the loader
# uses and the unversioned link the linker uses.
install -m 755 "$artifacts/libiree_runtime.so" "$lib/libiree_runtime.so.$version"
ln -sfn "libiree_runtime.so.$version" "$lib/libiree_runtime.so.$major"
ln -sfn "libiree_runtime.so.$major" "$lib/libiree_runtime.so"
install -m 644 "$artifacts/libiree_runtime.a" "$lib/libiree_runtime.a"

# Headers: the whole include/ tree (public headers plus the generated and
# abi headers they pull in).
(cd "$root/include" && find . -name '*.h' -print0) |
  while IFS= read -r -d '' header; do
    install -D -m 644 "$root/include/$header" "$prefix/include/$header"
  done

fill() { sed "s/@IREE_RUNTIME_VERSION@/$version/g" "$1" > "$2"; }
install -m 644 "$root/cmake/IREERuntimeConfig.cmake" "$lib/cmake/IREERuntime/"
fill "$root/cmake/IREERuntimeConfigVersion.cmake.in" "$lib/cmake/IREERuntime/IREERuntimeConfigVersion.cmake"
fill "$root/cmake/iree_runtime.pc.in" "$lib/pkgconfig/iree_runtime.pc"
fill "$root/cmake/iree_runtime_static.pc.in" "$lib/pkgconfig/iree_runtime_static.pc"

echo "installed iree_runtime $version into $prefix"
