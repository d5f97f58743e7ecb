//! `iree/vm/buffer.h`.
//!
//! A buffer is a ref-counted VM object (`vm.buffer`) whose struct layout is
//! public. `iree_vm_buffer_create`/`_clone` give the caller one reference,
//! released with `iree_vm_buffer_release`; a buffer struct the caller
//! embeds is set up by `iree_vm_buffer_initialize` and ended by
//! `iree_vm_buffer_deinitialize`. Spans into a buffer's bytes are borrowed
//! for as long as the caller holds a reference to it.

use std::ffi::c_void;

use super::type_adapters;
use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg};
use crate::vm::buffer::Buffer;
use crate::vm::r#ref::Ref;
use crate::{iree_ensure, iree_err, Result};

/// Stores the new buffer's reference in `*out_buffer` (NULL on failure).
///
/// # Safety
/// `out_buffer` is NULL or the caller's pointer slot.
unsafe fn store_new_buffer(
    out_buffer: *mut *mut iree_vm_buffer_t,
    make: impl FnOnce() -> Result<Ref>,
) -> Result<()> {
    // SAFETY: forwarded contract.
    let out_buffer = unsafe { arg!(out_buffer).out() }?;
    out_buffer.write(std::ptr::null_mut());
    out_buffer.write(handle::vm_ref_into_ptr(make()?)?);
    Ok(())
}

/// Sets up the caller's buffer struct over `data`, with one reference the
/// caller holds. The caller owns the struct; `data` stays the caller's
/// unless `allocator` is given, which then frees it at deinitialize.
/// NULL `out_buffer` is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_initialize(
    access: iree_vm_buffer_access_t,
    data: iree_byte_span_t,
    allocator: iree_allocator_t,
    out_buffer: *mut iree_vm_buffer_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or caller storage for one buffer struct.
        let out_buffer = unsafe { arg!(out_buffer).out() }?;
        out_buffer.write(Buffer::new(access, data, allocator));
        Ok(())
    })
}

/// Ends a buffer set up by `iree_vm_buffer_initialize`: frees its data
/// through the allocator it was given (if any); the struct stays the
/// caller's. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_deinitialize(buffer: *mut iree_vm_buffer_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized buffer nothing else uses now.
        let buffer = unsafe { arg!(buffer).in_out() }?;
        // SAFETY: the buffer's allocator owns its data (API contract).
        unsafe { buffer.allocator.free(buffer.data.data.cast::<c_void>()) };
        buffer.data = iree_byte_span_t::EMPTY;
        Ok(())
    })
}

/// Allocates a zeroed buffer of `length` bytes from `allocator` (kept by
/// the buffer). The caller owns the one reference in `*out_buffer` (NULL on
/// failure) and releases it with `iree_vm_buffer_release`.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_create(
    access: iree_vm_buffer_access_t,
    length: iree_host_size_t,
    allocator: iree_allocator_t,
    out_buffer: *mut *mut iree_vm_buffer_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        unsafe { store_new_buffer(out_buffer, || Buffer::create(access, length, allocator)) }
    })
}

/// Adds a reference to `buffer`, which the caller then owns. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_retain(buffer: *mut iree_vm_buffer_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live buffer (API contract).
        unsafe { handle::retain(buffer) };
        Ok(())
    })
}

/// Gives up one of the caller's references to `buffer`; the last one frees
/// a created buffer. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_release(buffer: *mut iree_vm_buffer_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live buffer whose reference the caller gives up.
        unsafe { handle::release(buffer) };
        Ok(())
    })
}

/// Copies `length` bytes of `source_buffer` (borrowed for the call) from
/// `source_offset` into a new buffer from `allocator`. The caller owns the
/// one reference in `*out_buffer` (NULL on failure).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_clone(
    access: iree_vm_buffer_access_t,
    source_buffer: *const iree_vm_buffer_t,
    source_offset: iree_host_size_t,
    length: iree_host_size_t,
    allocator: iree_allocator_t,
    out_buffer: *mut *mut iree_vm_buffer_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's slot; NULL or a live buffer.
        unsafe {
            store_new_buffer(out_buffer, || {
                let source = arg!(source_buffer).handle()?;
                source.clone_range(access, source_offset, length, allocator)
            })
        }
    })
}

/// Bytes in `buffer` (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_length(
    buffer: *const iree_vm_buffer_t,
) -> iree_host_size_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live buffer (API contract).
        Ok(unsafe { arg!(buffer).handle() }?.len())
    })
}

/// The buffer's bytes, borrowed while the caller holds a reference to it
/// (an empty span for NULL). Writing through it ignores the access rules.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_data(buffer: *const iree_vm_buffer_t) -> iree_byte_span_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live buffer (API contract).
        Ok(unsafe { arg!(buffer).handle() }?.data)
    })
}

/// Copies `length` bytes between buffers (both borrowed for the call; the
/// target must be mutable).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_copy_bytes(
    source_buffer: *const iree_vm_buffer_t,
    source_offset: iree_host_size_t,
    target_buffer: *const iree_vm_buffer_t,
    target_offset: iree_host_size_t,
    length: iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live buffers (API contract).
        let (source, target) =
            unsafe { (arg!(source_buffer).handle()?, arg!(target_buffer).handle()?) };
        Buffer::copy_bytes(source, source_offset, target, target_offset, length)
    })
}

/// Compares `length` bytes of two buffers (borrowed for the call) and
/// writes whether they are equal to `*out_result`.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_compare_bytes(
    lhs_buffer: *const iree_vm_buffer_t,
    lhs_offset: iree_host_size_t,
    rhs_buffer: *const iree_vm_buffer_t,
    rhs_offset: iree_host_size_t,
    length: iree_host_size_t,
    out_result: *mut bool,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live buffers (API contract).
        let (lhs, rhs) = unsafe { (arg!(lhs_buffer).handle()?, arg!(rhs_buffer).handle()?) };
        let equal = Buffer::compare_bytes(lhs, lhs_offset, rhs, rhs_offset, length)?;
        // SAFETY: NULL or the caller's slot.
        unsafe { arg!(out_result).out() }?.write(equal);
        Ok(())
    })
}

/// Sets `length` bytes of the (mutable) buffer to `value`.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_fill_bytes(
    target_buffer: *const iree_vm_buffer_t,
    target_offset: iree_host_size_t,
    length: iree_host_size_t,
    value: u8,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live buffer (API contract).
        let target = unsafe { arg!(target_buffer).handle() }?;
        target.fill_elements(target_offset, length, &[value])
    })
}

/// Borrows `len` bytes at `ptr` for the call (none needed when `len` is 0).
///
/// # Safety
/// A non-null `ptr` must be readable for `len` bytes.
unsafe fn bytes<'a>(ptr: *const c_void, len: usize, name: &'static str) -> Result<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    let first = handle::Arg::new(ptr.cast::<u8>(), name).non_null_ptr()?;
    // SAFETY: forwarded contract.
    Ok(unsafe { std::slice::from_raw_parts(first, len) })
}

/// Fills `element_count` elements of `element_length` (1, 2, 4 or 8) bytes
/// with the pattern at `value` (read during the call).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_fill_elements(
    target_buffer: *const iree_vm_buffer_t,
    target_offset: iree_host_size_t,
    element_count: iree_host_size_t,
    element_length: iree_host_size_t,
    value: *const c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        iree_ensure!(
            matches!(element_length, 1 | 2 | 4 | 8),
            InvalidArgument,
            "invalid element length {}; expected one of [1, 2, 4, 8]",
            element_length
        );
        // SAFETY: `value` points at one element (API contract).
        let pattern = unsafe { bytes(value, element_length, "value") }?;
        // SAFETY: NULL or a live buffer (API contract).
        let target = unsafe { arg!(target_buffer).handle() }?;
        target.fill_elements(target_offset, element_count, pattern)
    })
}

/// Copies `element_count` elements from the buffer into the caller's
/// `target_ptr` (written during the call).
#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_read_elements(
    source_buffer: *const iree_vm_buffer_t,
    source_offset: iree_host_size_t,
    target_ptr: *mut c_void,
    element_count: iree_host_size_t,
    element_length: iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live buffer (API contract).
        let source = unsafe { arg!(source_buffer).handle() }?;
        let data = source.read_elements(source_offset, element_count, element_length)?;
        if data.is_empty() {
            return Ok(());
        }
        let target = arg!(target_ptr).non_null_ptr()?.cast::<u8>();
        // SAFETY: the target holds `data.len()` bytes (API contract).
        unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), target, data.len()) };
        Ok(())
    })
}

/// Copies `element_count` elements from the caller's `source_ptr` (read
/// during the call) into the (mutable) buffer.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_write_elements(
    source_ptr: *const c_void,
    target_buffer: *const iree_vm_buffer_t,
    target_offset: iree_host_size_t,
    element_count: iree_host_size_t,
    element_length: iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        let len = element_count
            .checked_mul(element_length)
            .ok_or_else(|| iree_err!(OutOfRange, "element count too large"))?;
        // SAFETY: the source holds `len` bytes (API contract).
        let source = unsafe { bytes(source_ptr, len, "source_ptr") }?;
        // SAFETY: NULL or a live buffer (API contract).
        let target = unsafe { arg!(target_buffer).handle() }?;
        target.write_elements(target_offset, source, element_length)
    })
}

// Type adapters (IREE_VM_DECLARE_TYPE_ADAPTERS(iree_vm_buffer, iree_vm_buffer_t)).

/// A ref to `value` holding a new reference (the caller owns it; `value`
/// keeps its own). NULL gives the null ref.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_retain_ref(value: *mut iree_vm_buffer_t) -> iree_vm_ref_t {
    // SAFETY: NULL or a live buffer (API contract).
    unsafe { type_adapters::retain_ref(value) }
}

/// A ref to `value` that takes over the caller's reference. NULL gives the
/// null ref.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_move_ref(value: *mut iree_vm_buffer_t) -> iree_vm_ref_t {
    // SAFETY: NULL or a live buffer whose reference the caller hands over.
    unsafe { type_adapters::move_ref(value) }
}

/// The buffer `ref_` points at, or NULL when it is not a buffer. Borrowed:
/// valid while `ref_` holds its reference.
#[no_mangle]
pub extern "C" fn iree_vm_buffer_deref(ref_: iree_vm_ref_t) -> *mut iree_vm_buffer_t {
    type_adapters::deref(ref_)
}

/// As `iree_vm_buffer_deref`, failing with INVALID_ARGUMENT for a null ref
/// or one of another type. `*out_ptr` is borrowed like the deref result.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_check_deref(
    ref_: iree_vm_ref_t,
    out_ptr: *mut *mut iree_vm_buffer_t,
) -> iree_status_t {
    // SAFETY: NULL or the caller's pointer slot (API contract).
    unsafe { type_adapters::check_deref(ref_, out_ptr) }
}

/// The `vm.buffer` type descriptor (static; registered on first use).
#[no_mangle]
pub extern "C" fn iree_vm_buffer_get_descriptor() -> *const iree_vm_ref_type_descriptor_t {
    type_adapters::descriptor::<Buffer>()
}

/// The `vm.buffer` ref type id (registered on first use).
#[no_mangle]
pub extern "C" fn iree_vm_buffer_type_id() -> iree_vm_ref_type_t {
    type_adapters::type_id::<Buffer>()
}
