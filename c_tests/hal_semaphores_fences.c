// HAL semaphores, fences and events through the C API: signal, query and
// wait with timeouts, failure waking waiters with its status, fences joined
// across semaphores, NULL arguments, and reference counting through both
// the exports and resource.h's inline helpers.
#include <pthread.h>
#include <stdint.h>

#include "harness.h"
#include "iree/hal/api.h"
#include "iree/hal/drivers/init.h"

static const int64_t kMs = 1000000;

// The local-sync device every test makes its semaphores and events for
// (created in main through a registry of its own).
static iree_hal_device_t* g_device = NULL;
#define DEVICE g_device

static iree_hal_semaphore_t* make_semaphore(uint64_t initial_value) {
  iree_hal_semaphore_t* semaphore = NULL;
  CHECK_OK(iree_hal_semaphore_create(DEVICE, initial_value, &semaphore));
  return semaphore;
}

static void test_semaphore_signal_query_wait(void) {
  iree_hal_semaphore_t* semaphore = make_semaphore(2);
  uint64_t value = 0;
  CHECK_OK(iree_hal_semaphore_query(semaphore, &value));
  CHECK(value == 2);
  CHECK_OK(iree_hal_semaphore_wait(semaphore, 2, iree_immediate_timeout()));
  CHECK_CODE(IREE_STATUS_DEADLINE_EXCEEDED,
             iree_hal_semaphore_wait(semaphore, 3, iree_immediate_timeout()));
  CHECK_CODE(IREE_STATUS_DEADLINE_EXCEEDED,
             iree_hal_semaphore_wait(semaphore, 3,
                                     iree_make_timeout_ns(2 * kMs)));
  CHECK_OK(iree_hal_semaphore_signal(semaphore, 5));
  CHECK_OK(iree_hal_semaphore_wait(semaphore, 3, iree_infinite_timeout()));
  CHECK_OK(iree_hal_semaphore_query(semaphore, &value));
  CHECK(value == 5);
  // The payload only moves forward.
  CHECK(status_matches(iree_hal_semaphore_signal(semaphore, 5),
                       IREE_STATUS_OUT_OF_RANGE, "monotonically"));
  // The inline helpers count the same references the exports do.
  iree_hal_resource_retain(semaphore);
  iree_hal_semaphore_retain(semaphore);
  iree_hal_resource_release(semaphore);
  iree_hal_semaphore_release(semaphore);
  CHECK_OK(iree_hal_semaphore_query(semaphore, &value));
  iree_hal_semaphore_release(semaphore);
  iree_hal_semaphore_retain(NULL);
  iree_hal_semaphore_release(NULL);
}

typedef struct {
  iree_hal_semaphore_t* semaphore;
  uint64_t value;
  iree_status_t result;
} waiter_t;

static void* wait_thread(void* arg) {
  waiter_t* waiter = (waiter_t*)arg;
  waiter->result = iree_hal_semaphore_wait(waiter->semaphore, waiter->value,
                                           iree_make_timeout_ms(30000));
  return NULL;
}

static void test_semaphore_wakes_waiters(void) {
  iree_hal_semaphore_t* semaphore = make_semaphore(0);
  waiter_t waiter = {semaphore, 4, iree_ok_status()};
  pthread_t thread;
  CHECK(pthread_create(&thread, NULL, wait_thread, &waiter) == 0);
  CHECK_OK(iree_hal_semaphore_signal(semaphore, 1));
  CHECK_OK(iree_hal_semaphore_signal(semaphore, 4));
  pthread_join(thread, NULL);
  CHECK_OK(waiter.result);
  iree_hal_semaphore_release(semaphore);
}

static void test_semaphore_failure(void) {
  iree_hal_semaphore_t* semaphore = make_semaphore(0);
  waiter_t waiter = {semaphore, 1, iree_ok_status()};
  pthread_t thread;
  CHECK(pthread_create(&thread, NULL, wait_thread, &waiter) == 0);
  iree_hal_semaphore_fail(
      semaphore, iree_make_status(IREE_STATUS_DATA_LOSS, "disk on fire"));
  pthread_join(thread, NULL);
  // The waiter wakes with ABORTED naming the failure.
  CHECK(status_matches(waiter.result, IREE_STATUS_ABORTED, "disk on fire"));
  // Query and signal return the failure itself, however late.
  uint64_t value = 0;
  CHECK(status_matches(iree_hal_semaphore_query(semaphore, &value),
                       IREE_STATUS_DATA_LOSS, "disk on fire"));
  CHECK(value == IREE_HAL_SEMAPHORE_FAILURE_VALUE);
  CHECK_CODE(IREE_STATUS_DATA_LOSS, iree_hal_semaphore_signal(semaphore, 9));
  CHECK(status_matches(
      iree_hal_semaphore_wait(semaphore, 1, iree_immediate_timeout()),
      IREE_STATUS_ABORTED, "disk on fire"));
  // A second failure is dropped (its status is still consumed).
  iree_hal_semaphore_fail(semaphore,
                          iree_make_status(IREE_STATUS_INTERNAL, "later"));
  CHECK_CODE(IREE_STATUS_DATA_LOSS, iree_hal_semaphore_query(semaphore, &value));
  iree_hal_semaphore_release(semaphore);
}

static void test_semaphore_null_arguments(void) {
  iree_hal_semaphore_t* semaphore = NULL;
  CHECK(status_matches(iree_hal_semaphore_create(NULL, 0, &semaphore),
                       IREE_STATUS_INVALID_ARGUMENT, "`device` is NULL"));
  CHECK(semaphore == NULL);
  CHECK(status_matches(iree_hal_semaphore_create(DEVICE, 0, NULL),
                       IREE_STATUS_INVALID_ARGUMENT, "`out_semaphore` is NULL"));
  uint64_t value = 0;
  CHECK(status_matches(iree_hal_semaphore_query(NULL, &value),
                       IREE_STATUS_INVALID_ARGUMENT, "`semaphore` is NULL"));
  semaphore = make_semaphore(0);
  CHECK(status_matches(iree_hal_semaphore_query(semaphore, NULL),
                       IREE_STATUS_INVALID_ARGUMENT, "`out_value` is NULL"));
  CHECK(status_matches(iree_hal_semaphore_signal(NULL, 1),
                       IREE_STATUS_INVALID_ARGUMENT, "`semaphore` is NULL"));
  CHECK(status_matches(
      iree_hal_semaphore_wait(NULL, 1, iree_immediate_timeout()),
      IREE_STATUS_INVALID_ARGUMENT, "`semaphore` is NULL"));
  // The status given to a NULL semaphore is still taken (no leak).
  iree_hal_semaphore_fail(NULL, iree_make_status(IREE_STATUS_INTERNAL, "x"));
  // A fence handle is not a semaphore.
  iree_hal_fence_t* fence = NULL;
  CHECK_OK(iree_hal_fence_create(1, iree_allocator_system(), &fence));
  CHECK(status_matches(
      iree_hal_semaphore_signal((iree_hal_semaphore_t*)fence, 1),
      IREE_STATUS_UNIMPLEMENTED, "not an iree_hal_semaphore_t"));
  iree_hal_fence_release(fence);
  iree_hal_semaphore_release(semaphore);
}

static void test_fence_join_and_wait(void) {
  iree_hal_semaphore_t* a = make_semaphore(0);
  iree_hal_semaphore_t* b = make_semaphore(10);
  iree_hal_fence_t* fa = NULL;
  iree_hal_fence_t* fb = NULL;
  CHECK_OK(iree_hal_fence_create_at(a, 2, iree_allocator_system(), &fa));
  CHECK_OK(iree_hal_fence_create(2, iree_allocator_system(), &fb));
  CHECK_OK(iree_hal_fence_insert(fb, b, 11));
  CHECK_OK(iree_hal_fence_insert(fb, a, 1));
  CHECK_OK(iree_hal_fence_insert(fb, a, 3));  // a keeps the larger value
  CHECK(iree_hal_fence_timepoint_count(fb) == 2);
  // A full fence takes no new semaphore.
  iree_hal_semaphore_t* c = make_semaphore(0);
  CHECK_CODE(IREE_STATUS_RESOURCE_EXHAUSTED, iree_hal_fence_insert(fb, c, 1));
  iree_hal_semaphore_release(c);

  iree_hal_fence_t* fences[3] = {fa, NULL, fb};
  iree_hal_fence_t* joined = NULL;
  CHECK_OK(iree_hal_fence_join(3, fences, iree_allocator_system(), &joined));
  CHECK(iree_hal_fence_timepoint_count(joined) == 2);
  // The fences keep their semaphores alive.
  iree_hal_semaphore_release(b);
  CHECK_CODE(IREE_STATUS_DEFERRED, iree_hal_fence_query(joined));
  CHECK_CODE(IREE_STATUS_DEADLINE_EXCEEDED,
             iree_hal_fence_wait(joined, iree_make_timeout_ns(kMs)));
  CHECK_OK(iree_hal_fence_signal(fa));
  CHECK_OK(iree_hal_fence_query(fa));
  CHECK_CODE(IREE_STATUS_DEFERRED, iree_hal_fence_query(joined));
  CHECK_OK(iree_hal_fence_signal(fb));  // b to 11, a to 3
  // Signalling again does not move the payloads forward.
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE, iree_hal_fence_signal(fb));
  CHECK_OK(iree_hal_fence_query(joined));
  CHECK_OK(iree_hal_fence_wait(joined, iree_immediate_timeout()));

  // extend copies timepoints; NULL fences are "no fencing".
  iree_hal_fence_t* extended = NULL;
  CHECK_OK(iree_hal_fence_create(4, iree_allocator_system(), &extended));
  CHECK_OK(iree_hal_fence_extend(extended, joined));
  CHECK_OK(iree_hal_fence_extend(extended, NULL));
  CHECK(iree_hal_fence_timepoint_count(extended) == 2);
  CHECK_OK(iree_hal_fence_query(NULL));
  CHECK_OK(iree_hal_fence_signal(NULL));
  CHECK_OK(iree_hal_fence_wait(NULL, iree_immediate_timeout()));
  CHECK(iree_hal_fence_timepoint_count(NULL) == 0);
  iree_hal_fence_fail(NULL, iree_make_status(IREE_STATUS_INTERNAL, "x"));
  CHECK(status_matches(iree_hal_fence_insert(NULL, a, 1),
                       IREE_STATUS_INVALID_ARGUMENT, "`fence` is NULL"));
  CHECK(status_matches(iree_hal_fence_insert(extended, NULL, 1),
                       IREE_STATUS_INVALID_ARGUMENT, "`semaphore` is NULL"));
  CHECK(status_matches(
      iree_hal_fence_create(1, iree_allocator_system(), NULL),
      IREE_STATUS_INVALID_ARGUMENT, "`out_fence` is NULL"));
  iree_hal_fence_release(joined);
  CHECK(status_matches(
      iree_hal_fence_join(1, NULL, iree_allocator_system(), &joined),
      IREE_STATUS_INVALID_ARGUMENT, "`fences` is NULL"));
  CHECK(joined == NULL);
  CHECK_CODE(IREE_STATUS_RESOURCE_EXHAUSTED,
             iree_hal_fence_create(70000, iree_allocator_system(), &joined));

  iree_hal_fence_release(extended);
  iree_hal_fence_release(fa);
  iree_hal_fence_release(fb);
  iree_hal_fence_release(NULL);
  iree_hal_semaphore_release(a);
}

typedef struct {
  iree_hal_fence_t* fence;
  iree_status_t result;
} fence_waiter_t;

static void* fence_wait_thread(void* arg) {
  fence_waiter_t* waiter = (fence_waiter_t*)arg;
  waiter->result =
      iree_hal_fence_wait(waiter->fence, iree_make_timeout_ms(30000));
  return NULL;
}

static void test_fence_wakes_and_fails(void) {
  iree_hal_semaphore_t* sems[4];
  iree_hal_fence_t* fence = NULL;
  CHECK_OK(iree_hal_fence_create(4, iree_allocator_system(), &fence));
  for (int i = 0; i < 4; ++i) {
    sems[i] = make_semaphore(0);
    CHECK_OK(iree_hal_fence_insert(fence, sems[i], 1));
  }
  fence_waiter_t waiter = {fence, iree_ok_status()};
  pthread_t thread;
  CHECK(pthread_create(&thread, NULL, fence_wait_thread, &waiter) == 0);
  for (int i = 0; i < 4; ++i) CHECK_OK(iree_hal_semaphore_signal(sems[i], 1));
  pthread_join(thread, NULL);
  CHECK_OK(waiter.result);

  // Failing a fence fails its semaphores and wakes waiters with ABORTED.
  iree_hal_fence_t* next = NULL;
  CHECK_OK(iree_hal_fence_create_at(sems[2], 2, iree_allocator_system(),
                                    &next));
  waiter.fence = next;
  CHECK(pthread_create(&thread, NULL, fence_wait_thread, &waiter) == 0);
  iree_hal_fence_fail(next,
                      iree_make_status(IREE_STATUS_CANCELLED, "stop now"));
  pthread_join(thread, NULL);
  CHECK(status_matches(waiter.result, IREE_STATUS_ABORTED, "stop now"));
  CHECK_CODE(IREE_STATUS_CANCELLED, iree_hal_fence_query(next));
  // The fence over every semaphore sees the failure too.
  CHECK_CODE(IREE_STATUS_CANCELLED, iree_hal_fence_query(fence));
  iree_hal_fence_release(next);
  iree_hal_fence_release(fence);
  for (int i = 0; i < 4; ++i) iree_hal_semaphore_release(sems[i]);
}

static void test_events(void) {
  iree_hal_event_t* event = NULL;
  CHECK_OK(iree_hal_event_create(DEVICE, &event));
  CHECK(event != NULL);
  iree_hal_event_retain(event);
  iree_hal_resource_release(event);
  iree_hal_event_release(event);
  CHECK(status_matches(iree_hal_event_create(NULL, &event),
                       IREE_STATUS_INVALID_ARGUMENT, "`device` is NULL"));
  CHECK(event == NULL);
  CHECK(status_matches(iree_hal_event_create(DEVICE, NULL),
                       IREE_STATUS_INVALID_ARGUMENT, "`out_event` is NULL"));
  iree_hal_event_release(NULL);
  // A handle that is not a device is refused, not read as one.
  iree_hal_fence_t* fence = NULL;
  CHECK_OK(iree_hal_fence_create(1, iree_allocator_system(), &fence));
  CHECK(status_matches(
      iree_hal_event_create((iree_hal_device_t*)fence, &event),
      IREE_STATUS_UNIMPLEMENTED, "not an iree_hal_device_t"));
  CHECK(event == NULL);
  iree_hal_fence_release(fence);
}

int main(void) {
  iree_hal_driver_registry_t* registry = NULL;
  CHECK_OK(iree_hal_driver_registry_allocate(iree_allocator_system(),
                                             &registry));
  CHECK_OK(iree_hal_register_all_available_drivers(registry));
  CHECK_OK(iree_hal_create_device(registry, iree_make_cstring_view("local-sync"),
                                  iree_allocator_system(), &g_device));
  if (!g_device) return harness_finish();
  test_semaphore_signal_query_wait();
  test_semaphore_wakes_waiters();
  test_semaphore_failure();
  test_semaphore_null_arguments();
  test_fence_join_and_wait();
  test_fence_wakes_and_fails();
  test_events();
  iree_hal_device_release(g_device);
  iree_hal_driver_registry_free(registry);
  return harness_finish();
}
