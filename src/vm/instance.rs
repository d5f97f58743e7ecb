//! The VM instance: owns nothing but an allocator; creating one makes sure
//! the builtin ref types (`vm.buffer`, `vm.list`) are registered.

use crate::abi::iree_allocator_t;
use crate::Result;

pub struct Instance {
    allocator: iree_allocator_t,
}

impl Instance {
    pub fn new(allocator: iree_allocator_t) -> Result<Instance> {
        crate::vm::builtin_types::register_builtin_types()?;
        Ok(Instance { allocator })
    }
    pub fn allocator(&self) -> iree_allocator_t {
        self.allocator
    }
}
