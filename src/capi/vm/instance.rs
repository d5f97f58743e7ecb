//! `iree/vm/instance.h`.

use std::sync::Arc;

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::capi::handle;
use crate::iree_err;
use crate::vm::instance::Instance;

#[no_mangle]
pub unsafe extern "C" fn iree_vm_instance_create(
    allocator: iree_allocator_t,
    out_instance: *mut *mut iree_vm_instance_t,
) -> iree_status_t {
    ffi_boundary! {
        if out_instance.is_null() {
            return iree_err!(InvalidArgument, "out_instance is NULL").into();
        }
        match Instance::new(allocator) {
            Ok(instance) => {
                // SAFETY: checked non-null.
                unsafe { *out_instance = handle::arc_into_ptr(Arc::new(instance)) };
                iree_status_t::OK
            }
            Err(e) => e.into(),
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_instance_retain(instance: *mut iree_vm_instance_t) {
    // SAFETY: NULL or a live instance handle.
    ffi_boundary! { unsafe { handle::arc_retain(instance) } }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_instance_release(instance: *mut iree_vm_instance_t) {
    // SAFETY: NULL or a live instance handle; the caller gives up a count.
    ffi_boundary! { unsafe { handle::arc_release(instance) } }
}
