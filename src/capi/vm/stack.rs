//! `iree/vm/stack.h`.
//!
//! A stack is owned by whoever made it: `iree_vm_stack_initialize` (over
//! caller storage, ended by `iree_vm_stack_deinitialize`) or
//! `iree_vm_stack_allocate` (ended by `iree_vm_stack_free`). Frames it
//! hands out are borrowed until the frame is left.

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::capi::base::string_builder::iree_string_builder_append_string;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg};
use crate::vm::stack::{Stack, MIN_SIZE};
use crate::{iree_ensure, Result};

/// Builds a stack whose first frames live in `storage` (at least
/// `IREE_VM_STACK_MIN_SIZE` bytes, owned by the caller and kept live until
/// `iree_vm_stack_deinitialize`); deeper frames use `allocator`.
/// `state_resolver` is copied and must stay usable while the stack lives.
/// The caller owns `*out_stack`.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_initialize(
    storage: iree_byte_span_t,
    flags: iree_vm_invocation_flags_t,
    state_resolver: iree_vm_state_resolver_t,
    allocator: iree_allocator_t,
    out_stack: *mut *mut iree_vm_stack_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_stack = unsafe { arg!(out_stack).out() }?;
        iree_ensure!(
            !storage.data.is_null() && storage.data_length >= MIN_SIZE,
            InvalidArgument,
            "stack storage must be at least {} bytes",
            MIN_SIZE
        );
        // SAFETY: the caller keeps `storage` valid until deinitialize.
        let stack = unsafe {
            Stack::new(
                storage.data,
                storage.data_length,
                flags,
                state_resolver,
                allocator,
            )
        };
        out_stack.write(handle::box_into_ptr(stack));
        Ok(())
    })
}

/// Ends a stack from `iree_vm_stack_initialize`, leaving any frames still
/// entered; the caller's storage is not freed. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_deinitialize(stack: *mut iree_vm_stack_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a stack from initialize, not used again.
        drop(unsafe { handle::box_from_ptr(stack) });
        Ok(())
    })
}

/// Builds a stack whose frames all come from `allocator`; `state_resolver`
/// as for `iree_vm_stack_initialize`. The caller owns `*out_stack` and ends
/// it with `iree_vm_stack_free`.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_allocate(
    flags: iree_vm_invocation_flags_t,
    state_resolver: iree_vm_state_resolver_t,
    allocator: iree_allocator_t,
    out_stack: *mut *mut iree_vm_stack_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_stack = unsafe { arg!(out_stack).out() }?;
        // SAFETY: no caller storage; frames come from heap segments.
        let stack =
            unsafe { Stack::new(std::ptr::null_mut(), 0, flags, state_resolver, allocator) };
        out_stack.write(handle::box_into_ptr(stack));
        Ok(())
    })
}

/// Ends a stack from `iree_vm_stack_allocate`. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_free(stack: *mut iree_vm_stack_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a stack from allocate, not used again.
        drop(unsafe { handle::box_from_ptr(stack) });
        Ok(())
    })
}

/// The flags the stack was made with (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_invocation_flags(
    stack: *const iree_vm_stack_t,
) -> iree_vm_invocation_flags_t {
    // SAFETY: NULL or a live stack (API contract).
    ffi_boundary(|| Ok(unsafe { arg!(stack).handle() }?.flags()))
}

/// The innermost frame, borrowed until it is left (NULL when none).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_current_frame(
    stack: *mut iree_vm_stack_t,
) -> *mut iree_vm_stack_frame_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live stack (API contract).
        let stack = unsafe { arg!(stack).handle() }?;
        Ok(stack.current_frame().unwrap_or(std::ptr::null_mut()))
    })
}

/// The frame below the innermost one, borrowed until it is left (NULL when
/// none).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_parent_frame(
    stack: *mut iree_vm_stack_t,
) -> *mut iree_vm_stack_frame_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live stack (API contract).
        let stack = unsafe { arg!(stack).handle() }?;
        Ok(stack.parent_frame().unwrap_or(std::ptr::null_mut()))
    })
}

/// Writes `module`'s state in the stack's context to `*out_module_state`
/// (owned by the context; valid while it lives).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_query_module_state(
    stack: *mut iree_vm_stack_t,
    module: *mut iree_vm_module_t,
    out_module_state: *mut *mut iree_vm_module_state_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live stack used by this thread (API contract).
        let stack = unsafe { arg!(stack).handle_mut() }?;
        let state = stack.query_module_state(module)?;
        // SAFETY: NULL or the caller's slot.
        unsafe { arg!(out_module_state).out() }?.write(state);
        Ok(())
    })
}

/// Enters a frame for `function` (copied) with `frame_size` bytes of
/// frame storage owned by the stack; `frame_cleanup_fn` runs when the
/// frame is left. `*out_callee_frame` (optional) is borrowed until then.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_function_enter(
    stack: *mut iree_vm_stack_t,
    function: *const iree_vm_function_t,
    frame_type: iree_vm_stack_frame_type_t,
    frame_size: iree_host_size_t,
    frame_cleanup_fn: iree_vm_stack_frame_cleanup_fn_t,
    out_callee_frame: *mut *mut iree_vm_stack_frame_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live stack used by this thread; NULL or a valid
        // function (API contract).
        let (stack, function) = unsafe { (arg!(stack).handle_mut()?, arg!(function).value()?) };
        let frame = stack.function_enter(function, frame_type, frame_size, frame_cleanup_fn)?;
        // SAFETY: NULL or the caller's slot (optional).
        if let Ok(out) = unsafe { arg!(out_callee_frame).out() } {
            out.write(frame);
        }
        Ok(())
    })
}

/// Leaves the innermost frame, running its cleanup.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_function_leave(
    stack: *mut iree_vm_stack_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live stack used by this thread (API contract).
        unsafe { arg!(stack).handle_mut() }?.function_leave()
    })
}

/// Appends the stack's backtrace to `builder` (borrowed for the call).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_format_backtrace(
    stack: *mut iree_vm_stack_t,
    builder: *mut iree_string_builder_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live stack (API contract).
        let text = unsafe { arg!(stack).handle() }?.format_backtrace();
        let builder = arg!(builder).non_null_ptr()?;
        // SAFETY: the base layer's builder API; `text` outlives the call.
        Ok(unsafe { iree_string_builder_append_string(builder, iree_string_view_t::of(&text)) })
    })
}

/// Takes `base_status` and returns it annotated with the stack's backtrace
/// (OK stays OK; a NULL stack adds nothing). The caller owns the result.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_stack_annotate_backtrace(
    stack: *mut iree_vm_stack_t,
    base_status: iree_status_t,
) -> iree_status_t {
    ffi_boundary(|| -> Result<()> {
        // SAFETY: the caller hands its status over.
        let Err(err) = (unsafe { base_status.into_result() }) else {
            return Ok(());
        };
        // SAFETY: NULL or a live stack (API contract).
        Err(match unsafe { arg!(stack).handle() } {
            Ok(stack) => err.annotate(format!("VM stack:{}", stack.format_backtrace())),
            Err(_) => err,
        })
    })
}
