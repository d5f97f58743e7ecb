//! The VMVX executable loader: reads a `vmvx-bytecode-fb` executable (a VM
//! bytecode module), checks that every entry point has the VMVX calling
//! convention and prepares it for dispatch (see [`VmvxExecutable`]).

use std::sync::{Arc, OnceLock};

use crate::abi::iree_allocator_t;
use crate::hal::executable::ExecutableParams;
use crate::hal::local::{ExecutableCode, ExecutableLoader};
use crate::modules::vmvx::executable::VmvxExecutable;
use crate::modules::vmvx::FORMAT;
use crate::vm::instance::Instance;
use crate::{iree_ensure, Result};

/// Loads VMVX executables. Every executable gets a VM context of its own
/// in one VM instance the loader shares between them.
#[derive(Default)]
pub struct VmvxLoader {
    instance: OnceLock<Arc<Instance>>,
}

impl VmvxLoader {
    pub fn new() -> VmvxLoader {
        VmvxLoader::default()
    }

    fn instance(&self) -> Result<Arc<Instance>> {
        if let Some(instance) = self.instance.get() {
            return Ok(Arc::clone(instance));
        }
        let made = Arc::new(Instance::new(iree_allocator_t::system())?);
        Ok(Arc::clone(self.instance.get_or_init(|| made)))
    }
}

impl ExecutableLoader for VmvxLoader {
    fn formats(&self) -> Vec<String> {
        vec![FORMAT.to_owned()]
    }

    fn load(&self, params: &ExecutableParams<'_>) -> Result<Box<dyn ExecutableCode>> {
        iree_ensure!(
            params.executable_format == FORMAT,
            InvalidArgument,
            "the VMVX loader cannot load executables of format '{}'",
            params.executable_format
        );
        let executable = VmvxExecutable::load(self.instance()?, params)
            .map_err(|e| e.annotate("loading a VMVX executable"))?;
        Ok(Box::new(executable))
    }
}
