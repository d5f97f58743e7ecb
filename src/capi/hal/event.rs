//! `iree/hal/event.h`: events that command buffers set, reset and wait on
//! to order work within a queue. C only creates and releases them; the
//! command buffer API uses them.

use std::sync::Arc;

use super::device::iree_hal_device_t;
use crate::abi::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg, Castable, Resource};
use crate::hal::event::Event;

/// Opaque handle to an [`Event`].
pub struct iree_hal_event_t {
    _private: [u8; 0],
}

impl Castable for iree_hal_event_t {
    type Ownership = Resource;
    type RustType = Event;
}

/// Creates an unsignalled event for `device` (borrowed for the call; every
/// local device uses host events). The caller owns the one
/// reference in `*out_event` and releases it with `iree_hal_event_release`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_event_create(
    device: *mut iree_hal_device_t,
    out_event: *mut *mut iree_hal_event_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_event = unsafe { arg!(out_event).out() }?;
        out_event.write(std::ptr::null_mut());
        // SAFETY: NULL or a live device (API contract).
        unsafe { arg!(device).hal_ref() }?;
        out_event.write(handle::hal_into_ptr(&Arc::new(Event::new())));
        Ok(())
    })
}

/// Adds a reference to `event`, which the caller then owns. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_event_retain(event: *mut iree_hal_event_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live event the caller references (API contract).
        unsafe { handle::retain(event) };
        Ok(())
    })
}

/// Drops the caller's reference to `event`; it is destroyed once no C
/// reference and no recorded command uses it. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_event_release(event: *mut iree_hal_event_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live event; the caller gives up a reference.
        unsafe { handle::release(event) };
        Ok(())
    })
}

/// Runs the destroy of an event whose count reached zero (for
/// implementations; callers use `iree_hal_event_release`).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_event_destroy(event: *mut iree_hal_event_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or an event whose last reference the caller owns.
        unsafe { handle::destroy(event) };
        Ok(())
    })
}
