//! Test-only exports, declared in the hand-written
//! `include/iree/testing/runtime_hooks.h` (kept out of the generated header
//! so ordinary users never see them).
//!
//! `iree_runtime_testing_panic` exists to prove, from C, that a Rust panic
//! inside an exported function comes back as an `IREE_STATUS_INTERNAL`
//! status instead of unwinding into (and crashing) the caller.

use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use std::ffi::{c_char, CStr};
use std::panic;
use std::sync::Once;

/// Panics on purpose inside the FFI boundary.
///
/// Always returns `IREE_STATUS_INTERNAL` whose message carries `message`
/// (a NUL-terminated string, or NULL for a default text); the caller owns the
/// status and must free it. The panic is a real `panic!`, so it exercises
/// exactly the path an accidental bug in the runtime would take.
#[no_mangle]
pub unsafe extern "C" fn iree_runtime_testing_panic(message: *const c_char) -> iree_status_t {
    ffi_boundary(|| -> crate::Result<()> {
        let text = if message.is_null() {
            "iree_runtime_testing_panic".to_owned()
        } else {
            // SAFETY: the caller passes a NUL-terminated string (API contract).
            unsafe { CStr::from_ptr(message) }
                .to_string_lossy()
                .into_owned()
        };
        silence_testing_panics();
        panic!("{text}")
    })
}

/// Installs, once, a panic hook that stays quiet for panics raised in this
/// file and hands every other panic to the hook that was there before, so
/// tests that panic on purpose do not litter stderr and real bugs still
/// print as usual. Only programs that call a testing hook get it.
fn silence_testing_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let deliberate = info.location().is_some_and(|loc| loc.file() == file!());
            if !deliberate {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StatusCode;

    fn panic_status(message: *const c_char) -> crate::Error {
        // SAFETY: `message` is NULL or a NUL-terminated literal.
        let status = unsafe { iree_runtime_testing_panic(message) };
        // SAFETY: the status was just produced by this crate and is owned here.
        unsafe { status.into_result() }.expect_err("the hook must fail")
    }

    #[test]
    fn panic_becomes_internal_status_with_the_message() {
        let err = panic_status(c"boom from a test".as_ptr());
        assert_eq!(err.code(), StatusCode::Internal);
        assert!(
            err.message().contains("boom from a test"),
            "{}",
            err.message()
        );
    }

    #[test]
    fn null_message_still_gives_internal() {
        let err = panic_status(std::ptr::null());
        assert_eq!(err.code(), StatusCode::Internal);
        // A second call must work just as well: nothing was poisoned.
        assert_eq!(panic_status(c"again".as_ptr()).code(), StatusCode::Internal);
    }
}
