//! `hal.command_buffer.*`: recording. A command names each buffer either
//! directly or, when the program passes a null buffer, by a slot of the
//! binding table given when the command buffer is executed (reusable
//! command buffers are recorded once at `__init` this way).

use std::sync::Arc;

use crate::hal::buffer::{Buffer, WHOLE_BUFFER};
use crate::hal::command_buffer::{BufferRef, CommandBufferMode, CommandCategory, Workgroups};
use crate::modules::hal::call::{device_size, host_size, vm_buffer, vm_string, Args, Rets};
use crate::modules::hal::types::{
    deref, to_arc_or_null, to_ref, CommandBufferObject, DeviceObject, ExecutableObject,
};
use crate::modules::hal::Context;
use crate::vm::cconv::REF_SIZE;
use crate::vm::r#ref::Ref;
use crate::{iree_ensure, iree_err, Result};

/// A buffer reference: the buffer when one is given, else `slot`.
fn buffer_ref(buffer: &Ref, slot: i32, offset: i64, length: i64, what: &str) -> Result<BufferRef> {
    let offset = device_size(offset, &format!("{what} offset"))?;
    let length = device_size(length, &format!("{what} length"))?;
    Ok(match to_arc_or_null::<Buffer>(buffer, what)? {
        Some(buffer) => BufferRef::direct(&buffer, offset, length),
        None => {
            let slot = u32::try_from(slot)
                .map_err(|_| iree_err!(OutOfRange, "{what} binding slot {slot} is negative"))?;
            BufferRef::slot(slot, offset, length)
        }
    })
}

fn command_buffer(r: &Ref) -> Result<&CommandBufferObject> {
    deref::<CommandBufferObject>(r, "command buffer")
}

/// Creates a command buffer and begins recording (as upstream's does).
pub fn create(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let device = args.r()?;
    let mode = args.i32()?;
    let categories = args.i32()?;
    let queue_affinity = args.i64()? as u64;
    let binding_capacity = args.i32()?;
    args.finish()?;
    let device = deref::<DeviceObject>(&device, "device")?;
    let binding_capacity = u32::try_from(binding_capacity).map_err(|_| {
        iree_err!(
            InvalidArgument,
            "binding capacity {binding_capacity} is negative"
        )
    })?;
    let command_buffer = device.device().create_command_buffer(
        CommandBufferMode::from_bits_retain(mode as u32),
        CommandCategory::from_bits_retain(categories as u32),
        queue_affinity,
        binding_capacity,
    )?;
    command_buffer.begin()?;
    Ok(Rets::Ref(to_ref(&CommandBufferObject::new(Arc::new(
        command_buffer,
    )))))
}

pub fn finalize(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let command_buffer_ref = args.r()?;
    args.finish()?;
    command_buffer(&command_buffer_ref)?
        .command_buffer()
        .end()?;
    Ok(Rets::None)
}

pub fn begin_debug_group(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let command_buffer_ref = args.r()?;
    let label = args.r()?;
    args.finish()?;
    let label = vm_string(&label, "label")?;
    command_buffer(&command_buffer_ref)?
        .command_buffer()
        .begin_debug_group(&label)?;
    Ok(Rets::None)
}

pub fn end_debug_group(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let command_buffer_ref = args.r()?;
    args.finish()?;
    command_buffer(&command_buffer_ref)?
        .command_buffer()
        .end_debug_group()?;
    Ok(Rets::None)
}

/// Stage masks and flags only order work, which local devices already run
/// in order.
pub fn execution_barrier(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let command_buffer_ref = args.r()?;
    let _source_stages = args.i32()?;
    let _target_stages = args.i32()?;
    let _flags = args.i64()?;
    args.finish()?;
    command_buffer(&command_buffer_ref)?
        .command_buffer()
        .execution_barrier()?;
    Ok(Rets::None)
}

/// Memory advice is a hint; host memory takes none. The arguments are
/// still checked.
pub fn advise_buffer(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let command_buffer_ref = args.r()?;
    let buffer = args.r()?;
    let _flags = args.i64()?;
    let _arg0 = args.i64()?;
    let _arg1 = args.i64()?;
    let slot = args.i32()?;
    args.finish()?;
    command_buffer(&command_buffer_ref)?;
    buffer_ref(&buffer, slot, 0, -1, "advised buffer")?;
    Ok(Rets::None)
}

pub fn fill_buffer(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let command_buffer_ref = args.r()?;
    let target = args.r()?;
    let offset = args.i64()?;
    let length = args.i64()?;
    let slot = args.i32()?;
    let pattern = args.i64()?;
    let pattern_length = args.i32()?;
    let _flags = args.i64()?;
    args.finish()?;
    let command_buffer = command_buffer(&command_buffer_ref)?;
    let target = buffer_ref(&target, slot, offset, length, "fill target")?;
    iree_ensure!(
        matches!(pattern_length, 1 | 2 | 4),
        InvalidArgument,
        "fill pattern length {pattern_length} is not 1, 2 or 4"
    );
    command_buffer
        .command_buffer()
        .fill_buffer(target, &pattern.to_le_bytes()[..pattern_length as usize])?;
    Ok(Rets::None)
}

pub fn update_buffer(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let command_buffer_ref = args.r()?;
    let source = args.r()?;
    let source_offset = host_size(args.i64()?, "source offset")?;
    let target = args.r()?;
    let target_offset = args.i64()?;
    let length = args.i64()?;
    let slot = args.i32()?;
    let _flags = args.i64()?;
    args.finish()?;
    let command_buffer = command_buffer(&command_buffer_ref)?;
    let data = vm_buffer(&source, "source buffer")?
        .read(source_offset, host_size(length, "update length")?)?;
    let target = buffer_ref(&target, slot, target_offset, length, "update target")?;
    command_buffer
        .command_buffer()
        .update_buffer(&data, target)?;
    Ok(Rets::None)
}

pub fn copy_buffer(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let command_buffer_ref = args.r()?;
    let source_slot = args.i32()?;
    let target_slot = args.i32()?;
    let source = args.r()?;
    let source_offset = args.i64()?;
    let target = args.r()?;
    let target_offset = args.i64()?;
    let length = args.i64()?;
    let _flags = args.i64()?;
    args.finish()?;
    let command_buffer = command_buffer(&command_buffer_ref)?;
    let source = buffer_ref(&source, source_slot, source_offset, length, "copy source")?;
    let target = buffer_ref(&target, target_slot, target_offset, length, "copy target")?;
    command_buffer
        .command_buffer()
        .copy_buffer(source, target)?;
    Ok(Rets::None)
}

/// `flush_buffer` and `invalidate_buffer`: host memory is coherent, so
/// there is nothing to do once the arguments check out.
pub fn flush_buffer(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let command_buffer_ref = args.r()?;
    let slot = args.i32()?;
    let buffer = args.r()?;
    let offset = args.i64()?;
    let length = args.i64()?;
    args.finish()?;
    command_buffer(&command_buffer_ref)?;
    let range = buffer_ref(&buffer, slot, offset, length, "buffer")?;
    if let crate::hal::command_buffer::BufferSource::Direct(buffer) = &range.source {
        let length = if range.length == WHOLE_BUFFER {
            0
        } else {
            range.length
        };
        buffer.validate_range(range.offset, length)?;
    }
    Ok(Rets::None)
}

/// The two variadic segments every dispatch ends with: push constants
/// (`CiD`) and bindings (`CiirIID`: ordinal, slot, buffer, offset, length).
fn constants_and_bindings(args: &mut Args<'_>) -> Result<(Vec<u32>, Vec<BufferRef>)> {
    let constants: Vec<u32> = args.span_i32()?.into_iter().map(|c| c as u32).collect();
    let count = args.span_count(4 + 4 + REF_SIZE + 8 + 8)?;
    let mut bindings = Vec::with_capacity(count);
    for i in 0..count {
        let _ordinal = args.i32()?;
        let slot = args.i32()?;
        let buffer = args.r()?;
        let offset = args.i64()?;
        let length = args.i64()?;
        bindings.push(buffer_ref(
            &buffer,
            slot,
            offset,
            length,
            &format!("dispatch binding {i}"),
        )?);
    }
    Ok((constants, bindings))
}

fn entry_point(function_id: i64) -> Result<u32> {
    u32::try_from(function_id).map_err(|_| {
        iree_err!(
            OutOfRange,
            "executable function id {function_id} is not one executable.lookup.function returns"
        )
    })
}

pub fn dispatch(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let command_buffer_ref = args.r()?;
    let executable = args.r()?;
    let function_id = args.i64()?;
    let x = args.i32()? as u32;
    let y = args.i32()? as u32;
    let z = args.i32()? as u32;
    let _flags = args.i64()?;
    let (constants, bindings) = constants_and_bindings(args)?;
    args.finish()?;
    let command_buffer = command_buffer(&command_buffer_ref)?;
    let executable = deref::<ExecutableObject>(&executable, "executable")?;
    command_buffer.command_buffer().dispatch(
        executable.executable(),
        entry_point(function_id)?,
        Workgroups::Count([x, y, z]),
        &constants,
        bindings,
    )?;
    Ok(Rets::None)
}

/// A dispatch whose workgroup count (three u32) is read from a buffer when
/// the command buffer runs.
pub fn dispatch_indirect(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let command_buffer_ref = args.r()?;
    let executable = args.r()?;
    let function_id = args.i64()?;
    let workgroups_slot = args.i32()?;
    let workgroups_buffer = args.r()?;
    let workgroups_offset = args.i64()?;
    let _flags = args.i64()?;
    let (constants, bindings) = constants_and_bindings(args)?;
    args.finish()?;
    let command_buffer = command_buffer(&command_buffer_ref)?;
    let executable = deref::<ExecutableObject>(&executable, "executable")?;
    let workgroups = buffer_ref(
        &workgroups_buffer,
        workgroups_slot,
        workgroups_offset,
        12,
        "workgroup count buffer",
    )?;
    command_buffer.command_buffer().dispatch(
        executable.executable(),
        entry_point(function_id)?,
        Workgroups::Indirect(workgroups),
        &constants,
        bindings,
    )?;
    Ok(Rets::None)
}
