// The "hal" VM module over one device (iree_hal_module_create) and the VM
// ref type adapters of HAL buffers and buffer views. Functions are declared
// in iree/generated/api.h; the adapter macro adds the C++ type lookups.
#ifndef IREE_MODULES_HAL_MODULE_H_
#define IREE_MODULES_HAL_MODULE_H_

#include <stdint.h>

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/api.h"
#include "iree/vm/api.h"

IREE_VM_DECLARE_TYPE_ADAPTERS(iree_hal_buffer, iree_hal_buffer_t);
IREE_VM_DECLARE_TYPE_ADAPTERS(iree_hal_buffer_view, iree_hal_buffer_view_t);

#endif  // IREE_MODULES_HAL_MODULE_H_
