//! `iree/vm/native_module.h`.
//!
//! A native module wraps a C `interface` table and a static descriptor
//! (both borrowed for the module's life: the descriptor's strings and
//! tables must be static, as upstream requires).

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
use crate::vm::module::{export_module, export_module_in, EXPORTED_SIZE};
use crate::vm::native_module::NativeModule;

/// Bytes of storage `iree_vm_native_module_initialize` needs.
#[no_mangle]
pub extern "C" fn iree_vm_native_module_size() -> iree_host_size_t {
    ffi_boundary(|| Ok(EXPORTED_SIZE))
}

/// # Safety
/// Pointers NULL or valid per the C API; descriptors static.
unsafe fn build(
    interface: *const iree_vm_module_t,
    module_descriptor: *const iree_vm_native_module_descriptor_t,
) -> crate::Result<NativeModule> {
    // SAFETY: forwarded contract.
    let (interface, module_descriptor) =
        unsafe { (arg!(interface).value()?, arg!(module_descriptor).value()?) };
    // SAFETY: forwarded contract.
    unsafe { NativeModule::new(interface, module_descriptor) }
}

/// Creates a module over `interface` and `module_descriptor` (both kept,
/// borrowed, for the module's life). The caller owns the one reference in
/// `*out_module` and releases it with `iree_vm_module_release`.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_native_module_create(
    interface: *const iree_vm_module_t,
    module_descriptor: *const iree_vm_native_module_descriptor_t,
    _allocator: iree_allocator_t,
    out_module: *mut *mut iree_vm_module_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot; the rest as `build`.
        let out_module = unsafe { arg!(out_module).out() }?;
        // SAFETY: forwarded contract.
        let module = unsafe { build(interface, module_descriptor) }?;
        out_module.write(export_module(Box::new(module)));
        Ok(())
    })
}

/// As `iree_vm_native_module_create`, building the module inside the
/// caller's `module` storage (`iree_vm_native_module_size()` bytes, owned
/// by the caller and kept live until the last release destroys the module
/// in place).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_native_module_initialize(
    interface: *const iree_vm_module_t,
    module_descriptor: *const iree_vm_native_module_descriptor_t,
    _allocator: iree_allocator_t,
    module: *mut iree_vm_module_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        let native = unsafe { build(interface, module_descriptor) }?;
        let storage = arg!(module).non_null_ptr()?.cast::<u8>();
        // SAFETY: `module` is caller memory of iree_vm_native_module_size() bytes.
        unsafe { export_module_in(storage, Box::new(native)) }?;
        Ok(())
    })
}
