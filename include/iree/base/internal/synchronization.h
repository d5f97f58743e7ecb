// Locks and notifications for code that shares state between threads.
//
// The object layouts live in iree/abi/threading_types.h (C code embeds them
// by value); the functions come from the runtime library. Prefer designs that
// need none of this: every lock is a place where threads wait on each other.

#ifndef IREE_BASE_INTERNAL_SYNCHRONIZATION_H_
#define IREE_BASE_INTERNAL_SYNCHRONIZATION_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/base/internal/atomics.h"

// Clang's thread-safety analysis cannot be applied to these C types, so the
// annotation spellings exist for source compatibility and expand to nothing.
#define IREE_THREAD_ANNOTATION_ATTRIBUTE(x)
#define IREE_GUARDED_BY(x)
#define IREE_PTR_GUARDED_BY(x)

// Waits on Linux sleep on futex words (the layouts above depend on it).
#if defined(__linux__)
#define IREE_PLATFORM_HAS_FUTEX 1
#endif

#ifdef __cplusplus
extern "C" {
#endif

// Pass to iree_notification_post to wake every waiter.
#define IREE_ALL_WAITERS INT32_MAX
// A millisecond timeout that never expires.
#define IREE_INFINITE_TIMEOUT_MS UINT32_MAX

// Static initializer for an iree_notification_t (equivalent to
// iree_notification_initialize).
#define IREE_NOTIFICATION_INIT \
  { IREE_ATOMIC_VAR_INIT(0) }

// Declared by the generated header:
//
// iree_mutex_t (a general lock) and iree_slim_mutex_t (a small unfair lock
// that may be zero-initialized):
//   void iree_mutex_initialize(iree_mutex_t* out_mutex);
//   void iree_mutex_deinitialize(iree_mutex_t* mutex);   // must be unheld
//   void iree_mutex_lock(iree_mutex_t* mutex);
//   bool iree_mutex_try_lock(iree_mutex_t* mutex);       // true if now held
//   void iree_mutex_unlock(iree_mutex_t* mutex);         // caller holds it
//   ... and the same five as iree_slim_mutex_*.
//
// iree_notification_t (an event counter replacing condition variables):
//   void iree_notification_initialize(iree_notification_t* out_notification);
//   void iree_notification_deinitialize(iree_notification_t* notification);
//   // Wakes up to |count| waiters; at least a release barrier.
//   void iree_notification_post(iree_notification_t* n, int32_t count);
//   // Registers a waiter; acq_rel barrier. Re-check the condition after this
//   // and then either commit or cancel.
//   iree_wait_token_t iree_notification_prepare_wait(iree_notification_t* n);
//   // Sleeps until a post after the token (true) or |deadline_ns| (false).
//   bool iree_notification_commit_wait(iree_notification_t* n,
//                                      iree_wait_token_t token,
//                                      iree_time_t deadline_ns);
//   void iree_notification_cancel_wait(iree_notification_t* n);
//   // Loops prepare/check/commit until |condition_fn(condition_arg)| holds
//   // (true) or |timeout| expires (false).
//   bool iree_notification_await(iree_notification_t* n,
//                                iree_condition_fn_t condition_fn,
//                                void* condition_arg, iree_timeout_t timeout);

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_INTERNAL_SYNCHRONIZATION_H_
