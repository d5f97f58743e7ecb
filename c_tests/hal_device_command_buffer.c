// The local-sync device from C through the public headers only: drivers
// registered and the device created by name, buffers from its allocator,
// command buffers recording fill / update / copy with barriers, submitted
// through both queue_submit (batches) and queue_execute (with a binding
// table for a reusable command buffer), semaphores ordering and reporting
// the work, and the statuses of bad arguments and bad recording.
#include <stdint.h>

#include "harness.h"
#include "iree/hal/api.h"
#include "iree/hal/drivers/init.h"

static iree_hal_device_t* g_device = NULL;

// Whether |status| is an error; consumes it.
static bool fails(iree_status_t status) {
  bool failed = !iree_status_is_ok(status);
  iree_status_ignore(status);
  return failed;
}

// A buffer the device can run transfers on and the host can map.
static iree_hal_buffer_t* make_buffer(iree_device_size_t size) {
  iree_hal_buffer_params_t params = {0};
  params.type =
      IREE_HAL_MEMORY_TYPE_DEVICE_LOCAL | IREE_HAL_MEMORY_TYPE_HOST_VISIBLE;
  params.usage = IREE_HAL_BUFFER_USAGE_TRANSFER |
                 IREE_HAL_BUFFER_USAGE_DISPATCH | IREE_HAL_BUFFER_USAGE_MAPPING;
  iree_hal_buffer_params_canonicalize(&params);
  iree_hal_buffer_t* buffer = NULL;
  CHECK_OK(iree_hal_allocator_allocate_buffer(
      iree_hal_device_allocator(g_device), params, size,
      iree_const_byte_span_empty(), &buffer));
  return buffer;
}

static iree_hal_semaphore_t* make_semaphore(uint64_t initial_value) {
  iree_hal_semaphore_t* semaphore = NULL;
  CHECK_OK(iree_hal_semaphore_create(g_device, initial_value, &semaphore));
  return semaphore;
}

static iree_hal_semaphore_list_t one_timepoint(iree_hal_semaphore_t** semaphore,
                                               uint64_t* value) {
  iree_hal_semaphore_list_t list = {1, semaphore, value};
  return list;
}

static iree_hal_semaphore_list_t no_timepoints(void) {
  iree_hal_semaphore_list_t list = {0, NULL, NULL};
  return list;
}

static iree_hal_buffer_binding_table_t no_bindings(void) {
  iree_hal_buffer_binding_table_t table = {0, NULL};
  return table;
}

static iree_status_t full_barrier(iree_hal_command_buffer_t* command_buffer) {
  return iree_hal_command_buffer_execution_barrier(
      command_buffer, IREE_HAL_EXECUTION_STAGE_TRANSFER,
      IREE_HAL_EXECUTION_STAGE_TRANSFER, IREE_HAL_EXECUTION_BARRIER_FLAG_NONE,
      0, NULL, 0, NULL);
}

static void test_device_basics(void) {
  iree_string_view_t id = iree_hal_device_id(g_device);
  CHECK(iree_string_view_equal(id, iree_make_cstring_view("local-sync")));
  CHECK(iree_hal_device_allocator(g_device) != NULL);
  CHECK(iree_hal_device_allocator(NULL) == NULL);
  // An unknown driver name is NOT_FOUND and leaves no device behind.
  iree_hal_driver_registry_t* registry = NULL;
  CHECK_OK(iree_hal_driver_registry_allocate(iree_allocator_system(),
                                             &registry));
  CHECK_OK(iree_hal_register_all_available_drivers(registry));
  iree_hal_device_t* device = NULL;
  CHECK_CODE(IREE_STATUS_NOT_FOUND,
             iree_hal_create_device(registry,
                                    iree_make_cstring_view("no-such-driver"),
                                    iree_allocator_system(), &device));
  CHECK(device == NULL);
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_create_device(registry,
                                    iree_make_cstring_view("local-sync"),
                                    iree_allocator_system(), NULL));
  // The URI form names the same device.
  CHECK_OK(iree_hal_create_device(registry,
                                  iree_make_cstring_view("local-sync://"),
                                  iree_allocator_system(), &device));
  CHECK(device != NULL);
  iree_hal_device_release(device);

  // Through the driver: local-sync takes no device params, and says which.
  iree_hal_driver_t* driver = NULL;
  CHECK_OK(iree_hal_driver_registry_try_create_by_name(
      registry, iree_make_cstring_view("local-sync"), iree_allocator_system(),
      &driver));
  iree_string_pair_t params[1] = {iree_make_cstring_pair("threads", "4")};
  CHECK(iree_string_view_equal(params[0].key, params[0].first));
  CHECK(iree_string_view_equal(params[0].value, iree_make_cstring_view("4")));
  CHECK(status_matches(iree_hal_driver_create_device_by_id(
                           driver, 0, 1, params, iree_allocator_system(),
                           &device),
                       IREE_STATUS_INVALID_ARGUMENT, "threads"));
  CHECK(device == NULL);
  CHECK_OK(iree_hal_driver_create_device_by_path(
      driver, iree_make_cstring_view("local-sync"), iree_string_view_empty(),
      0, NULL, iree_allocator_system(), &device));
  CHECK(device != NULL);
  iree_hal_device_release(device);
  iree_hal_driver_release(driver);
  iree_hal_driver_registry_free(registry);
}

// fill, update and copy separated by barriers, submitted as one batch that
// signals a semaphore; the host reads the result after waiting.
static void test_fill_update_copy_submit(void) {
  iree_hal_buffer_t* a = make_buffer(32);
  iree_hal_buffer_t* b = make_buffer(32);
  iree_hal_command_buffer_t* command_buffer = NULL;
  CHECK_OK(iree_hal_command_buffer_create(
      g_device, IREE_HAL_COMMAND_BUFFER_MODE_ONE_SHOT,
      IREE_HAL_COMMAND_CATEGORY_TRANSFER, IREE_HAL_QUEUE_AFFINITY_ANY,
      &command_buffer));
  if (!command_buffer) return;
  CHECK(iree_hal_command_buffer_mode(command_buffer) ==
        IREE_HAL_COMMAND_BUFFER_MODE_ONE_SHOT);
  CHECK(iree_hal_command_buffer_allowed_categories(command_buffer) ==
        IREE_HAL_COMMAND_CATEGORY_TRANSFER);
  CHECK(iree_hal_command_buffer_binding_capacity(command_buffer) == 0);

  CHECK_OK(iree_hal_command_buffer_begin(command_buffer));
  uint32_t pattern = 0xA1B2C3D4u;
  CHECK_OK(iree_hal_command_buffer_fill_buffer(command_buffer, a, 0, 32,
                                               &pattern, sizeof(pattern)));
  CHECK_OK(full_barrier(command_buffer));
  const uint8_t update[4] = {1, 2, 3, 4};
  // The source is captured when recorded, so it may change afterwards.
  uint8_t scratch[6] = {9, 9, 5, 6, 7, 8};
  CHECK_OK(iree_hal_command_buffer_update_buffer(command_buffer, update, 0, a,
                                                 8, sizeof(update)));
  CHECK_OK(iree_hal_command_buffer_update_buffer(command_buffer, scratch, 2, a,
                                                 12, 4));
  memset(scratch, 0, sizeof(scratch));
  iree_hal_buffer_barrier_t buffer_barrier = {
      IREE_HAL_ACCESS_SCOPE_TRANSFER_WRITE, IREE_HAL_ACCESS_SCOPE_TRANSFER_READ,
      a, 0, IREE_WHOLE_BUFFER};
  CHECK_OK(iree_hal_command_buffer_execution_barrier(
      command_buffer, IREE_HAL_EXECUTION_STAGE_TRANSFER,
      IREE_HAL_EXECUTION_STAGE_TRANSFER, IREE_HAL_EXECUTION_BARRIER_FLAG_NONE,
      0, NULL, 1, &buffer_barrier));
  uint8_t zero = 0;
  CHECK_OK(iree_hal_command_buffer_fill_buffer(command_buffer, b, 0,
                                               IREE_WHOLE_BUFFER, &zero, 1));
  CHECK_OK(full_barrier(command_buffer));
  CHECK_OK(
      iree_hal_command_buffer_copy_buffer(command_buffer, a, 4, b, 16, 16));
  CHECK_OK(iree_hal_command_buffer_end(command_buffer));

  iree_hal_semaphore_t* done = make_semaphore(0);
  uint64_t done_value = 1;
  iree_hal_submission_batch_t batch = {
      no_timepoints(), 1, &command_buffer, one_timepoint(&done, &done_value)};
  CHECK_OK(iree_hal_device_queue_submit(g_device,
                                        IREE_HAL_COMMAND_CATEGORY_TRANSFER,
                                        IREE_HAL_QUEUE_AFFINITY_ANY, 1, &batch));
  CHECK_OK(iree_hal_semaphore_wait(done, 1, iree_infinite_timeout()));

  uint8_t got_a[32];
  CHECK_OK(iree_hal_buffer_map_read(a, 0, got_a, sizeof(got_a)));
  const uint8_t fill_bytes[4] = {0xD4, 0xC3, 0xB2, 0xA1};  // little-endian
  for (int i = 0; i < 32; ++i) {
    uint8_t expected = fill_bytes[i % 4];
    if (i >= 8 && i < 12) expected = update[i - 8];
    if (i >= 12 && i < 16) expected = (uint8_t)(5 + (i - 12));
    CHECK(got_a[i] == expected);
  }
  uint8_t got_b[32];
  CHECK_OK(iree_hal_buffer_map_read(b, 0, got_b, sizeof(got_b)));
  for (int i = 0; i < 16; ++i) CHECK(got_b[i] == 0);
  for (int i = 16; i < 32; ++i) CHECK(got_b[i] == got_a[4 + (i - 16)]);

  // A one-shot command buffer runs once; the second run fails its signal.
  uint64_t again_value = 2;
  iree_hal_submission_batch_t again = {
      no_timepoints(), 1, &command_buffer, one_timepoint(&done, &again_value)};
  CHECK_CODE(IREE_STATUS_FAILED_PRECONDITION,
             iree_hal_device_queue_submit(g_device,
                                          IREE_HAL_COMMAND_CATEGORY_TRANSFER,
                                          IREE_HAL_QUEUE_AFFINITY_ANY, 1,
                                          &again));
  CHECK(fails(iree_hal_semaphore_wait(done, 2, iree_immediate_timeout())));
  iree_hal_semaphore_release(done);
  iree_hal_command_buffer_release(command_buffer);
  iree_hal_buffer_release(a);
  iree_hal_buffer_release(b);
}

// A batch whose wait is not yet reached runs when the host signals it, and
// the batch's own signal then releases the waiter.
static void test_submit_waits_for_semaphore(void) {
  iree_hal_buffer_t* target = make_buffer(8);
  iree_hal_command_buffer_t* command_buffer = NULL;
  CHECK_OK(iree_hal_command_buffer_create(
      g_device, IREE_HAL_COMMAND_BUFFER_MODE_ONE_SHOT,
      IREE_HAL_COMMAND_CATEGORY_ANY, IREE_HAL_QUEUE_AFFINITY_ANY,
      &command_buffer));
  CHECK_OK(iree_hal_command_buffer_begin(command_buffer));
  uint16_t pattern = 0x0707;
  CHECK_OK(iree_hal_command_buffer_fill_buffer(command_buffer, target, 0, 8,
                                               &pattern, sizeof(pattern)));
  CHECK_OK(iree_hal_command_buffer_end(command_buffer));

  iree_hal_semaphore_t* start = make_semaphore(0);
  iree_hal_semaphore_t* done = make_semaphore(0);
  uint64_t start_value = 3;
  uint64_t done_value = 1;
  iree_hal_submission_batch_t batch = {one_timepoint(&start, &start_value), 1,
                                       &command_buffer,
                                       one_timepoint(&done, &done_value)};
  CHECK_OK(iree_hal_device_queue_submit(g_device, IREE_HAL_COMMAND_CATEGORY_ANY,
                                        IREE_HAL_QUEUE_AFFINITY_ANY, 1, &batch));
  // The batch holds its own references until it runs.
  iree_hal_command_buffer_release(command_buffer);
  CHECK_CODE(IREE_STATUS_DEADLINE_EXCEEDED,
             iree_hal_semaphore_wait(done, 1, iree_immediate_timeout()));
  uint8_t got[8];
  CHECK_OK(iree_hal_buffer_map_read(target, 0, got, sizeof(got)));
  CHECK(got[0] == 0 && got[7] == 0);
  CHECK_OK(iree_hal_semaphore_signal(start, 3));
  CHECK_OK(iree_hal_semaphore_wait(done, 1, iree_infinite_timeout()));
  CHECK_OK(iree_hal_buffer_map_read(target, 0, got, sizeof(got)));
  for (int i = 0; i < 8; ++i) CHECK(got[i] == 7);
  iree_hal_semaphore_release(start);
  iree_hal_semaphore_release(done);
  iree_hal_buffer_release(target);
}

// A reusable command buffer recorded against binding-table slots, executed
// twice with different tables through queue_execute.
static void test_reusable_binding_table(void) {
  iree_hal_command_buffer_t* command_buffer = NULL;
  CHECK_OK(iree_hal_command_buffer_create_with_binding_capacity(
      g_device, 0, IREE_HAL_COMMAND_CATEGORY_TRANSFER,
      IREE_HAL_QUEUE_AFFINITY_ANY, 2, &command_buffer));
  if (!command_buffer) return;
  CHECK(iree_hal_command_buffer_binding_capacity(command_buffer) == 2);
  CHECK_OK(iree_hal_command_buffer_begin(command_buffer));
  uint8_t pattern = 0x5A;
  CHECK_OK(iree_hal_command_buffer_fill_buffer_ref(
      command_buffer, iree_hal_make_indirect_buffer_ref(0, 0, 8), &pattern,
      1));
  const uint8_t update[2] = {0x11, 0x22};
  CHECK_OK(iree_hal_command_buffer_update_buffer_ref(
      command_buffer, update, 0, iree_hal_make_indirect_buffer_ref(0, 2, 2)));
  CHECK_OK(full_barrier(command_buffer));
  CHECK_OK(iree_hal_command_buffer_copy_buffer_ref(
      command_buffer, iree_hal_make_indirect_buffer_ref(0, 0, 8),
      iree_hal_make_indirect_buffer_ref(1, 4, 8)));
  // A slot past the capacity is refused when recorded.
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_command_buffer_fill_buffer_ref(
                 command_buffer, iree_hal_make_indirect_buffer_ref(2, 0, 4),
                 &pattern, 1));
  CHECK_OK(iree_hal_command_buffer_end(command_buffer));

  iree_hal_semaphore_t* done = make_semaphore(0);
  for (uint64_t run = 1; run <= 2; ++run) {
    iree_hal_buffer_t* source = make_buffer(8);
    iree_hal_buffer_t* target = make_buffer(16);
    // The second run binds a subrange: slot offsets add to the command's.
    iree_device_size_t target_offset = run == 1 ? 0 : 4;
    iree_hal_buffer_binding_t bindings[2] = {
        {source, 0, 8},
        {target, target_offset, 16 - target_offset},
    };
    iree_hal_buffer_binding_table_t table = {2, bindings};
    uint64_t done_value = run;
    CHECK_OK(iree_hal_device_queue_execute(
        g_device, IREE_HAL_QUEUE_AFFINITY_ANY, no_timepoints(),
        one_timepoint(&done, &done_value), command_buffer, table, 0));
    CHECK_OK(iree_hal_semaphore_wait(done, run, iree_infinite_timeout()));
    uint8_t got[16];
    CHECK_OK(iree_hal_buffer_map_read(target, 0, got, sizeof(got)));
    iree_device_size_t copied_at = 4 + target_offset;
    for (iree_device_size_t i = 0; i < 16; ++i) {
      uint8_t expected = 0;
      if (i >= copied_at && i < copied_at + 8) {
        iree_device_size_t j = i - copied_at;
        expected = j == 2 ? 0x11 : j == 3 ? 0x22 : 0x5A;
      }
      CHECK(got[i] == expected);
    }
    iree_hal_buffer_release(source);
    iree_hal_buffer_release(target);
  }

  // Too few table entries for the capacity: INVALID_ARGUMENT, reported by
  // the call (local-sync runs it inline) and through the signal.
  iree_hal_buffer_t* only = make_buffer(8);
  iree_hal_buffer_binding_t short_bindings[1] = {{only, 0, 8}};
  iree_hal_buffer_binding_table_t short_table = {1, short_bindings};
  uint64_t failed_value = 3;
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_queue_execute(
                 g_device, IREE_HAL_QUEUE_AFFINITY_ANY, no_timepoints(),
                 one_timepoint(&done, &failed_value), command_buffer,
                 short_table, 0));
  CHECK(fails(iree_hal_semaphore_wait(done, 3, iree_immediate_timeout())));
  iree_hal_buffer_release(only);
  iree_hal_semaphore_release(done);
  iree_hal_command_buffer_release(command_buffer);
}

// Bad arguments and bad recording get their documented statuses.
static void test_argument_validation(void) {
  iree_hal_command_buffer_t* command_buffer = NULL;
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_command_buffer_create(
                 NULL, IREE_HAL_COMMAND_BUFFER_MODE_ONE_SHOT,
                 IREE_HAL_COMMAND_CATEGORY_ANY, IREE_HAL_QUEUE_AFFINITY_ANY,
                 &command_buffer));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_command_buffer_create(
                 g_device, IREE_HAL_COMMAND_BUFFER_MODE_ONE_SHOT,
                 IREE_HAL_COMMAND_CATEGORY_ANY, IREE_HAL_QUEUE_AFFINITY_ANY,
                 NULL));
  // No categories at all.
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_command_buffer_create(
                 g_device, IREE_HAL_COMMAND_BUFFER_MODE_ONE_SHOT, 0,
                 IREE_HAL_QUEUE_AFFINITY_ANY, &command_buffer));
  // Inline execution needs one-shot; one-shot takes no binding table.
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_command_buffer_create(
                 g_device, IREE_HAL_COMMAND_BUFFER_MODE_ALLOW_INLINE_EXECUTION,
                 IREE_HAL_COMMAND_CATEGORY_ANY, IREE_HAL_QUEUE_AFFINITY_ANY,
                 &command_buffer));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_command_buffer_create_with_binding_capacity(
                 g_device, IREE_HAL_COMMAND_BUFFER_MODE_ONE_SHOT,
                 IREE_HAL_COMMAND_CATEGORY_ANY, IREE_HAL_QUEUE_AFFINITY_ANY, 1,
                 &command_buffer));
  CHECK(command_buffer == NULL);

  CHECK_OK(iree_hal_command_buffer_create(
      g_device, IREE_HAL_COMMAND_BUFFER_MODE_ONE_SHOT,
      IREE_HAL_COMMAND_CATEGORY_TRANSFER, IREE_HAL_QUEUE_AFFINITY_ANY,
      &command_buffer));
  if (!command_buffer) return;
  iree_hal_buffer_t* buffer = make_buffer(16);
  uint32_t pattern = 1;
  // Recording before begin.
  CHECK_CODE(IREE_STATUS_FAILED_PRECONDITION,
             iree_hal_command_buffer_fill_buffer(command_buffer, buffer, 0, 4,
                                                 &pattern, 4));
  CHECK_CODE(IREE_STATUS_FAILED_PRECONDITION,
             iree_hal_command_buffer_end(command_buffer));
  CHECK_OK(iree_hal_command_buffer_begin(command_buffer));
  CHECK_CODE(IREE_STATUS_FAILED_PRECONDITION,
             iree_hal_command_buffer_begin(command_buffer));
  // NULL command buffer, buffer and pattern.
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_command_buffer_fill_buffer(NULL, buffer, 0, 4, &pattern,
                                                 4));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_command_buffer_fill_buffer(command_buffer, NULL, 0, 4,
                                                 &pattern, 4));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_command_buffer_fill_buffer(command_buffer, buffer, 0, 4,
                                                 NULL, 4));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_command_buffer_update_buffer(command_buffer, NULL, 0,
                                                   buffer, 0, 4));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_command_buffer_copy_buffer(command_buffer, NULL, 0,
                                                 buffer, 0, 4));
  // Fills past the end, with a bad pattern size or misaligned.
  CHECK(status_matches(
      iree_hal_command_buffer_fill_buffer(command_buffer, buffer, 8, 12,
                                          &pattern, 4),
      IREE_STATUS_OUT_OF_RANGE, "runs past the end"));
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_command_buffer_fill_buffer(command_buffer, buffer, 20, 4,
                                                 &pattern, 4));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_command_buffer_fill_buffer(command_buffer, buffer, 0, 6,
                                                 &pattern, 3));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_command_buffer_fill_buffer(command_buffer, buffer, 2, 4,
                                                 &pattern, 4));
  // Updates and copies past the end; a copy within one buffer overlapping.
  const uint8_t data[8] = {0};
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_command_buffer_update_buffer(command_buffer, data, 0,
                                                   buffer, 12, 8));
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_command_buffer_copy_buffer(command_buffer, buffer, 0,
                                                 buffer, 12, 8));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_command_buffer_copy_buffer(command_buffer, buffer, 0,
                                                 buffer, 4, 8));
  // A slot reference in a buffer with no binding table.
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_command_buffer_fill_buffer_ref(
                 command_buffer, iree_hal_make_indirect_buffer_ref(0, 0, 4),
                 &pattern, 4));
  // A transfer-only buffer takes no dispatch-category commands.
  iree_hal_event_t* event = NULL;
  CHECK_OK(iree_hal_event_create(g_device, &event));
  CHECK_CODE(IREE_STATUS_FAILED_PRECONDITION,
             iree_hal_command_buffer_signal_event(
                 command_buffer, event, IREE_HAL_EXECUTION_STAGE_TRANSFER));
  iree_hal_event_release(event);
  // Debug groups must balance before end.
  iree_hal_command_buffer_begin_debug_group(
      command_buffer, iree_make_cstring_view("group"),
      iree_hal_label_color_unspecified(), NULL);
  CHECK_CODE(IREE_STATUS_FAILED_PRECONDITION,
             iree_hal_command_buffer_end(command_buffer));
  iree_hal_command_buffer_end_debug_group(command_buffer);
  CHECK_OK(iree_hal_command_buffer_end(command_buffer));

  // Submitting NULL or an empty device.
  iree_hal_submission_batch_t batch = {no_timepoints(), 1, &command_buffer,
                                       no_timepoints()};
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_queue_submit(NULL, IREE_HAL_COMMAND_CATEGORY_ANY,
                                          IREE_HAL_QUEUE_AFFINITY_ANY, 1,
                                          &batch));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_queue_submit(g_device,
                                          IREE_HAL_COMMAND_CATEGORY_ANY,
                                          IREE_HAL_QUEUE_AFFINITY_ANY, 1,
                                          NULL));
  // An unended command buffer cannot be executed.
  iree_hal_command_buffer_t* open = NULL;
  CHECK_OK(iree_hal_command_buffer_create(
      g_device, 0, IREE_HAL_COMMAND_CATEGORY_TRANSFER,
      IREE_HAL_QUEUE_AFFINITY_ANY, &open));
  CHECK_OK(iree_hal_command_buffer_begin(open));
  CHECK_CODE(IREE_STATUS_FAILED_PRECONDITION,
             iree_hal_device_queue_execute(
                 g_device, IREE_HAL_QUEUE_AFFINITY_ANY, no_timepoints(),
                 no_timepoints(), open, no_bindings(), 0));
  iree_hal_command_buffer_release(open);
  iree_hal_buffer_release(buffer);
  iree_hal_command_buffer_release(command_buffer);
}

int main(void) {
  iree_hal_driver_registry_t* registry = NULL;
  CHECK_OK(iree_hal_driver_registry_allocate(iree_allocator_system(),
                                             &registry));
  CHECK_OK(iree_hal_register_all_available_drivers(registry));
  CHECK_OK(iree_hal_create_device(registry,
                                  iree_make_cstring_view("local-sync"),
                                  iree_allocator_system(), &g_device));
  if (!g_device) {
    iree_hal_driver_registry_free(registry);
    return harness_finish();
  }
  test_device_basics();
  test_fill_update_copy_submit();
  test_submit_waits_for_semaphore();
  test_reusable_binding_table();
  test_argument_validation();
  iree_hal_device_release(g_device);
  iree_hal_driver_registry_free(registry);
  return harness_finish();
}
