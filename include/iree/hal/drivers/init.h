// iree_hal_register_all_available_drivers: registers this build's drivers
// (local-sync, also as dylib-sync and vmvx-sync). Declared in
// iree/generated/api.h.
#ifndef IREE_HAL_DRIVERS_INIT_H_
#define IREE_HAL_DRIVERS_INIT_H_

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/api.h"

#endif  // IREE_HAL_DRIVERS_INIT_H_
