//! `iree/base/status.h`: the `iree_status_t` handle and its conversions.

use crate::base::status::{Error, Result, StatusCode};
use crate::capi::boundary::PanicDefault;

/// Opaque target of `iree_status_t`; never dereferenced from C.
pub struct iree_status_handle_t {
    _private: [u8; 0],
}

/// A status: NULL for OK, else code bits | payload pointer.
#[repr(transparent)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct iree_status_t(pub *mut iree_status_handle_t);

/// The C enum `iree_status_code_t` (defined in `iree/abi/status_types.h`).
/// cbindgen:ignore
pub type iree_status_code_t = u32;

impl iree_status_t {
    pub const OK: iree_status_t = iree_status_t(std::ptr::null_mut());

    pub fn from_code(code: StatusCode) -> iree_status_t {
        iree_status_t(code as usize as *mut iree_status_handle_t)
    }

    pub fn is_ok(self) -> bool {
        self.0.is_null()
    }

    pub fn code(self) -> StatusCode {
        StatusCode::from_raw((self.0 as usize & crate::base::status::STATUS_CODE_MASK) as u32)
    }

    /// Takes ownership of a status that C handed us.
    ///
    /// # Safety
    /// The status must have been produced by this library (or be a bare
    /// code) and not be used by the caller afterwards.
    pub unsafe fn into_result(self) -> Result<()> {
        // SAFETY: forwarded contract.
        match unsafe { Error::from_raw(self.0 as usize) } {
            None => Ok(()),
            Some(err) => Err(err),
        }
    }
}

impl From<Error> for iree_status_t {
    fn from(err: Error) -> Self {
        iree_status_t(err.into_raw() as *mut iree_status_handle_t)
    }
}

impl From<Result<()>> for iree_status_t {
    fn from(result: Result<()>) -> Self {
        match result {
            Ok(()) => iree_status_t::OK,
            Err(err) => err.into(),
        }
    }
}

impl PanicDefault for iree_status_t {
    fn panic_default(message: &str) -> Self {
        Error::new(StatusCode::Internal, message).into()
    }
}
