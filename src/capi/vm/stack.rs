//! `iree/vm/stack.h`.

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::capi::base::string_builder::iree_string_builder_append_string;
use crate::capi::handle;
use crate::vm::stack::{Stack, MIN_SIZE};
use crate::{iree_err, Error, Result};

/// # Safety
/// A non-null `stack` must be a live stack handle.
unsafe fn stack_mut<'a>(stack: *mut iree_vm_stack_t) -> Result<&'a mut Stack> {
    // SAFETY: forwarded contract.
    unsafe { handle::try_mut(stack) }.ok_or_else(|| iree_err!(InvalidArgument, "stack is NULL"))
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_initialize(
    storage: iree_byte_span_t,
    flags: iree_vm_invocation_flags_t,
    state_resolver: iree_vm_state_resolver_t,
    allocator: iree_allocator_t,
    out_stack: *mut *mut iree_vm_stack_t,
) -> iree_status_t {
    ffi_boundary! {
        if out_stack.is_null() {
            return iree_err!(InvalidArgument, "out_stack is NULL").into();
        }
        if storage.data.is_null() || storage.data_length < MIN_SIZE {
            return iree_err!(InvalidArgument, "stack storage must be at least {} bytes", MIN_SIZE).into();
        }
        // SAFETY: the caller keeps `storage` valid until deinitialize.
        let stack = unsafe { Stack::new(storage.data, storage.data_length, flags, state_resolver, allocator) };
        // SAFETY: checked non-null.
        unsafe { *out_stack = handle::box_into_ptr(stack) };
        iree_status_t::OK
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_deinitialize(stack: *mut iree_vm_stack_t) {
    // SAFETY: NULL or a stack from initialize/allocate, not used again.
    ffi_boundary! { drop(unsafe { handle::box_from_ptr(stack) }) }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_allocate(
    flags: iree_vm_invocation_flags_t,
    state_resolver: iree_vm_state_resolver_t,
    allocator: iree_allocator_t,
    out_stack: *mut *mut iree_vm_stack_t,
) -> iree_status_t {
    ffi_boundary! {
        if out_stack.is_null() {
            return iree_err!(InvalidArgument, "out_stack is NULL").into();
        }
        // SAFETY: no caller storage; frames come from heap segments.
        let stack = unsafe { Stack::new(std::ptr::null_mut(), 0, flags, state_resolver, allocator) };
        // SAFETY: checked non-null.
        unsafe { *out_stack = handle::box_into_ptr(stack) };
        iree_status_t::OK
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_free(stack: *mut iree_vm_stack_t) {
    // SAFETY: as deinitialize.
    ffi_boundary! { drop(unsafe { handle::box_from_ptr(stack) }) }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_invocation_flags(
    stack: *const iree_vm_stack_t,
) -> iree_vm_invocation_flags_t {
    // SAFETY: NULL or live.
    ffi_boundary! { unsafe { handle::try_ref(stack) }.map_or(0, |s| s.flags()) }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_current_frame(
    stack: *mut iree_vm_stack_t,
) -> *mut iree_vm_stack_frame_t {
    // SAFETY: NULL or live.
    ffi_boundary! { unsafe { handle::try_ref(stack) }.and_then(|s| s.current_frame()).unwrap_or(std::ptr::null_mut()) }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_parent_frame(
    stack: *mut iree_vm_stack_t,
) -> *mut iree_vm_stack_frame_t {
    // SAFETY: NULL or live.
    ffi_boundary! { unsafe { handle::try_ref(stack) }.and_then(|s| s.parent_frame()).unwrap_or(std::ptr::null_mut()) }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_query_module_state(
    stack: *mut iree_vm_stack_t,
    module: *mut iree_vm_module_t,
    out_module_state: *mut *mut iree_vm_module_state_t,
) -> iree_status_t {
    ffi_boundary! {
        (|| {
            // SAFETY: stack contract.
            let state = unsafe { stack_mut(stack) }?.query_module_state(module)?;
            // SAFETY: NULL or valid.
            *unsafe { out_module_state.as_mut() }.ok_or_else(|| iree_err!(InvalidArgument, "out_module_state is NULL"))? = state;
            Ok(())
        })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_function_enter(
    stack: *mut iree_vm_stack_t,
    function: *const iree_vm_function_t,
    frame_type: iree_vm_stack_frame_type_t,
    frame_size: iree_host_size_t,
    frame_cleanup_fn: iree_vm_stack_frame_cleanup_fn_t,
    out_callee_frame: *mut *mut iree_vm_stack_frame_t,
) -> iree_status_t {
    ffi_boundary! {
        (|| {
            // SAFETY: stack contract; function NULL or valid.
            let (stack, function) = unsafe { (stack_mut(stack)?, function.as_ref()) };
            let function = function.ok_or_else(|| iree_err!(InvalidArgument, "function is NULL"))?;
            let frame = stack.function_enter(function, frame_type, frame_size, frame_cleanup_fn)?;
            // SAFETY: NULL or valid out-pointer.
            if let Some(out) = unsafe { out_callee_frame.as_mut() } {
                *out = frame;
            }
            Ok(())
        })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_function_leave(
    stack: *mut iree_vm_stack_t,
) -> iree_status_t {
    // SAFETY: stack contract.
    ffi_boundary! { unsafe { stack_mut(stack) }.and_then(|s| s.function_leave()).into() }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_format_backtrace(
    stack: *mut iree_vm_stack_t,
    builder: *mut iree_string_builder_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: stack contract.
        let text = match unsafe { stack_mut(stack) } { Ok(s) => s.format_backtrace(), Err(e) => return e.into() };
        if builder.is_null() {
            return iree_err!(InvalidArgument, "builder is NULL").into();
        }
        // SAFETY: the base layer's builder API; `text` outlives the call.
        unsafe { iree_string_builder_append_string(builder, iree_string_view_t::of(&text)) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_annotate_backtrace(
    stack: *mut iree_vm_stack_t,
    base_status: iree_status_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: the caller hands its status over.
        let Err(err) = (unsafe { base_status.into_result() }) else { return iree_status_t::OK };
        // SAFETY: stack contract.
        let err: Error = match unsafe { stack_mut(stack) } {
            Ok(s) => err.annotate(format!("VM stack:{}", s.format_backtrace())),
            Err(_) => err,
        };
        err.into()
    }
}
