//! `iree/hal/device.h`: devices, the seeds' transfers and submissions, and
//! the 3.13 queries and queue operations.
//!
//! A device handle is a [`DeviceResource`] (the `Arc<dyn Device>` behind a
//! resource header), so every handle to one device is one pointer.

use std::ffi::c_void;
use std::sync::Arc;

use crate::abi::allocator::{iree_allocator_t, iree_byte_span_t};
use crate::abi::status::iree_status_t;
use crate::abi::string_view::{iree_host_size_t, iree_string_view_t};
use crate::base::time::Timeout;
use crate::capi::base::time::iree_timeout_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::allocator::iree_hal_allocator_t;
use crate::capi::hal::buffer::{
    iree_device_size_t, iree_hal_buffer_t, iree_hal_buffer_usage_t, iree_hal_memory_type_t,
    iree_hal_queue_affinity_t, iree_hal_transfer_buffer_flags_t,
};
use crate::capi::hal::command_buffer::{
    iree_hal_command_buffer_t, iree_hal_command_category_t, iree_hal_transfer_command_t,
    transfer_command_buffer,
};
use crate::capi::hal::semaphore::iree_hal_semaphore_t;
use crate::capi::handle::{self, arg, Arg, Castable, Resource};
use crate::hal::buffer::Buffer;
use crate::hal::command_buffer::{Binding, CommandBufferMode};
use crate::hal::device::{DeviceResource, SubmissionBatch};
use crate::hal::memory::{BufferParams, QUEUE_AFFINITY_ANY};
use crate::hal::queue::Timepoints;
use crate::hal::semaphore::WaitMode;
use crate::{iree_bail, iree_err, Result};

/// A device (opaque to C; its first member is an `iree_hal_resource_t`).
/// Only devices made by this runtime are accepted.
pub struct iree_hal_device_t {
    _private: [u8; 0],
}

impl Castable for iree_hal_device_t {
    type Ownership = Resource;
    type RustType = DeviceResource;
}

/// A driver's handle for one of its devices (`uintptr_t`, declared in
/// `iree/abi/hal_types.h`).
/// cbindgen:ignore
pub type iree_hal_device_id_t = usize;

/// A device as a driver lists it; `name` is borrowed from whoever filled
/// the struct in (the block `iree_hal_driver_query_available_devices`
/// allocates).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_device_info_t {
    /// Opaque to all but the driver that listed it.
    pub device_id: iree_hal_device_id_t,
    /// Human-readable name.
    pub name: iree_string_view_t,
}

/// `iree_hal_semaphore_list_t`: `count` semaphores and their payloads.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_semaphore_list_t {
    pub count: iree_host_size_t,
    pub semaphores: *mut *mut iree_hal_semaphore_t,
    pub payload_values: *mut u64,
}

/// `iree_hal_submission_batch_t`: waits, command buffers run in order, signals.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_submission_batch_t {
    pub wait_semaphores: iree_hal_semaphore_list_t,
    pub command_buffer_count: iree_host_size_t,
    pub command_buffers: *mut *mut iree_hal_command_buffer_t,
    pub signal_semaphores: iree_hal_semaphore_list_t,
}

/// `iree_hal_transfer_buffer_t`: host memory (`device_buffer` NULL) or a buffer.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_transfer_buffer_t {
    pub host_buffer: iree_byte_span_t,
    pub device_buffer: *mut iree_hal_buffer_t,
}

/// `iree_hal_wait_mode_t` (constants in iree/hal/device.h).
pub type iree_hal_wait_mode_t = u32;

/// `iree_hal_buffer_binding_t` (3.13): one binding table entry.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_buffer_binding_t {
    pub buffer: *mut iree_hal_buffer_t,
    pub offset: iree_device_size_t,
    pub length: iree_device_size_t,
}

/// `iree_hal_buffer_binding_table_t` (3.13): `count` entries.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_buffer_binding_table_t {
    pub count: iree_host_size_t,
    pub bindings: *const iree_hal_buffer_binding_t,
}

/// # Safety
/// `ptr` is NULL with `count` 0, or points at `count` readable items.
pub(crate) unsafe fn c_slice<'a, T>(ptr: *const T, count: usize, what: &str) -> Result<&'a [T]> {
    if count == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        iree_bail!(InvalidArgument, "`{what}` is NULL but {count} are given");
    }
    // SAFETY: forwarded contract.
    Ok(unsafe { std::slice::from_raw_parts(ptr, count) })
}

/// The timepoints of a C semaphore list (each semaphore a new Arc).
///
/// # Safety
/// The list's arrays hold `count` live entries.
pub(crate) unsafe fn timepoints(list: &iree_hal_semaphore_list_t) -> Result<Timepoints> {
    // SAFETY: forwarded contract.
    let semaphores = unsafe { c_slice(list.semaphores, list.count, "semaphores") }?;
    // SAFETY: forwarded contract.
    let values = unsafe { c_slice(list.payload_values, list.count, "payload_values") }?;
    semaphores
        .iter()
        .zip(values)
        .map(|(&semaphore, &value)| {
            // SAFETY: a live semaphore (API contract).
            let semaphore = unsafe { Arg::new(semaphore, "semaphores[i]").hal() }?;
            Ok((semaphore, value))
        })
        .collect()
}

/// # Safety
/// `table`'s array holds `count` entries of live (or NULL) buffers.
pub(crate) unsafe fn binding_entries(
    table: &iree_hal_buffer_binding_table_t,
) -> Result<Vec<Binding>> {
    // SAFETY: forwarded contract.
    let bindings = unsafe { c_slice(table.bindings, table.count, "bindings") }?;
    bindings
        .iter()
        .map(|binding| {
            let buffer = if binding.buffer.is_null() {
                None
            } else {
                // SAFETY: a live buffer (API contract).
                Some(unsafe { Arg::new(binding.buffer, "bindings[i].buffer").hal() }?)
            };
            Ok(Binding {
                buffer,
                offset: binding.offset,
                length: binding.length,
            })
        })
        .collect()
}

fn parse_wait_mode(mode: iree_hal_wait_mode_t) -> Result<WaitMode> {
    match mode {
        0 => Ok(WaitMode::All),
        1 => Ok(WaitMode::Any),
        _ => iree_bail!(InvalidArgument, "unknown wait mode {mode}"),
    }
}

/// Adds a reference to `device`, which the caller then owns. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_retain(device: *mut iree_hal_device_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live device (API contract).
        unsafe { handle::retain(device) };
        Ok(())
    })
}

/// Releases one reference to `device`; the last one frees it. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_release(device: *mut iree_hal_device_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live device the caller holds a reference on.
        unsafe { handle::release(device) };
        Ok(())
    })
}

/// Frees `device` (for implementations; callers use `iree_hal_device_release`).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_destroy(device: *mut iree_hal_device_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a device whose last reference the caller owns.
        unsafe { handle::destroy(device) };
        Ok(())
    })
}

/// The device's id, e.g. `local-sync`; borrowed, valid while `device` lives.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_id(device: *mut iree_hal_device_t) -> iree_string_view_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        Ok(iree_string_view_t::of(device.id()))
    })
}

/// The allocator for host-side allocations (the system allocator).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_host_allocator(
    device: *mut iree_hal_device_t,
) -> iree_allocator_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live device (API contract).
        unsafe { arg!(device).hal_ref() }?;
        Ok(iree_allocator_t::system())
    })
}

/// The device's buffer allocator: borrowed (valid while `device` lives;
/// retain it to keep it longer). NULL for NULL or a device without one.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_allocator(
    device: *mut iree_hal_device_t,
) -> *mut iree_hal_allocator_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        Ok(device.lend_allocator()?.cast::<iree_hal_allocator_t>())
    })
}

/// Releases cached resources.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_trim(device: *mut iree_hal_device_t) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        device.trim()
    })
}

/// Writes the 32-bit value of configuration `category :: key` to `*out_value`
/// (0 on failure): NOT_FOUND for unknown keys, OUT_OF_RANGE past 32 bits.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_query_i32(
    device: *mut iree_hal_device_t,
    category: iree_string_view_t,
    key: iree_string_view_t,
    out_value: *mut i32,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's slot (API contract).
        let out_value = unsafe { arg!(out_value).out() }?;
        out_value.write(0);
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        // SAFETY: views of live bytes (API contract).
        let (category, key) = unsafe { (category.as_bytes(), key.as_bytes()) };
        let value = device.query_i32(
            &String::from_utf8_lossy(category),
            &String::from_utf8_lossy(key),
        )?;
        out_value.write(value);
        Ok(())
    })
}

/// 3.13: the 64-bit value of configuration `category :: key` (0 on failure).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_query_i64(
    device: *mut iree_hal_device_t,
    category: iree_string_view_t,
    key: iree_string_view_t,
    out_value: *mut i64,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's slot (API contract).
        let out_value = unsafe { arg!(out_value).out() }?;
        out_value.write(0);
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        // SAFETY: views of live bytes (API contract).
        let (category, key) = unsafe { (category.as_bytes(), key.as_bytes()) };
        let value = device.query_i64(
            &String::from_utf8_lossy(category),
            &String::from_utf8_lossy(key),
        )?;
        out_value.write(value);
        Ok(())
    })
}

/// One side of a transfer: host memory (borrowed for the call) or a buffer.
enum TransferSide {
    Host(iree_byte_span_t),
    Device(Arc<Buffer>),
}

/// # Safety
/// A device side's buffer is live.
unsafe fn transfer_side(side: iree_hal_transfer_buffer_t) -> Result<TransferSide> {
    if side.device_buffer.is_null() {
        Ok(TransferSide::Host(side.host_buffer))
    } else {
        let buffer = side.device_buffer;
        // SAFETY: forwarded contract.
        Ok(TransferSide::Device(unsafe { arg!(buffer).hal() }?))
    }
}

/// The byte range `offset..offset + length` of a host span, checked
/// against its length (OUT_OF_RANGE) and NULL data (INVALID_ARGUMENT).
fn host_range(
    span: iree_byte_span_t,
    offset: iree_device_size_t,
    length: iree_device_size_t,
) -> Result<std::ops::Range<usize>> {
    if span.data.is_null() {
        iree_bail!(InvalidArgument, "host transfer buffer is NULL");
    }
    let size = span.data_length;
    usize::try_from(offset)
        .ok()
        .zip(usize::try_from(length).ok())
        .and_then(|(o, l)| Some(o..o.checked_add(l)?))
        .filter(|range| range.end <= size)
        .ok_or_else(|| {
            iree_err!(
                OutOfRange,
                "host transfer range (offset={offset}, length={length}) is outside the {size}-byte span"
            )
        })
}

/// Copies `data_length` bytes between host memory and buffers (the copy
/// is done before this returns, so `timeout` is not needed). Host spans
/// and buffers are borrowed for the call; host ranges may overlap.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_transfer_range(
    device: *mut iree_hal_device_t,
    source: iree_hal_transfer_buffer_t,
    source_offset: iree_device_size_t,
    target: iree_hal_transfer_buffer_t,
    target_offset: iree_device_size_t,
    data_length: iree_device_size_t,
    flags: iree_hal_transfer_buffer_flags_t,
    timeout: iree_timeout_t,
) -> iree_status_t {
    let _ = (flags, timeout);
    ffi_boundary(|| {
        // SAFETY: forwarded API contract.
        unsafe {
            transfer(
                device,
                source,
                source_offset,
                target,
                target_offset,
                data_length,
            )
        }
    })
}

/// `iree_hal_device_transfer_range`'s body, shared by the h2d/d2h/d2d forms.
///
/// # Safety
/// `device` is NULL or live; host spans and buffers are live for the call.
unsafe fn transfer(
    device: *mut iree_hal_device_t,
    source: iree_hal_transfer_buffer_t,
    source_offset: iree_device_size_t,
    target: iree_hal_transfer_buffer_t,
    target_offset: iree_device_size_t,
    data_length: iree_device_size_t,
) -> Result<()> {
    {
        // SAFETY: NULL or a live device (API contract).
        unsafe { arg!(device).hal_ref() }?;
        if data_length == 0 {
            return Ok(());
        }
        // SAFETY: live buffers (API contract).
        let (source, target) = unsafe { (transfer_side(source)?, transfer_side(target)?) };
        match (source, target) {
            (TransferSide::Host(src), TransferSide::Host(dst)) => {
                let from = host_range(src, source_offset, data_length)?;
                let to = host_range(dst, target_offset, data_length)?;
                // SAFETY: both ranges lie in spans the caller keeps live
                // (API contract); `copy` allows them to overlap.
                unsafe {
                    std::ptr::copy(
                        src.data.add(from.start).cast_const(),
                        dst.data.add(to.start),
                        from.len(),
                    )
                };
                Ok(())
            }
            (TransferSide::Host(src), TransferSide::Device(dst)) => {
                let from = host_range(src, source_offset, data_length)?;
                // SAFETY: a live span (API contract), range checked above.
                let bytes = unsafe { src.as_bytes() };
                dst.map_write(target_offset, &bytes[from])
            }
            (TransferSide::Device(src), TransferSide::Host(dst)) => {
                let to = host_range(dst, target_offset, data_length)?;
                // SAFETY: a live span the caller lends for writing (API
                // contract), range checked above.
                let bytes = unsafe { dst.as_bytes_mut() };
                src.map_read(source_offset, &mut bytes[to])
            }
            (TransferSide::Device(src), TransferSide::Device(dst)) => {
                Buffer::map_copy(&src, source_offset, &dst, target_offset, data_length)
            }
        }
    }
}

/// Copies `data_length` bytes from host memory `source` into `target`
/// (both borrowed for the call) before returning.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_transfer_h2d(
    device: *mut iree_hal_device_t,
    source: *const c_void,
    target: *mut iree_hal_buffer_t,
    target_offset: iree_device_size_t,
    data_length: iree_device_size_t,
    flags: iree_hal_transfer_buffer_flags_t,
    timeout: iree_timeout_t,
) -> iree_status_t {
    // Transfers finish before returning; there is nothing to time out.
    let _ = (flags, timeout);
    ffi_boundary(|| {
        let length = usize::try_from(data_length)
            .map_err(|_| iree_err!(OutOfRange, "transfer of {data_length} bytes is too large"))?;
        let host = iree_byte_span_t {
            data: source.cast_mut().cast(),
            data_length: length,
        };
        if source.is_null() && length != 0 {
            iree_bail!(InvalidArgument, "`source` is NULL");
        }
        if target.is_null() {
            iree_bail!(InvalidArgument, "`target` is NULL");
        }
        // SAFETY: forwarded contract (source holds data_length bytes).
        unsafe {
            transfer(
                device,
                iree_hal_transfer_buffer_t {
                    host_buffer: host,
                    device_buffer: std::ptr::null_mut(),
                },
                0,
                iree_hal_transfer_buffer_t {
                    host_buffer: iree_byte_span_t::EMPTY,
                    device_buffer: target,
                },
                target_offset,
                data_length,
            )
        }
    })
}

/// Copies `data_length` bytes of `source` into host memory `target`
/// (both borrowed for the call) before returning.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_transfer_d2h(
    device: *mut iree_hal_device_t,
    source: *mut iree_hal_buffer_t,
    source_offset: iree_device_size_t,
    target: *mut c_void,
    data_length: iree_device_size_t,
    flags: iree_hal_transfer_buffer_flags_t,
    timeout: iree_timeout_t,
) -> iree_status_t {
    // Transfers finish before returning; there is nothing to time out.
    let _ = (flags, timeout);
    ffi_boundary(|| {
        let length = usize::try_from(data_length)
            .map_err(|_| iree_err!(OutOfRange, "transfer of {data_length} bytes is too large"))?;
        if target.is_null() && length != 0 {
            iree_bail!(InvalidArgument, "`target` is NULL");
        }
        if source.is_null() {
            iree_bail!(InvalidArgument, "`source` is NULL");
        }
        // SAFETY: forwarded contract (target holds data_length bytes).
        unsafe {
            transfer(
                device,
                iree_hal_transfer_buffer_t {
                    host_buffer: iree_byte_span_t::EMPTY,
                    device_buffer: source,
                },
                source_offset,
                iree_hal_transfer_buffer_t {
                    host_buffer: iree_byte_span_t {
                        data: target.cast(),
                        data_length: length,
                    },
                    device_buffer: std::ptr::null_mut(),
                },
                0,
                data_length,
            )
        }
    })
}

/// Copies `data_length` bytes between two buffers (borrowed for the
/// call) before returning.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_transfer_d2d(
    device: *mut iree_hal_device_t,
    source: *mut iree_hal_buffer_t,
    source_offset: iree_device_size_t,
    target: *mut iree_hal_buffer_t,
    target_offset: iree_device_size_t,
    data_length: iree_device_size_t,
    flags: iree_hal_transfer_buffer_flags_t,
    timeout: iree_timeout_t,
) -> iree_status_t {
    // Transfers finish before returning; there is nothing to time out.
    let _ = (flags, timeout);
    ffi_boundary(|| {
        if source.is_null() {
            iree_bail!(InvalidArgument, "`source` is NULL");
        }
        if target.is_null() {
            iree_bail!(InvalidArgument, "`target` is NULL");
        }
        let side = |buffer| iree_hal_transfer_buffer_t {
            host_buffer: iree_byte_span_t::EMPTY,
            device_buffer: buffer,
        };
        // SAFETY: forwarded contract.
        unsafe {
            transfer(
                device,
                side(source),
                source_offset,
                side(target),
                target_offset,
                data_length,
            )
        }
    })
}

/// Waits for `wait_semaphore` to reach `wait_value` (NULL: no wait), then
/// runs the transfer commands in order.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_transfer_and_wait(
    device: *mut iree_hal_device_t,
    wait_semaphore: *mut iree_hal_semaphore_t,
    wait_value: u64,
    transfer_count: iree_host_size_t,
    transfer_commands: *const iree_hal_transfer_command_t,
    timeout: iree_timeout_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        let timeout = Timeout::from(timeout);
        if !wait_semaphore.is_null() {
            // SAFETY: a live semaphore (API contract).
            let semaphore = unsafe { arg!(wait_semaphore).hal_ref() }?;
            semaphore.wait(wait_value, timeout)?;
        }
        // SAFETY: `transfer_count` live commands (API contract).
        let commands = unsafe { c_slice(transfer_commands, transfer_count, "transfer_commands") }?;
        // SAFETY: as above.
        let command_buffer = unsafe {
            transfer_command_buffer(
                device,
                CommandBufferMode::ONE_SHOT,
                QUEUE_AFFINITY_ANY,
                commands,
            )
        }?;
        let done = Arc::new(crate::hal::semaphore::Semaphore::new(0));
        device.queue_execute(
            QUEUE_AFFINITY_ANY,
            Vec::new(),
            vec![(done.clone(), 1)],
            Some(Arc::new(command_buffer)),
            Vec::new(),
        )?;
        done.wait(1, timeout)
    })
}

/// # Safety
/// `batches` holds `batch_count` batches of live objects.
unsafe fn submission_batches(
    batch_count: iree_host_size_t,
    batches: *const iree_hal_submission_batch_t,
) -> Result<Vec<SubmissionBatch>> {
    // SAFETY: forwarded contract.
    let batches = unsafe { c_slice(batches, batch_count, "batches") }?;
    batches
        .iter()
        .map(|batch| {
            // SAFETY: forwarded contract.
            let command_buffers = unsafe {
                c_slice(
                    batch.command_buffers,
                    batch.command_buffer_count,
                    "command_buffers",
                )
            }?
            .iter()
            .map(|&cb| {
                // SAFETY: live command buffers (API contract).
                unsafe { Arg::new(cb, "command_buffers[i]").hal() }
            })
            .collect::<Result<Vec<_>>>()?;
            Ok(SubmissionBatch {
                // SAFETY: forwarded contract.
                waits: unsafe { timepoints(&batch.wait_semaphores) }?,
                command_buffers,
                // SAFETY: forwarded contract.
                signals: unsafe { timepoints(&batch.signal_semaphores) }?,
            })
        })
        .collect()
}

/// Submits batches: each waits for its wait semaphores, runs its command
/// buffers in order and then signals its signal semaphores. On local-sync a
/// batch whose waits are reached runs before this returns; others run when
/// the last wait is signalled. Objects are retained until they ran.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_queue_submit(
    device: *mut iree_hal_device_t,
    command_categories: iree_hal_command_category_t,
    queue_affinity: iree_hal_queue_affinity_t,
    batch_count: iree_host_size_t,
    batches: *const iree_hal_submission_batch_t,
) -> iree_status_t {
    let _ = command_categories;
    ffi_boundary(|| {
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        // SAFETY: live batches (API contract).
        let batches = unsafe { submission_batches(batch_count, batches) }?;
        device.queue_submit(queue_affinity, batches)
    })
}

/// [`iree_hal_device_queue_submit`] then a wait for `wait_semaphore` to
/// reach `wait_value` (DEADLINE_EXCEEDED when `timeout` passes first).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_submit_and_wait(
    device: *mut iree_hal_device_t,
    command_categories: iree_hal_command_category_t,
    queue_affinity: iree_hal_queue_affinity_t,
    batch_count: iree_host_size_t,
    batches: *const iree_hal_submission_batch_t,
    wait_semaphore: *mut iree_hal_semaphore_t,
    wait_value: u64,
    timeout: iree_timeout_t,
) -> iree_status_t {
    let _ = command_categories;
    ffi_boundary(|| {
        // SAFETY: NULL or a live semaphore (API contract).
        let semaphore = unsafe { arg!(wait_semaphore).hal_ref() }?;
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        // SAFETY: live batches (API contract).
        let batches = unsafe { submission_batches(batch_count, batches) }?;
        device.queue_submit(queue_affinity, batches)?;
        semaphore.wait(wait_value, Timeout::from(timeout))
    })
}

/// Blocks until all (mode 0) or any (mode 1) of the semaphores in
/// `semaphore_list` (borrowed for the call; NULL or empty: nothing to wait
/// for) reach their values: DEADLINE_EXCEEDED on timeout, ABORTED when one
/// has failed.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_wait_semaphores(
    device: *mut iree_hal_device_t,
    wait_mode: iree_hal_wait_mode_t,
    semaphore_list: *const iree_hal_semaphore_list_t,
    timeout: iree_timeout_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        // SAFETY: NULL (no semaphores) or a live list (API contract).
        let timepoints = match unsafe { semaphore_list.as_ref() } {
            // SAFETY: as above.
            Some(list) => unsafe { timepoints(list) }?,
            None => Vec::new(),
        };
        let refs: Vec<_> = timepoints.iter().map(|(s, v)| (s.as_ref(), *v)).collect();
        device.wait_semaphores(parse_wait_mode(wait_mode)?, &refs, Timeout::from(timeout))
    })
}

/// Blocks until the device has no queued work left.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_wait_idle(
    device: *mut iree_hal_device_t,
    timeout: iree_timeout_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        device.wait_idle(Timeout::from(timeout))
    })
}

/// 3.13: a barrier on the queue: `signal_semaphore_list` is signalled once
/// `wait_semaphore_list` is reached. Lists are borrowed for the call.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_queue_barrier(
    device: *mut iree_hal_device_t,
    queue_affinity: iree_hal_queue_affinity_t,
    wait_semaphore_list: iree_hal_semaphore_list_t,
    signal_semaphore_list: iree_hal_semaphore_list_t,
    flags: u64,
) -> iree_status_t {
    let _ = flags;
    ffi_boundary(|| {
        // SAFETY: NULL or a live device; live lists (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        // SAFETY: as above.
        let (waits, signals) = unsafe {
            (
                timepoints(&wait_semaphore_list)?,
                timepoints(&signal_semaphore_list)?,
            )
        };
        device.queue_barrier(queue_affinity, waits, signals)
    })
}

/// 3.13: runs `command_buffer` (NULL: a barrier) once the waits are
/// reached, resolving its binding-table slots through `binding_table`, then
/// signals. The command buffer and table buffers are retained until it ran.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_queue_execute(
    device: *mut iree_hal_device_t,
    queue_affinity: iree_hal_queue_affinity_t,
    wait_semaphore_list: iree_hal_semaphore_list_t,
    signal_semaphore_list: iree_hal_semaphore_list_t,
    command_buffer: *mut iree_hal_command_buffer_t,
    binding_table: iree_hal_buffer_binding_table_t,
    flags: u64,
) -> iree_status_t {
    let _ = flags;
    ffi_boundary(|| {
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        let command_buffer = if command_buffer.is_null() {
            None
        } else {
            // SAFETY: a live command buffer (API contract).
            Some(unsafe { arg!(command_buffer).hal() }?)
        };
        // SAFETY: live lists and table (API contract).
        let (waits, signals, table) = unsafe {
            (
                timepoints(&wait_semaphore_list)?,
                timepoints(&signal_semaphore_list)?,
                binding_entries(&binding_table)?,
            )
        };
        device.queue_execute(queue_affinity, waits, signals, command_buffer, table)
    })
}

/// 3.13: fills `length` bytes of `target_buffer` at `target_offset` with a
/// 1, 2 or 4 byte pattern once the waits are reached.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_queue_fill(
    device: *mut iree_hal_device_t,
    queue_affinity: iree_hal_queue_affinity_t,
    wait_semaphore_list: iree_hal_semaphore_list_t,
    signal_semaphore_list: iree_hal_semaphore_list_t,
    target_buffer: *mut iree_hal_buffer_t,
    target_offset: iree_device_size_t,
    length: iree_device_size_t,
    pattern: *const c_void,
    pattern_length: iree_host_size_t,
    flags: u64,
) -> iree_status_t {
    let _ = flags;
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        // SAFETY: as above.
        let target = unsafe { arg!(target_buffer).hal() }?;
        // SAFETY: `pattern_length` readable bytes (API contract).
        let pattern = unsafe { c_slice(pattern.cast::<u8>(), pattern_length, "pattern") }?;
        // SAFETY: live lists (API contract).
        let (waits, signals) = unsafe {
            (
                timepoints(&wait_semaphore_list)?,
                timepoints(&signal_semaphore_list)?,
            )
        };
        device.queue_fill(
            queue_affinity,
            waits,
            signals,
            target,
            target_offset,
            length,
            pattern,
        )
    })
}

/// 3.13: copies `length` host bytes at `source_buffer + source_offset`
/// (captured before this returns) into `target_buffer`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_queue_update(
    device: *mut iree_hal_device_t,
    queue_affinity: iree_hal_queue_affinity_t,
    wait_semaphore_list: iree_hal_semaphore_list_t,
    signal_semaphore_list: iree_hal_semaphore_list_t,
    source_buffer: *const c_void,
    source_offset: iree_host_size_t,
    target_buffer: *mut iree_hal_buffer_t,
    target_offset: iree_device_size_t,
    length: iree_device_size_t,
    flags: u64,
) -> iree_status_t {
    let _ = flags;
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        // SAFETY: as above.
        let target = unsafe { arg!(target_buffer).hal() }?;
        let length = usize::try_from(length)
            .map_err(|_| iree_err!(OutOfRange, "update of {length} bytes is too large"))?;
        let start = source_buffer.cast::<u8>().wrapping_add(source_offset);
        // SAFETY: the source holds `source_offset + length` bytes (API contract).
        let data = unsafe { c_slice(start, length, "source_buffer") }?;
        // SAFETY: live lists (API contract).
        let (waits, signals) = unsafe {
            (
                timepoints(&wait_semaphore_list)?,
                timepoints(&signal_semaphore_list)?,
            )
        };
        device.queue_update(queue_affinity, waits, signals, data, target, target_offset)
    })
}

/// 3.13: copies `length` bytes between buffers once the waits are reached.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_queue_copy(
    device: *mut iree_hal_device_t,
    queue_affinity: iree_hal_queue_affinity_t,
    wait_semaphore_list: iree_hal_semaphore_list_t,
    signal_semaphore_list: iree_hal_semaphore_list_t,
    source_buffer: *mut iree_hal_buffer_t,
    source_offset: iree_device_size_t,
    target_buffer: *mut iree_hal_buffer_t,
    target_offset: iree_device_size_t,
    length: iree_device_size_t,
    flags: u64,
) -> iree_status_t {
    let _ = flags;
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        // SAFETY: as above.
        let (source, target) = unsafe { (arg!(source_buffer).hal()?, arg!(target_buffer).hal()?) };
        // SAFETY: live lists (API contract).
        let (waits, signals) = unsafe {
            (
                timepoints(&wait_semaphore_list)?,
                timepoints(&signal_semaphore_list)?,
            )
        };
        device.queue_copy(
            queue_affinity,
            waits,
            signals,
            source,
            source_offset,
            target,
            target_offset,
            length,
        )
    })
}

/// 3.13: a new buffer of `allocation_size` bytes (`*out_buffer`, owned by
/// the caller) usable once `signal_semaphore_list` is reached.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_queue_alloca(
    device: *mut iree_hal_device_t,
    queue_affinity: iree_hal_queue_affinity_t,
    wait_semaphore_list: iree_hal_semaphore_list_t,
    signal_semaphore_list: iree_hal_semaphore_list_t,
    memory_type: iree_hal_memory_type_t,
    buffer_usage: iree_hal_buffer_usage_t,
    allocation_size: iree_device_size_t,
    out_buffer: *mut *mut iree_hal_buffer_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's slot (API contract).
        let out_buffer = unsafe { arg!(out_buffer).out() }?;
        out_buffer.write(std::ptr::null_mut());
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        // SAFETY: live lists (API contract).
        let (waits, signals) = unsafe {
            (
                timepoints(&wait_semaphore_list)?,
                timepoints(&signal_semaphore_list)?,
            )
        };
        let params = BufferParams {
            memory_type: crate::hal::memory::MemoryType::from_bits_retain(memory_type),
            usage: crate::hal::memory::BufferUsage::from_bits_retain(buffer_usage),
            ..Default::default()
        };
        let buffer =
            device.queue_alloca(queue_affinity, waits, signals, params, allocation_size)?;
        out_buffer.write(handle::hal_into_ptr(&buffer));
        Ok(())
    })
}

/// 3.13: releases the queue's use of `buffer` once the waits are reached.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_queue_dealloca(
    device: *mut iree_hal_device_t,
    queue_affinity: iree_hal_queue_affinity_t,
    wait_semaphore_list: iree_hal_semaphore_list_t,
    signal_semaphore_list: iree_hal_semaphore_list_t,
    buffer: *mut iree_hal_buffer_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        // SAFETY: as above.
        let buffer = unsafe { arg!(buffer).hal() }?;
        // SAFETY: live lists (API contract).
        let (waits, signals) = unsafe {
            (
                timepoints(&wait_semaphore_list)?,
                timepoints(&signal_semaphore_list)?,
            )
        };
        device.queue_dealloca(queue_affinity, waits, signals, buffer)
    })
}

/// 3.13: flushes queued work (nothing to do on local devices).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_device_queue_flush(
    device: *mut iree_hal_device_t,
    queue_affinity: iree_hal_queue_affinity_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        device.queue_flush(queue_affinity)
    })
}
