// Registers the VM's own ref types (vm.buffer, vm.list). Idempotent;
// iree_vm_instance_create calls it too.
#ifndef IREE_VM_BUILTIN_TYPES_H_
#define IREE_VM_BUILTIN_TYPES_H_

#include "iree/base/api.h"
#include "iree/generated/api.h"

#endif  // IREE_VM_BUILTIN_TYPES_H_
