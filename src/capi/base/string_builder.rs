//! `iree/base/string_builder.h`: appending into an `iree_string_builder_t`.
//!
//! Three modes, chosen by how the builder was initialized:
//! * with an allocator: the buffer grows as needed;
//! * with `iree_allocator_null()` and no storage: nothing is written and
//!   only `size` advances (to measure a string before allocating it);
//! * with caller storage: appends that would not fit (with their NUL) fail
//!   with IREE_STATUS_RESOURCE_EXHAUSTED and leave the builder unchanged.

use std::ffi::{c_char, c_void, CStr};

use crate::base::string_builder::grown_capacity;
use crate::capi::base::allocator::{iree_allocator_t, IREE_ALLOCATOR_COMMAND_REALLOC};
use crate::capi::base::status::{iree_status_t, va_list, vformat};
use crate::capi::base::string_view::iree_string_view_t;
use crate::{iree_err, Result};

/// `iree_string_builder_t` (defined in `iree/abi/base_types.h`).
/// cbindgen:ignore
#[repr(C)]
#[derive(Debug)]
pub struct iree_string_builder_t {
    pub allocator: iree_allocator_t,
    pub buffer: *mut c_char,
    pub size: usize,
    pub capacity: usize,
}

impl iree_string_builder_t {
    /// Makes room for `minimum_capacity` bytes (growing builders only).
    ///
    /// # Safety
    /// The builder must be initialized and its buffer owned by its allocator.
    unsafe fn reserve(&mut self, minimum_capacity: usize) -> Result<()> {
        if self.allocator.is_null() || self.capacity >= minimum_capacity {
            return Ok(());
        }
        let capacity = grown_capacity(minimum_capacity).ok_or_else(|| {
            iree_err!(
                ResourceExhausted,
                "string of {minimum_capacity} bytes is too large"
            )
        })?;
        // SAFETY: the buffer is NULL or a block of this allocator.
        let ptr = unsafe {
            self.allocator.issue(
                IREE_ALLOCATOR_COMMAND_REALLOC,
                capacity,
                self.buffer as *mut c_void,
            )
        }?;
        self.buffer = ptr as *mut c_char;
        self.capacity = capacity;
        // SAFETY: size < capacity, so the terminator fits.
        unsafe { *self.buffer.add(self.size) = 0 };
        Ok(())
    }

    /// Appends `bytes` (see the module comment for the three modes).
    ///
    /// # Safety
    /// As [`iree_string_builder_t::reserve`]; caller storage must hold
    /// `capacity` bytes.
    pub unsafe fn append(&mut self, bytes: &[u8]) -> Result<()> {
        let needed = self
            .size
            .checked_add(bytes.len())
            .and_then(|n| n.checked_add(1))
            .ok_or_else(|| iree_err!(ResourceExhausted, "string length overflows"))?;
        if self.allocator.is_null() {
            if self.buffer.is_null() {
                self.size = needed - 1;
                return Ok(());
            }
            if needed > self.capacity {
                return Err(iree_err!(
                    ResourceExhausted,
                    "string builder storage of {} bytes cannot hold {} bytes",
                    self.capacity,
                    needed
                ));
            }
        } else {
            // SAFETY: forwarded contract.
            unsafe { self.reserve(needed) }?;
        }
        // SAFETY: the buffer now holds at least `needed` bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(
                bytes.as_ptr(),
                (self.buffer as *mut u8).add(self.size),
                bytes.len(),
            );
            *self.buffer.add(needed - 1) = 0;
        }
        self.size = needed - 1;
        Ok(())
    }
}

fn null_builder() -> iree_status_t {
    iree_err!(InvalidArgument, "string builder must not be NULL").into()
}

/// Starts an empty builder allocating from |allocator| (NULL output ignored).
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_initialize(
    allocator: iree_allocator_t,
    out_builder: *mut iree_string_builder_t,
) {
    ffi_boundary! {
        // SAFETY: NULL or caller-owned storage (API contract).
        if let Some(out) = unsafe { out_builder.as_mut() } {
            *out = iree_string_builder_t { allocator, buffer: std::ptr::null_mut(), size: 0, capacity: 0 };
        }
    }
}

/// Starts an empty builder writing into |buffer| (|buffer_capacity| bytes).
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_initialize_with_storage(
    buffer: *mut c_char,
    buffer_capacity: usize,
    out_builder: *mut iree_string_builder_t,
) {
    ffi_boundary! {
        // SAFETY: NULL or caller-owned storage (API contract).
        let Some(out) = (unsafe { out_builder.as_mut() }) else { return };
        let capacity = if buffer.is_null() { 0 } else { buffer_capacity };
        *out = iree_string_builder_t { allocator: iree_allocator_t::null(), buffer, size: 0, capacity };
        if capacity > 0 {
            // SAFETY: the storage holds at least one byte.
            unsafe { *buffer = 0 };
        }
    }
}

/// Frees the builder's buffer (when it owns one) and resets it.
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_deinitialize(builder: *mut iree_string_builder_t) {
    ffi_boundary! {
        // SAFETY: NULL or an initialized builder (API contract).
        let Some(builder) = (unsafe { builder.as_mut() }) else { return };
        // SAFETY: the buffer belongs to the builder's allocator.
        unsafe { builder.allocator.free(builder.buffer as *mut c_void) };
        *builder = iree_string_builder_t {
            allocator: iree_allocator_t::null(),
            buffer: std::ptr::null_mut(),
            size: 0,
            capacity: 0,
        };
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_buffer(
    builder: *const iree_string_builder_t,
) -> *const c_char {
    // SAFETY: NULL or an initialized builder (API contract).
    ffi_boundary! { unsafe { builder.as_ref() }.map_or(std::ptr::null(), |b| b.buffer as *const c_char) }
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_size(builder: *const iree_string_builder_t) -> usize {
    // SAFETY: NULL or an initialized builder (API contract).
    ffi_boundary! { unsafe { builder.as_ref() }.map_or(0, |b| b.size) }
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_capacity(
    builder: *const iree_string_builder_t,
) -> usize {
    // SAFETY: NULL or an initialized builder (API contract).
    ffi_boundary! { unsafe { builder.as_ref() }.map_or(0, |b| b.capacity) }
}

/// A view of the built string (valid until the builder next changes).
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_view(
    builder: *const iree_string_builder_t,
) -> iree_string_view_t {
    ffi_boundary! {
        // SAFETY: NULL or an initialized builder (API contract).
        match unsafe { builder.as_ref() } {
            Some(b) => iree_string_view_t { data: b.buffer, size: b.size },
            None => iree_string_view_t::EMPTY,
        }
    }
}

/// Hands the buffer to the caller (who frees it with the builder's
/// allocator) and resets the builder; an empty builder returns NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_take_storage(
    builder: *mut iree_string_builder_t,
) -> *mut c_char {
    ffi_boundary! {
        // SAFETY: NULL or an initialized builder (API contract).
        let Some(builder) = (unsafe { builder.as_mut() }) else { return std::ptr::null_mut() };
        let mut buffer = builder.buffer;
        if builder.size == 0 {
            // SAFETY: the buffer belongs to the builder's allocator.
            unsafe { builder.allocator.free(buffer as *mut c_void) };
            buffer = std::ptr::null_mut();
        }
        builder.buffer = std::ptr::null_mut();
        builder.size = 0;
        builder.capacity = 0;
        buffer
    }
}

/// Ensures room for |minimum_capacity| bytes (no-op without an allocator).
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_reserve(
    builder: *mut iree_string_builder_t,
    minimum_capacity: usize,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: NULL or an initialized builder (API contract).
        let Some(builder) = (unsafe { builder.as_mut() }) else { return null_builder() };
        // SAFETY: an initialized builder.
        unsafe { builder.reserve(minimum_capacity) }.into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_append_string(
    builder: *mut iree_string_builder_t,
    value: iree_string_view_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: NULL or an initialized builder (API contract).
        let Some(builder) = (unsafe { builder.as_mut() }) else { return null_builder() };
        // SAFETY: the view is live and the builder initialized.
        unsafe { builder.append(value.as_bytes()) }.into()
    }
}

/// Appends a NUL-terminated string (NULL is an invalid argument).
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_append_cstring(
    builder: *mut iree_string_builder_t,
    value: *const c_char,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: NULL or an initialized builder (API contract).
        let Some(builder) = (unsafe { builder.as_mut() }) else { return null_builder() };
        if value.is_null() {
            return iree_err!(InvalidArgument, "string must not be NULL").into();
        }
        // SAFETY: a NUL-terminated string; an initialized builder.
        unsafe { builder.append(CStr::from_ptr(value).to_bytes()) }.into()
    }
}

/// Target of the variadic `iree_string_builder_append_format` entry point.
unsafe extern "C" fn string_builder_append_format_va(
    builder: *mut iree_string_builder_t,
    format: *const c_char,
    args: va_list,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: NULL or an initialized builder (API contract).
        let Some(builder) = (unsafe { builder.as_mut() }) else { return null_builder() };
        if format.is_null() {
            return iree_err!(InvalidArgument, "format must not be NULL").into();
        }
        // SAFETY: the format matches the arguments (API contract).
        let Some(text) = (unsafe { vformat(format, args, args) }) else {
            return iree_err!(Internal, "printf formatting failed").into();
        };
        // SAFETY: an initialized builder.
        unsafe { builder.append(&text) }.into()
    }
}

/// The variadic C entry point (see `capi::base::status`).
/// cbindgen:ignore
#[cfg(target_arch = "x86_64")]
mod va_args {
    use super::string_builder_append_format_va;

    // iree_status_t iree_string_builder_append_format(builder, format, ...)
    crate::capi::base::status::va_entry!(
        iree_string_builder_append_format,
        string_builder_append_format_va,
        "16",
        "rdx"
    );
}
