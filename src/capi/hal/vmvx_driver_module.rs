//! `iree/hal/vmvx/registration/driver_module.h`: registers the drivers
//! whose devices run VMVX executables (`vmvx`, `vmvx-sync`).

use std::sync::Arc;

use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::driver_registry::iree_hal_driver_registry_t;
use crate::capi::handle::arg;
use crate::modules::vmvx::VmvxDriverFactory;

/// The process's one factory (see [`VmvxDriverFactory::shared`]).
pub(crate) fn vmvx_factory() -> Arc<VmvxDriverFactory> {
    VmvxDriverFactory::shared()
}

/// Registers the `vmvx` and `vmvx-sync` drivers with `registry` (borrowed
/// for the call). Registering them twice fails with ALREADY_EXISTS.
#[no_mangle]
pub unsafe extern "C" fn iree_hal_vmvx_driver_module_register(
    registry: *mut iree_hal_driver_registry_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live registry (API contract).
        let registry = unsafe { arg!(registry).handle() }?;
        registry.register_factory(vmvx_factory())
    })
}
