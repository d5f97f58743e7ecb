//! `iree/hal/allocator.h`: the heap allocator, buffer parameters, host
//! memory import and export, and statistics.

use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicPtr, Ordering};
use std::sync::Arc;

use crate::abi::{iree_allocator_t, iree_const_byte_span_t, iree_status_t, iree_string_view_t};
use crate::capi::base::string_builder::iree_string_builder_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::buffer::{
    iree_device_size_t, iree_hal_buffer_t, iree_hal_buffer_usage_t, iree_hal_memory_access_t,
    iree_hal_memory_type_t,
};
use crate::capi::handle::{self, arg, Castable, Resource};
use crate::hal::allocator::{AllocatorStatistics, HeapAllocator};
use crate::hal::buffer::DeviceSize;
use crate::hal::memory::{BufferParams, BufferUsage, MemoryAccess, MemoryType};
use crate::hal::storage::HostStorage;
use crate::{iree_bail, iree_ensure, iree_err};

/// cbindgen:ignore
pub type iree_hal_buffer_compatibility_t = u32;
/// cbindgen:ignore
pub type iree_hal_external_buffer_type_t = u32;
/// cbindgen:ignore
pub type iree_hal_external_buffer_flags_t = u32;

const EXTERNAL_BUFFER_TYPE_HOST_ALLOCATION: iree_hal_external_buffer_type_t = 1;

/// An allocator (opaque to C; its first member is an `iree_hal_resource_t`).
pub struct iree_hal_allocator_t {
    _private: [u8; 0],
}

impl Castable for iree_hal_allocator_t {
    type Ownership = Resource;
    type RustType = HeapAllocator;
}

/// `iree_hal_buffer_params_t` (defined in `iree/abi/hal_buffer_types.h`).
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_buffer_params_t {
    pub usage: iree_hal_buffer_usage_t,
    pub access: iree_hal_memory_access_t,
    pub r#type: iree_hal_memory_type_t,
    pub queue_affinity: super::buffer::iree_hal_queue_affinity_t,
    pub min_alignment: iree_device_size_t,
}

impl From<iree_hal_buffer_params_t> for BufferParams {
    fn from(p: iree_hal_buffer_params_t) -> BufferParams {
        BufferParams {
            usage: BufferUsage::from_bits_retain(p.usage),
            access: MemoryAccess::from_bits_retain(p.access),
            memory_type: MemoryType::from_bits_retain(p.r#type),
            queue_affinity: p.queue_affinity,
            min_alignment: p.min_alignment,
        }
    }
}

/// `iree_hal_external_buffer_t` (defined in `iree/abi/hal_buffer_types.h`;
/// `handle` is the union, read as the host allocation's pointer).
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_external_buffer_t {
    pub r#type: iree_hal_external_buffer_type_t,
    pub flags: iree_hal_external_buffer_flags_t,
    pub size: iree_device_size_t,
    pub handle: *mut c_void,
}

/// cbindgen:ignore
pub type iree_hal_buffer_release_fn_t =
    Option<unsafe extern "C" fn(user_data: *mut c_void, buffer: *mut iree_hal_buffer_t)>;

/// `iree_hal_buffer_release_callback_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_buffer_release_callback_t {
    pub r#fn: iree_hal_buffer_release_fn_t,
    pub user_data: *mut c_void,
}

/// `iree_hal_allocator_statistics_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct iree_hal_allocator_statistics_t {
    pub host_bytes_peak: iree_device_size_t,
    pub host_bytes_allocated: iree_device_size_t,
    pub host_bytes_freed: iree_device_size_t,
    pub device_bytes_peak: iree_device_size_t,
    pub device_bytes_allocated: iree_device_size_t,
    pub device_bytes_freed: iree_device_size_t,
}

impl From<AllocatorStatistics> for iree_hal_allocator_statistics_t {
    fn from(s: AllocatorStatistics) -> Self {
        iree_hal_allocator_statistics_t {
            host_bytes_peak: s.host_bytes_peak,
            host_bytes_allocated: s.host_bytes_allocated,
            host_bytes_freed: s.host_bytes_freed,
            device_bytes_peak: s.device_bytes_peak,
            device_bytes_allocated: s.device_bytes_allocated,
            device_bytes_freed: s.device_bytes_freed,
        }
    }
}

impl From<iree_hal_allocator_statistics_t> for AllocatorStatistics {
    fn from(s: iree_hal_allocator_statistics_t) -> Self {
        AllocatorStatistics {
            host_bytes_peak: s.host_bytes_peak,
            host_bytes_allocated: s.host_bytes_allocated,
            host_bytes_freed: s.host_bytes_freed,
            device_bytes_peak: s.device_bytes_peak,
            device_bytes_allocated: s.device_bytes_allocated,
            device_bytes_freed: s.device_bytes_freed,
        }
    }
}

/// Makes a heap allocator named `identifier` (copied). Buffers come from
/// the system heap (`data_allocator` and `host_allocator` are not used).
/// The caller owns the reference in `*out_allocator`; buffers keep what
/// they need of the allocator (its statistics) on their own.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_allocator_create_heap(
    identifier: iree_string_view_t,
    data_allocator: iree_allocator_t,
    host_allocator: iree_allocator_t,
    out_allocator: *mut *mut iree_hal_allocator_t,
) -> iree_status_t {
    let _ = (data_allocator, host_allocator);
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_allocator = unsafe { arg!(out_allocator).out() }?;
        out_allocator.write(std::ptr::null_mut());
        // SAFETY: a valid view (API contract).
        let name = unsafe { identifier.try_as_bytes() }
            .ok_or_else(|| iree_err!(InvalidArgument, "`identifier` is NULL with a length"))?;
        let allocator = HeapAllocator::new(&String::from_utf8_lossy(name));
        out_allocator.write(handle::hal_into_ptr(&allocator));
        Ok(())
    })
}

/// Adds a reference to `allocator`, which the caller then owns. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_allocator_retain(allocator: *mut iree_hal_allocator_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live allocator the caller holds (API contract).
        unsafe { handle::retain(allocator) };
        Ok(())
    })
}

/// Drops the caller's reference to `allocator`. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_allocator_release(allocator: *mut iree_hal_allocator_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live allocator whose reference the caller gives up.
        unsafe { handle::release(allocator) };
        Ok(())
    })
}

/// Destroys `allocator` whose last reference the caller owns.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_allocator_destroy(allocator: *mut iree_hal_allocator_t) {
    ffi_boundary(|| {
        if !allocator.is_null() {
            // SAFETY: an allocator whose last reference the caller owns.
            unsafe { handle::destroy(allocator) };
        }
        Ok(())
    })
}

/// The allocator for host-side bookkeeping: the system allocator.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_allocator_host_allocator(
    allocator: *const iree_hal_allocator_t,
) -> iree_allocator_t {
    ffi_boundary(|| {
        // SAFETY: NULL or an allocator the caller holds (API contract).
        unsafe { arg!(allocator).hal_ref() }?;
        Ok(iree_allocator_t::system())
    })
}

/// Releases pooled memory (the heap pools none).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_allocator_trim(
    allocator: *mut iree_hal_allocator_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or an allocator the caller holds (API contract).
        unsafe { arg!(allocator).hal_ref() }?.trim()
    })
}

/// Copies the allocator's statistics into `*out_statistics` (zeros for a
/// NULL allocator; a NULL `out_statistics` is ignored).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_allocator_query_statistics(
    allocator: *mut iree_hal_allocator_t,
    out_statistics: *mut iree_hal_allocator_statistics_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's storage (API contract).
        let out = unsafe { arg!(out_statistics).out() }?;
        out.write(iree_hal_allocator_statistics_t::default());
        // SAFETY: NULL or an allocator the caller holds (API contract).
        let allocator = unsafe { arg!(allocator).hal_ref() }?;
        out.write(allocator.statistics().into());
        Ok(())
    })
}

/// Appends the statistics table (`HOST_LOCAL: ...`) to `builder`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_allocator_statistics_format(
    statistics: *const iree_hal_allocator_statistics_t,
    builder: *mut iree_string_builder_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's statistics (API contract).
        let statistics = *unsafe { arg!(statistics).value() }?;
        // SAFETY: NULL or an initialized builder (API contract).
        let builder = unsafe { arg!(builder).in_out() }?;
        let text = AllocatorStatistics::from(statistics).format();
        // SAFETY: an initialized builder.
        unsafe { builder.append(text.as_bytes()) }
    })
}

/// Prints the allocator's statistics table to `file`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_allocator_statistics_fprint(
    file: *mut libc::FILE,
    allocator: *mut iree_hal_allocator_t,
) -> iree_status_t {
    ffi_boundary(|| {
        iree_ensure!(!file.is_null(), InvalidArgument, "`file` is NULL");
        // SAFETY: NULL or an allocator the caller holds (API contract).
        let allocator = unsafe { arg!(allocator).hal_ref() }?;
        let text = format!(
            "[[ iree_hal_allocator_t<{}> statistics ]]\n{}",
            allocator.identifier(),
            allocator.statistics().format()
        );
        // SAFETY: an open stream (API contract).
        unsafe { crate::capi::hal::buffer_view_util::write_file(file, text.as_bytes()) }
    })
}

/// What the allocator can do with buffers of `params` and size.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_allocator_query_compatibility(
    allocator: *mut iree_hal_allocator_t,
    params: iree_hal_buffer_params_t,
    allocation_size: iree_device_size_t,
) -> iree_hal_buffer_compatibility_t {
    ffi_boundary(|| {
        // SAFETY: NULL or an allocator the caller holds (API contract).
        let allocator = unsafe { arg!(allocator).hal_ref() }?;
        Ok(allocator
            .query_compatibility(params.into(), allocation_size)
            .bits())
    })
}

/// Allocates `allocation_size` zeroed bytes with up to that many bytes of
/// `initial_data` copied in (read during the call). The caller owns the
/// reference in `*out_buffer`; the buffer records its free in the
/// allocator's statistics whenever it goes.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_allocator_allocate_buffer(
    allocator: *mut iree_hal_allocator_t,
    params: iree_hal_buffer_params_t,
    allocation_size: iree_device_size_t,
    initial_data: iree_const_byte_span_t,
    out_buffer: *mut *mut iree_hal_buffer_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_buffer = unsafe { arg!(out_buffer).out() }?;
        out_buffer.write(std::ptr::null_mut());
        // SAFETY: NULL or an allocator the caller holds (API contract).
        let allocator = unsafe { arg!(allocator).hal_ref() }?;
        // SAFETY: a valid span (API contract).
        let initial = unsafe { initial_data.try_as_bytes() }
            .ok_or_else(|| iree_err!(InvalidArgument, "`initial_data` is NULL with a length"))?;
        let buffer = allocator.allocate_buffer(params.into(), allocation_size, initial)?;
        out_buffer.write(handle::hal_into_ptr(&buffer));
        Ok(())
    })
}

/// What the release callback of an imported buffer needs: it fires only
/// once the import succeeded (`armed`), with the buffer's handle.
struct ImportRelease {
    callback: iree_hal_buffer_release_callback_t,
    buffer: AtomicPtr<iree_hal_buffer_t>,
    armed: AtomicBool,
}

// SAFETY: the user data is the caller's to share with the thread that
// drops the buffer (the seeds' contract: callbacks may run on any thread).
unsafe impl Send for ImportRelease {}
// SAFETY: as above; the shared state is atomic.
unsafe impl Sync for ImportRelease {}

impl ImportRelease {
    fn fire(&self) {
        if !self.armed.swap(false, Ordering::AcqRel) {
            return;
        }
        if let Some(callback) = self.callback.r#fn {
            // SAFETY: the caller's callback with its own user data; the
            // buffer pointer is the handle of the buffer being destroyed.
            unsafe { callback(self.callback.user_data, self.buffer.load(Ordering::Acquire)) };
        }
    }
}

/// Imports host memory (`IREE_HAL_EXTERNAL_BUFFER_TYPE_HOST_ALLOCATION`,
/// 64-byte aligned) as a buffer without copying. The memory stays the
/// caller's; `release_callback` runs exactly once when the buffer is
/// destroyed (never when the import fails). Other external types are
/// UNAVAILABLE. The caller owns the reference in `*out_buffer`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_allocator_import_buffer(
    allocator: *mut iree_hal_allocator_t,
    params: iree_hal_buffer_params_t,
    external_buffer: *mut iree_hal_external_buffer_t,
    release_callback: iree_hal_buffer_release_callback_t,
    out_buffer: *mut *mut iree_hal_buffer_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_buffer = unsafe { arg!(out_buffer).out() }?;
        out_buffer.write(std::ptr::null_mut());
        // SAFETY: NULL or an allocator the caller holds (API contract).
        let allocator = unsafe { arg!(allocator).hal_ref() }?;
        // SAFETY: NULL or the caller's description (API contract).
        let external = *unsafe { arg!(external_buffer).value() }?;
        if external.r#type != EXTERNAL_BUFFER_TYPE_HOST_ALLOCATION {
            iree_bail!(
                Unavailable,
                "external buffer type {} not supported by the heap allocator",
                external.r#type
            );
        }
        let size = usize::try_from(external.size)
            .map_err(|_| iree_err!(OutOfRange, "{} bytes do not fit the host", external.size))?;
        let release = Arc::new(ImportRelease {
            callback: release_callback,
            buffer: AtomicPtr::new(std::ptr::null_mut()),
            armed: AtomicBool::new(false),
        });
        let on_release = {
            let release = Arc::clone(&release);
            Box::new(move || release.fire())
        };
        // SAFETY: the caller's memory holds `size` bytes and stays valid
        // until the release callback runs (API contract).
        let storage = unsafe {
            HostStorage::wrap_external(external.handle.cast::<u8>(), size, Some(on_release))
        }?;
        let buffer = allocator.import_host_buffer(params.into(), storage)?;
        let c_buffer: *mut iree_hal_buffer_t = handle::hal_into_ptr(&buffer);
        release.buffer.store(c_buffer, Ordering::Release);
        release.armed.store(true, Ordering::Release);
        out_buffer.write(c_buffer);
        Ok(())
    })
}

/// Exports `buffer` as a host allocation (its whole range). The pointer is
/// borrowed: valid while the caller keeps `buffer`. Other requested types
/// are UNAVAILABLE.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_allocator_export_buffer(
    allocator: *mut iree_hal_allocator_t,
    buffer: *mut iree_hal_buffer_t,
    requested_type: iree_hal_external_buffer_type_t,
    requested_flags: iree_hal_external_buffer_flags_t,
    out_external_buffer: *mut iree_hal_external_buffer_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's storage (API contract).
        let out = unsafe { arg!(out_external_buffer).out() }?;
        out.write(iree_hal_external_buffer_t {
            r#type: 0,
            flags: 0,
            size: 0,
            handle: std::ptr::null_mut(),
        });
        // SAFETY: NULL or an allocator the caller holds (API contract).
        let allocator = unsafe { arg!(allocator).hal_ref() }?;
        // SAFETY: NULL or a buffer the caller holds (API contract).
        let buffer = unsafe { arg!(buffer).hal() }?;
        if requested_type != EXTERNAL_BUFFER_TYPE_HOST_ALLOCATION {
            iree_bail!(
                Unavailable,
                "external buffer type {requested_type} not supported by the heap allocator"
            );
        }
        let span = allocator.export_host_buffer(&buffer)?;
        out.write(iree_hal_external_buffer_t {
            r#type: EXTERNAL_BUFFER_TYPE_HOST_ALLOCATION,
            flags: requested_flags,
            size: span.length as DeviceSize,
            handle: span.data.cast(),
        });
        Ok(())
    })
}
