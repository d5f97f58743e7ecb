//! `iree/vm/instance.h`.

use std::sync::Arc;

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg};
use crate::vm::instance::Instance;

/// Creates an instance (and registers the built-in ref types). The caller
/// owns the one reference in `*out_instance` and releases it with
/// `iree_vm_instance_release`; `allocator` is kept by the instance.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_instance_create(
    allocator: iree_allocator_t,
    out_instance: *mut *mut iree_vm_instance_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_instance = unsafe { arg!(out_instance).out() }?;
        let instance = Instance::new(allocator)?;
        out_instance.write(handle::arc_into_ptr(Arc::new(instance)));
        Ok(())
    })
}

/// Adds a reference to `instance`, which the caller then owns. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_instance_retain(instance: *mut iree_vm_instance_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live instance (API contract).
        unsafe { handle::retain(instance) };
        Ok(())
    })
}

/// Gives up one of the caller's references to `instance`; the last one
/// (contexts hold their own) frees it. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_instance_release(instance: *mut iree_vm_instance_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live instance whose reference the caller gives up.
        unsafe { handle::release(instance) };
        Ok(())
    })
}
