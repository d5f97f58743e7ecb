//! `iree/hal/executable_cache.h`: preparing executables from their data
//! through the device's executable loaders (on local-sync: embedded ELF and
//! system libraries for the host architecture).

use std::sync::Arc;

use crate::abi::allocator::iree_const_byte_span_t;
use crate::abi::string_view::{iree_host_size_t, iree_string_view_t};
use crate::capi::base::r#loop::iree_loop_t;
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::device::{c_slice, iree_hal_device_t};
use crate::capi::hal::executable::iree_hal_executable_t;
use crate::capi::hal::executable_layout::iree_hal_executable_layout_t;
use crate::capi::handle::{self, arg, Arg, Castable, Resource};
use crate::hal::executable::{ExecutableCache, ExecutableParams};
use crate::Result;

/// `iree_hal_executable_cache_t`: opaque.
pub struct iree_hal_executable_cache_t {
    _private: [u8; 0],
}

impl Castable for iree_hal_executable_cache_t {
    type Ownership = Resource;
    type RustType = ExecutableCache;
}

/// `iree_hal_executable_caching_mode_t` (bits in the header).
pub type iree_hal_executable_caching_mode_t = u32;

/// What to prepare (`iree_hal_executable_params_t`); borrowed for the call.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_executable_params_t {
    pub caching_mode: iree_hal_executable_caching_mode_t,
    pub executable_format: iree_string_view_t,
    pub executable_data: iree_const_byte_span_t,
    pub executable_layout_count: iree_host_size_t,
    pub executable_layouts: *const *mut iree_hal_executable_layout_t,
    pub constant_count: iree_host_size_t,
    pub constants: *const u32,
}

/// Sets every field of `*out_executable_params` to empty/zero.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_executable_params_initialize(
    out_executable_params: *mut iree_hal_executable_params_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's storage (API contract).
        let out = unsafe { arg!(out_executable_params).out() }?;
        out.write(iree_hal_executable_params_t {
            caching_mode: 0,
            executable_format: iree_string_view_t::EMPTY,
            executable_data: iree_const_byte_span_t {
                data: std::ptr::null(),
                data_length: 0,
            },
            executable_layout_count: 0,
            executable_layouts: std::ptr::null(),
            constant_count: 0,
            constants: std::ptr::null(),
        });
        Ok(())
    })
}

/// Creates a cache named `identifier`; the caller owns the reference in
/// `*out_executable_cache`. `loop` is not used (preparation is inline).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_executable_cache_create(
    device: *mut iree_hal_device_t,
    identifier: iree_string_view_t,
    r#loop: iree_loop_t,
    out_executable_cache: *mut *mut iree_hal_executable_cache_t,
) -> iree_status_t {
    let _ = r#loop;
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's slot (API contract).
        let out = unsafe { arg!(out_executable_cache).out() }?;
        out.write(std::ptr::null_mut());
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        // SAFETY: a view of live bytes (API contract).
        let identifier = String::from_utf8_lossy(unsafe { identifier.as_bytes() }).into_owned();
        let cache = device.create_executable_cache(&identifier)?;
        out.write(handle::hal_into_ptr(&Arc::new(cache)));
        Ok(())
    })
}

/// Adds a reference, which the caller then owns. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_executable_cache_retain(
    executable_cache: *mut iree_hal_executable_cache_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live cache (API contract).
        unsafe { handle::retain(executable_cache) };
        Ok(())
    })
}

/// Releases one reference; the last frees the cache. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_executable_cache_release(
    executable_cache: *mut iree_hal_executable_cache_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live cache the caller references.
        unsafe { handle::release(executable_cache) };
        Ok(())
    })
}

/// Frees a cache whose last reference the caller owns.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_executable_cache_destroy(
    executable_cache: *mut iree_hal_executable_cache_t,
) {
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        unsafe { handle::destroy(executable_cache) };
        Ok(())
    })
}

/// Whether one of the cache's loaders reads `executable_format` (e.g.
/// `embedded-elf-x86_64`, `system-elf-x86_64`); false for NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_executable_cache_can_prepare_format(
    executable_cache: *mut iree_hal_executable_cache_t,
    caching_mode: iree_hal_executable_caching_mode_t,
    executable_format: iree_string_view_t,
) -> bool {
    ffi_boundary(|| {
        // SAFETY: NULL or a live cache (API contract).
        let cache = unsafe { arg!(executable_cache).hal_ref() }?;
        // SAFETY: a view of live bytes (API contract).
        let format = String::from_utf8_lossy(unsafe { executable_format.as_bytes() }).into_owned();
        Ok(cache.can_prepare_format(caching_mode, &format))
    })
}

/// Prepares an executable from `executable_params` (borrowed for the call);
/// the caller owns `*out_executable`. NOT_FOUND names a format no loader
/// reads; a malformed image fails with the loader's status, naming the
/// format. The data is copied: it may go once this returns.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_executable_cache_prepare_executable(
    executable_cache: *mut iree_hal_executable_cache_t,
    executable_params: *const iree_hal_executable_params_t,
    out_executable: *mut *mut iree_hal_executable_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's slot (API contract).
        let out = unsafe { arg!(out_executable).out() }?;
        out.write(std::ptr::null_mut());
        // SAFETY: NULL or live objects (API contract).
        let cache = unsafe { arg!(executable_cache).hal_ref() }?;
        // SAFETY: as above.
        let params = unsafe { arg!(executable_params).value() }?;
        // SAFETY: the params' views and arrays are live (API contract).
        let (format, data, layouts, constants) = unsafe {
            (
                String::from_utf8_lossy(params.executable_format.as_bytes()).into_owned(),
                params
                    .executable_data
                    .try_as_bytes()
                    .ok_or_else(|| crate::iree_err!(InvalidArgument, "executable data is NULL"))?,
                c_slice(
                    params.executable_layouts,
                    params.executable_layout_count,
                    "executable_layouts",
                )?
                .iter()
                .map(|&layout| Arg::new(layout, "executable_layouts[i]").hal())
                .collect::<Result<Vec<_>>>()?,
                c_slice(params.constants, params.constant_count, "constants")?,
            )
        };
        let executable = cache.prepare_executable(&ExecutableParams {
            caching_mode: params.caching_mode,
            executable_format: &format,
            executable_data: data,
            executable_layouts: layouts,
            constants,
        })?;
        out.write(handle::hal_into_ptr(&executable));
        Ok(())
    })
}
