//! `iree/vm/invocation.h`. Only synchronous `iree_vm_invoke` is provided;
//! the asynchronous invocation object reports UNIMPLEMENTED.

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg};
use crate::{iree_err, Error, Result};

/// Runs `function` in `context` to completion. `inputs` is read and
/// `outputs` appended to (both borrowed for the call; either may be NULL
/// when the function takes or returns nothing); results that are refs are
/// retained by `outputs`. `function` must belong to a module of `context`.
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
    ffi_boundary(|| {
        // SAFETY: NULL or live handles (NULL lists allowed; API contract).
        let (context, inputs, outputs) = unsafe {
            (
                arg!(context).handle()?,
                handle::try_ref(inputs),
                handle::try_ref(outputs),
            )
        };
        crate::vm::invocation::invoke(context, function, flags, inputs, outputs, allocator)
    })
}

fn unimplemented() -> Error {
    iree_err!(
        Unimplemented,
        "asynchronous invocations are not supported; use iree_vm_invoke"
    )
}

/// UNIMPLEMENTED; `*out_invocation` is set to NULL.
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
    ffi_boundary(|| -> Result<()> {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        if let Ok(out) = unsafe { arg!(out_invocation).out() } {
            out.write(std::ptr::null_mut());
        }
        Err(unimplemented())
    })
}

/// UNIMPLEMENTED (no invocation can exist).
#[no_mangle]
pub extern "C" fn iree_vm_invocation_retain(
    _invocation: *mut iree_vm_invocation_t,
) -> iree_status_t {
    ffi_boundary(|| -> Result<()> { Err(unimplemented()) })
}

/// UNIMPLEMENTED (no invocation can exist).
#[no_mangle]
pub extern "C" fn iree_vm_invocation_release(
    _invocation: *mut iree_vm_invocation_t,
) -> iree_status_t {
    ffi_boundary(|| -> Result<()> { Err(unimplemented()) })
}

/// UNIMPLEMENTED (no invocation can exist).
#[no_mangle]
pub extern "C" fn iree_vm_invocation_query_status(
    _invocation: *mut iree_vm_invocation_t,
) -> iree_status_t {
    ffi_boundary(|| -> Result<()> { Err(unimplemented()) })
}

/// NULL (no invocation can exist).
#[no_mangle]
pub extern "C" fn iree_vm_invocation_output(
    _invocation: *mut iree_vm_invocation_t,
) -> *const iree_vm_list_t {
    ffi_boundary(|| Ok(std::ptr::null()))
}

/// UNIMPLEMENTED (no invocation can exist).
#[no_mangle]
pub extern "C" fn iree_vm_invocation_await(
    _invocation: *mut iree_vm_invocation_t,
    _deadline: iree_time_t,
) -> iree_status_t {
    ffi_boundary(|| -> Result<()> { Err(unimplemented()) })
}

/// UNIMPLEMENTED (no invocation can exist).
#[no_mangle]
pub extern "C" fn iree_vm_invocation_abort(
    _invocation: *mut iree_vm_invocation_t,
) -> iree_status_t {
    ffi_boundary(|| -> Result<()> { Err(unimplemented()) })
}
