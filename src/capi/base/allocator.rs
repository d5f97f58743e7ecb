//! `iree/base/allocator.h`: `iree_allocator_t` and the system allocator.
//!
//! Every allocation request goes through the allocator's control function,
//! so custom allocators see exactly the commands upstream documents. Other
//! modules of the crate allocate C-visible memory through the helper
//! methods on [`iree_allocator_t`].

use std::ffi::c_void;

use crate::base::allocator as layout;
use crate::base::status::{Error, StatusCode};
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::PanicDefault;
use crate::{iree_err, Result};

/// `iree_allocator_command_t` (enum in `iree/abi/base_types.h`).
/// cbindgen:ignore
pub type iree_allocator_command_t = u32;
/// cbindgen:ignore
pub const IREE_ALLOCATOR_COMMAND_MALLOC: iree_allocator_command_t = 0;
/// cbindgen:ignore
pub const IREE_ALLOCATOR_COMMAND_CALLOC: iree_allocator_command_t = 1;
/// cbindgen:ignore
pub const IREE_ALLOCATOR_COMMAND_REALLOC: iree_allocator_command_t = 2;
/// cbindgen:ignore
pub const IREE_ALLOCATOR_COMMAND_FREE: iree_allocator_command_t = 3;

/// `iree_allocator_alloc_params_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_allocator_alloc_params_t {
    pub byte_length: usize,
}

/// `iree_allocator_ctl_fn_t`.
/// cbindgen:ignore
pub type iree_allocator_ctl_fn_t = Option<
    unsafe extern "C" fn(
        self_: *mut c_void,
        command: iree_allocator_command_t,
        params: *const c_void,
        inout_ptr: *mut *mut c_void,
    ) -> iree_status_t,
>;

/// `iree_allocator_t` (C field `self`, hence hand-written in C).
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_allocator_t {
    pub self_: *mut c_void,
    pub ctl: iree_allocator_ctl_fn_t,
}

/// `iree_byte_span_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_byte_span_t {
    pub data: *mut u8,
    pub data_length: usize,
}

/// `iree_const_byte_span_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_const_byte_span_t {
    pub data: *const u8,
    pub data_length: usize,
}

impl iree_byte_span_t {
    pub const EMPTY: iree_byte_span_t = iree_byte_span_t {
        data: std::ptr::null_mut(),
        data_length: 0,
    };

    /// Borrows the bytes; a NULL or empty span reads as empty.
    ///
    /// # Safety
    /// Non-null `data` must point to `data_length` readable bytes that stay
    /// live and unmodified for `'a`.
    pub unsafe fn as_bytes<'a>(self) -> &'a [u8] {
        if self.data.is_null() || self.data_length == 0 {
            return &[];
        }
        // SAFETY: forwarded contract.
        unsafe { std::slice::from_raw_parts(self.data, self.data_length) }
    }

    /// Borrows the bytes mutably; a NULL or empty span reads as empty.
    ///
    /// # Safety
    /// As [`iree_byte_span_t::as_bytes`], and writable and unaliased.
    pub unsafe fn as_bytes_mut<'a>(self) -> &'a mut [u8] {
        if self.data.is_null() || self.data_length == 0 {
            return &mut [];
        }
        // SAFETY: forwarded contract.
        unsafe { std::slice::from_raw_parts_mut(self.data, self.data_length) }
    }
}

impl PanicDefault for iree_byte_span_t {
    fn panic_default(_: &str) -> Self {
        iree_byte_span_t::EMPTY
    }
}

impl iree_const_byte_span_t {
    /// Borrows the bytes; `None` when the span claims bytes at NULL.
    ///
    /// # Safety
    /// Non-null `data` must point to `data_length` readable bytes that stay
    /// live and unmodified for `'a`.
    pub unsafe fn try_as_bytes<'a>(self) -> Option<&'a [u8]> {
        if self.data_length == 0 {
            return Some(&[]);
        }
        if self.data.is_null() {
            return None;
        }
        // SAFETY: non-null and sized per the caller's contract.
        Some(unsafe { std::slice::from_raw_parts(self.data, self.data_length) })
    }
}

// SAFETY: the C API requires allocators to be usable from any thread.
unsafe impl Send for iree_allocator_t {}
// SAFETY: as above.
unsafe impl Sync for iree_allocator_t {}

impl PanicDefault for iree_allocator_t {
    fn panic_default(_: &str) -> Self {
        iree_allocator_t::null()
    }
}

impl iree_allocator_t {
    /// The process heap (`iree_allocator_system()`).
    pub fn system() -> iree_allocator_t {
        iree_allocator_t {
            self_: std::ptr::null_mut(),
            ctl: Some(iree_allocator_system_ctl),
        }
    }

    /// The allocator that cannot allocate (`iree_allocator_null()`).
    pub fn null() -> iree_allocator_t {
        iree_allocator_t {
            self_: std::ptr::null_mut(),
            ctl: None,
        }
    }

    pub fn is_null(&self) -> bool {
        self.ctl.is_none()
    }

    /// Issues one allocation command; returns the resulting pointer.
    ///
    /// # Safety
    /// The allocator must be valid (its control function callable with its
    /// `self`), and for REALLOC `existing` must be NULL or a live block of it.
    pub unsafe fn issue(
        &self,
        command: iree_allocator_command_t,
        byte_length: usize,
        existing: *mut c_void,
    ) -> Result<*mut c_void> {
        let Some(ctl) = self.ctl else {
            return Err(iree_err!(
                InvalidArgument,
                "allocator has no control routine"
            ));
        };
        let params = iree_allocator_alloc_params_t { byte_length };
        let mut ptr = existing;
        // SAFETY: valid allocator per the caller; params and ptr outlive the call.
        let status = unsafe {
            ctl(
                self.self_,
                command,
                &params as *const iree_allocator_alloc_params_t as *const c_void,
                &mut ptr,
            )
        };
        // SAFETY: the control function hands us the status it returns.
        unsafe { status.into_result() }?;
        if ptr.is_null() {
            return Err(iree_err!(
                ResourceExhausted,
                "allocator returned NULL for {byte_length} bytes"
            ));
        }
        Ok(ptr)
    }

    /// Allocates zeroed memory.
    ///
    /// # Safety
    /// As [`iree_allocator_t::issue`].
    pub unsafe fn malloc(&self, byte_length: usize) -> Result<*mut c_void> {
        // SAFETY: forwarded contract.
        unsafe {
            self.issue(
                IREE_ALLOCATOR_COMMAND_CALLOC,
                byte_length,
                std::ptr::null_mut(),
            )
        }
    }

    /// Allocates memory with undefined contents.
    ///
    /// # Safety
    /// As [`iree_allocator_t::issue`].
    pub unsafe fn malloc_uninitialized(&self, byte_length: usize) -> Result<*mut c_void> {
        // SAFETY: forwarded contract.
        unsafe {
            self.issue(
                IREE_ALLOCATOR_COMMAND_MALLOC,
                byte_length,
                std::ptr::null_mut(),
            )
        }
    }

    /// Copies `bytes` into a fresh NUL-terminated allocation.
    ///
    /// # Safety
    /// As [`iree_allocator_t::issue`].
    pub unsafe fn dup_cstring(&self, bytes: &[u8]) -> Result<*mut std::ffi::c_char> {
        let len = bytes.len();
        // SAFETY: forwarded contract.
        let ptr = unsafe { self.malloc_uninitialized(len + 1) }? as *mut u8;
        // SAFETY: `ptr` has room for the bytes and the NUL.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), ptr, len);
            *ptr.add(len) = 0;
        }
        Ok(ptr as *mut std::ffi::c_char)
    }

    /// Returns memory to the allocator; NULL and null allocators are ignored.
    ///
    /// # Safety
    /// `ptr` must be NULL or a live block of this allocator, unused afterwards.
    pub unsafe fn free(&self, ptr: *mut c_void) {
        let Some(ctl) = self.ctl else { return };
        if ptr.is_null() {
            return;
        }
        let mut inout = ptr;
        // SAFETY: valid allocator and block per the caller.
        let status = unsafe {
            ctl(
                self.self_,
                IREE_ALLOCATOR_COMMAND_FREE,
                std::ptr::null(),
                &mut inout,
            )
        };
        // A free cannot report failure; drop whatever came back.
        // SAFETY: the control function hands us the status it returns.
        let _ = unsafe { status.into_result() };
    }
}

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

/// The system allocator's control function (malloc/calloc/realloc/free).
#[no_mangle]
pub unsafe extern "C" fn iree_allocator_system_ctl(
    _self: *mut c_void,
    command: iree_allocator_command_t,
    params: *const c_void,
    inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        if inout_ptr.is_null() {
            return null_out();
        }
        if command == IREE_ALLOCATOR_COMMAND_FREE {
            // SAFETY: checked non-null; the block came from this allocator.
            unsafe {
                libc::free(*inout_ptr);
                *inout_ptr = std::ptr::null_mut();
            }
            return iree_status_t::OK;
        }
        if command > IREE_ALLOCATOR_COMMAND_FREE {
            return iree_err!(Unimplemented, "unsupported system allocator command {command}").into();
        }
        // SAFETY: allocation commands carry iree_allocator_alloc_params_t.
        let Some(params) = (unsafe { (params as *const iree_allocator_alloc_params_t).as_ref() }) else {
            return iree_err!(InvalidArgument, "allocation parameters must not be NULL").into();
        };
        let byte_length = params.byte_length;
        if byte_length == 0 {
            return iree_err!(InvalidArgument, "allocations must be >0 bytes").into();
        }
        // SAFETY: checked non-null; for REALLOC the block is ours.
        let existing = unsafe { *inout_ptr };
        // SAFETY: plain C heap calls; a REALLOC block came from this heap.
        let ptr = unsafe {
            match command {
                IREE_ALLOCATOR_COMMAND_REALLOC if !existing.is_null() => libc::realloc(existing, byte_length),
                IREE_ALLOCATOR_COMMAND_MALLOC => libc::malloc(byte_length),
                IREE_ALLOCATOR_COMMAND_REALLOC => libc::malloc(byte_length),
                _ => libc::calloc(1, byte_length),
            }
        };
        if ptr.is_null() {
            return iree_err!(ResourceExhausted, "system allocator failed to provide {byte_length} bytes").into();
        }
        // SAFETY: checked non-null.
        unsafe { *inout_ptr = ptr };
        iree_status_t::OK
    }
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
