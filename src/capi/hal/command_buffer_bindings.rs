//! Recording against a binding table (the 3.13 command buffer model) from
//! C. The seeds' `iree/hal/command_buffer.h` only names buffers directly,
//! and 3.13's versions of these calls reuse the seeds' names with other
//! signatures, so this runtime adds them under names of its own
//! (`*_with_binding_capacity`, `*_ref`). A reusable command buffer recorded
//! with slot references runs many times through
//! `iree_hal_device_queue_execute`, each time with another binding table.

use std::ffi::c_void;
use std::sync::Arc;

use crate::abi::status::iree_status_t;
use crate::abi::string_view::iree_host_size_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::buffer::{iree_device_size_t, iree_hal_buffer_t, iree_hal_queue_affinity_t};
use crate::capi::hal::command_buffer::{
    iree_hal_command_buffer_mode_t, iree_hal_command_buffer_t, iree_hal_command_category_t,
};
use crate::capi::hal::device::{c_slice, iree_hal_device_t};
use crate::capi::handle::{self, arg, Arg};
use crate::hal::command_buffer::{BufferRef, CommandBuffer, CommandBufferMode, CommandCategory};
use crate::{iree_bail, Result};

/// A buffer range a command names: `buffer` itself, or, when `buffer` is
/// NULL, slot `buffer_slot` of the binding table given when the command
/// buffer is executed (`offset` is then relative to that binding's range).
/// Not the layout of 3.13's bitfield struct of the same purpose.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_buffer_ref_t {
    pub buffer_slot: u32,
    pub buffer: *mut iree_hal_buffer_t,
    pub offset: iree_device_size_t,
    pub length: iree_device_size_t,
}

/// The core form of a C buffer reference (a direct buffer is retained by
/// the command that records it).
///
/// # Safety
/// A non-null `buffer` is a live buffer.
unsafe fn buffer_ref(buffer_ref: iree_hal_buffer_ref_t, name: &'static str) -> Result<BufferRef> {
    if buffer_ref.buffer.is_null() {
        return Ok(BufferRef::slot(
            buffer_ref.buffer_slot,
            buffer_ref.offset,
            buffer_ref.length,
        ));
    }
    // SAFETY: forwarded contract.
    let buffer = unsafe { Arg::new(buffer_ref.buffer, name).hal() }?;
    Ok(BufferRef::direct(
        &buffer,
        buffer_ref.offset,
        buffer_ref.length,
    ))
}

/// # Safety
/// NULL or a live command buffer.
unsafe fn recording<'a>(ptr: *mut iree_hal_command_buffer_t) -> Result<&'a CommandBuffer> {
    // SAFETY: forwarded contract.
    unsafe { Arg::new(ptr, "command_buffer").hal_ref() }
}

/// `iree_hal_command_buffer_create` with room for `binding_capacity`
/// binding table slots that `*_ref` commands may name (0: none; one-shot
/// command buffers take none, INVALID_ARGUMENT otherwise). The caller owns
/// the reference in `*out_command_buffer`; `device` is borrowed.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_create_with_binding_capacity(
    device: *mut iree_hal_device_t,
    mode: iree_hal_command_buffer_mode_t,
    command_categories: iree_hal_command_category_t,
    queue_affinity: iree_hal_queue_affinity_t,
    binding_capacity: u32,
    out_command_buffer: *mut *mut iree_hal_command_buffer_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's slot (API contract).
        let out = unsafe { arg!(out_command_buffer).out() }?;
        out.write(std::ptr::null_mut());
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        let command_buffer = device.create_command_buffer(
            CommandBufferMode::from_bits_retain(mode),
            CommandCategory::from_bits_retain(command_categories),
            queue_affinity,
            binding_capacity,
        )?;
        out.write(handle::hal_into_ptr(&Arc::new(command_buffer)));
        Ok(())
    })
}

/// How many binding table slots `command_buffer` was created with (0 for
/// NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_binding_capacity(
    command_buffer: *mut iree_hal_command_buffer_t,
) -> u32 {
    // SAFETY: NULL or a live command buffer (API contract).
    ffi_boundary(|| Ok(unsafe { recording(command_buffer) }?.binding_capacity()))
}

/// Records a fill of `target_ref` with a 1, 2 or 4 byte `pattern` (copied
/// now). A slot past the binding capacity is OUT_OF_RANGE; a slot's
/// buffer is checked against the binding table at execution.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_fill_buffer_ref(
    command_buffer: *mut iree_hal_command_buffer_t,
    target_ref: iree_hal_buffer_ref_t,
    pattern: *const c_void,
    pattern_length: iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let cb = unsafe { recording(command_buffer) }?;
        // SAFETY: as above.
        let target = unsafe { buffer_ref(target_ref, "target_ref.buffer") }?;
        if pattern.is_null() {
            iree_bail!(InvalidArgument, "`pattern` is NULL");
        }
        // SAFETY: `pattern_length` readable bytes (API contract).
        let pattern = unsafe { c_slice(pattern.cast::<u8>(), pattern_length, "pattern") }?;
        cb.fill_buffer(target, pattern)
    })
}

/// Records a copy of `target_ref.length` host bytes at `source_buffer +
/// source_offset` (copied now, so the source may go once this returns)
/// into `target_ref`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_update_buffer_ref(
    command_buffer: *mut iree_hal_command_buffer_t,
    source_buffer: *const c_void,
    source_offset: iree_host_size_t,
    target_ref: iree_hal_buffer_ref_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let cb = unsafe { recording(command_buffer) }?;
        // SAFETY: as above.
        let target = unsafe { buffer_ref(target_ref, "target_ref.buffer") }?;
        if source_buffer.is_null() {
            iree_bail!(InvalidArgument, "`source_buffer` is NULL");
        }
        let Ok(count) = usize::try_from(target_ref.length) else {
            iree_bail!(
                OutOfRange,
                "update of {} bytes is too large",
                target_ref.length
            );
        };
        let start = source_buffer.cast::<u8>().wrapping_add(source_offset);
        // SAFETY: the source holds `source_offset + length` bytes (API contract).
        let data = unsafe { c_slice(start, count, "source_buffer") }?;
        cb.update_buffer(data, target)
    })
}

/// Records a copy of `source_ref.length` bytes from `source_ref` to
/// `target_ref` (lengths must agree; direct ranges must not overlap).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_copy_buffer_ref(
    command_buffer: *mut iree_hal_command_buffer_t,
    source_ref: iree_hal_buffer_ref_t,
    target_ref: iree_hal_buffer_ref_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let cb = unsafe { recording(command_buffer) }?;
        if source_ref.length != target_ref.length {
            iree_bail!(
                InvalidArgument,
                "copy source length {} does not match target length {}",
                source_ref.length,
                target_ref.length
            );
        }
        // SAFETY: as above.
        let (source, target) = unsafe {
            (
                buffer_ref(source_ref, "source_ref.buffer")?,
                buffer_ref(target_ref, "target_ref.buffer")?,
            )
        };
        cb.copy_buffer(source, target)
    })
}
