//! `hal.executable.*`, `hal.ex.file.from_memory` and the queue operations
//! on files (`device.queue.read` / `write`): how programs load their
//! executables and the constants they keep outside the module flatbuffer.

use std::sync::Arc;

use crate::hal::buffer::Buffer;
use crate::hal::executable::ExecutableParams;
use crate::hal::file::File;
use crate::hal::memory::MemoryAccess;
use crate::modules::hal::buffers::{vm_range, wrap_vm_bytes};
use crate::modules::hal::call::{device_size, vm_buffer, vm_string, Args, Rets};
use crate::modules::hal::types::{
    deref, to_arc, to_ref, DeviceObject, ExecutableObject, FileObject,
};
use crate::modules::hal::Context;
use crate::{iree_bail, iree_ensure, Result};

/// `IREE_HAL_EXECUTABLE_CACHING_MODE_ALIAS_PROVIDED_DATA`: the data is
/// module memory that outlives the executable.
const CACHING_MODE_ALIAS_PROVIDED_DATA: u32 = 1 << 0;

/// Prepares an executable through the device's cache of this context.
pub fn executable_create(context: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let device = args.r()?;
    let _queue_affinity = args.i64()?;
    let format = args.r()?;
    let data = args.r()?;
    let constants = args.r()?;
    args.finish()?;
    let device = deref::<DeviceObject>(&device, "device")?;
    let format = vm_string(&format, "executable format")?;
    let data_buffer = vm_buffer(&data, "executable data")?;
    let data = data_buffer.read(0, data_buffer.len())?;
    let constants: Vec<u32> = if constants.is_null() {
        Vec::new()
    } else {
        let constants = vm_buffer(&constants, "executable constants")?;
        iree_ensure!(
            constants.len() % 4 == 0,
            InvalidArgument,
            "constant buffer data must contain 4-byte elements but data length is {}",
            constants.len()
        );
        constants
            .read(0, constants.len())?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect()
    };
    let caching_mode = if data_buffer.access & crate::vm::buffer::ACCESS_ORIGIN_MODULE != 0 {
        CACHING_MODE_ALIAS_PROVIDED_DATA
    } else {
        0
    };
    let cache = context.state.executable_cache(context.module, device)?;
    let params = ExecutableParams {
        caching_mode,
        executable_format: &format,
        executable_data: &data,
        executable_layouts: Vec::new(),
        constants: &constants,
    };
    let executable = cache.prepare_executable(&params)?;
    Ok(Rets::Ref(to_ref(&ExecutableObject::new(executable))))
}

/// The id `command_buffer.dispatch` takes for an export of the executable:
/// its ordinal.
pub fn lookup_function(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let executable = args.r()?;
    let name = args.r()?;
    args.finish()?;
    let executable = deref::<ExecutableObject>(&executable, "executable")?;
    let name = vm_string(&name, "function name")?;
    let executable = executable.executable();
    let ordinal = (0..executable.entry_point_count() as u32)
        .find(|&i| executable.entry_point_name(i) == Some(name.as_str()));
    match ordinal {
        Some(ordinal) => Ok(Rets::I64(ordinal as i64)),
        None => iree_bail!(
            NotFound,
            "executable has no function named '{name}' ({} exports)",
            executable.entry_point_count()
        ),
    }
}

/// Wraps module memory (constants stored beside the flatbuffer) as a
/// read-only file, without copying.
pub fn file_from_memory(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let device = args.r()?;
    let _queue_affinity = args.i64()?;
    let access = args.i32()?;
    let buffer = args.r()?;
    let offset = args.i64()?;
    let length = args.i64()?;
    let _flags = args.i32()?;
    args.finish()?;
    deref::<DeviceObject>(&device, "device")?;
    let access = MemoryAccess::from_bits_retain(access as u16);
    iree_ensure!(
        MemoryAccess::READ.contains(access),
        PermissionDenied,
        "only read-only memory can be accessed via a file handle (access {})",
        access.format()
    );
    let available = vm_buffer(&buffer, "file buffer")?.len();
    let (offset, length) = vm_range(offset, length, available)?;
    let storage = wrap_vm_bytes(&buffer, offset, length)?;
    let file = File::from_memory(MemoryAccess::READ, storage)?;
    Ok(Rets::Ref(to_ref(&FileObject::new(Arc::new(file)))))
}

/// The arguments `queue.read` and `queue.write` share.
struct FileTransfer {
    device: crate::vm::r#ref::Ref,
    queue_affinity: u64,
    waits: crate::hal::queue::Timepoints,
    signals: crate::hal::queue::Timepoints,
}

fn file_transfer(args: &mut Args<'_>) -> Result<FileTransfer> {
    let device = args.r()?;
    let queue_affinity = args.i64()? as u64;
    let wait = args.r()?;
    let signal = args.r()?;
    deref::<DeviceObject>(&device, "device")?;
    Ok(FileTransfer {
        device,
        queue_affinity,
        waits: crate::modules::hal::devices::timepoints(&wait, "wait fence")?,
        signals: crate::modules::hal::devices::timepoints(&signal, "signal fence")?,
    })
}

pub fn queue_read(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let queue = file_transfer(args)?;
    let file = args.r()?;
    let file_offset = device_size(args.i64()?, "file offset")?;
    let target = args.r()?;
    let target_offset = device_size(args.i64()?, "target offset")?;
    let length = device_size(args.i64()?, "length")?;
    let _flags = args.i64()?;
    args.finish()?;
    let file = Arc::clone(deref::<FileObject>(&file, "source file")?.file());
    let target = to_arc::<Buffer>(&target, "target buffer")?;
    deref::<DeviceObject>(&queue.device, "device")?
        .device()
        .queue_read(
            queue.queue_affinity,
            queue.waits,
            queue.signals,
            file,
            file_offset,
            target,
            target_offset,
            length,
        )?;
    Ok(Rets::None)
}

pub fn queue_write(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let queue = file_transfer(args)?;
    let source = args.r()?;
    let source_offset = device_size(args.i64()?, "source offset")?;
    let file = args.r()?;
    let file_offset = device_size(args.i64()?, "file offset")?;
    let length = device_size(args.i64()?, "length")?;
    let _flags = args.i64()?;
    args.finish()?;
    let source = to_arc::<Buffer>(&source, "source buffer")?;
    let file = Arc::clone(deref::<FileObject>(&file, "target file")?.file());
    deref::<DeviceObject>(&queue.device, "device")?
        .device()
        .queue_write(
            queue.queue_affinity,
            queue.waits,
            queue.signals,
            source,
            source_offset,
            file,
            file_offset,
            length,
        )?;
    Ok(Rets::None)
}
