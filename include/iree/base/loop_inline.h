// A loop that runs each operation on the caller's stack as it is issued.
// Callbacks may enqueue a few more operations (they run before the issuing
// call returns); waits block the caller; the first error is recorded in the
// caller's status and aborts whatever is still pending.
#ifndef IREE_BASE_LOOP_INLINE_H_
#define IREE_BASE_LOOP_INLINE_H_

#include <inttypes.h>

#include "iree/base/loop.h"
#include "iree/generated/api.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

// An inline loop recording its first error in |out_status|, which the
// caller must check (or ignore) to avoid leaking it.
static inline iree_loop_t iree_loop_inline(iree_status_t* out_status) {
  iree_loop_t loop = {out_status, iree_loop_inline_ctl};
  return loop;
}

// Bytes in iree_loop_inline_storage_t::opaque.
#define IREE_LOOP_INLINE_STORAGE_SIZE 512

// Caller-provided storage for an inline loop; it must outlive the loop.
typedef struct iree_loop_inline_storage_t {
  __attribute__((__aligned__(16))) uint8_t opaque[IREE_LOOP_INLINE_STORAGE_SIZE];
  iree_status_t status;
} iree_loop_inline_storage_t;

// An inline loop recording its first error in |storage|->status.
static inline iree_loop_t iree_loop_inline_initialize(
    iree_loop_inline_storage_t* storage) {
  storage->status = NULL;
  iree_loop_t loop = {storage, iree_loop_inline_using_storage_ctl};
  return loop;
}

// Drops any error left in |storage|.
static inline void iree_loop_inline_deinitialize(
    iree_loop_inline_storage_t* storage) {
  if (!storage) return;
  iree_status_ignore(storage->status);
  storage->status = NULL;
}

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_BASE_LOOP_INLINE_H_
