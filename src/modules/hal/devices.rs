//! `hal.devices.*`, `hal.device.*` (allocator, queries, queue operations)
//! and `hal.fence.*`; `hal.channel.*` are refused here (single-device
//! builds have no collective channels).

use std::sync::Arc;

use crate::base::status::{Error, StatusCode};
use crate::base::time::Timeout;
use crate::hal::buffer::Buffer;
use crate::hal::command_buffer::Binding;
use crate::hal::device::Device;
use crate::hal::fence::Fence;
use crate::hal::memory::{BufferParams, MemoryType};
use crate::hal::queue::Timepoints;
use crate::hal::semaphore::Semaphore;
use crate::modules::hal::call::{device_size, host_size, vm_buffer, vm_string, Args, Rets};
use crate::modules::hal::flags::usage_from_program;
use crate::modules::hal::types::{
    deref, deref_or_null, to_arc, to_ref, CommandBufferObject, DeviceObject,
};
use crate::modules::hal::Context;
use crate::vm::cconv::REF_SIZE;
use crate::vm::r#ref::Ref;
use crate::{iree_bail, iree_ensure, Result};

/// `hal.channel.*` and `hal.command_buffer.collective`.
pub fn channel_unimplemented(_: &mut Context<'_>, _: &mut Args<'_>) -> Result<Rets> {
    iree_bail!(
        Unimplemented,
        "collective channels are not supported: this runtime has no collective communication library (single-device build)"
    )
}

pub fn devices_count(context: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    args.finish()?;
    Ok(Rets::I32(context.module.devices().len() as i32))
}

/// The device at an index, or null past the end (how `__init` stops its
/// enumeration).
pub fn devices_get(context: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let index = args.i32()?;
    args.finish()?;
    let device = usize::try_from(index)
        .ok()
        .and_then(|i| context.module.devices().get(i));
    Ok(Rets::Ref(device.map_or_else(Ref::null, to_ref)))
}

pub fn device_allocator(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let device = args.r()?;
    args.finish()?;
    let device = deref::<DeviceObject>(&device, "device")?;
    Ok(Rets::Ref(to_ref(&device.device().allocator()?)))
}

/// `(1, value)` when the device answers, `(0, 0)` otherwise: how `__init`
/// matches devices by id glob and executable format.
pub fn device_query_i64(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let device = args.r()?;
    let category = args.r()?;
    let key = args.r()?;
    args.finish()?;
    let device = deref::<DeviceObject>(&device, "device")?;
    let category = vm_string(&category, "category")?;
    let key = vm_string(&key, "key")?;
    Ok(match device.device().query_i64(&category, &key) {
        Ok(value) => Rets::I32I64(1, value),
        Err(_) => Rets::I32I64(0, 0),
    })
}

/// The timepoints of a wait or signal fence argument (none for null).
pub(crate) fn timepoints(fence: &Ref, what: &str) -> Result<Timepoints> {
    Ok(deref_or_null::<Fence>(fence, what)?.map_or_else(Vec::new, Fence::timepoints))
}

/// The arguments every queue operation starts with.
struct QueueArgs {
    device: Ref,
    queue_affinity: u64,
    waits: Timepoints,
    signals: Timepoints,
}

fn queue_args(args: &mut Args<'_>) -> Result<QueueArgs> {
    let device = args.r()?;
    let queue_affinity = args.i64()? as u64;
    let wait = args.r()?;
    let signal = args.r()?;
    deref::<DeviceObject>(&device, "device")?;
    Ok(QueueArgs {
        device,
        queue_affinity,
        waits: timepoints(&wait, "wait fence")?,
        signals: timepoints(&signal, "signal fence")?,
    })
}

impl QueueArgs {
    /// The device and the timepoints, moved out (submissions take their
    /// timepoint lists by value; cloning them would allocate per call).
    fn into_parts(self) -> Result<(Arc<dyn Device>, u64, Timepoints, Timepoints)> {
        let device = Arc::clone(deref::<DeviceObject>(&self.device, "device")?.device());
        Ok((device, self.queue_affinity, self.waits, self.signals))
    }
}

pub fn queue_alloca(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let queue = queue_args(args)?;
    let pool = args.i64()?;
    let memory_types = args.i32()?;
    let usage = args.i32()?;
    let size = device_size(args.i64()?, "allocation size")?;
    let _flags = args.i64()?;
    args.finish()?;
    iree_ensure!(
        pool == 0,
        Unimplemented,
        "queue allocation pools are not supported (pool {pool})"
    );
    let params = BufferParams {
        memory_type: MemoryType::from_bits_retain(memory_types as u32),
        usage: usage_from_program(usage as u32),
        queue_affinity: queue.queue_affinity,
        ..Default::default()
    };
    let (device, queue_affinity, waits, signals) = queue.into_parts()?;
    let buffer = device.queue_alloca(queue_affinity, waits, signals, params, size)?;
    Ok(Rets::Ref(to_ref(&buffer)))
}

pub fn queue_dealloca(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let queue = queue_args(args)?;
    let buffer = args.r()?;
    let _flags = args.i64()?;
    args.finish()?;
    let buffer = to_arc::<Buffer>(&buffer, "buffer")?;
    let (device, queue_affinity, waits, signals) = queue.into_parts()?;
    device.queue_dealloca(queue_affinity, waits, signals, buffer)?;
    Ok(Rets::None)
}

pub fn queue_fill(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let queue = queue_args(args)?;
    let target = args.r()?;
    let offset = device_size(args.i64()?, "target offset")?;
    let length = device_size(args.i64()?, "length")?;
    let pattern = args.i64()?;
    let pattern_length = args.i32()?;
    let _flags = args.i64()?;
    args.finish()?;
    let target = to_arc::<Buffer>(&target, "target buffer")?;
    iree_ensure!(
        matches!(pattern_length, 1 | 2 | 4),
        InvalidArgument,
        "fill pattern length {pattern_length} is not 1, 2 or 4"
    );
    let pattern = &pattern.to_le_bytes()[..pattern_length as usize];
    let (device, queue_affinity, waits, signals) = queue.into_parts()?;
    device.queue_fill(
        queue_affinity,
        waits,
        signals,
        target,
        offset,
        length,
        pattern,
    )?;
    Ok(Rets::None)
}

pub fn queue_update(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let queue = queue_args(args)?;
    let source = args.r()?;
    let source_offset = host_size(args.i64()?, "source offset")?;
    let target = args.r()?;
    let target_offset = device_size(args.i64()?, "target offset")?;
    let length = host_size(args.i64()?, "length")?;
    let _flags = args.i64()?;
    args.finish()?;
    let data = vm_buffer(&source, "source buffer")?.read(source_offset, length)?;
    let target = to_arc::<Buffer>(&target, "target buffer")?;
    let (device, queue_affinity, waits, signals) = queue.into_parts()?;
    device.queue_update(queue_affinity, waits, signals, &data, target, target_offset)?;
    Ok(Rets::None)
}

pub fn queue_copy(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let queue = queue_args(args)?;
    let source = args.r()?;
    let source_offset = device_size(args.i64()?, "source offset")?;
    let target = args.r()?;
    let target_offset = device_size(args.i64()?, "target offset")?;
    let length = device_size(args.i64()?, "length")?;
    let _flags = args.i64()?;
    args.finish()?;
    let source = to_arc::<Buffer>(&source, "source buffer")?;
    let target = to_arc::<Buffer>(&target, "target buffer")?;
    let (device, queue_affinity, waits, signals) = queue.into_parts()?;
    device.queue_copy(
        queue_affinity,
        waits,
        signals,
        source,
        source_offset,
        target,
        target_offset,
        length,
    )?;
    Ok(Rets::None)
}

pub fn queue_barrier(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let queue = queue_args(args)?;
    let _flags = args.i64()?;
    args.finish()?;
    let (device, queue_affinity, waits, signals) = queue.into_parts()?;
    device.queue_barrier(queue_affinity, waits, signals)?;
    Ok(Rets::None)
}

pub fn queue_execute(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let queue = queue_args(args)?;
    let command_buffer = args.r()?;
    let _flags = args.i64()?;
    args.finish()?;
    let command_buffer = deref::<CommandBufferObject>(&command_buffer, "command buffer")?;
    let (device, queue_affinity, waits, signals) = queue.into_parts()?;
    device.queue_execute(
        queue_affinity,
        waits,
        signals,
        Some(Arc::clone(command_buffer.command_buffer())),
        Vec::new(),
    )?;
    Ok(Rets::None)
}

/// Runs a reusable command buffer with this call's binding table: the
/// `(buffer, offset, length)` tuples its slot references resolve to.
pub fn queue_execute_indirect(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let queue = queue_args(args)?;
    let command_buffer = args.r()?;
    let _flags = args.i64()?;
    let count = args.span_count(REF_SIZE + 16)?;
    let mut binding_table = Vec::with_capacity(count);
    for slot in 0..count {
        let buffer = args.r()?;
        let offset = args.i64()?;
        let length = args.i64()?;
        // The slot's name is only formatted for an error message (this runs
        // for every slot of every submission): a failed check is redone
        // with it.
        let what = || format!("binding table slot {slot}");
        let buffer = crate::modules::hal::types::to_arc_or_null::<Buffer>(&buffer, "")
            .or_else(|_| crate::modules::hal::types::to_arc_or_null(&buffer, &what()))?;
        binding_table.push(Binding {
            buffer,
            offset: device_size(offset, "")
                .or_else(|_| device_size(offset, &format!("{} offset", what())))?,
            length: device_size(length, "")
                .or_else(|_| device_size(length, &format!("{} length", what())))?,
        });
    }
    args.finish()?;
    let command_buffer = deref::<CommandBufferObject>(&command_buffer, "command buffer")?;
    let (device, queue_affinity, waits, signals) = queue.into_parts()?;
    device.queue_execute(
        queue_affinity,
        waits,
        signals,
        Some(Arc::clone(command_buffer.command_buffer())),
        binding_table,
    )?;
    Ok(Rets::None)
}

pub fn queue_flush(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let device = args.r()?;
    let queue_affinity = args.i64()? as u64;
    args.finish()?;
    let device = deref::<DeviceObject>(&device, "device")?;
    device.device().queue_flush(queue_affinity)?;
    Ok(Rets::None)
}

/// A fence over one new semaphore at 1 (what queue operations signal).
pub fn fence_create(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let device = args.r()?;
    let _flags = args.i64()?;
    args.finish()?;
    deref::<DeviceObject>(&device, "device")?;
    let semaphore = Arc::new(Semaphore::new(0));
    let fence = Arc::new(Fence::at(&semaphore, 1)?);
    Ok(Rets::Ref(to_ref(&fence)))
}

/// The fences given (nulls skipped), checked to be fences.
fn fences(refs: &[Ref]) -> Result<Vec<&Fence>> {
    let mut fences = Vec::with_capacity(refs.len());
    for (i, r) in refs.iter().enumerate() {
        // The name is formatted only for the error.
        let fence = deref_or_null::<Fence>(r, "fence")
            .or_else(|_| deref_or_null::<Fence>(r, &format!("fence {i}")))?;
        if let Some(fence) = fence {
            fences.push(fence);
        }
    }
    Ok(fences)
}

/// A fence waiting for every timepoint of the given fences; null when
/// they have none (already reached).
pub fn fence_join(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let _flags = args.i64()?;
    let refs = args.span_ref()?;
    args.finish()?;
    let fences = fences(&refs)?;
    if fences.iter().all(|f| f.timepoint_count() == 0) {
        return Ok(Rets::Ref(Ref::null()));
    }
    let joined = Fence::join(&fences)?;
    Ok(Rets::Ref(to_ref(&Arc::new(joined))))
}

/// The fence's status code: 0 reached, `DEFERRED` pending, or the code of
/// its failure.
pub fn fence_query(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let fence = args.r()?;
    args.finish()?;
    let fence = deref::<Fence>(&fence, "fence")?;
    let code = match fence.query() {
        Ok(()) => 0,
        Err(error) => error.code() as i32,
    };
    Ok(Rets::I32(code))
}

pub fn fence_signal(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let fence = args.r()?;
    args.finish()?;
    deref::<Fence>(&fence, "fence")?.signal()?;
    Ok(Rets::None)
}

pub fn fence_fail(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let fence = args.r()?;
    let code = args.i32()?;
    args.finish()?;
    let fence = deref::<Fence>(&fence, "fence")?;
    // The low bits are the code, as upstream masks them.
    let code = StatusCode::from_raw(code as u32 & 0x1F);
    fence.fail(Error::new(code, "failed by the program (hal.fence.fail)"));
    Ok(Rets::None)
}

/// Waits for every fence (blocking; see the module docs): 0 once reached,
/// `DEADLINE_EXCEEDED`'s code when the timeout passes, and the failure of
/// a failed fence as the call's error.
pub fn fence_await(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let timeout_ms = args.i32()? as u32;
    let _flags = args.i64()?;
    let refs = args.span_ref()?;
    args.finish()?;
    let fences = fences(&refs)?;
    // One deadline for all fences, however long each wait takes.
    let timeout = if timeout_ms == u32::MAX {
        Timeout::infinite()
    } else {
        Timeout::from_ms(timeout_ms as i64)
    };
    let deadline = Timeout::Absolute(timeout.as_deadline_ns());
    // Reached fences need no wait; failed ones fail the call at once,
    // before any wait.
    let mut all_reached = true;
    for fence in &fences {
        all_reached &= fence.is_reached()?;
    }
    if all_reached {
        return Ok(Rets::I32(0));
    }
    for fence in &fences {
        match fence.wait(deadline) {
            Ok(()) => {}
            Err(error) if error.code() == StatusCode::DeadlineExceeded => {
                return Ok(Rets::I32(StatusCode::DeadlineExceeded as i32));
            }
            Err(error) => {
                // The wait reports a failure as ABORTED; the fence knows
                // the original error.
                return Err(match fence.query() {
                    Err(original) if original.code() != StatusCode::Deferred => original,
                    _ => error,
                });
            }
        }
    }
    Ok(Rets::I32(0))
}
