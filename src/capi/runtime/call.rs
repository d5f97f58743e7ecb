//! `iree/runtime/call.h`: a function of a session with its input and output
//! lists, in a caller-owned `iree_runtime_call_t`.
//!
//! `iree_runtime_call_initialize` retains the session and creates the two
//! lists (the struct owns one reference to each);
//! `iree_runtime_call_deinitialize` releases all three and clears the
//! struct. The lists are reused across invocations.

use crate::abi::status::iree_status_t;
use crate::abi::string_view::iree_string_view_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::buffer_view::iree_hal_buffer_view_t;
use crate::capi::handle::{self, arg};
use crate::capi::runtime::session::iree_runtime_session_t;
use crate::capi::vm::types::{iree_vm_function_t, iree_vm_list_t};
use crate::runtime::call::{pop_front_buffer_view, push_back_buffer_view};
use crate::runtime::session::Session;
use crate::vm::list::List;
use crate::{iree_ensure, Result};

/// Flags of `iree_runtime_call_invoke` (none are defined; pass 0).
pub type iree_runtime_call_flags_t = u32;

/// A call in progress: the session (retained), the function, and the
/// input and output lists (one reference each).
#[repr(C)]
pub struct iree_runtime_call_t {
    pub session: *mut iree_runtime_session_t,
    pub function: iree_vm_function_t,
    pub inputs: *mut iree_vm_list_t,
    pub outputs: *mut iree_vm_list_t,
}

/// Room the lists start with; they grow as needed.
const INITIAL_LIST_CAPACITY: usize = 4;

/// Fills `*out_call` for `function` of `session`: the session is retained
/// and two empty lists are created, all released by
/// `iree_runtime_call_deinitialize`. On failure `*out_call` is zeroed.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_call_initialize(
    session: *mut iree_runtime_session_t,
    function: iree_vm_function_t,
    out_call: *mut iree_runtime_call_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's struct (API contract).
        let out_call = unsafe { arg!(out_call).out() }?;
        out_call.write(empty_call());
        iree_ensure!(!function.is_null(), InvalidArgument, "function is null");
        // SAFETY: NULL or a live session (API contract).
        let held = unsafe { arg!(session).handle() }?;
        out_call.write(new_call(session, held, function)?);
        Ok(())
    })
}

/// As `iree_runtime_call_initialize`, for the function `full_name` (read
/// during the call) of `session`.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_call_initialize_by_name(
    session: *mut iree_runtime_session_t,
    full_name: iree_string_view_t,
    out_call: *mut iree_runtime_call_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's struct (API contract).
        let out_call = unsafe { arg!(out_call).out() }?;
        out_call.write(empty_call());
        // SAFETY: NULL or a live session (API contract).
        let held = unsafe { arg!(session).handle() }?;
        // SAFETY: a string view the caller keeps valid for the call.
        let name = unsafe { full_name.as_bytes() };
        let function = held.context().resolve_function(name)?;
        out_call.write(new_call(session, held, function)?);
        Ok(())
    })
}

fn empty_call() -> iree_runtime_call_t {
    iree_runtime_call_t {
        session: std::ptr::null_mut(),
        function: iree_vm_function_t::NULL,
        inputs: std::ptr::null_mut(),
        outputs: std::ptr::null_mut(),
    }
}

fn new_call(
    session_ptr: *mut iree_runtime_session_t,
    session: &Session,
    function: iree_vm_function_t,
) -> Result<iree_runtime_call_t> {
    let allocator = session.host_allocator();
    let inputs = List::create(None, INITIAL_LIST_CAPACITY, allocator)?;
    let outputs = List::create(None, INITIAL_LIST_CAPACITY, allocator)?;
    let inputs = handle::vm_ref_into_ptr::<iree_vm_list_t>(inputs)?;
    let outputs = match handle::vm_ref_into_ptr::<iree_vm_list_t>(outputs) {
        Ok(outputs) => outputs,
        Err(e) => {
            // SAFETY: the one reference made just above.
            unsafe { handle::release(inputs) };
            return Err(e);
        }
    };
    // SAFETY: a live session (checked by the caller); the call owns this
    // reference until deinitialize.
    unsafe { handle::retain(session_ptr) };
    Ok(iree_runtime_call_t {
        session: session_ptr,
        function,
        inputs,
        outputs,
    })
}

/// Releases the call's lists (and what they hold) and its session
/// reference, and zeroes `*call`. NULL and a zeroed call are ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_call_deinitialize(call: *mut iree_runtime_call_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's struct (API contract).
        let call = unsafe { arg!(call).in_out() }?;
        let ended = std::mem::replace(call, empty_call());
        // SAFETY: each is NULL or the one reference the call owned.
        unsafe {
            handle::release(ended.inputs);
            handle::release(ended.outputs);
            handle::release(ended.session);
        }
        Ok(())
    })
}

/// Empties the input and output lists (releasing what they hold) so the
/// call can be invoked again with new inputs. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_call_reset(call: *mut iree_runtime_call_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized call (API contract).
        let call = unsafe { arg!(call).value() }?;
        for list in [call.inputs, call.outputs] {
            // SAFETY: NULL or a list the call owns.
            if let Some(list) = unsafe { handle::try_ref(list) } {
                list.clear();
            }
        }
        Ok(())
    })
}

/// The input list; borrowed, valid until the call is deinitialized. NULL
/// for NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_call_inputs(
    call: *const iree_runtime_call_t,
) -> *mut iree_vm_list_t {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized call (API contract).
        Ok(unsafe { arg!(call).value() }?.inputs)
    })
}

/// The output list; borrowed, valid until the call is deinitialized. NULL
/// for NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_call_outputs(
    call: *const iree_runtime_call_t,
) -> *mut iree_vm_list_t {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized call (API contract).
        Ok(unsafe { arg!(call).value() }?.outputs)
    })
}

/// Runs the function on the inputs pushed so far; its results replace
/// what the output list held (the inputs are kept). `flags` must be 0.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_call_invoke(
    call: *mut iree_runtime_call_t,
    flags: iree_runtime_call_flags_t,
) -> iree_status_t {
    ffi_boundary(|| {
        iree_ensure!(flags == 0, InvalidArgument, "unknown call flags {flags:#x}");
        // SAFETY: NULL or an initialized call (API contract).
        let (session, function, inputs, outputs) = unsafe { parts(call) }?;
        session.call(function, Some(inputs), Some(outputs))
    })
}

/// Appends `buffer_view` to the inputs; the list retains it (the caller
/// keeps its own reference).
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_call_inputs_push_back_buffer_view(
    call: *mut iree_runtime_call_t,
    buffer_view: *mut iree_hal_buffer_view_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized call and a live buffer view.
        let (_, _, inputs, _) = unsafe { parts(call) }?;
        // SAFETY: NULL or a live buffer view (API contract).
        let view = unsafe { arg!(buffer_view).hal() }?;
        push_back_buffer_view(inputs, &view)
    })
}

/// Removes the first output, which must be a buffer view; the caller owns
/// the reference in `*out_buffer_view` (NULL on failure) and releases it
/// with `iree_hal_buffer_view_release`. OUT_OF_RANGE when no output is left.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_call_outputs_pop_front_buffer_view(
    call: *mut iree_runtime_call_t,
    out_buffer_view: *mut *mut iree_hal_buffer_view_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_buffer_view = unsafe { arg!(out_buffer_view).out() }?;
        out_buffer_view.write(std::ptr::null_mut());
        // SAFETY: NULL or an initialized call (API contract).
        let (_, _, _, outputs) = unsafe { parts(call) }?;
        let view = pop_front_buffer_view(outputs)?;
        out_buffer_view.write(handle::hal_into_ptr(&view));
        Ok(())
    })
}

/// The session, function and lists of an initialized call.
///
/// # Safety
/// `call` is NULL or a call from `iree_runtime_call_initialize*`, not yet
/// deinitialized; the borrows last no longer than the caller's use of it.
unsafe fn parts<'a>(
    call: *const iree_runtime_call_t,
) -> Result<(&'a Session, iree_vm_function_t, &'a List, &'a List)> {
    // SAFETY: forwarded contract.
    let call = unsafe { arg!(call).value() }?;
    let (session, inputs, outputs) = (call.session, call.inputs, call.outputs);
    // SAFETY: the references the call owns (NULL after a failed
    // initialize, which `arg!` reports).
    unsafe {
        Ok((
            arg!(session).handle()?,
            call.function,
            arg!(inputs).handle()?,
            arg!(outputs).handle()?,
        ))
    }
}
