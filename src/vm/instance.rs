//! The VM instance: owns nothing but an allocator; creating one makes sure
//! the builtin ref types (`vm.buffer`, `vm.list`) are registered.

use crate::vm::abi::Allocator;
use crate::Result;

pub struct Instance {
    allocator: Allocator,
}

impl Instance {
    pub fn new(allocator: Allocator) -> Result<Instance> {
        crate::vm::builtin_types::register_builtin_types()?;
        Ok(Instance { allocator })
    }
    pub fn allocator(&self) -> Allocator {
        self.allocator
    }
}
