//! The `vmvx` VM module (version 0): the microkernels executables built
//! with `--iree-vmvx-enable-microkernels` import, under IREE 3.13's export
//! names and calling conventions: the 2-D elementwise operations, copies
//! and fills (see `kernels`) and the data-tiling ones, `mmt4d`, `pack`,
//! `unpack` and `query_tile_sizes.2d` (see `tiling`).

use std::sync::OnceLock;

use crate::modules::hal::call::{Args, Rets};
use crate::modules::hal::selection::held_module;
use crate::modules::hal_inline::{table_function, table_lookup};
use crate::modules::vmvx::kernels::{self, binary_x32, copy, fill_x32, unary_x32};
use crate::modules::vmvx::tiling;
use crate::vm::interface::{ModuleSignature, FRAME_NATIVE};
use crate::vm::module::{CModule, Call, FunctionInfo, Linkage, Module, ModuleState};
use crate::vm::stack::Stack;
use crate::{iree_bail, Result};

/// The module name executables import from.
pub const NAME: &str = "vmvx";
/// The module version executables depend on.
pub const VERSION: u32 = 0;

type ExportFn = fn(&mut Args<'_>) -> Result<Rets>;

/// An export that returns nothing.
fn done(result: Result<()>) -> Result<Rets> {
    result.map(|()| Rets::None)
}

const UNARY: &str = "0rIIIrIIIII_v";
const BINARY: &str = "0rIIIrIIIrIIIII_v";

/// IREE 3.13's exports, sorted by name.
pub(crate) static EXPORTS: [(&str, &str, ExportFn); 32] = [
    ("abs.2d.f32", UNARY, |a| done(unary_x32(a, kernels::absf))),
    ("add.2d.f32", BINARY, |a| done(binary_x32(a, kernels::addf))),
    ("add.2d.i32", BINARY, |a| done(binary_x32(a, kernels::addi))),
    ("and.2d.i32", BINARY, |a| done(binary_x32(a, kernels::andi))),
    ("ceil.2d.f32", UNARY, |a| done(unary_x32(a, kernels::ceilf))),
    ("copy.2d.x16", UNARY, |a| done(copy(a, 2))),
    ("copy.2d.x32", UNARY, |a| done(copy(a, 4))),
    ("copy.2d.x64", UNARY, |a| done(copy(a, 8))),
    ("copy.2d.x8", UNARY, |a| done(copy(a, 1))),
    ("ctlz.2d.i32", UNARY, |a| done(unary_x32(a, kernels::ctlz))),
    ("div.2d.f32", BINARY, |a| done(binary_x32(a, kernels::divf))),
    ("divs.2d.i32", BINARY, |a| {
        done(binary_x32(a, kernels::divsi))
    }),
    ("divu.2d.i32", BINARY, |a| {
        done(binary_x32(a, kernels::divui))
    }),
    ("exp.2d.f32", UNARY, |a| done(unary_x32(a, kernels::expf))),
    ("fill.2d.x32", "0irIIII_v", |a| done(fill_x32(a))),
    ("floor.2d.f32", UNARY, |a| {
        done(unary_x32(a, kernels::floorf))
    }),
    ("log.2d.f32", UNARY, |a| done(unary_x32(a, kernels::logf))),
    ("mmt4d", "0rIIrIIrIIIIIiiii_v", |a| done(tiling::mmt4d(a))),
    ("mul.2d.f32", BINARY, |a| done(binary_x32(a, kernels::mulf))),
    ("mul.2d.i32", BINARY, |a| done(binary_x32(a, kernels::muli))),
    ("neg.2d.f32", UNARY, |a| done(unary_x32(a, kernels::negf))),
    ("or.2d.i32", BINARY, |a| done(binary_x32(a, kernels::ori))),
    ("pack", "0rIIIrIIIIIIIIIIi_v", |a| done(tiling::pack(a))),
    (
        "query_tile_sizes.2d",
        "0IIi_II",
        tiling::query_tile_sizes_2d,
    ),
    ("rsqrt.2d.f32", UNARY, |a| {
        done(unary_x32(a, kernels::rsqrtf))
    }),
    ("shl.2d.i32", BINARY, |a| done(binary_x32(a, kernels::shli))),
    ("shrs.2d.i32", BINARY, |a| {
        done(binary_x32(a, kernels::shrsi))
    }),
    ("shru.2d.i32", BINARY, |a| {
        done(binary_x32(a, kernels::shrui))
    }),
    ("sub.2d.f32", BINARY, |a| done(binary_x32(a, kernels::subf))),
    ("sub.2d.i32", BINARY, |a| done(binary_x32(a, kernels::subi))),
    ("unpack", "0rIIIrIIIIIIIIIi_v", |a| done(tiling::unpack(a))),
    ("xor.2d.i32", BINARY, |a| done(binary_x32(a, kernels::xori))),
];

/// The `vmvx` module; it keeps no state.
pub struct VmvxModule;

impl Module for VmvxModule {
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
        let outcome = run(&mut args)
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

/// The `vmvx` module, for an executable's context (one for the process:
/// it has no state of its own).
pub fn vmvx_module() -> Result<CModule> {
    static MODULE: OnceLock<CModule> = OnceLock::new();
    if let Some(module) = MODULE.get() {
        return Ok(module.clone());
    }
    let made = held_module(Box::new(VmvxModule))?;
    Ok(MODULE.get_or_init(|| made).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_are_sorted_and_unique() {
        for pair in EXPORTS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
    }
}
