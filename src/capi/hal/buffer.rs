//! `iree/hal/buffer.h`: buffers, subspans, mapping and host transfers.
//!
//! Buffers are the core's `hal::buffer::Buffer` behind their resource
//! header (`abi::hal_resource`). Buffers implemented in C (the seeds'
//! `iree_hal_buffer_initialize` with a vtable of one's own) are not
//! supported: exports given one return UNIMPLEMENTED.

use std::ffi::c_void;
use std::sync::Arc;

use crate::abi::{iree_byte_span_t, iree_host_size_t, iree_status_t, iree_string_view_t};
use crate::capi::base::bitfield::iree_bitfield_string_temp_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg, Castable, Resource};
use crate::hal::buffer::{calculate_range, Buffer, DeviceSize};
use crate::hal::memory::{
    validate_access, validate_memory_type, validate_usage, BufferUsage, MappingMode, MemoryAccess,
    MemoryType,
};
use crate::{iree_ensure, iree_err, Result};

/// `iree_device_size_t`.
/// cbindgen:ignore
pub type iree_device_size_t = u64;
/// cbindgen:ignore
pub type iree_hal_memory_type_t = u32;
/// cbindgen:ignore
pub type iree_hal_memory_access_t = u16;
/// cbindgen:ignore
pub type iree_hal_buffer_usage_t = u32;
/// cbindgen:ignore
pub type iree_hal_mapping_mode_t = u32;
/// `iree_hal_queue_affinity_t`: a bit per queue.
/// cbindgen:ignore
pub type iree_hal_queue_affinity_t = u64;
/// cbindgen:ignore
pub type iree_hal_transfer_buffer_flags_t = u32;
/// A C enum (`int`-sized) of `hal::buffer::BufferOverlap` values.
/// cbindgen:ignore
pub type iree_hal_buffer_overlap_t = u32;

/// A buffer (opaque to C; its first member is an `iree_hal_resource_t`).
pub struct iree_hal_buffer_t {
    _private: [u8; 0],
}

impl Castable for iree_hal_buffer_t {
    type Ownership = Resource;
    type RustType = Buffer;
}

/// `iree_hal_buffer_mapping_impl_t` (defined in `iree/abi/hal_buffer_types.h`;
/// `flags` is the `is_persistent:1, reserved_flags:31` bitfield word).
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_buffer_mapping_impl_t {
    pub byte_offset: iree_device_size_t,
    pub allowed_access: iree_hal_memory_access_t,
    pub flags: u32,
    pub reserved: [u64; 1],
}

/// `iree_hal_buffer_mapping_t` (defined in `iree/abi/hal_buffer_types.h`).
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_buffer_mapping_t {
    pub contents: iree_byte_span_t,
    pub buffer: *mut iree_hal_buffer_t,
    pub r#impl: iree_hal_buffer_mapping_impl_t,
}

const MAPPING_IS_PERSISTENT: u32 = 1;

fn memory_type(bits: iree_hal_memory_type_t) -> MemoryType {
    MemoryType::from_bits_retain(bits)
}

fn access(bits: iree_hal_memory_access_t) -> MemoryAccess {
    MemoryAccess::from_bits_retain(bits)
}

fn usage(bits: iree_hal_buffer_usage_t) -> BufferUsage {
    BufferUsage::from_bits_retain(bits)
}

/// Writes `text` into the caller's temp storage and returns a view of it
/// (`(error)` where it does not fit or there is no storage).
fn format_into_temp(text: &str, out_temp: *mut iree_bitfield_string_temp_t) -> iree_string_view_t {
    let error = iree_string_view_t::from_static(b"(error)");
    // SAFETY: NULL or caller-owned storage (API contract).
    let Some(temp) = (unsafe { out_temp.as_mut() }) else {
        return error;
    };
    if text.len() >= temp.buffer.len() {
        return error;
    }
    for (dst, &src) in temp.buffer.iter_mut().zip(text.as_bytes()) {
        *dst = src as std::ffi::c_char;
    }
    temp.buffer[text.len()] = 0;
    iree_string_view_t {
        data: temp.buffer.as_ptr(),
        size: text.len(),
    }
}

/// Formats memory type bits (`HOST_LOCAL|DEVICE_VISIBLE`) into `out_temp`;
/// the view points into `out_temp`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_memory_type_format(
    value: iree_hal_memory_type_t,
    out_temp: *mut iree_bitfield_string_temp_t,
) -> iree_string_view_t {
    ffi_boundary(|| Ok(format_into_temp(&memory_type(value).format(), out_temp)))
}

/// Formats memory access bits into `out_temp`; the view points into it.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_memory_access_format(
    value: iree_hal_memory_access_t,
    out_temp: *mut iree_bitfield_string_temp_t,
) -> iree_string_view_t {
    ffi_boundary(|| Ok(format_into_temp(&access(value).format(), out_temp)))
}

/// Formats buffer usage bits into `out_temp`; the view points into it.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_usage_format(
    value: iree_hal_buffer_usage_t,
    out_temp: *mut iree_bitfield_string_temp_t,
) -> iree_string_view_t {
    ffi_boundary(|| Ok(format_into_temp(&usage(value).format(), out_temp)))
}

/// PERMISSION_DENIED unless `actual_memory_type` has every expected bit.
#[no_mangle]
pub extern "C" fn iree_hal_buffer_validate_memory_type(
    actual_memory_type: iree_hal_memory_type_t,
    expected_memory_type: iree_hal_memory_type_t,
) -> iree_status_t {
    ffi_boundary(|| {
        validate_memory_type(
            memory_type(actual_memory_type),
            memory_type(expected_memory_type),
        )
    })
}

/// PERMISSION_DENIED unless the required access is allowed.
#[no_mangle]
pub extern "C" fn iree_hal_buffer_validate_access(
    allowed_memory_access: iree_hal_memory_access_t,
    required_memory_access: iree_hal_memory_access_t,
) -> iree_status_t {
    ffi_boundary(|| {
        validate_access(
            access(allowed_memory_access),
            access(required_memory_access),
        )
    })
}

/// PERMISSION_DENIED unless every required usage bit is allowed.
#[no_mangle]
pub extern "C" fn iree_hal_buffer_validate_usage(
    allowed_usage: iree_hal_buffer_usage_t,
    required_usage: iree_hal_buffer_usage_t,
) -> iree_status_t {
    ffi_boundary(|| validate_usage(usage(allowed_usage), usage(required_usage)))
}

/// OUT_OF_RANGE unless `byte_offset`/`byte_length` lie within `buffer`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_validate_range(
    buffer: *mut iree_hal_buffer_t,
    byte_offset: iree_device_size_t,
    byte_length: iree_device_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a buffer the caller holds (API contract).
        let buffer = unsafe { arg!(buffer).hal_ref() }?;
        buffer.validate_range(byte_offset, byte_length)
    })
}

/// How two ranges relate; buffers of different allocations (or NULL) are
/// disjoint. Both buffers are borrowed for the call.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_test_overlap(
    lhs_buffer: *mut iree_hal_buffer_t,
    lhs_offset: iree_device_size_t,
    lhs_length: iree_device_size_t,
    rhs_buffer: *mut iree_hal_buffer_t,
    rhs_offset: iree_device_size_t,
    rhs_length: iree_device_size_t,
) -> iree_hal_buffer_overlap_t {
    ffi_boundary(|| {
        // SAFETY: NULL or buffers the caller holds (API contract).
        let lhs = unsafe { arg!(lhs_buffer).hal_ref() }?;
        // SAFETY: as above.
        let rhs = unsafe { arg!(rhs_buffer).hal_ref() }?;
        let overlap =
            Buffer::test_overlap(lhs, lhs_offset, lhs_length, rhs, rhs_offset, rhs_length);
        Ok(overlap as iree_hal_buffer_overlap_t)
    })
}

/// A buffer viewing `byte_length` bytes at `byte_offset` of `buffer`
/// (IREE_WHOLE_BUFFER: to the end). The caller owns the reference in
/// `*out_buffer` (the whole range gives `buffer` itself, retained); the
/// subspan keeps the allocation alive.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_subspan(
    buffer: *mut iree_hal_buffer_t,
    byte_offset: iree_device_size_t,
    byte_length: iree_device_size_t,
    out_buffer: *mut *mut iree_hal_buffer_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_buffer = unsafe { arg!(out_buffer).out() }?;
        out_buffer.write(std::ptr::null_mut());
        // SAFETY: NULL or a buffer the caller holds (API contract).
        let buffer = unsafe { arg!(buffer).hal() }?;
        let subspan = buffer.subspan(byte_offset, byte_length)?;
        out_buffer.write(handle::hal_into_ptr(&subspan));
        Ok(())
    })
}

/// As [`iree_hal_buffer_subspan`] (the allocators are not needed).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_subspan_buffer_create(
    allocated_buffer: *mut iree_hal_buffer_t,
    byte_offset: iree_device_size_t,
    byte_length: iree_device_size_t,
    device_allocator: *mut c_void,
    host_allocator: crate::abi::iree_allocator_t,
    out_buffer: *mut *mut iree_hal_buffer_t,
) -> iree_status_t {
    let _ = (device_allocator, host_allocator);
    // SAFETY: forwarded contract.
    unsafe { iree_hal_buffer_subspan(allocated_buffer, byte_offset, byte_length, out_buffer) }
}

/// Adds a reference to `buffer`, which the caller then owns. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_retain(buffer: *mut iree_hal_buffer_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live buffer the caller holds (API contract).
        unsafe { handle::retain(buffer) };
        Ok(())
    })
}

/// Drops the caller's reference to `buffer`. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_release(buffer: *mut iree_hal_buffer_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live buffer whose reference the caller gives up.
        unsafe { handle::release(buffer) };
        Ok(())
    })
}

/// Destroys `buffer` whose last reference the caller owns (what release
/// does on the last reference).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_destroy(buffer: *mut iree_hal_buffer_t) {
    ffi_boundary(|| {
        if !buffer.is_null() {
            // SAFETY: a buffer whose last reference the caller owns.
            unsafe { handle::destroy(buffer) };
        }
        Ok(())
    })
}

/// The buffer owning the allocation `buffer` views (`buffer` itself when
/// it is not a subspan). Borrowed: valid while `buffer` lives; retain it
/// to keep it longer. NULL for NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_allocated_buffer(
    buffer: *const iree_hal_buffer_t,
) -> *mut iree_hal_buffer_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a buffer the caller holds (API contract).
        let buffer = unsafe { arg!(buffer).hal() }?;
        Ok(buffer.allocated_buffer_handle().cast())
    })
}

/// Size of the whole allocation `buffer` views (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_allocation_size(
    buffer: *const iree_hal_buffer_t,
) -> iree_device_size_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a buffer the caller holds (API contract).
        let b = unsafe { arg!(buffer).hal_ref() }?;
        Ok(b.allocation_size())
    })
}

/// Offset of `buffer` within its allocation (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_byte_offset(
    buffer: *const iree_hal_buffer_t,
) -> iree_device_size_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a buffer the caller holds (API contract).
        let b = unsafe { arg!(buffer).hal_ref() }?;
        Ok(b.byte_offset())
    })
}

/// Length of `buffer` in bytes (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_byte_length(
    buffer: *const iree_hal_buffer_t,
) -> iree_device_size_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a buffer the caller holds (API contract).
        let b = unsafe { arg!(buffer).hal_ref() }?;
        Ok(b.byte_length())
    })
}

/// Memory type bits of `buffer` (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_memory_type(
    buffer: *const iree_hal_buffer_t,
) -> iree_hal_memory_type_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a buffer the caller holds (API contract).
        let b = unsafe { arg!(buffer).hal_ref() }?;
        Ok(b.memory_type().bits())
    })
}

/// Access `buffer` allows (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_allowed_access(
    buffer: *const iree_hal_buffer_t,
) -> iree_hal_memory_access_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a buffer the caller holds (API contract).
        let b = unsafe { arg!(buffer).hal_ref() }?;
        Ok(b.allowed_access().bits())
    })
}

/// Usage `buffer` allows (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_allowed_usage(
    buffer: *const iree_hal_buffer_t,
) -> iree_hal_buffer_usage_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a buffer the caller holds (API contract).
        let b = unsafe { arg!(buffer).hal_ref() }?;
        Ok(b.allowed_usage().bits())
    })
}

/// Bytes of a C pointer and length, refused when NULL with a nonzero length.
///
/// # Safety
/// `data` is NULL or valid for reads of `length` bytes for `'a`.
unsafe fn input_bytes<'a>(data: *const c_void, length: DeviceSize, name: &str) -> Result<&'a [u8]> {
    if length == 0 {
        return Ok(&[]);
    }
    iree_ensure!(!data.is_null(), InvalidArgument, "`{name}` is NULL");
    let length = usize::try_from(length)
        .map_err(|_| iree_err!(OutOfRange, "{length} bytes do not fit the host"))?;
    // SAFETY: forwarded contract.
    Ok(unsafe { std::slice::from_raw_parts(data.cast::<u8>(), length) })
}

/// Zeroes `byte_length` bytes at `byte_offset` of `buffer` (needs write
/// access; IREE_WHOLE_BUFFER: to the end).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_map_zero(
    buffer: *mut iree_hal_buffer_t,
    byte_offset: iree_device_size_t,
    byte_length: iree_device_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a buffer the caller holds (API contract).
        let buffer = unsafe { arg!(buffer).hal_ref() }?;
        buffer.map_zero(byte_offset, byte_length)
    })
}

/// Repeats the 1, 2 or 4 byte `pattern` over the range (offset and length
/// multiples of the pattern size). `pattern` is read during the call.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_map_fill(
    buffer: *mut iree_hal_buffer_t,
    byte_offset: iree_device_size_t,
    byte_length: iree_device_size_t,
    pattern: *const c_void,
    pattern_length: iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a buffer the caller holds (API contract).
        let buffer = unsafe { arg!(buffer).hal_ref() }?;
        iree_ensure!(!pattern.is_null(), InvalidArgument, "`pattern` is NULL");
        iree_ensure!(
            matches!(pattern_length, 1 | 2 | 4),
            InvalidArgument,
            "fill patterns must be 1, 2, or 4 bytes (got {pattern_length})"
        );
        // SAFETY: `pattern` holds `pattern_length` bytes (API contract).
        let pattern = unsafe { input_bytes(pattern, pattern_length as DeviceSize, "pattern") }?;
        buffer.map_fill(byte_offset, byte_length, pattern)
    })
}

/// Copies `data_length` bytes at `source_offset` of `source_buffer` into
/// `target_buffer` (host memory of that many bytes).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_map_read(
    source_buffer: *mut iree_hal_buffer_t,
    source_offset: iree_device_size_t,
    target_buffer: *mut c_void,
    data_length: iree_device_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a buffer the caller holds (API contract).
        let source = unsafe { arg!(source_buffer).hal_ref() }?;
        if data_length == 0 {
            return Ok(());
        }
        iree_ensure!(
            !target_buffer.is_null(),
            InvalidArgument,
            "`target_buffer` is NULL"
        );
        source.validate_range(source_offset, data_length)?;
        let length = usize::try_from(data_length)
            .map_err(|_| iree_err!(OutOfRange, "{data_length} bytes do not fit the host"))?;
        // SAFETY: the caller's memory holds `data_length` writable bytes
        // (API contract) and is not the buffer's own (copies go through
        // raw storage reads, never a reference into the buffer).
        let out = unsafe { std::slice::from_raw_parts_mut(target_buffer.cast::<u8>(), length) };
        source.map_read(source_offset, out)
    })
}

/// Copies `data_length` bytes of host memory `source_buffer` to
/// `target_offset` of `target_buffer` (needs write access).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_map_write(
    target_buffer: *mut iree_hal_buffer_t,
    target_offset: iree_device_size_t,
    source_buffer: *const c_void,
    data_length: iree_device_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a buffer the caller holds (API contract).
        let target = unsafe { arg!(target_buffer).hal_ref() }?;
        target.validate_range(target_offset, data_length)?;
        // SAFETY: the caller's memory holds `data_length` bytes (API contract).
        let data = unsafe { input_bytes(source_buffer, data_length, "source_buffer") }?;
        target.map_write(target_offset, data)
    })
}

/// Copies between two buffers (ranges of one allocation must not overlap).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_map_copy(
    source_buffer: *mut iree_hal_buffer_t,
    source_offset: iree_device_size_t,
    target_buffer: *mut iree_hal_buffer_t,
    target_offset: iree_device_size_t,
    data_length: iree_device_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or buffers the caller holds (API contract).
        let source = unsafe { arg!(source_buffer).hal_ref() }?;
        // SAFETY: as above.
        let target = unsafe { arg!(target_buffer).hal_ref() }?;
        Buffer::map_copy(source, source_offset, target, target_offset, data_length)
    })
}

/// Maps a range of `buffer` for host access into `*out_buffer_mapping`.
/// Wrong access is PERMISSION_DENIED; a persistent mapping of memory that
/// is not host visible or lacks MAPPING usage too; ranges outside the
/// buffer are OUT_OF_RANGE. The mapping does not retain `buffer`: keep it
/// alive until iree_hal_buffer_unmap_range.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_map_range(
    buffer: *mut iree_hal_buffer_t,
    mapping_mode: iree_hal_mapping_mode_t,
    memory_access: iree_hal_memory_access_t,
    byte_offset: iree_device_size_t,
    byte_length: iree_device_size_t,
    out_buffer_mapping: *mut iree_hal_buffer_mapping_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's storage (API contract).
        let out = unsafe { arg!(out_buffer_mapping).out() }?;
        let empty = iree_hal_buffer_mapping_t {
            contents: iree_byte_span_t::EMPTY,
            buffer: std::ptr::null_mut(),
            r#impl: iree_hal_buffer_mapping_impl_t {
                byte_offset: 0,
                allowed_access: 0,
                flags: 0,
                reserved: [0],
            },
        };
        out.write(empty);
        // SAFETY: NULL or a buffer the caller holds (API contract).
        let core = unsafe { arg!(buffer).hal() }?;
        let mode = MappingMode::from_bits_retain(mapping_mode);
        let mapping = core.map_range(mode, access(memory_access), byte_offset, byte_length)?;
        let contents = mapping.contents();
        out.write(iree_hal_buffer_mapping_t {
            contents: iree_byte_span_t {
                data: contents.data,
                data_length: host_length(contents.length)?,
            },
            buffer,
            r#impl: iree_hal_buffer_mapping_impl_t {
                byte_offset: mapping.allocation_offset(),
                allowed_access: memory_access,
                flags: if mapping.is_persistent() {
                    MAPPING_IS_PERSISTENT
                } else {
                    0
                },
                reserved: [0],
            },
        });
        Ok(())
    })
}

fn host_length(length: DeviceSize) -> Result<usize> {
    usize::try_from(length).map_err(|_| iree_err!(OutOfRange, "{length} bytes do not fit the host"))
}

/// The buffer and checked state of a C mapping made by map_range.
///
/// # Safety
/// `mapping` is NULL or a mapping from `iree_hal_buffer_map_range` whose
/// buffer is still alive.
unsafe fn mapped<'a>(
    mapping: *mut iree_hal_buffer_mapping_t,
) -> Result<(&'a mut iree_hal_buffer_mapping_t, Arc<Buffer>)> {
    // SAFETY: forwarded contract.
    let mapping = unsafe { arg!(mapping).in_out() }?;
    let buffer = mapping.buffer;
    iree_ensure!(
        !buffer.is_null(),
        FailedPrecondition,
        "the mapping is not mapped (no buffer)"
    );
    // SAFETY: the mapped buffer is alive (forwarded contract).
    let buffer = unsafe { arg!(buffer).hal() }?;
    Ok((mapping, buffer))
}

/// Ends a mapping made by iree_hal_buffer_map_range and clears it;
/// `contents` is invalid afterwards (for scoped mappings).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_unmap_range(
    buffer_mapping: *mut iree_hal_buffer_mapping_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's mapping (API contract).
        let (mapping, _buffer) = unsafe { mapped(buffer_mapping) }?;
        std::sync::atomic::fence(std::sync::atomic::Ordering::Release);
        mapping.contents = iree_byte_span_t::EMPTY;
        mapping.buffer = std::ptr::null_mut();
        Ok(())
    })
}

/// Checks a range of a mapping against the access it needs.
fn check_mapping_range(
    mapping: &iree_hal_buffer_mapping_t,
    required: MemoryAccess,
    byte_offset: DeviceSize,
    byte_length: DeviceSize,
) -> Result<(DeviceSize, DeviceSize)> {
    validate_access(access(mapping.r#impl.allowed_access), required)?;
    calculate_range(
        0,
        mapping.contents.data_length as DeviceSize,
        byte_offset,
        byte_length,
    )
}

/// Makes device writes to a range of the mapping visible to the host
/// (needs read access; offsets relative to the mapping).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_invalidate_range(
    buffer_mapping: *mut iree_hal_buffer_mapping_t,
    byte_offset: iree_device_size_t,
    byte_length: iree_device_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's mapping (API contract).
        let (mapping, _buffer) = unsafe { mapped(buffer_mapping) }?;
        check_mapping_range(mapping, MemoryAccess::READ, byte_offset, byte_length)?;
        std::sync::atomic::fence(std::sync::atomic::Ordering::Acquire);
        Ok(())
    })
}

/// Makes host writes to a range of the mapping visible to the device
/// (needs write access; offsets relative to the mapping).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_flush_range(
    buffer_mapping: *mut iree_hal_buffer_mapping_t,
    byte_offset: iree_device_size_t,
    byte_length: iree_device_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's mapping (API contract).
        let (mapping, _buffer) = unsafe { mapped(buffer_mapping) }?;
        check_mapping_range(mapping, MemoryAccess::WRITE, byte_offset, byte_length)?;
        std::sync::atomic::fence(std::sync::atomic::Ordering::Release);
        Ok(())
    })
}

/// A span of a mapping for the given access (offsets relative to the
/// mapping), valid as long as the mapping.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_buffer_mapping_subspan(
    buffer_mapping: *mut iree_hal_buffer_mapping_t,
    memory_access: iree_hal_memory_access_t,
    byte_offset: iree_device_size_t,
    byte_length: iree_device_size_t,
    out_span: *mut iree_byte_span_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's storage (API contract).
        let out_span = unsafe { arg!(out_span).out() }?;
        out_span.write(iree_byte_span_t::EMPTY);
        // SAFETY: NULL or the caller's mapping (API contract).
        let (mapping, _buffer) = unsafe { mapped(buffer_mapping) }?;
        let (offset, length) =
            check_mapping_range(mapping, access(memory_access), byte_offset, byte_length)?;
        out_span.write(iree_byte_span_t {
            data: mapping.contents.data.wrapping_add(host_length(offset)?),
            data_length: host_length(length)?,
        });
        Ok(())
    })
}
