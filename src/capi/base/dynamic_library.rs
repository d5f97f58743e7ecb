//! `iree/base/internal/dynamic_library.h`: ref-counted shared objects.
//!
//! The allocator arguments are accepted for API compatibility; the library
//! object itself lives on the Rust heap behind an `Arc`.

use std::ffi::{c_char, c_void, CStr};

use crate::base::internal::dynamic_library::DynamicLibrary;
use crate::capi::base::allocator::{iree_allocator_t, iree_const_byte_span_t};
use crate::capi::base::status::{iree_status_t, null_argument};
use crate::capi::base::string_view::iree_string_view_t;
use crate::capi::handle::{self, Castable, Shared};
use crate::iree_err;

/// Opaque C handle for a [`DynamicLibrary`].
pub struct iree_dynamic_library_t {
    _private: [u8; 0],
}

impl Castable for iree_dynamic_library_t {
    type Ownership = Shared;
    type RustType = DynamicLibrary;
}

/// `iree_dynamic_library_flags_t` (bits in `iree/abi/platform_types.h`).
/// cbindgen:ignore
pub type iree_dynamic_library_flags_t = u32;

/// Stores a freshly loaded library into the caller's slot.
///
/// # Safety
/// `out_library` must be non-null and writable.
unsafe fn hand_out(
    result: crate::Result<DynamicLibrary>,
    out_library: *mut *mut iree_dynamic_library_t,
) -> iree_status_t {
    match result {
        Ok(library) => {
            // SAFETY: non-null per the caller's contract.
            unsafe { *out_library = handle::arc_into_ptr(std::sync::Arc::new(library)) };
            iree_status_t::OK
        }
        Err(err) => err.into(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_dynamic_library_load_from_file(
    file_path: *const c_char,
    flags: iree_dynamic_library_flags_t,
    allocator: iree_allocator_t,
    out_library: *mut *mut iree_dynamic_library_t,
) -> iree_status_t {
    ffi_boundary! {
        let paths = [file_path];
        // SAFETY: one path, forwarded as given.
        unsafe { iree_dynamic_library_load_from_files(1, paths.as_ptr(), flags, allocator, out_library) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_dynamic_library_load_from_files(
    search_path_count: usize,
    search_paths: *const *const c_char,
    flags: iree_dynamic_library_flags_t,
    allocator: iree_allocator_t,
    out_library: *mut *mut iree_dynamic_library_t,
) -> iree_status_t {
    // No flags are defined and the object lives on the Rust heap.
    let _ = (flags, allocator);
    ffi_boundary! {
        if out_library.is_null() {
            return null_argument("out_library");
        }
        // SAFETY: checked non-null; the caller owns the slot.
        unsafe { *out_library = std::ptr::null_mut() };
        if search_path_count > 0 && search_paths.is_null() {
            return null_argument("search_paths");
        }
        let raw_paths: &[*const c_char] = if search_path_count == 0 {
            &[]
        } else {
            // SAFETY: `search_path_count` readable entries (API contract).
            unsafe { std::slice::from_raw_parts(search_paths, search_path_count) }
        };
        let mut paths = Vec::with_capacity(raw_paths.len());
        for (i, &path) in raw_paths.iter().enumerate() {
            if path.is_null() {
                return iree_err!(InvalidArgument, "search path {i} is NULL").into();
            }
            // SAFETY: non-null, NUL-terminated per the API contract.
            paths.push(unsafe { CStr::from_ptr(path) });
        }
        // SAFETY: checked non-null above.
        unsafe { hand_out(DynamicLibrary::load_from_files(&paths), out_library) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_dynamic_library_load_from_memory(
    identifier: iree_string_view_t,
    buffer: iree_const_byte_span_t,
    flags: iree_dynamic_library_flags_t,
    allocator: iree_allocator_t,
    out_library: *mut *mut iree_dynamic_library_t,
) -> iree_status_t {
    // No flags are defined and the object lives on the Rust heap.
    let _ = (flags, allocator);
    ffi_boundary! {
        if out_library.is_null() {
            return null_argument("out_library");
        }
        // SAFETY: checked non-null; the caller owns the slot.
        unsafe { *out_library = std::ptr::null_mut() };
        // SAFETY: the view describes readable bytes (API contract).
        let identifier = unsafe { identifier.try_as_bytes() }.unwrap_or(b"");
        if buffer.data.is_null() || buffer.data_length == 0 {
            return iree_err!(InvalidArgument, "library image is empty").into();
        }
        // SAFETY: the span describes readable bytes (API contract).
        let image = unsafe { std::slice::from_raw_parts(buffer.data, buffer.data_length) };
        // SAFETY: checked non-null above.
        unsafe { hand_out(DynamicLibrary::load_from_memory(identifier, image), out_library) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_dynamic_library_retain(library: *mut iree_dynamic_library_t) {
    ffi_boundary! {
        // SAFETY: a handle from a load call that still holds a count.
        unsafe { handle::arc_retain(library) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_dynamic_library_release(library: *mut iree_dynamic_library_t) {
    ffi_boundary! {
        // SAFETY: the caller gives up the count it holds.
        unsafe { handle::arc_release(library) }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_dynamic_library_lookup_symbol(
    library: *mut iree_dynamic_library_t,
    symbol_name: *const c_char,
    out_fn: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        if out_fn.is_null() {
            return null_argument("out_fn");
        }
        // SAFETY: checked non-null; the caller owns the slot.
        unsafe { *out_fn = std::ptr::null_mut() };
        // SAFETY: a live handle (API contract).
        let Some(library) = (unsafe { handle::try_ref(library) }) else {
            return null_argument("library");
        };
        if symbol_name.is_null() {
            return null_argument("symbol_name");
        }
        // SAFETY: non-null, NUL-terminated per the API contract.
        let name = unsafe { CStr::from_ptr(symbol_name) };
        match library.lookup(name) {
            Ok(address) => {
                // SAFETY: checked non-null above.
                unsafe { *out_fn = address };
                iree_status_t::OK
            }
            Err(err) => err.into(),
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_dynamic_library_attach_symbols_from_file(
    library: *mut iree_dynamic_library_t,
    file_path: *const c_char,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: a live handle (API contract).
        let Some(library) = (unsafe { handle::try_ref(library) }) else {
            return null_argument("library");
        };
        if file_path.is_null() {
            return null_argument("file_path");
        }
        library.attach_symbols().into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_dynamic_library_attach_symbols_from_memory(
    library: *mut iree_dynamic_library_t,
    buffer: iree_const_byte_span_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: a live handle (API contract).
        let Some(library) = (unsafe { handle::try_ref(library) }) else {
            return null_argument("library");
        };
        if buffer.data.is_null() && buffer.data_length != 0 {
            return null_argument("buffer.data");
        }
        library.attach_symbols().into()
    }
}
