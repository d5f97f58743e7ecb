// iree_hal_executable_t: declared in iree/generated/api.h. Objects implemented
// in C (a vtable of your own) are not supported.
#ifndef IREE_HAL_EXECUTABLE_H_
#define IREE_HAL_EXECUTABLE_H_

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/resource.h"

#endif  // IREE_HAL_EXECUTABLE_H_
