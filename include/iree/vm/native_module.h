// Native modules: functions implemented in C, described by a static
// descriptor and exposed through the common module interface.
#ifndef IREE_VM_NATIVE_MODULE_H_
#define IREE_VM_NATIVE_MODULE_H_

#include <stdint.h>

#include "iree/base/api.h"
#include "iree/vm/module.h"
#include "iree/vm/stack.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

typedef struct iree_vm_native_import_descriptor_t {
  iree_vm_native_import_flags_t flags;
  // `module.function` as exported by the providing module.
  iree_string_view_t full_name;
} iree_vm_native_import_descriptor_t;

typedef struct iree_vm_native_export_descriptor_t {
  iree_string_view_t local_name;
  iree_string_view_t calling_convention;
  iree_host_size_t reflection_attr_count;
  const iree_vm_reflection_attr_t* reflection_attrs;
} iree_vm_native_export_descriptor_t;

// The implementation, called by its shim with unpacked arguments.
typedef iree_status_t(IREE_API_PTR* iree_vm_native_function_target_t)(
    iree_vm_stack_t* stack, void* module, void* module_state);

// Unpacks |call| and invokes |target_fn|; |module| is the user interface's
// `self` and |module_state| what its alloc_state returned.
typedef iree_status_t(IREE_API_PTR* iree_vm_native_function_shim_t)(
    iree_vm_stack_t* stack, const iree_vm_function_call_t* call,
    iree_vm_native_function_target_t target_fn, void* module,
    void* module_state, iree_vm_execution_result_t* out_result);

typedef struct iree_vm_native_function_ptr_t {
  iree_vm_native_function_shim_t shim;
  iree_vm_native_function_target_t target;
} iree_vm_native_function_ptr_t;

// Exports and functions correspond 1:1 by index.
struct iree_vm_native_module_descriptor_t {
  IREE_API_UNSTABLE

  iree_string_view_t module_name;
  iree_host_size_t import_count;
  const iree_vm_native_import_descriptor_t* imports;
  iree_host_size_t export_count;
  const iree_vm_native_export_descriptor_t* exports;
  iree_host_size_t function_count;
  const iree_vm_native_function_ptr_t* functions;
  iree_host_size_t reflection_attr_count;
  const iree_vm_reflection_attr_t* reflection_attrs;
};

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_VM_NATIVE_MODULE_H_
