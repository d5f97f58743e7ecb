// Descriptor set layouts: declared in iree/generated/api.h; this header adds
// the descriptor type and usage constants.
#ifndef IREE_HAL_DESCRIPTOR_SET_LAYOUT_H_
#define IREE_HAL_DESCRIPTOR_SET_LAYOUT_H_

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/resource.h"

#ifdef __cplusplus
extern "C" {
#endif

// iree_hal_descriptor_type_t values.
enum iree_hal_descriptor_type_e {
  IREE_HAL_DESCRIPTOR_TYPE_UNIFORM_BUFFER = 6,
  IREE_HAL_DESCRIPTOR_TYPE_STORAGE_BUFFER = 7,
  IREE_HAL_DESCRIPTOR_TYPE_UNIFORM_BUFFER_DYNAMIC = 8,
  IREE_HAL_DESCRIPTOR_TYPE_STORAGE_BUFFER_DYNAMIC = 9,
};

// iree_hal_descriptor_set_layout_usage_type_t values.
enum iree_hal_descriptor_set_layout_usage_type_e {
  IREE_HAL_DESCRIPTOR_SET_LAYOUT_USAGE_TYPE_IMMUTABLE = 0,
  IREE_HAL_DESCRIPTOR_SET_LAYOUT_USAGE_TYPE_PUSH_ONLY = 1,
};

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_HAL_DESCRIPTOR_SET_LAYOUT_H_
