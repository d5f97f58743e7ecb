// Portable spellings of compiler attributes and hints used by the API.
#ifndef IREE_BASE_ATTRIBUTES_H_
#define IREE_BASE_ATTRIBUTES_H_

#include "iree/base/target_platform.h"

// Marks a function of the public C API (C linkage from C++ callers).
#if defined(__cplusplus)
#define IREE_API_EXPORT extern "C"
#else
#define IREE_API_EXPORT
#endif

// Calling-convention slot for API function pointers (empty on our targets).
#define IREE_API_PTR

#if defined(__has_attribute)
#define IREE_HAVE_ATTRIBUTE(x) __has_attribute(x)
#else
#define IREE_HAVE_ATTRIBUTE(x) 0
#endif

#if IREE_HAVE_ATTRIBUTE(format) || defined(IREE_COMPILER_GCC)
#define IREE_PRINTF_ATTRIBUTE(string_index, first_to_check) \
  __attribute__((__format__(__printf__, string_index, first_to_check)))
#else
#define IREE_PRINTF_ATTRIBUTE(string_index, first_to_check)
#endif

#if IREE_HAVE_ATTRIBUTE(noreturn) || defined(IREE_COMPILER_GCC)
#define IREE_ATTRIBUTE_NORETURN __attribute__((noreturn))
#elif defined(IREE_COMPILER_MSVC)
#define IREE_ATTRIBUTE_NORETURN __declspec(noreturn)
#else
#define IREE_ATTRIBUTE_NORETURN
#endif

// Warns when a caller drops the result (statuses must be handled).
#if IREE_HAVE_ATTRIBUTE(nodiscard)
#define IREE_MUST_USE_RESULT [[nodiscard]]
#elif IREE_HAVE_ATTRIBUTE(warn_unused_result) || defined(IREE_COMPILER_GCC)
#define IREE_MUST_USE_RESULT __attribute__((warn_unused_result))
#elif defined(IREE_COMPILER_MSVC)
#define IREE_MUST_USE_RESULT _Check_return_
#else
#define IREE_MUST_USE_RESULT
#endif

#if defined(IREE_COMPILER_MSVC)
#define IREE_RESTRICT __restrict
#elif defined(__cplusplus)
#define IREE_RESTRICT __restrict__
#else
#define IREE_RESTRICT restrict
#endif

#if IREE_HAVE_ATTRIBUTE(always_inline) || defined(IREE_COMPILER_GCC)
#define IREE_ATTRIBUTE_ALWAYS_INLINE __attribute__((always_inline))
#else
#define IREE_ATTRIBUTE_ALWAYS_INLINE
#endif

#if IREE_HAVE_ATTRIBUTE(noinline) || defined(IREE_COMPILER_GCC)
#define IREE_ATTRIBUTE_NOINLINE __attribute__((noinline))
#else
#define IREE_ATTRIBUTE_NOINLINE
#endif

#if IREE_HAVE_ATTRIBUTE(hot) || defined(IREE_COMPILER_GCC)
#define IREE_ATTRIBUTE_HOT __attribute__((hot))
#else
#define IREE_ATTRIBUTE_HOT
#endif

#if IREE_HAVE_ATTRIBUTE(cold) || defined(IREE_COMPILER_GCC)
#define IREE_ATTRIBUTE_COLD __attribute__((cold))
#else
#define IREE_ATTRIBUTE_COLD
#endif

// Branch hints: keep error paths out of the hot code layout.
#if defined(IREE_COMPILER_GCC_COMPAT)
#define IREE_LIKELY(x) (__builtin_expect(!!(x), 1))
#define IREE_UNLIKELY(x) (__builtin_expect(!!(x), 0))
#else
#define IREE_LIKELY(x) (x)
#define IREE_UNLIKELY(x) (x)
#endif

#if IREE_HAVE_ATTRIBUTE(packed) || defined(IREE_COMPILER_GCC)
#define IREE_ATTRIBUTE_PACKED __attribute__((__packed__))
#else
#define IREE_ATTRIBUTE_PACKED
#endif

// For values only read by asserts that may compile away.
#if IREE_HAVE_ATTRIBUTE(maybe_unused) && defined(IREE_COMPILER_CLANG)
#define IREE_ATTRIBUTE_UNUSED __attribute__((maybe_unused))
#elif IREE_HAVE_ATTRIBUTE(unused) || defined(IREE_COMPILER_GCC)
#define IREE_ATTRIBUTE_UNUSED __attribute__((unused))
#else
#define IREE_ATTRIBUTE_UNUSED
#endif

#endif  // IREE_BASE_ATTRIBUTES_H_
