// iree_hal_descriptor_set_t: declared in iree/generated/api.h. Objects implemented
// in C (a vtable of your own) are not supported.
#ifndef IREE_HAL_DESCRIPTOR_SET_H_
#define IREE_HAL_DESCRIPTOR_SET_H_

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/resource.h"

#endif  // IREE_HAL_DESCRIPTOR_SET_H_
