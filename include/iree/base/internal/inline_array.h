// Scratch arrays that live on the stack when small and on the heap otherwise.
//
//   iree_inline_array(int, values, count, allocator);
//   ... iree_inline_array_at(values, i) ...
//   iree_inline_array_deinitialize(values);
#ifndef IREE_BASE_INTERNAL_INLINE_ARRAY_H_
#define IREE_BASE_INTERNAL_INLINE_ARRAY_H_

#include "iree/base/api.h"

#ifdef __cplusplus
extern "C" {
#endif

// Arrays larger than this many bytes go to the heap.
#define IREE_INLINE_ARRAY_MAX_STACK_ALLOCATION 512

#define iree_inline_array(type, variable, initial_size, allocator)          \
  const iree_allocator_t variable##_allocator = (allocator);                \
  struct {                                                                  \
    iree_host_size_t size;                                                  \
    type* data;                                                             \
  } variable = {(initial_size), NULL};                                      \
  if (IREE_UNLIKELY(sizeof(type) * (initial_size) >                         \
                    IREE_INLINE_ARRAY_MAX_STACK_ALLOCATION)) {              \
    IREE_CHECK_OK(iree_allocator_malloc(variable##_allocator,               \
                                        sizeof(type) * (initial_size),      \
                                        (void**)&(variable).data));         \
  } else {                                                                  \
    (variable).data = (type*)iree_alloca(sizeof(type) * (initial_size));    \
  }

#define iree_inline_array_deinitialize(variable)                   \
  if (IREE_UNLIKELY(sizeof(*(variable).data) * (variable).size >   \
                    IREE_INLINE_ARRAY_MAX_STACK_ALLOCATION)) {     \
    iree_allocator_free(variable##_allocator, (variable).data);    \
  }

#define iree_inline_array_size(variable) (variable).size
#define iree_inline_array_capacity(variable) (variable).capacity
#define iree_inline_array_data(variable) (variable).data
#define iree_inline_array_at(variable, index) &(variable).data[(index)]

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_INTERNAL_INLINE_ARRAY_H_
