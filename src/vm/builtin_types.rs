//! Registration of the ref types the VM itself defines.

use crate::Result;

/// Registers `vm.buffer` and `vm.list`; calling it again is a no-op.
pub fn register_builtin_types() -> Result<()> {
    crate::vm::buffer::register_type()?;
    crate::vm::list::register_type()?;
    Ok(())
}
