//! `iree/vm/native_module.h`.

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::iree_err;
use crate::vm::module::{export_module, export_module_in, EXPORTED_SIZE};
use crate::vm::native_module::NativeModule;

#[no_mangle]
pub extern "C" fn iree_vm_native_module_size() -> iree_host_size_t {
    ffi_boundary! { EXPORTED_SIZE }
}

/// # Safety
/// Pointers NULL or valid per the C API; descriptors static.
unsafe fn build(
    interface: *const iree_vm_module_t,
    descriptor: *const iree_vm_native_module_descriptor_t,
) -> crate::Result<NativeModule> {
    // SAFETY: forwarded contract.
    let (Some(i), Some(d)) = (unsafe { interface.as_ref() }, unsafe {
        descriptor.as_ref()
    }) else {
        return Err(iree_err!(
            InvalidArgument,
            "interface and descriptor are required"
        ));
    };
    // SAFETY: forwarded contract.
    unsafe { NativeModule::new(i, d) }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_native_module_create(
    interface: *const iree_vm_module_t,
    module_descriptor: *const iree_vm_native_module_descriptor_t,
    _allocator: iree_allocator_t,
    out_module: *mut *mut iree_vm_module_t,
) -> iree_status_t {
    ffi_boundary! {
        if out_module.is_null() {
            return iree_err!(InvalidArgument, "out_module is NULL").into();
        }
        // SAFETY: forwarded contract.
        match unsafe { build(interface, module_descriptor) } {
            Ok(m) => {
                // SAFETY: checked non-null.
                unsafe { *out_module = export_module(Box::new(m)) };
                iree_status_t::OK
            }
            Err(e) => e.into(),
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_native_module_initialize(
    interface: *const iree_vm_module_t,
    module_descriptor: *const iree_vm_native_module_descriptor_t,
    _allocator: iree_allocator_t,
    module: *mut iree_vm_module_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: `module` is caller memory of iree_vm_native_module_size() bytes.
        (|| unsafe { export_module_in(module as *mut u8, Box::new(build(interface, module_descriptor)?)).map(|_| ()) })().into()
    }
}
