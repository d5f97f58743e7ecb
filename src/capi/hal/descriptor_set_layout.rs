//! `iree/hal/descriptor_set_layout.h`: the binding slots of a descriptor set.

use std::sync::Arc;

use crate::abi::string_view::iree_host_size_t;
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::device::{c_slice, iree_hal_device_t};
use crate::capi::handle::{self, arg, Castable, Resource};
use crate::hal::executable::{
    DescriptorSetLayout, DescriptorSetLayoutBinding, DescriptorSetLayoutUsage, DescriptorType,
};

/// `iree_hal_descriptor_set_layout_t`: opaque.
pub struct iree_hal_descriptor_set_layout_t {
    _private: [u8; 0],
}

impl Castable for iree_hal_descriptor_set_layout_t {
    type Ownership = Resource;
    type RustType = DescriptorSetLayout;
}

/// `iree_hal_descriptor_type_t` (constants in the header).
pub type iree_hal_descriptor_type_t = u32;
/// `iree_hal_descriptor_set_layout_usage_type_t`.
pub type iree_hal_descriptor_set_layout_usage_type_t = u32;

/// One slot of a layout.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_descriptor_set_layout_binding_t {
    pub binding: u32,
    pub r#type: iree_hal_descriptor_type_t,
}

/// Creates a layout of `binding_count` distinct slots; the caller owns the
/// reference in `*out_descriptor_set_layout`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_descriptor_set_layout_create(
    device: *mut iree_hal_device_t,
    usage_type: iree_hal_descriptor_set_layout_usage_type_t,
    binding_count: iree_host_size_t,
    bindings: *const iree_hal_descriptor_set_layout_binding_t,
    out_descriptor_set_layout: *mut *mut iree_hal_descriptor_set_layout_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's slot (API contract).
        let out = unsafe { arg!(out_descriptor_set_layout).out() }?;
        out.write(std::ptr::null_mut());
        // SAFETY: NULL or a live device (API contract).
        unsafe { arg!(device).hal_ref() }?;
        // SAFETY: `binding_count` entries (API contract).
        let bindings = unsafe { c_slice(bindings, binding_count, "bindings") }?
            .iter()
            .map(|b| {
                Ok(DescriptorSetLayoutBinding {
                    binding: b.binding,
                    descriptor_type: DescriptorType::from_raw(b.r#type)?,
                })
            })
            .collect::<crate::Result<Vec<_>>>()?;
        let layout =
            DescriptorSetLayout::new(DescriptorSetLayoutUsage::from_raw(usage_type)?, &bindings)?;
        out.write(handle::hal_into_ptr(&Arc::new(layout)));
        Ok(())
    })
}

/// Adds a reference, which the caller then owns. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_descriptor_set_layout_retain(
    descriptor_set_layout: *mut iree_hal_descriptor_set_layout_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live layout (API contract).
        unsafe { handle::retain(descriptor_set_layout) };
        Ok(())
    })
}

/// Releases one reference; the last frees the layout. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_descriptor_set_layout_release(
    descriptor_set_layout: *mut iree_hal_descriptor_set_layout_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live layout the caller references.
        unsafe { handle::release(descriptor_set_layout) };
        Ok(())
    })
}

/// Frees a layout whose last reference the caller owns.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_descriptor_set_layout_destroy(
    descriptor_set_layout: *mut iree_hal_descriptor_set_layout_t,
) {
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        unsafe { handle::destroy(descriptor_set_layout) };
        Ok(())
    })
}
