// Events: binary flags command buffers signal, reset and wait on to order
// work within a queue. iree_hal_event_create gives the caller one
// reference (release it with iree_hal_event_release).
#ifndef IREE_HAL_EVENT_H_
#define IREE_HAL_EVENT_H_

#include <stdbool.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/resource.h"

#endif  // IREE_HAL_EVENT_H_
