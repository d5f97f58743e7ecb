//! `iree/vm/bytecode_module.h`. The bytecode module itself is provided by
//! `crate::vm::bytecode`; until it is wired up this entry point reports
//! UNIMPLEMENTED so the symbol exists for linking.

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::iree_err;

#[no_mangle]
pub unsafe extern "C" fn iree_vm_bytecode_module_create(
    _flatbuffer_data: iree_const_byte_span_t,
    _flatbuffer_allocator: iree_allocator_t,
    _allocator: iree_allocator_t,
    out_module: *mut *mut iree_vm_module_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: NULL or valid out-pointer.
        if let Some(out) = unsafe { out_module.as_mut() } {
            *out = std::ptr::null_mut();
        }
        iree_err!(Unimplemented, "bytecode modules not yet implemented").into()
    }
}
