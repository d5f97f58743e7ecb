//! `iree/vm/builtin_types.h`.

use crate::capi::base::status::iree_status_t;

#[no_mangle]
pub extern "C" fn iree_vm_register_builtin_types() -> iree_status_t {
    ffi_boundary! { crate::vm::builtin_types::register_builtin_types().into() }
}
