//! `iree/hal/descriptor_set.h`: buffers bound to a layout's slots.

use std::sync::Arc;

use crate::abi::string_view::iree_host_size_t;
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::buffer::{iree_device_size_t, iree_hal_buffer_t};
use crate::capi::hal::descriptor_set_layout::iree_hal_descriptor_set_layout_t;
use crate::capi::hal::device::{c_slice, iree_hal_device_t};
use crate::capi::handle::{self, arg, Arg, Castable, Resource};
use crate::hal::executable::{DescriptorSet, DescriptorSetBinding};
use crate::Result;

/// `iree_hal_descriptor_set_t`: opaque.
pub struct iree_hal_descriptor_set_t {
    _private: [u8; 0],
}

impl Castable for iree_hal_descriptor_set_t {
    type Ownership = Resource;
    type RustType = DescriptorSet;
}

/// One buffer range bound to slot `binding` (`buffer` may be NULL in sets
/// that are never dispatched with).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_descriptor_set_binding_t {
    pub binding: u32,
    pub buffer: *mut iree_hal_buffer_t,
    pub offset: iree_device_size_t,
    pub length: iree_device_size_t,
}

/// The core form of `count` C bindings (buffers retained).
///
/// # Safety
/// `bindings` holds `count` entries whose buffers are NULL or live.
pub(crate) unsafe fn descriptor_bindings(
    bindings: *const iree_hal_descriptor_set_binding_t,
    count: iree_host_size_t,
) -> Result<Vec<DescriptorSetBinding>> {
    // SAFETY: forwarded contract.
    unsafe { c_slice(bindings, count, "bindings") }?
        .iter()
        .map(|b| {
            let buffer = if b.buffer.is_null() {
                None
            } else {
                // SAFETY: forwarded contract.
                Some(unsafe { Arg::new(b.buffer, "bindings[i].buffer").hal() }?)
            };
            Ok(DescriptorSetBinding {
                binding: b.binding,
                buffer,
                offset: b.offset,
                length: b.length,
            })
        })
        .collect()
}

/// Creates a descriptor set over `set_layout` (retained) whose bindings
/// name its slots; the caller owns the reference in `*out_descriptor_set`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_descriptor_set_create(
    device: *mut iree_hal_device_t,
    set_layout: *mut iree_hal_descriptor_set_layout_t,
    binding_count: iree_host_size_t,
    bindings: *const iree_hal_descriptor_set_binding_t,
    out_descriptor_set: *mut *mut iree_hal_descriptor_set_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's slot (API contract).
        let out = unsafe { arg!(out_descriptor_set).out() }?;
        out.write(std::ptr::null_mut());
        // SAFETY: NULL or live objects (API contract).
        unsafe { arg!(device).hal_ref() }?;
        // SAFETY: as above.
        let layout = unsafe { arg!(set_layout).hal() }?;
        // SAFETY: `binding_count` entries (API contract).
        let bindings = unsafe { descriptor_bindings(bindings, binding_count) }?;
        let set = DescriptorSet::new(layout, bindings)?;
        out.write(handle::hal_into_ptr(&Arc::new(set)));
        Ok(())
    })
}

/// Adds a reference, which the caller then owns. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_descriptor_set_retain(
    descriptor_set: *mut iree_hal_descriptor_set_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live set (API contract).
        unsafe { handle::retain(descriptor_set) };
        Ok(())
    })
}

/// Releases one reference; the last frees the set. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_descriptor_set_release(
    descriptor_set: *mut iree_hal_descriptor_set_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live set the caller references.
        unsafe { handle::release(descriptor_set) };
        Ok(())
    })
}

/// Frees a set whose last reference the caller owns.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_descriptor_set_destroy(
    descriptor_set: *mut iree_hal_descriptor_set_t,
) {
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        unsafe { handle::destroy(descriptor_set) };
        Ok(())
    })
}
