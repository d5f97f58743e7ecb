//! The VM behind the command-line tools: loads bytecode modules, links each
//! module's imports to exports of modules loaded before it, runs `__init`,
//! and invokes exported functions with scalar arguments.
//!
//! This drives the bytecode loader/verifier/interpreter directly. When the
//! VM object model (instance/context/invoke) lands, only this file should
//! need to change; the CLIs talk to [`Session`] alone.
//!
//! Ref values are not supported yet (no lists or buffers here): the host
//! answers UNIMPLEMENTED for those ops and only null refs can be returned.

use crate::tools::scalar::Scalar;
use crate::vm::bytecode::frame::Value;
use crate::vm::bytecode::interp::host::Host;
use crate::vm::bytecode::interp::program::{Cconv, Program};
use crate::vm::bytecode::interp::{Globals, Invocation, Outcome};
use crate::vm::bytecode::module_def::ModuleDef;
use crate::vm::bytecode::verifier::verify_program;
use crate::{iree_bail, iree_err, Result};

/// Register value of the ref bank: `None` is null. Nothing creates
/// non-null refs yet.
type Ref = Option<u32>;

/// Most times an invocation may yield and be resumed before it is given up
/// as runaway (the tools resume yields immediately).
pub const MAX_RESUMES: u32 = 1 << 20;

/// A function result as the tools print it.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    Scalar(Scalar),
    NullRef,
    /// A non-null ref; the text is its type name.
    Ref(String),
}

impl Output {
    pub fn display(&self) -> String {
        match self {
            Output::Scalar(s) => s.display(),
            Output::NullRef => "(null)".to_owned(),
            Output::Ref(t) => t.clone(),
        }
    }
}

struct LoadedModule {
    def: ModuleDef,
    program: Program,
    globals: Globals<Ref>,
    /// For each import: (module index, internal function ordinal).
    links: Vec<Option<(usize, u32)>>,
}

/// An exported function of the most recently loaded module.
#[derive(Clone, Debug)]
pub struct Function {
    pub module: usize,
    pub ordinal: u32,
    pub name: String,
    pub cconv: Cconv,
}

/// Loaded modules in load order; later modules may import from earlier ones.
#[derive(Default)]
pub struct Session {
    modules: Vec<LoadedModule>,
}

impl Session {
    pub fn new() -> Session {
        Session::default()
    }

    pub fn module_count(&self) -> usize {
        self.modules.len()
    }

    /// Parses, verifies and links a module file, then runs its `__init`.
    pub fn load(&mut self, bytes: &[u8]) -> Result<()> {
        let def = ModuleDef::parse(bytes)?;
        let program = Program::from_module_def(&def, bytes);
        verify_program(&program)?;
        for dep in def.dependencies.iter().filter(|d| !d.optional) {
            if !self.modules.iter().any(|m| m.def.name == dep.name) {
                return Err(iree_err!(
                    NotFound,
                    "required module '{}' not available (modules must be loaded in order, each after the modules it depends on)",
                    dep.name
                )
                .annotate(format!("resolving dependencies for '{}'", def.name)));
            }
        }
        let mut links = Vec::with_capacity(def.imports.len());
        for import in &def.imports {
            let link = self.resolve(&import.name, import.signature.cconv.as_deref());
            match link {
                Some(l) => links.push(Some(l)),
                None if import.optional => links.push(None),
                None => iree_bail!(
                    NotFound,
                    "required import `{}` not exported by any module loaded before `{}`",
                    import.name,
                    def.name
                ),
            }
        }
        let globals = Globals::new(&program);
        self.modules.push(LoadedModule {
            def,
            program,
            globals,
            links,
        });
        let index = self.modules.len() - 1;
        let init = self.modules[index]
            .def
            .exports
            .iter()
            .find(|e| e.name == "__init")
            .map(|e| e.internal_ordinal as u32);
        if let Some(ordinal) = init {
            let result = invoke_in(&mut self.modules, index, ordinal, &[]);
            if let Err(e) = result {
                self.modules.pop();
                return Err(e.annotate("running module initializer"));
            }
        }
        Ok(())
    }

    /// Finds `module.function` among loaded exports with a matching cconv.
    fn resolve(&self, full_name: &str, cconv: Option<&str>) -> Option<(usize, u32)> {
        let (module, function) = full_name.split_once('.')?;
        let (index, m) = self
            .modules
            .iter()
            .enumerate()
            .rev()
            .find(|(_, m)| m.def.name == module)?;
        let export = m.def.exports.iter().find(|e| e.name == function)?;
        let ordinal = export.internal_ordinal as u32;
        let theirs = m.def.functions[ordinal as usize].signature.cconv.as_deref();
        if cconv.is_some() && theirs.is_some() && cconv != theirs {
            return None;
        }
        Some((index, ordinal))
    }

    /// Names of the user-visible exports of the last module (those not
    /// starting with `__`).
    pub fn user_exports(&self) -> Vec<String> {
        self.modules.last().map_or_else(Vec::new, |m| {
            m.def
                .exports
                .iter()
                .filter(|e| !e.name.starts_with("__"))
                .map(|e| e.name.clone())
                .collect()
        })
    }

    /// Looks up an export of the last module.
    pub fn lookup(&self, name: &str) -> Result<Function> {
        let not_found = || iree_err!(NotFound, "no function `{}` exported by module", name);
        let index = self.modules.len().checked_sub(1).ok_or_else(not_found)?;
        let m = &self.modules[index];
        let export = m
            .def
            .exports
            .iter()
            .find(|e| e.name == name)
            .ok_or_else(not_found)?;
        let ordinal = export.internal_ordinal as u32;
        let cconv = m.program.functions[ordinal as usize]
            .cconv
            .clone()
            .unwrap_or_default();
        Ok(Function {
            module: index,
            ordinal,
            name: name.to_owned(),
            cconv,
        })
    }

    /// Invokes `f` with `args` (already typed by its signature).
    pub fn invoke(&mut self, f: &Function, args: &[Scalar]) -> Result<Vec<Output>> {
        if args.len() != f.cconv.args.len() {
            iree_bail!(
                InvalidArgument,
                "input list and function mismatch; expected {} arguments but passed {}",
                f.cconv.args.len(),
                args.len()
            );
        }
        let values: Vec<Value<Ref>> = args.iter().map(scalar_to_value).collect();
        let results = invoke_in(&mut self.modules, f.module, f.ordinal, &values)?;
        Ok(results
            .iter()
            .zip(f.cconv.results.iter().chain(std::iter::repeat(&b'r')))
            .map(|(v, &c)| value_to_output(v, c))
            .collect())
    }
}

fn scalar_to_value(s: &Scalar) -> Value<Ref> {
    match *s {
        Scalar::I32(v) => Value::I32(v),
        Scalar::I64(v) => Value::I64(v),
        Scalar::F32(v) => Value::I32(v.to_bits() as i32),
        Scalar::F64(v) => Value::I64(v.to_bits() as i64),
    }
}

fn value_to_output(v: &Value<Ref>, c: u8) -> Output {
    match (v, c) {
        (Value::I32(x), b'f') => Output::Scalar(Scalar::F32(f32::from_bits(*x as u32))),
        (Value::I32(x), _) => Output::Scalar(Scalar::I32(*x)),
        (Value::I64(x), b'F') => Output::Scalar(Scalar::F64(f64::from_bits(*x as u64))),
        (Value::I64(x), _) => Output::Scalar(Scalar::I64(*x)),
        (Value::Ref(None), _) => Output::NullRef,
        (Value::Ref(Some(_)), _) => Output::Ref("vm.ref".to_owned()),
    }
}

/// Runs function `ordinal` of `modules[index]`, resuming yields. Imports go
/// to earlier modules only, so the nested invocations made for import calls
/// are bounded by the module count.
fn invoke_in(
    modules: &mut [LoadedModule],
    index: usize,
    ordinal: u32,
    args: &[Value<Ref>],
) -> Result<Vec<Value<Ref>>> {
    let (earlier, rest) = modules.split_at_mut(index);
    let current = &mut rest[0];
    let mut host = LinkHost {
        earlier,
        links: &current.links,
    };
    let mut inv = Invocation::default();
    inv.begin(&current.program, ordinal, args)?;
    let mut resumes = 0u32;
    loop {
        match inv.run(&current.program, &mut current.globals, &mut host)? {
            Outcome::Returned => return Ok(std::mem::take(&mut inv.results)),
            Outcome::Yielded => {
                resumes += 1;
                if resumes > MAX_RESUMES {
                    iree_bail!(DeadlineExceeded, "invocation yielded {} times", resumes);
                }
            }
        }
    }
}

/// Resolves import calls by invoking the linked export of an earlier module.
struct LinkHost<'a> {
    earlier: &'a mut [LoadedModule],
    links: &'a [Option<(usize, u32)>],
}

impl Host for LinkHost<'_> {
    type Ref = Ref;

    fn import_resolved(&self, import: u32) -> bool {
        self.links.get(import as usize).is_some_and(Option::is_some)
    }

    fn call_import(
        &mut self,
        import: u32,
        args: &[Value<Ref>],
        segment_sizes: Option<&[i32]>,
        results: &mut Vec<Value<Ref>>,
    ) -> Result<()> {
        if segment_sizes.is_some() {
            iree_bail!(
                Unimplemented,
                "variadic imports are not supported by the tools yet"
            );
        }
        let Some(Some((module, ordinal))) = self.links.get(import as usize).copied() else {
            iree_bail!(NotFound, "import {} is not resolved", import);
        };
        results.extend(invoke_in(self.earlier, module, ordinal, args)?);
        Ok(())
    }
}
