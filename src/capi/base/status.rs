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

/// The status for a NULL argument that may not be NULL.
pub fn null_argument(name: &str) -> iree_status_t {
    crate::iree_err!(InvalidArgument, "{name} must not be NULL").into()
}

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

#[no_mangle]
pub extern "C" fn iree_status_code_from_errno(error_number: c_int) -> iree_status_code_t {
    StatusCode::from_errno(error_number) as iree_status_code_t
}

/// Upper-case name of a code ("" for values no code uses).
#[no_mangle]
pub extern "C" fn iree_status_code_string(code: iree_status_code_t) -> *const c_char {
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
    name.as_ptr()
}

/// A failing status with |code|, the source location (|file| may be NULL)
/// and a copy of |message|. IREE_STATUS_OK gives OK.
#[no_mangle]
pub unsafe extern "C" fn iree_status_allocate(
    code: iree_status_code_t,
    file: *const c_char,
    line: u32,
    message: iree_string_view_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: `file` is NULL or a C string; the view is live (API contract).
        let (file, message) = unsafe { (c_str(file), message.to_string_lossy()) };
        make_status(code, file, line, message)
    }
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
            buffer.as_mut_ptr() as *mut c_char,
            buffer.len(),
            format,
            &mut second,
        )
    };
    buffer.truncate(length);
    Some(buffer)
}

/// As `iree_status_allocate` with a printf message read from two copies of
/// the same argument list (one to measure, one to write).
#[no_mangle]
pub unsafe extern "C" fn iree_status_allocate_vf(
    code: iree_status_code_t,
    file: *const c_char,
    line: u32,
    format: *const c_char,
    varargs_0: va_list,
    varargs_1: va_list,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: arguments follow the API contract.
        let message = unsafe { vformat(format, varargs_0, varargs_1) };
        let message = message.map(|m| String::from_utf8_lossy(&m).into_owned()).unwrap_or_default();
        // SAFETY: `file` is NULL or a C string.
        let file = unsafe { c_str(file) };
        make_status(code, file, line, message)
    }
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
    ffi_boundary! {
        if base_status.is_ok() {
            return base_status;
        }
        // SAFETY: arguments follow the API contract.
        let Some(message) = (unsafe { vformat(format, args, args) }) else {
            return base_status;
        };
        // SAFETY: the status is ours and the caller gives it up.
        annotate(unsafe { base_status.into_result() }, String::from_utf8_lossy(&message).into_owned())
    }
}

fn annotate(result: Result<()>, message: String) -> iree_status_t {
    match result {
        Ok(()) => iree_status_t::OK,
        Err(err) if message.is_empty() => err.into(),
        Err(err) => err.annotate(message).into(),
    }
}

/// Copies the code, location and message (not annotations) of |status|.
#[no_mangle]
pub unsafe extern "C" fn iree_status_clone(status: iree_status_t) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: a live status of this library (API contract).
        match unsafe { status.peek() } {
            None => iree_status_t::OK,
            Some(err) => err.clone_without_annotations().into(),
        }
    }
}

/// Releases whatever |status| holds; OK and bare codes hold nothing.
#[no_mangle]
pub unsafe extern "C" fn iree_status_free(status: iree_status_t) {
    // SAFETY: the caller gives up the status (API contract).
    ffi_boundary! { drop(unsafe { status.into_result() }) }
}

/// Frees |status| and returns OK (for chaining).
#[no_mangle]
pub unsafe extern "C" fn iree_status_ignore(status: iree_status_t) -> iree_status_t {
    // SAFETY: forwarded contract.
    unsafe { iree_status_free(status) };
    iree_status_t::OK
}

/// |base_status| if it failed (|new_status| is freed), else |new_status|.
#[no_mangle]
pub unsafe extern "C" fn iree_status_join(
    base_status: iree_status_t,
    new_status: iree_status_t,
) -> iree_status_t {
    if base_status.is_ok() {
        return new_status;
    }
    // SAFETY: the caller gives up the second status.
    unsafe { iree_status_free(new_status) };
    base_status
}

/// Prints |status| to stderr and aborts the process.
#[no_mangle]
pub unsafe extern "C" fn iree_status_abort(status: iree_status_t) -> ! {
    // SAFETY: a live status of this library (API contract).
    let text = std::panic::catch_unwind(|| unsafe { status_text(status) })
        .unwrap_or_else(|_| "(status could not be formatted)".to_owned());
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{text}");
    // SAFETY: abort never returns and needs no preconditions.
    unsafe { libc::abort() }
}

/// Frees |status| and returns its code.
#[no_mangle]
pub unsafe extern "C" fn iree_status_consume_code(status: iree_status_t) -> iree_status_code_t {
    let code = status.raw() & crate::base::status::STATUS_CODE_MASK;
    // SAFETY: the caller gives up the status.
    unsafe { iree_status_free(status) };
    code as iree_status_code_t
}

/// Adds a copy of |message| to a failing status (OK passes through; an
/// empty message changes nothing).
#[no_mangle]
pub unsafe extern "C" fn iree_status_annotate(
    base_status: iree_status_t,
    message: iree_string_view_t,
) -> iree_status_t {
    ffi_boundary! {
        if base_status.is_ok() {
            return base_status;
        }
        // SAFETY: the view is live (API contract).
        let message = unsafe { message.to_string_lossy() };
        // SAFETY: the status is ours and the caller gives it up.
        annotate(unsafe { base_status.into_result() }, message)
    }
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

/// Writes the text form into |buffer| (truncated and NUL-terminated when
/// |buffer_capacity| is too small) and its full length (without NUL) into
/// |out_buffer_length|. Pass a NULL buffer to query the length. Returns
/// false only when |out_buffer_length| is NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_status_format(
    status: iree_status_t,
    buffer_capacity: usize,
    buffer: *mut c_char,
    out_buffer_length: *mut usize,
) -> bool {
    ffi_boundary! {
        if out_buffer_length.is_null() {
            return false;
        }
        // SAFETY: a live status (API contract).
        let text = unsafe { status_text(status) };
        // SAFETY: checked non-null; `buffer` holds `buffer_capacity` bytes.
        unsafe {
            *out_buffer_length = text.len();
            if !buffer.is_null() && buffer_capacity > 0 {
                let n = text.len().min(buffer_capacity - 1);
                std::ptr::copy_nonoverlapping(text.as_ptr(), buffer as *mut u8, n);
                *buffer.add(n) = 0;
            }
        }
        true
    }
}

/// Allocates the NUL-terminated text form from |allocator| (the caller frees
/// it there). Returns false on NULL arguments or allocation failure.
#[no_mangle]
pub unsafe extern "C" fn iree_status_to_string(
    status: iree_status_t,
    allocator: *const iree_allocator_t,
    out_buffer: *mut *mut c_char,
    out_buffer_length: *mut usize,
) -> bool {
    ffi_boundary! {
        // SAFETY: `allocator` is NULL or a caller-owned allocator.
        let Some(allocator) = (unsafe { allocator.as_ref() }) else { return false };
        if out_buffer.is_null() || out_buffer_length.is_null() {
            return false;
        }
        // SAFETY: a live status (API contract).
        let text = unsafe { status_text(status) };
        // SAFETY: the allocator is valid (API contract).
        let Ok(ptr) = (unsafe { allocator.malloc_uninitialized(text.len() + 1) }) else {
            return false;
        };
        // SAFETY: the block holds len + 1 bytes; outputs checked non-null.
        unsafe {
            std::ptr::copy_nonoverlapping(text.as_ptr(), ptr as *mut u8, text.len());
            *(ptr as *mut u8).add(text.len()) = 0;
            *out_buffer = ptr as *mut c_char;
            *out_buffer_length = text.len();
        }
        true
    }
}

/// Writes the text form and a newline to |file| (ignored when NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_status_fprint(file: *mut libc::FILE, status: iree_status_t) {
    ffi_boundary! {
        if file.is_null() {
            return;
        }
        // SAFETY: a live status (API contract).
        let mut text = unsafe { status_text(status) };
        text.push('\n');
        // SAFETY: `file` is an open stream (API contract).
        unsafe {
            libc::fwrite(text.as_ptr() as *const libc::c_void, 1, text.len(), file);
            libc::fflush(file);
        }
    }
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
