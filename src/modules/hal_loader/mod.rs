//! The `hal_loader` VM module (version 1): loads executables with the
//! CPU executable loaders and runs their dispatches synchronously on the
//! calling thread (every workgroup, in order, as `local-sync` does), for
//! programs compiled with `--iree-execution-model=inline-dynamic`.
//!
//! Dispatch bindings are `!vm.buffer` ranges (the storage views
//! `hal_inline.buffer.storage` returns, or any other VM buffer).

#[cfg(test)]
mod tests;

use crate::hal::command_buffer::ResolvedRange;
use crate::hal::executable::{ExecutableCache, ExecutableParams};
use crate::hal::memory::MemoryAccess;
use crate::modules::hal::buffers::wrap_vm_bytes;
use crate::modules::hal::call::{vm_buffer, vm_string, Args, Rets};
use crate::modules::hal::selection::held_module;
use crate::modules::hal::types::{deref, register_types, to_ref, ExecutableObject};
use crate::modules::hal_inline::{table_function, table_lookup};
use crate::modules::vmvx::vmvx_device_loaders;
use crate::vm::interface::{ModuleSignature, FRAME_NATIVE};
use crate::vm::module::{CModule, Call, FunctionInfo, Linkage, Module, ModuleState};
use crate::vm::stack::Stack;
use crate::{iree_bail, iree_ensure, Result};

/// The module name programs import from.
pub const NAME: &str = "hal_loader";

/// The module version compiled programs depend on (`hal_loader >= 1`).
pub const VERSION: u32 = 1;

/// `IREE_HAL_EXECUTABLE_CACHING_MODE_ALIAS_PROVIDED_DATA`.
const CACHING_MODE_ALIAS_PROVIDED_DATA: u32 = 1 << 0;

/// The `hal_loader` module: one executable cache over the host's loaders.
pub struct HalLoaderModule {
    cache: ExecutableCache,
}

type ExportFn = fn(&HalLoaderModule, &mut Args<'_>) -> Result<Rets>;

/// IREE 3.13's exports, sorted by name.
pub(crate) static EXPORTS: [(&str, &str, ExportFn); 4] = [
    (
        "executable.dispatch",
        "0rIiiiCiDCrIID_v",
        executable_dispatch,
    ),
    ("executable.load", "0rrr_r", executable_load),
    ("executable.lookup.function", "0rr_I", lookup_function),
    ("executable.query_support", "0r_i", query_support),
];

impl HalLoaderModule {
    pub fn new() -> Result<HalLoaderModule> {
        register_types()?;
        Ok(HalLoaderModule {
            // The host's loaders, VMVX included (as 3.13's tools give it).
            cache: ExecutableCache::with_loaders(NAME, vmvx_device_loaders()),
        })
    }
}

/// 1 when some loader reads the executable format, else 0.
fn query_support(module: &HalLoaderModule, args: &mut Args<'_>) -> Result<Rets> {
    let format = args.r()?;
    args.finish()?;
    let format = vm_string(&format, "executable format")?;
    Ok(Rets::I32(module.cache.can_prepare_format(0, &format) as i32))
}

/// The 32-bit constants of an optional `!vm.buffer`.
fn constants(constants: &crate::vm::r#ref::Ref) -> Result<Vec<u32>> {
    if constants.is_null() {
        return Ok(Vec::new());
    }
    let constants = vm_buffer(constants, "executable constants")?;
    iree_ensure!(
        constants.len() % 4 == 0,
        InvalidArgument,
        "constant buffer data must contain 4-byte elements but data length is {}",
        constants.len()
    );
    Ok(constants
        .read(0, constants.len())?
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

fn executable_load(module: &HalLoaderModule, args: &mut Args<'_>) -> Result<Rets> {
    let format = args.r()?;
    let data = args.r()?;
    let constant_buffer = args.r()?;
    args.finish()?;
    let format = vm_string(&format, "executable format")?;
    let data_buffer = vm_buffer(&data, "executable data")?;
    let data = data_buffer.read(0, data_buffer.len())?;
    let constants = constants(&constant_buffer)?;
    let caching_mode = if data_buffer.access & crate::vm::buffer::ACCESS_ORIGIN_MODULE != 0 {
        CACHING_MODE_ALIAS_PROVIDED_DATA
    } else {
        0
    };
    let params = ExecutableParams {
        caching_mode,
        executable_format: &format,
        executable_data: &data,
        executable_layouts: Vec::new(),
        constants: &constants,
    };
    let executable = module.cache.prepare_executable(&params)?;
    Ok(Rets::Ref(to_ref(&ExecutableObject::new(executable))))
}

/// The ordinal `executable.dispatch` takes for the export `name`.
fn lookup_function(_: &HalLoaderModule, args: &mut Args<'_>) -> Result<Rets> {
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

/// Runs every workgroup of one export now, over `!vm.buffer` bindings.
fn executable_dispatch(_: &HalLoaderModule, args: &mut Args<'_>) -> Result<Rets> {
    let executable = args.r()?;
    let ordinal = args.i64()?;
    let workgroup_count = [args.i32()?, args.i32()?, args.i32()?];
    let constants: Vec<u32> = args.span_i32()?.into_iter().map(|c| c as u32).collect();
    let count = args.span_count(crate::vm::cconv::REF_SIZE + 16)?;
    let mut bindings = Vec::with_capacity(count);
    for i in 0..count {
        let buffer = args.r()?;
        let offset = args.i64()?;
        let length = args.i64()?;
        bindings.push((i, buffer, offset, length));
    }
    args.finish()?;
    let executable = deref::<ExecutableObject>(&executable, "executable")?;
    let executable = executable.executable();
    let Ok(ordinal) = u32::try_from(ordinal) else {
        iree_bail!(OutOfRange, "export ordinal {ordinal} is out of range");
    };
    iree_ensure!(
        (ordinal as usize) < executable.entry_point_count(),
        OutOfRange,
        "export ordinal {ordinal} is out of range ({} exports)",
        executable.entry_point_count()
    );
    let mut counts = [0u32; 3];
    for (axis, (&count, out)) in workgroup_count.iter().zip(&mut counts).enumerate() {
        let Ok(count) = u32::try_from(count) else {
            iree_bail!(
                InvalidArgument,
                "workgroup count {count} along axis {axis} is negative"
            );
        };
        *out = count;
    }
    let Some(code) = executable.code() else {
        iree_bail!(
            Unimplemented,
            "the '{}' executable has no code to run",
            executable.format()
        );
    };
    let ranges = bindings
        .into_iter()
        .map(|(i, buffer, offset, length)| binding_range(i, &buffer, offset, length))
        .collect::<Result<Vec<_>>>()?;
    code.dispatch(ordinal, counts, &constants, &ranges)?;
    Ok(Rets::None)
}

/// One binding as a HAL buffer range over the VM buffer's bytes.
fn binding_range(
    index: usize,
    buffer: &crate::vm::r#ref::Ref,
    offset: i64,
    length: i64,
) -> Result<ResolvedRange> {
    let bytes = vm_buffer(buffer, &format!("binding {index}"))?;
    let available = bytes.len();
    let access = if bytes.is_mutable() {
        MemoryAccess::ALL
    } else {
        MemoryAccess::READ
    };
    let (offset, length) = crate::modules::hal::buffers::vm_range(offset, length, available)
        .map_err(|e| e.annotate(format!("binding {index}")))?;
    let storage = wrap_vm_bytes(buffer, offset, length)?;
    let buffer = crate::hal::buffer::Buffer::wrap_host(
        storage,
        crate::hal::memory::MemoryType::HOST_LOCAL,
        access,
        crate::hal::memory::BufferUsage::DISPATCH,
    );
    Ok(ResolvedRange {
        length: length as u64,
        buffer,
        offset: 0,
    })
}

impl Module for HalLoaderModule {
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
        table_function(EXPORTS.iter().map(|e| (e.0, e.1)), NAME, linkage, ordinal)
    }

    fn lookup_function(&self, linkage: Linkage, name: &str) -> Result<usize> {
        table_lookup(EXPORTS.iter().map(|e| e.0), NAME, linkage, name)
    }

    fn alloc_state(&self) -> Result<ModuleState> {
        Ok(Box::new(()))
    }

    fn begin_call(&self, stack: &mut Stack, _: &mut ModuleState, call: Call<'_>) -> Result<()> {
        let ordinal = call.function.ordinal as usize;
        let Some(&(name, cconv, run)) = EXPORTS.get(ordinal) else {
            iree_bail!(
                OutOfRange,
                "function ordinal {ordinal} out of range ({})",
                EXPORTS.len()
            );
        };
        stack.function_enter(&call.function, FRAME_NATIVE, 0, None)?;
        let mut args = Args::new(call.arguments);
        let outcome = run(self, &mut args)
            .map_err(|e| e.annotate(format!("in {NAME}.{name}")))
            .and_then(|rets| {
                rets.write(
                    cconv.split_once('_').map_or("", |(_, r)| r).as_bytes(),
                    call.results,
                )
            });
        let left = stack.function_leave();
        outcome.and(left)
    }
}

/// A `hal_loader` module as the VM holds it.
pub fn create_module() -> Result<CModule> {
    held_module(Box::new(HalLoaderModule::new()?))
}
