//! `iree/hal/semaphore.h`: timeline semaphores.
//!
//! A semaphore handle is a core [`Semaphore`] behind its resource header:
//! `iree_hal_semaphore_create` gives the caller one reference, released with
//! `iree_hal_semaphore_release`. All calls may come from any thread.

use std::sync::Arc;

use crate::abi::status::iree_status_t;
use crate::capi::base::time::iree_timeout_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg, Castable, Resource};
use crate::hal::semaphore::{Semaphore, FAILURE_VALUE};
use crate::{iree_err, Error};

/// Opaque handle to a [`Semaphore`].
pub struct iree_hal_semaphore_t {
    _private: [u8; 0],
}

impl Castable for iree_hal_semaphore_t {
    type Ownership = Resource;
    type RustType = Semaphore;
}

pub use super::device::iree_hal_device_t;

/// The error a C status handed to `*_fail` becomes; a status that is OK
/// still fails the object (upstream requires a failure).
///
/// # Safety
/// `status` is a status the caller gives up.
pub(crate) unsafe fn failure_of(status: iree_status_t) -> Error {
    // SAFETY: forwarded contract.
    match unsafe { status.into_result() } {
        Err(err) => err,
        Ok(()) => iree_err!(Unknown, "failed with an OK status"),
    }
}

/// Creates a semaphore whose payload starts at `initial_value` on `device`
/// (borrowed; only checked for NULL). The caller owns the one reference in
/// `*out_semaphore` and releases it with `iree_hal_semaphore_release`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_semaphore_create(
    device: *mut iree_hal_device_t,
    initial_value: u64,
    out_semaphore: *mut *mut iree_hal_semaphore_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_semaphore = unsafe { arg!(out_semaphore).out() }?;
        out_semaphore.write(std::ptr::null_mut());
        // SAFETY: only checked for NULL, never read.
        unsafe { arg!(device).value() }?;
        if initial_value == FAILURE_VALUE {
            crate::iree_bail!(
                OutOfRange,
                "initial value {} is reserved to mark failure",
                initial_value
            );
        }
        let semaphore = Arc::new(Semaphore::new(initial_value));
        out_semaphore.write(handle::hal_into_ptr(&semaphore));
        Ok(())
    })
}

/// Adds a reference to `semaphore`, which the caller then owns. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_semaphore_retain(semaphore: *mut iree_hal_semaphore_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live semaphore the caller references (API contract).
        unsafe { handle::retain(semaphore) };
        Ok(())
    })
}

/// Drops the caller's reference to `semaphore`; it is destroyed once no C
/// reference and no runtime use (fences, queued work) remains. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_semaphore_release(semaphore: *mut iree_hal_semaphore_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live semaphore; the caller gives up a reference.
        unsafe { handle::release(semaphore) };
        Ok(())
    })
}

/// Runs the destroy of a semaphore whose count reached zero (for
/// implementations; callers use `iree_hal_semaphore_release`).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_semaphore_destroy(semaphore: *mut iree_hal_semaphore_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a semaphore whose last reference the caller owns.
        unsafe { handle::destroy(semaphore) };
        Ok(())
    })
}

/// Stores the current payload in `*out_value` (borrowed slot). Once the
/// semaphore has failed, stores `UINT64_MAX` and returns (a copy of) the
/// failure, the same however late it is asked.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_semaphore_query(
    semaphore: *mut iree_hal_semaphore_t,
    out_value: *mut u64,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's slot (API contract).
        let out_value = unsafe { arg!(out_value).out() }?;
        out_value.write(0);
        // SAFETY: NULL or a live semaphore the caller references.
        let semaphore = unsafe { arg!(semaphore).hal_ref() }?;
        match semaphore.query() {
            Ok(value) => {
                out_value.write(value);
                Ok(())
            }
            Err(failure) => {
                out_value.write(FAILURE_VALUE);
                Err(failure)
            }
        }
    })
}

/// Moves the payload to `new_value` and wakes waiters it satisfies.
/// `OUT_OF_RANGE` unless `new_value` is above the current payload; the
/// failure once the semaphore has failed.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_semaphore_signal(
    semaphore: *mut iree_hal_semaphore_t,
    new_value: u64,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live semaphore the caller references.
        let semaphore = unsafe { arg!(semaphore).hal_ref() }?;
        semaphore.signal(new_value)
    })
}

/// Fails `semaphore` with `status`, whose ownership passes to the call
/// (also when `semaphore` is NULL or the semaphore failed already: the first
/// failure is kept). Waiters wake with `ABORTED`; query and signal return
/// the failure from then on.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_semaphore_fail(
    semaphore: *mut iree_hal_semaphore_t,
    status: iree_status_t,
) {
    ffi_boundary(|| {
        // SAFETY: the caller hands the status over.
        let failure = unsafe { failure_of(status) };
        // SAFETY: NULL or a live semaphore the caller references.
        let semaphore = unsafe { arg!(semaphore).hal_ref() }?;
        semaphore.fail(failure);
        Ok(())
    })
}

/// Blocks until the payload reaches `value`: OK then,
/// `DEADLINE_EXCEEDED` once `timeout` passes (an immediate timeout only
/// polls), `ABORTED` naming the failure if the semaphore fails.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_semaphore_wait(
    semaphore: *mut iree_hal_semaphore_t,
    value: u64,
    timeout: iree_timeout_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // A new Arc, so a release racing with the wait cannot free it.
        // SAFETY: NULL or a live semaphore the caller references.
        let semaphore = unsafe { arg!(semaphore).hal() }?;
        semaphore.wait(value, timeout.into())
    })
}
