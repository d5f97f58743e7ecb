//! `iree/modules/hal/module.h`: the `hal` VM module over one device (the
//! seeds' signature). The ref type adapters of HAL buffers and buffer views
//! the header declares live in `capi::hal::vm_refs`.

use crate::abi::iree_allocator_t;
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::device::iree_hal_device_t;
use crate::capi::handle::arg;
use crate::capi::vm::types::iree_vm_module_t;
use crate::modules::hal::types::register_types;
use crate::modules::hal::HalModule;
use crate::vm::module::export_module;

/// Registers the HAL ref types (`hal.buffer`, `hal.device`, ...) with the
/// VM; calling it again does nothing.
#[no_mangle]
pub extern "C" fn iree_hal_module_register_types() -> iree_status_t {
    ffi_boundary(register_types)
}

/// Creates a `hal` module over `device` (retained by the module). The
/// caller owns the one reference in `*out_module` (NULL on failure) and
/// releases it with `iree_vm_module_release`. `allocator` is not used:
/// the module lives in the library's own memory.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_module_create(
    device: *mut iree_hal_device_t,
    allocator: iree_allocator_t,
    out_module: *mut *mut iree_vm_module_t,
) -> iree_status_t {
    let _ = allocator;
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_module = unsafe { arg!(out_module).out() }?;
        out_module.write(std::ptr::null_mut());
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal() }?;
        let module = HalModule::new(vec![std::sync::Arc::clone(device.device())])?;
        out_module.write(export_module(Box::new(module)));
        Ok(())
    })
}
