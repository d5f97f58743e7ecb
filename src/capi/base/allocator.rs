//! `iree/base/allocator.h`: `iree_allocator_t` and the system allocator.
//!
//! Every allocation request goes through the allocator's control function,
//! so custom allocators see exactly the commands upstream documents. Other
//! modules of the crate allocate C-visible memory through the helper
//! methods on [`iree_allocator_t`].

use std::ffi::c_void;

pub use crate::abi::allocator::{
    iree_allocator_alloc_params_t, iree_allocator_command_t, iree_allocator_ctl_fn_t,
    iree_allocator_system_ctl, iree_allocator_t, iree_byte_span_t, iree_const_byte_span_t,
    IREE_ALLOCATOR_COMMAND_CALLOC, IREE_ALLOCATOR_COMMAND_FREE, IREE_ALLOCATOR_COMMAND_MALLOC,
    IREE_ALLOCATOR_COMMAND_REALLOC,
};
use crate::base::allocator as layout;
use crate::base::status::{Error, StatusCode};
use crate::capi::base::status::iree_status_t;
use crate::{iree_err, Result};

/// Stores `ptr` in a C out-parameter, failing for a NULL out-parameter.
unsafe fn store_out(out_ptr: *mut *mut c_void, ptr: *mut c_void) {
    // SAFETY: checked non-null by every caller before allocating.
    unsafe { *out_ptr = ptr };
}

fn null_out() -> iree_status_t {
    Error::new(
        StatusCode::InvalidArgument,
        "output pointer must not be NULL",
    )
    .into()
}

unsafe fn allocate(
    allocator: iree_allocator_t,
    command: iree_allocator_command_t,
    byte_length: usize,
    out_ptr: *mut *mut c_void,
) -> iree_status_t {
    if out_ptr.is_null() {
        return null_out();
    }
    // SAFETY: the allocator is valid (API contract).
    match unsafe { allocator.issue(command, byte_length, std::ptr::null_mut()) } {
        Ok(ptr) => {
            // SAFETY: checked non-null above.
            unsafe { store_out(out_ptr, ptr) };
            iree_status_t::OK
        }
        Err(err) => err.into(),
    }
}

/// Zero-filled allocation of `byte_length` bytes.
#[no_mangle]
pub unsafe extern "C" fn iree_allocator_malloc(
    allocator: iree_allocator_t,
    byte_length: usize,
    out_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: forwarded contract.
        unsafe { allocate(allocator, IREE_ALLOCATOR_COMMAND_CALLOC, byte_length, out_ptr) }
    }
}

/// Allocation with undefined contents.
#[no_mangle]
pub unsafe extern "C" fn iree_allocator_malloc_uninitialized(
    allocator: iree_allocator_t,
    byte_length: usize,
    out_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: forwarded contract.
        unsafe { allocate(allocator, IREE_ALLOCATOR_COMMAND_MALLOC, byte_length, out_ptr) }
    }
}

/// Resizes `*inout_ptr` (NULL allocates); on failure it is left untouched.
#[no_mangle]
pub unsafe extern "C" fn iree_allocator_realloc(
    allocator: iree_allocator_t,
    byte_length: usize,
    inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        if inout_ptr.is_null() {
            return null_out();
        }
        // SAFETY: checked non-null; the block belongs to the allocator.
        let existing = unsafe { *inout_ptr };
        // SAFETY: the allocator is valid (API contract).
        match unsafe { allocator.issue(IREE_ALLOCATOR_COMMAND_REALLOC, byte_length, existing) } {
            Ok(ptr) => {
                // SAFETY: checked non-null above.
                unsafe { store_out(inout_ptr, ptr) };
                iree_status_t::OK
            }
            Err(err) => err.into(),
        }
    }
}

/// Allocates a copy of `source_bytes`.
#[no_mangle]
pub unsafe extern "C" fn iree_allocator_clone(
    allocator: iree_allocator_t,
    source_bytes: iree_const_byte_span_t,
    out_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        if out_ptr.is_null() {
            return null_out();
        }
        if source_bytes.data.is_null() && source_bytes.data_length > 0 {
            return iree_err!(InvalidArgument, "source bytes are NULL").into();
        }
        // SAFETY: the allocator is valid (API contract).
        let ptr = match unsafe { allocator.malloc_uninitialized(source_bytes.data_length) } {
            Ok(ptr) => ptr,
            Err(err) => return err.into(),
        };
        // SAFETY: the new block holds data_length bytes; the source is live.
        unsafe {
            std::ptr::copy_nonoverlapping(source_bytes.data, ptr as *mut u8, source_bytes.data_length);
            store_out(out_ptr, ptr);
        }
        iree_status_t::OK
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_allocator_free(allocator: iree_allocator_t, ptr: *mut c_void) {
    // SAFETY: forwarded contract.
    ffi_boundary! { unsafe { allocator.free(ptr) } }
}

/// Reads the base address saved just before aligned data.
unsafe fn saved_base(data: *mut c_void) -> *mut c_void {
    // SAFETY: aligned blocks keep the base in the word before the data.
    unsafe { ((data as *mut u8).sub(layout::BASE_SLOT) as *const *mut c_void).read_unaligned() }
}

unsafe fn save_base(data: *mut c_void, base: *mut c_void) {
    // SAFETY: the slot lies inside the block (see base::allocator).
    unsafe { ((data as *mut u8).sub(layout::BASE_SLOT) as *mut *mut c_void).write_unaligned(base) }
}

/// Zeroed allocation whose byte at `offset` is aligned to `min_alignment`.
#[no_mangle]
pub unsafe extern "C" fn iree_allocator_malloc_aligned(
    allocator: iree_allocator_t,
    byte_length: usize,
    min_alignment: usize,
    offset: usize,
    out_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        if out_ptr.is_null() {
            return null_out();
        }
        let result = (|| -> Result<*mut c_void> {
            let alignment = layout::effective_alignment(min_alignment)?;
            let total = layout::padded_length(byte_length, alignment)?;
            let total = total.checked_add(offset % alignment).ok_or_else(|| iree_err!(ResourceExhausted, "size overflow"))?;
            // SAFETY: the allocator is valid (API contract).
            let base = unsafe { allocator.malloc(total) }?;
            let data = layout::data_address(base as usize, alignment, offset % alignment);
            let data = (base as *mut u8).wrapping_add(data - base as usize) as *mut c_void;
            // SAFETY: the slot before `data` is inside the new block.
            unsafe { save_base(data, base) };
            Ok(data)
        })();
        match result {
            Ok(ptr) => {
                // SAFETY: checked non-null above.
                unsafe { store_out(out_ptr, ptr) };
                iree_status_t::OK
            }
            Err(err) => err.into(),
        }
    }
}

/// Resizes a block from `iree_allocator_malloc_aligned` (NULL allocates),
/// keeping its contents and realigning them if the block moved.
#[no_mangle]
pub unsafe extern "C" fn iree_allocator_realloc_aligned(
    allocator: iree_allocator_t,
    byte_length: usize,
    min_alignment: usize,
    offset: usize,
    inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        if inout_ptr.is_null() {
            return null_out();
        }
        // SAFETY: checked non-null.
        let old_data = unsafe { *inout_ptr };
        if old_data.is_null() {
            // SAFETY: forwarded contract.
            return unsafe { iree_allocator_malloc_aligned(allocator, byte_length, min_alignment, offset, inout_ptr) };
        }
        let result = (|| -> Result<*mut c_void> {
            let alignment = layout::effective_alignment(min_alignment)?;
            let offset = offset % alignment;
            let total = layout::padded_length(byte_length, alignment)?;
            let total = total.checked_add(offset).ok_or_else(|| iree_err!(ResourceExhausted, "size overflow"))?;
            // SAFETY: the block came from malloc_aligned (API contract).
            let old_base = unsafe { saved_base(old_data) };
            let old_delta = old_data as usize - old_base as usize;
            // SAFETY: the allocator is valid and owns old_base.
            let base = unsafe { allocator.issue(IREE_ALLOCATOR_COMMAND_REALLOC, total, old_base) }?;
            let new_delta = layout::data_address(base as usize, alignment, offset) - base as usize;
            let data = (base as *mut u8).wrapping_add(new_delta);
            if new_delta != old_delta {
                // The padding changed: slide the kept bytes to the new data
                // address. Both ranges lie within the `total`-byte block.
                let keep = byte_length.min(total - old_delta.max(new_delta));
                // SAFETY: both ranges are inside the reallocated block.
                unsafe { std::ptr::copy((base as *mut u8).add(old_delta), data, keep) };
            }
            // SAFETY: the slot before `data` is inside the block.
            unsafe { save_base(data as *mut c_void, base) };
            Ok(data as *mut c_void)
        })();
        match result {
            Ok(ptr) => {
                // SAFETY: checked non-null above.
                unsafe { store_out(inout_ptr, ptr) };
                iree_status_t::OK
            }
            Err(err) => err.into(),
        }
    }
}

/// Frees a block from `iree_allocator_malloc_aligned`; NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_allocator_free_aligned(
    allocator: iree_allocator_t,
    ptr: *mut c_void,
) {
    ffi_boundary! {
        if ptr.is_null() {
            return;
        }
        // SAFETY: the block came from malloc_aligned (API contract).
        unsafe { allocator.free(saved_base(ptr)) }
    }
}
