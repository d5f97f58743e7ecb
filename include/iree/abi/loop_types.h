// Hand-written C types for the generated API header (see docs/DESIGN.md):
// time, wait primitives, wait sources, wait handles and loops. These use
// anonymous unions, bitfields, a field named `self` and per-platform members,
// none of which cbindgen can express. Their Rust mirrors live in
// src/capi/base/{time,wait_source,wait_handle,loop}.rs and are checked against
// these layouts by tests.
#ifndef IREE_ABI_LOOP_TYPES_H_
#define IREE_ABI_LOOP_TYPES_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef IREE_API_PTR
#define IREE_API_PTR
#endif  // IREE_API_PTR

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

// The status handle, spelled exactly as the generated header spells it so the
// repeated typedefs are identical (allowed in C11 and C++).
typedef struct iree_status_handle_t iree_status_handle_t;
typedef iree_status_handle_t* iree_status_t;

//===----------------------------------------------------------------------===//
// Time
//===----------------------------------------------------------------------===//

// Nanoseconds since the unix epoch.
typedef int64_t iree_time_t;
// Relative nanoseconds.
typedef int64_t iree_duration_t;

// Whether an iree_timeout_t holds a deadline or a duration.
typedef enum iree_timeout_type_e {
  IREE_TIMEOUT_ABSOLUTE = 0,
  IREE_TIMEOUT_RELATIVE = 1,
} iree_timeout_type_t;

// A deadline (absolute) or a duration measured from when it is used.
typedef struct iree_timeout_t {
  iree_timeout_type_t type;
  iree_time_t nanos;
} iree_timeout_t;

//===----------------------------------------------------------------------===//
// Wait primitives
//===----------------------------------------------------------------------===//

// Which native primitives this build knows how to wait on.
#if defined(__linux__) || defined(__ANDROID__)
#define IREE_HAVE_WAIT_TYPE_EVENTFD 1
#define IREE_HAVE_WAIT_TYPE_PIPE 1
#elif !defined(_WIN32)
#define IREE_HAVE_WAIT_TYPE_PIPE 1
#endif
#if defined(__ANDROID__)
#define IREE_HAVE_WAIT_TYPE_SYNC_FILE 1
#endif
#define IREE_HAVE_WAIT_TYPE_LOCAL_FUTEX 1

// Kinds of native wait primitive. Every value exists on every platform so
// routing code stays portable; waiting on an unsupported kind fails.
enum iree_wait_primitive_type_bits_t {
  IREE_WAIT_PRIMITIVE_TYPE_NONE = 0u,          // resolves immediately
  IREE_WAIT_PRIMITIVE_TYPE_EVENT_FD = 1u,      // linux eventfd
  IREE_WAIT_PRIMITIVE_TYPE_SYNC_FILE = 2u,     // android sync fence fd
  IREE_WAIT_PRIMITIVE_TYPE_PIPE = 3u,          // posix pipe (read, write)
  IREE_WAIT_PRIMITIVE_TYPE_WIN32_HANDLE = 4u,  // windows HANDLE
  IREE_WAIT_PRIMITIVE_TYPE_LOCAL_FUTEX = 5u,   // in-process futex
  IREE_WAIT_PRIMITIVE_TYPE_ANY = 0xFFu,        // wildcard for exports
};
typedef uint8_t iree_wait_primitive_type_t;

// The payload of a wait primitive; which member is live depends on the type.
typedef union {
  int reserved;  // keeps the union non-empty and `{0}`-initializable
#if defined(IREE_HAVE_WAIT_TYPE_EVENTFD)
  struct {
    int fd;
  } event;
#endif  // IREE_HAVE_WAIT_TYPE_EVENTFD
#if defined(IREE_HAVE_WAIT_TYPE_SYNC_FILE)
  struct {
    int fd;
  } sync_file;
#endif  // IREE_HAVE_WAIT_TYPE_SYNC_FILE
#if defined(IREE_HAVE_WAIT_TYPE_PIPE)
  union {
    struct {
      int read_fd;
      int write_fd;
    };
    int fds[2];
  } pipe;
#endif  // IREE_HAVE_WAIT_TYPE_PIPE
#if defined(_WIN32)
  struct {
    uintptr_t handle;
  } win32;
#endif  // _WIN32
  void* local_futex;
} iree_wait_primitive_value_t;

// A native wait primitive: its kind and payload.
typedef struct iree_wait_primitive_t {
  iree_wait_primitive_type_t type;
  iree_wait_primitive_value_t value;
} iree_wait_primitive_t;

//===----------------------------------------------------------------------===//
// Wait sources
//===----------------------------------------------------------------------===//

typedef struct iree_wait_source_t iree_wait_source_t;

// Operations a wait source control function performs.
typedef enum iree_wait_source_command_e {
  // inout_ptr: iree_status_code_t* receiving OK or DEFERRED (unresolved).
  IREE_WAIT_SOURCE_COMMAND_QUERY = 0u,
  // params: iree_wait_source_wait_params_t.
  IREE_WAIT_SOURCE_COMMAND_WAIT_ONE,
  // params: iree_wait_source_export_params_t;
  // inout_ptr: iree_wait_primitive_t* receiving the primitive.
  IREE_WAIT_SOURCE_COMMAND_EXPORT,
} iree_wait_source_command_t;

typedef struct iree_wait_source_wait_params_t {
  iree_timeout_t timeout;
} iree_wait_source_wait_params_t;

typedef struct iree_wait_source_export_params_t {
  iree_wait_primitive_type_t target_type;
  iree_timeout_t timeout;
} iree_wait_source_export_params_t;

typedef iree_status_t(IREE_API_PTR* iree_wait_source_ctl_fn_t)(
    iree_wait_source_t wait_source, iree_wait_source_command_t command,
    const void* params, void** inout_ptr);

// Something that resolves at a future point; `ctl` services the commands.
// A NULL `ctl` means already resolved.
struct iree_wait_source_t {
  union {
    struct {
      void* self;
      uint64_t data;
    };
    // Room for an imported iree_wait_handle_t.
    uint64_t storage[2];
  };
  iree_wait_source_ctl_fn_t ctl;
};

//===----------------------------------------------------------------------===//
// Wait handles (iree/base/internal/wait_handle.h)
//===----------------------------------------------------------------------===//

// A non-owning reference to a native waitable object.
typedef struct iree_wait_handle_t {
  // Scratch used by wait sets (the slot a wake came from).
  union {
    uint32_t dupe_count : 16;
    uint32_t index : 16;
    uint8_t storage[3];
  } set_internal;
  iree_wait_primitive_type_t type;
  iree_wait_primitive_value_t value;
} iree_wait_handle_t;

// A manual-reset event backed by a native wait handle.
typedef iree_wait_handle_t iree_event_t;

//===----------------------------------------------------------------------===//
// Loops (iree/base/loop.h)
//===----------------------------------------------------------------------===//

typedef struct iree_loop_t iree_loop_t;
typedef uint32_t iree_loop_command_t;

typedef enum iree_loop_priority_e {
  IREE_LOOP_PRIORITY_DEFAULT = 0u,
} iree_loop_priority_t;

typedef iree_status_t(IREE_API_PTR* iree_loop_callback_fn_t)(
    void* user_data, iree_loop_t loop, iree_status_t status);

typedef iree_status_t(IREE_API_PTR* iree_loop_workgroup_fn_t)(
    void* user_data, iree_loop_t loop, uint32_t workgroup_x,
    uint32_t workgroup_y, uint32_t workgroup_z);

typedef iree_status_t(IREE_API_PTR* iree_loop_ctl_fn_t)(
    void* self, iree_loop_command_t command, const void* params,
    void** inout_ptr);

// A loop: an implementation pointer and its control function.
struct iree_loop_t {
  void* self;
  iree_loop_ctl_fn_t ctl;
};

// Commands understood by loop control functions.
enum iree_loop_command_e {
  IREE_LOOP_COMMAND_CALL = 0u,    // params: iree_loop_call_params_t
  IREE_LOOP_COMMAND_DISPATCH,     // params: iree_loop_dispatch_params_t
  IREE_LOOP_COMMAND_WAIT_UNTIL,   // params: iree_loop_wait_until_params_t
  IREE_LOOP_COMMAND_WAIT_ONE,     // params: iree_loop_wait_one_params_t
  IREE_LOOP_COMMAND_WAIT_ANY,     // params: iree_loop_wait_multi_params_t
  IREE_LOOP_COMMAND_WAIT_ALL,     // params: iree_loop_wait_multi_params_t
  IREE_LOOP_COMMAND_DRAIN,        // params: iree_loop_drain_params_t
  IREE_LOOP_COMMAND_MAX = IREE_LOOP_COMMAND_DRAIN,
};

typedef struct iree_loop_callback_t {
  iree_loop_callback_fn_t fn;
  void* user_data;
} iree_loop_callback_t;

typedef struct iree_loop_call_params_t {
  iree_loop_callback_t callback;
  iree_loop_priority_t priority;
} iree_loop_call_params_t;

typedef struct iree_loop_dispatch_params_t {
  iree_loop_callback_t callback;
  iree_loop_workgroup_fn_t workgroup_fn;
  uint32_t workgroup_count_xyz[3];
} iree_loop_dispatch_params_t;

typedef struct iree_loop_wait_until_params_t {
  iree_loop_callback_t callback;
  iree_time_t deadline_ns;
} iree_loop_wait_until_params_t;

typedef struct iree_loop_wait_one_params_t {
  iree_loop_callback_t callback;
  iree_time_t deadline_ns;
  iree_wait_source_t wait_source;
} iree_loop_wait_one_params_t;

typedef struct iree_loop_wait_multi_params_t {
  iree_loop_callback_t callback;
  iree_time_t deadline_ns;
  size_t count;
  iree_wait_source_t* wait_sources;
} iree_loop_wait_multi_params_t;

typedef struct iree_loop_drain_params_t {
  iree_time_t deadline_ns;
} iree_loop_drain_params_t;

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_ABI_LOOP_TYPES_H_
