//! `iree/hal/string_util.h`: the text forms of shapes, element types and
//! elements. Formatting writes into caller storage of `buffer_capacity`
//! bytes (including the terminating NUL); when it does not fit (or
//! `buffer` is NULL) the call is OUT_OF_RANGE and `*out_buffer_length`
//! still says how long the text is, so callers can grow and retry.

use std::ffi::c_char;

use crate::abi::iree_string_view_t;
use crate::abi::{iree_byte_span_t, iree_const_byte_span_t, iree_host_size_t, iree_status_t};
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::buffer_view::{
    dims_from_c, iree_hal_dim_t, iree_hal_element_type_t, write_dims,
};
use crate::capi::handle::arg;
use crate::hal::element_type::ElementType;
use crate::hal::{text, text_format};
use crate::{iree_bail, iree_ensure, iree_err, Result};

/// Writes `text` and its NUL into C storage with the capacity protocol of
/// the module comment.
///
/// # Safety
/// `buffer` is NULL or holds `capacity` writable bytes; `out_length` is
/// NULL or writable.
pub(crate) unsafe fn write_text(
    text: &str,
    capacity: iree_host_size_t,
    buffer: *mut c_char,
    out_length: *mut iree_host_size_t,
) -> Result<()> {
    // SAFETY: forwarded contract.
    if let Some(length) = unsafe { out_length.as_mut() } {
        *length = text.len();
    }
    if buffer.is_null() || capacity <= text.len() {
        iree_bail!(
            OutOfRange,
            "{} bytes of text do not fit a buffer of {capacity}",
            text.len() + 1
        );
    }
    // SAFETY: `buffer` holds `capacity > text.len()` bytes (forwarded).
    let out = unsafe { std::slice::from_raw_parts_mut(buffer.cast::<u8>(), text.len() + 1) };
    out[..text.len()].copy_from_slice(text.as_bytes());
    out[text.len()] = 0;
    Ok(())
}

/// The bytes of a view, refusing NULL with a length.
///
/// # Safety
/// `value` is a valid view for `'a`.
pub(crate) unsafe fn view_bytes<'a>(value: iree_string_view_t, name: &str) -> Result<&'a [u8]> {
    // SAFETY: forwarded contract.
    unsafe { value.try_as_bytes() }
        .ok_or_else(|| iree_err!(InvalidArgument, "`{name}` is NULL with a length"))
}

/// Parses `AxBxC` into `out_shape` (`shape_capacity` dims); sets
/// `*out_shape_rank` and is OUT_OF_RANGE when the capacity is too small.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_parse_shape(
    value: iree_string_view_t,
    shape_capacity: iree_host_size_t,
    out_shape: *mut iree_hal_dim_t,
    out_shape_rank: *mut iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's storage (API contract).
        let out_rank = unsafe { arg!(out_shape_rank).out() }?;
        out_rank.write(0);
        // SAFETY: a valid view (API contract).
        let text = unsafe { view_bytes(value, "value") }?;
        let (start, end) = crate::base::string_view::trim_range(text);
        let shape = text::parse_shape(&text[start..end])?;
        // SAFETY: `out_shape` holds `shape_capacity` dims (API contract).
        unsafe { write_dims(&shape, shape_capacity, out_shape, out_rank.as_mut_ptr()) }
    })
}

/// Formats `shape` (`shape_rank` dims) as `AxBxC` into `buffer`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_format_shape(
    shape: *const iree_hal_dim_t,
    shape_rank: iree_host_size_t,
    buffer_capacity: iree_host_size_t,
    buffer: *mut c_char,
    out_buffer_length: *mut iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: `shape` holds `shape_rank` dims (API contract).
        let dims = unsafe { dims_from_c(shape, shape_rank, "shape") }?;
        // SAFETY: the caller's storage (API contract).
        unsafe {
            write_text(
                &text::format_shape(&dims),
                buffer_capacity,
                buffer,
                out_buffer_length,
            )
        }
    })
}

/// Parses an element type name (`f32`, `si8`, `bf16`, `x64`, `*16`).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_parse_element_type(
    value: iree_string_view_t,
    out_element_type: *mut iree_hal_element_type_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's storage (API contract).
        let out = unsafe { arg!(out_element_type).out() }?;
        out.write(0);
        // SAFETY: a valid view (API contract).
        let text = unsafe { view_bytes(value, "value") }?;
        let (start, end) = crate::base::string_view::trim_range(text);
        out.write(ElementType::parse(&text[start..end])?.0);
        Ok(())
    })
}

/// Formats an element type's name into `buffer`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_format_element_type(
    element_type: iree_hal_element_type_t,
    buffer_capacity: iree_host_size_t,
    buffer: *mut c_char,
    out_buffer_length: *mut iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        let name = ElementType(element_type).name();
        // SAFETY: the caller's storage (API contract).
        unsafe { write_text(&name, buffer_capacity, buffer, out_buffer_length) }
    })
}

/// The writable bytes of a span, refusing NULL with a length.
///
/// # Safety
/// `span` is valid for writes for `'a` and aliased by nothing Rust holds.
unsafe fn span_bytes<'a>(span: iree_byte_span_t, name: &str) -> Result<&'a mut [u8]> {
    if span.data_length == 0 {
        return Ok(&mut []);
    }
    iree_ensure!(
        !span.data.is_null(),
        InvalidArgument,
        "`{name}` is NULL with a length"
    );
    // SAFETY: forwarded contract.
    Ok(unsafe { std::slice::from_raw_parts_mut(span.data, span.data_length) })
}

/// The bytes of a const span, refusing NULL with a length.
///
/// # Safety
/// `span` is valid for reads for `'a`.
unsafe fn const_span_bytes<'a>(span: iree_const_byte_span_t, name: &str) -> Result<&'a [u8]> {
    // SAFETY: forwarded contract.
    unsafe { span.try_as_bytes() }
        .ok_or_else(|| iree_err!(InvalidArgument, "`{name}` is NULL with a length"))
}

/// Parses one element of `element_type` into `data_ptr` (at least one
/// element's bytes).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_parse_element(
    data_str: iree_string_view_t,
    element_type: iree_hal_element_type_t,
    data_ptr: iree_byte_span_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: a valid view (API contract).
        let text = unsafe { view_bytes(data_str, "data_str") }?;
        // SAFETY: the caller's writable span (API contract).
        let out = unsafe { span_bytes(data_ptr, "data_ptr") }?;
        text::parse_element(text, ElementType(element_type), out)
    })
}

/// Formats the element at the start of `data` into `buffer`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_format_element(
    data: iree_const_byte_span_t,
    element_type: iree_hal_element_type_t,
    buffer_capacity: iree_host_size_t,
    buffer: *mut c_char,
    out_buffer_length: *mut iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: the caller's span (API contract).
        let data = unsafe { const_span_bytes(data, "data") }?;
        let text = text_format::format_element(data, ElementType(element_type))?;
        // SAFETY: the caller's storage (API contract).
        unsafe { write_text(&text, buffer_capacity, buffer, out_buffer_length) }
    })
}

/// Parses elements (separated by whitespace, commas or brackets) filling
/// `data_ptr`: empty text leaves zeros, one element is splatted, otherwise
/// the count must match.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_parse_buffer_elements(
    data_str: iree_string_view_t,
    element_type: iree_hal_element_type_t,
    data_ptr: iree_byte_span_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: a valid view (API contract).
        let text = unsafe { view_bytes(data_str, "data_str") }?;
        // SAFETY: the caller's writable span (API contract).
        let out = unsafe { span_bytes(data_ptr, "data_ptr") }?;
        text::parse_buffer_elements(text, ElementType(element_type), out)
    })
}

/// Formats `data` as `shape` nested in brackets (`[1 2][3 4]`), at most
/// `max_element_count` elements (the rest as `...`), into `buffer`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_format_buffer_elements(
    data: iree_const_byte_span_t,
    shape: *const iree_hal_dim_t,
    shape_rank: iree_host_size_t,
    element_type: iree_hal_element_type_t,
    max_element_count: iree_host_size_t,
    buffer_capacity: iree_host_size_t,
    buffer: *mut c_char,
    out_buffer_length: *mut iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: the caller's span (API contract).
        let data = unsafe { const_span_bytes(data, "data") }?;
        // SAFETY: `shape` holds `shape_rank` dims (API contract).
        let dims = unsafe { dims_from_c(shape, shape_rank, "shape") }?;
        let text = text_format::format_buffer_elements(
            data,
            &dims,
            ElementType(element_type),
            max_element_count,
        )?;
        // SAFETY: the caller's storage (API contract).
        unsafe { write_text(&text, buffer_capacity, buffer, out_buffer_length) }
    })
}
