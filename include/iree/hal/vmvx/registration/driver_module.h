// iree_hal_vmvx_driver_module_register: registers the drivers whose devices
// run VMVX executables ("vmvx", "vmvx-sync"). Declared in
// iree/generated/api.h.
#ifndef IREE_HAL_VMVX_REGISTRATION_DRIVER_MODULE_H_
#define IREE_HAL_VMVX_REGISTRATION_DRIVER_MODULE_H_

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/api.h"

#endif  // IREE_HAL_VMVX_REGISTRATION_DRIVER_MODULE_H_
