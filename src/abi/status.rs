//! `iree_status_t`: the status word every fallible C call returns, and its
//! conversions from and to [`crate::Error`].

use crate::abi::boundary::FfiReturn;
use crate::base::status::{Error, Result, StatusCode};

/// Opaque target of `iree_status_t`; never dereferenced from C.
/// cbindgen:ignore
pub struct iree_status_handle_t {
    _private: [u8; 0],
}

/// A status: NULL for OK, else code bits | payload pointer
/// (typedef in `iree/abi/base_types.h`).
/// cbindgen:ignore
#[repr(transparent)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct iree_status_t(pub *mut iree_status_handle_t);

/// The C enum `iree_status_code_t` (defined in `iree/abi/base_types.h`).
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

    pub fn raw(self) -> usize {
        self.0 as usize
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

    /// Rebuilds the error without taking ownership (for reading it).
    ///
    /// # Safety
    /// As [`iree_status_t::into_result`], and the status stays live while the
    /// returned guard exists; the guard hands ownership back when dropped.
    pub unsafe fn peek(self) -> Option<std::mem::ManuallyDrop<Error>> {
        // SAFETY: forwarded contract; ManuallyDrop keeps the payload alive.
        unsafe { Error::from_raw(self.raw()) }.map(std::mem::ManuallyDrop::new)
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

impl FfiReturn for iree_status_t {
    fn from_error(err: Error) -> Self {
        err.into()
    }
}
