// Fixed-size block pools and bump-pointer arenas on top of them.
//
// A block pool hands out blocks of one size, keeping released blocks for
// reuse; it is thread-safe. An arena carves allocations out of pool blocks
// and frees them all at once on reset; each arena belongs to one thread at a
// time, while many arenas may share a pool.

#ifndef IREE_BASE_INTERNAL_ARENA_H_
#define IREE_BASE_INTERNAL_ARENA_H_

#include <stddef.h>

#include "iree/base/api.h"
#include "iree/base/internal/atomic_slist.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

// Footer in the last bytes of every block: the link used while the block is
// free in its pool or held by an arena. Keeping it at the end leaves the
// block's first byte at the (aligned) start of its allocation.
struct iree_arena_block_t {
  struct iree_arena_block_t* next;
};

// Free-block list of a pool.
IREE_TYPED_ATOMIC_SLIST_WRAPPER(iree_atomic_arena_block, iree_arena_block_t,
                                offsetof(iree_arena_block_t, next))

struct iree_arena_block_pool_t {
  // Bytes per block allocation, footer included.
  iree_host_size_t total_block_size;
  // Bytes per block available to users (total minus the footer).
  iree_host_size_t usable_block_size;
  // Where blocks come from and go back to on trim.
  iree_allocator_t block_allocator;
  // Blocks not currently acquired.
  iree_atomic_arena_block_slist_t available_slist;
};

// Header of an allocation too large for a block, made directly from the
// pool's allocator and freed on reset.
typedef struct iree_arena_oversized_allocation_t {
  struct iree_arena_oversized_allocation_t* next;
} iree_arena_oversized_allocation_t;

struct iree_arena_allocator_t {
  // Pool supplying blocks (and whose allocator serves oversized requests).
  iree_arena_block_pool_t* block_pool;
  // Bytes taken from the pool/allocator; used/total is the utilization.
  iree_host_size_t total_allocation_size;
  // Bytes handed out to callers (after alignment padding).
  iree_host_size_t used_allocation_size;
  // Oversized allocations, freed on reset.
  iree_arena_oversized_allocation_t* allocation_head;
  // Blocks held by the arena, newest first, returned to the pool on reset.
  iree_arena_block_t* block_head;
  iree_arena_block_t* block_tail;
  // Free bytes left in |block_head|.
  iree_host_size_t block_bytes_remaining;
};

// Declared by the generated header:
//   void iree_arena_block_pool_initialize(iree_host_size_t total_block_size,
//                                         iree_allocator_t block_allocator,
//                                         iree_arena_block_pool_t* out_pool);
//   // Every acquired block must have been released first.
//   void iree_arena_block_pool_deinitialize(iree_arena_block_pool_t* pool);
//   // Frees the blocks currently in the pool.
//   void iree_arena_block_pool_trim(iree_arena_block_pool_t* pool);
//   iree_status_t iree_arena_block_pool_acquire(iree_arena_block_pool_t* pool,
//                                               iree_arena_block_t** out);
//   // Returns a chain of blocks linked through |next| (tail may be NULL).
//   void iree_arena_block_pool_release(iree_arena_block_pool_t* pool,
//                                      iree_arena_block_t* block_head,
//                                      iree_arena_block_t* block_tail);
//   void iree_arena_initialize(iree_arena_block_pool_t* block_pool,
//                              iree_arena_allocator_t* out_arena);
//   void iree_arena_deinitialize(iree_arena_allocator_t* arena);
//   void iree_arena_reset(iree_arena_allocator_t* arena);
//   // Undefined contents, aligned to 16 bytes.
//   iree_status_t iree_arena_allocate(iree_arena_allocator_t* arena,
//                                     iree_host_size_t byte_length,
//                                     void** out_ptr);
//   // Allocates from |arena|; frees are ignored (reset frees everything).
//   iree_allocator_t iree_arena_allocator(iree_arena_allocator_t* arena);

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_BASE_INTERNAL_ARENA_H_
