// Buffer view helpers: size and offset math, allocating and generating
// views, and their text form (parse, format, fprint). Functions in
// iree/generated/api.h.
#ifndef IREE_HAL_BUFFER_VIEW_UTIL_H_
#define IREE_HAL_BUFFER_VIEW_UTIL_H_

#include <stdio.h>

#include "iree/base/api.h"
#include "iree/hal/allocator.h"
#include "iree/hal/buffer.h"
#include "iree/hal/buffer_view.h"

#endif  // IREE_HAL_BUFFER_VIEW_UTIL_H_
