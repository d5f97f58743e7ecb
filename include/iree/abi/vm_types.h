// Hand-written C types for the generated API header (see docs/DESIGN.md).
//
// The generated header declares the VM entry points; the types they name
// are introduced here. Types that embed base-layer structs (string views,
// allocators, statuses) are only forward-declared here and completed by
// the public headers under iree/vm/, which include iree/base/api.h first.
#ifndef IREE_ABI_VM_TYPES_H_
#define IREE_ABI_VM_TYPES_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// Ref type ids: 0 is null, ids are handed out at registration (24 bits).
typedef uint32_t iree_vm_ref_type_t;
enum iree_vm_ref_type_bits_t {
  IREE_VM_REF_TYPE_NULL = 0,
  IREE_VM_REF_TYPE_MAX_VALUE = 0x00FFFFFEu,
  IREE_VM_REF_TYPE_ANY = 0x00FFFFFFu,
};

typedef enum iree_vm_value_type_e {
  IREE_VM_VALUE_TYPE_NONE = 0,
  IREE_VM_VALUE_TYPE_I8 = 1,
  IREE_VM_VALUE_TYPE_I16 = 2,
  IREE_VM_VALUE_TYPE_I32 = 3,
  IREE_VM_VALUE_TYPE_I64 = 4,
  IREE_VM_VALUE_TYPE_F32 = 5,
  IREE_VM_VALUE_TYPE_F64 = 6,
  IREE_VM_VALUE_TYPE_MAX = IREE_VM_VALUE_TYPE_F64,
  IREE_VM_VALUE_TYPE_COUNT = IREE_VM_VALUE_TYPE_MAX + 1,
} iree_vm_value_type_t;

typedef uint32_t iree_vm_buffer_access_t;
enum iree_vm_buffer_access_bits_t {
  IREE_VM_BUFFER_ACCESS_MUTABLE = 1u << 0,
  IREE_VM_BUFFER_ACCESS_ORIGIN_MODULE = 1u << 1,
  IREE_VM_BUFFER_ACCESS_ORIGIN_GUEST = 1u << 2,
  IREE_VM_BUFFER_ACCESS_ORIGIN_HOST = 1u << 3,
};

typedef enum iree_vm_function_linkage_e {
  IREE_VM_FUNCTION_LINKAGE_INTERNAL = 0,
  IREE_VM_FUNCTION_LINKAGE_IMPORT = 1,
  IREE_VM_FUNCTION_LINKAGE_EXPORT = 2,
  IREE_VM_FUNCTION_LINKAGE_IMPORT_OPTIONAL = 3,
} iree_vm_function_linkage_t;

typedef enum iree_vm_stack_frame_type_e {
  IREE_VM_STACK_FRAME_EXTERNAL = 0,
  IREE_VM_STACK_FRAME_NATIVE = 1,
  IREE_VM_STACK_FRAME_BYTECODE = 2,
} iree_vm_stack_frame_type_t;

typedef enum iree_vm_signal_e {
  IREE_VM_SIGNAL_RESUME = 0,
  IREE_VM_SIGNAL_SUSPEND = 1,
  IREE_VM_SIGNAL_LOW_MEMORY = 2,
} iree_vm_signal_t;

typedef uint32_t iree_vm_invocation_flags_t;
enum iree_vm_invocation_flag_bits_t {
  IREE_VM_INVOCATION_FLAG_NONE = 0u,
  IREE_VM_INVOCATION_FLAG_TRACE_EXECUTION = 1u << 0,
};

typedef uint32_t iree_vm_context_flags_t;
enum iree_vm_context_flag_bits_t {
  IREE_VM_CONTEXT_FLAG_NONE = 0u,
  IREE_VM_CONTEXT_FLAG_TRACE_EXECUTION = 1u << 0,
};

typedef uint32_t iree_vm_source_location_format_flags_t;
enum iree_vm_source_location_format_flag_bits_e {
  IREE_VM_SOURCE_LOCATION_FORMAT_FLAG_NONE = 0u,
  IREE_VM_SOURCE_LOCATION_FORMAT_FLAG_SINGLE_LINE = 1u << 0,
};

typedef uint32_t iree_vm_native_import_flags_t;
enum iree_vm_native_import_flag_bits_e {
  IREE_VM_NATIVE_IMPORT_REQUIRED = 1u << 0,
  IREE_VM_NATIVE_IMPORT_OPTIONAL = 1u << 1,
};

typedef int32_t iree_vm_size_t;
typedef int64_t iree_vm_source_offset_t;

// Structs completed in iree/vm/*.h.
typedef struct iree_vm_ref_object_t iree_vm_ref_object_t;
typedef struct iree_vm_ref_type_descriptor_t iree_vm_ref_type_descriptor_t;
typedef struct iree_vm_value_t iree_vm_value_t;
typedef struct iree_vm_type_def_t iree_vm_type_def_t;
typedef struct iree_vm_variant_t iree_vm_variant_t;
typedef struct iree_vm_buffer_t iree_vm_buffer_t;
typedef struct iree_vm_module_t iree_vm_module_t;
typedef struct iree_vm_function_call_t iree_vm_function_call_t;
typedef struct iree_vm_execution_result_t iree_vm_execution_result_t;
typedef struct iree_vm_register_list_t iree_vm_register_list_t;
typedef struct iree_vm_reflection_attr_t iree_vm_reflection_attr_t;
typedef struct iree_vm_source_location_t iree_vm_source_location_t;
typedef struct iree_vm_stack_frame_t iree_vm_stack_frame_t;
typedef struct iree_vm_native_module_descriptor_t
    iree_vm_native_module_descriptor_t;

// Opaque objects.
typedef struct iree_vm_list_t iree_vm_list_t;
typedef struct iree_vm_stack_t iree_vm_stack_t;
typedef struct iree_vm_instance_t iree_vm_instance_t;
typedef struct iree_vm_context_t iree_vm_context_t;
typedef struct iree_vm_module_state_t iree_vm_module_state_t;
typedef struct iree_vm_invocation_t iree_vm_invocation_t;
typedef struct iree_vm_invocation_policy_t iree_vm_invocation_policy_t;

// Types returned or passed by value are complete here (C++ requires it
// for extern "C" declarations); they depend on nothing from the base layer
// except the status handle, spelled as its underlying struct pointer.

// A typed reference: the target pointer plus, packed in one word, the byte
// offset of the target's counter and its registered type id.
typedef struct iree_vm_ref_t {
  void* ptr;
  uint32_t offsetof_counter : 8;
  iree_vm_ref_type_t type : 24;
} iree_vm_ref_t;

// Identifies one function of one module.
typedef struct iree_vm_function_t {
  iree_vm_module_t* module;
  uint16_t linkage;  // iree_vm_function_linkage_t
  uint16_t ordinal;
} iree_vm_function_t;

typedef struct iree_vm_module_signature_t {
  size_t import_function_count;
  size_t export_function_count;
  size_t internal_function_count;
} iree_vm_module_signature_t;

// Maps a module to its state in the invoking context.
typedef struct iree_vm_state_resolver_t {
  void* self;
  struct iree_status_handle_t* (*query_module_state)(
      void* state_resolver, iree_vm_module_t* module,
      iree_vm_module_state_t** out_module_state);
} iree_vm_state_resolver_t;

typedef void (*iree_vm_stack_frame_cleanup_fn_t)(iree_vm_stack_frame_t* frame);

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_ABI_VM_TYPES_H_
