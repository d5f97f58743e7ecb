// Drivers: each enumerates and creates the devices of one kind. Obtain one
// from a registry (iree/hal/driver_registry.h); release it with
// iree_hal_driver_release.
#ifndef IREE_HAL_DRIVER_H_
#define IREE_HAL_DRIVER_H_

#include <stdbool.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/resource.h"

// No driver has this id.
#define IREE_HAL_DRIVER_ID_INVALID 0ull

#endif  // IREE_HAL_DRIVER_H_
