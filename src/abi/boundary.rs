//! The one panic boundary: every function C calls (exports in `capi`,
//! callbacks the core hands to C through ABI tables, destroy functions of
//! ref types) runs its body through [`ffi_boundary`], the only
//! `catch_unwind` in the crate.
//!
//! The body returns `crate::Result<T>`, so `?` works directly; the result
//! becomes the function's C return type through [`FfiResult`]:
//! `iree_status_t` from `Result<()>` (or from `Result<iree_status_t>`),
//! anything else from `Result<Self>`, with [`FfiReturn::from_error`] (NULL,
//! 0, false, an empty value, or nothing) on error. A panic becomes
//! `IREE_STATUS_INTERNAL` naming the panic, or that same error default.
//!
//! It lives in `abi`, beside the value types, because the core's own C
//! callbacks need it and the core never names `capi`.

use std::any::Any;
use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::{Error, Result, StatusCode};

/// A C return type: what an export returns when its body failed.
pub trait FfiReturn: Sized {
    /// The value returned for `err` (statuses carry it; other types drop it).
    fn from_error(err: Error) -> Self;

    /// The value returned when the body panicked.
    fn from_panic(message: String) -> Self {
        Self::from_error(Error::new(StatusCode::Internal, message))
    }
}

/// How the `Ok` value `T` of a body becomes the C return value `Self`.
pub trait FfiResult<T>: FfiReturn {
    fn from_ok(value: T) -> Self;
}

/// A body that computes the C value itself returns it unchanged.
impl<T: FfiReturn> FfiResult<T> for T {
    fn from_ok(value: T) -> Self {
        value
    }
}

/// `Result<()>` becomes OK or the error's status.
impl FfiResult<()> for crate::abi::status::iree_status_t {
    fn from_ok(_: ()) -> Self {
        crate::abi::status::iree_status_t::OK
    }
}

impl FfiReturn for () {
    fn from_error(_: Error) -> Self {}
}

impl FfiReturn for bool {
    fn from_error(_: Error) -> Self {
        false
    }
}

macro_rules! zero_on_error {
    ($($t:ty),*) => {$(
        impl FfiReturn for $t {
            fn from_error(_: Error) -> Self {
                0 as $t
            }
        }
    )*};
}
zero_on_error!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize, f32, f64);

impl<T> FfiReturn for *mut T {
    fn from_error(_: Error) -> Self {
        std::ptr::null_mut()
    }
}

impl<T> FfiReturn for *const T {
    fn from_error(_: Error) -> Self {
        std::ptr::null()
    }
}

/// Runs the body of a function that C calls: errors and panics become the
/// C return value (see the module comment), so no unwind reaches C.
pub fn ffi_boundary<T, R: FfiResult<T>>(body: impl FnOnce() -> Result<T>) -> R {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(value)) => R::from_ok(value),
        Ok(Err(err)) => R::from_error(err),
        Err(payload) => R::from_panic(panic_text(payload.as_ref())),
    }
}

/// The error for a NULL argument that may not be NULL: the one wording
/// every export uses (through `capi::handle::arg!`).
pub fn null_argument(name: &str) -> Error {
    Error::new(StatusCode::InvalidArgument, format!("`{name}` is NULL"))
}

/// Turns a caught panic payload into the message of its status.
fn panic_text(payload: &(dyn Any + Send)) -> String {
    let message = if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.as_str()
    } else {
        "unknown panic payload"
    };
    format!("internal panic in the runtime: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::status::iree_status_t;

    #[test]
    fn results_become_c_values() {
        let ok: iree_status_t = ffi_boundary(|| Ok(()));
        assert!(ok.is_ok());
        let failed: iree_status_t = ffi_boundary(|| -> Result<()> { Err(null_argument("list")) });
        assert_eq!(failed.code(), StatusCode::InvalidArgument);
        // SAFETY: a status made just above and not used again.
        let err = unsafe { failed.into_result() }.unwrap_err();
        assert!(err.to_string().contains("`list` is NULL"), "{err}");
        let size: usize = ffi_boundary(|| Err(null_argument("list")));
        assert_eq!(size, 0);
        let ptr: *mut u8 = ffi_boundary(|| Err(null_argument("list")));
        assert!(ptr.is_null());
    }

    #[test]
    fn panics_become_internal() {
        let status: iree_status_t = ffi_boundary(|| -> Result<()> { panic!("boom") });
        assert_eq!(status.code(), StatusCode::Internal);
        // SAFETY: a status made just above and not used again.
        let err = unsafe { status.into_result() }.unwrap_err();
        assert!(err.to_string().contains("boom"), "{err}");
        let flag: bool = ffi_boundary(|| -> Result<bool> { panic!("boom") });
        assert!(!flag);
    }
}
