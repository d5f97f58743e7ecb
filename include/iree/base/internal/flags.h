// Command-line flags: IREE_FLAG declares a variable FLAG_<name> and registers
// it (before main runs) so iree_flags_parse can set it from --<name>=value.
#ifndef IREE_BASE_INTERNAL_FLAGS_H_
#define IREE_BASE_INTERNAL_FLAGS_H_

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "iree/base/api.h"
#include "iree/base/target_platform.h"

#ifdef __cplusplus
extern "C" {
#endif

// 1: flags can be set from the command line; 0: they are plain constants.
#if !defined(IREE_FLAGS_ENABLE_CLI)
#define IREE_FLAGS_ENABLE_CLI 1
#endif
// 1: --flagfile=<path> reads one flag per line from a file.
#if !defined(IREE_FLAGS_ENABLE_FLAG_FILE)
#define IREE_FLAGS_ENABLE_FLAG_FILE 1
#endif
// Kept for source compatibility; this registry has no fixed limit.
#if !defined(IREE_FLAGS_CAPACITY)
#define IREE_FLAGS_CAPACITY 64
#endif

// ---- Static initializers --------------------------------------------------------
// IREE_STATIC_INITIALIZER(name) { ... } runs the body once before main, in
// no particular order relative to other initializers.

#ifdef __cplusplus
#define IREE_STATIC_INITIALIZER(f) \
  static void f(void);             \
  static struct f##_runner_t_ {    \
    f##_runner_t_() { f(); }       \
  } f##_runner_;                   \
  static void f(void)
#elif defined(IREE_COMPILER_MSVC)
#pragma section(".CRT$XCU", read)
#define IREE_STATIC_INITIALIZER_IMPL(f, p)                 \
  static void f(void);                                     \
  __declspec(allocate(".CRT$XCU")) void (*f##_)(void) = f; \
  __pragma(comment(linker, "/include:" p #f "_")) static void f(void)
#ifdef _WIN64
#define IREE_STATIC_INITIALIZER(f) IREE_STATIC_INITIALIZER_IMPL(f, "")
#else
#define IREE_STATIC_INITIALIZER(f) IREE_STATIC_INITIALIZER_IMPL(f, "_")
#endif
#else
#define IREE_STATIC_INITIALIZER(f)                  \
  static void f(void) __attribute__((constructor)); \
  static void f(void)
#endif

// ---- Definition -------------------------------------------------------------------
// Flag types (iree_flag_type_t), callbacks and parse/dump modes are in
// iree/abi/base_types.h; iree_flag_register, iree_flags_set_usage,
// iree_flags_parse, iree_flags_parse_checked and iree_flags_dump in
// iree/generated/api.h.

#define IREE_FLAG_CTYPE_bool bool
#define IREE_FLAG_CTYPE_int32_t int32_t
#define IREE_FLAG_CTYPE_int64_t int64_t
#define IREE_FLAG_CTYPE_float float
#define IREE_FLAG_CTYPE_double double
#define IREE_FLAG_CTYPE_string const char*

#if IREE_FLAGS_ENABLE_CLI == 1

// Declares `static <ctype> FLAG_<name> = default_value;` settable with
// --<name>=value. Types: bool, int32_t, int64_t, float, double, string.
#define IREE_FLAG(type, name, default_value, description)                \
  static IREE_FLAG_CTYPE_##type FLAG_##name = (default_value);           \
  IREE_STATIC_INITIALIZER(iree_flag_register_##name) {                   \
    iree_flag_register(__FILE__, __LINE__, IREE_FLAG_TYPE_##type,        \
                       (void*)&(FLAG_##name), NULL, NULL,                \
                       iree_make_cstring_view(#name),                    \
                       iree_make_cstring_view(description));             \
  }

// Registers --<name> handled by |parse_callback| (each time it appears) and
// printed by |print_callback|, both given |storage|.
#define IREE_FLAG_CALLBACK(parse_callback, print_callback, storage, name,   \
                           description)                                    \
  IREE_STATIC_INITIALIZER(iree_flag_register_##name) {                      \
    iree_flag_register(__FILE__, __LINE__, IREE_FLAG_TYPE_callback,         \
                       (void*)(storage), (parse_callback), (print_callback), \
                       iree_make_cstring_view(#name),                       \
                       iree_make_cstring_view(description));                \
  }

#else

#define IREE_FLAG(type, name, default_value, description) \
  static const IREE_FLAG_CTYPE_##type FLAG_##name = (default_value);
#define IREE_FLAG_CALLBACK(parse_callback, print_callback, storage, name, \
                           description)

#endif  // IREE_FLAGS_ENABLE_CLI

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_INTERNAL_FLAGS_H_
