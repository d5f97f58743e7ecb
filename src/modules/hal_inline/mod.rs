//! The `hal_inline` VM module (version 0): buffers and buffer views for
//! programs compiled with `--iree-execution-model=inline-dynamic`, which
//! run their dispatches through `hal_loader` on the calling thread instead
//! of recording command buffers for a device.
//!
//! Files: `exports` (the export table and the buffer functions only this
//! module has), `storage` (`!vm.buffer` views of HAL buffers). The buffer
//! view functions are the `hal` module's own: the module wraps a
//! [`HalModule`] over its device so they run unchanged.

pub mod exports;
pub mod storage;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use crate::hal::device::Device;
use crate::modules::hal::selection::held_module;
use crate::modules::hal::{begin_table_call, begin_table_call_values, HalModule, ValueCall};
use crate::vm::bytecode::frame::RegisterValue;
use crate::vm::interface::{Function, ModuleSignature};
use crate::vm::module::{CModule, Call, FunctionInfo, Linkage};
use crate::vm::module::{Module, ModuleState};
use crate::vm::r#ref::Ref;
use crate::vm::stack::Stack;
use crate::{iree_bail, iree_err, Result};

use exports::EXPORTS;

/// The module name programs import from.
pub const NAME: &str = "hal_inline";

/// The module version compiled programs depend on (`hal_inline >= 0`).
pub const VERSION: u32 = 0;

/// The `hal_inline` module; `device.query.i64` answers from its device,
/// when it has one.
pub struct HalInlineModule {
    hal: HalModule,
}

impl HalInlineModule {
    /// A module whose queries go to `device` (none: every query fails).
    pub fn new(device: Option<Arc<dyn Device>>) -> Result<HalInlineModule> {
        Ok(HalInlineModule {
            hal: HalModule::new(device.into_iter().collect())?,
        })
    }
}

/// Looks `ordinal` up in an export table of `(name, cconv)` pairs.
pub(crate) fn table_function<'a>(
    names: impl ExactSizeIterator<Item = (&'a str, &'a str)>,
    module_name: &str,
    linkage: Linkage,
    ordinal: usize,
) -> Result<FunctionInfo<'a>> {
    if matches!(linkage, Linkage::Import | Linkage::ImportOptional) {
        iree_bail!(OutOfRange, "the {module_name} module imports nothing");
    }
    let count = names.len();
    let Some((name, calling_convention)) = names.into_iter().nth(ordinal) else {
        iree_bail!(
            OutOfRange,
            "export ordinal {ordinal} out of range ({count})"
        );
    };
    Ok(FunctionInfo {
        name,
        calling_convention,
        linkage,
    })
}

/// The ordinal of `name` in a name-sorted export table.
pub(crate) fn table_lookup<'a>(
    names: impl Iterator<Item = &'a str>,
    module_name: &str,
    linkage: Linkage,
    name: &str,
) -> Result<usize> {
    if matches!(linkage, Linkage::Import | Linkage::ImportOptional) {
        iree_bail!(NotFound, "the {module_name} module imports nothing");
    }
    names
        .into_iter()
        .position(|export| export == name)
        .ok_or_else(|| {
            iree_err!(
                NotFound,
                "function '{name}' not found in module '{module_name}'"
            )
        })
}

impl Module for HalInlineModule {
    fn name(&self) -> &str {
        NAME
    }

    fn signature(&self) -> ModuleSignature {
        ModuleSignature {
            import_function_count: 0,
            export_function_count: EXPORTS.len(),
            internal_function_count: EXPORTS.len(),
        }
    }

    fn function(&self, linkage: Linkage, ordinal: usize) -> Result<FunctionInfo<'_>> {
        table_function(
            EXPORTS.iter().map(|e| (e.name, e.cconv)),
            NAME,
            linkage,
            ordinal,
        )
    }

    fn lookup_function(&self, linkage: Linkage, name: &str) -> Result<usize> {
        table_lookup(EXPORTS.iter().map(|e| e.name), NAME, linkage, name)
    }

    fn alloc_state(&self) -> Result<ModuleState> {
        self.hal.alloc_state()
    }

    fn begin_call(&self, stack: &mut Stack, state: &mut ModuleState, call: Call<'_>) -> Result<()> {
        begin_table_call(&self.hal, &EXPORTS, NAME, stack, state, call)
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
            &self.hal, &EXPORTS, NAME, stack, state, function, values,
        ))
    }
}

/// A `hal_inline` module as the VM holds it.
pub fn create_module(device: Option<Arc<dyn Device>>) -> Result<CModule> {
    held_module(Box::new(HalInlineModule::new(device)?))
}
