// Target detection: which architecture, pointer width, byte order, compiler
// and operating system the including translation unit is built for. Each
// detected property becomes an IREE_ARCH_*, IREE_PTR_SIZE*, IREE_ENDIANNESS_*,
// IREE_COMPILER_*, IREE_SANITIZER_* or IREE_PLATFORM_* macro.
#ifndef IREE_BASE_TARGET_PLATFORM_H_
#define IREE_BASE_TARGET_PLATFORM_H_

#include <assert.h>
#include <stdint.h>

// ---- Architecture ----------------------------------------------------------

#if defined(__aarch64__) || defined(__arm64) || defined(_M_ARM64)
#define IREE_ARCH "arm_64"
#define IREE_ARCH_ARM_64 1
#elif defined(__arm__) || defined(__thumb__) || defined(_M_ARM) || \
    defined(__TARGET_ARCH_ARM) || defined(__TARGET_ARCH_THUMB)
#define IREE_ARCH "arm_32"
#define IREE_ARCH_ARM_32 1
#elif defined(__wasm64__)
#define IREE_ARCH "wasm_64"
#define IREE_ARCH_WASM_64 1
#elif defined(__wasm32__)
#define IREE_ARCH "wasm_32"
#define IREE_ARCH_WASM_32 1
#elif defined(__x86_64__) || defined(__x86_64) || defined(__amd64__) || \
    defined(__amd64) || defined(_M_X64)
#define IREE_ARCH "x86_64"
#define IREE_ARCH_X86_64 1
#elif defined(__i386__) || defined(__i386) || defined(__i486__) || \
    defined(__i586__) || defined(__i686__) || defined(_M_IX86) ||   \
    defined(_X86_)
#define IREE_ARCH "x86_32"
#define IREE_ARCH_X86_32 1
#elif defined(__riscv) && (__riscv_xlen == 64)
#define IREE_ARCH "riscv_64"
#define IREE_ARCH_RISCV_64 1
#elif defined(__riscv) && (__riscv_xlen == 32)
#define IREE_ARCH "riscv_32"
#define IREE_ARCH_RISCV_32 1
#else
#error "iree/base/target_platform.h: unsupported architecture"
#endif

// ---- Pointer width ----------------------------------------------------------

#if UINTPTR_MAX == 0xFFFFFFFFFFFFFFFFu
#define IREE_PTR_SIZE_64
#define IREE_PTR_SIZE 8
#elif UINTPTR_MAX == 0xFFFFFFFFu
#define IREE_PTR_SIZE_32
#define IREE_PTR_SIZE 4
#else
#error "iree/base/target_platform.h: unsupported pointer width"
#endif

// ---- Byte order -------------------------------------------------------------

#if defined(__BYTE_ORDER__) && defined(__ORDER_BIG_ENDIAN__) && \
    (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__)
#define IREE_ENDIANNESS_BIG 1
#elif (defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && \
       (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)) ||                \
    defined(_WIN32)
#define IREE_ENDIANNESS_LITTLE 1
#else
#error "iree/base/target_platform.h: cannot tell the byte order"
#endif

// ---- Unaligned memory access ------------------------------------------------
// 1 where loads/stores must be naturally aligned (or unaligned ones trap or
// are emulated slowly); the alignment helpers then go byte by byte.

#if !defined(IREE_MEMORY_ACCESS_ALIGNMENT_REQUIRED)
#if (defined(IREE_ARCH_ARM_32) || defined(IREE_ARCH_ARM_64)) && \
    !defined(__ARM_FEATURE_UNALIGNED)
#define IREE_MEMORY_ACCESS_ALIGNMENT_REQUIRED 1
#elif defined(IREE_ARCH_RISCV_32) || defined(IREE_ARCH_RISCV_64)
#define IREE_MEMORY_ACCESS_ALIGNMENT_REQUIRED 1
#else
#define IREE_MEMORY_ACCESS_ALIGNMENT_REQUIRED 0
#endif
#endif  // !IREE_MEMORY_ACCESS_ALIGNMENT_REQUIRED

// ---- Compiler ---------------------------------------------------------------

#if defined(__clang__)
#define IREE_COMPILER_CLANG 1
#define IREE_COMPILER_GCC_COMPAT 1
#elif defined(__GNUC__)
#define IREE_COMPILER_GCC 1
#define IREE_COMPILER_GCC_COMPAT 1
#elif defined(_MSC_VER)
#define IREE_COMPILER_MSVC 1
#else
#error "iree/base/target_platform.h: unsupported compiler"
#endif

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define IREE_SANITIZER_ADDRESS 1
#endif
#if __has_feature(memory_sanitizer)
#define IREE_SANITIZER_MEMORY 1
#endif
#if __has_feature(thread_sanitizer)
#define IREE_SANITIZER_THREAD 1
#endif
#endif  // __has_feature
#if defined(__SANITIZE_ADDRESS__) && !defined(IREE_SANITIZER_ADDRESS)
#define IREE_SANITIZER_ADDRESS 1
#endif
#if defined(__SANITIZE_THREAD__) && !defined(IREE_SANITIZER_THREAD)
#define IREE_SANITIZER_THREAD 1
#endif

#if defined(__has_builtin)
#if __has_builtin(__builtin_debugtrap)
#define IREE_COMPILER_HAS_BUILTIN_DEBUG_TRAP 1
#endif
#endif  // __has_builtin

// ---- Operating system -------------------------------------------------------

#if defined(__ANDROID__)
#define IREE_PLATFORM_ANDROID 1
#endif

#if defined(__EMSCRIPTEN__)
#define IREE_PLATFORM_EMSCRIPTEN 1
#endif

#if defined(__APPLE__)
#include <TargetConditionals.h>
#if TARGET_OS_IPHONE
#define IREE_PLATFORM_IOS 1
#else
#define IREE_PLATFORM_MACOS 1
#endif
#if TARGET_IPHONE_SIMULATOR
#define IREE_PLATFORM_IOS_SIMULATOR 1
#endif
#define IREE_PLATFORM_APPLE 1
#endif  // __APPLE__

#if defined(__linux__) || defined(__linux) || defined(linux)
#define IREE_PLATFORM_LINUX 1
#endif

#if defined(_WIN32) || defined(_WIN64)
#define IREE_PLATFORM_WINDOWS 1
#if defined(_MSC_VER)
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#ifndef NOMINMAX
#define NOMINMAX
#endif
#endif  // _MSC_VER
#include <windows.h>
#undef ERROR  // wingdi.h's ERROR collides with common enumerator names.
#endif  // _WIN32 || _WIN64

#if !defined(IREE_PLATFORM_ANDROID) && !defined(IREE_PLATFORM_EMSCRIPTEN) && \
    !defined(IREE_PLATFORM_GENERIC) && !defined(IREE_PLATFORM_APPLE) &&      \
    !defined(IREE_PLATFORM_LINUX) && !defined(IREE_PLATFORM_WINDOWS)
#error "iree/base/target_platform.h: unsupported platform"
#endif

#endif  // IREE_BASE_TARGET_PLATFORM_H_
