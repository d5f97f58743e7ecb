// Tests of iree/base/internal/threading.h (and the override list from
// threading_impl.h): named threads, suspended creation and resume, priority
// overrides, affinity requests and join-on-release.
#define _GNU_SOURCE 1  // nanosleep under -std=c11
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "iree/base/api.h"
#include "iree/base/internal/atomics.h"
#include "iree/base/internal/synchronization.h"
#include "iree/base/internal/threading.h"
#include "iree/base/internal/threading_impl.h"


typedef struct {
  iree_atomic_int32_t value;
  iree_notification_t changed;
} entry_data_t;

static int increment_entry(void* arg) {
  entry_data_t* data = (entry_data_t*)arg;
  iree_atomic_fetch_add_int32(&data->value, 1, iree_memory_order_acq_rel);
  iree_notification_post(&data->changed, IREE_ALL_WAITERS);
  return 0;
}

static bool value_is_one(void* arg) {
  entry_data_t* data = (entry_data_t*)arg;
  return iree_atomic_load_int32(&data->value, iree_memory_order_acquire) == 1;
}

static void sleep_ms(int ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&ts, NULL);
}

static void test_lifetime(void) {
  entry_data_t data;
  iree_atomic_store_int32(&data.value, 0, iree_memory_order_relaxed);
  iree_notification_initialize(&data.changed);
  iree_thread_create_params_t params;
  memset(&params, 0, sizeof(params));
  params.name = iree_make_cstring_view("c-test-thread-with-a-long-name");
  params.priority_class = IREE_THREAD_PRIORITY_CLASS_LOW;
  iree_thread_affinity_set_any(&params.initial_affinity);
  iree_thread_t* thread = NULL;
  CHECK(iree_status_is_ok(iree_thread_create(
      increment_entry, &data, params, iree_allocator_system(), &thread)));
  CHECK(thread != NULL);
  CHECK(iree_thread_id(thread) != 0);
  CHECK(iree_notification_await(&data.changed, value_is_one, &data,
                                iree_make_timeout_ms(10000)));
  iree_thread_retain(thread);
  iree_thread_release(thread);
  iree_thread_release(thread);
  iree_notification_deinitialize(&data.changed);
}

static void test_suspended(void) {
  entry_data_t data;
  iree_atomic_store_int32(&data.value, 0, iree_memory_order_relaxed);
  iree_notification_initialize(&data.changed);
  iree_thread_create_params_t params;
  memset(&params, 0, sizeof(params));
  params.create_suspended = true;
  params.stack_size = 256 * 1024;
  params.initial_affinity.specified = 1;
  params.initial_affinity.id = 0;
  iree_thread_t* thread = NULL;
  CHECK(iree_status_is_ok(iree_thread_create(
      increment_entry, &data, params, iree_allocator_system(), &thread)));
  sleep_ms(50);
  CHECK(iree_atomic_load_int32(&data.value, iree_memory_order_seq_cst) == 0);
  iree_thread_resume(thread);
  iree_thread_resume(thread);  // no effect the second time
  CHECK(iree_notification_await(&data.changed, value_is_one, &data,
                                iree_make_timeout_ms(10000)));
  iree_thread_release(thread);
  iree_notification_deinitialize(&data.changed);
}

static void test_release_joins_suspended(void) {
  // Releasing a never-resumed thread runs it to completion and joins it, so
  // the data on this frame is safe to reuse right after.
  entry_data_t data;
  iree_atomic_store_int32(&data.value, 0, iree_memory_order_relaxed);
  iree_notification_initialize(&data.changed);
  iree_thread_create_params_t params;
  memset(&params, 0, sizeof(params));
  params.create_suspended = true;
  iree_thread_t* thread = NULL;
  CHECK(iree_status_is_ok(iree_thread_create(
      increment_entry, &data, params, iree_allocator_system(), &thread)));
  iree_thread_release(thread);
  CHECK(iree_atomic_load_int32(&data.value, iree_memory_order_seq_cst) == 1);
  iree_notification_deinitialize(&data.changed);
}

static void test_overrides(void) {
  entry_data_t data;
  iree_atomic_store_int32(&data.value, 0, iree_memory_order_relaxed);
  iree_notification_initialize(&data.changed);
  iree_thread_create_params_t params;
  memset(&params, 0, sizeof(params));
  iree_thread_t* thread = NULL;
  CHECK(iree_status_is_ok(iree_thread_create(
      increment_entry, &data, params, iree_allocator_system(), &thread)));
  iree_thread_override_t* a = iree_thread_priority_class_override_begin(
      thread, IREE_THREAD_PRIORITY_CLASS_HIGH);
  iree_thread_override_t* b = iree_thread_priority_class_override_begin(
      thread, IREE_THREAD_PRIORITY_CLASS_LOWEST);
  CHECK(a != NULL && b != NULL);
  iree_thread_affinity_t affinity;
  iree_thread_affinity_set_any(&affinity);
  affinity.specified = 1;
  affinity.smt = 1;
  iree_thread_request_affinity(thread, affinity);
  affinity.id = 8000000;  // beyond any CPU set: ignored
  iree_thread_request_affinity(thread, affinity);
  CHECK(iree_notification_await(&data.changed, value_is_one, &data,
                                iree_infinite_timeout()));
  iree_thread_override_end(a);
  iree_thread_override_end(b);
  iree_thread_override_end(NULL);
  iree_thread_release(thread);
  iree_notification_deinitialize(&data.changed);
  CHECK(iree_thread_priority_class_override_begin(
            NULL, IREE_THREAD_PRIORITY_CLASS_HIGH) == NULL);
}

static iree_thread_priority_class_t applied = IREE_THREAD_PRIORITY_CLASS_NORMAL;
static int apply_calls = 0;
static void apply_priority(iree_thread_t* thread,
                           iree_thread_priority_class_t priority_class) {
  (void)thread;
  applied = priority_class;
  ++apply_calls;
}

static void test_override_list(void) {
  iree_thread_override_list_t list;
  iree_thread_t* fake = (iree_thread_t*)0x1234;
  iree_thread_override_list_initialize(apply_priority,
                                       IREE_THREAD_PRIORITY_CLASS_NORMAL,
                                       iree_allocator_system(), &list);
  iree_thread_override_t* low = iree_thread_override_list_add(
      &list, fake, IREE_THREAD_PRIORITY_CLASS_LOW);
  CHECK(apply_calls == 0);  // below base: nothing changes
  iree_thread_override_t* high = iree_thread_override_list_add(
      &list, fake, IREE_THREAD_PRIORITY_CLASS_HIGH);
  CHECK(applied == IREE_THREAD_PRIORITY_CLASS_HIGH);
  iree_thread_override_t* highest = iree_thread_override_list_add(
      &list, fake, IREE_THREAD_PRIORITY_CLASS_HIGHEST);
  CHECK(applied == IREE_THREAD_PRIORITY_CLASS_HIGHEST);
  iree_thread_override_remove_self(high);
  CHECK(applied == IREE_THREAD_PRIORITY_CLASS_HIGHEST);
  iree_thread_override_remove_self(highest);
  CHECK(applied == IREE_THREAD_PRIORITY_CLASS_NORMAL);
  iree_thread_override_remove_self(low);
  CHECK(apply_calls == 3);
  iree_thread_override_list_deinitialize(&list);
}

static void test_bad_arguments(void) {
  iree_thread_create_params_t params;
  memset(&params, 0, sizeof(params));
  iree_thread_t* thread = (iree_thread_t*)1;
  iree_status_t status =
      iree_thread_create(NULL, NULL, params, iree_allocator_system(), &thread);
  CHECK(iree_status_code(status) == IREE_STATUS_INVALID_ARGUMENT);
  iree_status_ignore(status);
  CHECK(thread == NULL);
  status = iree_thread_create(increment_entry, NULL, params,
                              iree_allocator_system(), NULL);
  CHECK(iree_status_code(status) == IREE_STATUS_INVALID_ARGUMENT);
  iree_status_ignore(status);
  iree_thread_release(NULL);
  iree_thread_resume(NULL);
  CHECK(iree_thread_id(NULL) == 0);

  char buffer[8];
  CHECK(iree_strncpy_s(buffer, sizeof(buffer), "abcdef", 3) == 0);
  CHECK(strcmp(buffer, "abc") == 0);
  CHECK(iree_strncpy_s(buffer, sizeof(buffer), "0123456789", 100) != 0);
  CHECK(iree_strncpy_s(NULL, 4, "x", 1) != 0);
}

int main(void) {
  test_lifetime();
  test_suspended();
  test_release_joins_suspended();
  test_overrides();
  test_override_list();
  test_bad_arguments();
  return harness_finish();
}
