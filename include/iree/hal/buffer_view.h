// Buffer views: a buffer with a shape, element type and encoding. Types
// and the IREE_HAL_ELEMENT_TYPE_* values are in iree/abi/hal_buffer_types.h,
// functions in iree/generated/api.h. Dimensions are the seeds' 32-bit
// iree_hal_dim_t; negative dimensions are refused.
#ifndef IREE_HAL_BUFFER_VIEW_H_
#define IREE_HAL_BUFFER_VIEW_H_

#include <stdint.h>

#include "iree/base/api.h"
#include "iree/hal/buffer.h"
#include "iree/hal/resource.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

// An element type from its numerical type and bit count.
#define iree_hal_make_element_type(numerical_type, bit_count) \
  ((iree_hal_element_type_t)IREE_HAL_ELEMENT_TYPE_VALUE(numerical_type, bit_count))
// The numerical type in the top byte of an element type.
#define iree_hal_element_numerical_type(element_type) \
  ((iree_hal_numerical_type_t)((uint32_t)(element_type) >> 24))
#define iree_hal_element_numerical_type_is_opaque(element_type) \
  (iree_hal_element_numerical_type(element_type) ==             \
   IREE_HAL_NUMERICAL_TYPE_UNKNOWN)
#define iree_hal_element_numerical_type_is_integer(element_type)   \
  ((iree_hal_element_numerical_type(element_type) &                \
    IREE_HAL_NUMERICAL_TYPE_INTEGER) == IREE_HAL_NUMERICAL_TYPE_INTEGER)
#define iree_hal_element_numerical_type_is_float(element_type) \
  ((iree_hal_element_numerical_type(element_type) &            \
    IREE_HAL_NUMERICAL_TYPE_FLOAT) == IREE_HAL_NUMERICAL_TYPE_FLOAT)
#define iree_hal_element_numerical_type_is_boolean(element_type) \
  (iree_hal_element_numerical_type(element_type) ==             \
   IREE_HAL_NUMERICAL_TYPE_BOOLEAN)
// Bits per element, the low byte.
#define iree_hal_element_bit_count(element_type) \
  ((size_t)((uint32_t)(element_type) & 0xFFu))
#define iree_hal_element_is_byte_aligned(element_type) \
  (iree_hal_element_bit_count(element_type) % 8 == 0)
// Bytes of one element rounded up to whole bytes.
#define iree_hal_element_dense_byte_count(element_type) \
  ((iree_hal_element_bit_count(element_type) + 7) / 8)
#define iree_hal_element_type_is_integer(element_type, bit_width) \
  (iree_hal_element_numerical_type_is_integer(element_type) &&    \
   iree_hal_element_bit_count(element_type) == (bit_width))

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_HAL_BUFFER_VIEW_H_
