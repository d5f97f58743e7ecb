//! `iree/hal/drivers/init.h`: registers the drivers this build provides
//! (local-sync, also under the seeds' name dylib-sync; local-task, also as
//! the seeds' dylib; both load VMVX executables too, and answer to the
//! seeds' vmvx (local-task) and vmvx-sync (local-sync) names).

use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::driver_registry::iree_hal_driver_registry_t;
use crate::capi::hal::vmvx_driver_module::vmvx_factory;
use crate::capi::handle::arg;
use crate::modules::vmvx::{local_sync_factory, local_task_factory};

/// Registers every driver of this build with `registry` (borrowed for the call).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_register_all_available_drivers(
    registry: *mut iree_hal_driver_registry_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live registry (API contract).
        let registry = unsafe { arg!(registry).handle() }?;
        // Every driver is registered even when one is already there; the
        // first failure is the result.
        let local_sync = registry.register_factory(local_sync_factory());
        let local_task = registry.register_factory(local_task_factory());
        let vmvx = registry.register_factory(vmvx_factory());
        local_sync.and(local_task).and(vmvx)
    })
}
