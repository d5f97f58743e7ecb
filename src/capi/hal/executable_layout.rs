//! `iree/hal/executable_layout.h`: push constant count and set layouts.

use std::sync::Arc;

use crate::abi::string_view::iree_host_size_t;
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::descriptor_set_layout::iree_hal_descriptor_set_layout_t;
use crate::capi::hal::device::{c_slice, iree_hal_device_t};
use crate::capi::handle::{self, arg, Arg, Castable, Resource};
use crate::hal::executable::ExecutableLayout;
use crate::Result;

/// `iree_hal_executable_layout_t`: opaque.
pub struct iree_hal_executable_layout_t {
    _private: [u8; 0],
}

impl Castable for iree_hal_executable_layout_t {
    type Ownership = Resource;
    type RustType = ExecutableLayout;
}

/// Creates a layout of `push_constants` constants and `set_layout_count`
/// set layouts (retained); the caller owns `*out_executable_layout`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_executable_layout_create(
    device: *mut iree_hal_device_t,
    push_constants: iree_host_size_t,
    set_layout_count: iree_host_size_t,
    set_layouts: *mut *mut iree_hal_descriptor_set_layout_t,
    out_executable_layout: *mut *mut iree_hal_executable_layout_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's slot (API contract).
        let out = unsafe { arg!(out_executable_layout).out() }?;
        out.write(std::ptr::null_mut());
        // SAFETY: NULL or a live device (API contract).
        unsafe { arg!(device).hal_ref() }?;
        // SAFETY: `set_layout_count` live layouts (API contract).
        let set_layouts = unsafe { c_slice(set_layouts, set_layout_count, "set_layouts") }?
            .iter()
            // SAFETY: as above.
            .map(|&layout| unsafe { Arg::new(layout, "set_layouts[i]").hal() })
            .collect::<Result<Vec<_>>>()?;
        let layout = ExecutableLayout::new(push_constants, set_layouts)?;
        out.write(handle::hal_into_ptr(&Arc::new(layout)));
        Ok(())
    })
}

/// Adds a reference, which the caller then owns. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_executable_layout_retain(
    executable_layout: *mut iree_hal_executable_layout_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live layout (API contract).
        unsafe { handle::retain(executable_layout) };
        Ok(())
    })
}

/// Releases one reference; the last frees the layout. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_executable_layout_release(
    executable_layout: *mut iree_hal_executable_layout_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live layout the caller references.
        unsafe { handle::release(executable_layout) };
        Ok(())
    })
}

/// Frees a layout whose last reference the caller owns.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_executable_layout_destroy(
    executable_layout: *mut iree_hal_executable_layout_t,
) {
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        unsafe { handle::destroy(executable_layout) };
        Ok(())
    })
}
