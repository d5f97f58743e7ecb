//! `iree/hal/driver.h`: drivers, which enumerate and create the devices of
//! one kind. A driver handle is a core driver in a [`DriverResource`];
//! the registry's `try_create*` give the caller one reference, released with
//! `iree_hal_driver_release`.
//!
//! Device enumeration and creation through a driver arrive with the C
//! device API (`iree/hal/device.h`).

use crate::abi::string_view::iree_string_view_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, Castable, Resource};
use crate::hal::driver::DriverResource;

/// Opaque handle to a driver (declared in `iree/abi/hal_types.h`).
/// cbindgen:ignore
pub struct iree_hal_driver_t {
    _private: [u8; 0],
}

impl Castable for iree_hal_driver_t {
    type Ownership = Resource;
    type RustType = DriverResource;
}

/// A factory's handle for one of its drivers (`iree/abi/hal_types.h`).
/// cbindgen:ignore
pub type iree_hal_driver_id_t = u64;

/// A driver as a factory or registry describes it. The strings are
/// borrowed from whoever filled the struct in (the factory, or the block
/// `iree_hal_driver_registry_enumerate` allocates).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_driver_info_t {
    /// Opaque to all but the factory; unique across a registry.
    pub driver_id: iree_hal_driver_id_t,
    /// Canonical name, e.g. `local-sync`.
    pub driver_name: iree_string_view_t,
    /// Human-readable name.
    pub full_name: iree_string_view_t,
}

/// Adds a reference to `driver`, which the caller then owns. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_retain(driver: *mut iree_hal_driver_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live driver the caller references (API contract).
        unsafe { handle::retain(driver) };
        Ok(())
    })
}

/// Drops the caller's reference to `driver`; it is destroyed once no C
/// reference remains and no device it made still uses it. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_release(driver: *mut iree_hal_driver_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live driver; the caller gives up a reference.
        unsafe { handle::release(driver) };
        Ok(())
    })
}

/// Runs the destroy of a driver whose count reached zero (for
/// implementations; callers use `iree_hal_driver_release`).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_driver_destroy(driver: *mut iree_hal_driver_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a driver whose last reference the caller owns.
        unsafe { handle::destroy(driver) };
        Ok(())
    })
}
