//! The HAL C API (`iree/hal/*.h`), one file per upstream header. HAL
//! objects cross as described in `abi::hal_resource`: one pointer per core
//! object, its `iree_hal_resource_t` header counting C's references.
//! Each helper adds its modules one line each.

pub mod allocator;
pub mod buffer;
pub mod buffer_view;
pub mod buffer_view_util;
pub mod device;
pub mod driver;
pub mod driver_registry;
pub mod event;
pub mod fence;
pub mod resource;
pub mod resource_set;
pub mod semaphore;
pub mod string_util;
