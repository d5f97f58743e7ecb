//! `iree/base/internal/dynamic_library.h`: ref-counted shared objects.
//!
//! The allocator arguments are accepted for API compatibility; the library
//! object itself lives on the Rust heap behind an `Arc`.

use std::ffi::{c_char, c_void, CStr};
use std::sync::Arc;

use crate::base::internal::dynamic_library::DynamicLibrary;
use crate::capi::base::allocator::{iree_allocator_t, iree_const_byte_span_t};
use crate::capi::base::status::iree_status_t;
use crate::capi::base::string_view::iree_string_view_t;
use crate::capi::boundary::{ffi_boundary, null_argument};
use crate::capi::handle::{self, arg, Castable, Shared};
use crate::iree_bail;

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

/// Loads the library at `file_path` (borrowed for the call). The caller
/// owns the one reference in `*out_library` (NULL on failure) and releases
/// it with `iree_dynamic_library_release`. `allocator` is not used.
#[no_mangle]
pub unsafe extern "C" fn iree_dynamic_library_load_from_file(
    file_path: *const c_char,
    flags: iree_dynamic_library_flags_t,
    allocator: iree_allocator_t,
    out_library: *mut *mut iree_dynamic_library_t,
) -> iree_status_t {
    ffi_boundary(|| {
        let paths = [file_path];
        // SAFETY: one path, forwarded as given.
        Ok(unsafe {
            iree_dynamic_library_load_from_files(1, paths.as_ptr(), flags, allocator, out_library)
        })
    })
}

/// Loads the first library of `search_paths` (`search_path_count` paths,
/// borrowed for the call) that opens. The caller owns the one reference in
/// `*out_library` (NULL on failure) and releases it with
/// `iree_dynamic_library_release`. `allocator` is not used.
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
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_library = unsafe { arg!(out_library).in_out() }?;
        *out_library = std::ptr::null_mut();
        let raw_paths: &[*const c_char] = if search_path_count == 0 {
            &[]
        } else {
            // SAFETY: NULL is rejected; otherwise `search_path_count`
            // readable entries (API contract).
            unsafe {
                arg!(search_paths).value()?;
                std::slice::from_raw_parts(search_paths, search_path_count)
            }
        };
        let mut paths = Vec::with_capacity(raw_paths.len());
        for (i, &path) in raw_paths.iter().enumerate() {
            if path.is_null() {
                iree_bail!(InvalidArgument, "search path {i} is NULL");
            }
            // SAFETY: non-null, NUL-terminated per the API contract.
            paths.push(unsafe { CStr::from_ptr(path) });
        }
        let library = DynamicLibrary::load_from_files(&paths)?;
        *out_library = handle::arc_into_ptr(Arc::new(library));
        Ok(())
    })
}

/// Loads a library from the image in `buffer`, which is copied (borrowed
/// for the call only), naming it `identifier` in errors. The caller owns
/// the one reference in `*out_library` (NULL on failure) and releases it
/// with `iree_dynamic_library_release`. `allocator` is not used.
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
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_library = unsafe { arg!(out_library).in_out() }?;
        *out_library = std::ptr::null_mut();
        // SAFETY: the view describes readable bytes (API contract).
        let identifier = unsafe { identifier.try_as_bytes() }.unwrap_or(b"");
        if buffer.data.is_null() || buffer.data_length == 0 {
            iree_bail!(InvalidArgument, "library image is empty");
        }
        // SAFETY: the span describes readable bytes (API contract).
        let image = unsafe { std::slice::from_raw_parts(buffer.data, buffer.data_length) };
        let library = DynamicLibrary::load_from_memory(identifier, image)?;
        *out_library = handle::arc_into_ptr(Arc::new(library));
        Ok(())
    })
}

/// Adds a reference to `library`, which the caller then owns. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_dynamic_library_retain(library: *mut iree_dynamic_library_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a handle from a load call that still holds a count.
        unsafe { handle::retain(library) };
        Ok(())
    })
}

/// Drops the caller's reference to `library`, unloading it on the last
/// one; symbols looked up from it must not be used after that. NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_dynamic_library_release(library: *mut iree_dynamic_library_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a handle whose count the caller gives up.
        unsafe { handle::release(library) };
        Ok(())
    })
}

/// Stores the address of `symbol_name` (borrowed for the call) in
/// `*out_fn` (NULL on failure); it stays valid while the caller holds a
/// reference to `library`, which is borrowed for the call.
#[no_mangle]
pub unsafe extern "C" fn iree_dynamic_library_lookup_symbol(
    library: *mut iree_dynamic_library_t,
    symbol_name: *const c_char,
    out_fn: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_fn = unsafe { arg!(out_fn).in_out() }?;
        *out_fn = std::ptr::null_mut();
        // SAFETY: NULL or a live handle (API contract).
        let library = unsafe { arg!(library).handle() }?;
        // SAFETY: NULL or a NUL-terminated string (API contract).
        unsafe { arg!(symbol_name).value() }?;
        // SAFETY: non-null, NUL-terminated per the API contract.
        let name = unsafe { CStr::from_ptr(symbol_name) };
        *out_fn = library.lookup(name)?;
        Ok(())
    })
}

/// Attaches debug symbols from `file_path` (borrowed for the call) to
/// `library` (borrowed for the call).
#[no_mangle]
pub unsafe extern "C" fn iree_dynamic_library_attach_symbols_from_file(
    library: *mut iree_dynamic_library_t,
    file_path: *const c_char,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live handle (API contract).
        let library = unsafe { arg!(library).handle() }?;
        // SAFETY: NULL or a NUL-terminated string (API contract).
        unsafe { arg!(file_path).value() }?;
        library.attach_symbols()
    })
}

/// Attaches debug symbols from `buffer` (borrowed for the call) to
/// `library` (borrowed for the call).
#[no_mangle]
pub unsafe extern "C" fn iree_dynamic_library_attach_symbols_from_memory(
    library: *mut iree_dynamic_library_t,
    buffer: iree_const_byte_span_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live handle (API contract).
        let library = unsafe { arg!(library).handle() }?;
        if buffer.data.is_null() && buffer.data_length != 0 {
            return Err(null_argument("buffer.data"));
        }
        library.attach_symbols()
    })
}
