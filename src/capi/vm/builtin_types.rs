//! `iree/vm/builtin_types.h`.

use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;

/// Registers the built-in ref types (`vm.list`, `vm.buffer`) with the
/// process-wide registry; repeated calls do nothing more.
#[no_mangle]
pub extern "C" fn iree_vm_register_builtin_types() -> iree_status_t {
    ffi_boundary(crate::vm::builtin_types::register_builtin_types)
}
