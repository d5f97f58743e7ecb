// Modules loaded from compiled VM bytecode (FlatBuffer archives).
#ifndef IREE_VM_BYTECODE_MODULE_H_
#define IREE_VM_BYTECODE_MODULE_H_

#include "iree/base/api.h"
#include "iree/vm/module.h"

#endif  // IREE_VM_BYTECODE_MODULE_H_
