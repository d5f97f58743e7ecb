//! `iree/base/internal/file_path.h`: lexical path helpers over string views.
//!
//! Results that are pieces of the input are views into the caller's buffer;
//! a view claiming bytes at a NULL pointer is treated as empty.

use std::ffi::c_char;

use crate::base::internal::file_path;
use crate::capi::base::allocator::iree_allocator_t;
use crate::capi::base::status::{iree_status_t, null_argument};
use crate::capi::base::string_view::iree_string_view_t;
use crate::iree_err;

/// Borrows a view's bytes, or none (as empty) when the view is malformed.
///
/// # Safety
/// As [`iree_string_view_t::as_bytes`].
unsafe fn view_or_empty<'a>(view: iree_string_view_t) -> (iree_string_view_t, &'a [u8]) {
    // SAFETY: forwarded contract.
    match unsafe { view.try_as_bytes() } {
        Some(bytes) => (view, bytes),
        None => (iree_string_view_t::EMPTY, &[]),
    }
}

/// Canonicalizes `path` in place. The buffer must have room for a NUL at
/// `path[path_length]` (as a C string does): the new end is NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn iree_file_path_canonicalize(
    path: *mut c_char,
    path_length: usize,
) -> usize {
    ffi_boundary! {
        if path.is_null() {
            return 0;
        }
        // SAFETY: the caller passes a writable buffer of `path_length` bytes
        // plus one for the terminator (API contract).
        let bytes = unsafe { std::slice::from_raw_parts_mut(path as *mut u8, path_length + 1) };
        let new_length = file_path::canonicalize(&mut bytes[..path_length]);
        bytes[new_length] = 0;
        new_length
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_file_path_join(
    lhs: iree_string_view_t,
    rhs: iree_string_view_t,
    allocator: iree_allocator_t,
    out_path: *mut *mut c_char,
) -> iree_status_t {
    ffi_boundary! {
        if out_path.is_null() {
            return null_argument("out_path");
        }
        // SAFETY: checked non-null; the caller owns the slot.
        unsafe { *out_path = std::ptr::null_mut() };
        // SAFETY: views describe readable bytes (API contract).
        let (Some(lhs), Some(rhs)) = (unsafe { lhs.try_as_bytes() }, unsafe { rhs.try_as_bytes() }) else {
            return iree_err!(InvalidArgument, "string view with NULL data and non-zero size").into();
        };
        let joined = file_path::join(lhs, rhs);
        // SAFETY: allocator from the caller.
        match unsafe { allocator.dup_cstring(&joined) } {
            Ok(ptr) => {
                // SAFETY: checked non-null above.
                unsafe { *out_path = ptr };
                iree_status_t::OK
            }
            Err(err) => err.into(),
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_file_path_split(
    path: iree_string_view_t,
    out_dirname: *mut iree_string_view_t,
    out_basename: *mut iree_string_view_t,
) {
    ffi_boundary! {
        // SAFETY: the view describes readable bytes (API contract).
        let (path, bytes) = unsafe { view_or_empty(path) };
        let (dirname, basename) = file_path::split(bytes);
        // SAFETY: output slots are written only when non-null.
        unsafe {
            if let Some(out) = out_dirname.as_mut() {
                *out = path.sub_view_of(bytes, dirname);
            }
            if let Some(out) = out_basename.as_mut() {
                *out = path.sub_view_of(bytes, basename);
            }
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_file_path_dirname(path: iree_string_view_t) -> iree_string_view_t {
    ffi_boundary! {
        // SAFETY: the view describes readable bytes (API contract).
        let (path, bytes) = unsafe { view_or_empty(path) };
        path.sub_view_of(bytes, file_path::dirname(bytes))
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_file_path_basename(path: iree_string_view_t) -> iree_string_view_t {
    ffi_boundary! {
        // SAFETY: the view describes readable bytes (API contract).
        let (path, bytes) = unsafe { view_or_empty(path) };
        path.sub_view_of(bytes, file_path::basename(bytes))
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_file_path_split_basename(
    path: iree_string_view_t,
    out_stem: *mut iree_string_view_t,
    out_extension: *mut iree_string_view_t,
) {
    ffi_boundary! {
        // SAFETY: the view describes readable bytes (API contract).
        let (path, bytes) = unsafe { view_or_empty(path) };
        let (stem, extension) = file_path::split_basename(bytes);
        // SAFETY: output slots are written only when non-null.
        unsafe {
            if let Some(out) = out_stem.as_mut() {
                *out = path.sub_view_of(bytes, stem);
            }
            if let Some(out) = out_extension.as_mut() {
                *out = path.sub_view_of(bytes, extension);
            }
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_file_path_stem(path: iree_string_view_t) -> iree_string_view_t {
    ffi_boundary! {
        // SAFETY: the view describes readable bytes (API contract).
        let (path, bytes) = unsafe { view_or_empty(path) };
        path.sub_view_of(bytes, file_path::stem(bytes))
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_file_path_extension(path: iree_string_view_t) -> iree_string_view_t {
    ffi_boundary! {
        // SAFETY: the view describes readable bytes (API contract).
        let (path, bytes) = unsafe { view_or_empty(path) };
        path.sub_view_of(bytes, file_path::extension(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(s: &str) -> iree_string_view_t {
        iree_string_view_t {
            data: s.as_ptr() as *const c_char,
            size: s.len(),
        }
    }

    #[test]
    fn join_allocates_a_c_string() {
        let mut out = std::ptr::null_mut();
        // SAFETY: valid views and out pointer; the result is freed below.
        unsafe {
            assert!(iree_file_path_join(
                view("/a/"),
                view("/b"),
                iree_allocator_t::system(),
                &mut out
            )
            .is_ok());
            assert_eq!(std::ffi::CStr::from_ptr(out).to_bytes(), b"/a/b");
            iree_allocator_t::system().free(out as *mut std::ffi::c_void);
        }
    }

    #[test]
    fn results_point_into_the_input() {
        let path = "dir/name.ext";
        // SAFETY: a valid view.
        let ext = unsafe { iree_file_path_extension(view(path)) };
        assert_eq!(ext.data, path[9..].as_ptr() as *const c_char);
        assert_eq!(ext.size, 3);
        // SAFETY: a NULL view with a size is treated as empty, not read.
        let bad = unsafe {
            iree_file_path_stem(iree_string_view_t {
                data: std::ptr::null(),
                size: 5,
            })
        };
        assert_eq!(bad.size, 0);
    }
}
