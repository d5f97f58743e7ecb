// Build-wide configuration knobs. Every value can be overridden by defining
// it before this header is seen (on the command line, or in a file named by
// IREE_USER_CONFIG_H, which is included first).
#ifndef IREE_BASE_CONFIG_H_
#define IREE_BASE_CONFIG_H_

#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>

#include "iree/base/target_platform.h"

#if defined(IREE_USER_CONFIG_H)
#include IREE_USER_CONFIG_H
#endif

// ---- Sizes ------------------------------------------------------------------
// iree_host_size_t: byte counts of memory on this machine (always size_t
// unless overridden). iree_device_size_t: byte counts of memory that may live
// on another device, kept 64-bit so a 32-bit host can address a 64-bit one.

#if !defined(IREE_HOST_SIZE_T)
#define IREE_HOST_SIZE_T size_t
#define PRIhsz "zu"
#endif
typedef IREE_HOST_SIZE_T iree_host_size_t;
#define IREE_HOST_SIZE_MAX \
  (sizeof(iree_host_size_t) == 4 ? UINT32_MAX : UINT64_MAX)

#if !defined(IREE_DEVICE_SIZE_T)
#define IREE_DEVICE_SIZE_T uint64_t
#define PRIdsz PRIu64
#endif
typedef IREE_DEVICE_SIZE_T iree_device_size_t;
#define IREE_DEVICE_SIZE_MAX \
  (sizeof(iree_device_size_t) == 4 ? UINT32_MAX : UINT64_MAX)

// ---- Status detail ----------------------------------------------------------
// How much an iree_status_t carries (see iree/base/status.h):
//   0: the code only, never allocates
//   1: + where the status was made (file and line)
//   2: + a message and any annotations added on the way up
//   3: + a stack trace slot (accepted; this library records none)
// The library always keeps everything it is given; this only selects what
// the macros in the headers pass to it.
#if !defined(IREE_STATUS_MODE)
#if defined(NDEBUG)
#define IREE_STATUS_MODE 2
#else
#define IREE_STATUS_MODE 3
#endif
#endif  // !IREE_STATUS_MODE

// ---- Threading --------------------------------------------------------------
// 1 turns synchronization primitives into no-ops: only for single-core
// targets where a single thread ever touches the runtime.
#if !defined(IREE_SYNCHRONIZATION_DISABLE_UNSAFE)
#define IREE_SYNCHRONIZATION_DISABLE_UNSAFE 0
#endif

// ---- Files ------------------------------------------------------------------
#if !defined(IREE_FILE_IO_ENABLE)
#define IREE_FILE_IO_ENABLE 1
#endif

// ---- Statistics -------------------------------------------------------------
#if !defined(IREE_STATISTICS_ENABLE)
#define IREE_STATISTICS_ENABLE 1
#endif

// ---- HAL --------------------------------------------------------------------
// Byte alignment (a power of two) of every host heap buffer; executables are
// compiled assuming at least this much.
#if !defined(IREE_HAL_HEAP_BUFFER_ALIGNMENT)
#define IREE_HAL_HEAP_BUFFER_ALIGNMENT 64
#endif
#if !defined(IREE_HAL_COMMAND_BUFFER_VALIDATION_ENABLE)
#define IREE_HAL_COMMAND_BUFFER_VALIDATION_ENABLE 1
#endif
#if !defined(IREE_HAL_MODULE_STRING_UTIL_ENABLE)
#define IREE_HAL_MODULE_STRING_UTIL_ENABLE 1
#endif

// ---- VM ---------------------------------------------------------------------
#if !defined(IREE_VM_BACKTRACE_ENABLE)
#define IREE_VM_BACKTRACE_ENABLE 1
#endif
#if !defined(IREE_VM_EXECUTION_TRACING_FORCE_ENABLE)
#define IREE_VM_EXECUTION_TRACING_FORCE_ENABLE 0
#endif
#if IREE_VM_EXECUTION_TRACING_FORCE_ENABLE
#undef IREE_VM_EXECUTION_TRACING_ENABLE
#define IREE_VM_EXECUTION_TRACING_ENABLE 1
#endif
#if !defined(IREE_VM_EXECUTION_TRACING_ENABLE)
#if defined(NDEBUG)
#define IREE_VM_EXECUTION_TRACING_ENABLE 0
#else
#define IREE_VM_EXECUTION_TRACING_ENABLE 1
#endif
#endif
#if !defined(IREE_VM_EXECUTION_TRACING_SRC_LOC_ENABLE)
#define IREE_VM_EXECUTION_TRACING_SRC_LOC_ENABLE 0
#endif
#if !defined(IREE_VM_EXT_I64_ENABLE)
#define IREE_VM_EXT_I64_ENABLE 1
#endif
#if !defined(IREE_VM_EXT_F32_ENABLE)
#define IREE_VM_EXT_F32_ENABLE 1
#endif
#if !defined(IREE_VM_EXT_F64_ENABLE)
#define IREE_VM_EXT_F64_ENABLE 0
#endif

#endif  // IREE_BASE_CONFIG_H_
