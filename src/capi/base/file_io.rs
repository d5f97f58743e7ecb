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
use crate::capi::base::status::{iree_status_t, null_argument};
use crate::capi::base::string_view::c_str_bytes;
use crate::iree_err;

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
unsafe fn path_arg<'a>(path: *const c_char) -> Option<&'a Path> {
    use std::os::unix::ffi::OsStrExt;
    // SAFETY: forwarded contract.
    let bytes = unsafe { c_str_bytes(path) }?;
    Some(Path::new(std::ffi::OsStr::from_bytes(bytes)))
}

/// Allocates a contents block for `len` bytes and returns it with its data
/// pointer set; the data (and trailing NUL) are left for the caller to fill.
///
/// # Safety
/// `allocator` must be a valid allocator.
unsafe fn alloc_contents(
    allocator: iree_allocator_t,
    len: usize,
) -> crate::Result<*mut iree_file_contents_t> {
    let header = std::mem::size_of::<iree_file_contents_t>();
    let total = header
        .checked_add(CONTENTS_ALIGNMENT)
        .and_then(|n| n.checked_add(len))
        .and_then(|n| n.checked_add(1))
        .ok_or_else(|| iree_err!(ResourceExhausted, "file of {len} bytes is too large"))?;
    // SAFETY: forwarded contract.
    let block = unsafe { allocator.malloc_uninitialized(total) }? as *mut u8;
    let data_offset =
        crate::base::internal::math::align_up(block as usize + header, CONTENTS_ALIGNMENT)
            - block as usize;
    let contents = block as *mut iree_file_contents_t;
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
    unsafe { allocator.free(contents as *mut c_void) };
}

#[no_mangle]
pub unsafe extern "C" fn iree_file_exists(path: *const c_char) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: a C string per the API contract.
        let Some(path) = (unsafe { path_arg(path) }) else {
            return null_argument("path");
        };
        file_io::exists(path).into()
    }
}

/// The control routine of [`iree_file_contents_deallocator`]: frees the
/// whole contents block when asked to free its data pointer.
unsafe extern "C" fn file_contents_allocator_ctl(
    self_: *mut c_void,
    command: iree_allocator_command_t,
    _params: *const c_void,
    inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        if command != IREE_ALLOCATOR_COMMAND_FREE {
            return iree_err!(
                FailedPrecondition,
                "file contents deallocator must only be used to deallocate file contents"
            )
            .into();
        }
        let contents = self_ as *mut iree_file_contents_t;
        if contents.is_null() || inout_ptr.is_null() {
            return null_argument("contents");
        }
        // SAFETY: `self_` is the contents this allocator was made for and
        // `inout_ptr` points at the pointer being freed (allocator contract).
        let matches = unsafe { (*contents).buffer.data as *mut c_void == *inout_ptr };
        if !matches {
            return iree_err!(InvalidArgument, "only the file contents buffer is valid").into();
        }
        // SAFETY: the contents block is released exactly once, here.
        unsafe { free_contents(contents) };
        iree_status_t::OK
    }
}

#[no_mangle]
pub extern "C" fn iree_file_contents_deallocator(
    contents: *mut iree_file_contents_t,
) -> iree_allocator_t {
    ffi_boundary! {
        iree_allocator_t {
            self_: contents as *mut c_void,
            ctl: Some(file_contents_allocator_ctl),
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_file_contents_free(contents: *mut iree_file_contents_t) {
    ffi_boundary! {
        if !contents.is_null() {
            // SAFETY: contents handed out by iree_file_read_contents (API contract).
            unsafe { free_contents(contents) };
        }
    }
}

/// Copies `bytes` into a new contents block and hands it out.
///
/// # Safety
/// `allocator` valid; `out_contents` non-null and writable.
unsafe fn contents_from_reader(
    allocator: iree_allocator_t,
    len: usize,
    fill: impl FnOnce(&mut [u8]) -> crate::Result<()>,
    out_contents: *mut *mut iree_file_contents_t,
) -> crate::Result<()> {
    // SAFETY: forwarded contract.
    let contents = unsafe { alloc_contents(allocator, len) }?;
    // SAFETY: alloc_contents reserved `len + 1` bytes at the data pointer.
    let data = unsafe { std::slice::from_raw_parts_mut((*contents).buffer.data, len + 1) };
    match fill(&mut data[..len]) {
        Ok(()) => {
            data[len] = 0;
            // SAFETY: non-null per the caller's contract.
            unsafe { *out_contents = contents };
            Ok(())
        }
        Err(err) => {
            // SAFETY: the block was never handed out.
            unsafe { free_contents(contents) };
            Err(err)
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_file_read_contents(
    path: *const c_char,
    allocator: iree_allocator_t,
    out_contents: *mut *mut iree_file_contents_t,
) -> iree_status_t {
    ffi_boundary! {
        if out_contents.is_null() {
            return null_argument("out_contents");
        }
        // SAFETY: checked non-null; the caller owns the slot.
        unsafe { *out_contents = std::ptr::null_mut() };
        // SAFETY: a C string per the API contract.
        let Some(path) = (unsafe { path_arg(path) }) else {
            return null_argument("path");
        };
        let result = file_io::open_for_read(path).and_then(|mut file| {
            let len = file.len();
            // SAFETY: allocator from the caller; out_contents checked above.
            unsafe { contents_from_reader(allocator, len, |buf| file.read_exact_into(buf), out_contents) }
        });
        result
            .map_err(|err| err.annotate(format!("reading file '{}'", path.display())))
            .into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_file_write_contents(
    path: *const c_char,
    content: iree_const_byte_span_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: a C string per the API contract.
        let Some(path) = (unsafe { path_arg(path) }) else {
            return null_argument("path");
        };
        // SAFETY: the span describes readable bytes (API contract).
        let Some(bytes) = (unsafe { content.try_as_bytes() }) else {
            return iree_err!(InvalidArgument, "content of {} bytes has a NULL data pointer", content.data_length).into();
        };
        file_io::write(path, bytes).into()
    }
}

#[no_mangle]
pub unsafe extern "C" fn iree_stdin_read_contents(
    allocator: iree_allocator_t,
    out_contents: *mut *mut iree_file_contents_t,
) -> iree_status_t {
    ffi_boundary! {
        if out_contents.is_null() {
            return null_argument("out_contents");
        }
        // SAFETY: checked non-null; the caller owns the slot.
        unsafe { *out_contents = std::ptr::null_mut() };
        let result = file_io::read_stdin().and_then(|bytes| {
            // SAFETY: allocator from the caller; out_contents checked above.
            unsafe {
                contents_from_reader(allocator, bytes.len(), |buf| {
                    buf.copy_from_slice(&bytes);
                    Ok(())
                }, out_contents)
            }
        });
        result.into()
    }
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
