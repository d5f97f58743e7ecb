//! `iree/base/api.h`: API version negotiation.

use crate::capi::base::status::iree_status_t;
use crate::iree_err;

/// `iree_api_version_t` (enum in `iree/abi/base_types.h`).
/// cbindgen:ignore
pub type iree_api_version_t = u32;

/// The only version this library implements.
/// cbindgen:ignore
pub const IREE_API_VERSION_LATEST: iree_api_version_t = 0;

/// Stores the implemented version in |out_actual_version| and fails with
/// IREE_STATUS_OUT_OF_RANGE unless it equals |expected_version|
/// (IREE_STATUS_INVALID_ARGUMENT for a NULL output).
#[no_mangle]
pub unsafe extern "C" fn iree_api_version_check(
    expected_version: iree_api_version_t,
    out_actual_version: *mut iree_api_version_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: NULL or caller-owned storage (API contract).
        let Some(out) = (unsafe { out_actual_version.as_mut() }) else {
            return iree_err!(InvalidArgument, "out_actual_version must not be NULL").into();
        };
        *out = IREE_API_VERSION_LATEST;
        if expected_version != IREE_API_VERSION_LATEST {
            return iree_err!(
                OutOfRange,
                "IREE version mismatch; application expected {expected_version} but IREE is compiled as {IREE_API_VERSION_LATEST}"
            )
            .into();
        }
        iree_status_t::OK
    }
}
