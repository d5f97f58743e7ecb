//! `iree/hal/buffer_view_util.h`: view size math, allocating views, and
//! their text form (`2x2xf32=[1 2][3 4]`) parsed and printed as the
//! reference tools do.

use std::ffi::{c_char, c_void};

use crate::abi::{
    iree_allocator_t, iree_const_byte_span_t, iree_host_size_t, iree_status_t, iree_string_view_t,
};
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::allocator::{iree_hal_allocator_t, iree_hal_buffer_params_t};
use crate::capi::hal::buffer::{
    iree_device_size_t, iree_hal_buffer_map_range, iree_hal_buffer_mapping_t,
    iree_hal_buffer_unmap_range,
};
use crate::capi::hal::buffer_view::{
    dims_from_c, iree_hal_buffer_view_t, iree_hal_dim_t, iree_hal_element_type_t,
    iree_hal_encoding_type_t, view_into_ptr,
};
use crate::capi::hal::string_util::{view_bytes, write_text};
use crate::capi::handle::arg;
use crate::hal::buffer::WHOLE_BUFFER;
use crate::hal::buffer_view::{
    compute_view_offset, compute_view_range, compute_view_size, BufferView,
};
use crate::hal::element_type::{ElementType, EncodingType};
use crate::hal::memory::{BufferParams, BufferUsage, MappingMode, MemoryAccess, MemoryType};
use crate::hal::{text, text_format};
use crate::{iree_ensure, iree_err, Result};

/// Writes bytes to a C stream; a short write is DATA_LOSS.
///
/// # Safety
/// `file` is an open stream.
pub(crate) unsafe fn write_file(file: *mut libc::FILE, text: &[u8]) -> Result<()> {
    if text.is_empty() {
        return Ok(());
    }
    // SAFETY: forwarded contract; `text` is a live slice.
    let written = unsafe { libc::fwrite(text.as_ptr().cast::<c_void>(), 1, text.len(), file) };
    iree_ensure!(
        written == text.len(),
        DataLoss,
        "wrote {written} of {} bytes to the stream",
        text.len()
    );
    Ok(())
}

/// Bytes a dense view of `shape` takes.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_compute_view_size(
    shape: *const iree_hal_dim_t,
    shape_rank: iree_host_size_t,
    element_type: iree_hal_element_type_t,
    encoding_type: iree_hal_encoding_type_t,
    out_allocation_size: *mut iree_device_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's storage (API contract).
        let out = unsafe { arg!(out_allocation_size).out() }?;
        out.write(0);
        // SAFETY: `shape` holds `shape_rank` dims (API contract).
        let dims = unsafe { dims_from_c(shape, shape_rank, "shape") }?;
        out.write(compute_view_size(
            &dims,
            ElementType(element_type),
            EncodingType(encoding_type),
        )?);
        Ok(())
    })
}

/// Byte offset of the element at `indices` in a dense view of `shape`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_compute_view_offset(
    shape: *const iree_hal_dim_t,
    shape_rank: iree_host_size_t,
    element_type: iree_hal_element_type_t,
    encoding_type: iree_hal_encoding_type_t,
    indices: *const iree_hal_dim_t,
    indices_count: usize,
    out_offset: *mut iree_device_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's storage (API contract).
        let out = unsafe { arg!(out_offset).out() }?;
        out.write(0);
        // SAFETY: the arrays hold their counts of dims (API contract).
        let dims = unsafe { dims_from_c(shape, shape_rank, "shape") }?;
        // SAFETY: as above.
        let indices = unsafe { dims_from_c(indices, indices_count, "indices") }?;
        out.write(compute_view_offset(
            &dims,
            ElementType(element_type),
            EncodingType(encoding_type),
            &indices,
        )?);
        Ok(())
    })
}

/// Byte range of the block at `start_indices` of `lengths` in a dense view.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_compute_view_range(
    shape: *const iree_hal_dim_t,
    shape_rank: iree_host_size_t,
    element_type: iree_hal_element_type_t,
    encoding_type: iree_hal_encoding_type_t,
    start_indices: *const iree_hal_dim_t,
    indices_count: iree_host_size_t,
    lengths: *const iree_hal_dim_t,
    lengths_count: iree_host_size_t,
    out_start_offset: *mut iree_device_size_t,
    out_length: *mut iree_device_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's storage (API contract).
        let out_start = unsafe { arg!(out_start_offset).out() }?;
        // SAFETY: as above.
        let out_length = unsafe { arg!(out_length).out() }?;
        out_start.write(0);
        out_length.write(0);
        // SAFETY: the arrays hold their counts of dims (API contract).
        let dims = unsafe { dims_from_c(shape, shape_rank, "shape") }?;
        // SAFETY: as above.
        let start = unsafe { dims_from_c(start_indices, indices_count, "start_indices") }?;
        // SAFETY: as above.
        let lengths = unsafe { dims_from_c(lengths, lengths_count, "lengths") }?;
        let (offset, length) = compute_view_range(
            &dims,
            ElementType(element_type),
            EncodingType(encoding_type),
            &start,
            &lengths,
        )?;
        out_start.write(offset);
        out_length.write(length);
        Ok(())
    })
}

/// Allocates a buffer for a view of `shape` from `allocator` (up to its
/// size of `initial_data` copied in, read during the call) and wraps it.
/// The caller owns the reference in `*out_buffer_view`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_allocate_buffer(
    allocator: *mut iree_hal_allocator_t,
    shape: *const iree_hal_dim_t,
    shape_rank: iree_host_size_t,
    element_type: iree_hal_element_type_t,
    encoding_type: iree_hal_encoding_type_t,
    buffer_params: iree_hal_buffer_params_t,
    initial_data: iree_const_byte_span_t,
    out_buffer_view: *mut *mut iree_hal_buffer_view_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out = unsafe { arg!(out_buffer_view).out() }?;
        out.write(std::ptr::null_mut());
        // SAFETY: NULL or an allocator the caller holds (API contract).
        let allocator = unsafe { arg!(allocator).hal_ref() }?;
        // SAFETY: `shape` holds `shape_rank` dims (API contract).
        let dims = unsafe { dims_from_c(shape, shape_rank, "shape") }?;
        // SAFETY: a valid span (API contract).
        let initial = unsafe { initial_data.try_as_bytes() }
            .ok_or_else(|| iree_err!(InvalidArgument, "`initial_data` is NULL with a length"))?;
        let view = BufferView::allocate(
            allocator,
            &dims,
            ElementType(element_type),
            EncodingType(encoding_type),
            buffer_params.into(),
            initial,
        )?;
        out.write(view_into_ptr(view));
        Ok(())
    })
}

/// cbindgen:ignore
pub type iree_hal_buffer_view_generator_callback_t = Option<
    unsafe extern "C" fn(
        mapping: *mut iree_hal_buffer_mapping_t,
        user_data: *mut c_void,
    ) -> iree_status_t,
>;

/// Allocates a host-visible, mappable view of `shape` and lets `callback`
/// fill it through a scoped write mapping (valid only during the call).
/// A failing callback's status is returned and nothing is made. The caller
/// owns the reference in `*out_buffer_view`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_generate_buffer(
    allocator: *mut iree_hal_allocator_t,
    shape: *const iree_hal_dim_t,
    shape_rank: iree_host_size_t,
    element_type: iree_hal_element_type_t,
    encoding_type: iree_hal_encoding_type_t,
    buffer_params: iree_hal_buffer_params_t,
    callback: iree_hal_buffer_view_generator_callback_t,
    user_data: *mut c_void,
    out_buffer_view: *mut *mut iree_hal_buffer_view_t,
) -> iree_status_t {
    ffi_boundary(|| -> Result<iree_status_t> {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out = unsafe { arg!(out_buffer_view).out() }?;
        out.write(std::ptr::null_mut());
        // SAFETY: NULL or an allocator the caller holds (API contract).
        let allocator = unsafe { arg!(allocator).hal_ref() }?;
        let callback = callback.ok_or_else(|| iree_err!(InvalidArgument, "`callback` is NULL"))?;
        // SAFETY: `shape` holds `shape_rank` dims (API contract).
        let dims = unsafe { dims_from_c(shape, shape_rank, "shape") }?;
        let mut params = BufferParams::from(buffer_params).canonicalize();
        params.memory_type |= MemoryType::HOST_VISIBLE;
        params.usage |= BufferUsage::MAPPING;
        let view = BufferView::allocate(
            allocator,
            &dims,
            ElementType(element_type),
            EncodingType(encoding_type),
            params,
            &[],
        )?;
        let buffer = view.buffer_handle().cast();
        let mut mapping = std::mem::MaybeUninit::<iree_hal_buffer_mapping_t>::uninit();
        // SAFETY: the view's lent buffer handle (alive with `view`) and
        // local storage for the mapping.
        let status = unsafe {
            iree_hal_buffer_map_range(
                buffer,
                MappingMode::SCOPED.bits(),
                MemoryAccess::DISCARD_WRITE.bits(),
                0,
                WHOLE_BUFFER,
                mapping.as_mut_ptr(),
            )
        };
        if !status.is_ok() {
            return Ok(status);
        }
        // SAFETY: the callback gets the mapping for the duration of the
        // call with the caller's user data (API contract).
        let status = unsafe { callback(mapping.as_mut_ptr(), user_data) };
        // SAFETY: the mapping made above.
        let unmapped = unsafe { iree_hal_buffer_unmap_range(mapping.as_mut_ptr()) };
        if !status.is_ok() {
            // SAFETY: a status of ours, consumed once (its error is freed).
            let _ = unsafe { unmapped.into_result() };
            return Ok(status);
        }
        if !unmapped.is_ok() {
            return Ok(unmapped);
        }
        out.write(view_into_ptr(view));
        Ok(iree_status_t::OK)
    })
}

/// Parses the text form (`4xf32=1 2 3 4`, `f32=5`, `2xi8=` for zeros,
/// splats) into a new view allocated from `buffer_allocator`. The caller
/// owns the reference in `*out_buffer_view`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_parse(
    value: iree_string_view_t,
    buffer_allocator: *mut iree_hal_allocator_t,
    out_buffer_view: *mut *mut iree_hal_buffer_view_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out = unsafe { arg!(out_buffer_view).out() }?;
        out.write(std::ptr::null_mut());
        // SAFETY: NULL or an allocator the caller holds (API contract).
        let allocator = unsafe { arg!(buffer_allocator).hal_ref() }?;
        // SAFETY: a valid view (API contract).
        let text = unsafe { view_bytes(value, "value") }?;
        out.write(view_into_ptr(text::parse_buffer_view(text, allocator)?));
        Ok(())
    })
}

/// Formats the view (`2x2xf32=[1 2][3 4]`, at most `max_element_count`
/// elements) into `buffer` with the capacity protocol of string_util.h.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_format(
    buffer_view: *const iree_hal_buffer_view_t,
    max_element_count: iree_host_size_t,
    buffer_capacity: iree_host_size_t,
    buffer: *mut c_char,
    out_buffer_length: *mut iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a view the caller holds (API contract).
        let view = unsafe { arg!(buffer_view).hal_ref() }?;
        let text = text_format::format_buffer_view(view, max_element_count)?;
        // SAFETY: the caller's storage (API contract).
        unsafe { write_text(&text, buffer_capacity, buffer, out_buffer_length) }
    })
}

/// Prints the view's text form to `file` (no newline added).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_fprint(
    file: *mut libc::FILE,
    buffer_view: *const iree_hal_buffer_view_t,
    max_element_count: iree_host_size_t,
    host_allocator: iree_allocator_t,
) -> iree_status_t {
    let _ = host_allocator;
    ffi_boundary(|| {
        iree_ensure!(!file.is_null(), InvalidArgument, "`file` is NULL");
        // SAFETY: NULL or a view the caller holds (API contract).
        let view = unsafe { arg!(buffer_view).hal_ref() }?;
        let text = text_format::format_buffer_view(view, max_element_count)?;
        // SAFETY: an open stream (API contract).
        unsafe { write_file(file, text.as_bytes()) }
    })
}
