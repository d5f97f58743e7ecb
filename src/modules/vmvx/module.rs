//! The `vmvx` VM module (version 0): the microkernels executables built
//! with `--iree-vmvx-enable-microkernels` import.

use crate::vm::module::CModule;
use crate::{iree_bail, Result};

/// The `vmvx` module, for an executable's context.
pub fn vmvx_module() -> Result<CModule> {
    iree_bail!(
        Unimplemented,
        "the vmvx microkernel module is not implemented yet (executables built with --iree-vmvx-enable-microkernels cannot run)"
    )
}
