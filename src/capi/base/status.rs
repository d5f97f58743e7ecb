//! `iree/base/status.h`: the `iree_status_t` handle and its operations.
//!
//! A status is NULL (OK), a bare code, or a code ORed into a pointer to a
//! boxed [`Payload`](crate::base::status::Payload) (made by
//! [`Error::into_raw`]). The printf-style entry points are variadic in C;
//! stable Rust cannot define variadic functions, so `va_args` holds small
//! assembly entry points that package the arguments as a `va_list` and call
//! the Rust implementations here.

use std::ffi::{c_char, c_int, CStr};

pub use crate::abi::status::{iree_status_code_t, iree_status_handle_t, iree_status_t};
use crate::base::status::{Error, Result, StatusCode};
use crate::capi::base::allocator::iree_allocator_t;
use crate::capi::base::string_view::{c_str_bytes, iree_string_view_t};
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;

/// Reads a NUL-terminated C string; NULL reads as `None`.
///
/// # Safety
/// A non-null `s` must be NUL-terminated and live for the call.
unsafe fn c_str(s: *const c_char) -> Option<String> {
    // SAFETY: forwarded contract.
    let bytes = unsafe { c_str_bytes(s) }?;
    Some(String::from_utf8_lossy(bytes).into_owned())
}

/// Builds a failing status; OK codes make OK (nothing allocated).
fn make_status(
    code: iree_status_code_t,
    file: Option<String>,
    line: u32,
    message: String,
) -> iree_status_t {
    let code = StatusCode::from_raw(code);
    if code == StatusCode::Ok {
        return iree_status_t::OK;
    }
    match file {
        Some(file) => Error::at(code, &file, line, message).into(),
        None => Error::new(code, message).into(),
    }
}

/// The status code for a POSIX `errno` value (a plain value).
#[no_mangle]
pub extern "C" fn iree_status_code_from_errno(error_number: c_int) -> iree_status_code_t {
    ffi_boundary(|| Ok(StatusCode::from_errno(error_number) as iree_status_code_t))
}

/// Upper-case name of a code ("" for values no code uses): a static string
/// the caller must not free.
#[no_mangle]
pub extern "C" fn iree_status_code_string(code: iree_status_code_t) -> *const c_char {
    ffi_boundary(|| {
        let name: &'static CStr = match code {
            0 => c"OK",
            1 => c"CANCELLED",
            2 => c"UNKNOWN",
            3 => c"INVALID_ARGUMENT",
            4 => c"DEADLINE_EXCEEDED",
            5 => c"NOT_FOUND",
            6 => c"ALREADY_EXISTS",
            7 => c"PERMISSION_DENIED",
            8 => c"RESOURCE_EXHAUSTED",
            9 => c"FAILED_PRECONDITION",
            10 => c"ABORTED",
            11 => c"OUT_OF_RANGE",
            12 => c"UNIMPLEMENTED",
            13 => c"INTERNAL",
            14 => c"UNAVAILABLE",
            15 => c"DATA_LOSS",
            16 => c"UNAUTHENTICATED",
            17 => c"DEFERRED",
            _ => c"",
        };
        Ok(name.as_ptr())
    })
}

/// A failing status with `code`, the source location (`file` may be NULL)
/// and a copy of `message` (both borrowed for the call only). The caller
/// owns the result and frees it with `iree_status_free` (or passes it on);
/// IREE_STATUS_OK gives OK.
#[no_mangle]
pub unsafe extern "C" fn iree_status_allocate(
    code: iree_status_code_t,
    file: *const c_char,
    line: u32,
    message: iree_string_view_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: `file` is NULL or a C string; the view is live (API contract).
        let (file, message) = unsafe { (c_str(file), message.to_string_lossy()) };
        Ok(make_status(code, file, line, message))
    })
}

/// `va_list` as it arrives in a parameter: a pointer to the argument state.
/// cbindgen:ignore
pub type va_list = *mut VaListState;

/// The platform's `va_list` argument state (copied to walk it twice).
/// cbindgen:ignore
#[cfg(target_arch = "x86_64")]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct VaListState {
    gp_offset: u32,
    fp_offset: u32,
    overflow_arg_area: *mut std::ffi::c_void,
    reg_save_area: *mut std::ffi::c_void,
}

/// cbindgen:ignore
#[cfg(target_arch = "aarch64")]
#[repr(C)]
#[derive(Clone, Copy)]
pub struct VaListState {
    stack: *mut std::ffi::c_void,
    gr_top: *mut std::ffi::c_void,
    vr_top: *mut std::ffi::c_void,
    gr_offs: i32,
    vr_offs: i32,
}

/// The C library's formatter (declared here, not in the generated header).
/// cbindgen:ignore
mod libc_format {
    use super::va_list;
    use std::ffi::{c_char, c_int};

    extern "C" {
        pub fn vsnprintf(
            buffer: *mut c_char,
            size: usize,
            format: *const c_char,
            args: va_list,
        ) -> c_int;
    }
}
use libc_format::vsnprintf;

/// printf-formats into bytes, reading the arguments through `sizing` to
/// measure and `writing` to fill (they may be the same state; each is copied
/// before use, so callers' lists are left untouched).
///
/// # Safety
/// `format` must be NULL or a C format string whose conversions match the
/// arguments both lists describe.
pub(crate) unsafe fn vformat(
    format: *const c_char,
    sizing: va_list,
    writing: va_list,
) -> Option<Vec<u8>> {
    if format.is_null() || sizing.is_null() || writing.is_null() {
        return None;
    }
    // SAFETY: both lists are live argument states per the contract.
    let (mut first, mut second) = unsafe { (*sizing, *writing) };
    // SAFETY: measuring call with no buffer; the format matches the args.
    let length = unsafe { vsnprintf(std::ptr::null_mut(), 0, format, &mut first) };
    let length = usize::try_from(length).ok()?;
    let mut buffer = vec![0u8; length + 1];
    // SAFETY: the buffer holds length + 1 bytes.
    unsafe {
        vsnprintf(
            buffer.as_mut_ptr().cast::<c_char>(),
            buffer.len(),
            format,
            &mut second,
        )
    };
    buffer.truncate(length);
    Some(buffer)
}

/// As `iree_status_allocate` with a printf message read from two copies of
/// the same argument list (one to measure, one to write); the lists and
/// strings are borrowed for the call. The caller owns the result.
#[no_mangle]
pub unsafe extern "C" fn iree_status_allocate_vf(
    code: iree_status_code_t,
    file: *const c_char,
    line: u32,
    format: *const c_char,
    varargs_0: va_list,
    varargs_1: va_list,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: arguments follow the API contract.
        let message = unsafe { vformat(format, varargs_0, varargs_1) };
        let message = message
            .map(|m| String::from_utf8_lossy(&m).into_owned())
            .unwrap_or_default();
        // SAFETY: `file` is NULL or a C string.
        let file = unsafe { c_str(file) };
        Ok(make_status(code, file, line, message))
    })
}

/// Target of the variadic `iree_status_allocate_f` entry point.
unsafe extern "C" fn status_allocate_va(
    code: iree_status_code_t,
    file: *const c_char,
    line: u32,
    format: *const c_char,
    args: va_list,
) -> iree_status_t {
    // SAFETY: forwarded contract.
    unsafe { iree_status_allocate_vf(code, file, line, format, args, args) }
}

/// Target of the variadic `iree_status_annotate_f` entry point.
unsafe extern "C" fn status_annotate_va(
    base_status: iree_status_t,
    format: *const c_char,
    args: va_list,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: the status is ours and the caller gives it up.
        let base = unsafe { base_status.into_result() };
        if base.is_err() {
            // SAFETY: arguments follow the API contract.
            if let Some(message) = unsafe { vformat(format, args, args) } {
                return annotate(base, String::from_utf8_lossy(&message).into_owned());
            }
        }
        base
    })
}

/// The annotated status: the error of `result`, with `message` added
/// unless it is empty.
fn annotate(result: Result<()>, message: String) -> Result<()> {
    result.map_err(|err| {
        if message.is_empty() {
            err
        } else {
            err.annotate(message)
        }
    })
}

/// A new status with the code, location and message (not annotations) of
/// `status`, which stays the caller's (borrowed for the call). The caller
/// owns the copy.
#[no_mangle]
pub unsafe extern "C" fn iree_status_clone(status: iree_status_t) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: a live status of this library (API contract).
        match unsafe { status.peek() } {
            None => Ok(()),
            Some(err) => Err(err.clone_without_annotations()),
        }
    })
}

/// Releases whatever the caller's `status` holds (it must not be used
/// again); OK and bare codes hold nothing.
#[no_mangle]
pub unsafe extern "C" fn iree_status_free(status: iree_status_t) {
    ffi_boundary(|| {
        // SAFETY: the caller gives up the status (API contract).
        drop(unsafe { status.into_result() });
        Ok(())
    })
}

/// Frees the caller's `status` (it must not be used again) and returns OK
/// (for chaining).
#[no_mangle]
pub unsafe extern "C" fn iree_status_ignore(status: iree_status_t) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        unsafe { iree_status_free(status) };
        Ok(())
    })
}

/// Takes both statuses from the caller and returns the one it then owns:
/// `base_status` if it failed (`new_status` is freed), else `new_status`.
#[no_mangle]
pub unsafe extern "C" fn iree_status_join(
    base_status: iree_status_t,
    new_status: iree_status_t,
) -> iree_status_t {
    ffi_boundary(|| {
        if base_status.is_ok() {
            return Ok(new_status);
        }
        // SAFETY: the caller gives up the second status.
        unsafe { iree_status_free(new_status) };
        Ok(base_status)
    })
}

/// Prints `status` (borrowed) to stderr and aborts the process.
#[no_mangle]
pub unsafe extern "C" fn iree_status_abort(status: iree_status_t) -> ! {
    let mut text = String::from("(status could not be formatted)");
    ffi_boundary::<(), ()>(|| {
        // SAFETY: a live status of this library (API contract).
        text = unsafe { status_text(status) };
        Ok(())
    });
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{text}");
    // SAFETY: abort never returns and needs no preconditions.
    unsafe { libc::abort() }
}

/// Frees the caller's `status` (it must not be used again) and returns its
/// code.
#[no_mangle]
pub unsafe extern "C" fn iree_status_consume_code(status: iree_status_t) -> iree_status_code_t {
    ffi_boundary(|| {
        let code = status.raw() & crate::base::status::STATUS_CODE_MASK;
        // SAFETY: the caller gives up the status.
        unsafe { iree_status_free(status) };
        Ok(code as iree_status_code_t)
    })
}

/// Takes `base_status` from the caller and returns it (the caller owns the
/// result) with a copy of `message` added (borrowed for the call); OK
/// passes through and an empty message changes nothing.
#[no_mangle]
pub unsafe extern "C" fn iree_status_annotate(
    base_status: iree_status_t,
    message: iree_string_view_t,
) -> iree_status_t {
    ffi_boundary(|| {
        if base_status.is_ok() {
            return Ok(());
        }
        // SAFETY: the view is live (API contract).
        let message = unsafe { message.to_string_lossy() };
        // SAFETY: the status is ours and the caller gives it up.
        annotate(unsafe { base_status.into_result() }, message)
    })
}

/// The text form: `file:line: CODE; message; annotation; ...`.
///
/// # Safety
/// A live status of this library.
unsafe fn status_text(status: iree_status_t) -> String {
    // SAFETY: forwarded contract.
    match unsafe { status.peek() } {
        None => StatusCode::Ok.as_str().to_owned(),
        Some(err) => err.to_string(),
    }
}

/// Writes the text form of `status` (borrowed) into the caller's `buffer`
/// (truncated and NUL-terminated when `buffer_capacity` is too small) and
/// its full length (without NUL) into `*out_buffer_length`. Pass a NULL
/// buffer to query the length. Returns false only when `out_buffer_length`
/// is NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_status_format(
    status: iree_status_t,
    buffer_capacity: usize,
    buffer: *mut c_char,
    out_buffer_length: *mut usize,
) -> bool {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's slot (API contract).
        let out_buffer_length = unsafe { arg!(out_buffer_length).out() }?;
        // SAFETY: a live status (API contract).
        let text = unsafe { status_text(status) };
        out_buffer_length.write(text.len());
        if !buffer.is_null() && buffer_capacity > 0 {
            let n = text.len().min(buffer_capacity - 1);
            // SAFETY: `buffer` holds `buffer_capacity` bytes (API contract).
            unsafe {
                std::ptr::copy_nonoverlapping(text.as_ptr(), buffer.cast::<u8>(), n);
                *buffer.add(n) = 0;
            }
        }
        Ok(true)
    })
}

/// Allocates the NUL-terminated text form of `status` (borrowed) from
/// `*allocator`; the caller owns `*out_buffer` and frees it with that
/// allocator. Returns false on NULL arguments or allocation failure.
#[no_mangle]
pub unsafe extern "C" fn iree_status_to_string(
    status: iree_status_t,
    allocator: *const iree_allocator_t,
    out_buffer: *mut *mut c_char,
    out_buffer_length: *mut usize,
) -> bool {
    ffi_boundary(|| {
        // SAFETY: NULL or a caller-owned allocator (API contract).
        let allocator = unsafe { arg!(allocator).value() }?;
        // SAFETY: NULL or the caller's slots (API contract).
        let out_buffer = unsafe { arg!(out_buffer).out() }?;
        // SAFETY: as above.
        let out_buffer_length = unsafe { arg!(out_buffer_length).out() }?;
        // SAFETY: a live status (API contract).
        let text = unsafe { status_text(status) };
        // SAFETY: the allocator is valid (API contract).
        let ptr = unsafe { allocator.malloc_uninitialized(text.len() + 1) }?.cast::<u8>();
        // SAFETY: the block holds len + 1 bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr(), ptr, text.len());
            *ptr.add(text.len()) = 0;
        }
        out_buffer.write(ptr.cast());
        out_buffer_length.write(text.len());
        Ok(true)
    })
}

/// Writes the text form of `status` (borrowed) and a newline to `file`
/// (borrowed for the call; ignored when NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_status_fprint(file: *mut libc::FILE, status: iree_status_t) {
    ffi_boundary(|| {
        if file.is_null() {
            return Ok(());
        }
        // SAFETY: a live status (API contract).
        let mut text = unsafe { status_text(status) };
        text.push('\n');
        // SAFETY: `file` is an open stream (API contract).
        unsafe {
            libc::fwrite(text.as_ptr().cast(), 1, text.len(), file);
            libc::fflush(file);
        }
        Ok(())
    })
}

// Only x86-64 has the shims: elsewhere C callers of these functions would
// fail to link, so the build stops here and says why.
#[cfg(not(target_arch = "x86_64"))]
compile_error!(
    "iree_status_allocate_f, iree_status_annotate_f and iree_string_builder_append_format \
     are only implemented for x86-64 (stable Rust cannot define C-variadic functions; \
     they are assembly shims, `va_entry!` in src/capi/base/status.rs): port `va_entry!` \
     and `VaListState` to this architecture"
);

/// The variadic C entry points (see the module comment).
/// cbindgen:ignore
#[cfg(target_arch = "x86_64")]
mod va_args {
    use super::{status_allocate_va, status_annotate_va};

    // iree_status_t iree_status_allocate_f(code, file, line, format, ...)
    crate::capi::base::status::va_entry!(iree_status_allocate_f, status_allocate_va, "32", "r8");
    // iree_status_t iree_status_annotate_f(status, format, ...)
    crate::capi::base::status::va_entry!(iree_status_annotate_f, status_annotate_va, "16", "rdx");
}

/// Defines an exported C-variadic function (x86-64 System V) that spills the
/// argument registers into a register save area, builds a `va_list` over
/// them and the caller's stack arguments, and calls `$target` with the named
/// arguments unchanged plus that `va_list` as the next argument.
/// `$gp_named` is 8 x the number of named integer/pointer arguments and
/// `$va_reg` the register of the argument after them.
#[cfg(target_arch = "x86_64")]
macro_rules! va_entry {
    ($name:ident, $target:path, $gp_named:literal, $va_reg:literal) => {
        #[unsafe(naked)]
        #[no_mangle]
        pub unsafe extern "C" fn $name() {
            // Frame: [rsp, rsp+24) va_list; [rsp+32, rsp+208) save area
            // (6 integer registers, then 8 vector registers).
            core::arch::naked_asm!(
                "push rbp",
                "mov rbp, rsp",
                "sub rsp, 208",
                "mov [rsp + 32], rdi",
                "mov [rsp + 40], rsi",
                "mov [rsp + 48], rdx",
                "mov [rsp + 56], rcx",
                "mov [rsp + 64], r8",
                "mov [rsp + 72], r9",
                // al = number of vector registers used by the caller.
                "test al, al",
                "je 2f",
                "movaps [rsp + 80], xmm0",
                "movaps [rsp + 96], xmm1",
                "movaps [rsp + 112], xmm2",
                "movaps [rsp + 128], xmm3",
                "movaps [rsp + 144], xmm4",
                "movaps [rsp + 160], xmm5",
                "movaps [rsp + 176], xmm6",
                "movaps [rsp + 192], xmm7",
                "2:",
                concat!("mov dword ptr [rsp], ", $gp_named),
                "mov dword ptr [rsp + 4], 48",
                "lea rax, [rbp + 16]",
                "mov [rsp + 8], rax",
                "lea rax, [rsp + 32]",
                "mov [rsp + 16], rax",
                concat!("mov ", $va_reg, ", rsp"),
                "call {target}",
                "leave",
                "ret",
                target = sym $target,
            );
        }
    };
}
#[cfg(target_arch = "x86_64")]
pub(crate) use va_entry;
