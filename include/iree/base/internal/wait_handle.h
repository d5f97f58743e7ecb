// Native wait handles (eventfd/pipe on Linux), wait sets that multi-wait on
// them, and manual-reset events.
#ifndef IREE_BASE_INTERNAL_WAIT_HANDLE_H_
#define IREE_BASE_INTERNAL_WAIT_HANDLE_H_

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "iree/base/api.h"
#include "iree/generated/api.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

#ifdef __cplusplus
static_assert(sizeof(iree_wait_handle_t) <= 2 * sizeof(uint64_t),
              "wait handles must fit in a wait source's storage");
#else
_Static_assert(sizeof(iree_wait_handle_t) <= 2 * sizeof(uint64_t),
               "wait handles must fit in a wait source's storage");
#endif  // __cplusplus

// A handle that is already resolved.
static inline iree_wait_handle_t iree_wait_handle_immediate(void) {
  iree_wait_handle_t handle;
  memset(&handle, 0, sizeof(handle));
  return handle;
}

// True when |handle| is the empty, already-resolved handle.
static inline bool iree_wait_handle_is_immediate(iree_wait_handle_t handle) {
  return handle.type == IREE_WAIT_PRIMITIVE_TYPE_NONE;
}

// The wait handle stored in |wait_source| when it was made from one
// (iree_event_await, iree_wait_source_import), else NULL.
static inline iree_wait_handle_t* iree_wait_handle_from_source(
    iree_wait_source_t* wait_source) {
  if (wait_source->ctl != iree_wait_handle_ctl) return NULL;
  return (iree_wait_handle_t*)wait_source->storage;
}

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_BASE_INTERNAL_WAIT_HANDLE_H_
