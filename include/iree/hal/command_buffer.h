// Command buffers: recorded transfer and dispatch commands that a queue
// executes. The functions and structs are declared in iree/generated/api.h;
// this header adds the bit constants and inline helpers. Every command is
// validated when recorded (as with the seeds' validation layer on).
// Unlike the seeds, `struct iree_hal_command_buffer_t` is opaque beyond its
// leading iree_hal_resource_t, and command buffers implemented in C
// (iree_hal_command_buffer_initialize) are not supported.
#ifndef IREE_HAL_COMMAND_BUFFER_H_
#define IREE_HAL_COMMAND_BUFFER_H_

#include <stdbool.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/resource.h"

#ifdef __cplusplus
extern "C" {
#endif

enum iree_hal_command_buffer_mode_bits_t {
  // Submitted once; executing it again fails.
  IREE_HAL_COMMAND_BUFFER_MODE_ONE_SHOT = 1u << 0,
  // May execute while recording (one-shot only).
  IREE_HAL_COMMAND_BUFFER_MODE_ALLOW_INLINE_EXECUTION = 1u << 4,
  // Accepted; validation stays on.
  IREE_HAL_COMMAND_BUFFER_MODE_UNVALIDATED = 1u << 5,
};

enum iree_hal_command_category_bits_t {
  IREE_HAL_COMMAND_CATEGORY_TRANSFER = 1u << 0,
  IREE_HAL_COMMAND_CATEGORY_DISPATCH = 1u << 1,
  IREE_HAL_COMMAND_CATEGORY_ANY =
      IREE_HAL_COMMAND_CATEGORY_TRANSFER | IREE_HAL_COMMAND_CATEGORY_DISPATCH,
};

enum iree_hal_execution_stage_bits_t {
  IREE_HAL_EXECUTION_STAGE_COMMAND_ISSUE = 1u << 0,
  IREE_HAL_EXECUTION_STAGE_COMMAND_PROCESS = 1u << 1,
  IREE_HAL_EXECUTION_STAGE_DISPATCH = 1u << 2,
  IREE_HAL_EXECUTION_STAGE_TRANSFER = 1u << 3,
  IREE_HAL_EXECUTION_STAGE_COMMAND_RETIRE = 1u << 4,
  IREE_HAL_EXECUTION_STAGE_HOST = 1u << 5,
};

enum iree_hal_execution_barrier_flag_bits_t {
  IREE_HAL_EXECUTION_BARRIER_FLAG_NONE = 0,
};

enum iree_hal_access_scope_bits_t {
  IREE_HAL_ACCESS_SCOPE_INDIRECT_COMMAND_READ = 1u << 0,
  IREE_HAL_ACCESS_SCOPE_CONSTANT_READ = 1u << 1,
  IREE_HAL_ACCESS_SCOPE_DISPATCH_READ = 1u << 2,
  IREE_HAL_ACCESS_SCOPE_DISPATCH_WRITE = 1u << 3,
  IREE_HAL_ACCESS_SCOPE_TRANSFER_READ = 1u << 4,
  IREE_HAL_ACCESS_SCOPE_TRANSFER_WRITE = 1u << 5,
  IREE_HAL_ACCESS_SCOPE_HOST_READ = 1u << 6,
  IREE_HAL_ACCESS_SCOPE_HOST_WRITE = 1u << 7,
  IREE_HAL_ACCESS_SCOPE_MEMORY_READ = 1u << 8,
  IREE_HAL_ACCESS_SCOPE_MEMORY_WRITE = 1u << 9,
};

// The largest update_buffer the seeds document (not enforced here).
#define IREE_HAL_COMMAND_BUFFER_MAX_UPDATE_SIZE \
  ((iree_device_size_t)(64 * 1024))

// Binding-table recording (this runtime's addition, see
// iree_hal_command_buffer_create_with_binding_capacity): a reference to
// |length| bytes at |offset| of |buffer|.
static inline iree_hal_buffer_ref_t iree_hal_make_buffer_ref(
    iree_hal_buffer_t* buffer, iree_device_size_t offset,
    iree_device_size_t length) {
  iree_hal_buffer_ref_t ref = {0, buffer, offset, length};
  return ref;
}

// A reference into binding table slot |buffer_slot|, resolved when the
// command buffer is executed with a table (iree_hal_device_queue_execute).
static inline iree_hal_buffer_ref_t iree_hal_make_indirect_buffer_ref(
    uint32_t buffer_slot, iree_device_size_t offset,
    iree_device_size_t length) {
  iree_hal_buffer_ref_t ref = {buffer_slot, NULL, offset, length};
  return ref;
}

static inline iree_hal_label_color_t iree_hal_label_color_unspecified(void) {
  iree_hal_label_color_t color = {0, 0, 0, 0};
  return color;
}

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_HAL_COMMAND_BUFFER_H_
