//! `iree/vm/invocation.h`. Only synchronous `iree_vm_invoke` is provided;
//! the asynchronous invocation object reports UNIMPLEMENTED.

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::capi::handle;
use crate::iree_err;
use crate::vm::list::List;

#[no_mangle]
pub unsafe extern "C" fn iree_vm_invoke(
    context: *mut iree_vm_context_t,
    function: iree_vm_function_t,
    flags: iree_vm_invocation_flags_t,
    _policy: *const iree_vm_invocation_policy_t,
    inputs: *mut iree_vm_list_t,
    outputs: *mut iree_vm_list_t,
    allocator: iree_allocator_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: handle contracts (NULL lists allowed).
        let (context, inputs, outputs) = unsafe {
            (handle::try_ref(context), handle::try_ref::<iree_vm_list_t>(inputs), handle::try_ref::<iree_vm_list_t>(outputs))
        };
        let Some(context) = context else {
            return iree_err!(InvalidArgument, "context is NULL").into();
        };
        let inputs: Option<&List> = inputs;
        crate::vm::invocation::invoke(context, function, flags, inputs, outputs, allocator).into()
    }
}

fn unimplemented() -> iree_status_t {
    iree_err!(
        Unimplemented,
        "asynchronous invocations are not supported; use iree_vm_invoke"
    )
    .into()
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_invocation_create(
    _context: *mut iree_vm_context_t,
    _function: iree_vm_function_t,
    _flags: iree_vm_invocation_flags_t,
    _policy: *const iree_vm_invocation_policy_t,
    _inputs: *const iree_vm_list_t,
    _allocator: iree_allocator_t,
    out_invocation: *mut *mut iree_vm_invocation_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: NULL or valid out-pointer.
        if let Some(out) = unsafe { out_invocation.as_mut() } {
            *out = std::ptr::null_mut();
        }
        unimplemented()
    }
}

#[no_mangle]
pub extern "C" fn iree_vm_invocation_retain(
    _invocation: *mut iree_vm_invocation_t,
) -> iree_status_t {
    ffi_boundary! { unimplemented() }
}

#[no_mangle]
pub extern "C" fn iree_vm_invocation_release(
    _invocation: *mut iree_vm_invocation_t,
) -> iree_status_t {
    ffi_boundary! { unimplemented() }
}

#[no_mangle]
pub extern "C" fn iree_vm_invocation_query_status(
    _invocation: *mut iree_vm_invocation_t,
) -> iree_status_t {
    ffi_boundary! { unimplemented() }
}

#[no_mangle]
pub extern "C" fn iree_vm_invocation_output(
    _invocation: *mut iree_vm_invocation_t,
) -> *const iree_vm_list_t {
    ffi_boundary! { std::ptr::null() }
}

#[no_mangle]
pub extern "C" fn iree_vm_invocation_await(
    _invocation: *mut iree_vm_invocation_t,
    _deadline: iree_time_t,
) -> iree_status_t {
    ffi_boundary! { unimplemented() }
}

#[no_mangle]
pub extern "C" fn iree_vm_invocation_abort(
    _invocation: *mut iree_vm_invocation_t,
) -> iree_status_t {
    ffi_boundary! { unimplemented() }
}
