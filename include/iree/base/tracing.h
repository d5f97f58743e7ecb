// Profiling instrumentation macros. This library ships without a profiler
// backend, so every macro compiles to nothing (IREE_RETURN_AND_END_ZONE_IF_ERROR
// still propagates errors); code written against the instrumented API builds
// and behaves unchanged.
#ifndef IREE_BASE_TRACING_H_
#define IREE_BASE_TRACING_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iree/base/attributes.h"
#include "iree/base/config.h"

// Feature bits a profiler build would understand.
#define IREE_TRACING_FEATURE_INSTRUMENTATION (1 << 0)
#define IREE_TRACING_FEATURE_INSTRUMENTATION_CALLSTACKS (1 << 1)
#define IREE_TRACING_FEATURE_ALLOCATION_TRACKING (1 << 2)
#define IREE_TRACING_FEATURE_ALLOCATION_CALLSTACKS (1 << 3)
#define IREE_TRACING_FEATURE_FAST_LOCKS (1 << 4)
#define IREE_TRACING_FEATURE_SLOW_LOCKS (1 << 5)
#define IREE_TRACING_FEATURE_LOG_MESSAGES (1 << 6)

#if !defined(IREE_TRACING_MAX_CALLSTACK_DEPTH)
#define IREE_TRACING_MAX_CALLSTACK_DEPTH 16
#endif

// No backend: no features, whatever IREE_TRACING_MODE asks for.
#if !defined(IREE_TRACING_FEATURES)
#define IREE_TRACING_FEATURES 0
#endif

// Per-thread zone handle of the C zone macros.
typedef uint32_t iree_zone_id_t;

// Plot display kinds.
enum {
  IREE_TRACING_PLOT_TYPE_NUMBER = 0,
  IREE_TRACING_PLOT_TYPE_MEMORY = 1,
  IREE_TRACING_PLOT_TYPE_PERCENTAGE = 2,
};

// Message colors by severity (0xRRGGBB).
enum {
  IREE_TRACING_MESSAGE_LEVEL_ERROR = 0xFF0000u,
  IREE_TRACING_MESSAGE_LEVEL_WARNING = 0xFFFF00u,
  IREE_TRACING_MESSAGE_LEVEL_INFO = 0xFFFFFFu,
  IREE_TRACING_MESSAGE_LEVEL_VERBOSE = 0xC0C0C0u,
  IREE_TRACING_MESSAGE_LEVEL_DEBUG = 0x00FF00u,
};

// ---- C instrumentation ------------------------------------------------------------

#define IREE_TRACE_SET_APP_INFO(value, value_length)
#define IREE_TRACE_SET_THREAD_NAME(name)
#define IREE_TRACE(expr)
#define IREE_TRACE_ZONE_BEGIN(zone_id)
#define IREE_TRACE_ZONE_BEGIN_NAMED(zone_id, name_literal)
#define IREE_TRACE_ZONE_BEGIN_NAMED_DYNAMIC(zone_id, name, name_length)
#define IREE_TRACE_ZONE_BEGIN_EXTERNAL(zone_id, file_name, file_name_length, \
                                       line, function_name,                  \
                                       function_name_length, name,           \
                                       name_length)
#define IREE_TRACE_ZONE_SET_COLOR(zone_id, color_xrgb)
#define IREE_TRACE_ZONE_APPEND_VALUE(zone_id, value)
#define IREE_TRACE_ZONE_APPEND_TEXT(zone_id, ...)
#define IREE_TRACE_ZONE_APPEND_TEXT_CSTRING(zone_id, value)
#define IREE_TRACE_ZONE_APPEND_TEXT_STRING_VIEW(zone_id, value, value_length)
#define IREE_TRACE_ZONE_END(zone_id)
#define IREE_RETURN_AND_END_ZONE_IF_ERROR(zone_id, ...) \
  IREE_RETURN_IF_ERROR(__VA_ARGS__)
#define IREE_TRACE_SET_PLOT_TYPE(name_literal, plot_type)
#define IREE_TRACE_PLOT_VALUE_I64(name_literal, value)
#define IREE_TRACE_PLOT_VALUE_F32(name_literal, value)
#define IREE_TRACE_PLOT_VALUE_F64(name_literal, value)
#define IREE_TRACE_FRAME_MARK()
#define IREE_TRACE_FRAME_MARK_NAMED(name_literal)
#define IREE_TRACE_FRAME_MARK_BEGIN_NAMED(name_literal)
#define IREE_TRACE_FRAME_MARK_END_NAMED(name_literal)
#define IREE_TRACE_MESSAGE(level, value_literal)
#define IREE_TRACE_MESSAGE_COLORED(color, value_literal)
#define IREE_TRACE_MESSAGE_DYNAMIC(level, value, value_length)
#define IREE_TRACE_MESSAGE_DYNAMIC_COLORED(color, value, value_length)

// ---- Allocation tracking ------------------------------------------------------------

#define IREE_TRACE_ALLOC(ptr, size)
#define IREE_TRACE_FREE(ptr)
#define IREE_TRACE_ALLOC_NAMED(name, ptr, size)
#define IREE_TRACE_FREE_NAMED(name, ptr)

// ---- C++ scopes --------------------------------------------------------------------

#ifdef __cplusplus
#define IREE_TRACE_THREAD_ENABLE(name)
#define IREE_TRACE_SCOPE()
#define IREE_TRACE_SCOPE_DYNAMIC(name_string_view)
#define IREE_TRACE_SCOPE0(name_literal)
#define IREE_TRACE_EVENT(void)
#define IREE_TRACE_EVENT0
#endif  // __cplusplus

#endif  // IREE_BASE_TRACING_H_
