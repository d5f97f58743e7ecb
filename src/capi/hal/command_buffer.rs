//! `iree/hal/command_buffer.h`: recording command buffers. Every command
//! is validated as it is recorded (the seeds' validation layer is always
//! on); buffers named by commands are retained until the command buffer
//! goes.

use std::ffi::{c_int, c_void};
use std::sync::Arc;

use crate::abi::string_view::{iree_host_size_t, iree_string_view_t};
use crate::capi::base::bitfield::iree_bitfield_string_temp_t;
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::buffer::{iree_device_size_t, iree_hal_buffer_t, iree_hal_queue_affinity_t};
use crate::capi::hal::descriptor_set::{
    descriptor_bindings, iree_hal_descriptor_set_binding_t, iree_hal_descriptor_set_t,
};
use crate::capi::hal::device::{c_slice, iree_hal_device_t};
use crate::capi::hal::event::iree_hal_event_t;
use crate::capi::hal::executable::iree_hal_executable_t;
use crate::capi::hal::executable_layout::iree_hal_executable_layout_t;
use crate::capi::handle::{self, arg, Arg, Castable, Resource};
use crate::hal::command_buffer::{
    BufferRef, CommandBuffer, CommandBufferMode, CommandCategory, Workgroups,
};
use crate::hal::device::DeviceResource;
use crate::{iree_bail, Result};

/// `iree_hal_command_buffer_t`: opaque; a command buffer of this runtime.
pub struct iree_hal_command_buffer_t {
    _private: [u8; 0],
}

impl Castable for iree_hal_command_buffer_t {
    type Ownership = Resource;
    type RustType = CommandBuffer;
}

/// `iree_hal_command_buffer_mode_t` (bits in iree/hal/command_buffer.h).
pub type iree_hal_command_buffer_mode_t = u32;
/// `iree_hal_command_category_t`.
pub type iree_hal_command_category_t = u32;
/// `iree_hal_execution_stage_t`.
pub type iree_hal_execution_stage_t = u32;
/// `iree_hal_execution_barrier_flags_t`.
pub type iree_hal_execution_barrier_flags_t = u32;
/// `iree_hal_access_scope_t`.
pub type iree_hal_access_scope_t = u32;

/// A global memory barrier.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_memory_barrier_t {
    pub source_scope: iree_hal_access_scope_t,
    pub target_scope: iree_hal_access_scope_t,
}

/// A barrier on a range of one buffer.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_buffer_barrier_t {
    pub source_scope: iree_hal_access_scope_t,
    pub target_scope: iree_hal_access_scope_t,
    pub buffer: *mut iree_hal_buffer_t,
    pub offset: iree_device_size_t,
    pub length: iree_device_size_t,
}

/// A debug label's color.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_label_color_t {
    pub r: u8,
    pub g: u8,
    pub b: u8,
    pub a: u8,
}

/// A debug label's source location.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_hal_label_location_t {
    pub file: iree_string_view_t,
    pub line: c_int,
}

/// Fill payload of `iree_hal_transfer_command_t` (C: iree/abi/hal_types.h).
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy)]
pub struct iree_hal_transfer_fill_t {
    pub target_buffer: *mut iree_hal_buffer_t,
    pub target_offset: iree_device_size_t,
    pub length: iree_device_size_t,
    pub pattern: *const c_void,
    pub pattern_length: iree_host_size_t,
}

/// Copy payload of `iree_hal_transfer_command_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy)]
pub struct iree_hal_transfer_copy_t {
    pub source_buffer: *mut iree_hal_buffer_t,
    pub source_offset: iree_device_size_t,
    pub target_buffer: *mut iree_hal_buffer_t,
    pub target_offset: iree_device_size_t,
    pub length: iree_device_size_t,
}

/// Update payload of `iree_hal_transfer_command_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy)]
pub struct iree_hal_transfer_update_t {
    pub source_buffer: *const c_void,
    pub source_offset: iree_host_size_t,
    pub target_buffer: *mut iree_hal_buffer_t,
    pub target_offset: iree_device_size_t,
    pub length: iree_device_size_t,
}

/// The anonymous union of `iree_hal_transfer_command_t`.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy)]
pub union iree_hal_transfer_payload_t {
    pub fill: iree_hal_transfer_fill_t,
    pub copy: iree_hal_transfer_copy_t,
    pub update: iree_hal_transfer_update_t,
}

/// `iree_hal_transfer_command_t` (defined in iree/abi/hal_types.h):
/// `type` 0 fill, 1 copy, 2 update.
/// cbindgen:ignore
#[repr(C)]
#[derive(Clone, Copy)]
pub struct iree_hal_transfer_command_t {
    pub r#type: u32,
    pub payload: iree_hal_transfer_payload_t,
}

fn view_bytes(view: iree_string_view_t) -> Vec<u8> {
    // SAFETY: a view of live bytes (API contract).
    unsafe { view.as_bytes() }.to_vec()
}

/// Writes `text` into `temp` and views it ("(error)" if it does not fit).
fn format_into(text: &str, temp: *mut iree_bitfield_string_temp_t) -> iree_string_view_t {
    let error = iree_string_view_t::from_static(b"(error)");
    // SAFETY: NULL or caller-owned storage (API contract).
    let Some(temp) = (unsafe { temp.as_mut() }) else {
        return error;
    };
    if text.len() >= temp.buffer.len() {
        return error;
    }
    for (dst, &src) in temp.buffer.iter_mut().zip(text.as_bytes()) {
        *dst = src as std::ffi::c_char;
    }
    temp.buffer[text.len()] = 0;
    iree_string_view_t {
        data: temp.buffer.as_ptr(),
        size: text.len(),
    }
}

/// The text form of `value` (e.g. `ONE_SHOT|ALLOW_INLINE_EXECUTION`) in
/// `*out_temp`; the view borrows `out_temp`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_mode_format(
    value: iree_hal_command_buffer_mode_t,
    out_temp: *mut iree_bitfield_string_temp_t,
) -> iree_string_view_t {
    ffi_boundary(|| {
        Ok(format_into(
            &CommandBufferMode::from_bits_retain(value).format(),
            out_temp,
        ))
    })
}

/// The text form of `value` (e.g. `TRANSFER|DISPATCH` is `ANY`) in `*out_temp`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_category_format(
    value: iree_hal_command_category_t,
    out_temp: *mut iree_bitfield_string_temp_t,
) -> iree_string_view_t {
    ffi_boundary(|| {
        Ok(format_into(
            &CommandCategory::from_bits_retain(value).format(),
            out_temp,
        ))
    })
}

/// Creates a command buffer for `device`'s queues in the initial state;
/// the caller owns the reference in `*out_command_buffer`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_create(
    device: *mut iree_hal_device_t,
    mode: iree_hal_command_buffer_mode_t,
    command_categories: iree_hal_command_category_t,
    queue_affinity: iree_hal_queue_affinity_t,
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
            0,
        )?;
        out.write(handle::hal_into_ptr(&Arc::new(command_buffer)));
        Ok(())
    })
}

/// Adds a reference, which the caller then owns. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_retain(
    command_buffer: *mut iree_hal_command_buffer_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live command buffer (API contract).
        unsafe { handle::retain(command_buffer) };
        Ok(())
    })
}

/// Releases one reference; the last frees the buffer and what it retains.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_release(
    command_buffer: *mut iree_hal_command_buffer_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live command buffer the caller references.
        unsafe { handle::release(command_buffer) };
        Ok(())
    })
}

/// Frees a command buffer whose last reference the caller owns.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_destroy(
    command_buffer: *mut iree_hal_command_buffer_t,
) {
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        unsafe { handle::destroy(command_buffer) };
        Ok(())
    })
}

/// `command_buffer` itself if its vtable is `vtable`, else NULL (borrowed).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_dyn_cast(
    command_buffer: *mut iree_hal_command_buffer_t,
    vtable: *const c_void,
) -> *mut c_void {
    ffi_boundary(|| {
        if command_buffer.is_null() {
            return Ok(std::ptr::null_mut());
        }
        let header = command_buffer.cast::<crate::abi::hal_resource::iree_hal_resource_t>();
        // SAFETY: a live HAL resource (API contract).
        let own = unsafe { (*header).vtable };
        Ok(if std::ptr::eq(own, vtable) {
            command_buffer.cast()
        } else {
            std::ptr::null_mut()
        })
    })
}

/// The mode bits the buffer was created with (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_mode(
    command_buffer: *const iree_hal_command_buffer_t,
) -> iree_hal_command_buffer_mode_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live command buffer (API contract).
        Ok(unsafe { arg!(command_buffer).hal_ref() }?.mode().bits())
    })
}

/// The command categories the buffer accepts (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_allowed_categories(
    command_buffer: *const iree_hal_command_buffer_t,
) -> iree_hal_command_category_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live command buffer (API contract).
        Ok(unsafe { arg!(command_buffer).hal_ref() }?
            .allowed_categories()
            .bits())
    })
}

/// Borrows the command buffer behind `ptr`.
///
/// # Safety
/// NULL or a live command buffer.
unsafe fn recording<'a>(ptr: *mut iree_hal_command_buffer_t) -> Result<&'a CommandBuffer> {
    // SAFETY: forwarded contract.
    unsafe { Arg::new(ptr, "command_buffer").hal_ref() }
}

/// A direct buffer reference.
///
/// # Safety
/// NULL or a live buffer.
unsafe fn direct(
    buffer: *mut iree_hal_buffer_t,
    name: &'static str,
    offset: iree_device_size_t,
    length: iree_device_size_t,
) -> Result<BufferRef> {
    // SAFETY: forwarded contract.
    let buffer = unsafe { Arg::new(buffer, name).hal() }?;
    Ok(BufferRef::direct(&buffer, offset, length))
}

/// Starts recording (FAILED_PRECONDITION unless in the initial state).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_begin(
    command_buffer: *mut iree_hal_command_buffer_t,
) -> iree_status_t {
    // SAFETY: NULL or a live command buffer (API contract).
    ffi_boundary(|| unsafe { recording(command_buffer) }?.begin())
}

/// Ends recording; the buffer can then be submitted.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_end(
    command_buffer: *mut iree_hal_command_buffer_t,
) -> iree_status_t {
    // SAFETY: NULL or a live command buffer (API contract).
    ffi_boundary(|| unsafe { recording(command_buffer) }?.end())
}

/// Opens a debug group (groups must balance by `end`).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_begin_debug_group(
    command_buffer: *mut iree_hal_command_buffer_t,
    label: iree_string_view_t,
    label_color: iree_hal_label_color_t,
    location: *const iree_hal_label_location_t,
) {
    let _ = (label_color, location);
    ffi_boundary(|| {
        let label = String::from_utf8_lossy(&view_bytes(label)).into_owned();
        // SAFETY: NULL or a live command buffer (API contract).
        unsafe { recording(command_buffer) }?.begin_debug_group(&label)
    })
}

/// Closes the innermost debug group.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_end_debug_group(
    command_buffer: *mut iree_hal_command_buffer_t,
) {
    // SAFETY: NULL or a live command buffer (API contract).
    ffi_boundary(|| unsafe { recording(command_buffer) }?.end_debug_group())
}

/// Records an execution barrier (its buffers must be live; they are only
/// checked, since local execution is in order).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_execution_barrier(
    command_buffer: *mut iree_hal_command_buffer_t,
    source_stage_mask: iree_hal_execution_stage_t,
    target_stage_mask: iree_hal_execution_stage_t,
    flags: iree_hal_execution_barrier_flags_t,
    memory_barrier_count: iree_host_size_t,
    memory_barriers: *const iree_hal_memory_barrier_t,
    buffer_barrier_count: iree_host_size_t,
    buffer_barriers: *const iree_hal_buffer_barrier_t,
) -> iree_status_t {
    let _ = (source_stage_mask, target_stage_mask, flags);
    ffi_boundary(|| {
        // SAFETY: NULL or a live command buffer (API contract).
        let cb = unsafe { recording(command_buffer) }?;
        // SAFETY: arrays of the given counts (API contract).
        unsafe {
            c_slice(memory_barriers, memory_barrier_count, "memory_barriers")?;
            check_buffer_barriers(buffer_barriers, buffer_barrier_count)?;
        }
        cb.execution_barrier()
    })
}

/// # Safety
/// `barriers` holds `count` entries with live buffers.
unsafe fn check_buffer_barriers(
    barriers: *const iree_hal_buffer_barrier_t,
    count: iree_host_size_t,
) -> Result<()> {
    // SAFETY: forwarded contract.
    for barrier in unsafe { c_slice(barriers, count, "buffer_barriers") }? {
        // SAFETY: forwarded contract.
        let buffer = unsafe { Arg::new(barrier.buffer, "buffer_barriers[i].buffer").hal_ref() }?;
        buffer.validate_range(barrier.offset, barrier.length.min(buffer.byte_length()))?;
    }
    Ok(())
}

/// Records setting `event` (a dispatch-category command).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_signal_event(
    command_buffer: *mut iree_hal_command_buffer_t,
    event: *mut iree_hal_event_t,
    source_stage_mask: iree_hal_execution_stage_t,
) -> iree_status_t {
    let _ = source_stage_mask;
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let cb = unsafe { recording(command_buffer) }?;
        // SAFETY: as above.
        let event = unsafe { arg!(event).hal() }?;
        cb.signal_event(&event)
    })
}

/// Records clearing `event`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_reset_event(
    command_buffer: *mut iree_hal_command_buffer_t,
    event: *mut iree_hal_event_t,
    source_stage_mask: iree_hal_execution_stage_t,
) -> iree_status_t {
    let _ = source_stage_mask;
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let cb = unsafe { recording(command_buffer) }?;
        // SAFETY: as above.
        let event = unsafe { arg!(event).hal() }?;
        cb.reset_event(&event)
    })
}

/// Records a wait for `events` (each must have been set by an earlier
/// command when it runs, or execution fails: nothing else could set it).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_wait_events(
    command_buffer: *mut iree_hal_command_buffer_t,
    event_count: iree_host_size_t,
    events: *const *const iree_hal_event_t,
    source_stage_mask: iree_hal_execution_stage_t,
    target_stage_mask: iree_hal_execution_stage_t,
    memory_barrier_count: iree_host_size_t,
    memory_barriers: *const iree_hal_memory_barrier_t,
    buffer_barrier_count: iree_host_size_t,
    buffer_barriers: *const iree_hal_buffer_barrier_t,
) -> iree_status_t {
    let _ = (source_stage_mask, target_stage_mask);
    ffi_boundary(|| {
        // SAFETY: NULL or a live command buffer (API contract).
        let cb = unsafe { recording(command_buffer) }?;
        // SAFETY: arrays of the given counts with live objects (API contract).
        let events = unsafe {
            c_slice(memory_barriers, memory_barrier_count, "memory_barriers")?;
            check_buffer_barriers(buffer_barriers, buffer_barrier_count)?;
            c_slice(events, event_count, "events")?
                .iter()
                .map(|&event| Arg::new(event.cast_mut(), "events[i]").hal())
                .collect::<Result<Vec<_>>>()?
        };
        cb.wait_events(&events)
    })
}

/// Records that `buffer`'s contents may be discarded.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_discard_buffer(
    command_buffer: *mut iree_hal_command_buffer_t,
    buffer: *mut iree_hal_buffer_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let cb = unsafe { recording(command_buffer) }?;
        // SAFETY: as above.
        let buffer = unsafe { direct(buffer, "buffer", 0, crate::hal::buffer::WHOLE_BUFFER) }?;
        cb.discard_buffer(buffer)
    })
}

/// Records a fill of `length` bytes at `target_offset` with a 1, 2 or 4
/// byte `pattern` (copied now); offset and length are multiples of it.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_fill_buffer(
    command_buffer: *mut iree_hal_command_buffer_t,
    target_buffer: *mut iree_hal_buffer_t,
    target_offset: iree_device_size_t,
    length: iree_device_size_t,
    pattern: *const c_void,
    pattern_length: iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let cb = unsafe { recording(command_buffer) }?;
        // SAFETY: as above.
        let target = unsafe { direct(target_buffer, "target_buffer", target_offset, length) }?;
        if pattern.is_null() {
            iree_bail!(InvalidArgument, "`pattern` is NULL");
        }
        // SAFETY: `pattern_length` readable bytes (API contract).
        let pattern = unsafe { c_slice(pattern.cast::<u8>(), pattern_length, "pattern") }?;
        cb.fill_buffer(target, pattern)
    })
}

/// Records a copy of `length` host bytes at `source_buffer + source_offset`
/// (copied now) to `target_buffer` at `target_offset`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_update_buffer(
    command_buffer: *mut iree_hal_command_buffer_t,
    source_buffer: *const c_void,
    source_offset: iree_host_size_t,
    target_buffer: *mut iree_hal_buffer_t,
    target_offset: iree_device_size_t,
    length: iree_device_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let cb = unsafe { recording(command_buffer) }?;
        // SAFETY: as above.
        let target = unsafe { direct(target_buffer, "target_buffer", target_offset, length) }?;
        if source_buffer.is_null() {
            iree_bail!(InvalidArgument, "`source_buffer` is NULL");
        }
        let Ok(count) = usize::try_from(length) else {
            iree_bail!(OutOfRange, "update of {length} bytes is too large");
        };
        let start = source_buffer.cast::<u8>().wrapping_add(source_offset);
        // SAFETY: the source holds `source_offset + length` bytes (API contract).
        let data = unsafe { c_slice(start, count, "source_buffer") }?;
        cb.update_buffer(data, target)
    })
}

/// Records a copy of `length` bytes between two buffers (disjoint ranges).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_copy_buffer(
    command_buffer: *mut iree_hal_command_buffer_t,
    source_buffer: *mut iree_hal_buffer_t,
    source_offset: iree_device_size_t,
    target_buffer: *mut iree_hal_buffer_t,
    target_offset: iree_device_size_t,
    length: iree_device_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let cb = unsafe { recording(command_buffer) }?;
        // SAFETY: as above.
        let (source, target) = unsafe {
            (
                direct(source_buffer, "source_buffer", source_offset, length)?,
                direct(target_buffer, "target_buffer", target_offset, length)?,
            )
        };
        cb.copy_buffer(source, target)
    })
}

/// Sets `values_length` bytes of push constants at byte `offset` (both
/// multiples of 4) for later dispatches.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_push_constants(
    command_buffer: *mut iree_hal_command_buffer_t,
    executable_layout: *mut iree_hal_executable_layout_t,
    offset: iree_host_size_t,
    values: *const c_void,
    values_length: iree_host_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let cb = unsafe { recording(command_buffer) }?;
        // SAFETY: as above.
        let layout = unsafe { arg!(executable_layout).hal_ref() }?;
        // SAFETY: `values_length` readable bytes (API contract).
        let values = unsafe { c_slice(values.cast::<u8>(), values_length, "values") }?;
        cb.push_constants(layout, offset, values)
    })
}

/// Binds `bindings` to set `set` for later dispatches (buffers retained).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_push_descriptor_set(
    command_buffer: *mut iree_hal_command_buffer_t,
    executable_layout: *mut iree_hal_executable_layout_t,
    set: u32,
    binding_count: iree_host_size_t,
    bindings: *const iree_hal_descriptor_set_binding_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let cb = unsafe { recording(command_buffer) }?;
        // SAFETY: as above.
        let layout = unsafe { arg!(executable_layout).hal_ref() }?;
        // SAFETY: `binding_count` entries with live buffers (API contract).
        let bindings = unsafe { descriptor_bindings(bindings, binding_count) }?;
        cb.push_descriptor_set(layout, set, &bindings)
    })
}

/// Binds `descriptor_set` as set `set`; `dynamic_offsets` add to its
/// dynamic bindings in binding order.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_bind_descriptor_set(
    command_buffer: *mut iree_hal_command_buffer_t,
    executable_layout: *mut iree_hal_executable_layout_t,
    set: u32,
    descriptor_set: *mut iree_hal_descriptor_set_t,
    dynamic_offset_count: iree_host_size_t,
    dynamic_offsets: *const iree_device_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let cb = unsafe { recording(command_buffer) }?;
        // SAFETY: as above.
        let layout = unsafe { arg!(executable_layout).hal_ref() }?;
        // SAFETY: as above.
        let descriptor_set = unsafe { arg!(descriptor_set).hal_ref() }?;
        // SAFETY: `dynamic_offset_count` entries (API contract).
        let offsets = unsafe { c_slice(dynamic_offsets, dynamic_offset_count, "dynamic_offsets") }?;
        cb.bind_descriptor_set(layout, set, descriptor_set, offsets)
    })
}

fn entry_point_ordinal(entry_point: i32) -> Result<u32> {
    u32::try_from(entry_point).or_else(|_| {
        iree_bail!(
            InvalidArgument,
            "entry point ordinal {entry_point} is negative"
        )
    })
}

/// Records a dispatch of `entry_point` over the workgroup grid with the
/// pushed constants and bound descriptor sets.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_dispatch(
    command_buffer: *mut iree_hal_command_buffer_t,
    executable: *mut iree_hal_executable_t,
    entry_point: i32,
    workgroup_x: u32,
    workgroup_y: u32,
    workgroup_z: u32,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let cb = unsafe { recording(command_buffer) }?;
        // SAFETY: as above.
        let executable = unsafe { arg!(executable).hal() }?;
        cb.dispatch_with_bound_state(
            &executable,
            entry_point_ordinal(entry_point)?,
            Workgroups::Count([workgroup_x, workgroup_y, workgroup_z]),
        )
    })
}

/// Records a dispatch whose three u32 workgroup counts are read from
/// `workgroups_buffer` at `workgroups_offset` when it runs.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_dispatch_indirect(
    command_buffer: *mut iree_hal_command_buffer_t,
    executable: *mut iree_hal_executable_t,
    entry_point: i32,
    workgroups_buffer: *mut iree_hal_buffer_t,
    workgroups_offset: iree_device_size_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or live objects (API contract).
        let cb = unsafe { recording(command_buffer) }?;
        // SAFETY: as above.
        let executable = unsafe { arg!(executable).hal() }?;
        // SAFETY: as above.
        let params = unsafe {
            direct(
                workgroups_buffer,
                "workgroups_buffer",
                workgroups_offset,
                12,
            )
        }?;
        cb.dispatch_with_bound_state(
            &executable,
            entry_point_ordinal(entry_point)?,
            Workgroups::Indirect(params),
        )
    })
}

/// Records the transfer commands into a new command buffer.
///
/// # Safety
/// Each command's buffers and host pointers are live.
pub(crate) unsafe fn transfer_command_buffer(
    device: &DeviceResource,
    mode: CommandBufferMode,
    queue_affinity: iree_hal_queue_affinity_t,
    commands: &[iree_hal_transfer_command_t],
) -> Result<CommandBuffer> {
    let cb = device.create_command_buffer(mode, CommandCategory::TRANSFER, queue_affinity, 0)?;
    cb.begin()?;
    for command in commands {
        // SAFETY: the union member matching `type` is the one C wrote.
        match command.r#type {
            0 => unsafe {
                let fill = command.payload.fill;
                let target = direct(
                    fill.target_buffer,
                    "target_buffer",
                    fill.target_offset,
                    fill.length,
                )?;
                let pattern = c_slice(fill.pattern.cast::<u8>(), fill.pattern_length, "pattern")?;
                cb.fill_buffer(target, pattern)?;
            },
            1 => unsafe {
                let copy = command.payload.copy;
                let source = direct(
                    copy.source_buffer,
                    "source_buffer",
                    copy.source_offset,
                    copy.length,
                )?;
                let target = direct(
                    copy.target_buffer,
                    "target_buffer",
                    copy.target_offset,
                    copy.length,
                )?;
                cb.copy_buffer(source, target)?;
            },
            2 => unsafe {
                let update = command.payload.update;
                let target = direct(
                    update.target_buffer,
                    "target_buffer",
                    update.target_offset,
                    update.length,
                )?;
                let Ok(count) = usize::try_from(update.length) else {
                    iree_bail!(OutOfRange, "update of {} bytes is too large", update.length);
                };
                let start = update
                    .source_buffer
                    .cast::<u8>()
                    .wrapping_add(update.source_offset);
                cb.update_buffer(c_slice(start, count, "source_buffer")?, target)?;
            },
            other => iree_bail!(InvalidArgument, "unknown transfer command type {other}"),
        }
    }
    cb.end()?;
    Ok(cb)
}

/// A one-shot transfer command buffer with `transfer_commands` recorded and
/// ended; the caller owns the reference in `*out_command_buffer`.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_create_transfer_command_buffer(
    device: *mut iree_hal_device_t,
    mode: iree_hal_command_buffer_mode_t,
    queue_affinity: iree_hal_queue_affinity_t,
    transfer_count: iree_host_size_t,
    transfer_commands: *const iree_hal_transfer_command_t,
    out_command_buffer: *mut *mut iree_hal_command_buffer_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's slot (API contract).
        let out = unsafe { arg!(out_command_buffer).out() }?;
        out.write(std::ptr::null_mut());
        // SAFETY: NULL or a live device (API contract).
        let device = unsafe { arg!(device).hal_ref() }?;
        // SAFETY: `transfer_count` live commands (API contract).
        let cb = unsafe {
            let commands = c_slice(transfer_commands, transfer_count, "transfer_commands")?;
            transfer_command_buffer(
                device,
                CommandBufferMode::from_bits_retain(mode),
                queue_affinity,
                commands,
            )?
        };
        out.write(handle::hal_into_ptr(&Arc::new(cb)));
        Ok(())
    })
}

/// Validation is always on here, so this gives back `target_command_buffer`
/// with a new reference the caller owns.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_command_buffer_wrap_validation(
    device: *mut iree_hal_device_t,
    target_command_buffer: *mut iree_hal_command_buffer_t,
    out_command_buffer: *mut *mut iree_hal_command_buffer_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's slot (API contract).
        let out = unsafe { arg!(out_command_buffer).out() }?;
        out.write(std::ptr::null_mut());
        // SAFETY: NULL or live objects (API contract).
        unsafe { arg!(device).hal_ref() }?;
        // SAFETY: as above.
        let cb = unsafe { arg!(target_command_buffer).hal() }?;
        out.write(handle::hal_into_ptr(&cb));
        Ok(())
    })
}
