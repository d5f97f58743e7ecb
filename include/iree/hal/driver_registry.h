// Driver registries: factories register the drivers they provide; callers
// list them and create drivers by id or name.
//
// iree_hal_driver_registry_default() lends the process-wide registry;
// registries from iree_hal_driver_registry_allocate are freed with
// iree_hal_driver_registry_free. Registered factories
// (iree_hal_driver_factory_t, in iree/abi/hal_types.h) are kept by pointer
// and must stay live until unregistered. A factory must hand out drivers
// made by this runtime: one implemented in C gets IREE_STATUS_UNIMPLEMENTED.
#ifndef IREE_HAL_DRIVER_REGISTRY_H_
#define IREE_HAL_DRIVER_REGISTRY_H_

#include <stdbool.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/driver.h"
#include "iree/hal/resource.h"

#endif  // IREE_HAL_DRIVER_REGISTRY_H_
