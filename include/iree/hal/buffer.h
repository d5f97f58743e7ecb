// Buffers: byte ranges of memory with a memory type, allowed access and
// usage; subspans of them; host mapping and transfers. The C types and
// bit enums live in iree/abi/hal_buffer_types.h, the functions in
// iree/generated/api.h (each documents what it returns and retains).
//
// Buffers are opaque here: this runtime does not publish the seeds'
// struct body (only its leading iree_hal_resource_t matches) and does not
// accept buffers implemented in C (iree_hal_buffer_initialize).
#ifndef IREE_HAL_BUFFER_H_
#define IREE_HAL_BUFFER_H_

#include <stdbool.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/resource.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

// Whether a mapping was made persistent.
static inline bool iree_hal_buffer_mapping_is_persistent(
    const iree_hal_buffer_mapping_t* mapping) {
  return mapping->impl.is_persistent != 0;
}

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_HAL_BUFFER_H_
