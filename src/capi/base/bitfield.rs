//! `iree/base/bitfield.h`: formatting bitfields through string builders.

use std::ffi::c_char;

use crate::base::bitfield::format_bits;
use crate::capi::base::status::iree_status_t;
use crate::capi::base::string_builder::iree_string_builder_t;
use crate::capi::base::string_view::iree_string_view_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
use crate::{iree_err, Result};

/// `iree_bitfield_string_mapping_t` (defined in `iree/abi/base_types.h`).
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_bitfield_string_mapping_t {
    pub bits: u32,
    pub string: iree_string_view_t,
}

/// `iree_bitfield_string_temp_t` (defined in `iree/abi/base_types.h`).
/// cbindgen:ignore
#[repr(C)]
pub struct iree_bitfield_string_temp_t {
    pub buffer: [c_char; 128],
}

/// Formats |value| with the first |mapping_count| |mappings|.
///
/// # Safety
/// `mappings` holds `mapping_count` entries whose views are live.
unsafe fn format_value(
    value: u32,
    mappings: *const iree_bitfield_string_mapping_t,
    mapping_count: usize,
) -> Result<Vec<u8>> {
    if mapping_count == 0 {
        return Ok(format_bits(value, &[]));
    }
    if mappings.is_null() {
        return Err(iree_err!(InvalidArgument, "mappings must not be NULL"));
    }
    // SAFETY: forwarded contract.
    let table = unsafe { std::slice::from_raw_parts(mappings, mapping_count) };
    // SAFETY: forwarded contract (the views are live).
    let pairs: Vec<(u32, &[u8])> = table
        .iter()
        .map(|m| (m.bits, unsafe { m.string.as_bytes() }))
        .collect();
    Ok(format_bits(value, &pairs))
}

/// Appends the `A|B|1Ch` form of `value` to the caller's `string_builder`;
/// `mappings` (`mapping_count` entries) is borrowed for the call.
#[no_mangle]
pub unsafe extern "C" fn iree_bitfield_format(
    value: u32,
    mappings: *const iree_bitfield_string_mapping_t,
    mapping_count: usize,
    string_builder: *mut iree_string_builder_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized builder (API contract).
        let builder = unsafe { arg!(string_builder).in_out() }?;
        // SAFETY: forwarded contract.
        let text = unsafe { format_value(value, mappings, mapping_count) }?;
        // SAFETY: an initialized builder.
        unsafe { builder.append(&text) }
    })
}

/// Formats `value` into the caller's `*out_temp` and returns a view into
/// it (valid while `*out_temp` is), or of the static "(error)" when it
/// does not fit or the arguments are invalid. `mappings` is borrowed for
/// the call.
#[no_mangle]
pub unsafe extern "C" fn iree_bitfield_format_inline(
    value: u32,
    mappings: *const iree_bitfield_string_mapping_t,
    mapping_count: usize,
    out_temp: *mut iree_bitfield_string_temp_t,
) -> iree_string_view_t {
    ffi_boundary(|| {
        let formatted = || -> Result<iree_string_view_t> {
            // SAFETY: NULL or caller-owned storage (API contract).
            let temp = unsafe { arg!(out_temp).in_out() }?;
            // SAFETY: forwarded contract.
            let text = unsafe { format_value(value, mappings, mapping_count) }?;
            if text.len() >= temp.buffer.len() {
                return Err(iree_err!(OutOfRange, "formatted bitfield does not fit"));
            }
            for (dst, &src) in temp.buffer.iter_mut().zip(text.iter()) {
                *dst = src as c_char;
            }
            temp.buffer[text.len()] = 0;
            Ok(iree_string_view_t {
                data: temp.buffer.as_ptr(),
                size: text.len(),
            })
        };
        Ok(formatted().unwrap_or_else(|_| iree_string_view_t::from_static(b"(error)")))
    })
}
