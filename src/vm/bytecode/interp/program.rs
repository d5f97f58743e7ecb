//! What the interpreter needs to know about a loaded bytecode module.
//!
//! The loader (`archive.rs`/`module_def.rs`) fills a [`Program`] from the
//! flatbuffer; [`Program::prepare`] sizes its frames, verifies it
//! (`verifier.rs`) and translates it (`translate.rs`); the interpreter then
//! runs it. This file imports neither of those stages: only the parsed file
//! and the definition of the translated form.

use super::code::Translated;
use crate::vm::bytecode::module_def::{Location, ModuleDef};
use crate::vm::cconv::Cconv;

/// Register bank of a cconv character.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bank {
    I32,
    I64,
    Ref,
}

pub fn bank_of(c: u8) -> Option<Bank> {
    match c {
        b'i' | b'f' => Some(Bank::I32),
        b'I' | b'F' => Some(Bank::I64),
        b'r' => Some(Bank::Ref),
        _ => None,
    }
}

/// One internal function.
#[derive(Clone, Debug, Default)]
pub struct FunctionDesc {
    /// `module.function` style name for backtraces (may be empty).
    pub name: String,
    /// Byte range of the body within [`Program::bytecode`].
    pub offset: usize,
    pub length: usize,
    /// Register counts: the descriptor's until [`Program::prepare`], then
    /// the frame's (the registers the body names and the arguments occupy,
    /// at least the declared counts, within
    /// [`FunctionDesc::register_limits`]).
    pub i32_register_count: u16,
    pub ref_register_count: u16,
    pub block_count: u16,
    /// Signature, when known (exported/internal functions with a
    /// signature table entry). Calls to a function without one are checked
    /// only for register bounds.
    pub cconv: Option<Cconv>,
    /// Sorted `(bytecode offset, "file:line")` pairs from the debug database.
    pub locations: Vec<(u32, String)>,
}

/// Registers of each bank: what a body may name, or what a frame holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegisterCounts {
    pub i32s: u16,
    pub refs: u16,
}

impl FunctionDesc {
    /// The register ordinals the body may name and the arguments may
    /// occupy: each declared count rounded up to a power of two, at least
    /// 1, as the reference runtime's verifier sizes register banks. The
    /// compiler writes exact counts, but `iree-as-module` counts only the
    /// registers a body names, which can be fewer than its arguments
    /// occupy; the reference accepts such a function when the rounded
    /// counts hold the arguments, and so do we. Counts that round past the
    /// encodable register ordinals are RESOURCE_EXHAUSTED, as there.
    ///
    /// Frames are not this large: the verifier sizes each function's frame
    /// by the registers it finds named (see `verifier::verify_program`), so
    /// a function declaring no refs pushes and pops no ref slots.
    pub fn register_limits(&self) -> crate::Result<RegisterCounts> {
        let round = |n: u16, mask: u16| -> Option<u16> {
            let r = n.max(1).checked_next_power_of_two()?;
            (r <= mask).then_some(r)
        };
        match (
            round(self.i32_register_count, crate::vm::bytecode::isa::I32_MASK),
            round(self.ref_register_count, crate::vm::bytecode::isa::REF_MASK),
        ) {
            (Some(i32s), Some(refs)) => Ok(RegisterCounts { i32s, refs }),
            _ => Err(crate::iree_err!(
                ResourceExhausted,
                "register count overflow ({} i32, {} ref registers)",
                self.i32_register_count,
                self.ref_register_count
            )),
        }
    }
}

/// One import slot.
#[derive(Clone, Debug, Default)]
pub struct ImportDesc {
    pub name: String,
    pub cconv: Option<Cconv>,
}

/// The static parts of a bytecode module the interpreter executes.
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub module_name: String,
    pub bytecode: Vec<u8>,
    pub functions: Vec<FunctionDesc>,
    pub imports: Vec<ImportDesc>,
    pub type_count: u32,
    pub rodata_count: u32,
    /// Bytes of primitive global storage (rwdata).
    pub global_bytes: u32,
    pub global_ref_count: u32,
    /// Every function in executable form; filled by [`Program::prepare`].
    pub translated: Vec<Translated>,
}

impl Program {
    /// Where the instruction at or before `pc` of `function` came from in
    /// the source, if recorded.
    pub fn location(&self, function: u32, pc: usize) -> Option<&str> {
        let f = self.functions.get(function as usize)?;
        let i = f.locations.partition_point(|(o, _)| (*o as usize) <= pc);
        let (_, loc) = f.locations.get(i.checked_sub(1)?)?;
        Some(loc.as_str())
    }

    /// Bytecode of one function.
    pub fn body(&self, function: u32) -> &[u8] {
        let f = &self.functions[function as usize];
        &self.bytecode[f.offset..f.offset + f.length]
    }
}

impl Program {
    /// Builds the interpreter's view of a parsed module file.
    pub fn from_module_def(def: &ModuleDef, file: &[u8]) -> Program {
        fn describe(def: &ModuleDef, at: u32, depth: u32) -> Option<String> {
            if depth > 16 {
                return None;
            }
            match def.locations.get(at as usize)? {
                Location::FileLineCol {
                    filename,
                    line,
                    column,
                } => Some(format!("{filename}:{line}:{column}")),
                Location::Fused { locations, .. } => {
                    locations.iter().find_map(|&l| describe(def, l, depth + 1))
                }
                Location::Name { child: Some(c), .. } => describe(def, *c, depth + 1),
                Location::CallSite { callee, .. } => describe(def, *callee, depth + 1),
                _ => None,
            }
        }
        let bytecode = file.get(def.bytecode.clone()).unwrap_or_default().to_vec();
        let mut names: Vec<String> = vec![String::new(); def.functions.len()];
        for e in &def.exports {
            if let Some(n) = names.get_mut(e.internal_ordinal as usize) {
                if n.is_empty() {
                    *n = e.name.clone();
                }
            }
        }
        // iree-compile 3.13 files every source map of functions it has not
        // numbered yet under ordinal 0; the map's name says whose it is.
        let mut source_map_of: Vec<usize> = (0..def.functions.len()).collect();
        for (i, f) in def.functions.iter().enumerate() {
            let Some(d) = f.debug_name.as_deref() else {
                continue;
            };
            if names[i] == d {
                continue;
            }
            let mut owners = names.iter().enumerate().filter(|(_, n)| n.as_str() == d);
            if let (Some((owner, _)), None) = (owners.next(), owners.next()) {
                if def.functions[owner].debug_name.is_none() {
                    source_map_of[owner] = i;
                    source_map_of[i] = usize::MAX;
                }
            }
        }
        let functions = def
            .functions
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let map = def.functions.get(source_map_of[i]);
                (i, f, map)
            })
            .map(|(i, f, map)| FunctionDesc {
                name: map
                    .and_then(|m| m.debug_name.clone())
                    .unwrap_or_else(|| names[i].clone()),
                offset: f.bytecode.start,
                length: f.bytecode.end - f.bytecode.start,
                i32_register_count: f.i32_register_count,
                ref_register_count: f.ref_register_count,
                block_count: f.block_count,
                cconv: f.signature.parsed_cconv.clone(),
                locations: map
                    .map(|m| m.locations.as_slice())
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|l| Some((l.bytecode_offset, describe(def, l.location, 0)?)))
                    .collect(),
            })
            .collect();
        let imports = def
            .imports
            .iter()
            .map(|im| ImportDesc {
                name: im.name.clone(),
                cconv: im.signature.parsed_cconv.clone(),
            })
            .collect();
        Program {
            module_name: def.name.clone(),
            bytecode,
            functions,
            imports,
            type_count: def.types.len() as u32,
            rodata_count: def.rodata.len() as u32,
            global_bytes: def.global_bytes,
            global_ref_count: def.global_refs,
            translated: Vec::new(),
        }
    }
}
