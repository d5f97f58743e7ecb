// Exercises time, wait primitives/sources, events, wait sets, the event pool
// and the inline and sync loops through the C API.
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "iree/base/api.h"
#include "iree/base/internal/event_pool.h"
#include "iree/base/internal/wait_handle.h"
#include "iree/base/loop_sync.h"

static const int64_t kMs = 1000000;

//===----------------------------------------------------------------------===//
// Layouts
//===----------------------------------------------------------------------===//

static void test_layouts(void) {
  CHECK(sizeof(iree_timeout_t) == 16);
  CHECK(sizeof(iree_wait_primitive_value_t) == 8);
  CHECK(sizeof(iree_wait_primitive_t) == 16);
  CHECK(sizeof(iree_wait_handle_t) == 16);
  CHECK(offsetof(iree_wait_handle_t, type) == 4);
  CHECK(offsetof(iree_wait_handle_t, value) == 8);
  CHECK(sizeof(iree_wait_source_t) == 24);
  CHECK(offsetof(iree_wait_source_t, ctl) == 16);
  CHECK(sizeof(iree_loop_t) == 16);
  CHECK(sizeof(iree_loop_wait_one_params_t) == 48);
  CHECK(sizeof(iree_loop_wait_multi_params_t) == 40);
  CHECK(offsetof(iree_loop_inline_storage_t, status) == 512);
  CHECK(_Alignof(iree_loop_inline_storage_t) == 16);
}

//===----------------------------------------------------------------------===//
// Time
//===----------------------------------------------------------------------===//

static void test_time(void) {
  iree_time_t now = iree_time_now();
  CHECK(now > (iree_time_t)1577836800 * 1000000000);
  CHECK(iree_relative_timeout_to_deadline_ns(IREE_DURATION_ZERO) ==
        IREE_TIME_INFINITE_PAST);
  CHECK(iree_relative_timeout_to_deadline_ns(IREE_DURATION_INFINITE) ==
        IREE_TIME_INFINITE_FUTURE);
  CHECK(iree_relative_timeout_to_deadline_ns(10 * kMs) >= now + 10 * kMs);
  CHECK(iree_absolute_deadline_to_timeout_ns(IREE_TIME_INFINITE_PAST) == 0);
  CHECK(iree_absolute_deadline_to_timeout_ns(IREE_TIME_INFINITE_FUTURE) ==
        IREE_DURATION_INFINITE);
  CHECK(iree_absolute_deadline_to_timeout_ns(now - kMs) == 0);
  CHECK(iree_absolute_deadline_to_timeout_ms(IREE_TIME_INFINITE_PAST) == 0);
  CHECK(iree_absolute_deadline_to_timeout_ms(IREE_TIME_INFINITE_FUTURE) ==
        UINT32_MAX);
  CHECK(iree_absolute_deadline_to_timeout_ms(iree_time_now() + 1) <= 1);
  CHECK(iree_absolute_deadline_to_timeout_ms(iree_time_now() + 5000 * kMs) >=
        4990);

  CHECK(iree_timeout_is_immediate(iree_immediate_timeout()));
  CHECK(iree_timeout_is_immediate(iree_make_timeout_ns(0)));
  CHECK(!iree_timeout_is_immediate(iree_make_timeout_ms(1)));
  CHECK(iree_timeout_is_infinite(iree_infinite_timeout()));
  CHECK(iree_timeout_is_infinite(iree_make_timeout_ms(IREE_DURATION_INFINITE)));
  CHECK(iree_make_timeout_ms(3).nanos == 3 * kMs);
  CHECK(iree_make_deadline(42).type == IREE_TIMEOUT_ABSOLUTE);

  iree_timeout_t t = iree_make_timeout_ms(100);
  iree_convert_timeout_to_absolute(&t);
  CHECK(t.type == IREE_TIMEOUT_ABSOLUTE && t.nanos >= now + 100 * kMs);
  CHECK(iree_timeout_as_deadline_ns(iree_make_deadline(7)) == 7);
  CHECK(iree_timeout_min(iree_infinite_timeout(), iree_make_deadline(9)).nanos ==
        9);

  CHECK(!iree_wait_until(IREE_TIME_INFINITE_FUTURE));
  CHECK(iree_wait_until(IREE_TIME_INFINITE_PAST));
  iree_time_t start = iree_time_now();
  CHECK(iree_wait_until(start + 15 * kMs));
  CHECK(iree_time_now() - start >= 15 * kMs);
}

//===----------------------------------------------------------------------===//
// Wait sources
//===----------------------------------------------------------------------===//

static void test_wait_sources(void) {
  iree_status_code_t code = IREE_STATUS_DATA_LOSS;

  // Immediate sources are resolved and export to nothing.
  iree_wait_source_t immediate = iree_wait_source_immediate();
  CHECK(iree_wait_source_is_immediate(immediate));
  CHECK_OK(iree_wait_source_query(immediate, &code));
  CHECK(code == IREE_STATUS_OK);
  CHECK_OK(iree_wait_source_wait_one(immediate, iree_immediate_timeout()));
  iree_wait_primitive_t primitive = iree_wait_primitive_immediate();
  CHECK_OK(iree_wait_source_export(immediate, IREE_WAIT_PRIMITIVE_TYPE_ANY,
                                   iree_immediate_timeout(), &primitive));
  CHECK(iree_wait_primitive_is_immediate(primitive));

  // Delays resolve at their deadline and cannot be exported.
  iree_wait_source_t past = iree_wait_source_delay(IREE_TIME_INFINITE_PAST);
  CHECK(iree_wait_source_is_delay(past));
  CHECK_OK(iree_wait_source_query(past, &code));
  CHECK(code == IREE_STATUS_OK);
  iree_wait_source_t later = iree_wait_source_delay(iree_time_now() + 60000 * kMs);
  CHECK_OK(iree_wait_source_query(later, &code));
  CHECK(code == IREE_STATUS_DEFERRED);
  CHECK_CODE(IREE_STATUS_DEADLINE_EXCEEDED,
             iree_wait_source_wait_one(later, iree_make_timeout_ms(1)));
  CHECK_CODE(IREE_STATUS_UNIMPLEMENTED,
             iree_wait_source_export(later, IREE_WAIT_PRIMITIVE_TYPE_ANY,
                                     iree_immediate_timeout(), &primitive));
  iree_time_t start = iree_time_now();
  CHECK_OK(iree_wait_source_wait_one(iree_wait_source_delay(start + 5 * kMs),
                                     iree_infinite_timeout()));
  CHECK(iree_time_now() >= start + 5 * kMs);

  // NULL outputs are rejected.
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_wait_source_query(immediate, NULL));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_wait_source_export(immediate, IREE_WAIT_PRIMITIVE_TYPE_ANY,
                                     iree_immediate_timeout(), NULL));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_wait_source_import(primitive, NULL));

  // Import/export round trip of an event's eventfd.
  iree_event_t event;
  CHECK_OK(iree_event_initialize(false, &event));
  iree_wait_primitive_t event_primitive =
      iree_make_wait_primitive(event.type, event.value);
  iree_wait_source_t imported;
  CHECK_OK(iree_wait_source_import(event_primitive, &imported));
  CHECK(iree_wait_handle_from_source(&imported) != NULL);
  CHECK_OK(iree_wait_source_query(imported, &code));
  CHECK(code == IREE_STATUS_DEFERRED);
  iree_event_set(&event);
  CHECK_OK(iree_wait_source_query(imported, &code));
  CHECK(code == IREE_STATUS_OK);
  CHECK_OK(iree_wait_source_export(imported, IREE_WAIT_PRIMITIVE_TYPE_ANY,
                                   iree_immediate_timeout(), &primitive));
  CHECK(primitive.type == IREE_WAIT_PRIMITIVE_TYPE_EVENT_FD);
  CHECK(primitive.value.event.fd == event.value.event.fd);
  CHECK_CODE(IREE_STATUS_UNAVAILABLE,
             iree_wait_source_export(imported, IREE_WAIT_PRIMITIVE_TYPE_PIPE,
                                     iree_immediate_timeout(), &primitive));
  iree_event_deinitialize(&event);
  CHECK(event.type == IREE_WAIT_PRIMITIVE_TYPE_NONE);

  // Importing an immediate primitive gives an immediate source.
  CHECK_OK(iree_wait_source_import(iree_wait_primitive_immediate(), &imported));
  CHECK(iree_wait_source_is_immediate(imported));
}

//===----------------------------------------------------------------------===//
// Events, primitives and wait sets
//===----------------------------------------------------------------------===//

typedef struct {
  iree_event_t* event;
  int delay_ms;
} setter_args_t;

static void* setter_main(void* arg) {
  setter_args_t* args = (setter_args_t*)arg;
  iree_wait_until(iree_time_now() + (iree_time_t)args->delay_ms * kMs);
  iree_event_set(args->event);
  return NULL;
}

static void test_events_and_sets(void) {
  iree_event_t unset, set;
  CHECK_OK(iree_event_initialize(false, &unset));
  CHECK_OK(iree_event_initialize(true, &set));
  CHECK(unset.type == IREE_WAIT_PRIMITIVE_TYPE_EVENT_FD);
  CHECK_CODE(IREE_STATUS_DEADLINE_EXCEEDED,
             iree_wait_one(&unset, IREE_TIME_INFINITE_PAST));
  CHECK_OK(iree_wait_one(&set, IREE_TIME_INFINITE_PAST));
  iree_event_reset(&set);
  CHECK_CODE(IREE_STATUS_DEADLINE_EXCEEDED,
             iree_wait_one(&set, iree_time_now() + kMs));
  iree_event_set(&set);
  iree_event_set(&set);
  CHECK_OK(iree_wait_one(&set, IREE_TIME_INFINITE_FUTURE));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_wait_one(NULL, IREE_TIME_INFINITE_PAST));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT, iree_event_initialize(false, NULL));
  iree_event_set(NULL);    // ignored
  iree_event_reset(NULL);  // ignored

  // A caller-made pipe wrapped as a handle.
  int fds[2];
  CHECK(pipe(fds) == 0);
  iree_wait_primitive_value_t pipe_value;
  memset(&pipe_value, 0, sizeof(pipe_value));
  pipe_value.pipe.read_fd = fds[0];
  pipe_value.pipe.write_fd = fds[1];
  iree_wait_handle_t pipe_handle;
  iree_wait_handle_wrap_primitive(IREE_WAIT_PRIMITIVE_TYPE_PIPE, pipe_value,
                                  &pipe_handle);
  CHECK(pipe_handle.type == IREE_WAIT_PRIMITIVE_TYPE_PIPE);
  CHECK_CODE(IREE_STATUS_DEADLINE_EXCEEDED,
             iree_wait_one(&pipe_handle, IREE_TIME_INFINITE_PAST));
  CHECK(write(fds[1], "x", 1) == 1);
  CHECK_OK(iree_wait_one(&pipe_handle, IREE_TIME_INFINITE_PAST));
  iree_event_reset(&pipe_handle);  // drains the byte through the handle
  CHECK_CODE(IREE_STATUS_DEADLINE_EXCEEDED,
             iree_wait_one(&pipe_handle, IREE_TIME_INFINITE_PAST));

  // Wrapped immediate handles are always resolved.
  iree_wait_handle_t none;
  iree_wait_primitive_value_t zero;
  memset(&zero, 0, sizeof(zero));
  iree_wait_handle_wrap_primitive(IREE_WAIT_PRIMITIVE_TYPE_NONE, zero, &none);
  CHECK(iree_wait_handle_is_immediate(none));
  CHECK_OK(iree_wait_one(&none, IREE_TIME_INFINITE_PAST));

  // Wait sets.
  iree_wait_set_t* wait_set = NULL;
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_wait_set_allocate(1 << 20, iree_allocator_system(), &wait_set));
  CHECK(wait_set == NULL);
  CHECK_OK(iree_wait_set_allocate(3, iree_allocator_system(), &wait_set));
  CHECK(iree_wait_set_is_empty(wait_set));
  iree_wait_handle_t wake;
  CHECK_OK(iree_wait_any(wait_set, IREE_TIME_INFINITE_PAST, &wake));
  CHECK(iree_wait_handle_is_immediate(wake));
  CHECK_OK(iree_wait_all(wait_set, IREE_TIME_INFINITE_PAST));
  CHECK_OK(iree_wait_set_insert(wait_set, unset));
  CHECK_OK(iree_wait_set_insert(wait_set, pipe_handle));
  CHECK_OK(iree_wait_set_insert(wait_set, set));
  CHECK(!iree_wait_set_is_empty(wait_set));
  CHECK_CODE(IREE_STATUS_RESOURCE_EXHAUSTED,
             iree_wait_set_insert(wait_set, set));
  CHECK_OK(iree_wait_any(wait_set, IREE_TIME_INFINITE_PAST, &wake));
  CHECK(wake.type == set.type && wake.value.event.fd == set.value.event.fd);
  CHECK_CODE(IREE_STATUS_DEADLINE_EXCEEDED,
             iree_wait_all(wait_set, iree_time_now() + kMs));
  iree_wait_set_erase(wait_set, wake);
  CHECK_CODE(IREE_STATUS_DEADLINE_EXCEEDED,
             iree_wait_any(wait_set, IREE_TIME_INFINITE_PAST, &wake));
  CHECK(iree_wait_handle_is_immediate(wake));

  // A wait-any woken by another thread through the pipe's partner event.
  pthread_t thread;
  setter_args_t args = {&unset, 20};
  pthread_create(&thread, NULL, setter_main, &args);
  CHECK_OK(iree_wait_any(wait_set, iree_time_now() + 10000 * kMs, &wake));
  CHECK(wake.value.event.fd == unset.value.event.fd);
  pthread_join(thread, NULL);
  CHECK(write(fds[1], "y", 1) == 1);
  CHECK_OK(iree_wait_all(wait_set, iree_time_now() + 10000 * kMs));
  iree_wait_set_clear(wait_set);
  CHECK(iree_wait_set_is_empty(wait_set));
  iree_wait_set_free(wait_set);
  iree_wait_set_free(NULL);

  // NULL sets are rejected or ignored, never crash.
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT, iree_wait_set_insert(NULL, set));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_wait_all(NULL, IREE_TIME_INFINITE_PAST));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_wait_any(NULL, IREE_TIME_INFINITE_PAST, &wake));
  iree_wait_set_erase(NULL, set);
  iree_wait_set_clear(NULL);

  iree_wait_handle_close(&pipe_handle);
  CHECK(iree_wait_handle_is_immediate(pipe_handle));
  iree_event_deinitialize(&unset);
  iree_event_deinitialize(&set);
}

static void test_event_pool(void) {
  iree_event_pool_t* pool = NULL;
  CHECK_OK(iree_event_pool_allocate(2, iree_allocator_system(), &pool));
  iree_event_t events[3];
  CHECK_OK(iree_event_pool_acquire(pool, 3, events));
  for (int i = 0; i < 3; ++i) {
    CHECK_CODE(IREE_STATUS_DEADLINE_EXCEEDED,
               iree_wait_one(&events[i], IREE_TIME_INFINITE_PAST));
    iree_event_set(&events[i]);
  }
  iree_event_pool_release(pool, 3, events);
  iree_event_t again;
  CHECK_OK(iree_event_pool_acquire(pool, 1, &again));
  CHECK_CODE(IREE_STATUS_DEADLINE_EXCEEDED,
             iree_wait_one(&again, IREE_TIME_INFINITE_PAST));
  iree_event_pool_release(pool, 1, &again);
  CHECK_OK(iree_event_pool_acquire(pool, 0, NULL));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_event_pool_acquire(NULL, 1, &again));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_event_pool_allocate(1, iree_allocator_system(), NULL));
  iree_event_pool_free(pool);
  iree_event_pool_free(NULL);
}

//===----------------------------------------------------------------------===//
// Loops
//===----------------------------------------------------------------------===//

typedef struct {
  int calls;
  int workgroups;
  int remaining;
  iree_status_code_t last_code;
} counters_t;

static iree_status_t count_call(void* user_data, iree_loop_t loop,
                                iree_status_t status) {
  counters_t* c = (counters_t*)user_data;
  ++c->calls;
  c->last_code = iree_status_code(status);
  iree_status_ignore(status);
  return iree_ok_status();
}

static iree_status_t chain_call(void* user_data, iree_loop_t loop,
                                iree_status_t status) {
  counters_t* c = (counters_t*)user_data;
  ++c->calls;
  iree_status_ignore(status);
  if (--c->remaining > 0) {
    return iree_loop_call(loop, IREE_LOOP_PRIORITY_DEFAULT, chain_call, c);
  }
  return iree_ok_status();
}

static iree_status_t failing_call(void* user_data, iree_loop_t loop,
                                  iree_status_t status) {
  counters_t* c = (counters_t*)user_data;
  ++c->calls;
  iree_status_ignore(status);
  return iree_make_status(IREE_STATUS_DATA_LOSS, "callback failed");
}

static iree_status_t count_workgroup(void* user_data, iree_loop_t loop,
                                     uint32_t x, uint32_t y, uint32_t z) {
  counters_t* c = (counters_t*)user_data;
  ++c->workgroups;
  return (x == 2 && y == 1 && c->remaining < 0)
             ? iree_make_status(IREE_STATUS_OUT_OF_RANGE, "bad workgroup")
             : iree_ok_status();
}

// Runs every loop command against |loop|; |drain| runs queued work.
static void exercise_loop(iree_loop_t loop, iree_status_t* loop_status) {
  counters_t c;
  const uint32_t grid[3] = {4, 2, 1};

  memset(&c, 0, sizeof(c));
  CHECK_OK(iree_loop_call(loop, IREE_LOOP_PRIORITY_DEFAULT, count_call, &c));
  CHECK_OK(iree_loop_drain(loop, iree_infinite_timeout()));
  CHECK(c.calls == 1 && c.last_code == IREE_STATUS_OK);

  memset(&c, 0, sizeof(c));
  c.remaining = 500;
  CHECK_OK(iree_loop_call(loop, IREE_LOOP_PRIORITY_DEFAULT, chain_call, &c));
  CHECK_OK(iree_loop_drain(loop, iree_infinite_timeout()));
  CHECK(c.calls == 500);

  memset(&c, 0, sizeof(c));
  CHECK_OK(iree_loop_dispatch(loop, grid, count_workgroup, count_call, &c));
  CHECK_OK(iree_loop_drain(loop, iree_infinite_timeout()));
  CHECK(c.workgroups == 8 && c.calls == 1 && c.last_code == IREE_STATUS_OK);

  memset(&c, 0, sizeof(c));
  c.remaining = -1;  // makes workgroup (2,1,0) fail
  CHECK_OK(iree_loop_dispatch(loop, grid, count_workgroup, count_call, &c));
  CHECK_OK(iree_loop_drain(loop, iree_infinite_timeout()));
  CHECK(c.workgroups == 7 && c.last_code == IREE_STATUS_OUT_OF_RANGE);

  memset(&c, 0, sizeof(c));
  iree_time_t start = iree_time_now();
  CHECK_OK(iree_loop_wait_until(loop, iree_make_timeout_ms(20), count_call, &c));
  CHECK_OK(iree_loop_drain(loop, iree_infinite_timeout()));
  CHECK(c.calls == 1 && c.last_code == IREE_STATUS_OK);
  CHECK(iree_time_now() - start >= 15 * kMs);

  iree_event_t unset, set;
  CHECK_OK(iree_event_initialize(false, &unset));
  CHECK_OK(iree_event_initialize(true, &set));
  iree_wait_source_t sources[3] = {iree_event_await(&unset),
                                   iree_event_await(&set),
                                   iree_wait_source_immediate()};

  memset(&c, 0, sizeof(c));
  CHECK_OK(iree_loop_wait_one(loop, sources[0], iree_make_timeout_ms(5),
                              count_call, &c));
  CHECK_OK(iree_loop_wait_one(loop, sources[1], iree_make_timeout_ms(5),
                              count_call, &c));
  CHECK_OK(iree_loop_drain(loop, iree_infinite_timeout()));
  CHECK(c.calls == 2);

  memset(&c, 0, sizeof(c));
  CHECK_OK(iree_loop_wait_any(loop, 2, sources, iree_make_timeout_ms(50),
                              count_call, &c));
  CHECK_OK(iree_loop_drain(loop, iree_infinite_timeout()));
  CHECK(c.calls == 1 && c.last_code == IREE_STATUS_OK);

  memset(&c, 0, sizeof(c));
  CHECK_OK(iree_loop_wait_all(loop, 3, sources, iree_make_timeout_ms(5),
                              count_call, &c));
  CHECK_OK(iree_loop_drain(loop, iree_infinite_timeout()));
  CHECK(c.calls == 1 && c.last_code == IREE_STATUS_DEADLINE_EXCEEDED);

  // Wait-all woken from another thread.
  memset(&c, 0, sizeof(c));
  pthread_t thread;
  setter_args_t args = {&unset, 20};
  pthread_create(&thread, NULL, setter_main, &args);
  CHECK_OK(iree_loop_wait_all(loop, 3, sources, iree_make_timeout_ms(10000),
                              count_call, &c));
  CHECK_OK(iree_loop_drain(loop, iree_infinite_timeout()));
  pthread_join(thread, NULL);
  CHECK(c.calls == 1 && c.last_code == IREE_STATUS_OK);

  // A delay as a wait source and zero-source waits.
  memset(&c, 0, sizeof(c));
  iree_wait_source_t delay = iree_wait_source_delay(iree_time_now() + 5 * kMs);
  CHECK_OK(iree_loop_wait_one(loop, delay, iree_make_timeout_ms(10000),
                              count_call, &c));
  CHECK_OK(iree_loop_wait_any(loop, 0, NULL, iree_immediate_timeout(),
                              count_call, &c));
  CHECK_OK(iree_loop_drain(loop, iree_infinite_timeout()));
  CHECK(c.calls == 2 && c.last_code == IREE_STATUS_OK);

  // Bad arguments.
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_loop_call(loop, IREE_LOOP_PRIORITY_DEFAULT, NULL, NULL));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_loop_dispatch(loop, NULL, count_workgroup, count_call, &c));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_loop_wait_any(loop, 2, NULL, iree_immediate_timeout(),
                                count_call, &c));

  // A failing callback records the error and aborts pending work.
  memset(&c, 0, sizeof(c));
  counters_t aborted;
  memset(&aborted, 0, sizeof(aborted));
  CHECK(iree_status_is_ok(*loop_status));
  CHECK_OK(iree_loop_call(loop, IREE_LOOP_PRIORITY_DEFAULT, failing_call, &c));
  CHECK_OK(iree_loop_wait_until(loop, iree_make_timeout_ms(60000), count_call,
                                &aborted));
  CHECK_OK(iree_loop_drain(loop, iree_infinite_timeout()));
  CHECK(c.calls == 1);
  CHECK(iree_status_code(*loop_status) == IREE_STATUS_DATA_LOSS);
  iree_status_ignore(*loop_status);
  *loop_status = iree_ok_status();
  // The sync loop aborts the queued wait; the failed inline loop aborts it
  // as soon as it is issued.
  CHECK(aborted.calls == 1);

  iree_event_deinitialize(&unset);
  iree_event_deinitialize(&set);
}

static void record_error(void* user_data, iree_status_t status) {
  iree_status_t* slot = (iree_status_t*)user_data;
  if (iree_status_is_ok(*slot)) {
    *slot = status;
  } else {
    iree_status_ignore(status);
  }
}

static void test_loops(void) {
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_loop_call(iree_loop_null(), IREE_LOOP_PRIORITY_DEFAULT,
                            count_call, NULL));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_loop_drain(iree_loop_null(), iree_immediate_timeout()));

  // Inline loop, status on the stack.
  iree_status_t inline_status = iree_ok_status();
  exercise_loop(iree_loop_inline(&inline_status), &inline_status);
  iree_status_ignore(inline_status);

  // Inline loop with caller storage.
  iree_loop_inline_storage_t storage;
  iree_loop_t storage_loop = iree_loop_inline_initialize(&storage);
  exercise_loop(storage_loop, &storage.status);
  iree_loop_inline_deinitialize(&storage);

  // Sync loop with a scope.
  iree_loop_sync_options_t options = {64, 16};
  iree_loop_sync_t* loop_sync = NULL;
  CHECK_OK(iree_loop_sync_allocate(options, iree_allocator_system(), &loop_sync));
  iree_status_t sync_status = iree_ok_status();
  iree_loop_sync_scope_t scope;
  iree_loop_sync_scope_initialize(loop_sync, record_error, &sync_status, &scope);
  exercise_loop(iree_loop_sync_scope(&scope), &sync_status);
  CHECK(scope.pending_count == 0);

  // Queued work runs only when drained; wait_idle drains everything.
  counters_t c;
  memset(&c, 0, sizeof(c));
  iree_loop_t loop = iree_loop_sync_scope(&scope);
  CHECK_OK(iree_loop_call(loop, IREE_LOOP_PRIORITY_DEFAULT, count_call, &c));
  CHECK(c.calls == 0 && scope.pending_count == 1);
  CHECK_OK(iree_loop_sync_wait_idle(loop_sync, iree_infinite_timeout()));
  CHECK(c.calls == 1 && scope.pending_count == 0);

  // The run queue is bounded.
  memset(&c, 0, sizeof(c));
  iree_status_t status = iree_ok_status();
  int queued = 0;
  while (iree_status_is_ok(status) && queued < 1000) {
    status = iree_loop_call(loop, IREE_LOOP_PRIORITY_DEFAULT, count_call, &c);
    if (iree_status_is_ok(status)) ++queued;
  }
  CHECK(queued == 63);
  CHECK_CODE(IREE_STATUS_RESOURCE_EXHAUSTED, status);
  CHECK_OK(iree_loop_drain(loop, iree_infinite_timeout()));
  CHECK(c.calls == 63);

  // Waits still pending at an expired drain deadline report it.
  iree_event_t never;
  CHECK_OK(iree_event_initialize(false, &never));
  memset(&c, 0, sizeof(c));
  CHECK_OK(iree_loop_wait_one(loop, iree_event_await(&never),
                              iree_infinite_timeout(), count_call, &c));
  CHECK_CODE(IREE_STATUS_DEADLINE_EXCEEDED,
             iree_loop_drain(loop, iree_make_timeout_ms(5)));
  CHECK(c.calls == 0);
  // Deinitializing the scope aborts its work.
  iree_loop_sync_scope_deinitialize(&scope);
  CHECK(c.calls == 1 && c.last_code == IREE_STATUS_ABORTED);
  CHECK(scope.pending_count == 0);

  // Freeing the loop aborts work from every scope.
  iree_loop_sync_scope_t scope2;
  iree_loop_sync_scope_initialize(loop_sync, NULL, NULL, &scope2);
  memset(&c, 0, sizeof(c));
  CHECK_OK(iree_loop_call(iree_loop_sync_scope(&scope2),
                          IREE_LOOP_PRIORITY_DEFAULT, count_call, &c));
  CHECK_OK(iree_loop_wait_one(iree_loop_sync_scope(&scope2),
                              iree_event_await(&never), iree_infinite_timeout(),
                              count_call, &c));
  iree_loop_sync_free(loop_sync);
  CHECK(c.calls == 2 && c.last_code == IREE_STATUS_ABORTED);
  iree_event_deinitialize(&never);
  iree_status_ignore(sync_status);

  // Bad options and NULLs.
  iree_loop_sync_options_t huge = {1 << 20, 4};
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_loop_sync_allocate(huge, iree_allocator_system(), &loop_sync));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_loop_sync_allocate(options, iree_allocator_system(), NULL));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_loop_sync_wait_idle(NULL, iree_immediate_timeout()));
  iree_loop_sync_free(NULL);
}

int main(void) {
  test_layouts();
  test_time();
  test_wait_sources();
  test_events_and_sets();
  test_event_pool();
  test_loops();
  return harness_finish();
}
