//! The bytecode module: a loaded `.vmfb` behind the VM [`Module`] trait.
//!
//! Loading parses and verifies the file once ([`BytecodeModule::load`]);
//! each context gets a [`BytecodeState`] with the module's globals, its
//! rodata segments as read-only `vm.buffer`s viewing the file, and the
//! import table the context resolves. Calls unpack the packed arguments,
//! run the interpreter with a [`VmHost`] bound to the caller's stack and
//! pack the results back.
//!
//! The module initializer (export `__init`) runs once per state: at state
//! creation when the module has no imports, otherwise before the first call
//! into the state (imports are only resolved after creation, and the VM
//! context does not run initializers itself). Yields are resumed at once:
//! the `Module` trait has no way to suspend a call.

use std::sync::Arc;

use crate::abi::iree_byte_span_t;
use crate::vm::buffer::{self, Buffer};
use crate::vm::bytecode::frame::RegisterValue;
use crate::vm::bytecode::interp::program::Program;
use crate::vm::bytecode::interp::{Globals, Invocation, Outcome};
use crate::vm::bytecode::module_def::{ModuleDef, Signature};
use crate::vm::bytecode::vm_host::{
    arg_to_value, read_value, value_to_arg, ResolvedImport, TypeInfo, VmHost,
};
use crate::vm::cconv::{self, Cconv};
use crate::vm::interface::{Function, ModuleSignature, FRAME_BYTECODE};
use crate::vm::module::{
    export_module, module_release, CModule, Call, FunctionInfo, Linkage, Module, ModuleState,
};
use crate::vm::r#ref::Ref;
use crate::vm::stack::Stack;
use crate::{iree_bail, iree_ensure, iree_err, Result};

/// The bytes of a module file, kept alive as long as the module and any
/// state or rodata buffer viewing them.
pub trait ModuleBytes: Send + Sync {
    fn bytes(&self) -> &[u8];
}

impl ModuleBytes for Vec<u8> {
    fn bytes(&self) -> &[u8] {
        self
    }
}

/// A loaded bytecode module.
pub struct BytecodeModule {
    file: Arc<dyn ModuleBytes>,
    def: ModuleDef,
    program: Program,
    types: Vec<TypeInfo>,
    import_cconvs: Vec<String>,
    /// Import calling conventions parsed once (`None`: general path).
    import_shapes: Vec<Option<Cconv>>,
    /// Calling conventions of the internal functions parsed once, for the
    /// allocation-free call path (`None`: the general path).
    shapes: Vec<Option<Cconv>>,
    /// Internal ordinal of the `__init` export, if any.
    initializer: Option<u32>,
}

/// Where a state's initializer stands.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Init {
    Pending,
    Running,
    Done,
    Failed(String),
}

/// Per-context state of a bytecode module.
pub struct BytecodeState {
    globals: Globals<Ref>,
    rodata: Vec<Ref>,
    imports: Vec<Option<ResolvedImport>>,
    init: Init,
    /// A finished invocation kept to reuse its register storage.
    spare: Option<Box<Invocation<Ref>>>,
    /// Reused for the entry arguments of calls (empty between calls).
    spare_args: Vec<RegisterValue<Ref>>,
    /// Keeps the file alive for the rodata buffers.
    file: Arc<dyn ModuleBytes>,
}

impl Drop for BytecodeState {
    fn drop(&mut self) {
        // What this state holds itself goes first: a global (a `hal.file`
        // over rodata, say) or a spare register referencing a rodata
        // buffer is not an escape, and counting it as one leaked the file.
        self.spare = None;
        self.spare_args.clear();
        self.globals.refs.clear();
        // Rodata buffers view the file. If one escaped (stored somewhere
        // outliving this state), keep the file forever rather than leave
        // it dangling.
        let escaped = self
            .rodata
            .iter()
            .any(|r| Buffer::from_ref(r).is_ok_and(|b| b.ref_count() > 1));
        if escaped {
            std::mem::forget(self.file.clone());
        }
    }
}

/// Moves the entry function's results into packed result bytes laid out by
/// `types` (voids dropped). Nothing is written unless every result matches.
fn pack_results(types: &[u8], values: &mut Vec<RegisterValue<Ref>>, out: &mut [u8]) -> Result<()> {
    iree_ensure!(
        values.len() == types.len(),
        Internal,
        "function returned {} values but its signature has {}",
        values.len(),
        types.len()
    );
    for (v, &c) in values.iter().zip(types) {
        match (c, v) {
            (b'i' | b'f', RegisterValue::I32(_))
            | (b'I' | b'F', RegisterValue::I64(_))
            | (b'r', RegisterValue::Ref(_)) => {}
            (c, v) => iree_bail!(
                Internal,
                "result {:?} does not match cconv type '{}'",
                v,
                c as char
            ),
        }
    }
    let mut at = 0;
    for v in values.iter_mut() {
        match v {
            RegisterValue::I32(x) => {
                out[at..at + 4].copy_from_slice(&x.to_le_bytes());
                at += 4;
            }
            RegisterValue::I64(x) => {
                out[at..at + 8].copy_from_slice(&x.to_le_bytes());
                at += 8;
            }
            RegisterValue::Ref(r) => {
                let raw = std::mem::take(r).into_raw();
                out[at..at + 8].copy_from_slice(&(raw.ptr as usize).to_le_bytes());
                out[at + 8..at + 12].copy_from_slice(&raw.bits.to_le_bytes());
                out[at + 12..at + cconv::REF_SIZE].fill(0);
                at += cconv::REF_SIZE;
            }
        }
    }
    values.clear();
    Ok(())
}

fn cconv_of(sig: &Signature) -> &str {
    sig.cconv.as_deref().unwrap_or("")
}

impl BytecodeModule {
    /// Parses and verifies a module file.
    pub fn load(file: Arc<dyn ModuleBytes>) -> Result<BytecodeModule> {
        let bytes = file.bytes();
        let def = ModuleDef::parse(bytes)
            .map_err(|e| e.annotate("loading bytecode module".to_string()))?;
        let mut program = Program::from_module_def(&def, bytes);
        program
            .prepare()
            .map_err(|e| e.annotate(format!("verifying bytecode module '{}'", def.name)))?;
        crate::vm::builtin_types::register_builtin_types()?;
        let types = def.types.iter().map(|t| TypeInfo::parse(t)).collect();
        let import_cconvs: Vec<String> = def
            .imports
            .iter()
            .map(|i| cconv_of(&i.signature).to_string())
            .collect();
        let import_shapes = def
            .imports
            .iter()
            .map(|i| i.signature.parsed_cconv.clone())
            .collect();
        let shapes = def
            .functions
            .iter()
            .map(|f| match cconv_of(&f.signature) {
                "" => Some(Cconv::empty()),
                _ => f.signature.parsed_cconv.clone(),
            })
            .collect();
        let initializer = def
            .exports
            .iter()
            .find(|e| e.name == "__init")
            .map(|e| e.internal_ordinal as u32);
        Ok(BytecodeModule {
            file,
            def,
            program,
            types,
            import_cconvs,
            import_shapes,
            shapes,
            initializer,
        })
    }

    /// Loads a module from owned bytes.
    pub fn from_vec(bytes: Vec<u8>) -> Result<BytecodeModule> {
        Self::load(Arc::new(bytes))
    }

    pub fn def(&self) -> &ModuleDef {
        &self.def
    }

    fn internal_ordinal(&self, function: &Function) -> Result<u32> {
        match Linkage::from_raw(function.linkage as u32) {
            Some(Linkage::Export) => self
                .def
                .exports
                .get(function.ordinal as usize)
                .map(|e| e.internal_ordinal as u32)
                .ok_or_else(|| {
                    iree_err!(
                        OutOfRange,
                        "export ordinal {} out of range",
                        function.ordinal
                    )
                }),
            Some(Linkage::Internal) => {
                let o = function.ordinal as usize;
                iree_ensure!(
                    o < self.def.functions.len(),
                    OutOfRange,
                    "function ordinal {} out of range",
                    o
                );
                Ok(o as u32)
            }
            _ => Err(iree_err!(
                InvalidArgument,
                "imports of module '{}' cannot be called on the module itself",
                self.def.name
            )),
        }
    }

    /// Runs internal function `ordinal` to completion (resuming yields)
    /// and returns its results.
    fn run(
        &self,
        state: &mut BytecodeState,
        stack: Option<&mut Stack>,
        ordinal: u32,
        args: &[RegisterValue<Ref>],
    ) -> Result<Vec<RegisterValue<Ref>>> {
        self.run_with(state, stack, ordinal, args, |results| {
            Ok(std::mem::take(results))
        })
    }

    /// Runs internal function `ordinal` to completion (resuming yields)
    /// and hands its results to `finish`. The invocation (with its
    /// register and result storage) is kept in the state for the next call.
    fn run_with<T>(
        &self,
        state: &mut BytecodeState,
        stack: Option<&mut Stack>,
        ordinal: u32,
        args: &[RegisterValue<Ref>],
        finish: impl FnOnce(&mut Vec<RegisterValue<Ref>>) -> Result<T>,
    ) -> Result<T> {
        let mut inv = state.spare.take().unwrap_or_default();
        let mut host = VmHost {
            stack,
            imports: &state.imports,
            import_cconvs: &self.import_cconvs,
            import_shapes: &self.import_shapes,
            rodata: &state.rodata,
            types: &self.types,
        };
        // An invocation that failed to begin may hold part of its entry
        // frame: it is dropped rather than kept. (`run` unwinds its stack
        // itself when it fails.)
        inv.begin(&self.program, ordinal, args)?;
        let outcome = loop {
            match inv.run(&self.program, &mut state.globals, &mut host) {
                Ok(Outcome::Returned) => break finish(&mut inv.results),
                Ok(Outcome::Yielded) => continue,
                Err(e) => break Err(e),
            }
        };
        inv.results.clear();
        state.spare = Some(inv);
        outcome
    }

    /// Runs the initializer if this state has not run it yet.
    fn ensure_initialized(
        &self,
        state: &mut BytecodeState,
        stack: Option<&mut Stack>,
    ) -> Result<()> {
        match &state.init {
            Init::Done | Init::Running => return Ok(()),
            Init::Failed(m) => iree_bail!(
                FailedPrecondition,
                "initializer of module '{}' failed: {}",
                self.def.name,
                m
            ),
            Init::Pending => {}
        }
        let Some(init) = self.initializer else {
            state.init = Init::Done;
            return Ok(());
        };
        state.init = Init::Running;
        match self.run(state, stack, init, &[]) {
            Ok(_) => {
                state.init = Init::Done;
                Ok(())
            }
            Err(e) => {
                state.init = Init::Failed(e.to_string());
                Err(e.annotate(format!("running initializer of module '{}'", self.def.name)))
            }
        }
    }

    fn state_mut<'s>(&self, state: &'s mut ModuleState) -> Result<&'s mut BytecodeState> {
        state
            .downcast_mut::<BytecodeState>()
            .ok_or_else(|| iree_err!(InvalidArgument, "state of another module type"))
    }

    /// The internal ordinal `function` runs, after running the initializer
    /// if this state has not; `None` when the call was of the initializer
    /// itself on a fresh state, which runs it just once.
    fn prepare_call(
        &self,
        stack: &mut Stack,
        state: &mut BytecodeState,
        function: &Function,
    ) -> Result<Option<u32>> {
        let ordinal = self.internal_ordinal(function)?;
        let first_init = state.init == Init::Pending && Some(ordinal) == self.initializer;
        if state.init != Init::Done {
            self.ensure_initialized(state, Some(&mut *stack))?;
        }
        Ok((!first_init).then_some(ordinal))
    }

    /// [`Module::begin_call_values`]: `begin_call` without the packed
    /// bytes.
    fn call_with_values(
        &self,
        stack: &mut Stack,
        state: &mut ModuleState,
        function: Function,
        args: &[RegisterValue<Ref>],
        results: &mut Vec<RegisterValue<Ref>>,
    ) -> Result<()> {
        self.in_frame(stack, state, &function, |stack, state| {
            match self.prepare_call(stack, state, &function)? {
                Some(ordinal) => self.run_with(state, Some(stack), ordinal, args, |v| {
                    results.append(v);
                    Ok(())
                }),
                None => Ok(()),
            }
        })
    }

    /// Runs `body` on this module's state inside a stack frame of
    /// `function` (so the call shows in backtraces).
    fn in_frame(
        &self,
        stack: &mut Stack,
        state: &mut ModuleState,
        function: &Function,
        body: impl FnOnce(&mut Stack, &mut BytecodeState) -> Result<()>,
    ) -> Result<()> {
        let state = self.state_mut(state)?;
        stack.function_enter(function, FRAME_BYTECODE, 0, None)?;
        let result = body(stack, state);
        let left = stack.function_leave();
        result?;
        left
    }

    fn call_inner(
        &self,
        stack: &mut Stack,
        state: &mut BytecodeState,
        call: Call<'_>,
    ) -> Result<()> {
        let Some(ordinal) = self.prepare_call(stack, state, &call.function)? else {
            return Ok(());
        };
        match self.shapes[ordinal as usize].as_ref() {
            Some(
                shape @ Cconv {
                    packed: Some(sizes),
                    ..
                },
            ) if call.arguments.len() >= sizes.args && call.results.len() == sizes.results => {
                self.call_plain(stack, state, ordinal, shape, call)
            }
            _ => self.call_general(stack, state, ordinal, call),
        }
    }

    /// Calls with a plain (non-variadic) convention whose buffers have the
    /// expected sizes: arguments go from the packed bytes into a reused
    /// vector, results from the interpreter straight into the packed
    /// result bytes. Allocates nothing once the state has warmed up.
    fn call_plain(
        &self,
        stack: &mut Stack,
        state: &mut BytecodeState,
        ordinal: u32,
        shape: &Cconv,
        call: Call<'_>,
    ) -> Result<()> {
        let mut args = std::mem::take(&mut state.spare_args);
        args.clear();
        let mut at = 0;
        let mut unpacked = Ok(());
        for &c in shape.args.iter() {
            match read_value(c, call.arguments, &mut at) {
                Ok(v) => args.push(v),
                Err(e) => {
                    unpacked = Err(e);
                    break;
                }
            }
        }
        let results = call.results;
        let outcome = unpacked.and_then(|()| {
            self.run_with(state, Some(stack), ordinal, &args, |values| {
                pack_results(&shape.results, values, results)
            })
        });
        args.clear();
        state.spare_args = args;
        outcome
    }

    /// Any calling convention: unpacks into fresh vectors.
    fn call_general(
        &self,
        stack: &mut Stack,
        state: &mut BytecodeState,
        ordinal: u32,
        call: Call<'_>,
    ) -> Result<()> {
        let cconv = cconv_of(&self.def.functions[ordinal as usize].signature);
        let (arg_fragment, result_fragment) = if cconv.is_empty() {
            ("", "")
        } else {
            cconv::fragments(cconv)?
        };
        let args = cconv::unpack(arg_fragment, call.arguments)?
            .into_iter()
            .map(arg_to_value)
            .collect::<Result<Vec<_>>>()?;
        let values = self.run(state, Some(stack), ordinal, &args)?;
        let result_types: Vec<u8> = result_fragment.bytes().filter(|&c| c != b'v').collect();
        iree_ensure!(
            values.len() == result_types.len(),
            Internal,
            "function returned {} values but its signature has {}",
            values.len(),
            result_types.len()
        );
        let results = values
            .into_iter()
            .zip(result_types.iter())
            .map(|(v, &c)| value_to_arg(c, v))
            .collect::<Result<Vec<_>>>()?;
        let packed = cconv::pack(result_fragment, results)?;
        if packed.len() != call.results.len() {
            let mut packed = packed;
            cconv::release_refs(result_fragment, &mut packed);
            iree_bail!(
                InvalidArgument,
                "result buffer is {} bytes but '{}' needs {}",
                call.results.len(),
                cconv,
                packed.len()
            );
        }
        call.results.copy_from_slice(&packed);
        Ok(())
    }
}

impl Module for BytecodeModule {
    fn name(&self) -> &str {
        &self.def.name
    }

    fn signature(&self) -> ModuleSignature {
        ModuleSignature {
            import_function_count: self.def.imports.len(),
            export_function_count: self.def.exports.len(),
            internal_function_count: self.def.functions.len(),
        }
    }

    fn function(&self, linkage: Linkage, ordinal: usize) -> Result<FunctionInfo<'_>> {
        match linkage {
            Linkage::Import | Linkage::ImportOptional => {
                let i = self.def.imports.get(ordinal).ok_or_else(|| {
                    iree_err!(OutOfRange, "import ordinal {} out of range", ordinal)
                })?;
                Ok(FunctionInfo {
                    name: &i.name,
                    calling_convention: cconv_of(&i.signature),
                    linkage: if i.optional {
                        Linkage::ImportOptional
                    } else {
                        Linkage::Import
                    },
                })
            }
            Linkage::Export => {
                let e = self.def.exports.get(ordinal).ok_or_else(|| {
                    iree_err!(OutOfRange, "export ordinal {} out of range", ordinal)
                })?;
                let f = &self.def.functions[e.internal_ordinal as usize];
                Ok(FunctionInfo {
                    name: &e.name,
                    calling_convention: cconv_of(&f.signature),
                    linkage,
                })
            }
            Linkage::Internal => {
                let f = self.def.functions.get(ordinal).ok_or_else(|| {
                    iree_err!(OutOfRange, "function ordinal {} out of range", ordinal)
                })?;
                Ok(FunctionInfo {
                    name: &self.program.functions[ordinal].name,
                    calling_convention: cconv_of(&f.signature),
                    linkage,
                })
            }
        }
    }

    fn lookup_function(&self, linkage: Linkage, name: &str) -> Result<usize> {
        match linkage {
            Linkage::Import | Linkage::ImportOptional => {
                self.def.imports.iter().position(|i| i.name == name)
            }
            Linkage::Export => self.def.exports.iter().position(|e| e.name == name),
            Linkage::Internal => self.program.functions.iter().position(|f| f.name == name),
        }
        .ok_or_else(|| {
            iree_err!(
                NotFound,
                "function '{}' not found in module '{}'",
                name,
                self.def.name
            )
        })
    }

    fn reflection_attr(
        &self,
        linkage: Linkage,
        ordinal: usize,
        index: usize,
    ) -> Result<(&str, &str)> {
        let sig = match linkage {
            Linkage::Import | Linkage::ImportOptional => {
                self.def.imports.get(ordinal).map(|i| &i.signature)
            }
            Linkage::Export => self.def.export_signature(ordinal),
            Linkage::Internal => self.def.functions.get(ordinal).map(|f| &f.signature),
        }
        .ok_or_else(|| iree_err!(OutOfRange, "function ordinal {} out of range", ordinal))?;
        let attr = sig
            .attrs
            .get(index)
            .ok_or_else(|| iree_err!(NotFound, "reflection attribute {} not found", index))?;
        Ok((&attr.key, &attr.value))
    }

    fn alloc_state(&self) -> Result<ModuleState> {
        let bytes = self.file.bytes();
        let mut rodata = Vec::with_capacity(self.def.rodata.len());
        for range in &self.def.rodata {
            let segment = &bytes[range.clone()];
            let span = iree_byte_span_t {
                data: segment.as_ptr() as *mut u8,
                data_length: segment.len(),
            };
            // SAFETY: the view is read-only (no MUTABLE access bit) and the
            // file outlives it: the state holds the file, and a state whose
            // rodata escaped keeps the file alive forever (see Drop).
            rodata.push(unsafe { Buffer::wrap(buffer::ACCESS_ORIGIN_MODULE, span) }?);
        }
        let mut state = BytecodeState {
            globals: Globals::new(&self.program),
            rodata,
            imports: (0..self.def.imports.len()).map(|_| None).collect(),
            init: Init::Pending,
            spare: None,
            spare_args: Vec::new(),
            file: self.file.clone(),
        };
        if self.def.imports.is_empty() {
            self.ensure_initialized(&mut state, None)?;
        }
        Ok(Box::new(state))
    }

    fn resolve_import(
        &self,
        state: &mut ModuleState,
        ordinal: usize,
        function: Function,
        calling_convention: &str,
    ) -> Result<()> {
        let import = self
            .def
            .imports
            .get(ordinal)
            .ok_or_else(|| iree_err!(OutOfRange, "import ordinal {} out of range", ordinal))?;
        let want = cconv_of(&import.signature);
        if !want.is_empty() && !calling_convention.is_empty() && want != calling_convention {
            iree_bail!(
                Internal,
                "import '{}' signature mismatch: expected '{}' but the export is '{}'",
                import.name,
                want,
                calling_convention
            );
        }
        let state = self.state_mut(state)?;
        state.imports[ordinal] = Some(ResolvedImport::new(function));
        Ok(())
    }

    fn begin_call(&self, stack: &mut Stack, state: &mut ModuleState, call: Call<'_>) -> Result<()> {
        let function = call.function;
        self.in_frame(stack, state, &function, |stack, state| {
            self.call_inner(stack, state, call)
        })
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
        // Bytecode functions are never variadic; such a call takes the
        // packed path, which reports the mismatch.
        if segment_sizes.is_some() {
            return None;
        }
        Some(self.call_with_values(stack, state, function, args, results))
    }
}

/// Loads `bytes` and exposes the module through the VM's C table; the
/// returned handle holds the only reference.
pub fn create_module(file: Arc<dyn ModuleBytes>) -> Result<CModule> {
    let module = BytecodeModule::load(file)?;
    let table = export_module(Box::new(module));
    // SAFETY: `table` was just created with one reference; the handle takes
    // a second and the creation reference is dropped right after.
    let handle = unsafe { CModule::retain(table) };
    // SAFETY: gives up the creation reference taken by `export_module`.
    unsafe { module_release(table) };
    handle
}

#[cfg(test)]
mod tests {
    use super::*;

    fn testdata(name: &str) -> Vec<u8> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/vm")
            .join(format!("{name}.vmfb"));
        std::fs::read(path).unwrap()
    }

    #[test]
    fn rodata_is_read_only_and_outlives_its_module() {
        let module = BytecodeModule::from_vec(testdata("lists_buffers")).unwrap();
        let mut state = module.alloc_state().unwrap();
        let ro = module.state_mut(&mut state).unwrap().rodata[0].clone();
        drop(state);
        drop(module);
        // The escaped view keeps the file alive.
        let b = Buffer::from_ref(&ro).unwrap();
        assert_eq!(b.read(0, 8).unwrap(), [1, 2, 3, 4, 5, 6, 7, 8]);
        assert!(!b.is_mutable());
        assert!(b.fill_elements(0, 1, &[0]).is_err());
    }

    #[test]
    fn imports_are_checked_and_recorded() {
        let module = BytecodeModule::from_vec(testdata("calls")).unwrap();
        let mut state = module.alloc_state().unwrap();
        let f = Function::NULL;
        assert!(module.resolve_import(&mut state, 0, f, "0i_i").is_err());
        assert!(module.resolve_import(&mut state, 9, f, "").is_err());
        module.resolve_import(&mut state, 0, f, "0ii_i").unwrap();
        let s = module.state_mut(&mut state).unwrap();
        assert!(s.imports[0].is_some() && s.imports[2].is_none());
        // Modules with imports run their initializer on the first call.
        assert_eq!(s.init, Init::Pending);
    }
}
