//! Sessions: one VM context over one device. The context holds the `hal`
//! module over the session's device (the builtin every compiled program
//! imports), then the modules appended in order; functions are found by
//! their full name (`module.function`) and called with VM lists.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use crate::abi::allocator::iree_allocator_t;
use crate::base::internal::file_io;
use crate::base::internal::file_mapping::MappedFile;
use crate::hal::allocator::HeapAllocator;
use crate::hal::device::DeviceResource;
use crate::modules::hal::selection;
use crate::modules::{hal_inline, hal_loader};
use crate::runtime::instance::Instance;
use crate::vm::bytecode::module::{create_module, ModuleBytes};
use crate::vm::context::Context;
use crate::vm::interface::{Function, LINKAGE_EXPORT};
use crate::vm::invocation;
use crate::vm::list::List;
use crate::vm::module::{CModule, Linkage, Module};
use crate::{iree_err, Result};

/// The builtin modules a session may register (bits of
/// `iree_runtime_session_builtins_t`); only `hal` exists today.
pub const BUILTIN_ALL: u64 = u64::MAX;

/// The VM's low-memory signal (`IREE_VM_SIGNAL_LOW_MEMORY`).
const SIGNAL_LOW_MEMORY: u32 = 2;

/// How a session is made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SessionOptions {
    /// `iree_vm_context_flags_t` of the session's context.
    pub context_flags: u32,
    /// Which builtin modules to register; any set bit registers `hal`.
    pub builtin_modules: u64,
}

impl Default for SessionOptions {
    fn default() -> SessionOptions {
        SessionOptions {
            context_flags: 0,
            builtin_modules: BUILTIN_ALL,
        }
    }
}

/// Module file bytes mapped from a file, kept as long as the module.
impl ModuleBytes for MappedFile {
    fn bytes(&self) -> &[u8] {
        MappedFile::bytes(self)
    }
}

/// A VM context over one device.
pub struct Session {
    instance: Arc<Instance>,
    device: Arc<DeviceResource>,
    context: Arc<Context>,
    host_allocator: iree_allocator_t,
    /// Whether builtins are registered (`hal`, and the inline modules once
    /// a module imports from them).
    builtins: bool,
    /// Whether `hal_inline` and `hal_loader` are in the context yet.
    inline_registered: Mutex<bool>,
}

impl Session {
    /// A session over `device` with the builtin modules `options` asks for.
    pub fn create_with_device(
        instance: Arc<Instance>,
        options: &SessionOptions,
        device: Arc<DeviceResource>,
        host_allocator: iree_allocator_t,
    ) -> Result<Session> {
        let context = Arc::new(Context::new(
            Arc::clone(instance.vm_instance()),
            options.context_flags,
            host_allocator,
        ));
        if options.builtin_modules != 0 {
            let hal = selection::create_module(vec![Arc::clone(device.device())])
                .map_err(|e| e.annotate("creating the hal module"))?;
            context.register_modules(&[hal])?;
        }
        Ok(Session {
            instance,
            device,
            context,
            host_allocator,
            builtins: options.builtin_modules != 0,
            inline_registered: Mutex::new(false),
        })
    }

    pub fn instance(&self) -> &Arc<Instance> {
        &self.instance
    }

    pub fn context(&self) -> &Arc<Context> {
        &self.context
    }

    pub fn device(&self) -> &Arc<DeviceResource> {
        &self.device
    }

    pub fn device_allocator(&self) -> Result<Arc<HeapAllocator>> {
        self.device.allocator()
    }

    pub fn host_allocator(&self) -> iree_allocator_t {
        self.host_allocator
    }

    /// Lets modules and the device drop what they cache.
    pub fn trim(&self) -> Result<()> {
        self.context.notify(SIGNAL_LOW_MEMORY)?;
        self.device.trim()
    }

    /// Registers `module` after those already in the context (its imports
    /// resolve against them) and runs its initializer, so a failing
    /// `__init` is reported here rather than on the first call.
    pub fn append_module(&self, module: &CModule) -> Result<()> {
        self.context
            .register_modules(std::slice::from_ref(module))?;
        if module.signature().import_function_count == 0 {
            // Initialized when its state was made.
            return Ok(());
        }
        let Ok(ordinal) = module.lookup_function(Linkage::Export, "__init") else {
            return Ok(());
        };
        let init = export_function(module, ordinal)?;
        invocation::invoke(&self.context, init, 0, None, None, self.host_allocator)
    }

    /// Loads a bytecode module from `bytes` (kept by the module) and
    /// appends it.
    pub fn append_bytecode_module(&self, bytes: Arc<dyn ModuleBytes>) -> Result<()> {
        let module = create_module(bytes)?;
        self.register_inline_modules_for(&module)?;
        self.append_module(&module)
    }

    /// Programs compiled for the inline execution models import
    /// `hal_inline` and `hal_loader`: registers both (once, over the
    /// session's device) before the first module that imports from them.
    fn register_inline_modules_for(&self, module: &CModule) -> Result<()> {
        if !self.builtins {
            return Ok(());
        }
        let imports_inline = (0..module.signature().import_function_count).any(|i| {
            module.function(Linkage::Import, i).is_ok_and(|f| {
                f.name.starts_with("hal_inline.") || f.name.starts_with("hal_loader.")
            })
        });
        let mut registered = self
            .inline_registered
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if !imports_inline || *registered {
            return Ok(());
        }
        let inline = hal_inline::create_module(Some(Arc::clone(self.device.device())))
            .map_err(|e| e.annotate("creating the hal_inline module"))?;
        let loader = hal_loader::create_module()
            .map_err(|e| e.annotate("creating the hal_loader module"))?;
        self.context.register_modules(&[inline, loader])?;
        *registered = true;
        Ok(())
    }

    /// Maps the `.vmfb` at `path` (not copied) and appends it.
    pub fn append_bytecode_module_from_file(&self, path: &Path) -> Result<()> {
        let mapped = MappedFile::open(path)?;
        self.append_bytecode_module(Arc::new(mapped))
            .map_err(|e| e.annotate(format!("loading bytecode module at '{}'", path.display())))
    }

    /// Reads a `.vmfb` from standard input to its end and appends it.
    pub fn append_bytecode_module_from_stdin(&self) -> Result<()> {
        let bytes = file_io::read_stdin()?;
        self.append_bytecode_module(Arc::new(bytes))
            .map_err(|e| e.annotate("loading bytecode module from stdin"))
    }

    /// The function `module.function` of the context (later modules win).
    pub fn lookup_function(&self, full_name: &str) -> Result<Function> {
        self.context.resolve_function(full_name.as_bytes())
    }

    /// Calls `function` with `inputs`; its results replace what `outputs`
    /// held.
    pub fn call(
        &self,
        function: Function,
        inputs: Option<&List>,
        outputs: Option<&List>,
    ) -> Result<()> {
        invocation::invoke(
            &self.context,
            function,
            0,
            inputs,
            outputs,
            self.host_allocator,
        )
    }

    pub fn call_by_name(
        &self,
        full_name: &str,
        inputs: Option<&List>,
        outputs: Option<&List>,
    ) -> Result<()> {
        let function = self.lookup_function(full_name)?;
        self.call(function, inputs, outputs)
    }
}

fn export_function(module: &CModule, ordinal: usize) -> Result<Function> {
    Ok(Function {
        module: module.table(),
        linkage: LINKAGE_EXPORT as u16,
        ordinal: u16::try_from(ordinal)
            .map_err(|_| iree_err!(OutOfRange, "export ordinal {} out of range", ordinal))?,
    })
}
