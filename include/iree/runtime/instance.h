// Runtime instances: the VM instance, host allocator and HAL driver
// registry shared by sessions. iree_runtime_instance_create gives the
// caller one reference (iree_runtime_instance_release); the options'
// driver registry is borrowed and must outlive the instance.
// iree_runtime_instance_vm_instance is an IREE 3.13 addition.
#ifndef IREE_RUNTIME_INSTANCE_H_
#define IREE_RUNTIME_INSTANCE_H_

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/api.h"

#endif  // IREE_RUNTIME_INSTANCE_H_
