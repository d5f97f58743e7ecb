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
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
use crate::{iree_err, Result};

/// Issues an allocating `command` and stores the new block in `*out_ptr`.
unsafe fn allocate(
    allocator: iree_allocator_t,
    command: iree_allocator_command_t,
    byte_length: usize,
    out_ptr: *mut *mut c_void,
) -> Result<()> {
    // SAFETY: NULL or the caller's pointer slot (API contract).
    let out_ptr = unsafe { arg!(out_ptr).out() }?;
    // SAFETY: the allocator is valid (API contract).
    let ptr = unsafe { allocator.issue(command, byte_length, std::ptr::null_mut()) }?;
    out_ptr.write(ptr);
    Ok(())
}

/// Allocates `byte_length` zeroed bytes through `allocator`; the caller
/// owns the block in `*out_ptr` and frees it with `iree_allocator_free` on
/// the same allocator. `*out_ptr` is untouched on failure.
#[no_mangle]
pub unsafe extern "C" fn iree_allocator_malloc(
    allocator: iree_allocator_t,
    byte_length: usize,
    out_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        unsafe {
            allocate(
                allocator,
                IREE_ALLOCATOR_COMMAND_CALLOC,
                byte_length,
                out_ptr,
            )
        }
    })
}

/// As `iree_allocator_malloc`, with undefined contents.
#[no_mangle]
pub unsafe extern "C" fn iree_allocator_malloc_uninitialized(
    allocator: iree_allocator_t,
    byte_length: usize,
    out_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        unsafe {
            allocate(
                allocator,
                IREE_ALLOCATOR_COMMAND_MALLOC,
                byte_length,
                out_ptr,
            )
        }
    })
}

/// Resizes the caller-owned block `*inout_ptr` (NULL allocates) of
/// `allocator`; the caller owns the block stored back in `*inout_ptr`. On
/// failure the old block stays valid and `*inout_ptr` is untouched.
#[no_mangle]
pub unsafe extern "C" fn iree_allocator_realloc(
    allocator: iree_allocator_t,
    byte_length: usize,
    inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let inout_ptr = unsafe { arg!(inout_ptr).in_out() }?;
        // SAFETY: the allocator is valid and owns the block (API contract).
        let ptr =
            unsafe { allocator.issue(IREE_ALLOCATOR_COMMAND_REALLOC, byte_length, *inout_ptr) }?;
        *inout_ptr = ptr;
        Ok(())
    })
}

/// Allocates a copy of `source_bytes` (borrowed for the call); the caller
/// owns the block in `*out_ptr` and frees it with `iree_allocator_free`.
#[no_mangle]
pub unsafe extern "C" fn iree_allocator_clone(
    allocator: iree_allocator_t,
    source_bytes: iree_const_byte_span_t,
    out_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_ptr = unsafe { arg!(out_ptr).out() }?;
        if source_bytes.data.is_null() && source_bytes.data_length > 0 {
            return Err(iree_err!(InvalidArgument, "source bytes are NULL"));
        }
        // SAFETY: the allocator is valid (API contract).
        let ptr = unsafe { allocator.malloc_uninitialized(source_bytes.data_length) }?;
        // SAFETY: the new block holds data_length bytes; the source is live.
        unsafe {
            std::ptr::copy_nonoverlapping(
                source_bytes.data,
                ptr.cast::<u8>(),
                source_bytes.data_length,
            );
        }
        out_ptr.write(ptr);
        Ok(())
    })
}

/// Frees a block the caller owns that came from `allocator`; NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_allocator_free(allocator: iree_allocator_t, ptr: *mut c_void) {
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        unsafe { allocator.free(ptr) };
        Ok(())
    })
}

/// Reads the base address saved just before aligned data.
unsafe fn saved_base(data: *mut c_void) -> *mut c_void {
    // SAFETY: aligned blocks keep the base in the word before the data.
    unsafe {
        data.cast::<u8>()
            .sub(layout::BASE_SLOT)
            .cast::<*mut c_void>()
            .read_unaligned()
    }
}

unsafe fn save_base(data: *mut c_void, base: *mut c_void) {
    // SAFETY: the slot lies inside the block (see base::allocator).
    unsafe {
        data.cast::<u8>()
            .sub(layout::BASE_SLOT)
            .cast::<*mut c_void>()
            .write_unaligned(base)
    }
}

fn aligned_total(byte_length: usize, alignment: usize, offset: usize) -> Result<usize> {
    layout::padded_length(byte_length, alignment)?
        .checked_add(offset)
        .ok_or_else(|| iree_err!(ResourceExhausted, "size overflow"))
}

/// Allocates `byte_length` zeroed bytes whose byte at `offset` is aligned
/// to `min_alignment`; the caller owns the block in `*out_ptr` and frees
/// it with `iree_allocator_free_aligned` on the same allocator.
#[no_mangle]
pub unsafe extern "C" fn iree_allocator_malloc_aligned(
    allocator: iree_allocator_t,
    byte_length: usize,
    min_alignment: usize,
    offset: usize,
    out_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_ptr = unsafe { arg!(out_ptr).out() }?;
        let alignment = layout::effective_alignment(min_alignment)?;
        let offset = offset % alignment;
        let total = aligned_total(byte_length, alignment, offset)?;
        // SAFETY: the allocator is valid (API contract).
        let base = unsafe { allocator.malloc(total) }?;
        let delta = layout::data_address(base.addr(), alignment, offset) - base.addr();
        let data = base.cast::<u8>().wrapping_add(delta).cast::<c_void>();
        // SAFETY: the slot before `data` is inside the new block.
        unsafe { save_base(data, base) };
        out_ptr.write(data);
        Ok(())
    })
}

/// Resizes a caller-owned block from `iree_allocator_malloc_aligned` (NULL
/// allocates), keeping its contents and realigning them if the block
/// moved; the caller owns the block stored back in `*inout_ptr`, which is
/// untouched on failure.
#[no_mangle]
pub unsafe extern "C" fn iree_allocator_realloc_aligned(
    allocator: iree_allocator_t,
    byte_length: usize,
    min_alignment: usize,
    offset: usize,
    inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let slot = unsafe { arg!(inout_ptr).in_out() }?;
        let old_data = *slot;
        if old_data.is_null() {
            // SAFETY: forwarded contract.
            return Ok(unsafe {
                iree_allocator_malloc_aligned(
                    allocator,
                    byte_length,
                    min_alignment,
                    offset,
                    inout_ptr,
                )
            });
        }
        let alignment = layout::effective_alignment(min_alignment)?;
        let offset = offset % alignment;
        let total = aligned_total(byte_length, alignment, offset)?;
        // SAFETY: the block came from malloc_aligned (API contract).
        let old_base = unsafe { saved_base(old_data) };
        let old_delta = old_data.addr() - old_base.addr();
        // SAFETY: the allocator is valid and owns old_base.
        let base = unsafe { allocator.issue(IREE_ALLOCATOR_COMMAND_REALLOC, total, old_base) }?;
        let new_delta = layout::data_address(base.addr(), alignment, offset) - base.addr();
        let data = base.cast::<u8>().wrapping_add(new_delta);
        if new_delta != old_delta {
            // The padding changed: slide the kept bytes to the new data
            // address. Both ranges lie within the `total`-byte block.
            let keep = byte_length.min(total - old_delta.max(new_delta));
            // SAFETY: both ranges are inside the reallocated block.
            unsafe { std::ptr::copy(base.cast::<u8>().add(old_delta), data, keep) };
        }
        // SAFETY: the slot before `data` is inside the block.
        unsafe { save_base(data.cast(), base) };
        *slot = data.cast();
        Ok(iree_status_t::OK)
    })
}

/// Frees a caller-owned block from `iree_allocator_malloc_aligned` on the
/// same allocator; NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_allocator_free_aligned(
    allocator: iree_allocator_t,
    ptr: *mut c_void,
) {
    ffi_boundary(|| {
        if !ptr.is_null() {
            // SAFETY: the block came from malloc_aligned (API contract).
            unsafe { allocator.free(saved_base(ptr)) }
        }
        Ok(())
    })
}
