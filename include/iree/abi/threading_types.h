// Hand-written C types of the threading layer (iree/base/internal: threading,
// synchronization, call_once, atomic_slist, arena) for the generated header.
//
// The small synchronization objects are meant to be embedded by value in
// structs that C code allocates (often on the stack), so their layouts are
// fixed here and the Rust side implements the behavior over exactly these
// bytes (src/capi/base/{synchronization,atomic_slist}.rs mirror them and check
// size and alignment). Types that embed base types defined later (allocators,
// string views) are only forward-declared here and completed by their public
// headers.
#ifndef IREE_ABI_THREADING_TYPES_H_
#define IREE_ABI_THREADING_TYPES_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iree/base/internal/atomics.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

//===----------------------------------------------------------------------===//
// synchronization.h
//===----------------------------------------------------------------------===//

// A general-purpose lock. Implemented as a futex word: 0 free, 1 held, 2 held
// with (possibly) sleeping waiters. Zero-filled storage is a valid unlocked
// mutex, though callers should still initialize it.
typedef struct iree_mutex_t {
  iree_atomic_int32_t value;
} iree_mutex_t;

// A small unfair lock with the same futex-word encoding as iree_mutex_t. It
// may be statically zero-initialized.
typedef struct iree_slim_mutex_t {
  iree_atomic_int32_t value;
} iree_slim_mutex_t;

// An event counter: waiters take a token, re-check their condition and then
// sleep until a post changes the epoch. The word packs the count of pending
// waiters (low 32 bits) and the post epoch (high 32 bits).
typedef struct iree_notification_t {
  iree_atomic_int64_t value;
} iree_notification_t;

// Opaque token from iree_notification_prepare_wait (the epoch observed).
typedef uint32_t iree_wait_token_t;

// Reports whether the state a waiter is waiting for has been reached.
typedef bool (*iree_condition_fn_t)(void* arg);

//===----------------------------------------------------------------------===//
// call_once.h
//===----------------------------------------------------------------------===//

// State of a one-time initialization: 0 not started, 1 running, 2 running
// with sleepers, 3 done. Initialize with IREE_ONCE_FLAG_INIT.
typedef iree_atomic_int32_t iree_once_flag;

//===----------------------------------------------------------------------===//
// atomic_slist.h
//===----------------------------------------------------------------------===//

// Link embedded in every slist element. Points at the next element's link,
// not at the start of the user's struct.
typedef struct iree_atomic_slist_entry_t {
  struct iree_atomic_slist_entry_t* next;
} iree_atomic_slist_entry_t;

// Storage of an intrusive LIFO list shared between threads. Aligned to the
// maximum fundamental alignment so it can be embedded next to anything.
typedef struct __attribute__((aligned(16))) iree_atomic_slist_t {
  iree_slim_mutex_t mutex;
  iree_atomic_slist_entry_t* head;
} iree_atomic_slist_t;

// Order in which iree_atomic_slist_flush hands back the removed entries.
typedef enum iree_atomic_slist_flush_order_e {
  // Most recently pushed first (the list's own order).
  IREE_ATOMIC_SLIST_FLUSH_ORDER_APPROXIMATE_LIFO = 0,
  // First pushed first: the span is reversed while it is detached.
  IREE_ATOMIC_SLIST_FLUSH_ORDER_APPROXIMATE_FIFO = 1,
} iree_atomic_slist_flush_order_t;

//===----------------------------------------------------------------------===//
// threading.h / threading_impl.h
//===----------------------------------------------------------------------===//

typedef struct iree_thread_t iree_thread_t;
typedef struct iree_thread_override_t iree_thread_override_t;

// Scheduling hint for a thread, ordered from least to most urgent.
typedef enum iree_thread_priority_class_e {
  IREE_THREAD_PRIORITY_CLASS_LOWEST = -2,   // background / idle work
  IREE_THREAD_PRIORITY_CLASS_LOW = -1,      // work the user will want soon
  IREE_THREAD_PRIORITY_CLASS_NORMAL = 0,    // the platform default
  IREE_THREAD_PRIORITY_CLASS_HIGH = 1,      // work the user is waiting on
  IREE_THREAD_PRIORITY_CLASS_HIGHEST = 2,   // interactive work
} iree_thread_priority_class_t;

// Which processor a thread should run on. Only a hint; all-zero means any.
typedef struct iree_thread_affinity_t {
  uint32_t specified : 1;  // set when the fields below mean something
  uint32_t smt : 1;        // also allow the SMT sibling (id + 1)
  uint32_t group : 7;      // processor group (unused on Linux)
  uint32_t id : 23;        // logical processor index
} iree_thread_affinity_t;

// Completed in iree/base/internal/threading.h (it holds a string view).
typedef struct iree_thread_create_params_t iree_thread_create_params_t;

// Body of a thread; the return value is discarded.
typedef int (*iree_thread_entry_t)(void* entry_arg);

// Applies an effective priority class to a thread (override lists).
typedef void (*iree_thread_set_priority_fn_t)(
    iree_thread_t* thread, iree_thread_priority_class_t priority_class);

// Completed in iree/base/internal/threading_impl.h (it holds an allocator).
typedef struct iree_thread_override_list_t iree_thread_override_list_t;

//===----------------------------------------------------------------------===//
// arena.h
//===----------------------------------------------------------------------===//

// Completed in iree/base/internal/arena.h.
typedef struct iree_arena_block_t iree_arena_block_t;
typedef struct iree_arena_block_pool_t iree_arena_block_pool_t;
typedef struct iree_arena_allocator_t iree_arena_allocator_t;

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_ABI_THREADING_TYPES_H_
