// Tests of iree/base/internal/{atomics,synchronization,call_once}.h: atomic
// macros and ref counts, both mutex kinds, notifications (prepare/commit/
// cancel, await with timeouts) and call_once, with contention from threads.
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "iree/base/api.h"
#include "iree/base/internal/atomics.h"
#include "iree/base/internal/call_once.h"
#include "iree/base/internal/synchronization.h"
#include "iree/base/internal/threading.h"


static void test_atomics(void) {
  iree_atomic_int32_t i32 = IREE_ATOMIC_VAR_INIT(5);
  CHECK(iree_atomic_fetch_add_int32(&i32, 3, iree_memory_order_relaxed) == 5);
  CHECK(iree_atomic_fetch_sub_int32(&i32, 1, iree_memory_order_acq_rel) == 8);
  CHECK(iree_atomic_fetch_or_int32(&i32, 0x10, iree_memory_order_seq_cst) == 7);
  CHECK(iree_atomic_fetch_and_int32(&i32, 0x13, iree_memory_order_seq_cst) ==
        0x17);
  CHECK(iree_atomic_fetch_xor_int32(&i32, 0x1, iree_memory_order_seq_cst) ==
        0x13);
  CHECK(iree_atomic_exchange_int32(&i32, 42, iree_memory_order_seq_cst) ==
        0x12);
  int32_t expected = 41;
  CHECK(!iree_atomic_compare_exchange_strong_int32(
      &i32, &expected, 1, iree_memory_order_seq_cst,
      iree_memory_order_seq_cst));
  CHECK(expected == 42);
  while (!iree_atomic_compare_exchange_weak_int32(&i32, &expected, 1,
                                                  iree_memory_order_acq_rel,
                                                  iree_memory_order_acquire)) {
  }
  CHECK(iree_atomic_load_int32(&i32, iree_memory_order_acquire) == 1);

  iree_atomic_int64_t i64 = IREE_ATOMIC_VAR_INIT(0);
  iree_atomic_store_int64(&i64, INT64_C(1) << 40, iree_memory_order_release);
  CHECK(iree_atomic_fetch_add_int64(&i64, 1, iree_memory_order_relaxed) ==
        (INT64_C(1) << 40));
  iree_atomic_intptr_t ip = IREE_ATOMIC_VAR_INIT(0);
  intptr_t want = 0;
  CHECK(iree_atomic_compare_exchange_strong_intptr(
      &ip, &want, (intptr_t)&ip, iree_memory_order_seq_cst,
      iree_memory_order_seq_cst));
  CHECK(iree_atomic_load_intptr(&ip, iree_memory_order_seq_cst) ==
        (intptr_t)&ip);
  iree_atomic_uint32_t u32 = IREE_ATOMIC_VAR_INIT(0);
  CHECK(iree_atomic_fetch_sub_uint32(&u32, 1, iree_memory_order_relaxed) == 0);
  CHECK(iree_atomic_load_uint32(&u32, iree_memory_order_relaxed) ==
        UINT32_MAX);
  iree_atomic_thread_fence(iree_memory_order_seq_cst);

  iree_atomic_ref_count_t rc;
  iree_atomic_ref_count_init(&rc);
  iree_atomic_ref_count_inc(&rc);
  CHECK(iree_atomic_ref_count_dec(&rc) == 2);
  iree_atomic_ref_count_abort_if_uses(&rc);
  CHECK(iree_atomic_ref_count_dec(&rc) == 1);
  IREE_ASSERT_REF_COUNT_ZERO(&rc);
}

static void test_layouts(void) {
  CHECK(sizeof(iree_mutex_t) == 4);
  CHECK(sizeof(iree_slim_mutex_t) == 4);
  CHECK(sizeof(iree_notification_t) == 8);
  CHECK(sizeof(iree_once_flag) == 4);
  // A zero-filled slim mutex is usable without initialization.
  iree_slim_mutex_t zero;
  memset(&zero, 0, sizeof(zero));
  CHECK(iree_slim_mutex_try_lock(&zero));
  iree_slim_mutex_unlock(&zero);
  static iree_notification_t static_notification = IREE_NOTIFICATION_INIT;
  iree_notification_post(&static_notification, IREE_ALL_WAITERS);
}

static void test_mutexes(void) {
  iree_mutex_t mutex;
  iree_mutex_initialize(&mutex);
  CHECK(iree_mutex_try_lock(&mutex));
  CHECK(!iree_mutex_try_lock(&mutex));
  iree_mutex_unlock(&mutex);
  iree_mutex_lock(&mutex);
  iree_mutex_unlock(&mutex);
  iree_mutex_deinitialize(&mutex);

  iree_slim_mutex_t slim;
  iree_slim_mutex_initialize(&slim);
  CHECK(iree_slim_mutex_try_lock(&slim));
  CHECK(!iree_slim_mutex_try_lock(&slim));
  iree_slim_mutex_unlock(&slim);
  iree_slim_mutex_deinitialize(&slim);

  // NULL objects are ignored rather than crashing.
  iree_mutex_lock(NULL);
  CHECK(!iree_slim_mutex_try_lock(NULL));
}

static bool never(void* arg) {
  (void)arg;
  return false;
}

static void test_notification_timeouts(void) {
  iree_notification_t n;
  iree_notification_initialize(&n);
  iree_time_t start = iree_time_now();
  CHECK(!iree_notification_await(&n, never, NULL, iree_immediate_timeout()));
  CHECK((iree_time_now() - start) / 1000000 < 50);
  start = iree_time_now();
  CHECK(!iree_notification_await(&n, never, NULL, iree_make_timeout_ms(60)));
  CHECK((iree_time_now() - start) / 1000000 >= 50);

  // A post between prepare and commit makes the commit return at once.
  iree_wait_token_t token = iree_notification_prepare_wait(&n);
  iree_notification_post(&n, 1);
  CHECK(iree_notification_commit_wait(&n, token, IREE_TIME_INFINITE_FUTURE));
  // Without a post, commit reports the deadline.
  token = iree_notification_prepare_wait(&n);
  CHECK(!iree_notification_commit_wait(&n, token, iree_time_now() + 1000000));
  token = iree_notification_prepare_wait(&n);
  iree_notification_cancel_wait(&n);
  (void)token;
  CHECK(iree_atomic_load_int64(&n.value, iree_memory_order_seq_cst) >> 32 ==
        1);  // one post so far
  CHECK((uint32_t)iree_atomic_load_int64(&n.value,
                                         iree_memory_order_seq_cst) == 0);
  iree_notification_deinitialize(&n);
}

// Worker threads contend on both mutex kinds and then hand a counter around.
typedef struct {
  iree_mutex_t mutex;
  iree_slim_mutex_t slim;
  int guarded_a;
  int guarded_b;
  iree_atomic_int32_t done;
  iree_notification_t finished;
} shared_t;

enum { kWorkers = 4, kIterations = 20000 };

static int worker(void* arg) {
  shared_t* s = (shared_t*)arg;
  for (int i = 0; i < kIterations; ++i) {
    iree_mutex_lock(&s->mutex);
    ++s->guarded_a;
    iree_mutex_unlock(&s->mutex);
    iree_slim_mutex_lock(&s->slim);
    ++s->guarded_b;
    iree_slim_mutex_unlock(&s->slim);
  }
  iree_atomic_fetch_add_int32(&s->done, 1, iree_memory_order_acq_rel);
  iree_notification_post(&s->finished, IREE_ALL_WAITERS);
  return 0;
}

static bool all_done(void* arg) {
  shared_t* s = (shared_t*)arg;
  return iree_atomic_load_int32(&s->done, iree_memory_order_acquire) ==
         kWorkers;
}

static void test_contention(void) {
  shared_t s;
  memset(&s, 0, sizeof(s));
  iree_mutex_initialize(&s.mutex);
  iree_slim_mutex_initialize(&s.slim);
  iree_notification_initialize(&s.finished);
  iree_thread_t* threads[kWorkers] = {0};
  iree_thread_create_params_t params;
  memset(&params, 0, sizeof(params));
  for (int i = 0; i < kWorkers; ++i) {
    iree_status_t status = iree_thread_create(
        worker, &s, params, iree_allocator_system(), &threads[i]);
    CHECK(iree_status_is_ok(status));
  }
  CHECK(iree_notification_await(&s.finished, all_done, &s,
                                iree_make_timeout_ms(30000)));
  for (int i = 0; i < kWorkers; ++i) iree_thread_release(threads[i]);
  CHECK(s.guarded_a == kWorkers * kIterations);
  CHECK(s.guarded_b == kWorkers * kIterations);
  iree_notification_deinitialize(&s.finished);
  iree_slim_mutex_deinitialize(&s.slim);
  iree_mutex_deinitialize(&s.mutex);
}

static iree_once_flag once_flag = IREE_ONCE_FLAG_INIT;
static int once_runs = 0;
static void once_body(void) { ++once_runs; }
static int once_worker(void* arg) {
  (void)arg;
  iree_call_once(&once_flag, once_body);
  return 0;
}

static void test_call_once(void) {
  iree_thread_t* threads[4] = {0};
  iree_thread_create_params_t params;
  memset(&params, 0, sizeof(params));
  for (int i = 0; i < 4; ++i) {
    CHECK(iree_status_is_ok(iree_thread_create(
        once_worker, NULL, params, iree_allocator_system(), &threads[i])));
  }
  iree_call_once(&once_flag, once_body);
  for (int i = 0; i < 4; ++i) iree_thread_release(threads[i]);
  CHECK(once_runs == 1);
}

int main(void) {
  test_atomics();
  test_layouts();
  test_mutexes();
  test_notification_timeouts();
  test_contention();
  test_call_once();
  return harness_finish();
}
