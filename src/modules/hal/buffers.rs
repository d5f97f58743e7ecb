//! `hal.allocator.*`, `hal.buffer.*` and `hal.buffer_view.*`.

use std::sync::Arc;

use crate::hal::allocator::HeapAllocator;
use crate::hal::buffer::{Buffer, WHOLE_BUFFER};
use crate::hal::buffer_view::{BufferView, Dim, MAX_RANK};
use crate::hal::element_type::{ElementType, EncodingType};
use crate::hal::memory::{BufferParams, MemoryAccess, MemoryType};
use crate::hal::storage::HostStorage;
use crate::modules::hal::call::{device_size, host_size, vm_buffer, vm_string, Args, Rets};
use crate::modules::hal::flags::{is_immutable, usage_from_program};
use crate::modules::hal::types::{deref, to_arc, to_ref, DeviceObject};
use crate::modules::hal::Context;
use crate::vm::r#ref::Ref;
use crate::{iree_bail, iree_ensure, Result};

fn params(memory_types: i32, usage: i32, queue_affinity: i64) -> BufferParams {
    BufferParams {
        memory_type: MemoryType::from_bits_retain(memory_types as u32),
        usage: usage_from_program(usage as u32),
        queue_affinity: queue_affinity as u64,
        ..Default::default()
    }
}

pub fn allocator_allocate(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let allocator = args.r()?;
    let queue_affinity = args.i64()?;
    let memory_types = args.i32()?;
    let usage = args.i32()?;
    let size = device_size(args.i64()?, "allocation size")?;
    args.finish()?;
    let allocator = deref::<HeapAllocator>(&allocator, "allocator")?;
    iree_ensure!(
        size != WHOLE_BUFFER,
        OutOfRange,
        "allocation size -1 is not a size"
    );
    let buffer = allocator
        .allocate_buffer(params(memory_types, usage, queue_affinity), size, &[])
        .map_err(|e| e.annotate(format!("failed to allocate buffer of length {size}")))?;
    Ok(Rets::Ref(to_ref(&buffer)))
}

/// Imports the bytes of a `!vm.buffer` (module constants) as a HAL buffer
/// without copying; the HAL buffer keeps the VM buffer alive. A `try`
/// import that cannot be done returns null, and the program copies.
pub fn allocator_import(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let allocator = args.r()?;
    let is_try = args.i32()? != 0;
    let queue_affinity = args.i64()?;
    let memory_types = args.i32()?;
    let usage = args.i32()?;
    let source = args.r()?;
    let offset = args.i64()?;
    let length = args.i64()?;
    args.finish()?;
    let allocator = deref::<HeapAllocator>(&allocator, "allocator")?;
    let bytes = vm_buffer(&source, "source")?;
    let available = bytes.len();
    let length = if length == -1 {
        available as i64
    } else {
        length
    };
    let in_range = offset >= 0
        && length >= 0
        && (offset as u64)
            .checked_add(length as u64)
            .is_some_and(|end| end <= available as u64);
    iree_ensure!(
        in_range,
        InvalidArgument,
        "byte range out of bounds (requested {offset}+{length} of available {available})"
    );
    let mut access = MemoryAccess::READ;
    if !bytes.is_mutable() {
        iree_ensure!(
            is_immutable(usage as u32),
            PermissionDenied,
            "source buffer is immutable and can only be imported for constant usage"
        );
    } else if !is_immutable(usage as u32) {
        access |= MemoryAccess::WRITE;
    }
    let mut buffer_params = params(memory_types, usage, queue_affinity);
    buffer_params.access = access;
    let storage = wrap_vm_bytes(&source, offset as usize, length as usize)?;
    match allocator.import_host_buffer(buffer_params, storage) {
        Ok(buffer) => Ok(Rets::Ref(to_ref(&buffer))),
        Err(_) if is_try => Ok(Rets::Ref(Ref::null())),
        Err(error) => Err(error),
    }
}

/// Picks the device of the first (device, queue affinity) pair: the module
/// has no selection policy.
pub fn allocator_select(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let _memory_types = args.i32()?;
    let _usage = args.i32()?;
    let _flags = args.i64()?;
    let count = args.span_count(crate::vm::cconv::REF_SIZE + 8)?;
    let mut pairs = Vec::with_capacity(count);
    for _ in 0..count {
        let device = args.r()?;
        let affinity = args.i64()?;
        pairs.push((device, affinity));
    }
    args.finish()?;
    let Some((device, affinity)) = pairs.into_iter().next() else {
        iree_bail!(
            InvalidArgument,
            "at least one device/queue affinity pair must be provided"
        );
    };
    deref::<DeviceObject>(&device, "device")?;
    Ok(Rets::RefI64(device, affinity))
}

pub fn allocation_preserve(context: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let buffer = args.r()?;
    args.finish()?;
    let buffer = to_arc::<Buffer>(&buffer, "buffer")?;
    context
        .module
        .with_preserve_count(&buffer, |count| *count = count.saturating_add(1));
    Ok(Rets::None)
}

/// True when the caller was the allocation's last owner.
pub fn allocation_discard(context: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let buffer = args.r()?;
    args.finish()?;
    let buffer = to_arc::<Buffer>(&buffer, "buffer")?;
    let last = context.module.with_preserve_count(&buffer, |count| {
        let was = *count;
        *count = count.saturating_sub(1);
        was == 1
    });
    Ok(Rets::I32(last as i32))
}

pub fn allocation_is_terminal(context: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let buffer = args.r()?;
    args.finish()?;
    let buffer = to_arc::<Buffer>(&buffer, "buffer")?;
    let terminal = context
        .module
        .with_preserve_count(&buffer, |count| *count == 1);
    Ok(Rets::I32(terminal as i32))
}

/// Checks a buffer a program was given: long enough, and with the memory
/// type and usage the program needs.
pub fn buffer_assert(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let buffer = args.r()?;
    let message = args.r()?;
    let allocator = args.r()?;
    let minimum_length = args.i64()?;
    let memory_types = args.i32()?;
    let usage = args.i32()?;
    args.finish()?;
    let buffer = deref::<Buffer>(&buffer, "buffer")?;
    // The message is only read (and copied) when an assertion fails.
    vm_buffer(&message, "message")?;
    let message = || vm_string(&message, "message").unwrap_or_default();
    deref::<HeapAllocator>(&allocator, "allocator")?;
    let actual_length = buffer.byte_length();
    iree_ensure!(
        minimum_length < 0 || actual_length >= minimum_length as u64,
        InvalidArgument,
        "{} buffer byte length {actual_length} less than expected minimum {minimum_length}",
        message()
    );
    let required_types = MemoryType::from_bits_retain(memory_types as u32);
    iree_ensure!(
        buffer.memory_type().contains(required_types),
        PermissionDenied,
        "{} buffer memory type is not compatible; buffer has {}, operation requires {}",
        message(),
        buffer.memory_type().format(),
        required_types.format()
    );
    let required_usage = usage_from_program(usage as u32);
    iree_ensure!(
        buffer.allowed_usage().contains(required_usage),
        PermissionDenied,
        "{} requested usage was not specified when the buffer was allocated; buffer allows {}, operation requires {}",
        message(),
        buffer.allowed_usage().format(),
        required_usage.format()
    );
    Ok(Rets::None)
}

pub fn buffer_length(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let buffer = args.r()?;
    args.finish()?;
    let buffer = deref::<Buffer>(&buffer, "buffer")?;
    Ok(Rets::I64(buffer.byte_length() as i64))
}

/// Reads 1 to 4 bytes (little-endian, zero-extended).
pub fn buffer_load(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let buffer = args.r()?;
    let offset = device_size(args.i64()?, "source offset")?;
    let length = args.i32()?;
    args.finish()?;
    let buffer = deref::<Buffer>(&buffer, "source buffer")?;
    iree_ensure!(
        (0..=4).contains(&length),
        InvalidArgument,
        "load length byte count {length} exceeds max"
    );
    let mut bytes = [0u8; 4];
    buffer.map_read(offset, &mut bytes[..length as usize])?;
    Ok(Rets::I32(i32::from_le_bytes(bytes)))
}

/// Writes the low 1 to 4 bytes of a value.
pub fn buffer_store(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let value = args.i32()?;
    let buffer = args.r()?;
    let offset = device_size(args.i64()?, "target offset")?;
    let length = args.i32()?;
    args.finish()?;
    let buffer = deref::<Buffer>(&buffer, "target buffer")?;
    iree_ensure!(
        (0..=4).contains(&length),
        InvalidArgument,
        "store length byte count {length} exceeds max"
    );
    let end = offset.checked_add(length as u64);
    iree_ensure!(
        end.is_some_and(|end| end <= buffer.byte_length()),
        OutOfRange,
        "store out of bounds (target_offset={offset}, length={length} into max {})",
        buffer.byte_length()
    );
    buffer.map_write(offset, &value.to_le_bytes()[..length as usize])?;
    Ok(Rets::None)
}

pub fn buffer_subspan(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let buffer = args.r()?;
    let offset = device_size(args.i64()?, "source offset")?;
    let length = device_size(args.i64()?, "length")?;
    args.finish()?;
    let buffer = to_arc::<Buffer>(&buffer, "source buffer")?;
    let subspan = buffer.subspan(offset, length).map_err(|e| {
        e.annotate(format!(
            "invalid subspan of an existing buffer (source_offset={offset}, length={length})"
        ))
    })?;
    Ok(Rets::Ref(to_ref(&subspan)))
}

fn shape(dims: Vec<i64>) -> Result<Vec<Dim>> {
    iree_ensure!(
        dims.len() <= MAX_RANK,
        InvalidArgument,
        "shape rank {} exceeds the maximum of {MAX_RANK}",
        dims.len()
    );
    dims.into_iter()
        .enumerate()
        .map(|(i, d)| {
            u64::try_from(d).map_err(|_| {
                crate::iree_err!(InvalidArgument, "shape dimension {i} is negative ({d})")
            })
        })
        .collect()
}

pub fn view_create(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let buffer = args.r()?;
    let offset = device_size(args.i64()?, "source offset")?;
    let length = device_size(args.i64()?, "source length")?;
    let element_type = ElementType(args.i32()? as u32);
    let encoding_type = EncodingType(args.i32()? as u32);
    let dims = shape(args.span_i64()?)?;
    args.finish()?;
    let buffer = to_arc::<Buffer>(&buffer, "source buffer")?;
    let buffer = if offset != 0 || length != buffer.byte_length() {
        buffer.subspan(offset, length).map_err(|e| {
            e.annotate(format!(
                "invalid subspan of an existing buffer (source_offset={offset}, length={length})"
            ))
        })?
    } else {
        buffer
    };
    let view = BufferView::create(buffer, &dims, element_type, encoding_type)?;
    iree_ensure!(
        view.byte_length() <= view.buffer().byte_length(),
        InvalidArgument,
        "a buffer view of shape {dims:?} and element type {element_type} needs {} bytes but its buffer has {}",
        view.byte_length(),
        view.buffer().byte_length()
    );
    Ok(Rets::Ref(to_ref(&Arc::new(view))))
}

/// Integer types of one width are interchangeable (signless vs signed) and
/// an opaque actual type matches anything, as upstream allows.
fn element_types_compatible(actual: ElementType, expected: ElementType) -> bool {
    actual.is_opaque()
        || (actual.is_integer()
            && expected.is_integer()
            && actual.bit_count() == expected.bit_count())
        || actual == expected
}

/// Checks a buffer view a program was given against the encoding,
/// element type and shape it was compiled for.
pub fn view_assert(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let view = args.r()?;
    let message = args.r()?;
    let element_type = ElementType(args.i32()? as u32);
    let encoding_type = EncodingType(args.i32()? as u32);
    let expected_shape = args.span_i64()?;
    args.finish()?;
    let view = deref::<BufferView>(&view, "buffer view")?;
    // The message is only read for a failure (this runs on every call).
    vm_buffer(&message, "message")?;
    match view_mismatch(view, element_type, encoding_type, &expected_shape) {
        None => Ok(Rets::None),
        Some(mismatch) => {
            let message = vm_string(&message, "message")?;
            iree_bail!(InvalidArgument, "{message} {mismatch}")
        }
    }
}

/// How `view` differs from what `hal.buffer_view.assert` expects, if it does.
fn view_mismatch(
    view: &BufferView,
    element_type: ElementType,
    encoding_type: EncodingType,
    expected_shape: &[i64],
) -> Option<String> {
    let actual_encoding = view.encoding_type();
    if actual_encoding != EncodingType::OPAQUE && actual_encoding != encoding_type {
        return Some(format!(
            "encoding mismatch; expected {:08X} but have {:08X}",
            encoding_type.0, actual_encoding.0
        ));
    }
    let actual_type = view.element_type();
    if !element_types_compatible(actual_type, element_type) {
        return Some(format!(
            "element type mismatch; expected {element_type} ({:08X}) but have {actual_type} ({:08X})",
            element_type.0,
            actual_type.0
        ));
    }
    let actual_shape = view.shape();
    let scalar = |rank: usize| if rank == 0 { " (scalar)" } else { "" };
    if actual_shape.len() != expected_shape.len() {
        return Some(format!(
            "shape rank mismatch; expected {}{} but have {}{}",
            expected_shape.len(),
            scalar(expected_shape.len()),
            actual_shape.len(),
            scalar(actual_shape.len())
        ));
    }
    for (i, (&actual, &expected)) in actual_shape.iter().zip(expected_shape).enumerate() {
        if expected < 0 || actual != expected as u64 {
            return Some(format!(
                "shape dimension {i} mismatch; expected {expected} but have {actual}"
            ));
        }
    }
    None
}

pub fn view_buffer(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let view = args.r()?;
    args.finish()?;
    let view = deref::<BufferView>(&view, "buffer view")?;
    Ok(Rets::Ref(to_ref(view.buffer())))
}

pub fn view_dim(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let view = args.r()?;
    let index = args.i32()?;
    args.finish()?;
    let view = deref::<BufferView>(&view, "buffer view")?;
    let dim = usize::try_from(index).ok().and_then(|i| view.dim(i));
    let Some(dim) = dim else {
        iree_bail!(
            OutOfRange,
            "dimension index {index} is out of range for a buffer view of rank {}",
            view.rank()
        );
    };
    Ok(Rets::I64(dim as i64))
}

pub fn view_element_type(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let view = args.r()?;
    args.finish()?;
    let view = deref::<BufferView>(&view, "buffer view")?;
    Ok(Rets::I32(view.element_type().0 as i32))
}

pub fn view_encoding_type(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let view = args.r()?;
    args.finish()?;
    let view = deref::<BufferView>(&view, "buffer view")?;
    Ok(Rets::I32(view.encoding_type().0 as i32))
}

pub fn view_rank(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let view = args.r()?;
    args.finish()?;
    let view = deref::<BufferView>(&view, "buffer view")?;
    Ok(Rets::I32(view.rank() as i32))
}

/// Tracing goes to a debug sink, which this module has none of; the
/// arguments are still checked.
pub fn view_trace(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let key = args.r()?;
    let views = args.span_ref()?;
    args.finish()?;
    vm_string(&key, "trace key")?;
    for (i, view) in views.iter().enumerate() {
        deref::<BufferView>(view, &format!("traced buffer view {i}"))?;
    }
    Ok(Rets::None)
}

/// `length` bytes at `offset` of a `!vm.buffer` as host storage, without
/// copying: the storage holds a reference to the VM buffer until it goes,
/// so the bytes stay where they are.
pub(crate) fn wrap_vm_bytes(source: &Ref, offset: usize, length: usize) -> Result<HostStorage> {
    let bytes = vm_buffer(source, "source")?;
    iree_ensure!(
        offset
            .checked_add(length)
            .is_some_and(|end| end <= bytes.len()),
        OutOfRange,
        "range (offset={offset}, length={length}) is outside the {}-byte buffer",
        bytes.len()
    );
    let keep_alive = source.clone();
    // SAFETY: the span is the VM buffer's own, valid while a reference to
    // it lives (the release callback keeps one), and the range lies inside
    // it (checked above). HAL access to storage is bounds-checked raw
    // copies, never Rust references.
    unsafe {
        HostStorage::wrap_external(
            bytes.data.data.wrapping_add(offset),
            length,
            Some(Box::new(move || drop(keep_alive))),
        )
    }
}

/// An `(offset, length)` of module data, `-1` meaning the rest.
pub fn vm_range(offset: i64, length: i64, available: usize) -> Result<(usize, usize)> {
    let offset = host_size(offset, "offset")?;
    let length = if length == -1 {
        available.saturating_sub(offset)
    } else {
        host_size(length, "length")?
    };
    iree_ensure!(
        offset
            .checked_add(length)
            .is_some_and(|end| end <= available),
        OutOfRange,
        "range (offset={offset}, length={length}) is outside the {available}-byte buffer"
    );
    Ok((offset, length))
}
