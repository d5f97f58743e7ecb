// Resource sets: keep HAL resources (of any type and implementation) alive
// until the work using them is done, retaining each distinct resource once.
//
// The struct's leading fields may be read: |mru| lists the most recently
// inserted resources, newest first (NULL past the end). Storage comes from
// the runtime's heap, so |chunk_head| is always NULL and |block_pool| is
// only recorded. Everything after |chunk_head| is private.
#ifndef IREE_HAL_UTILS_RESOURCE_SET_H_
#define IREE_HAL_UTILS_RESOURCE_SET_H_

#include <stdint.h>

#include "iree/base/api.h"
#include "iree/base/internal/arena.h"
#include "iree/generated/api.h"
#include "iree/hal/resource.h"

#ifdef __cplusplus
extern "C" {
#endif

#define IREE_HAL_RESOURCE_SET_CHUNK_FLAG_INLINE 0x1
#define IREE_HAL_RESOURCE_SET_CHUNK_MAX_CAPACITY 0xFFFFu

// Upstream's storage chunk; this runtime never makes one.
typedef struct iree_hal_resource_set_chunk_t {
  union {
    struct iree_hal_resource_set_chunk_t* next_chunk;
    uintptr_t flags;
  };
  uint16_t capacity;
  uint16_t count;
  iree_hal_resource_t* resources[];
} iree_hal_resource_set_chunk_t;

// How many recent resources |mru| holds (one cache line of pointers).
#define IREE_HAL_RESOURCE_SET_MRU_SIZE \
  (iree_hardware_constructive_interference_size / sizeof(uintptr_t))

struct iree_hal_resource_set_t {
  iree_hal_resource_t* mru[IREE_HAL_RESOURCE_SET_MRU_SIZE];
  iree_arena_block_pool_t* block_pool;
  iree_hal_resource_set_chunk_t* chunk_head;
  // Private runtime state follows; never allocate this struct yourself.
};

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_HAL_UTILS_RESOURCE_SET_H_
