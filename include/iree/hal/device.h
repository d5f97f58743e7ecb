// Devices: allocation, command buffer submission, semaphore waits and the
// 3.13 queue operations (iree_hal_device_queue_*). Declarations are in
// iree/generated/api.h; this header adds constants and inline helpers.
// Devices implemented in C (a vtable of your own) are not supported.
#ifndef IREE_HAL_DEVICE_H_
#define IREE_HAL_DEVICE_H_

#include <stdbool.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/resource.h"

#ifdef __cplusplus
extern "C" {
#endif

// The id asking a driver for its default device.
#define IREE_HAL_DEVICE_ID_INVALID 0ull

enum iree_hal_device_feature_bits_t {
  IREE_HAL_DEVICE_FEATURE_NONE = 0u,
  IREE_HAL_DEVICE_FEATURE_SUPPORTS_DEBUGGING = 1u << 0,
  IREE_HAL_DEVICE_FEATURE_SUPPORTS_COVERAGE = 1u << 1,
  IREE_HAL_DEVICE_FEATURE_SUPPORTS_PROFILING = 1u << 2,
};
typedef uint32_t iree_hal_device_feature_t;

// iree_hal_wait_mode_t values.
enum iree_hal_wait_mode_e {
  IREE_HAL_WAIT_MODE_ALL = 0,
  IREE_HAL_WAIT_MODE_ANY = 1,
};

static inline iree_hal_transfer_buffer_t iree_hal_make_host_transfer_buffer(
    iree_byte_span_t host_buffer) {
  iree_hal_transfer_buffer_t transfer_buffer = {host_buffer, NULL};
  return transfer_buffer;
}

static inline iree_hal_transfer_buffer_t
iree_hal_make_host_transfer_buffer_span(void* ptr, iree_host_size_t length) {
  iree_hal_transfer_buffer_t transfer_buffer = {
      iree_make_byte_span(ptr, length), NULL};
  return transfer_buffer;
}

static inline iree_hal_transfer_buffer_t iree_hal_make_device_transfer_buffer(
    iree_hal_buffer_t* device_buffer) {
  iree_hal_transfer_buffer_t transfer_buffer = {iree_byte_span_empty(),
                                                device_buffer};
  return transfer_buffer;
}

// An empty semaphore list (3.13 queue operations without waits or signals).
static inline iree_hal_semaphore_list_t iree_hal_semaphore_list_empty(void) {
  iree_hal_semaphore_list_t list = {0, NULL, NULL};
  return list;
}

// An empty binding table.
static inline iree_hal_buffer_binding_table_t
iree_hal_buffer_binding_table_empty(void) {
  iree_hal_buffer_binding_table_t table = {0, NULL};
  return table;
}

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_HAL_DEVICE_H_
