//! `iree/base/internal/file_io.h`: whole-file reads/writes into memory from
//! the caller's allocator.
//!
//! A read returns one allocation holding the `iree_file_contents_t` header
//! followed by the bytes, which start on a 4096-byte boundary (so they can be
//! mapped or handed to loaders expecting page alignment) and end with a NUL
//! (so text files can be used as C strings).

use std::ffi::{c_char, c_void};
use std::path::Path;

use crate::base::internal::file_io;
use crate::capi::base::allocator::{
    iree_allocator_command_t, iree_allocator_t, iree_byte_span_t, iree_const_byte_span_t,
    IREE_ALLOCATOR_COMMAND_FREE,
};
use crate::capi::base::status::iree_status_t;
use crate::capi::base::string_view::c_str_bytes;
use crate::capi::boundary::{ffi_boundary, null_argument};
use crate::capi::handle::arg;
use crate::{iree_bail, iree_err, Result};

/// The block a read returns: the allocator that owns it and its data (the
/// C struct, in `iree/abi/platform_types.h`, puts the span in a union with a
/// const view of the same two words).
/// cbindgen:ignore
#[repr(C)]
pub struct iree_file_contents_t {
    pub allocator: iree_allocator_t,
    pub buffer: iree_byte_span_t,
}

/// Data starts on this boundary within the contents allocation.
const CONTENTS_ALIGNMENT: usize = 4096;

/// Borrows a C path string as a `Path`.
///
/// # Safety
/// `path` must be NULL or a NUL-terminated string live for `'a`.
unsafe fn path_arg<'a>(path: *const c_char) -> Result<&'a Path> {
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: forwarded contract.
    let bytes = unsafe { c_str_bytes(path) }.ok_or_else(|| null_argument("path"))?;
    Ok(Path::new(std::ffi::OsStr::from_bytes(bytes)))
}

/// Allocates a contents block for `len` bytes and returns it with its data
/// pointer set; the data (and trailing NUL) are left for the caller to fill.
///
/// # Safety
/// `allocator` must be a valid allocator.
unsafe fn alloc_contents(
    allocator: iree_allocator_t,
    len: usize,
) -> Result<*mut iree_file_contents_t> {
    let header = std::mem::size_of::<iree_file_contents_t>();
    let total = header
        .checked_add(CONTENTS_ALIGNMENT)
        .and_then(|n| n.checked_add(len))
        .and_then(|n| n.checked_add(1))
        .ok_or_else(|| iree_err!(ResourceExhausted, "file of {len} bytes is too large"))?;
    // SAFETY: forwarded contract.
    let block = unsafe { allocator.malloc_uninitialized(total) }?.cast::<u8>();
    let data_offset =
        crate::base::internal::math::align_up(block.addr() + header, CONTENTS_ALIGNMENT)
            - block.addr();
    let contents = block.cast::<iree_file_contents_t>();
    // SAFETY: the block is `total` bytes, large enough for the header (the
    // allocator aligns to at least 16, enough for it) and for `len + 1` bytes
    // starting at `data_offset <= header + CONTENTS_ALIGNMENT - 1`.
    unsafe {
        contents.write(iree_file_contents_t {
            allocator,
            buffer: iree_byte_span_t {
                data: block.add(data_offset),
                data_length: len,
            },
        });
    }
    Ok(contents)
}

/// Frees a contents block with the allocator recorded in it.
///
/// # Safety
/// `contents` must come from [`alloc_contents`] and not be used afterwards.
unsafe fn free_contents(contents: *mut iree_file_contents_t) {
    // SAFETY: live contents per the caller's contract.
    let allocator = unsafe { (*contents).allocator };
    // SAFETY: the block was allocated from that allocator.
    unsafe { allocator.free(contents.cast()) };
}

/// OK when `path` (borrowed for the call) names an existing file,
/// NOT_FOUND otherwise.
#[no_mangle]
pub unsafe extern "C" fn iree_file_exists(path: *const c_char) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a C string (API contract).
        let path = unsafe { path_arg(path) }?;
        file_io::exists(path)
    })
}

/// The control routine of [`iree_file_contents_deallocator`]: frees the
/// whole contents block when asked to free its data pointer.
unsafe extern "C" fn file_contents_allocator_ctl(
    self_: *mut c_void,
    command: iree_allocator_command_t,
    _params: *const c_void,
    inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        if command != IREE_ALLOCATOR_COMMAND_FREE {
            iree_bail!(
                FailedPrecondition,
                "file contents deallocator must only be used to deallocate file contents"
            );
        }
        let contents = self_.cast::<iree_file_contents_t>();
        // SAFETY: `self_` is NULL or the contents this allocator was made
        // for (allocator contract).
        let buffer_data = unsafe { arg!(contents).value() }?.buffer.data;
        // SAFETY: NULL or the pointer being freed (allocator contract).
        let freed = unsafe { arg!(inout_ptr).value() }?;
        if buffer_data.cast::<c_void>() != *freed {
            iree_bail!(InvalidArgument, "only the file contents buffer is valid");
        }
        // SAFETY: the contents block is released exactly once, here.
        unsafe { free_contents(contents) };
        Ok(())
    })
}

/// An allocator whose only command frees `contents` (borrowed until then)
/// as a whole when given its data pointer: hands ownership of the data to
/// code that frees through an allocator.
#[no_mangle]
pub extern "C" fn iree_file_contents_deallocator(
    contents: *mut iree_file_contents_t,
) -> iree_allocator_t {
    ffi_boundary(|| {
        Ok(iree_allocator_t {
            self_: contents.cast(),
            ctl: Some(file_contents_allocator_ctl),
        })
    })
}

/// Frees caller-owned contents from `iree_file_read_contents` /
/// `iree_stdin_read_contents`, data included. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_file_contents_free(contents: *mut iree_file_contents_t) {
    ffi_boundary(|| {
        if !contents.is_null() {
            // SAFETY: contents handed out by iree_file_read_contents (API contract).
            unsafe { free_contents(contents) };
        }
        Ok(())
    })
}

/// Copies `bytes` into a new contents block and hands it out.
///
/// # Safety
/// `allocator` valid; `out_contents` non-null and writable.
unsafe fn contents_from_reader(
    allocator: iree_allocator_t,
    len: usize,
    fill: impl FnOnce(&mut [u8]) -> Result<()>,
    out_contents: &mut *mut iree_file_contents_t,
) -> Result<()> {
    // SAFETY: forwarded contract.
    let contents = unsafe { alloc_contents(allocator, len) }?;
    // SAFETY: alloc_contents reserved `len + 1` bytes at the data pointer.
    let data = unsafe { std::slice::from_raw_parts_mut((*contents).buffer.data, len + 1) };
    match fill(&mut data[..len]) {
        Ok(()) => {
            data[len] = 0;
            *out_contents = contents;
            Ok(())
        }
        Err(err) => {
            // SAFETY: the block was never handed out.
            unsafe { free_contents(contents) };
            Err(err)
        }
    }
}

/// Reads the file at `path` (borrowed for the call) into one block from
/// `allocator`, NUL-terminated after the data. The caller owns the
/// contents in `*out_contents` (NULL on failure) and frees them with
/// `iree_file_contents_free`.
#[no_mangle]
pub unsafe extern "C" fn iree_file_read_contents(
    path: *const c_char,
    allocator: iree_allocator_t,
    out_contents: *mut *mut iree_file_contents_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_contents = unsafe { arg!(out_contents).in_out() }?;
        *out_contents = std::ptr::null_mut();
        // SAFETY: NULL or a C string (API contract).
        let path = unsafe { path_arg(path) }?;
        file_io::open_for_read(path)
            .and_then(|mut file| {
                let len = file.len();
                // SAFETY: allocator from the caller.
                unsafe {
                    contents_from_reader(
                        allocator,
                        len,
                        |buf| file.read_exact_into(buf),
                        out_contents,
                    )
                }
            })
            .map_err(|err| err.annotate(format!("reading file '{}'", path.display())))
    })
}

/// Writes `content` (borrowed for the call) to the file at `path`
/// (borrowed for the call), replacing it.
#[no_mangle]
pub unsafe extern "C" fn iree_file_write_contents(
    path: *const c_char,
    content: iree_const_byte_span_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a C string (API contract).
        let path = unsafe { path_arg(path) }?;
        // SAFETY: the span describes readable bytes (API contract).
        let Some(bytes) = (unsafe { content.try_as_bytes() }) else {
            iree_bail!(
                InvalidArgument,
                "content of {} bytes has a NULL data pointer",
                content.data_length
            );
        };
        file_io::write(path, bytes)
    })
}

/// Reads all of stdin into one block from `allocator`, NUL-terminated
/// after the data. The caller owns the contents in `*out_contents` (NULL
/// on failure) and frees them with `iree_file_contents_free`.
#[no_mangle]
pub unsafe extern "C" fn iree_stdin_read_contents(
    allocator: iree_allocator_t,
    out_contents: *mut *mut iree_file_contents_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_contents = unsafe { arg!(out_contents).in_out() }?;
        *out_contents = std::ptr::null_mut();
        let bytes = file_io::read_stdin()?;
        let fill = |buf: &mut [u8]| {
            buf.copy_from_slice(&bytes);
            Ok(())
        };
        // SAFETY: allocator from the caller.
        unsafe { contents_from_reader(allocator, bytes.len(), fill, out_contents) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_contents_is_aligned_and_nul_terminated() {
        let path = std::env::temp_dir().join(format!("iree_capi_file_io_{}", std::process::id()));
        let c_path = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
        let data = b"abc";
        let span = iree_const_byte_span_t {
            data: data.as_ptr(),
            data_length: data.len(),
        };
        // SAFETY: valid C strings, spans and out pointers.
        unsafe {
            assert!(iree_file_write_contents(c_path.as_ptr(), span).is_ok());
            let mut contents = std::ptr::null_mut();
            assert!(iree_file_read_contents(
                c_path.as_ptr(),
                iree_allocator_t::system(),
                &mut contents
            )
            .is_ok());
            let buffer = (*contents).buffer;
            assert_eq!(buffer.data as usize % CONTENTS_ALIGNMENT, 0);
            assert_eq!(std::slice::from_raw_parts(buffer.data, 4), b"abc\0");
            iree_file_contents_free(contents);
            assert_eq!(
                iree_file_read_contents(
                    std::ptr::null(),
                    iree_allocator_t::system(),
                    &mut contents
                )
                .code(),
                crate::StatusCode::InvalidArgument
            );
            let _ = iree_file_read_contents(
                std::ptr::null(),
                iree_allocator_t::system(),
                &mut contents,
            )
            .into_result();
        }
        std::fs::remove_file(path).unwrap();
    }
}
