//! The VM behind the command-line tools, built from the public VM API: one
//! instance, bytecode modules registered into one context in flag order
//! (the context resolves each module's imports against the modules before
//! it), functions found by name and called with `invoke` on VM lists.
//! When a module depends on `hal` (or `check`) those modules are registered
//! first, as the reference tools resolve them: the hal module over the
//! `--device=` devices, the check module recording failed expectations.

use std::sync::Arc;

use iree_runtime::abi::iree_allocator_t as Allocator;
use iree_runtime::hal::allocator::HeapAllocator;
use iree_runtime::hal::device::Device;
use iree_runtime::modules::check::{self, CheckFailures};
use iree_runtime::modules::hal::{selection, types as hal_types};
use iree_runtime::modules::{hal_inline, hal_loader};
use iree_runtime::vm::bytecode::module::create_module;
use iree_runtime::vm::bytecode::module_def::ModuleDef;
use iree_runtime::vm::cconv;
use iree_runtime::vm::context::Context;
use iree_runtime::vm::instance::Instance;
use iree_runtime::vm::interface;
use iree_runtime::vm::invocation;
use iree_runtime::vm::list::List;
use iree_runtime::vm::module::{CModule, Linkage, Module};
use iree_runtime::vm::r#ref::Ref;
use iree_runtime::{iree_err, Result};

/// A loaded module file, before it joins a context.
pub struct LoadedModule {
    pub module: CModule,
    /// Names of the modules this one requires (from its metadata).
    required: Vec<String>,
    /// Names of every module it depends on, optional ones included.
    dependencies: Vec<String>,
    /// Each export's `iree.abi.declaration` (its source-level signature),
    /// by export name.
    declarations: Vec<(String, String)>,
}

impl LoadedModule {
    fn depends_on(&self, name: &str) -> bool {
        self.dependencies.iter().any(|d| d == name)
    }
}

/// Parses, verifies and wraps one `.vmfb`.
pub fn load_module(bytes: Vec<u8>) -> Result<LoadedModule> {
    // Programs name HAL types; they must be registered before loading.
    hal_types::register_types()?;
    // The dependency list is metadata the module trait does not expose, so
    // the header is read here too (cheap next to loading).
    let def = ModuleDef::parse(&bytes)?;
    let declarations = (0..def.exports.len())
        .filter_map(|i| {
            let attrs = &def.export_signature(i)?.attrs;
            let declaration = attrs.iter().find(|a| a.key == "iree.abi.declaration")?;
            Some((def.exports[i].name.clone(), declaration.value.clone()))
        })
        .collect();
    let dependencies = def.dependencies;
    let required = dependencies
        .iter()
        .filter(|d| !d.optional)
        .map(|d| d.name.clone())
        .collect();
    let dependencies = dependencies.into_iter().map(|d| d.name).collect();
    let module = create_module(Arc::new(bytes))?;
    Ok(LoadedModule {
        module,
        required,
        dependencies,
        declarations,
    })
}

/// An exported function of the main (last) module.
#[derive(Clone, Debug)]
pub struct Function {
    pub handle: interface::Function,
    pub name: String,
    /// Full calling convention, e.g. `0iI_f`.
    pub cconv: String,
    /// The source-level signature the compiler recorded, if any
    /// (`sync func @f(%input0: tensor<4xf32>) -> (...)`).
    pub declaration: Option<String>,
}

impl Function {
    /// Argument type characters (`i I f F r`), empty for `v`.
    pub fn arg_types(&self) -> &[u8] {
        let args = cconv::fragments(&self.cconv).map_or("", |(a, _)| a);
        if args.starts_with('v') {
            &[]
        } else {
            args.as_bytes()
        }
    }

    /// Result type characters, empty for `v`.
    pub fn result_types(&self) -> &[u8] {
        let results = cconv::fragments(&self.cconv).map_or("", |(_, r)| r);
        if results.starts_with('v') {
            &[]
        } else {
            results.as_bytes()
        }
    }
}

/// Modules in one context.
pub struct Session {
    modules: Vec<CModule>,
    /// The main module's export declarations.
    declarations: Vec<(String, String)>,
    context: Context,
    /// The hal module's devices (none when no module needs the HAL).
    devices: Vec<Arc<dyn Device>>,
    /// Where the check module records failures, when it is registered.
    check_failures: Option<CheckFailures>,
}

impl Session {
    /// Creates the context: registers the hal module (over `device_uris`)
    /// and the check module when a module depends on them, checks that
    /// every module's required modules come before it, registers them all
    /// in order (the context resolves imports) and runs initializers.
    pub fn new(user: Vec<LoadedModule>, device_uris: &[String]) -> Result<Session> {
        let mut loaded = Vec::with_capacity(user.len() + 2);
        let mut devices = Vec::new();
        if user.iter().any(|m| m.depends_on("hal")) {
            devices = crate::devices::create_devices(device_uris)
                .map_err(|e| e.annotate("creating HAL devices"))?;
            loaded.push(system_module(selection::create_module(devices.clone())?));
        }
        // Inline-dynamic programs use hal_inline and hal_loader instead of
        // (or beside) hal; hal_inline's queries go to the first device.
        if user.iter().any(|m| m.depends_on(hal_inline::NAME)) {
            if devices.is_empty() {
                devices = crate::devices::create_devices(device_uris)
                    .map_err(|e| e.annotate("creating HAL devices"))?;
            }
            loaded.push(system_module(hal_inline::create_module(
                devices.first().cloned(),
            )?));
        }
        if user.iter().any(|m| m.depends_on(hal_loader::NAME)) {
            loaded.push(system_module(hal_loader::create_module()?));
        }
        let mut check_failures = None;
        if user.iter().any(|m| m.depends_on("check")) {
            let (module, failures) = check::create_module()?;
            check_failures = Some(failures);
            loaded.push(system_module(module));
        }
        let declarations = user
            .last()
            .map(|m| m.declarations.clone())
            .unwrap_or_default();
        loaded.extend(user);
        for (i, m) in loaded.iter().enumerate() {
            for dep in &m.required {
                if !loaded[..i].iter().any(|e| e.module.name() == dep) {
                    return Err(iree_err!(
                        NotFound,
                        "required module '{}' not available in the build (modules must be registered in order with dependent modules following those they depend upon)",
                        dep
                    )
                    .annotate(format!("resolving dependencies for '{}'", m.module.name())));
                }
            }
        }
        let modules: Vec<CModule> = loaded.into_iter().map(|m| m.module).collect();
        let instance = Arc::new(Instance::new(Allocator::system())?);
        let context = Context::new(instance, 0, Allocator::system());
        context.register_modules(&modules)?;
        let session = Session {
            modules,
            declarations,
            context,
            devices,
            check_failures,
        };
        session.run_initializers()?;
        Ok(session)
    }

    /// Loads module files and creates their context.
    pub fn from_bytes(files: Vec<Vec<u8>>, device_uris: &[String]) -> Result<Session> {
        let loaded = files
            .into_iter()
            .map(load_module)
            .collect::<Result<Vec<_>>>()?;
        Session::new(loaded, device_uris)
    }

    /// The allocator buffer-view inputs are made with: the first device's.
    pub fn device_allocator(&self) -> Result<Arc<HeapAllocator>> {
        match self.devices.first() {
            Some(device) => device.allocator(),
            None => Err(iree_err!(
                InvalidArgument,
                "buffer view inputs need a HAL device, and no loaded module uses the HAL"
            )),
        }
    }

    /// The check module's failures so far (taken), when it is registered.
    pub fn take_check_failures(&self) -> Vec<String> {
        self.check_failures
            .as_ref()
            .map(CheckFailures::take)
            .unwrap_or_default()
    }

    /// Bytecode modules run `__init` when their state is created if they
    /// have no imports, and otherwise on their first call (imports are
    /// resolved after state creation). Calling `__init` of the latter now
    /// runs it once, in registration order, so initializer failures surface
    /// while the context is created, as in the reference tools.
    fn run_initializers(&self) -> Result<()> {
        for m in &self.modules {
            if m.signature().import_function_count == 0 {
                continue;
            }
            let Ok(ordinal) = m.lookup_function(Linkage::Export, "__init") else {
                continue;
            };
            let f = export_handle(m, ordinal)?;
            let outputs = List::create(None, 0, Allocator::system())?;
            invocation::invoke(
                &self.context,
                f,
                0,
                None,
                Some(List::from_ref(&outputs)?),
                Allocator::system(),
            )?;
        }
        Ok(())
    }

    pub fn module_count(&self) -> usize {
        self.modules.len()
    }

    fn main_module(&self) -> Result<&CModule> {
        self.modules
            .last()
            .ok_or_else(|| iree_err!(FailedPrecondition, "no modules loaded"))
    }

    /// The main module's name (`module` for compiled programs).
    pub fn main_module_name(&self) -> Result<String> {
        Ok(self.main_module()?.name().to_owned())
    }

    /// Exports of the main module not reserved by the VM (`__init`, ...).
    pub fn user_exports(&self) -> Vec<String> {
        let Ok(m) = self.main_module() else {
            return Vec::new();
        };
        (0..m.signature().export_function_count)
            .filter_map(|i| m.function(Linkage::Export, i).ok())
            .map(|f| f.name.to_owned())
            .filter(|n| !n.starts_with("__"))
            .collect()
    }

    /// Finds an export of the main module.
    pub fn lookup(&self, name: &str) -> Result<Function> {
        let m = self.main_module()?;
        let ordinal = m
            .lookup_function(Linkage::Export, name)
            .map_err(|_| iree_err!(NotFound, "no function `{}` exported by module", name))?;
        let info = m.function(Linkage::Export, ordinal)?;
        Ok(Function {
            handle: export_handle(m, ordinal)?,
            name: name.to_owned(),
            cconv: info.calling_convention.to_owned(),
            declaration: self
                .declarations
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, d)| d.clone()),
        })
    }

    /// Calls `f`, replacing the contents of `outputs` with its results.
    pub fn invoke(&self, f: &Function, inputs: &List, outputs: &List) -> Result<()> {
        invocation::invoke(
            &self.context,
            f.handle,
            0,
            Some(inputs),
            Some(outputs),
            Allocator::system(),
        )
    }

    /// A new empty variant list (for inputs or outputs).
    pub fn new_list(capacity: usize) -> Result<Ref> {
        List::create(None, capacity, Allocator::system())
    }
}

/// A native module the tools add (it depends on nothing).
fn system_module(module: CModule) -> LoadedModule {
    LoadedModule {
        module,
        required: Vec::new(),
        dependencies: Vec::new(),
        declarations: Vec::new(),
    }
}

fn export_handle(m: &CModule, ordinal: usize) -> Result<interface::Function> {
    Ok(interface::Function {
        module: m.table(),
        linkage: interface::LINKAGE_EXPORT as u16,
        ordinal: u16::try_from(ordinal)
            .map_err(|_| iree_err!(OutOfRange, "export ordinal {} out of range", ordinal))?,
    })
}
