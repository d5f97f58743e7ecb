// iree_check_module_create: the "check" VM module test programs import.
// Declared in iree/generated/api.h.
#ifndef IREE_MODULES_CHECK_MODULE_H_
#define IREE_MODULES_CHECK_MODULE_H_

#include <stdint.h>

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/vm/api.h"

#endif  // IREE_MODULES_CHECK_MODULE_H_
