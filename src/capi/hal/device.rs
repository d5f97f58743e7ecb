//! `iree/hal/device.h`, the part the runtime API needs: the device handle,
//! its reference counting and its allocator. (The rest of the header, with
//! transfers, queries and queue operations, is another change.)
//!
//! A device handle is a [`DeviceResource`] (the `Arc<dyn Device>` behind a
//! resource header), so every handle to one device is one pointer.

use crate::abi::string_view::iree_string_view_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::allocator::iree_hal_allocator_t;
use crate::capi::handle::{self, arg, Castable, Resource};
use crate::hal::device::DeviceResource;

/// A device (opaque to C; its first member is an `iree_hal_resource_t`).
/// Only devices made by this runtime are accepted. Declared in
/// `iree/abi/hal_types.h`.
/// cbindgen:ignore
pub struct iree_hal_device_t {
    _private: [u8; 0],
}

impl Castable for iree_hal_device_t {
    type Ownership = Resource;
    type RustType = DeviceResource;
}

/// Adds a reference to `device`, which the caller then owns. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_retain(device: *mut iree_hal_device_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live device (API contract).
        unsafe { handle::retain(device) };
        Ok(())
    })
}

/// Releases one reference to `device`; the last one frees it. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_release(device: *mut iree_hal_device_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live device the caller holds a reference on.
        unsafe { handle::release(device) };
        Ok(())
    })
}

/// The device's id, e.g. `local-sync`; borrowed, valid while `device` lives.
/// Empty for NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_id(device: *mut iree_hal_device_t) -> iree_string_view_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        Ok(iree_string_view_t::of(device.id()))
    })
}

/// The device's allocator; borrowed (not retained), valid while `device`
/// lives, the same handle on every call. NULL on error.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_allocator(
    device: *mut iree_hal_device_t,
) -> *mut iree_hal_allocator_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        Ok(device.lend_allocator()?.cast::<iree_hal_allocator_t>())
    })
}
