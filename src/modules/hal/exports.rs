//! The export table: every function IREE 3.13's hal module registers,
//! sorted by name (lookups binary-search it), with its calling convention.

use crate::modules::hal::call::{Args, Rets};
use crate::modules::hal::{buffers, command_buffers, devices, executables, Context};
use crate::Result;

/// One export: its local name, calling convention and implementation.
pub struct Export {
    pub name: &'static str,
    pub cconv: &'static str,
    pub run: fn(&mut Context<'_>, &mut Args<'_>) -> Result<Rets>,
}

const fn export(
    name: &'static str,
    cconv: &'static str,
    run: fn(&mut Context<'_>, &mut Args<'_>) -> Result<Rets>,
) -> Export {
    Export { name, cconv, run }
}

pub static EXPORTS: [Export; 60] = [
    export(
        "allocator.allocate",
        "0rIiiI_r",
        buffers::allocator_allocate,
    ),
    export("allocator.import", "0riIiirII_r", buffers::allocator_import),
    export("allocator.select", "0iiICrID_rI", buffers::allocator_select),
    export(
        "buffer.allocation.discard",
        "0r_i",
        buffers::allocation_discard,
    ),
    export(
        "buffer.allocation.is_terminal",
        "0r_i",
        buffers::allocation_is_terminal,
    ),
    export(
        "buffer.allocation.preserve",
        "0r_v",
        buffers::allocation_preserve,
    ),
    export("buffer.assert", "0rrrIii_v", buffers::buffer_assert),
    export("buffer.length", "0r_I", buffers::buffer_length),
    export("buffer.load", "0rIi_i", buffers::buffer_load),
    export("buffer.store", "0irIi_v", buffers::buffer_store),
    export("buffer.subspan", "0rII_r", buffers::buffer_subspan),
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
    export(
        "channel.create",
        "0rIIrrii_r",
        devices::channel_unimplemented,
    ),
    export(
        "channel.rank_and_count",
        "0r_ii",
        devices::channel_unimplemented,
    ),
    export("channel.split", "0riiI_r", devices::channel_unimplemented),
    export(
        "command_buffer.advise_buffer",
        "0rrIIIi_v",
        command_buffers::advise_buffer,
    ),
    export(
        "command_buffer.begin_debug_group",
        "0rr_v",
        command_buffers::begin_debug_group,
    ),
    export(
        "command_buffer.collective",
        "0rriiiirrIIIII_v",
        devices::channel_unimplemented,
    ),
    export(
        "command_buffer.copy_buffer",
        "0riirIrIII_v",
        command_buffers::copy_buffer,
    ),
    export("command_buffer.create", "0riiIi_r", command_buffers::create),
    export(
        "command_buffer.dispatch",
        "0rrIiiiICiDCiirIID_v",
        command_buffers::dispatch,
    ),
    export(
        "command_buffer.dispatch.indirect",
        "0rrIirIICiDCiirIID_v",
        command_buffers::dispatch_indirect,
    ),
    export(
        "command_buffer.end_debug_group",
        "0r_v",
        command_buffers::end_debug_group,
    ),
    export(
        "command_buffer.execution_barrier",
        "0riiI_v",
        command_buffers::execution_barrier,
    ),
    export(
        "command_buffer.fill_buffer",
        "0rrIIiIiI_v",
        command_buffers::fill_buffer,
    ),
    export("command_buffer.finalize", "0r_v", command_buffers::finalize),
    export(
        "command_buffer.flush_buffer",
        "0rirII_v",
        command_buffers::flush_buffer,
    ),
    export(
        "command_buffer.invalidate_buffer",
        "0rirII_v",
        command_buffers::flush_buffer,
    ),
    export(
        "command_buffer.update_buffer",
        "0rrIrIIiI_v",
        command_buffers::update_buffer,
    ),
    export("device.allocator", "0r_r", devices::device_allocator),
    export("device.query.i64", "0rrr_iI", devices::device_query_i64),
    export("device.queue.alloca", "0rIrrIiiII_r", devices::queue_alloca),
    export("device.queue.barrier", "0rIrrI_v", devices::queue_barrier),
    export("device.queue.copy", "0rIrrrIrIII_v", devices::queue_copy),
    export(
        "device.queue.dealloca",
        "0rIrrrI_v",
        devices::queue_dealloca,
    ),
    export("device.queue.execute", "0rIrrrI_v", devices::queue_execute),
    export(
        "device.queue.execute.indirect",
        "0rIrrrICrIID_v",
        devices::queue_execute_indirect,
    ),
    export("device.queue.fill", "0rIrrrIIIiI_v", devices::queue_fill),
    export("device.queue.flush", "0rI_v", devices::queue_flush),
    export(
        "device.queue.read",
        "0rIrrrIrIII_v",
        executables::queue_read,
    ),
    export(
        "device.queue.update",
        "0rIrrrIrIII_v",
        devices::queue_update,
    ),
    export(
        "device.queue.write",
        "0rIrrrIrIII_v",
        executables::queue_write,
    ),
    export("devices.count", "0v_i", devices::devices_count),
    export("devices.get", "0i_r", devices::devices_get),
    export(
        "ex.file.from_memory",
        "0rIirIIi_r",
        executables::file_from_memory,
    ),
    export(
        "executable.create",
        "0rIrrr_r",
        executables::executable_create,
    ),
    export(
        "executable.lookup.function",
        "0rr_I",
        executables::lookup_function,
    ),
    export("fence.await", "0iICrD_i", devices::fence_await),
    export("fence.create", "0rI_r", devices::fence_create),
    export("fence.fail", "0ri_v", devices::fence_fail),
    export("fence.join", "0ICrD_r", devices::fence_join),
    export("fence.query", "0r_i", devices::fence_query),
    export("fence.signal", "0r_v", devices::fence_signal),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_and_conventions_parse() {
        for pair in EXPORTS.windows(2) {
            assert!(
                pair[0].name < pair[1].name,
                "{} >= {}",
                pair[0].name,
                pair[1].name
            );
        }
        for export in &EXPORTS {
            assert!(
                crate::vm::cconv::Cconv::parse(export.cconv).is_some(),
                "{}",
                export.name
            );
        }
    }
}
