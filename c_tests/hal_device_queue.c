// The device's queue and transfer entry points from C on local-sync:
// queue_alloca / dealloca / fill / update / copy / barrier / flush ordered
// by semaphores, the blocking transfer helpers (h2d, d2h, d2d, range,
// transfer_and_wait), submit_and_wait, wait_semaphores, wait_idle, the
// device queries, trim, the host allocators, the driver's device creation
// entry points and the retain / destroy pairs of drivers and devices; and
// the statuses of NULL, out-of-range and wrong-memory-type arguments.
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

static iree_hal_buffer_t* make_buffer_of(iree_hal_memory_type_t type,
                                         iree_hal_buffer_usage_t usage,
                                         iree_device_size_t size) {
  iree_hal_buffer_params_t params = {0};
  params.type = type;
  params.usage = usage;
  iree_hal_buffer_params_canonicalize(&params);
  iree_hal_buffer_t* buffer = NULL;
  CHECK_OK(iree_hal_allocator_allocate_buffer(
      iree_hal_device_allocator(g_device), params, size,
      iree_const_byte_span_empty(), &buffer));
  return buffer;
}

// A buffer the device can run transfers on and the host can map.
static iree_hal_buffer_t* make_buffer(iree_device_size_t size) {
  return make_buffer_of(
      IREE_HAL_MEMORY_TYPE_DEVICE_LOCAL | IREE_HAL_MEMORY_TYPE_HOST_VISIBLE,
      IREE_HAL_BUFFER_USAGE_TRANSFER | IREE_HAL_BUFFER_USAGE_DISPATCH |
          IREE_HAL_BUFFER_USAGE_MAPPING,
      size);
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

static uint64_t payload(iree_hal_semaphore_t* semaphore) {
  uint64_t value = 0;
  CHECK_OK(iree_hal_semaphore_query(semaphore, &value));
  return value;
}

static void test_queries_and_allocators(void) {
  int64_t value64 = -1;
  CHECK_OK(iree_hal_device_query_i64(g_device,
                                     iree_make_cstring_view("hal.device.id"),
                                     iree_make_cstring_view("local-*"),
                                     &value64));
  CHECK(value64 == 1);
  CHECK_OK(iree_hal_device_query_i64(g_device,
                                     iree_make_cstring_view("hal.device.id"),
                                     iree_make_cstring_view("vulkan"),
                                     &value64));
  CHECK(value64 == 0);
  int32_t value32 = -1;
  CHECK_OK(iree_hal_device_query_i32(
      g_device, iree_make_cstring_view("hal.executable.format"),
      iree_make_cstring_view("embedded-elf-*"), &value32));
  CHECK(value32 == 1);
  CHECK(status_matches(
      iree_hal_device_query_i32(g_device, iree_make_cstring_view("no.such"),
                                iree_make_cstring_view("key"), &value32),
      IREE_STATUS_NOT_FOUND, "no.such"));
  CHECK_CODE(IREE_STATUS_NOT_FOUND,
             iree_hal_device_query_i64(g_device,
                                       iree_make_cstring_view("no.such"),
                                       iree_make_cstring_view("key"),
                                       &value64));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_query_i64(NULL,
                                       iree_make_cstring_view("hal.device.id"),
                                       iree_make_cstring_view("*"), &value64));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_query_i32(g_device,
                                       iree_make_cstring_view("hal.device.id"),
                                       iree_make_cstring_view("*"), NULL));

  // The device's host allocator allocates and frees host memory.
  iree_allocator_t host = iree_hal_device_host_allocator(g_device);
  void* block = NULL;
  CHECK_OK(iree_allocator_malloc(host, 64, &block));
  CHECK(block != NULL);
  iree_allocator_free(host, block);
  iree_allocator_t none = iree_hal_device_host_allocator(NULL);
  CHECK(iree_allocator_is_null(none));

  iree_hal_allocator_t* allocator = iree_hal_device_allocator(g_device);
  iree_allocator_t allocator_host = iree_hal_allocator_host_allocator(allocator);
  block = NULL;
  CHECK_OK(iree_allocator_malloc(allocator_host, 16, &block));
  CHECK(block != NULL);
  iree_allocator_free(allocator_host, block);
  CHECK(iree_allocator_is_null(iree_hal_allocator_host_allocator(NULL)));

  CHECK_OK(iree_hal_device_trim(g_device));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT, iree_hal_device_trim(NULL));
  CHECK_OK(iree_hal_device_wait_idle(g_device, iree_infinite_timeout()));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_wait_idle(NULL, iree_infinite_timeout()));

  // retain adds a reference that release takes back.
  iree_hal_device_retain(g_device);
  iree_hal_device_release(g_device);
  iree_hal_device_retain(NULL);
}

// alloca waits on one semaphore and signals another; fill / update / copy
// chain through semaphores; dealloca ends the chain.
static void test_queue_operations(void) {
  iree_hal_semaphore_t* semaphore = NULL;
  CHECK_OK(iree_hal_semaphore_create(g_device, 0, &semaphore));
  if (!semaphore) return;
  uint64_t values[8] = {1, 2, 3, 4, 5, 6, 7, 8};

  iree_hal_buffer_t* transient = NULL;
  CHECK_OK(iree_hal_device_queue_alloca(
      g_device, IREE_HAL_QUEUE_AFFINITY_ANY, no_timepoints(),
      one_timepoint(&semaphore, &values[0]),
      IREE_HAL_MEMORY_TYPE_DEVICE_LOCAL | IREE_HAL_MEMORY_TYPE_HOST_VISIBLE,
      IREE_HAL_BUFFER_USAGE_TRANSFER | IREE_HAL_BUFFER_USAGE_MAPPING, 64,
      &transient));
  CHECK(transient != NULL);
  if (!transient) {
    iree_hal_semaphore_release(semaphore);
    return;
  }
  CHECK(iree_hal_buffer_byte_length(transient) == 64);
  CHECK_OK(iree_hal_semaphore_wait(semaphore, 1, iree_infinite_timeout()));

  uint16_t pattern = 0xBEEF;
  CHECK_OK(iree_hal_device_queue_fill(
      g_device, IREE_HAL_QUEUE_AFFINITY_ANY,
      one_timepoint(&semaphore, &values[0]),
      one_timepoint(&semaphore, &values[1]), transient, 0, 64, &pattern,
      sizeof(pattern), 0));
  const uint8_t update[4] = {0x11, 0x22, 0x33, 0x44};
  CHECK_OK(iree_hal_device_queue_update(
      g_device, IREE_HAL_QUEUE_AFFINITY_ANY,
      one_timepoint(&semaphore, &values[1]),
      one_timepoint(&semaphore, &values[2]), update, 1, transient, 8, 3, 0));
  iree_hal_buffer_t* target = make_buffer(64);
  CHECK_OK(iree_hal_device_queue_copy(
      g_device, IREE_HAL_QUEUE_AFFINITY_ANY,
      one_timepoint(&semaphore, &values[2]),
      one_timepoint(&semaphore, &values[3]), transient, 0, target, 0, 64, 0));
  CHECK_OK(iree_hal_device_queue_barrier(
      g_device, IREE_HAL_QUEUE_AFFINITY_ANY,
      one_timepoint(&semaphore, &values[3]),
      one_timepoint(&semaphore, &values[4]), 0));
  CHECK_OK(iree_hal_device_queue_flush(g_device, IREE_HAL_QUEUE_AFFINITY_ANY));
  CHECK_OK(iree_hal_semaphore_wait(semaphore, 5, iree_infinite_timeout()));
  CHECK(payload(semaphore) == 5);
  uint8_t got[64] = {0};
  CHECK_OK(iree_hal_buffer_map_read(target, 0, got, sizeof(got)));
  CHECK(got[0] == 0xEF && got[1] == 0xBE && got[62] == 0xEF &&
        got[63] == 0xBE);
  CHECK(got[8] == 0x22 && got[9] == 0x33 && got[10] == 0x44);
  CHECK(got[11] == 0xBE);

  CHECK_OK(iree_hal_device_queue_dealloca(
      g_device, IREE_HAL_QUEUE_AFFINITY_ANY,
      one_timepoint(&semaphore, &values[4]),
      one_timepoint(&semaphore, &values[5]), transient));
  CHECK_OK(iree_hal_semaphore_wait(semaphore, 6, iree_infinite_timeout()));

  // Work waiting on a value not yet reached runs when the host signals it.
  CHECK_OK(iree_hal_device_queue_fill(
      g_device, IREE_HAL_QUEUE_AFFINITY_ANY,
      one_timepoint(&semaphore, &values[6]),
      one_timepoint(&semaphore, &values[7]), target, 0, 4, &pattern,
      sizeof(pattern), 0));
  CHECK_OK(iree_hal_semaphore_signal(semaphore, 7));
  CHECK_OK(iree_hal_semaphore_wait(semaphore, 8, iree_infinite_timeout()));

  // Bad arguments: NULLs, ranges past the end, bad patterns.
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_queue_alloca(
                 g_device, IREE_HAL_QUEUE_AFFINITY_ANY, no_timepoints(),
                 no_timepoints(), IREE_HAL_MEMORY_TYPE_DEVICE_LOCAL,
                 IREE_HAL_BUFFER_USAGE_TRANSFER, 16, NULL));
  iree_hal_buffer_t* nothing = NULL;
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_queue_alloca(
                 NULL, IREE_HAL_QUEUE_AFFINITY_ANY, no_timepoints(),
                 no_timepoints(), IREE_HAL_MEMORY_TYPE_DEVICE_LOCAL,
                 IREE_HAL_BUFFER_USAGE_TRANSFER, 16, &nothing));
  CHECK(nothing == NULL);
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_queue_dealloca(g_device,
                                            IREE_HAL_QUEUE_AFFINITY_ANY,
                                            no_timepoints(), no_timepoints(),
                                            NULL));
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_device_queue_fill(
                 g_device, IREE_HAL_QUEUE_AFFINITY_ANY, no_timepoints(),
                 no_timepoints(), target, 60, 8, &pattern, sizeof(pattern), 0));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_queue_fill(g_device, IREE_HAL_QUEUE_AFFINITY_ANY,
                                        no_timepoints(), no_timepoints(),
                                        target, 0, 8, &pattern, 3, 0));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_queue_fill(g_device, IREE_HAL_QUEUE_AFFINITY_ANY,
                                        no_timepoints(), no_timepoints(), NULL,
                                        0, 8, &pattern, sizeof(pattern), 0));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_queue_update(g_device, IREE_HAL_QUEUE_AFFINITY_ANY,
                                          no_timepoints(), no_timepoints(),
                                          NULL, 0, target, 0, 4, 0));
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_device_queue_update(g_device, IREE_HAL_QUEUE_AFFINITY_ANY,
                                          no_timepoints(), no_timepoints(),
                                          update, 0, target, 62, 4, 0));
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_device_queue_copy(g_device, IREE_HAL_QUEUE_AFFINITY_ANY,
                                        no_timepoints(), no_timepoints(),
                                        target, 32, target, 0, 64, 0));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_queue_copy(g_device, IREE_HAL_QUEUE_AFFINITY_ANY,
                                        no_timepoints(), no_timepoints(), NULL,
                                        0, target, 0, 4, 0));
  // A list claiming semaphores it does not carry.
  iree_hal_semaphore_list_t broken = {1, NULL, NULL};
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_queue_barrier(g_device,
                                           IREE_HAL_QUEUE_AFFINITY_ANY, broken,
                                           no_timepoints(), 0));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_queue_barrier(NULL, IREE_HAL_QUEUE_AFFINITY_ANY,
                                           no_timepoints(), no_timepoints(),
                                           0));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_queue_flush(NULL, IREE_HAL_QUEUE_AFFINITY_ANY));
  CHECK(payload(semaphore) == 8);

  iree_hal_buffer_release(target);
  iree_hal_buffer_release(transient);
  iree_hal_semaphore_release(semaphore);
}

static void test_blocking_transfers(void) {
  iree_hal_buffer_t* a = make_buffer(16);
  iree_hal_buffer_t* b = make_buffer(16);
  const uint8_t source[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  CHECK_OK(iree_hal_device_transfer_h2d(g_device, source, a, 4, 8,
                                        IREE_HAL_TRANSFER_BUFFER_FLAG_DEFAULT,
                                        iree_infinite_timeout()));
  CHECK_OK(iree_hal_device_transfer_d2d(g_device, a, 4, b, 0, 8,
                                        IREE_HAL_TRANSFER_BUFFER_FLAG_DEFAULT,
                                        iree_infinite_timeout()));
  uint8_t back[8] = {0};
  CHECK_OK(iree_hal_device_transfer_d2h(g_device, b, 0, back, 8,
                                        IREE_HAL_TRANSFER_BUFFER_FLAG_DEFAULT,
                                        iree_infinite_timeout()));
  CHECK(memcmp(back, source, 8) == 0);

  // transfer_range: host to host is a plain copy; host to device and back.
  uint8_t host_a[4] = {9, 8, 7, 6};
  uint8_t host_b[4] = {0};
  iree_hal_transfer_buffer_t from_host = {
      iree_make_byte_span(host_a, sizeof(host_a)), NULL};
  iree_hal_transfer_buffer_t to_host = {
      iree_make_byte_span(host_b, sizeof(host_b)), NULL};
  CHECK_OK(iree_hal_device_transfer_range(
      g_device, from_host, 1, to_host, 0, 3,
      IREE_HAL_TRANSFER_BUFFER_FLAG_DEFAULT, iree_infinite_timeout()));
  CHECK(host_b[0] == 8 && host_b[1] == 7 && host_b[2] == 6 && host_b[3] == 0);
  iree_hal_transfer_buffer_t device_b = {iree_byte_span_empty(), b};
  CHECK_OK(iree_hal_device_transfer_range(
      g_device, from_host, 0, device_b, 12, 4,
      IREE_HAL_TRANSFER_BUFFER_FLAG_DEFAULT, iree_infinite_timeout()));
  uint8_t tail[4] = {0};
  CHECK_OK(iree_hal_buffer_map_read(b, 12, tail, 4));
  CHECK(memcmp(tail, host_a, 4) == 0);
  // Past the end of the host span or the device buffer.
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_device_transfer_range(
                 g_device, from_host, 2, to_host, 0, 4,
                 IREE_HAL_TRANSFER_BUFFER_FLAG_DEFAULT,
                 iree_infinite_timeout()));
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_device_transfer_h2d(
                 g_device, source, a, 12, 8,
                 IREE_HAL_TRANSFER_BUFFER_FLAG_DEFAULT,
                 iree_infinite_timeout()));
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_device_transfer_d2h(
                 g_device, a, 10, back, 8,
                 IREE_HAL_TRANSFER_BUFFER_FLAG_DEFAULT,
                 iree_infinite_timeout()));
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_hal_device_transfer_d2d(
                 g_device, a, 0, b, 12, 8,
                 IREE_HAL_TRANSFER_BUFFER_FLAG_DEFAULT,
                 iree_infinite_timeout()));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_transfer_h2d(
                 g_device, NULL, a, 0, 8,
                 IREE_HAL_TRANSFER_BUFFER_FLAG_DEFAULT,
                 iree_infinite_timeout()));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_transfer_d2h(
                 g_device, NULL, 0, back, 8,
                 IREE_HAL_TRANSFER_BUFFER_FLAG_DEFAULT,
                 iree_infinite_timeout()));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_transfer_d2d(
                 NULL, a, 0, b, 0, 8, IREE_HAL_TRANSFER_BUFFER_FLAG_DEFAULT,
                 iree_infinite_timeout()));

  // The heap allocator makes a device-local buffer host-visible and
  // mappable too (host memory is all it has), and the device moves it.
  iree_hal_buffer_t* local = make_buffer_of(IREE_HAL_MEMORY_TYPE_DEVICE_LOCAL,
                                            IREE_HAL_BUFFER_USAGE_TRANSFER, 8);
  if (local) {
    CHECK(iree_all_bits_set(iree_hal_buffer_memory_type(local),
                            IREE_HAL_MEMORY_TYPE_HOST_VISIBLE));
    CHECK_OK(iree_hal_device_transfer_h2d(
        g_device, source, local, 0, 8, IREE_HAL_TRANSFER_BUFFER_FLAG_DEFAULT,
        iree_infinite_timeout()));
    memset(back, 0, sizeof(back));
    CHECK_OK(iree_hal_device_transfer_d2h(
        g_device, local, 0, back, 8, IREE_HAL_TRANSFER_BUFFER_FLAG_DEFAULT,
        iree_infinite_timeout()));
    CHECK(memcmp(back, source, 8) == 0);
    iree_hal_buffer_release(local);
  }
  // A read-only buffer refuses writes from the queue and the transfers.
  iree_hal_buffer_params_t read_only_params = {0};
  read_only_params.type = IREE_HAL_MEMORY_TYPE_HOST_LOCAL;
  read_only_params.usage =
      IREE_HAL_BUFFER_USAGE_TRANSFER | IREE_HAL_BUFFER_USAGE_MAPPING;
  read_only_params.access = IREE_HAL_MEMORY_ACCESS_READ;
  iree_hal_buffer_params_canonicalize(&read_only_params);
  iree_hal_buffer_t* read_only = NULL;
  CHECK_OK(iree_hal_allocator_allocate_buffer(
      iree_hal_device_allocator(g_device), read_only_params, 8,
      iree_make_const_byte_span(source, 8), &read_only));
  if (read_only) {
    CHECK_CODE(IREE_STATUS_PERMISSION_DENIED,
               iree_hal_device_transfer_h2d(
                   g_device, source, read_only, 0, 8,
                   IREE_HAL_TRANSFER_BUFFER_FLAG_DEFAULT,
                   iree_infinite_timeout()));
    uint8_t zero = 0;
    CHECK_CODE(IREE_STATUS_PERMISSION_DENIED,
               iree_hal_device_queue_fill(
                   g_device, IREE_HAL_QUEUE_AFFINITY_ANY, no_timepoints(),
                   no_timepoints(), read_only, 0, 8, &zero, 1, 0));
    // Reading it is allowed.
    memset(back, 0, sizeof(back));
    CHECK_OK(iree_hal_device_transfer_d2h(
        g_device, read_only, 0, back, 8, IREE_HAL_TRANSFER_BUFFER_FLAG_DEFAULT,
        iree_infinite_timeout()));
    CHECK(memcmp(back, source, 8) == 0);
    iree_hal_buffer_release(read_only);
  }

  // transfer_and_wait runs a list of commands after a semaphore value.
  iree_hal_semaphore_t* gate = NULL;
  CHECK_OK(iree_hal_semaphore_create(g_device, 3, &gate));
  uint32_t word = 0x01020304u;
  iree_hal_transfer_command_t commands[2];
  memset(commands, 0, sizeof(commands));
  commands[0].type = IREE_HAL_TRANSFER_COMMAND_TYPE_FILL;
  commands[0].fill.target_buffer = a;
  commands[0].fill.target_offset = 0;
  commands[0].fill.length = 16;
  commands[0].fill.pattern = &word;
  commands[0].fill.pattern_length = sizeof(word);
  commands[1].type = IREE_HAL_TRANSFER_COMMAND_TYPE_COPY;
  commands[1].copy.source_buffer = a;
  commands[1].copy.source_offset = 0;
  commands[1].copy.target_buffer = b;
  commands[1].copy.target_offset = 8;
  commands[1].copy.length = 8;
  CHECK_OK(iree_hal_device_transfer_and_wait(g_device, gate, 3, 2, commands,
                                             iree_infinite_timeout()));
  uint32_t words[4] = {0};
  CHECK_OK(iree_hal_buffer_map_read(b, 0, words, sizeof(words)));
  CHECK(words[2] == word && words[3] == word);
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_transfer_and_wait(g_device, gate, 3, 2, NULL,
                                               iree_infinite_timeout()));
  iree_hal_semaphore_release(gate);
  iree_hal_buffer_release(a);
  iree_hal_buffer_release(b);
}

static void test_submit_and_wait_and_wait_semaphores(void) {
  iree_hal_buffer_t* buffer = make_buffer(8);
  iree_hal_command_buffer_t* command_buffer = NULL;
  CHECK_OK(iree_hal_command_buffer_create(
      g_device, IREE_HAL_COMMAND_BUFFER_MODE_ONE_SHOT,
      IREE_HAL_COMMAND_CATEGORY_TRANSFER, IREE_HAL_QUEUE_AFFINITY_ANY,
      &command_buffer));
  if (!command_buffer || !buffer) return;
  CHECK_OK(iree_hal_command_buffer_begin(command_buffer));
  uint8_t pattern = 0x5A;
  CHECK_OK(iree_hal_command_buffer_fill_buffer(command_buffer, buffer, 0, 8,
                                               &pattern, 1));
  CHECK_OK(iree_hal_command_buffer_end(command_buffer));

  iree_hal_semaphore_t* done = NULL;
  CHECK_OK(iree_hal_semaphore_create(g_device, 0, &done));
  uint64_t done_value = 4;
  iree_hal_submission_batch_t batch = {
      {0, NULL, NULL}, 1, &command_buffer, {1, &done, &done_value}};
  CHECK_OK(iree_hal_device_submit_and_wait(
      g_device, IREE_HAL_COMMAND_CATEGORY_TRANSFER,
      IREE_HAL_QUEUE_AFFINITY_ANY, 1, &batch, done, 4,
      iree_infinite_timeout()));
  CHECK(payload(done) == 4);
  uint8_t got[8] = {0};
  CHECK_OK(iree_hal_buffer_map_read(buffer, 0, got, sizeof(got)));
  for (int i = 0; i < 8; ++i) CHECK(got[i] == 0x5A);
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_submit_and_wait(
                 g_device, IREE_HAL_COMMAND_CATEGORY_TRANSFER,
                 IREE_HAL_QUEUE_AFFINITY_ANY, 1, NULL, done, 4,
                 iree_infinite_timeout()));

  // wait_semaphores: ALL needs every value, ANY only one.
  iree_hal_semaphore_t* other = NULL;
  CHECK_OK(iree_hal_semaphore_create(g_device, 0, &other));
  iree_hal_semaphore_t* both[2] = {done, other};
  uint64_t targets[2] = {4, 1};
  iree_hal_semaphore_list_t list = {2, both, targets};
  CHECK_OK(iree_hal_device_wait_semaphores(g_device, IREE_HAL_WAIT_MODE_ANY,
                                           &list, iree_immediate_timeout()));
  CHECK_CODE(IREE_STATUS_DEADLINE_EXCEEDED,
             iree_hal_device_wait_semaphores(g_device, IREE_HAL_WAIT_MODE_ALL,
                                             &list, iree_immediate_timeout()));
  CHECK_OK(iree_hal_semaphore_signal(other, 1));
  CHECK_OK(iree_hal_device_wait_semaphores(g_device, IREE_HAL_WAIT_MODE_ALL,
                                           &list, iree_infinite_timeout()));
  // No list at all waits for nothing (as the seeds' device.c has it).
  CHECK_OK(iree_hal_device_wait_semaphores(g_device, IREE_HAL_WAIT_MODE_ALL,
                                           NULL, iree_immediate_timeout()));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_device_wait_semaphores(NULL, IREE_HAL_WAIT_MODE_ALL,
                                             &list, iree_immediate_timeout()));

  iree_hal_semaphore_release(other);
  iree_hal_semaphore_release(done);
  iree_hal_command_buffer_release(command_buffer);
  iree_hal_buffer_release(buffer);
}

// The driver's device-creation entry points; the device made by each is
// the local-sync device, and destroy (the caller owning the only
// reference) frees it as a last release would.
static void test_driver_devices(iree_hal_driver_registry_t* registry) {
  iree_hal_driver_t* driver = NULL;
  CHECK_OK(iree_hal_driver_registry_try_create_by_name(
      registry, iree_make_cstring_view("local-sync"), iree_allocator_system(),
      &driver));
  if (!driver) return;
  iree_hal_device_info_t* infos = NULL;
  iree_host_size_t info_count = 0;
  CHECK_OK(iree_hal_driver_query_available_devices(
      driver, iree_allocator_system(), &infos, &info_count));
  CHECK(info_count >= 1);
  iree_hal_device_id_t first_id = 0;
  if (infos && info_count >= 1) {
    first_id = infos[0].device_id;
    CHECK(infos[0].name.size > 0);
  }
  iree_allocator_free(iree_allocator_system(), infos);
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_driver_query_available_devices(
                 driver, iree_allocator_system(), NULL, &info_count));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_driver_query_available_devices(
                 NULL, iree_allocator_system(), &infos, &info_count));

  iree_hal_device_t* device = NULL;
  CHECK_OK(iree_hal_driver_create_default_device(
      driver, iree_allocator_system(), &device));
  CHECK(device != NULL);
  if (device) {
    CHECK(view_is(iree_hal_device_id(device), "local-sync"));
    iree_hal_device_release(device);
  }
  device = NULL;
  CHECK_OK(iree_hal_driver_create_device(driver, first_id,
                                         iree_allocator_system(), &device));
  CHECK(device != NULL);
  // The caller holds the only reference: destroy frees it outright.
  iree_hal_device_destroy(device);
  device = NULL;
  CHECK_OK(iree_hal_driver_create_device_by_uri(
      driver, iree_make_cstring_view("local-sync://"), iree_allocator_system(),
      &device));
  CHECK(device != NULL);
  iree_hal_device_release(device);
  device = NULL;
  CHECK(fails(iree_hal_driver_create_device_by_uri(
      driver, iree_make_cstring_view("vulkan://0"), iree_allocator_system(),
      &device)));
  CHECK(device == NULL);
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_driver_create_default_device(
                 NULL, iree_allocator_system(), &device));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_hal_driver_create_device(driver, 0, iree_allocator_system(),
                                           NULL));
  CHECK(device == NULL);

  iree_hal_driver_retain(driver);
  iree_hal_driver_release(driver);
  iree_hal_driver_retain(NULL);
  iree_hal_driver_destroy(NULL);
  // The only reference again: destroy instead of release.
  iree_hal_driver_destroy(driver);
}

int main(void) {
  iree_hal_driver_registry_t* registry = NULL;
  CHECK_OK(iree_hal_driver_registry_allocate(iree_allocator_system(),
                                             &registry));
  CHECK_OK(iree_hal_register_all_available_drivers(registry));
  CHECK_OK(iree_hal_create_device(registry,
                                  iree_make_cstring_view("local-sync"),
                                  iree_allocator_system(), &g_device));
  if (g_device) {
    test_queries_and_allocators();
    test_queue_operations();
    test_blocking_transfers();
    test_submit_and_wait_and_wait_semaphores();
    test_driver_devices(registry);
  }
  iree_hal_device_release(g_device);
  iree_hal_driver_registry_free(registry);
  return harness_finish();
}
