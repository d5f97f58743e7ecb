// Hand-written C types for the generated API header (see docs/DESIGN.md).
#ifndef IREE_ABI_HAL_TYPES_H_
#define IREE_ABI_HAL_TYPES_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// --- semaphores, events, drivers and the registry (helper H) ---
struct iree_hal_buffer_t;
typedef struct iree_hal_driver_t iree_hal_driver_t;
typedef struct iree_hal_driver_info_t iree_hal_driver_info_t;
// Body in iree/hal/utils/resource_set.h.
typedef struct iree_hal_resource_set_t iree_hal_resource_set_t;

// A factory's handle for one of its drivers; 0 is never a driver.
typedef uint64_t iree_hal_driver_id_t;

// Provides drivers to a registry. The registry keeps the pointer it is
// given (the caller keeps the struct live and unchanged while registered)
// and calls the functions with `self` while holding its lock, so they must
// not call back into the same registry.
typedef struct iree_hal_driver_factory_t {
  void* self;
  // Lists the factory's drivers: |*out_driver_infos| points at
  // |*out_driver_info_count| entries the factory owns (live while it is
  // registered).
  iree_status_t(IREE_API_PTR* enumerate)(
      void* self, const iree_hal_driver_info_t** out_driver_infos,
      iree_host_size_t* out_driver_info_count);
  // Creates the driver |driver_id| and hands the caller one reference.
  iree_status_t(IREE_API_PTR* try_create)(void* self,
                                          iree_hal_driver_id_t driver_id,
                                          iree_allocator_t allocator,
                                          iree_hal_driver_t** out_driver);
} iree_hal_driver_factory_t;

// --- devices and command buffers ---
// A driver's handle for one of its devices; 0 asks for the default device.
typedef uintptr_t iree_hal_device_id_t;

// Which payload of iree_hal_transfer_command_t is set.
typedef enum iree_hal_transfer_command_type_t {
  IREE_HAL_TRANSFER_COMMAND_TYPE_FILL = 0u,
  IREE_HAL_TRANSFER_COMMAND_TYPE_COPY = 1u,
  IREE_HAL_TRANSFER_COMMAND_TYPE_UPDATE = 2u,
} iree_hal_transfer_command_type_t;

// One command of iree_hal_create_transfer_command_buffer and
// iree_hal_device_transfer_and_wait (an anonymous union, which the
// generated header cannot express). Buffers and host data are borrowed for
// the call that takes the command.
typedef struct iree_hal_transfer_command_t {
  iree_hal_transfer_command_type_t type;
  union {
    struct {
      struct iree_hal_buffer_t* target_buffer;
      iree_device_size_t target_offset;
      iree_device_size_t length;
      const void* pattern;
      iree_host_size_t pattern_length;
    } fill;
    struct {
      struct iree_hal_buffer_t* source_buffer;
      iree_device_size_t source_offset;
      struct iree_hal_buffer_t* target_buffer;
      iree_device_size_t target_offset;
      iree_device_size_t length;
    } copy;
    struct {
      const void* source_buffer;
      iree_host_size_t source_offset;
      struct iree_hal_buffer_t* target_buffer;
      iree_device_size_t target_offset;
      iree_device_size_t length;
    } update;
  };
} iree_hal_transfer_command_t;

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_ABI_HAL_TYPES_H_
