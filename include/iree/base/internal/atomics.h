// Placeholder: replaced by the threading helper.
#ifndef IREE_BASE_INTERNAL_ATOMICS_H_
#define IREE_BASE_INTERNAL_ATOMICS_H_
#include <stdint.h>
typedef int32_t iree_atomic_int32_t;
typedef uint32_t iree_atomic_uint32_t;
typedef int64_t iree_atomic_int64_t;
typedef uint64_t iree_atomic_uint64_t;
typedef intptr_t iree_atomic_intptr_t;
typedef uintptr_t iree_atomic_uintptr_t;
#endif  // IREE_BASE_INTERNAL_ATOMICS_H_
