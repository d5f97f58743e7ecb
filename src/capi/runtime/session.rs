//! `iree/runtime/session.h`: sessions, one VM context over one device.
//!
//! A session handle is an `Arc<Session>`; `iree_runtime_session_create_with_device`
//! gives the caller one reference, released with
//! `iree_runtime_session_release`. The session keeps its instance and
//! device. IREE 3.13's `iree_runtime_session_append_bytecode_module_from_stdin`
//! is added; `iree_runtime_session_call_direct` keeps the seeds' pointer
//! argument.

use std::ffi::{c_char, CStr};
use std::path::Path;
use std::sync::Arc;

use crate::abi::allocator::{iree_allocator_t, iree_const_byte_span_t};
use crate::abi::status::iree_status_t;
use crate::abi::string_view::iree_string_view_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::allocator::iree_hal_allocator_t;
use crate::capi::hal::device::iree_hal_device_t;
use crate::capi::handle::{self, arg, Castable, Shared};
use crate::capi::runtime::instance::iree_runtime_instance_t;
use crate::capi::vm::bytecode_module::CallerBytes;
use crate::capi::vm::types::{
    iree_vm_context_flags_t, iree_vm_context_t, iree_vm_function_call_t, iree_vm_function_t,
    iree_vm_list_t, iree_vm_module_t,
};
use crate::runtime::session::{Session, SessionOptions};
use crate::vm::bytecode::module::create_module;
use crate::vm::module::CModule;
use crate::vm::stack::Stack;
use crate::{iree_ensure, iree_err, Result};

/// Opaque handle to a runtime [`Session`].
pub struct iree_runtime_session_t {
    _private: [u8; 0],
}

impl Castable for iree_runtime_session_t {
    type Ownership = Shared;
    type RustType = Session;
}

/// Bits of builtin modules to register (`IREE_RUNTIME_SESSION_BUILTIN_*`);
/// any set bit registers the `hal` module, the only builtin.
pub type iree_runtime_session_builtins_t = u64;

/// How a session is made (`iree_runtime_session_options_initialize` fills
/// it in).
#[repr(C)]
pub struct iree_runtime_session_options_t {
    pub context_flags: iree_vm_context_flags_t,
    pub builtin_modules: iree_runtime_session_builtins_t,
}

/// Sets `*out_options` to the defaults: no context flags, every builtin
/// module. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_options_initialize(
    out_options: *mut iree_runtime_session_options_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's struct (API contract).
        let out_options = unsafe { arg!(out_options).out() }?;
        let defaults = SessionOptions::default();
        out_options.write(iree_runtime_session_options_t {
            context_flags: defaults.context_flags,
            builtin_modules: defaults.builtin_modules,
        });
        Ok(())
    })
}

/// Creates a session over `device` with a new VM context in `instance`'s VM
/// instance; the builtin `hal` module is registered first. `instance` and
/// `device` are retained by the session; `options` is read during the
/// call; `host_allocator` is kept. The caller owns the one reference in
/// `*out_session` (NULL on failure) and releases it with
/// `iree_runtime_session_release`.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_create_with_device(
    instance: *mut iree_runtime_instance_t,
    options: *const iree_runtime_session_options_t,
    device: *mut iree_hal_device_t,
    host_allocator: iree_allocator_t,
    out_session: *mut *mut iree_runtime_session_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_session = unsafe { arg!(out_session).out() }?;
        out_session.write(std::ptr::null_mut());
        // SAFETY: NULL or live handles and options (API contract).
        let (instance, options, device) = unsafe {
            (
                arg!(instance).shared()?,
                arg!(options).value()?,
                arg!(device).hal()?,
            )
        };
        let options = SessionOptions {
            context_flags: options.context_flags,
            builtin_modules: options.builtin_modules,
        };
        let session = Session::create_with_device(instance, &options, device, host_allocator)?;
        out_session.write(handle::arc_into_ptr(Arc::new(session)));
        Ok(())
    })
}

/// Adds a reference to `session`, which the caller then owns. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_retain(session: *mut iree_runtime_session_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live session (API contract).
        unsafe { handle::retain(session) };
        Ok(())
    })
}

/// Releases one reference to `session`; the last one frees it with its
/// context, modules and its references to the device and instance. NULL
/// is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_release(session: *mut iree_runtime_session_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live session the caller holds a reference on.
        unsafe { handle::release(session) };
        Ok(())
    })
}

/// The host allocator given at creation (the null allocator for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_host_allocator(
    session: *const iree_runtime_session_t,
) -> iree_allocator_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live session (API contract).
        Ok(unsafe { arg!(session).handle() }?.host_allocator())
    })
}

/// The instance the session was made in; borrowed, valid while `session`
/// lives. NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_instance(
    session: *const iree_runtime_session_t,
) -> *mut iree_runtime_instance_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live session (API contract).
        let session = unsafe { arg!(session).handle() }?;
        Ok(handle::borrowed_ptr(&**session.instance()))
    })
}

/// The session's VM context; borrowed, valid while `session` lives (retain
/// it to keep it longer). NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_context(
    session: *const iree_runtime_session_t,
) -> *mut iree_vm_context_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live session (API contract).
        let session = unsafe { arg!(session).handle() }?;
        Ok(handle::borrowed_ptr(&**session.context()))
    })
}

/// The session's device; borrowed, valid while `session` lives. NULL for
/// NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_device(
    session: *const iree_runtime_session_t,
) -> *mut iree_hal_device_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live session (API contract).
        let session = unsafe { arg!(session).handle() }?;
        Ok(handle::borrowed_ptr(&**session.device()))
    })
}

/// The allocator of the session's device; borrowed, valid while `session`
/// lives. NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_device_allocator(
    session: *const iree_runtime_session_t,
) -> *mut iree_hal_allocator_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live session (API contract).
        let session = unsafe { arg!(session).handle() }?;
        Ok(session
            .device()
            .lend_allocator()?
            .cast::<iree_hal_allocator_t>())
    })
}

/// Asks the session's modules and device to drop what they cache.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_trim(
    session: *mut iree_runtime_session_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live session (API contract).
        unsafe { arg!(session).handle() }?.trim()
    })
}

/// Registers `module` (retained by the session's context) after the
/// modules already there, resolving its imports against them, and runs its
/// initializer.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_append_module(
    session: *mut iree_runtime_session_t,
    module: *mut iree_vm_module_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live session (API contract).
        let session = unsafe { arg!(session).handle() }?;
        let module = arg!(module).non_null_ptr()?;
        // SAFETY: a live module table (API contract); a reference of our own.
        let module = unsafe { CModule::retain(module) }?;
        session.append_module(&module)
    })
}

/// Loads a bytecode module from `flatbuffer_data` and appends it. With a
/// real `flatbuffer_allocator` the module takes the bytes on success and
/// frees them through it when the module dies; with
/// `iree_allocator_null()` the caller keeps them alive and unchanged for
/// the session's whole life. On failure the bytes stay the caller's.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_append_bytecode_module_from_memory(
    session: *mut iree_runtime_session_t,
    flatbuffer_data: iree_const_byte_span_t,
    flatbuffer_allocator: iree_allocator_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live session (API contract).
        let session = unsafe { arg!(session).handle() }?;
        iree_ensure!(
            !flatbuffer_data.data.is_null() && flatbuffer_data.data_length != 0,
            InvalidArgument,
            "flatbuffer data is empty"
        );
        let bytes = Arc::new(CallerBytes::new(
            flatbuffer_data.data,
            flatbuffer_data.data_length,
            flatbuffer_allocator,
        ));
        let module = create_module(bytes.clone())?;
        // The module holds the bytes from here on, whether or not the
        // context accepts it.
        bytes.take();
        session.append_module(&module)
    })
}

/// Maps the `.vmfb` at `file_path` (a NUL-terminated path read during the
/// call; the mapping, not a copy, lives as long as the module) and
/// appends it.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_append_bytecode_module_from_file(
    session: *mut iree_runtime_session_t,
    file_path: *const c_char,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live session (API contract).
        let session = unsafe { arg!(session).handle() }?;
        let file_path = arg!(file_path).non_null_ptr()?;
        // SAFETY: a NUL-terminated string the caller keeps for the call.
        let path = unsafe { CStr::from_ptr(file_path) }
            .to_str()
            .map_err(|_| iree_err!(InvalidArgument, "file path is not UTF-8"))?;
        session.append_bytecode_module_from_file(Path::new(path))
    })
}

/// Reads a `.vmfb` from standard input to its end and appends it (IREE
/// 3.13).
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_append_bytecode_module_from_stdin(
    session: *mut iree_runtime_session_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live session (API contract).
        unsafe { arg!(session).handle() }?.append_bytecode_module_from_stdin()
    })
}

/// Finds the function `module.function` (`full_name`, read during the
/// call) and writes its handle to `*out_function`; the handle is valid
/// while the session lives. NOT_FOUND when no module exports it.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_lookup_function(
    session: *const iree_runtime_session_t,
    full_name: iree_string_view_t,
    out_function: *mut iree_vm_function_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's slot (API contract).
        let out_function = unsafe { arg!(out_function).out() }?;
        out_function.write(iree_vm_function_t::NULL);
        // SAFETY: NULL or a live session (API contract).
        let session = unsafe { arg!(session).handle() }?;
        let function = lookup(session, full_name)?;
        out_function.write(function);
        Ok(())
    })
}

fn lookup(session: &Session, full_name: iree_string_view_t) -> Result<iree_vm_function_t> {
    // SAFETY: a string view the caller keeps valid for the call.
    let name = unsafe { full_name.as_bytes() };
    session.context().resolve_function(name)
}

/// Calls `function` (read during the call) with `input_list`; the results
/// replace what `output_list` held. Both lists are borrowed for the call and may
/// be NULL when the function takes or returns nothing.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_call(
    session: *mut iree_runtime_session_t,
    function: *const iree_vm_function_t,
    input_list: *mut iree_vm_list_t,
    output_list: *mut iree_vm_list_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live handles (NULL lists allowed; API contract).
        let (session, function, inputs, outputs) = unsafe {
            (
                arg!(session).handle()?,
                *arg!(function).value()?,
                handle::try_ref(input_list),
                handle::try_ref(output_list),
            )
        };
        session.call(function, inputs, outputs)
    })
}

/// As `iree_runtime_session_call`, for the function `full_name` (read
/// during the call).
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_call_by_name(
    session: *mut iree_runtime_session_t,
    full_name: iree_string_view_t,
    input_list: *mut iree_vm_list_t,
    output_list: *mut iree_vm_list_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live handles (NULL lists allowed; API contract).
        let (session, inputs, outputs) = unsafe {
            (
                arg!(session).handle()?,
                handle::try_ref(input_list),
                handle::try_ref(output_list),
            )
        };
        let function = lookup(session, full_name)?;
        session.call(function, inputs, outputs)
    })
}

/// Calls `call->function` with arguments and results packed as its calling
/// convention says (`call` and the spans it points to are borrowed for the
/// call), on a stack of its own over the session's context.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_session_call_direct(
    session: *mut iree_runtime_session_t,
    call: *const iree_vm_function_call_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live session and call (API contract).
        let (session, call) = unsafe { (arg!(session).handle()?, arg!(call).value()?) };
        let context = session.context();
        // SAFETY: no caller storage (frames come from the heap); the
        // resolver points at the context, which outlives the stack.
        let mut stack = unsafe {
            Stack::new(
                std::ptr::null_mut(),
                0,
                0,
                context.state_resolver(),
                session.host_allocator(),
            )
        };
        stack.call(call)
    })
}
