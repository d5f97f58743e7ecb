//! `iree/hal/drivers/init.h`: registers the drivers this build provides
//! (local-sync, also under the seeds' names dylib-sync and vmvx-sync;
//! local-task, also as the seeds' dylib).

use std::sync::{Arc, OnceLock};

use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::hal::driver_registry::iree_hal_driver_registry_t;
use crate::capi::handle::arg;
use crate::hal::local_sync::LocalSyncDriverFactory;
use crate::hal::local_task::LocalTaskDriverFactory;

/// One factory for the process, so registering twice is recognised
/// (ALREADY_EXISTS, as for any factory registered twice).
fn local_sync_factory() -> Arc<LocalSyncDriverFactory> {
    static FACTORY: OnceLock<Arc<LocalSyncDriverFactory>> = OnceLock::new();
    Arc::clone(FACTORY.get_or_init(|| Arc::new(LocalSyncDriverFactory)))
}

/// Registers every driver of this build with `registry` (borrowed for the call).
#[no_mangle]
pub unsafe extern "C" fn iree_hal_register_all_available_drivers(
    registry: *mut iree_hal_driver_registry_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live registry (API contract).
        let registry = unsafe { arg!(registry).handle() }?;
        registry.register_factory(local_sync_factory())?;
        registry.register_factory(LocalTaskDriverFactory::shared())
    })
}
