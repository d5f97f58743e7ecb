// Text forms of shapes (`4x5`), element types (`f32`) and elements, as
// the reference tools print them. Formatting functions take the buffer's
// capacity including the NUL and are OUT_OF_RANGE (with the needed length
// in *out_buffer_length) when it is too small. Functions in
// iree/generated/api.h.
#ifndef IREE_HAL_STRING_UTIL_H_
#define IREE_HAL_STRING_UTIL_H_

#include "iree/base/api.h"
#include "iree/hal/buffer_view.h"

#endif  // IREE_HAL_STRING_UTIL_H_
