//! `iree/hal/executable.h`: prepared executables (made by caches).

use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, Castable, Resource};
use crate::hal::executable::Executable;

/// `iree_hal_executable_t`: opaque.
pub struct iree_hal_executable_t {
    _private: [u8; 0],
}

impl Castable for iree_hal_executable_t {
    type Ownership = Resource;
    type RustType = Executable;
}

/// Adds a reference, which the caller then owns. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_executable_retain(executable: *mut iree_hal_executable_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live executable (API contract).
        unsafe { handle::retain(executable) };
        Ok(())
    })
}

/// Releases one reference; the last frees the executable. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_executable_release(executable: *mut iree_hal_executable_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live executable the caller references.
        unsafe { handle::release(executable) };
        Ok(())
    })
}

/// Frees an executable whose last reference the caller owns.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_executable_destroy(executable: *mut iree_hal_executable_t) {
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        unsafe { handle::destroy(executable) };
        Ok(())
    })
}
