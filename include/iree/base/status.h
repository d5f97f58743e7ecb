// iree_status_t: how every fallible API call reports success or failure.
//
// OK is the NULL pointer, so checking a result costs one comparison. A
// failure carries its code in the low bits; statuses made through
// iree_make_status also carry where they were made, a message, and any
// annotations added while they travelled up the stack. Every non-OK status
// must be handed back to the library exactly once (returned to a caller that
// will, or passed to iree_status_free / iree_status_ignore / consume_code).
#ifndef IREE_BASE_STATUS_H_
#define IREE_BASE_STATUS_H_

#include <errno.h>
#include <memory.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "iree/base/attributes.h"
#include "iree/base/config.h"
#include "iree/base/string_view.h"

#ifdef __cplusplus
extern "C" {
#endif

// ---- Feature selection --------------------------------------------------------
// What the macros below record (see IREE_STATUS_MODE in iree/base/config.h).

#define IREE_STATUS_FEATURE_SOURCE_LOCATION (1 << 0)
#define IREE_STATUS_FEATURE_ANNOTATIONS (1 << 1)
#define IREE_STATUS_FEATURE_STACK_TRACE (1 << 2)

#if !defined(IREE_STATUS_FEATURES)
#if IREE_STATUS_MODE >= 3
#define IREE_STATUS_FEATURES                                               \
  (IREE_STATUS_FEATURE_SOURCE_LOCATION | IREE_STATUS_FEATURE_ANNOTATIONS | \
   IREE_STATUS_FEATURE_STACK_TRACE)
#elif IREE_STATUS_MODE == 2
#define IREE_STATUS_FEATURES \
  (IREE_STATUS_FEATURE_SOURCE_LOCATION | IREE_STATUS_FEATURE_ANNOTATIONS)
#elif IREE_STATUS_MODE == 1
#define IREE_STATUS_FEATURES (IREE_STATUS_FEATURE_SOURCE_LOCATION)
#else
#define IREE_STATUS_FEATURES 0
#endif
#endif  // !IREE_STATUS_FEATURES

// ---- Codes ----------------------------------------------------------------------
// iree_status_code_t and iree_status_t are declared in iree/abi/base_types.h.

// A status holding just |code| (no allocation; OK for IREE_STATUS_OK).
#define iree_status_from_code(code)                          \
  ((iree_status_t)((uintptr_t)((iree_status_code_t)(code)) & \
                   IREE_STATUS_CODE_MASK))

// The code of a status (IREE_STATUS_OK for OK).
#define iree_status_code(value) \
  ((iree_status_code_t)(((uintptr_t)(value)) & IREE_STATUS_CODE_MASK))

#define iree_ok_status() iree_status_from_code(IREE_STATUS_OK)

#define iree_status_is_ok(value) \
  IREE_LIKELY((uintptr_t)(value) == IREE_STATUS_OK)
#define IREE_STATUS_IMPL_IS_(value, code) (iree_status_code(value) == (code))
#define iree_status_is_cancelled(value) \
  IREE_STATUS_IMPL_IS_(value, IREE_STATUS_CANCELLED)
#define iree_status_is_unknown(value) \
  IREE_STATUS_IMPL_IS_(value, IREE_STATUS_UNKNOWN)
#define iree_status_is_invalid_argument(value) \
  IREE_STATUS_IMPL_IS_(value, IREE_STATUS_INVALID_ARGUMENT)
#define iree_status_is_deadline_exceeded(value) \
  IREE_STATUS_IMPL_IS_(value, IREE_STATUS_DEADLINE_EXCEEDED)
#define iree_status_is_not_found(value) \
  IREE_STATUS_IMPL_IS_(value, IREE_STATUS_NOT_FOUND)
#define iree_status_is_already_exists(value) \
  IREE_STATUS_IMPL_IS_(value, IREE_STATUS_ALREADY_EXISTS)
#define iree_status_is_permission_denied(value) \
  IREE_STATUS_IMPL_IS_(value, IREE_STATUS_PERMISSION_DENIED)
#define iree_status_is_resource_exhausted(value) \
  IREE_STATUS_IMPL_IS_(value, IREE_STATUS_RESOURCE_EXHAUSTED)
#define iree_status_is_failed_precondition(value) \
  IREE_STATUS_IMPL_IS_(value, IREE_STATUS_FAILED_PRECONDITION)
#define iree_status_is_aborted(value) \
  IREE_STATUS_IMPL_IS_(value, IREE_STATUS_ABORTED)
#define iree_status_is_out_of_range(value) \
  IREE_STATUS_IMPL_IS_(value, IREE_STATUS_OUT_OF_RANGE)
#define iree_status_is_unimplemented(value) \
  IREE_STATUS_IMPL_IS_(value, IREE_STATUS_UNIMPLEMENTED)
#define iree_status_is_internal(value) \
  IREE_STATUS_IMPL_IS_(value, IREE_STATUS_INTERNAL)
#define iree_status_is_unavailable(value) \
  IREE_STATUS_IMPL_IS_(value, IREE_STATUS_UNAVAILABLE)
#define iree_status_is_data_loss(value) \
  IREE_STATUS_IMPL_IS_(value, IREE_STATUS_DATA_LOSS)
#define iree_status_is_unauthenticated(value) \
  IREE_STATUS_IMPL_IS_(value, IREE_STATUS_UNAUTHENTICATED)
#define iree_status_is_deferred(value) \
  IREE_STATUS_IMPL_IS_(value, IREE_STATUS_DEFERRED)

// ---- Functions ------------------------------------------------------------------
// The non-variadic ones are declared in iree/generated/api.h:
//   iree_status_code_from_errno, iree_status_code_string,
//   iree_status_allocate, iree_status_allocate_vf, iree_status_clone,
//   iree_status_free, iree_status_ignore, iree_status_join,
//   iree_status_abort, iree_status_consume_code, iree_status_annotate,
//   iree_status_format, iree_status_to_string, iree_status_fprint.

// As iree_status_allocate with a printf-style message.
IREE_API_EXPORT IREE_MUST_USE_RESULT iree_status_t IREE_PRINTF_ATTRIBUTE(4, 5)
    iree_status_allocate_f(iree_status_code_t code, const char* file,
                           uint32_t line, const char* format, ...);

// Never returns (the generated prototype cannot say so).
IREE_API_EXPORT IREE_ATTRIBUTE_NORETURN void iree_status_abort(
    iree_status_t status);

// Adds a printf-style annotation to a failing status (OK passes through).
IREE_API_EXPORT IREE_MUST_USE_RESULT iree_status_t IREE_PRINTF_ATTRIBUTE(2, 3)
    iree_status_annotate_f(iree_status_t base_status, const char* format, ...);

// ---- Macros ---------------------------------------------------------------------
// The helpers pick an expansion by argument count: the 16th argument of
// IREE_STATUS_IMPL_PICK_ after the caller's arguments are shifted in.

#define IREE_STATUS_IMPL_CONCAT_INNER_(x, y) x##y
#define IREE_STATUS_IMPL_CONCAT_(x, y) IREE_STATUS_IMPL_CONCAT_INNER_(x, y)
#define IREE_STATUS_IMPL_IDENTITY_(...) __VA_ARGS__
#define IREE_STATUS_IMPL_FIRST_(first, ...) first
#define IREE_STATUS_IMPL_PICK_(a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, \
                               a12, a13, a14, a15, chosen, ...)              \
  chosen

#if IREE_STATUS_FEATURES == 0

// Code-only statuses: messages and locations are dropped at compile time.
#define IREE_STATUS_IMPL_MAKE_AT_(file, line, ...)                        \
  iree_status_from_code(IREE_STATUS_IMPL_IDENTITY_(IREE_STATUS_IMPL_FIRST_( \
      __VA_ARGS__, unused)))
#define IREE_STATUS_IMPL_ANNOTATE_(var, ...) (var)

#else

#define IREE_STATUS_IMPL_MAKE_EMPTY_(file, line, code) \
  iree_status_allocate((code), (file), (line), iree_string_view_empty())
#define IREE_STATUS_IMPL_MAKE_MESSAGE_(file, line, code, message) \
  iree_status_allocate((code), (file), (line), iree_make_cstring_view(message))
#define IREE_STATUS_IMPL_MAKE_FORMAT_(file, line, code, ...) \
  iree_status_allocate_f((code), (file), (line), __VA_ARGS__)
#define IREE_STATUS_IMPL_MAKE_AT_(file, line, ...)                            \
  IREE_STATUS_IMPL_IDENTITY_(IREE_STATUS_IMPL_PICK_(                          \
      __VA_ARGS__, IREE_STATUS_IMPL_MAKE_FORMAT_,                             \
      IREE_STATUS_IMPL_MAKE_FORMAT_, IREE_STATUS_IMPL_MAKE_FORMAT_,           \
      IREE_STATUS_IMPL_MAKE_FORMAT_, IREE_STATUS_IMPL_MAKE_FORMAT_,           \
      IREE_STATUS_IMPL_MAKE_FORMAT_, IREE_STATUS_IMPL_MAKE_FORMAT_,           \
      IREE_STATUS_IMPL_MAKE_FORMAT_, IREE_STATUS_IMPL_MAKE_FORMAT_,           \
      IREE_STATUS_IMPL_MAKE_FORMAT_, IREE_STATUS_IMPL_MAKE_FORMAT_,           \
      IREE_STATUS_IMPL_MAKE_FORMAT_, IREE_STATUS_IMPL_MAKE_FORMAT_,           \
      IREE_STATUS_IMPL_MAKE_MESSAGE_, IREE_STATUS_IMPL_MAKE_EMPTY_, unused)(  \
      file, line, __VA_ARGS__))

#if IREE_STATUS_FEATURES & IREE_STATUS_FEATURE_ANNOTATIONS
#define IREE_STATUS_IMPL_ANNOTATE_NONE_(var, expr) (var)
#define IREE_STATUS_IMPL_ANNOTATE_MESSAGE_(var, expr, message) \
  iree_status_annotate((var), iree_make_cstring_view(message))
#define IREE_STATUS_IMPL_ANNOTATE_FORMAT_(var, expr, ...) \
  iree_status_annotate_f((var), __VA_ARGS__)
#define IREE_STATUS_IMPL_ANNOTATE_(var, ...)                                   \
  IREE_STATUS_IMPL_IDENTITY_(IREE_STATUS_IMPL_PICK_(                           \
      __VA_ARGS__, IREE_STATUS_IMPL_ANNOTATE_FORMAT_,                          \
      IREE_STATUS_IMPL_ANNOTATE_FORMAT_, IREE_STATUS_IMPL_ANNOTATE_FORMAT_,    \
      IREE_STATUS_IMPL_ANNOTATE_FORMAT_, IREE_STATUS_IMPL_ANNOTATE_FORMAT_,    \
      IREE_STATUS_IMPL_ANNOTATE_FORMAT_, IREE_STATUS_IMPL_ANNOTATE_FORMAT_,    \
      IREE_STATUS_IMPL_ANNOTATE_FORMAT_, IREE_STATUS_IMPL_ANNOTATE_FORMAT_,    \
      IREE_STATUS_IMPL_ANNOTATE_FORMAT_, IREE_STATUS_IMPL_ANNOTATE_FORMAT_,    \
      IREE_STATUS_IMPL_ANNOTATE_FORMAT_, IREE_STATUS_IMPL_ANNOTATE_FORMAT_,    \
      IREE_STATUS_IMPL_ANNOTATE_MESSAGE_, IREE_STATUS_IMPL_ANNOTATE_NONE_,     \
      unused)(var, __VA_ARGS__))
#else
#define IREE_STATUS_IMPL_ANNOTATE_(var, ...) (var)
#endif  // IREE_STATUS_FEATURE_ANNOTATIONS

#endif  // IREE_STATUS_FEATURES == 0

// Makes a failing status with |code| recording this source location, and
// optionally a message: a plain string, or a printf format plus arguments.
//   return iree_make_status(IREE_STATUS_NOT_FOUND);
//   return iree_make_status(IREE_STATUS_NOT_FOUND, "no such thing");
//   return iree_make_status(IREE_STATUS_NOT_FOUND, "no item %d", i);
#define iree_make_status(...) \
  IREE_STATUS_IMPL_MAKE_AT_(__FILE__, __LINE__, __VA_ARGS__)

// As iree_make_status with an explicit file and line.
#define iree_make_status_with_location(file, line, ...) \
  IREE_STATUS_IMPL_MAKE_AT_(file, line, __VA_ARGS__)

// Returns from the enclosing function when the status expression fails,
// after annotating it with the optional message / format and arguments.
//   IREE_RETURN_IF_ERROR(do_thing());
//   IREE_RETURN_IF_ERROR(do_thing(), "while doing %s", what);
#define IREE_RETURN_IF_ERROR(...) \
  IREE_STATUS_IMPL_RETURN_IF_(    \
      IREE_STATUS_IMPL_CONCAT_(iree_status_tmp_, __COUNTER__), __VA_ARGS__)
#define IREE_STATUS_IMPL_RETURN_IF_(var, ...)                   \
  iree_status_t var = (IREE_STATUS_IMPL_IDENTITY_(              \
      IREE_STATUS_IMPL_FIRST_(__VA_ARGS__, unused)));           \
  if (IREE_UNLIKELY(var)) {                                     \
    return IREE_STATUS_IMPL_ANNOTATE_(var, __VA_ARGS__);        \
  }

// As IREE_RETURN_IF_ERROR, evaluating |tail_expr| (cleanup) before returning.
#define IREE_RETURN_AND_EVAL_IF_ERROR(tail_expr, ...)                  \
  IREE_STATUS_IMPL_RETURN_AND_EVAL_IF_(                                \
      tail_expr, IREE_STATUS_IMPL_CONCAT_(iree_status_tmp_, __COUNTER__), \
      __VA_ARGS__)
#define IREE_STATUS_IMPL_RETURN_AND_EVAL_IF_(tail_expr, var, ...) \
  iree_status_t var = (IREE_STATUS_IMPL_IDENTITY_(                \
      IREE_STATUS_IMPL_FIRST_(__VA_ARGS__, unused)));             \
  if (IREE_UNLIKELY(var)) {                                       \
    (tail_expr);                                                  \
    return IREE_STATUS_IMPL_ANNOTATE_(var, __VA_ARGS__);          \
  }

// Evaluates a status expression and drops (frees) whatever it returns.
#define IREE_IGNORE_ERROR(expr)                                       \
  IREE_STATUS_IMPL_IGNORE_(                                           \
      IREE_STATUS_IMPL_CONCAT_(iree_status_tmp_, __COUNTER__), (expr))
#define IREE_STATUS_IMPL_IGNORE_(var, expr) \
  iree_status_t var = (expr);               \
  if (IREE_UNLIKELY(var)) iree_status_ignore(var);

// Evaluates a status expression and aborts the process (printing the status
// to stderr) when it fails. For tools and tests, not for library code.
#define IREE_CHECK_OK(expr)                                                \
  IREE_STATUS_IMPL_CHECK_OK_(                                              \
      IREE_STATUS_IMPL_CONCAT_(iree_status_tmp_, __COUNTER__), (expr))
#define IREE_STATUS_IMPL_CHECK_OK_(var, expr) \
  iree_status_t var = (expr);                 \
  if (IREE_UNLIKELY(var)) iree_status_abort(var);

#if !(IREE_STATUS_FEATURES & IREE_STATUS_FEATURE_ANNOTATIONS)
// Without annotations the library calls are skipped entirely.
#define iree_status_annotate(base_status, ...) (base_status)
#define iree_status_annotate_f(base_status, ...) (base_status)
#endif

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_STATUS_H_
