//! `iree/base/api.h`: API version negotiation.

use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
use crate::iree_err;

/// `iree_api_version_t` (enum in `iree/abi/base_types.h`).
/// cbindgen:ignore
pub type iree_api_version_t = u32;

/// The only version this library implements.
/// cbindgen:ignore
pub const IREE_API_VERSION_LATEST: iree_api_version_t = 0;

/// Stores the implemented version in the caller's `*out_actual_version`
/// and fails with IREE_STATUS_OUT_OF_RANGE unless it equals
/// `expected_version`. Nothing is retained.
#[no_mangle]
pub unsafe extern "C" fn iree_api_version_check(
    expected_version: iree_api_version_t,
    out_actual_version: *mut iree_api_version_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or caller-owned storage (API contract).
        unsafe { arg!(out_actual_version).out() }?.write(IREE_API_VERSION_LATEST);
        if expected_version != IREE_API_VERSION_LATEST {
            return Err(iree_err!(
                OutOfRange,
                "IREE version mismatch; application expected {expected_version} but IREE is compiled as {IREE_API_VERSION_LATEST}"
            ));
        }
        Ok(())
    })
}
