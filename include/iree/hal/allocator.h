// Allocators: the heap allocator (iree_hal_allocator_create_heap), buffer
// parameters, host memory import/export with release callbacks, and
// allocation statistics. Types in iree/abi/hal_buffer_types.h, functions
// in iree/generated/api.h.
#ifndef IREE_HAL_ALLOCATOR_H_
#define IREE_HAL_ALLOCATOR_H_

#include <stdbool.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/hal/buffer.h"
#include "iree/hal/resource.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

// Fills in the defaults of zero fields: usage becomes DISPATCH|TRANSFER,
// access ALL, queue affinity ANY. Memory type and alignment stay as given.
static inline void iree_hal_buffer_params_canonicalize(
    iree_hal_buffer_params_t* params) {
  if (params->usage == 0) {
    params->usage = IREE_HAL_BUFFER_USAGE_TRANSFER | IREE_HAL_BUFFER_USAGE_DISPATCH;
  }
  if (params->access == 0) params->access = IREE_HAL_MEMORY_ACCESS_ALL;
  if (params->queue_affinity == 0) {
    params->queue_affinity = IREE_HAL_QUEUE_AFFINITY_ANY;
  }
}

// A copy of |params| that also allows |usage| (after defaulting an empty
// usage as canonicalize does).
static inline iree_hal_buffer_params_t iree_hal_buffer_params_with_usage(
    const iree_hal_buffer_params_t params, iree_hal_buffer_usage_t usage) {
  iree_hal_buffer_params_t out = params;
  if (out.usage == 0) {
    out.usage = IREE_HAL_BUFFER_USAGE_TRANSFER | IREE_HAL_BUFFER_USAGE_DISPATCH;
  }
  out.usage |= usage;
  return out;
}

// A release callback that does nothing.
static inline iree_hal_buffer_release_callback_t
iree_hal_buffer_release_callback_null(void) {
  iree_hal_buffer_release_callback_t none = {NULL, NULL};
  return none;
}

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_HAL_ALLOCATOR_H_
