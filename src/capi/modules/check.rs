//! `iree/modules/check/module.h`: the `check` VM module test programs
//! import. A failed expectation is recorded by the module (it has no gtest
//! to report into) and the call returns OK, as upstream's does.

use crate::abi::iree_allocator_t;
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
use crate::capi::vm::types::iree_vm_module_t;
use crate::modules::check::CheckModule;
use crate::vm::module::export_module;

/// Creates a `check` module. The caller owns the one reference in
/// `*out_module` (NULL on failure) and releases it with
/// `iree_vm_module_release`. `allocator` is not used.
#[no_mangle]
pub unsafe extern "C" fn iree_check_module_create(
    allocator: iree_allocator_t,
    out_module: *mut *mut iree_vm_module_t,
) -> iree_status_t {
    let _ = allocator;
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_module = unsafe { arg!(out_module).out() }?;
        out_module.write(std::ptr::null_mut());
        out_module.write(export_module(Box::new(CheckModule::new())));
        Ok(())
    })
}
