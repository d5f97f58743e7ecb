// iree_hal_resource_t: the header at offset 0 of every HAL object.
//
// Every HAL handle (iree_hal_semaphore_t*, iree_hal_buffer_t*, ...) points
// at one of these, so generic code can count references and reach the
// object's vtable without knowing its type. This runtime's objects keep C's
// references in this count; the object itself lives until C's last
// reference and the runtime's own uses are gone. The vtables of this
// runtime's objects hold only `destroy`: call the typed exports
// (iree_hal_semaphore_signal, ...) rather than dispatching through them.
// Objects implemented in C (a vtable of your own) may be retained and
// released here but are not accepted by the runtime's exports.
#ifndef IREE_HAL_RESOURCE_H_
#define IREE_HAL_RESOURCE_H_

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/base/internal/atomics.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct iree_hal_resource_t {
  // References held through this header; `vtable->destroy` runs when the
  // last one is released.
  iree_atomic_ref_count_t ref_count;
  // Points at a table whose first member is iree_hal_resource_vtable_t.
  // Compare it only to tell implementations apart.
  const void* vtable;
} iree_hal_resource_t;

// The leading member every HAL vtable shares.
typedef struct iree_hal_resource_vtable_t {
  // Frees the resource once its count reached zero; the pointer is dead
  // afterwards.
  void(IREE_API_PTR* destroy)(iree_hal_resource_t* resource);
} iree_hal_resource_vtable_t;

// Checks at compile time that a typed vtable begins with `destroy`.
#define IREE_HAL_ASSERT_VTABLE_LAYOUT(vtable_type)   \
  static_assert(offsetof(vtable_type, destroy) == 0, \
                "iree_hal_resource_vtable_t must be at offset 0")

// Sets up the header of a resource implemented in C: one reference, owned
// by the creator.
static inline void iree_hal_resource_initialize(
    const void* vtable, iree_hal_resource_t* out_resource) {
  iree_atomic_ref_count_init(&out_resource->ref_count);
  out_resource->vtable = vtable;
}

// Adds a reference to any HAL resource; the caller must already hold one.
// NULL is ignored.
static inline void iree_hal_resource_retain(const void* any_resource) {
  iree_hal_resource_t* resource = (iree_hal_resource_t*)any_resource;
  if (resource) iree_atomic_ref_count_inc(&resource->ref_count);
}

// Drops a reference to any HAL resource, destroying it through its vtable
// when it was the last. NULL is ignored. The typed *_release functions do
// the same with type checking.
static inline void iree_hal_resource_release(const void* any_resource) {
  iree_hal_resource_t* resource = (iree_hal_resource_t*)any_resource;
  if (resource && iree_atomic_ref_count_dec(&resource->ref_count) == 1) {
    ((const iree_hal_resource_vtable_t*)resource->vtable)->destroy(resource);
  }
}

// Whether |resource| uses |vtable|. A NULL resource never matches.
static inline bool iree_hal_resource_is(const void* resource,
                                        const void* vtable) {
  if (!resource) return false;
  return ((const iree_hal_resource_t*)resource)->vtable == vtable;
}

// Debug-only check that |resource| uses |vtable|.
#define IREE_HAL_ASSERT_TYPE(resource, vtable)             \
  IREE_ASSERT_TRUE(iree_hal_resource_is(resource, vtable), \
                   "type does not match expected " #vtable)

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_HAL_RESOURCE_H_
