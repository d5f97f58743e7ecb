//! `iree_allocator_t` and the byte spans allocations are described by.
//!
//! Every allocation request goes through the allocator's control function,
//! so custom allocators see exactly the commands upstream documents. The
//! core allocates C-visible memory through the helper methods on
//! [`iree_allocator_t`].
//!
//! `iree_allocator_system_ctl` is exported from here, not from `capi`: C's
//! inline `iree_allocator_system()` names it, so it is part of the value
//! `iree_allocator_t::system()` must produce.

use std::ffi::c_void;

use crate::abi::boundary::{ffi_boundary, null_argument, FfiReturn};
use crate::abi::status::iree_status_t;
use crate::{iree_bail, iree_ensure, iree_err, Error, Result};

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

impl FfiReturn for iree_byte_span_t {
    fn from_error(_: Error) -> Self {
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

impl FfiReturn for iree_allocator_t {
    fn from_error(_: Error) -> Self {
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

/// The system allocator's control function (malloc/calloc/realloc/free).
#[no_mangle]
pub unsafe extern "C" fn iree_allocator_system_ctl(
    _self: *mut c_void,
    command: iree_allocator_command_t,
    params: *const c_void,
    inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot, valid for the call.
        let Some(inout_ptr) = (unsafe { inout_ptr.as_mut() }) else {
            return Err(null_argument("inout_ptr"));
        };
        if command == IREE_ALLOCATOR_COMMAND_FREE {
            // SAFETY: the block came from this allocator (API contract).
            unsafe { libc::free(*inout_ptr) };
            *inout_ptr = std::ptr::null_mut();
            return Ok(());
        }
        iree_ensure!(
            command < IREE_ALLOCATOR_COMMAND_FREE,
            Unimplemented,
            "unsupported system allocator command {command}"
        );
        // SAFETY: allocation commands carry iree_allocator_alloc_params_t.
        let params = unsafe { params.cast::<iree_allocator_alloc_params_t>().as_ref() }
            .ok_or_else(|| null_argument("params"))?;
        let byte_length = params.byte_length;
        iree_ensure!(
            byte_length > 0,
            InvalidArgument,
            "allocations must be >0 bytes"
        );
        let existing = *inout_ptr;
        // SAFETY: plain C heap calls; a REALLOC block came from this heap.
        let ptr = unsafe {
            match command {
                IREE_ALLOCATOR_COMMAND_REALLOC if !existing.is_null() => {
                    libc::realloc(existing, byte_length)
                }
                IREE_ALLOCATOR_COMMAND_MALLOC | IREE_ALLOCATOR_COMMAND_REALLOC => {
                    libc::malloc(byte_length)
                }
                _ => libc::calloc(1, byte_length),
            }
        };
        if ptr.is_null() {
            iree_bail!(
                ResourceExhausted,
                "system allocator failed to provide {byte_length} bytes"
            );
        }
        *inout_ptr = ptr;
        Ok(())
    })
}
