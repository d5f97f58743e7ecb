//! The `hal` VM module, version 7: the exports IREE 3.13 programs import
//! to allocate buffers, record command buffers, drive device queues and
//! wait on fences, over the core HAL.
//!
//! Files, one concern each: `types` (the 11 ref types and ref <-> object
//! conversions), `call` (argument and result marshalling), `exports` (the
//! export table), `buffers` (allocator, buffer, buffer view),
//! `command_buffers`, `devices` (devices, queues, fences),
//! `executables` (executables and files), `selection` (which devices a
//! module is created over).
//!
//! `fence.await` is a yieldable import, but it blocks the calling thread
//! until its fences are reached instead of yielding: the VM's stack has no
//! wait frames yet, and IREE 3.13's own hal module also always waits
//! synchronously.

pub mod buffers;
pub mod call;
mod call_values;
pub mod command_buffers;
pub mod devices;
pub mod executables;
pub mod exports;
pub mod flags;
pub mod selection;
#[cfg(test)]
mod tests;
pub mod types;

use std::sync::{Arc, Mutex, PoisonError, Weak};

use crate::hal::buffer::Buffer;
use crate::hal::device::Device;
use crate::hal::executable::ExecutableCache;
use crate::vm::bytecode::frame::RegisterValue;
use crate::vm::cconv;
use crate::vm::interface::{Function, ModuleSignature, FRAME_NATIVE};
use crate::vm::module::{Call, FunctionInfo, Linkage, Module, ModuleState};
use crate::vm::r#ref::Ref;
use crate::vm::stack::Stack;
use crate::{iree_bail, iree_err, Result};

use call::Args;
use exports::EXPORTS;
use types::DeviceObject;

/// The module version compiled programs depend on (`hal >= 7`).
pub const VERSION: u32 = 7;

/// The `hal` module over a fixed group of devices (see [`selection`] for
/// making one from device URIs).
pub struct HalModule {
    devices: Vec<Arc<DeviceObject>>,
    /// Allocation preserve counts (`buffer.allocation.*`), by allocated
    /// buffer; an allocation absent here has the count it starts with, 1.
    preserve_counts: Mutex<Vec<(Weak<Buffer>, u32)>>,
}

/// Per-context state: one executable cache per device, in device order.
pub struct HalState {
    executable_caches: Vec<ExecutableCache>,
}

/// What an export function sees of the module and its context state.
pub struct Context<'a> {
    pub module: &'a HalModule,
    pub state: &'a mut HalState,
}

impl HalModule {
    /// A module over `devices` (in the order `devices.get` returns them).
    /// Registers the HAL ref types.
    pub fn new(devices: Vec<Arc<dyn Device>>) -> Result<HalModule> {
        types::register_types()?;
        Ok(HalModule {
            devices: devices.into_iter().map(DeviceObject::new).collect(),
            preserve_counts: Mutex::new(Vec::new()),
        })
    }

    /// The devices, as the program sees them.
    pub fn devices(&self) -> &[Arc<DeviceObject>] {
        &self.devices
    }

    /// Runs `update` on the preserve count of `buffer`'s allocation and
    /// returns what it returns.
    pub(crate) fn with_preserve_count<R>(
        &self,
        buffer: &Arc<Buffer>,
        update: impl FnOnce(&mut u32) -> R,
    ) -> R {
        let allocated = buffer.allocated_buffer();
        let mut counts = self
            .preserve_counts
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        counts.retain(|(weak, _)| weak.strong_count() > 0);
        let index = match counts
            .iter()
            .position(|(weak, _)| std::ptr::eq(weak.as_ptr(), Arc::as_ptr(&allocated)))
        {
            Some(index) => index,
            None => {
                counts.push((Arc::downgrade(&allocated), 1));
                counts.len() - 1
            }
        };
        update(&mut counts[index].1)
    }
}

impl HalState {
    /// The executable cache of `device` (NOT_FOUND for a device this
    /// module was not created with).
    pub(crate) fn executable_cache(
        &self,
        module: &HalModule,
        device: &DeviceObject,
    ) -> Result<&ExecutableCache> {
        module
            .devices
            .iter()
            .position(|d| std::ptr::eq(Arc::as_ptr(d), device))
            .and_then(|i| self.executable_caches.get(i))
            .ok_or_else(|| {
                iree_err!(
                    NotFound,
                    "no executable cache for the given device found; the device is not one the hal module was created with"
                )
            })
    }
}

impl Module for HalModule {
    fn name(&self) -> &str {
        "hal"
    }

    fn signature(&self) -> ModuleSignature {
        ModuleSignature {
            import_function_count: 0,
            export_function_count: EXPORTS.len(),
            internal_function_count: EXPORTS.len(),
        }
    }

    fn function(&self, linkage: Linkage, ordinal: usize) -> Result<FunctionInfo<'_>> {
        if matches!(linkage, Linkage::Import | Linkage::ImportOptional) {
            iree_bail!(OutOfRange, "the hal module imports nothing");
        }
        let Some(export) = EXPORTS.get(ordinal) else {
            iree_bail!(
                OutOfRange,
                "export ordinal {ordinal} out of range ({})",
                EXPORTS.len()
            );
        };
        Ok(FunctionInfo {
            name: export.name,
            calling_convention: export.cconv,
            linkage,
        })
    }

    fn lookup_function(&self, linkage: Linkage, name: &str) -> Result<usize> {
        if matches!(linkage, Linkage::Import | Linkage::ImportOptional) {
            iree_bail!(NotFound, "the hal module imports nothing");
        }
        EXPORTS
            .binary_search_by(|export| export.name.cmp(name))
            .map_err(|_| iree_err!(NotFound, "function '{name}' not found in module 'hal'"))
    }

    fn alloc_state(&self) -> Result<ModuleState> {
        let executable_caches = self
            .devices
            .iter()
            .map(|d| d.device().create_executable_cache(""))
            .collect::<Result<Vec<_>>>()?;
        Ok(Box::new(HalState { executable_caches }))
    }

    /// Suspend and low-memory signals trim every device (as upstream).
    fn notify(&self, _state: &mut ModuleState, signal: u32) -> Result<()> {
        const SIGNAL_SUSPEND: u32 = 1;
        const SIGNAL_LOW_MEMORY: u32 = 2;
        if matches!(signal, SIGNAL_SUSPEND | SIGNAL_LOW_MEMORY) {
            for device in &self.devices {
                device.device().trim()?;
            }
        }
        Ok(())
    }

    fn begin_call(&self, stack: &mut Stack, state: &mut ModuleState, call: Call<'_>) -> Result<()> {
        begin_table_call(self, &EXPORTS, "hal", stack, state, call)
    }

    fn begin_call_values(
        &self,
        stack: &mut Stack,
        state: &mut ModuleState,
        function: Function,
        args: &[RegisterValue<Ref>],
        segment_sizes: Option<&[i32]>,
        results: &mut Vec<RegisterValue<Ref>>,
    ) -> Option<Result<()>> {
        let values = ValueCall {
            args,
            segment_sizes,
            results,
        };
        Some(begin_table_call_values(
            self, &EXPORTS, "hal", stack, state, function, values,
        ))
    }
}

/// A call's arguments and results as the calling interpreter holds them.
pub struct ValueCall<'a> {
    pub args: &'a [RegisterValue<Ref>],
    pub segment_sizes: Option<&'a [i32]>,
    pub results: &'a mut Vec<RegisterValue<Ref>>,
}

/// Export `ordinal` of `table` and the [`HalState`] inside `state`, or a
/// status naming which is wrong.
fn export_and_state<'t, 's>(
    table: &'t [exports::Export],
    module_name: &str,
    ordinal: u16,
    state: &'s mut ModuleState,
) -> Result<(&'t exports::Export, &'s mut HalState)> {
    let Some(export) = table.get(ordinal as usize) else {
        iree_bail!(
            OutOfRange,
            "function ordinal {ordinal} out of range ({})",
            table.len()
        );
    };
    let Some(state) = state.downcast_mut::<HalState>() else {
        iree_bail!(
            InvalidArgument,
            "module state is not the {module_name} module's"
        );
    };
    Ok((export, state))
}

/// Runs export `call.function.ordinal` of `table` (the export table of
/// `module_name`, a module whose state is a [`HalState`]) over `module`:
/// the `hal` module and the inline modules share this.
pub(crate) fn begin_table_call(
    module: &HalModule,
    table: &[exports::Export],
    module_name: &str,
    stack: &mut Stack,
    state: &mut ModuleState,
    call: Call<'_>,
) -> Result<()> {
    let (export, state) = export_and_state(table, module_name, call.function.ordinal, state)?;
    stack.function_enter(&call.function, FRAME_NATIVE, 0, None)?;
    let outcome = run_export(
        module,
        state,
        export,
        module_name,
        call.arguments,
        call.results,
    );
    let left = stack.function_leave();
    outcome.and(left)
}

/// [`begin_table_call`] with the arguments and results as interpreter
/// values (see [`Module::begin_call_values`]).
pub(crate) fn begin_table_call_values(
    module: &HalModule,
    table: &[exports::Export],
    module_name: &str,
    stack: &mut Stack,
    state: &mut ModuleState,
    function: Function,
    call: ValueCall<'_>,
) -> Result<()> {
    let (export, state) = export_and_state(table, module_name, function.ordinal, state)?;
    stack.function_enter(&function, FRAME_NATIVE, 0, None)?;
    let outcome = run_export_values(module, state, export, module_name, call);
    let left = stack.function_leave();
    outcome.and(left)
}

fn run_export_values(
    module: &HalModule,
    state: &mut HalState,
    export: &exports::Export,
    module_name: &str,
    call: ValueCall<'_>,
) -> Result<()> {
    let (arg_fragment, result_fragment) = cconv::fragments(export.cconv)?;
    let mut args = Args::from_values(arg_fragment.as_bytes(), call.args, call.segment_sizes);
    let mut context = Context { module, state };
    (export.run)(&mut context, &mut args)
        .map_err(|e| e.annotate(format!("in {module_name}.{}", export.name)))
        .and_then(|rets| rets.write_values(result_fragment.as_bytes(), call.results))
}

impl HalModule {
    /// Runs export `ordinal` of [`exports::EXPORTS`] on `state` (one this
    /// module allocated) with interpreter values, outside any VM stack:
    /// for harnesses that drive the exports directly (the fuzz target of
    /// the tools crate). Every argument is checked as for a program's call.
    pub fn call_export(
        &self,
        state: &mut ModuleState,
        ordinal: u16,
        call: ValueCall<'_>,
    ) -> Result<()> {
        let (export, state) = export_and_state(&EXPORTS, "hal", ordinal, state)?;
        run_export_values(self, state, export, "hal", call)
    }
}

fn run_export(
    module: &HalModule,
    state: &mut HalState,
    export: &exports::Export,
    module_name: &str,
    arguments: &[u8],
    results: &mut [u8],
) -> Result<()> {
    let mut args = Args::new(arguments);
    let mut context = Context { module, state };
    let rets = (export.run)(&mut context, &mut args)
        .map_err(|e| e.annotate(format!("in {module_name}.{}", export.name)))?;
    let result_fragment = export
        .cconv
        .split_once('_')
        .map_or("", |(_, results)| results);
    rets.write(result_fragment.as_bytes(), results)
}
