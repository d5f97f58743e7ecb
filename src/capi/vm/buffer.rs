//! `iree/vm/buffer.h`.

use std::ffi::c_void;

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::vm::buffer::{self as core, Buffer};
use crate::vm::r#ref::{self as refs, RawRef};
use crate::{iree_err, Result};

/// # Safety
/// A non-null `buffer` must be a live buffer.
unsafe fn buf<'a>(buffer: *const iree_vm_buffer_t) -> Result<&'a Buffer> {
    // SAFETY: forwarded contract.
    unsafe { buffer.as_ref() }.ok_or_else(|| iree_err!(InvalidArgument, "buffer is NULL"))
}

fn store_buffer(out: *mut *mut iree_vm_buffer_t, r: Result<refs::Ref>) -> iree_status_t {
    if out.is_null() {
        return iree_err!(InvalidArgument, "out_buffer is NULL").into();
    }
    match r {
        Ok(r) => {
            // SAFETY: checked non-null; the caller takes our reference.
            unsafe { *out = r.into_raw().ptr as *mut iree_vm_buffer_t };
            iree_status_t::OK
        }
        Err(e) => {
            // SAFETY: as above.
            unsafe { *out = std::ptr::null_mut() };
            e.into()
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_initialize(
    access: iree_vm_buffer_access_t,
    data: iree_byte_span_t,
    allocator: iree_allocator_t,
    out_buffer: *mut iree_vm_buffer_t,
) {
    ffi_boundary! {
        if !out_buffer.is_null() {
            // SAFETY: caller storage for one buffer struct.
            unsafe { out_buffer.write(Buffer::new(access, data, allocator)) };
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_deinitialize(buffer: *mut iree_vm_buffer_t) {
    ffi_boundary! {
        // SAFETY: NULL or an initialized buffer; its allocator owns the data.
        if let Some(b) = unsafe { buffer.as_mut() } {
            // SAFETY: the buffer's allocator owns its data (API contract).
            unsafe { b.allocator.free(b.data.data as *mut c_void) };
            b.data = iree_byte_span_t::EMPTY;
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_create(
    access: iree_vm_buffer_access_t,
    length: iree_host_size_t,
    allocator: iree_allocator_t,
    out_buffer: *mut *mut iree_vm_buffer_t,
) -> iree_status_t {
    ffi_boundary! { store_buffer(out_buffer, Buffer::create(access, length, allocator)) }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_retain(buffer: *mut iree_vm_buffer_t) {
    ffi_boundary! {
        // SAFETY: NULL or a live buffer.
        unsafe { refs::retain_object(buffer as *mut c_void, 0) };
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_release(buffer: *mut iree_vm_buffer_t) {
    ffi_boundary! {
        // SAFETY: NULL or a live buffer; the caller gives up a reference.
        unsafe { refs::release_object(buffer as *mut c_void, 0, refs::lookup_type(core::type_id())) };
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_clone(
    access: iree_vm_buffer_access_t,
    source_buffer: *const iree_vm_buffer_t,
    source_offset: iree_host_size_t,
    length: iree_host_size_t,
    allocator: iree_allocator_t,
    out_buffer: *mut *mut iree_vm_buffer_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: buffer contract.
        let r = unsafe { buf(source_buffer) }.and_then(|b| b.clone_range(access, source_offset, length, allocator));
        store_buffer(out_buffer, r)
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_length(
    buffer: *const iree_vm_buffer_t,
) -> iree_host_size_t {
    // SAFETY: buffer contract.
    ffi_boundary! { unsafe { buf(buffer) }.map_or(0, |b| b.len()) }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_data(buffer: *const iree_vm_buffer_t) -> iree_byte_span_t {
    // SAFETY: buffer contract.
    ffi_boundary! { unsafe { buf(buffer) }.map_or(iree_byte_span_t::EMPTY, |b| b.data) }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_copy_bytes(
    source_buffer: *const iree_vm_buffer_t,
    source_offset: iree_host_size_t,
    target_buffer: *const iree_vm_buffer_t,
    target_offset: iree_host_size_t,
    length: iree_host_size_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: buffer contract.
        (|| unsafe { Buffer::copy_bytes(buf(source_buffer)?, source_offset, buf(target_buffer)?, target_offset, length) })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_compare_bytes(
    lhs_buffer: *const iree_vm_buffer_t,
    lhs_offset: iree_host_size_t,
    rhs_buffer: *const iree_vm_buffer_t,
    rhs_offset: iree_host_size_t,
    length: iree_host_size_t,
    out_result: *mut bool,
) -> iree_status_t {
    ffi_boundary! {
        (|| {
            // SAFETY: buffer contract.
            let equal = unsafe { Buffer::compare_bytes(buf(lhs_buffer)?, lhs_offset, buf(rhs_buffer)?, rhs_offset, length) }?;
            // SAFETY: NULL or valid out-pointer.
            let out = unsafe { out_result.as_mut() }.ok_or_else(|| iree_err!(InvalidArgument, "out_result is NULL"))?;
            *out = equal;
            Ok(())
        })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_fill_bytes(
    target_buffer: *const iree_vm_buffer_t,
    target_offset: iree_host_size_t,
    length: iree_host_size_t,
    value: u8,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: buffer contract.
        (|| unsafe { buf(target_buffer) }?.fill_elements(target_offset, length, &[value]))().into()
    }
}

/// # Safety
/// A non-null `ptr` must be readable for `len` bytes.
unsafe fn bytes<'a>(ptr: *const c_void, len: usize) -> Result<&'a [u8]> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(iree_err!(InvalidArgument, "value pointer is NULL"));
    }
    // SAFETY: forwarded contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr as *const u8, len) })
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_fill_elements(
    target_buffer: *const iree_vm_buffer_t,
    target_offset: iree_host_size_t,
    element_count: iree_host_size_t,
    element_length: iree_host_size_t,
    value: *const c_void,
) -> iree_status_t {
    ffi_boundary! {
        (|| {
            if !matches!(element_length, 1 | 2 | 4 | 8) {
                return Err(iree_err!(InvalidArgument, "invalid element length {}; expected one of [1, 2, 4, 8]", element_length));
            }
            // SAFETY: `value` points at one element (API contract).
            let pattern = unsafe { bytes(value, element_length) }?;
            // SAFETY: buffer contract.
            unsafe { buf(target_buffer) }?.fill_elements(target_offset, element_count, pattern)
        })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_read_elements(
    source_buffer: *const iree_vm_buffer_t,
    source_offset: iree_host_size_t,
    target_ptr: *mut c_void,
    element_count: iree_host_size_t,
    element_length: iree_host_size_t,
) -> iree_status_t {
    ffi_boundary! {
        (|| {
            // SAFETY: buffer contract.
            let data = unsafe { buf(source_buffer) }?.read_elements(source_offset, element_count, element_length)?;
            if data.is_empty() {
                return Ok(());
            }
            if target_ptr.is_null() {
                return Err(iree_err!(InvalidArgument, "target_ptr is NULL"));
            }
            // SAFETY: the target holds element_count * element_length bytes.
            unsafe { std::ptr::copy_nonoverlapping(data.as_ptr(), target_ptr as *mut u8, data.len()) };
            Ok(())
        })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_write_elements(
    source_ptr: *const c_void,
    target_buffer: *const iree_vm_buffer_t,
    target_offset: iree_host_size_t,
    element_count: iree_host_size_t,
    element_length: iree_host_size_t,
) -> iree_status_t {
    ffi_boundary! {
        (|| {
            let len = element_count.checked_mul(element_length).ok_or_else(|| iree_err!(OutOfRange, "element count too large"))?;
            // SAFETY: the source holds `len` bytes (API contract).
            let source = unsafe { bytes(source_ptr, len) }?;
            // SAFETY: buffer contract.
            unsafe { buf(target_buffer) }?.write_elements(target_offset, source, element_length)
        })().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_retain_ref(value: *mut iree_vm_buffer_t) -> iree_vm_ref_t {
    ffi_boundary! {
        // SAFETY: NULL or a live buffer.
        unsafe { refs::retain_object(value as *mut c_void, 0) };
        RawRef::new(value as *mut c_void, 0, core::type_id())
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_move_ref(value: *mut iree_vm_buffer_t) -> iree_vm_ref_t {
    ffi_boundary! { RawRef::new(value as *mut c_void, 0, core::type_id()) }
}

#[no_mangle]
pub extern "C" fn iree_vm_buffer_deref(ref_: iree_vm_ref_t) -> *mut iree_vm_buffer_t {
    ffi_boundary! {
        if ref_.type_id() == core::type_id() { ref_.ptr as *mut iree_vm_buffer_t } else { std::ptr::null_mut() }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_vm_buffer_check_deref(
    ref_: iree_vm_ref_t,
    out_ptr: *mut *mut iree_vm_buffer_t,
) -> iree_status_t {
    ffi_boundary! {
        if let Err(e) = refs::check(&ref_, core::type_id()) {
            return e.into();
        }
        // SAFETY: NULL or valid out-pointer.
        match unsafe { out_ptr.as_mut() } {
            Some(out) => { *out = ref_.ptr as *mut iree_vm_buffer_t; iree_status_t::OK }
            None => iree_err!(InvalidArgument, "out_ptr is NULL").into(),
        }
    }
}

#[no_mangle]
pub extern "C" fn iree_vm_buffer_get_descriptor() -> *const iree_vm_ref_type_descriptor_t {
    ffi_boundary! { core::descriptor() }
}

#[no_mangle]
pub extern "C" fn iree_vm_buffer_type_id() -> iree_vm_ref_type_t {
    ffi_boundary! { core::type_id() }
}
