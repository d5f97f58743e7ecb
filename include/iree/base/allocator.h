// Byte spans and iree_allocator_t, the allocation interface every API that
// allocates host memory takes.
#ifndef IREE_BASE_ALLOCATOR_H_
#define IREE_BASE_ALLOCATOR_H_

#include <memory.h>
#include <stdint.h>
#include <string.h>

#include "iree/base/alignment.h"
#include "iree/base/attributes.h"
#include "iree/base/config.h"
#include "iree/base/status.h"
#include "iree/base/target_platform.h"

#ifdef __cplusplus
extern "C" {
#endif

// Number of elements of a true array (not a pointer).
#define IREE_ARRAYSIZE(arr) (sizeof(arr) / sizeof((arr)[0]))

#define iree_min(lhs, rhs) ((lhs) <= (rhs) ? (lhs) : (rhs))
#define iree_max(lhs, rhs) ((lhs) <= (rhs) ? (rhs) : (lhs))

// Keeps |expr| only in builds with statistics enabled.
#if IREE_STATISTICS_ENABLE
#define IREE_STATISTICS(expr) expr
#else
#define IREE_STATISTICS(expr)
#endif

// ---- Byte spans -----------------------------------------------------------------

static inline iree_byte_span_t iree_make_byte_span(
    void* data, iree_host_size_t data_length) {
  iree_byte_span_t span = {(uint8_t*)data, data_length};
  return span;
}

static inline iree_byte_span_t iree_byte_span_empty(void) {
  iree_byte_span_t span = {NULL, 0};
  return span;
}

static inline bool iree_byte_span_is_empty(iree_byte_span_t span) {
  return span.data == NULL || span.data_length == 0;
}

static inline iree_const_byte_span_t iree_make_const_byte_span(
    const void* data, iree_host_size_t data_length) {
  iree_const_byte_span_t span = {(const uint8_t*)data, data_length};
  return span;
}

static inline iree_const_byte_span_t iree_const_byte_span_empty(void) {
  iree_const_byte_span_t span = {NULL, 0};
  return span;
}

static inline bool iree_const_byte_span_is_empty(iree_const_byte_span_t span) {
  return span.data == NULL || span.data_length == 0;
}

// ---- Stack allocation -------------------------------------------------------------

#if defined(IREE_COMPILER_MSVC)
#include <malloc.h>
#define iree_alloca(sz) _alloca(sz)
#else
#include <alloca.h>
#define iree_alloca(sz) alloca(sz)
#endif

// ---- iree_allocator_t ---------------------------------------------------------------
// The types are in iree/abi/base_types.h; the functions
//   iree_allocator_malloc (zeroed), iree_allocator_malloc_uninitialized,
//   iree_allocator_realloc, iree_allocator_clone, iree_allocator_free,
//   iree_allocator_system_ctl, iree_allocator_malloc_aligned,
//   iree_allocator_realloc_aligned, iree_allocator_free_aligned
// in iree/generated/api.h.

// The process heap (malloc/calloc/realloc/free).
static inline iree_allocator_t iree_allocator_system(void) {
  iree_allocator_t allocator = {NULL, iree_allocator_system_ctl};
  return allocator;
}

// An allocator that refuses to allocate and ignores frees: for memory owned
// elsewhere (constants, caller buffers).
static inline iree_allocator_t iree_allocator_null(void) {
  iree_allocator_t allocator = {NULL, NULL};
  return allocator;
}

static inline bool iree_allocator_is_null(iree_allocator_t allocator) {
  return allocator.ctl == NULL;
}

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_ALLOCATOR_H_
