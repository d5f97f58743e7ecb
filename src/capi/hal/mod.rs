//! The HAL C API (`iree/hal/*.h`), one file per upstream header. HAL
//! objects cross as described in `abi::hal_resource`: one pointer per core
//! object, its `iree_hal_resource_t` header counting C's references.
//! Each helper adds its modules one line each.

pub mod allocator;
pub mod buffer;
pub mod buffer_view;
pub mod buffer_view_util;
pub mod command_buffer;
pub mod command_buffer_bindings;
pub mod descriptor_set;
pub mod descriptor_set_layout;
pub mod device;
pub mod driver;
pub mod driver_registry;
pub mod drivers_init;
pub mod event;
pub mod executable;
pub mod executable_cache;
pub mod executable_layout;
pub mod fence;
pub mod resource;
pub mod resource_set;
pub mod semaphore;
pub mod string_util;
pub mod vm_refs;
pub mod vmvx_driver_module;
