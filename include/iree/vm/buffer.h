// vm.buffer: a ref-counted byte buffer. Writes need
// IREE_VM_BUFFER_ACCESS_MUTABLE; every access is bounds checked.
#ifndef IREE_VM_BUFFER_H_
#define IREE_VM_BUFFER_H_

#include <stdbool.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/vm/ref.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

// Public so buffers can be embedded and set up with
// iree_vm_buffer_initialize; |allocator| frees |data| on deinitialize.
struct iree_vm_buffer_t {
  iree_vm_ref_object_t ref_object;
  iree_vm_buffer_access_t access;
  iree_byte_span_t data;
  iree_allocator_t allocator;
};

// The buffer contents as a string view (empty for NULL).
static inline iree_string_view_t iree_vm_buffer_as_string(
    const iree_vm_buffer_t* value) {
  if (!value) return iree_string_view_empty();
  return iree_make_string_view((const char*)value->data.data,
                               value->data.data_length);
}

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

IREE_VM_DECLARE_TYPE_ADAPTERS(iree_vm_buffer, iree_vm_buffer_t);

#endif  // IREE_VM_BUFFER_H_
