//! `iree/hal/buffer_view.h`: shaped, typed views of buffers.
//!
//! Dimensions cross as the seeds' 32-bit signed `iree_hal_dim_t`; negative
//! dimensions are INVALID_ARGUMENT. A view lends its buffer's handle
//! (`iree_hal_buffer_view_buffer`) and its dims array
//! (`iree_hal_buffer_view_shape_dims`) for as long as it lives.

use std::sync::Arc;

use crate::abi::hal_resource::HalResource;
use crate::abi::{iree_allocator_t, iree_host_size_t, iree_status_t};
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::buffer::{iree_device_size_t, iree_hal_buffer_t};
use crate::capi::handle::{self, arg, Castable, Resource};
use crate::hal::buffer_view::{BufferView, Dim};
use crate::hal::element_type::{ElementType, EncodingType};
use crate::{iree_bail, iree_ensure, iree_err, Result};

/// cbindgen:ignore
pub type iree_hal_element_type_t = u32;
/// cbindgen:ignore
pub type iree_hal_encoding_type_t = u32;
/// cbindgen:ignore
pub type iree_hal_dim_t = i32;

/// A buffer view (opaque to C; its first member is an `iree_hal_resource_t`).
pub struct iree_hal_buffer_view_t {
    _private: [u8; 0],
}

impl Castable for iree_hal_buffer_view_t {
    type Ownership = Resource;
    type RustType = BufferView;
}

/// The `rank` dims at `shape` as core dimensions.
///
/// # Safety
/// `shape` is NULL or holds `rank` dims.
pub(crate) unsafe fn dims_from_c(
    shape: *const iree_hal_dim_t,
    rank: iree_host_size_t,
    name: &str,
) -> Result<Vec<Dim>> {
    if rank == 0 {
        return Ok(Vec::new());
    }
    iree_ensure!(!shape.is_null(), InvalidArgument, "`{name}` is NULL");
    iree_ensure!(
        rank <= crate::hal::buffer_view::MAX_RANK,
        InvalidArgument,
        "rank {rank} exceeds the limit of {}",
        crate::hal::buffer_view::MAX_RANK
    );
    // SAFETY: forwarded contract.
    let dims = unsafe { std::slice::from_raw_parts(shape, rank) };
    dims.iter()
        .enumerate()
        .map(|(i, &d)| {
            Dim::try_from(d)
                .map_err(|_| iree_err!(InvalidArgument, "{name}[{i}] is negative ({d})"))
        })
        .collect()
}

/// Core dims as C dims; OUT_OF_RANGE for one past `i32::MAX`.
pub(crate) fn dims_to_c(dims: &[Dim]) -> Result<Vec<iree_hal_dim_t>> {
    dims.iter()
        .map(|&d| {
            iree_hal_dim_t::try_from(d).map_err(|_| {
                iree_err!(
                    OutOfRange,
                    "dimension {d} does not fit a 32-bit iree_hal_dim_t"
                )
            })
        })
        .collect()
}

/// Wraps a view in its own `Arc` and gives C one reference to it.
pub(crate) fn view_into_ptr(view: BufferView) -> *mut iree_hal_buffer_view_t {
    handle::hal_into_ptr(&Arc::new(view))
}

/// Makes a view of `buffer` (retained by the view) with `shape` (copied).
/// The caller owns the reference in `*out_buffer_view`. `host_allocator`
/// is not used.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_create(
    buffer: *mut iree_hal_buffer_t,
    shape: *const iree_hal_dim_t,
    shape_rank: iree_host_size_t,
    element_type: iree_hal_element_type_t,
    encoding_type: iree_hal_encoding_type_t,
    host_allocator: iree_allocator_t,
    out_buffer_view: *mut *mut iree_hal_buffer_view_t,
) -> iree_status_t {
    let _ = host_allocator;
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out = unsafe { arg!(out_buffer_view).out() }?;
        out.write(std::ptr::null_mut());
        // SAFETY: NULL or a buffer the caller holds (API contract).
        let buffer = unsafe { arg!(buffer).hal() }?;
        // SAFETY: `shape` holds `shape_rank` dims (API contract).
        let dims = unsafe { dims_from_c(shape, shape_rank, "shape") }?;
        let view = BufferView::create(
            buffer,
            &dims,
            ElementType(element_type),
            EncodingType(encoding_type),
        )?;
        out.write(view_into_ptr(view));
        Ok(())
    })
}

/// Adds a reference to `buffer_view`, which the caller then owns. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_retain(buffer_view: *mut iree_hal_buffer_view_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live view the caller holds (API contract).
        unsafe { handle::retain(buffer_view) };
        Ok(())
    })
}

/// Drops the caller's reference to `buffer_view`. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_release(buffer_view: *mut iree_hal_buffer_view_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live view whose reference the caller gives up.
        unsafe { handle::release(buffer_view) };
        Ok(())
    })
}

/// Destroys `buffer_view` whose last reference the caller owns.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_destroy(buffer_view: *mut iree_hal_buffer_view_t) {
    ffi_boundary(|| {
        if !buffer_view.is_null() {
            // SAFETY: a view whose last reference the caller owns.
            unsafe { handle::destroy(buffer_view) };
        }
        Ok(())
    })
}

/// The view's buffer. Borrowed: valid while the view lives; retain it to
/// keep it longer. NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_buffer(
    buffer_view: *const iree_hal_buffer_view_t,
) -> *mut iree_hal_buffer_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a view the caller holds (API contract).
        let view = unsafe { arg!(buffer_view).hal_ref() }?;
        Ok(view.buffer_handle().cast())
    })
}

/// The rank of the view's shape (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_shape_rank(
    buffer_view: *const iree_hal_buffer_view_t,
) -> iree_host_size_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a view the caller holds (API contract).
        Ok(unsafe { arg!(buffer_view).hal_ref() }?.rank())
    })
}

/// The view's dims (rank many), valid until the view is reshaped or
/// destroyed. Dimensions past `INT32_MAX` read as `INT32_MAX`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_shape_dims(
    buffer_view: *const iree_hal_buffer_view_t,
) -> *const iree_hal_dim_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a view the caller holds (API contract).
        let view = unsafe { arg!(buffer_view).hal_ref() }?;
        Ok(view.narrow_shape().as_ptr())
    })
}

/// Dimension `index` of the view (0 when NULL or out of range).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_shape_dim(
    buffer_view: *const iree_hal_buffer_view_t,
    index: iree_host_size_t,
) -> iree_hal_dim_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a view the caller holds (API contract).
        let view = unsafe { arg!(buffer_view).hal_ref() }?;
        Ok(view.narrow_shape().get(index).copied().unwrap_or(0))
    })
}

/// Copies the dims into `out_shape` (`rank_capacity` entries); sets
/// `*out_shape_rank` to the rank either way (when not NULL), and is
/// OUT_OF_RANGE when the capacity is too small.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_shape(
    buffer_view: *const iree_hal_buffer_view_t,
    rank_capacity: iree_host_size_t,
    out_shape: *mut iree_hal_dim_t,
    out_shape_rank: *mut iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a view the caller holds (API contract).
        let view = unsafe { arg!(buffer_view).hal_ref() }?;
        // SAFETY: NULL or the caller's storage (API contract).
        unsafe { write_dims(view.shape(), rank_capacity, out_shape, out_shape_rank) }
    })
}

/// Writes `dims` to C storage with the seeds' capacity protocol.
///
/// # Safety
/// `out_shape` is NULL or holds `capacity` dims; `out_rank` is NULL or
/// writable.
pub(crate) unsafe fn write_dims(
    dims: &[Dim],
    capacity: iree_host_size_t,
    out_shape: *mut iree_hal_dim_t,
    out_rank: *mut iree_host_size_t,
) -> Result<()> {
    // SAFETY: forwarded contract.
    if let Some(rank) = unsafe { out_rank.as_mut() } {
        *rank = dims.len();
    }
    if dims.len() > capacity {
        iree_bail!(
            OutOfRange,
            "shape rank {} exceeds the capacity of {capacity}",
            dims.len()
        );
    }
    if dims.is_empty() {
        return Ok(());
    }
    iree_ensure!(!out_shape.is_null(), InvalidArgument, "`out_shape` is NULL");
    let narrow = dims_to_c(dims)?;
    // SAFETY: `out_shape` holds `capacity >= dims.len()` dims (forwarded).
    let out = unsafe { std::slice::from_raw_parts_mut(out_shape, dims.len()) };
    out.copy_from_slice(&narrow);
    Ok(())
}

/// Changes the view's shape in place (same rank and element count). Only
/// a view nothing else holds can be reshaped: one also held by the runtime
/// or retained twice is FAILED_PRECONDITION.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_reshape(
    buffer_view: *mut iree_hal_buffer_view_t,
    shape: *const iree_hal_dim_t,
    shape_rank: iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a view the caller holds (API contract).
        let view = unsafe { arg!(buffer_view).hal_ref() }?;
        // SAFETY: `shape` holds `shape_rank` dims (API contract).
        let dims = unsafe { dims_from_c(shape, shape_rank, "shape") }?;
        iree_ensure!(
            view.header().c_reference_count() == 1,
            FailedPrecondition,
            "a buffer view retained more than once cannot be reshaped in place"
        );
        // SAFETY: C's one reference owns one strong count of the view's
        // Arc; it is borrowed here (and given back below) to ask whether
        // it is the only one.
        let mut arc = unsafe { Arc::from_raw(std::ptr::from_ref(view)) };
        let result = match Arc::get_mut(&mut arc) {
            Some(view) => view.reshape(&dims),
            None => Err(iree_err!(
                FailedPrecondition,
                "the buffer view is shared with the runtime and cannot be reshaped in place"
            )),
        };
        let _ = Arc::into_raw(arc);
        result
    })
}

/// Elements in the view (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_element_count(
    buffer_view: *const iree_hal_buffer_view_t,
) -> iree_host_size_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a view the caller holds (API contract).
        let v = unsafe { arg!(buffer_view).hal_ref() }?;
        Ok(usize::try_from(v.element_count()).unwrap_or(usize::MAX))
    })
}

/// The view's element type (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_element_type(
    buffer_view: *const iree_hal_buffer_view_t,
) -> iree_hal_element_type_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a view the caller holds (API contract).
        let v = unsafe { arg!(buffer_view).hal_ref() }?;
        Ok(v.element_type().0)
    })
}

/// Bytes per element, unpacked (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_element_size(
    buffer_view: *const iree_hal_buffer_view_t,
) -> iree_host_size_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a view the caller holds (API contract).
        let v = unsafe { arg!(buffer_view).hal_ref() }?;
        Ok(v.element_size())
    })
}

/// The view's encoding type (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_encoding_type(
    buffer_view: *const iree_hal_buffer_view_t,
) -> iree_hal_encoding_type_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a view the caller holds (API contract).
        let v = unsafe { arg!(buffer_view).hal_ref() }?;
        Ok(v.encoding_type().0)
    })
}

/// The view's size in bytes (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_byte_length(
    buffer_view: *const iree_hal_buffer_view_t,
) -> iree_device_size_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a view the caller holds (API contract).
        let v = unsafe { arg!(buffer_view).hal_ref() }?;
        Ok(v.byte_length())
    })
}

/// Byte offset of the element at `indices` (one per dimension).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_compute_offset(
    buffer_view: *const iree_hal_buffer_view_t,
    indices: *const iree_hal_dim_t,
    indices_count: iree_host_size_t,
    out_offset: *mut iree_device_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's storage (API contract).
        let out_offset = unsafe { arg!(out_offset).out() }?;
        out_offset.write(0);
        // SAFETY: NULL or a view the caller holds (API contract).
        let view = unsafe { arg!(buffer_view).hal_ref() }?;
        // SAFETY: `indices` holds `indices_count` dims (API contract).
        let indices = unsafe { dims_from_c(indices, indices_count, "indices") }?;
        out_offset.write(view.compute_offset(&indices)?);
        Ok(())
    })
}

/// Byte range of the contiguous block at `start_indices` of `lengths`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_view_compute_range(
    buffer_view: *const iree_hal_buffer_view_t,
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
        // SAFETY: NULL or a view the caller holds (API contract).
        let view = unsafe { arg!(buffer_view).hal_ref() }?;
        // SAFETY: the arrays hold their counts of dims (API contract).
        let start = unsafe { dims_from_c(start_indices, indices_count, "start_indices") }?;
        // SAFETY: as above.
        let lengths = unsafe { dims_from_c(lengths, lengths_count, "lengths") }?;
        let (offset, length) = view.compute_range(&start, &lengths)?;
        out_start.write(offset);
        out_length.write(length);
        Ok(())
    })
}
