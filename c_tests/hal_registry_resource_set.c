// The HAL driver registry (C factories, enumeration, creation by id and
// name, NULL arguments) and resource sets (retaining C-implemented
// resources once, the visible MRU, reset, freeze).
#include <stdint.h>
#include <stdlib.h>

#include "harness.h"
#include "iree/base/internal/arena.h"
#include "iree/hal/api.h"
#include "iree/hal/utils/resource_set.h"

//===----------------------------------------------------------------------===//
// A resource implemented in C
//===----------------------------------------------------------------------===//

typedef struct {
  iree_hal_resource_t resource;
  uint32_t index;
  uint32_t* live_bitmap;
} test_resource_t;

static void test_resource_destroy(iree_hal_resource_t* resource) {
  test_resource_t* self = (test_resource_t*)resource;
  *self->live_bitmap &= ~(1u << self->index);
  free(self);
}

static const iree_hal_resource_vtable_t test_resource_vtable = {
    test_resource_destroy,
};

static iree_hal_resource_t* test_resource_create(uint32_t index,
                                                 uint32_t* live_bitmap) {
  test_resource_t* self = (test_resource_t*)calloc(1, sizeof(*self));
  iree_hal_resource_initialize(&test_resource_vtable, &self->resource);
  self->index = index;
  self->live_bitmap = live_bitmap;
  *live_bitmap |= 1u << index;
  return &self->resource;
}

//===----------------------------------------------------------------------===//
// Driver registry
//===----------------------------------------------------------------------===//

typedef struct {
  iree_hal_driver_info_t infos[2];
  int create_calls;
  uint32_t live_bitmap;
} factory_state_t;

static iree_status_t factory_enumerate(
    void* self, const iree_hal_driver_info_t** out_driver_infos,
    iree_host_size_t* out_driver_info_count) {
  factory_state_t* state = (factory_state_t*)self;
  *out_driver_infos = state->infos;
  *out_driver_info_count = 2;
  return iree_ok_status();
}

// Hands out C-implemented objects, which this runtime refuses as drivers.
static iree_status_t factory_try_create(void* self,
                                        iree_hal_driver_id_t driver_id,
                                        iree_allocator_t allocator,
                                        iree_hal_driver_t** out_driver) {
  (void)allocator;
  factory_state_t* state = (factory_state_t*)self;
  ++state->create_calls;
  if (driver_id == 22) {
    return iree_make_status(IREE_STATUS_UNAVAILABLE, "no hardware");
  }
  *out_driver =
      (iree_hal_driver_t*)test_resource_create(0, &state->live_bitmap);
  return iree_ok_status();
}

static void test_registry(void) {
  iree_hal_driver_registry_t* registry = NULL;
  CHECK_OK(iree_hal_driver_registry_allocate(iree_allocator_system(),
                                             &registry));
  factory_state_t state = {
      .infos = {{11, iree_make_cstring_view("c-driver"),
                 iree_make_cstring_view("A C driver")},
                {22, iree_make_cstring_view("missing"),
                 iree_make_cstring_view("Needs hardware")}},
  };
  iree_hal_driver_factory_t factory = {&state, factory_enumerate,
                                       factory_try_create};
  CHECK_OK(iree_hal_driver_registry_register_factory(registry, &factory));
  CHECK_CODE(IREE_STATUS_ALREADY_EXISTS,
             iree_hal_driver_registry_register_factory(registry, &factory));

  iree_hal_driver_info_t* infos = NULL;
  iree_host_size_t count = 0;
  CHECK_OK(iree_hal_driver_registry_enumerate(
      registry, iree_allocator_system(), &infos, &count));
  CHECK(count == 2);
  if (count == 2) {
    CHECK(infos[0].driver_id == 11);
    CHECK(view_is(infos[0].driver_name, "c-driver"));
    CHECK(view_is(infos[0].full_name, "A C driver"));
    CHECK(infos[1].driver_id == 22);
    CHECK(view_is(infos[1].driver_name, "missing"));
  }
  iree_allocator_free(iree_allocator_system(), infos);

  iree_hal_driver_t* driver = NULL;
  // The factory's own failure comes back as it is.
  CHECK(status_matches(iree_hal_driver_registry_try_create_by_name(
                           registry, iree_make_cstring_view("missing"),
                           iree_allocator_system(), &driver),
                       IREE_STATUS_UNAVAILABLE, "no hardware"));
  // A C-implemented driver is refused, and its reference released.
  CHECK(status_matches(
      iree_hal_driver_registry_try_create(registry, 11,
                                          iree_allocator_system(), &driver),
      IREE_STATUS_UNIMPLEMENTED, "implemented in C"));
  CHECK(driver == NULL);
  CHECK(state.live_bitmap == 0);
  CHECK(status_matches(iree_hal_driver_registry_try_create_by_name(
                           registry, iree_make_cstring_view("vulkan"),
                           iree_allocator_system(), &driver),
                       IREE_STATUS_NOT_FOUND, "vulkan"));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_driver_registry_try_create(
                 registry, IREE_HAL_DRIVER_ID_INVALID,
                 iree_allocator_system(), &driver));
  CHECK(state.create_calls == 2);

  // NULL arguments are named.
  CHECK(status_matches(
      iree_hal_driver_registry_register_factory(NULL, &factory),
      IREE_STATUS_INVALID_ARGUMENT, "`registry` is NULL"));
  CHECK(status_matches(
      iree_hal_driver_registry_register_factory(registry, NULL),
      IREE_STATUS_INVALID_ARGUMENT, "`factory` is NULL"));
  iree_hal_driver_factory_t incomplete = {&state, NULL, factory_try_create};
  CHECK(status_matches(
      iree_hal_driver_registry_register_factory(registry, &incomplete),
      IREE_STATUS_INVALID_ARGUMENT, "`factory->enumerate` is NULL"));
  CHECK(status_matches(
      iree_hal_driver_registry_enumerate(registry, iree_allocator_system(),
                                         NULL, &count),
      IREE_STATUS_INVALID_ARGUMENT, "`out_driver_infos` is NULL"));
  CHECK(status_matches(
      iree_hal_driver_registry_enumerate(registry, iree_allocator_system(),
                                         &infos, NULL),
      IREE_STATUS_INVALID_ARGUMENT, "`out_driver_info_count` is NULL"));
  CHECK(status_matches(
      iree_hal_driver_registry_try_create(registry, 11,
                                          iree_allocator_system(), NULL),
      IREE_STATUS_INVALID_ARGUMENT, "`out_driver` is NULL"));
  CHECK(status_matches(iree_hal_driver_registry_try_create_by_name(
                           NULL, iree_make_cstring_view("x"),
                           iree_allocator_system(), &driver),
                       IREE_STATUS_INVALID_ARGUMENT, "`registry` is NULL"));
  CHECK(status_matches(
      iree_hal_driver_registry_allocate(iree_allocator_system(), NULL),
      IREE_STATUS_INVALID_ARGUMENT, "`out_registry` is NULL"));
  CHECK(status_matches(
      iree_hal_driver_registry_unregister_factory(registry, NULL),
      IREE_STATUS_INVALID_ARGUMENT, "`factory` is NULL"));

  CHECK_OK(iree_hal_driver_registry_unregister_factory(registry, &factory));
  CHECK_CODE(IREE_STATUS_NOT_FOUND,
             iree_hal_driver_registry_unregister_factory(registry, &factory));
  CHECK_OK(iree_hal_driver_registry_enumerate(
      registry, iree_allocator_system(), &infos, &count));
  CHECK(count == 0 && infos == NULL);
  iree_hal_driver_registry_free(registry);
  iree_hal_driver_registry_free(NULL);

  // The default registry is one object and is never freed.
  iree_hal_driver_registry_t* global = iree_hal_driver_registry_default();
  CHECK(global != NULL && global == iree_hal_driver_registry_default());
  iree_hal_driver_registry_free(global);
  CHECK(iree_hal_driver_registry_default() == global);
  iree_hal_driver_release(NULL);
}

//===----------------------------------------------------------------------===//
// Resource sets
//===----------------------------------------------------------------------===//

static void test_resource_set(void) {
  iree_arena_block_pool_t block_pool;
  iree_arena_block_pool_initialize(128, iree_allocator_system(), &block_pool);
  iree_hal_resource_set_t* set = NULL;
  CHECK_OK(iree_hal_resource_set_allocate(&block_pool, &set));
  CHECK(IREE_HAL_RESOURCE_SET_MRU_SIZE == 8);

  uint32_t live_bitmap = 0;
  iree_hal_resource_t* resources[32];
  for (uint32_t i = 0; i < 32; ++i) {
    resources[i] = test_resource_create(i, &live_bitmap);
  }
  CHECK(live_bitmap == 0xFFFFFFFFu);
  CHECK_OK(iree_hal_resource_set_insert(set, 32, resources));
  CHECK(set->mru[0] == resources[31] && set->mru[7] == resources[24]);
  // Inserting again retains nothing more but moves it to the front.
  CHECK_OK(iree_hal_resource_set_insert(set, 1, &resources[3]));
  CHECK(set->mru[0] == resources[3] && set->mru[1] == resources[31]);
  CHECK(resources[3]->ref_count == 2);
  // A runtime object mixes with C ones; NULL entries are skipped.
  iree_hal_fence_t* fence = NULL;
  CHECK_OK(iree_hal_fence_create(1, iree_allocator_system(), &fence));
  void* mixed[2] = {fence, NULL};
  CHECK_OK(iree_hal_resource_set_insert(set, 2, mixed));
  CHECK(set->mru[0] == (iree_hal_resource_t*)fence);
  iree_hal_fence_release(fence);
  CHECK_OK(iree_hal_resource_set_insert(set, 0, NULL));
  CHECK(status_matches(iree_hal_resource_set_insert(set, 1, NULL),
                       IREE_STATUS_INVALID_ARGUMENT, "`resources` is NULL"));
  CHECK(status_matches(iree_hal_resource_set_insert(NULL, 1, resources),
                       IREE_STATUS_INVALID_ARGUMENT, "`set` is NULL"));

  // The set keeps them alive after the creators let go.
  for (uint32_t i = 0; i < 32; ++i) iree_hal_resource_release(resources[i]);
  CHECK(live_bitmap == 0xFFFFFFFFu);

  // Frozen sets take nothing new.
  iree_hal_resource_set_freeze(set);
  uint32_t other_bitmap = 0;
  iree_hal_resource_t* late = test_resource_create(0, &other_bitmap);
  CHECK_CODE(IREE_STATUS_FAILED_PRECONDITION,
             iree_hal_resource_set_insert(set, 1, &late));
  iree_hal_resource_set_reset(set);
  CHECK(live_bitmap == 0);
  CHECK(set->mru[0] == NULL);
  CHECK_OK(iree_hal_resource_set_insert(set, 1, &late));
  iree_hal_resource_release(late);
  CHECK(other_bitmap == 1);
  iree_hal_resource_set_free(set);
  CHECK(other_bitmap == 0);
  iree_hal_resource_set_free(NULL);

  CHECK(status_matches(iree_hal_resource_set_allocate(NULL, &set),
                       IREE_STATUS_INVALID_ARGUMENT, "`block_pool` is NULL"));
  CHECK(status_matches(iree_hal_resource_set_allocate(&block_pool, NULL),
                       IREE_STATUS_INVALID_ARGUMENT, "`out_set` is NULL"));
  iree_arena_block_pool_deinitialize(&block_pool);
}

int main(void) {
  test_registry();
  test_resource_set();
  return harness_finish();
}
