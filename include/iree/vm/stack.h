// The invocation stack: frames of the functions currently running, kept in
// caller-provided storage first and growing into the heap up to
// IREE_VM_STACK_MAX_SIZE bytes.
#ifndef IREE_VM_STACK_H_
#define IREE_VM_STACK_H_

#include <stddef.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/vm/module.h"
#include "iree/vm/ref.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

#define IREE_VM_STACK_DEFAULT_SIZE (8 * 1024)
#define IREE_VM_STACK_MIN_SIZE (1 * 1024)
#define IREE_VM_STACK_MAX_SIZE (1 * 1024 * 1024)

// One frame; |frame_size| bytes of module storage follow it directly.
struct iree_vm_stack_frame_t {
  iree_vm_function_t function;
  iree_vm_module_state_t* module_state;
  iree_vm_source_offset_t pc;
  int32_t depth;
};

static inline void* iree_vm_stack_frame_storage(iree_vm_stack_frame_t* frame) {
  return (void*)((uintptr_t)frame + sizeof(iree_vm_stack_frame_t));
}

// Declares |stack| backed by IREE_VM_STACK_DEFAULT_SIZE bytes of local
// storage; release it with iree_vm_stack_deinitialize before leaving scope.
#define IREE_VM_INLINE_STACK_INITIALIZE(stack, flags, state_resolver, \
                                        allocator)                    \
  uint8_t __stack_storage[IREE_VM_STACK_DEFAULT_SIZE];                \
  iree_byte_span_t __stack_storage_span =                             \
      iree_make_byte_span(__stack_storage, sizeof(__stack_storage));  \
  iree_vm_stack_t* stack = NULL;                                      \
  IREE_IGNORE_ERROR(iree_vm_stack_initialize(                         \
      __stack_storage_span, (flags), (state_resolver), (allocator), &stack));

#define IREE_VM_STACK_ANNOTATE_BACKTRACE_IF_ENABLED(stack, base_status) \
  iree_vm_stack_annotate_backtrace(stack, base_status)

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_VM_STACK_H_
