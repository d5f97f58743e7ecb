//! The `hal_inline` export table (IREE 3.13's, sorted by name) and the
//! functions only this module has: host buffers paired with `!vm.buffer`
//! views of their bytes, and device queries without a device argument.

use std::sync::Arc;

use crate::hal::buffer::Buffer;
use crate::hal::memory::{BufferUsage, MemoryAccess, MemoryType};
use crate::hal::storage::{HostStorage, STORAGE_ALIGNMENT};
use crate::modules::hal::buffers::{self, vm_range, wrap_vm_bytes};
use crate::modules::hal::call::{host_size, vm_buffer, vm_string, Args, Rets};
use crate::modules::hal::exports::Export;
use crate::modules::hal::types::{to_arc, to_ref};
use crate::modules::hal::Context;
use crate::modules::hal_inline::storage::view_of;
use crate::{iree_ensure, Result};

const fn export(
    name: &'static str,
    cconv: &'static str,
    run: fn(&mut Context<'_>, &mut Args<'_>) -> Result<Rets>,
) -> Export {
    Export { name, cconv, run }
}

pub static EXPORTS: [Export; 15] = [
    export("buffer.allocate", "0iI_rr", buffer_allocate),
    export(
        "buffer.allocate.initialized",
        "0irII_rr",
        buffer_allocate_initialized,
    ),
    export("buffer.length", "0r_I", buffers::buffer_length),
    export("buffer.storage", "0r_r", buffer_storage),
    export("buffer.subspan", "0rII_r", buffers::buffer_subspan),
    export("buffer.wrap", "0rII_r", buffer_wrap),
    export("buffer_view.assert", "0rriiCID_v", buffers::view_assert),
    export("buffer_view.buffer", "0r_r", buffers::view_buffer),
    export("buffer_view.create", "0rIIiiCID_r", buffers::view_create),
    export("buffer_view.dim", "0ri_I", buffers::view_dim),
    export(
        "buffer_view.element_type",
        "0r_i",
        buffers::view_element_type,
    ),
    export(
        "buffer_view.encoding_type",
        "0r_i",
        buffers::view_encoding_type,
    ),
    export("buffer_view.rank", "0r_i", buffers::view_rank),
    export("buffer_view.trace", "0rCrD_v", buffers::view_trace),
    export("device.query.i64", "0rr_iI", device_query_i64),
];

/// Host memory every use (mapping, transfer, dispatch) may touch: inline
/// programs read and write their buffers from bytecode and dispatches.
fn host_buffer(storage: HostStorage, access: MemoryAccess) -> Arc<Buffer> {
    Buffer::wrap_host(
        storage,
        MemoryType::HOST_LOCAL | MemoryType::DEVICE_VISIBLE,
        access,
        BufferUsage::TRANSFER | BufferUsage::MAPPING | BufferUsage::DISPATCH,
    )
}

/// A zeroed host buffer of `size` bytes aligned to `alignment` (0: the
/// default), and the `!vm.buffer` view of its bytes.
fn allocate(alignment: i32, size: i64) -> Result<(Arc<Buffer>, Rets)> {
    iree_ensure!(
        alignment >= 0 && (alignment == 0 || (alignment as u32).is_power_of_two()),
        InvalidArgument,
        "minimum alignment {alignment} is not a power of two"
    );
    iree_ensure!(
        alignment as usize <= STORAGE_ALIGNMENT,
        InvalidArgument,
        "minimum alignment {alignment} exceeds the {STORAGE_ALIGNMENT}-byte alignment of host buffers"
    );
    let size = host_size(size, "allocation size")?;
    let buffer = host_buffer(
        HostStorage::allocate(size)
            .map_err(|e| e.annotate(format!("failed to allocate buffer of length {size}")))?,
        MemoryAccess::ALL,
    );
    let storage = view_of(&buffer)?;
    Ok((Arc::clone(&buffer), Rets::RefRef(to_ref(&buffer), storage)))
}

fn buffer_allocate(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let alignment = args.i32()?;
    let size = args.i64()?;
    args.finish()?;
    Ok(allocate(alignment, size)?.1)
}

/// A new buffer holding a copy of `length` bytes at `offset` of `source`.
fn buffer_allocate_initialized(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let alignment = args.i32()?;
    let source = args.r()?;
    let offset = args.i64()?;
    let length = args.i64()?;
    args.finish()?;
    let source = vm_buffer(&source, "source")?;
    let (offset, length) = vm_range(offset, length, source.len())?;
    let bytes = source.read(offset, length)?;
    let (buffer, rets) = allocate(alignment, length as i64)?;
    buffer.storage().write(0, &bytes)?;
    Ok(rets)
}

/// The bytes of a buffer as a `!vm.buffer` (a view, not a copy).
fn buffer_storage(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let buffer = args.r()?;
    args.finish()?;
    let buffer = to_arc::<Buffer>(&buffer, "buffer")?;
    Ok(Rets::Ref(view_of(&buffer)?))
}

/// A buffer over `length` bytes at `offset` of a `!vm.buffer`, without
/// copying (the buffer keeps the VM buffer alive).
fn buffer_wrap(_: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let source = args.r()?;
    let offset = args.i64()?;
    let length = args.i64()?;
    args.finish()?;
    let bytes = vm_buffer(&source, "source")?;
    // Module constants stay read-only through the HAL buffer too.
    let access = if bytes.is_mutable() {
        MemoryAccess::ALL
    } else {
        MemoryAccess::READ
    };
    let (offset, length) = vm_range(offset, length, bytes.len())?;
    let storage = wrap_vm_bytes(&source, offset, length)?;
    Ok(Rets::Ref(to_ref(&host_buffer(storage, access))))
}

/// `(1, value)` when the module's device answers the query, else `(0, 0)`.
fn device_query_i64(context: &mut Context<'_>, args: &mut Args<'_>) -> Result<Rets> {
    let category = args.r()?;
    let key = args.r()?;
    args.finish()?;
    let category = vm_string(&category, "category")?;
    let key = vm_string(&key, "key")?;
    let answer = context
        .module
        .devices()
        .first()
        .and_then(|device| device.device().query_i64(&category, &key).ok());
    Ok(match answer {
        Some(value) => Rets::I32I64(1, value),
        None => Rets::I32I64(0, 0),
    })
}
