//! `iree_string_view_t`: a borrowed (pointer, length) string, its
//! key/value pair `iree_string_pair_t`, and `iree_host_size_t`.

use std::ffi::c_char;

use crate::abi::boundary::FfiReturn;
use crate::Error;

/// `iree_string_view_t` (defined in `iree/abi/base_types.h`).
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_string_view_t {
    pub data: *const c_char,
    pub size: usize,
}

// SAFETY: a view is a plain (pointer, length) pair; whoever makes one
// promises the characters stay live and unmodified while it is shared (the
// VM keeps views in type descriptors and module tables used by any thread).
unsafe impl Send for iree_string_view_t {}
// SAFETY: as above.
unsafe impl Sync for iree_string_view_t {}

/// `iree_string_pair_t` (defined in `iree/abi/base_types.h`, where C also
/// names the members `key` and `value`): a key/value pair of views, as
/// device creation takes its params.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_string_pair_t {
    pub first: iree_string_view_t,
    pub second: iree_string_view_t,
}

/// `iree_host_size_t` (size_t).
/// cbindgen:ignore
pub type iree_host_size_t = usize;

impl iree_string_view_t {
    pub const EMPTY: iree_string_view_t = iree_string_view_t {
        data: std::ptr::null(),
        size: 0,
    };

    /// A view of a `'static` Rust byte string (for constants handed to C).
    pub fn from_static(bytes: &'static [u8]) -> iree_string_view_t {
        iree_string_view_t {
            data: bytes.as_ptr() as *const c_char,
            size: bytes.len(),
        }
    }

    /// A view of `s` borrowed for as long as the caller keeps `s` alive.
    pub fn of<T: AsRef<[u8]> + ?Sized>(s: &T) -> iree_string_view_t {
        let bytes = s.as_ref();
        iree_string_view_t {
            data: bytes.as_ptr() as *const c_char,
            size: bytes.len(),
        }
    }

    /// Borrows the characters; NULL data reads as empty.
    ///
    /// # Safety
    /// Non-null `data` must point to `size` readable bytes that stay live
    /// and unmodified for `'a`.
    pub unsafe fn as_bytes<'a>(self) -> &'a [u8] {
        if self.data.is_null() || self.size == 0 {
            return &[];
        }
        // SAFETY: forwarded contract.
        unsafe { std::slice::from_raw_parts(self.data as *const u8, self.size) }
    }

    /// Borrows the characters strictly: `None` when the view claims bytes at
    /// a NULL pointer (where [`iree_string_view_t::as_bytes`] reads empty).
    ///
    /// # Safety
    /// As [`iree_string_view_t::as_bytes`].
    pub unsafe fn try_as_bytes<'a>(self) -> Option<&'a [u8]> {
        if self.data.is_null() && self.size != 0 {
            return None;
        }
        // SAFETY: forwarded contract.
        Some(unsafe { self.as_bytes() })
    }

    /// The view of `part`, a sub-slice of `whole` (the bytes this view
    /// describes), pointing into the caller's buffer rather than the slice.
    pub fn sub_view_of(self, whole: &[u8], part: &[u8]) -> iree_string_view_t {
        let offset = part.as_ptr() as usize - whole.as_ptr() as usize;
        self.sub(offset, part.len())
    }

    /// Copies the characters into a `String` (invalid UTF-8 is replaced).
    ///
    /// # Safety
    /// As [`iree_string_view_t::as_bytes`].
    pub unsafe fn to_string_lossy(self) -> String {
        // SAFETY: forwarded contract.
        String::from_utf8_lossy(unsafe { self.as_bytes() }).into_owned()
    }

    /// The view of `len` characters starting `offset` characters in.
    pub fn sub(self, offset: usize, len: usize) -> iree_string_view_t {
        iree_string_view_t {
            data: self.data.wrapping_add(offset),
            size: len,
        }
    }

    pub fn is_empty(self) -> bool {
        self.data.is_null() || self.size == 0
    }
}

/// Borrows a NUL-terminated C string's bytes (without the NUL); NULL reads
/// as `None`.
///
/// # Safety
/// A non-null `s` must be NUL-terminated and stay live for `'a`.
pub unsafe fn c_str_bytes<'a>(s: *const c_char) -> Option<&'a [u8]> {
    if s.is_null() {
        return None;
    }
    // SAFETY: forwarded contract.
    Some(unsafe { std::ffi::CStr::from_ptr(s) }.to_bytes())
}

impl FfiReturn for iree_string_view_t {
    fn from_error(_: Error) -> Self {
        iree_string_view_t::EMPTY
    }
}
