//! `TfLiteInterpreterOptions` (`c_api.h`): threads, error reporter and
//! delegates (accepted, unused: the module is already compiled code).

use std::ffi::c_void;

use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg, Boxed, Castable};
use crate::capi::tflite::error_reporter::{self, TfLiteErrorReporterFn};
use crate::tflite::InterpreterOptions;

/// Opaque `TfLiteInterpreterOptions`.
pub struct TfLiteInterpreterOptions {
    _private: [u8; 0],
}

impl Castable for TfLiteInterpreterOptions {
    type Ownership = Boxed;
    type RustType = InterpreterOptions;
}

/// Opaque `TfLiteDelegate` / `TfLiteOpaqueDelegate`.
pub struct TfLiteDelegate {
    _private: [u8; 0],
}

/// New options (one thread, errors on standard error). The caller owns
/// them and deletes them with `TfLiteInterpreterOptionsDelete`; they may
/// be deleted right after creating an interpreter.
#[no_mangle]
pub extern "C" fn TfLiteInterpreterOptionsCreate() -> *mut TfLiteInterpreterOptions {
    ffi_boundary(|| Ok(handle::box_into_ptr(InterpreterOptions::new())))
}

/// A copy of `from` (the same reporter and threads), owned by the caller;
/// NULL when `from` is NULL.
#[no_mangle]
pub unsafe extern "C" fn TfLiteInterpreterOptionsCopy(
    from: *const TfLiteInterpreterOptions,
) -> *mut TfLiteInterpreterOptions {
    ffi_boundary(|| {
        // SAFETY: NULL or live options (API contract).
        let from = unsafe { arg!(from).handle() }?;
        Ok(handle::box_into_ptr(from.clone()))
    })
}

/// Deletes the caller's options. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn TfLiteInterpreterOptionsDelete(options: *mut TfLiteInterpreterOptions) {
    ffi_boundary(|| {
        // SAFETY: NULL or options from TfLiteInterpreterOptionsCreate.
        drop(unsafe { handle::box_from_ptr(options) });
        Ok(())
    })
}

/// 1 (and TFLite's default -1) runs on the local-sync device; n > 1 runs
/// on local-task with exactly n workers, the calling thread among them
/// (at most 64), when this build registers it, local-sync otherwise.
#[no_mangle]
pub unsafe extern "C" fn TfLiteInterpreterOptionsSetNumThreads(
    options: *mut TfLiteInterpreterOptions,
    num_threads: i32,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or live options used by nothing else (API contract).
        unsafe { arg!(options).handle_mut() }?.num_threads = num_threads;
        Ok(())
    })
}

/// Every error of interpreters made with these options (and of their
/// tensors) goes to `reporter` with `user_data` (kept, not owned; NULL
/// restores standard error). The message is the `format` argument, with
/// no conversions left in it.
#[no_mangle]
pub unsafe extern "C" fn TfLiteInterpreterOptionsSetErrorReporter(
    options: *mut TfLiteInterpreterOptions,
    reporter: TfLiteErrorReporterFn,
    user_data: *mut c_void,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or live options used by nothing else (API contract).
        unsafe { arg!(options).handle_mut() }?.error_reporter =
            error_reporter::from_c(reporter, user_data);
        Ok(())
    })
}

/// Accepted and ignored: the module is compiled code, so there is nothing
/// for a delegate to take over. The delegate is not used or kept.
#[no_mangle]
pub unsafe extern "C" fn TfLiteInterpreterOptionsAddDelegate(
    options: *mut TfLiteInterpreterOptions,
    delegate: *mut TfLiteDelegate,
) {
    ffi_boundary(|| {
        let _ = (arg!(options).non_null_ptr()?, delegate);
        Ok(())
    })
}
