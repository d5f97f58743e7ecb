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
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
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
                self.buffer.cast::<c_void>(),
            )
        }?;
        self.buffer = ptr.cast::<c_char>();
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
                self.buffer.cast::<u8>().add(self.size),
                bytes.len(),
            );
            *self.buffer.add(needed - 1) = 0;
        }
        self.size = needed - 1;
        Ok(())
    }
}

/// Starts an empty builder in the caller-owned `*out_builder`, allocating
/// from `allocator` (kept by the builder until deinitialized). NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_initialize(
    allocator: iree_allocator_t,
    out_builder: *mut iree_string_builder_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or caller-owned storage (API contract).
        if let Some(out) = unsafe { out_builder.as_mut() } {
            *out = iree_string_builder_t {
                allocator,
                buffer: std::ptr::null_mut(),
                size: 0,
                capacity: 0,
            };
        }
        Ok(())
    })
}

/// Starts an empty builder in the caller-owned `*out_builder` writing into
/// the caller's `buffer` (`buffer_capacity` bytes), which it borrows until
/// deinitialized and never grows. NULL `out_builder` is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_initialize_with_storage(
    buffer: *mut c_char,
    buffer_capacity: usize,
    out_builder: *mut iree_string_builder_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or caller-owned storage (API contract).
        let out = unsafe { arg!(out_builder).in_out() }?;
        let capacity = if buffer.is_null() { 0 } else { buffer_capacity };
        *out = iree_string_builder_t {
            allocator: iree_allocator_t::null(),
            buffer,
            size: 0,
            capacity,
        };
        if capacity > 0 {
            // SAFETY: the storage holds at least one byte.
            unsafe { *buffer = 0 };
        }
        Ok(())
    })
}

/// Frees the buffer of the caller's builder (when it owns one) and resets
/// it; views and pointers into the buffer become invalid. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_deinitialize(builder: *mut iree_string_builder_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized builder (API contract).
        let builder = unsafe { arg!(builder).in_out() }?;
        // SAFETY: the buffer belongs to the builder's allocator.
        unsafe { builder.allocator.free(builder.buffer.cast()) };
        *builder = iree_string_builder_t {
            allocator: iree_allocator_t::null(),
            buffer: std::ptr::null_mut(),
            size: 0,
            capacity: 0,
        };
        Ok(())
    })
}

/// The NUL-terminated buffer of the builder (NULL when empty or for a NULL
/// builder), owned by the builder and valid until it next changes.
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_buffer(
    builder: *const iree_string_builder_t,
) -> *const c_char {
    // SAFETY: NULL or an initialized builder (API contract).
    ffi_boundary(|| Ok(unsafe { arg!(builder).value() }?.buffer.cast_const()))
}

/// Length of the built string without its NUL (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_size(builder: *const iree_string_builder_t) -> usize {
    // SAFETY: NULL or an initialized builder (API contract).
    ffi_boundary(|| Ok(unsafe { arg!(builder).value() }?.size))
}

/// Bytes the builder's buffer holds (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_capacity(
    builder: *const iree_string_builder_t,
) -> usize {
    // SAFETY: NULL or an initialized builder (API contract).
    ffi_boundary(|| Ok(unsafe { arg!(builder).value() }?.capacity))
}

/// A view of the built string, owned by the builder and valid until it next
/// changes (empty for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_view(
    builder: *const iree_string_builder_t,
) -> iree_string_view_t {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized builder (API contract).
        let builder = unsafe { arg!(builder).value() }?;
        Ok(iree_string_view_t {
            data: builder.buffer,
            size: builder.size,
        })
    })
}

/// Hands the buffer to the caller, who then owns it and frees it with the
/// builder's allocator, and resets the builder; an empty (or NULL) builder
/// returns NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_take_storage(
    builder: *mut iree_string_builder_t,
) -> *mut c_char {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized builder (API contract).
        let builder = unsafe { arg!(builder).in_out() }?;
        let mut buffer = builder.buffer;
        if builder.size == 0 {
            // SAFETY: the buffer belongs to the builder's allocator.
            unsafe { builder.allocator.free(buffer.cast()) };
            buffer = std::ptr::null_mut();
        }
        builder.buffer = std::ptr::null_mut();
        builder.size = 0;
        builder.capacity = 0;
        Ok(buffer)
    })
}

/// Ensures the caller's builder has room for `minimum_capacity` bytes
/// (no-op without an allocator).
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_reserve(
    builder: *mut iree_string_builder_t,
    minimum_capacity: usize,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized builder (API contract).
        let builder = unsafe { arg!(builder).in_out() }?;
        // SAFETY: an initialized builder.
        unsafe { builder.reserve(minimum_capacity) }
    })
}

/// Appends a copy of `value` (borrowed for the call) to the caller's
/// builder.
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_append_string(
    builder: *mut iree_string_builder_t,
    value: iree_string_view_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized builder (API contract).
        let builder = unsafe { arg!(builder).in_out() }?;
        // SAFETY: the view is live and the builder initialized.
        unsafe { builder.append(value.as_bytes()) }
    })
}

/// Appends a copy of the NUL-terminated `value` (borrowed for the call) to
/// the caller's builder.
#[no_mangle]
pub unsafe extern "C" fn iree_string_builder_append_cstring(
    builder: *mut iree_string_builder_t,
    value: *const c_char,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized builder (API contract).
        let builder = unsafe { arg!(builder).in_out() }?;
        // SAFETY: NULL or a NUL-terminated string (API contract).
        unsafe { arg!(value).value() }?;
        // SAFETY: a NUL-terminated string; an initialized builder.
        unsafe { builder.append(CStr::from_ptr(value).to_bytes()) }
    })
}

/// Target of the variadic `iree_string_builder_append_format` entry point.
unsafe extern "C" fn string_builder_append_format_va(
    builder: *mut iree_string_builder_t,
    format: *const c_char,
    args: va_list,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized builder (API contract).
        let builder = unsafe { arg!(builder).in_out() }?;
        // SAFETY: NULL or a NUL-terminated format (API contract).
        unsafe { arg!(format).value() }?;
        // SAFETY: the format matches the arguments (API contract).
        let Some(text) = (unsafe { vformat(format, args, args) }) else {
            return Err(iree_err!(Internal, "printf formatting failed"));
        };
        // SAFETY: an initialized builder.
        unsafe { builder.append(&text) }
    })
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
