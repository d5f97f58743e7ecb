//! `iree/base/internal/file_path.h`: lexical path helpers over string views.
//!
//! Results that are pieces of the input are views into the caller's buffer;
//! a view claiming bytes at a NULL pointer is treated as empty.

use std::ffi::c_char;

use crate::base::internal::file_path;
use crate::capi::base::allocator::iree_allocator_t;
use crate::capi::base::status::iree_status_t;
use crate::capi::base::string_view::iree_string_view_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
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

/// Canonicalizes the caller's `path` buffer in place and returns its new
/// length (0 for NULL). The buffer must have room for a NUL at
/// `path[path_length]` (as a C string does): the new end is NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn iree_file_path_canonicalize(
    path: *mut c_char,
    path_length: usize,
) -> usize {
    ffi_boundary(|| {
        // SAFETY: NULL or a writable buffer (API contract).
        unsafe { arg!(path).in_out() }?;
        // SAFETY: the caller passes a writable buffer of `path_length` bytes
        // plus one for the terminator (API contract).
        let bytes = unsafe { std::slice::from_raw_parts_mut(path.cast::<u8>(), path_length + 1) };
        let new_length = file_path::canonicalize(&mut bytes[..path_length]);
        bytes[new_length] = 0;
        Ok(new_length)
    })
}

/// Joins `lhs` and `rhs` (borrowed for the call) with one separator into a
/// new NUL-terminated string from `allocator`; the caller owns `*out_path`
/// (NULL on failure) and frees it with `iree_allocator_free`.
#[no_mangle]
pub unsafe extern "C" fn iree_file_path_join(
    lhs: iree_string_view_t,
    rhs: iree_string_view_t,
    allocator: iree_allocator_t,
    out_path: *mut *mut c_char,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_path = unsafe { arg!(out_path).in_out() }?;
        *out_path = std::ptr::null_mut();
        // SAFETY: views describe readable bytes (API contract).
        let (Some(lhs), Some(rhs)) = (unsafe { lhs.try_as_bytes() }, unsafe { rhs.try_as_bytes() })
        else {
            return Err(iree_err!(
                InvalidArgument,
                "string view with NULL data and non-zero size"
            ));
        };
        let joined = file_path::join(lhs, rhs);
        // SAFETY: allocator from the caller.
        *out_path = unsafe { allocator.dup_cstring(&joined) }?;
        Ok(())
    })
}

/// Splits `path` at its last separator; the views stored in the caller's
/// non-NULL `*out_dirname` / `*out_basename` point into `path` and are
/// valid while its bytes are.
#[no_mangle]
pub unsafe extern "C" fn iree_file_path_split(
    path: iree_string_view_t,
    out_dirname: *mut iree_string_view_t,
    out_basename: *mut iree_string_view_t,
) {
    ffi_boundary(|| {
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
        Ok(())
    })
}

/// The directory part of `path`: a view into `path`, valid while its bytes
/// are.
#[no_mangle]
pub unsafe extern "C" fn iree_file_path_dirname(path: iree_string_view_t) -> iree_string_view_t {
    ffi_boundary(|| {
        // SAFETY: the view describes readable bytes (API contract).
        let (path, bytes) = unsafe { view_or_empty(path) };
        Ok(path.sub_view_of(bytes, file_path::dirname(bytes)))
    })
}

/// The file name part of `path`: a view into `path`, valid while its bytes
/// are.
#[no_mangle]
pub unsafe extern "C" fn iree_file_path_basename(path: iree_string_view_t) -> iree_string_view_t {
    ffi_boundary(|| {
        // SAFETY: the view describes readable bytes (API contract).
        let (path, bytes) = unsafe { view_or_empty(path) };
        Ok(path.sub_view_of(bytes, file_path::basename(bytes)))
    })
}

/// Splits the file name of `path` at its last dot; the views stored in the
/// caller's non-NULL `*out_stem` / `*out_extension` point into `path` and
/// are valid while its bytes are.
#[no_mangle]
pub unsafe extern "C" fn iree_file_path_split_basename(
    path: iree_string_view_t,
    out_stem: *mut iree_string_view_t,
    out_extension: *mut iree_string_view_t,
) {
    ffi_boundary(|| {
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
        Ok(())
    })
}

/// The file name of `path` without its extension: a view into `path`,
/// valid while its bytes are.
#[no_mangle]
pub unsafe extern "C" fn iree_file_path_stem(path: iree_string_view_t) -> iree_string_view_t {
    ffi_boundary(|| {
        // SAFETY: the view describes readable bytes (API contract).
        let (path, bytes) = unsafe { view_or_empty(path) };
        Ok(path.sub_view_of(bytes, file_path::stem(bytes)))
    })
}

/// The extension (after the last dot) of the file name of `path`: a view
/// into `path`, valid while its bytes are.
#[no_mangle]
pub unsafe extern "C" fn iree_file_path_extension(path: iree_string_view_t) -> iree_string_view_t {
    ffi_boundary(|| {
        // SAFETY: the view describes readable bytes (API contract).
        let (path, bytes) = unsafe { view_or_empty(path) };
        Ok(path.sub_view_of(bytes, file_path::extension(bytes)))
    })
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
