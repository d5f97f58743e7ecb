// The VM instance shared by contexts (ref-counted).
#ifndef IREE_VM_INSTANCE_H_
#define IREE_VM_INSTANCE_H_

#include "iree/base/api.h"
#include "iree/generated/api.h"

#endif  // IREE_VM_INSTANCE_H_
