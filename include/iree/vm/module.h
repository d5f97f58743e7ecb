// The module interface: a table of entry points every module (native,
// bytecode or custom) provides, plus function handles and the packed
// argument/result layout described by calling-convention strings.
#ifndef IREE_VM_MODULE_H_
#define IREE_VM_MODULE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/base/internal/atomics.h"
#include "iree/generated/api.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

struct iree_vm_reflection_attr_t {
  iree_string_view_t key;
  iree_string_view_t value;
};

static inline bool iree_vm_function_is_null(iree_vm_function_t function) {
  return function.module == NULL;
}

// A count followed by that many 16-bit entries (2-byte aligned, no padding).
struct iree_vm_register_list_t {
  uint16_t size;
  uint16_t registers[];
};

// Arguments and results packed without padding in the order of the
// function's calling convention.
struct iree_vm_function_call_t {
  iree_vm_function_t function;
  iree_byte_span_t arguments;
  iree_byte_span_t results;
};

#define IREE_VM_CCONV_TYPE_VOID 'v'
#define IREE_VM_CCONV_TYPE_I32 'i'
#define IREE_VM_CCONV_TYPE_I64 'I'
#define IREE_VM_CCONV_TYPE_F32 'f'
#define IREE_VM_CCONV_TYPE_F64 'F'
#define IREE_VM_CCONV_TYPE_REF 'r'
#define IREE_VM_CCONV_TYPE_SPAN_START 'C'
#define IREE_VM_CCONV_TYPE_SPAN_END 'D'

struct iree_vm_execution_result_t {
  int reserved;
};

struct iree_vm_source_location_t {
  IREE_API_UNSTABLE
  void* self;
  uint64_t data[2];
  iree_status_t(IREE_API_PTR* format)(
      void* self, uint64_t data[2],
      iree_vm_source_location_format_flags_t flags,
      iree_string_builder_t* builder);
};

// The module entry-point table. |self| is passed back to every entry; the
// table itself is ref-counted through |ref_count| and |destroy|.
struct iree_vm_module_t {
  IREE_API_UNSTABLE

  void* self;
  iree_atomic_int32_t ref_count;

  void(IREE_API_PTR* destroy)(void* self);
  iree_string_view_t(IREE_API_PTR* name)(void* self);
  iree_vm_module_signature_t(IREE_API_PTR* signature)(void* self);
  iree_status_t(IREE_API_PTR* get_function)(
      void* self, iree_vm_function_linkage_t linkage, iree_host_size_t ordinal,
      iree_vm_function_t* out_function, iree_string_view_t* out_name,
      iree_vm_function_signature_t* out_signature);
  iree_status_t(IREE_API_PTR* lookup_function)(
      void* self, iree_vm_function_linkage_t linkage, iree_string_view_t name,
      iree_vm_function_t* out_function);
  iree_status_t(IREE_API_PTR* resolve_source_location)(
      void* self, iree_vm_stack_frame_t* frame,
      iree_vm_source_location_t* out_source_location);
  iree_status_t(IREE_API_PTR* alloc_state)(
      void* self, iree_allocator_t allocator,
      iree_vm_module_state_t** out_module_state);
  void(IREE_API_PTR* free_state)(void* self,
                                 iree_vm_module_state_t* module_state);
  iree_status_t(IREE_API_PTR* resolve_import)(
      void* self, iree_vm_module_state_t* module_state,
      iree_host_size_t ordinal, const iree_vm_function_t* function,
      const iree_vm_function_signature_t* signature);
  iree_status_t(IREE_API_PTR* notify)(void* self,
                                      iree_vm_module_state_t* module_state,
                                      iree_vm_signal_t signal);
  iree_status_t(IREE_API_PTR* begin_call)(
      void* self, iree_vm_stack_t* stack, const iree_vm_function_call_t* call,
      iree_vm_execution_result_t* out_result);
  iree_status_t(IREE_API_PTR* resume_call)(
      void* self, iree_vm_stack_t* stack,
      iree_vm_execution_result_t* out_result);
  iree_status_t(IREE_API_PTR* get_function_reflection_attr)(
      void* self, iree_vm_function_linkage_t linkage, iree_host_size_t ordinal,
      iree_host_size_t index, iree_string_view_t* key,
      iree_string_view_t* value);
};

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_VM_MODULE_H_
