// Hand-written C types for the generated API header (see docs/DESIGN.md).
#ifndef IREE_ABI_HAL_TYPES_H_
#define IREE_ABI_HAL_TYPES_H_

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// --- semaphores, events, drivers and the registry (helper H) ---
// Devices are opaque here; iree/hal/device.h describes them.
typedef struct iree_hal_device_t iree_hal_device_t;
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

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_ABI_HAL_TYPES_H_
