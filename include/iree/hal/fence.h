// Fences (IREE 3.x): a set of (semaphore, value) timepoints signalled,
// failed and waited on together. A fence retains its semaphores; a
// semaphore inserted twice keeps the larger value.
//
// The create and join functions give the caller one reference (release it
// with iree_hal_fence_release). A NULL fence means "no fencing": querying,
// signalling and waiting on it succeed at once.
#ifndef IREE_HAL_FENCE_H_
#define IREE_HAL_FENCE_H_

#include <stdint.h>

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/semaphore.h"

#endif  // IREE_HAL_FENCE_H_
