//! The drivers whose devices run VMVX executables. As in IREE 3.13, the
//! `local-sync` and `local-task` devices load VMVX beside the native CPU
//! formats: [`local_sync_factory`] and [`local_task_factory`] are the
//! hal factories with the VMVX loader added. The seeds' names resolve to
//! the same devices: `vmvx` is a local-task device (multi-threaded, as
//! upstream's `vmvx` driver is) and `vmvx-sync` a local-sync one; they
//! identify as `local-task` / `local-sync`, so programs compiled for
//! `--iree-hal-target-device=local` select them.

use std::sync::{Arc, OnceLock};

use crate::hal::driver::Driver;
use crate::hal::driver_registry::{DriverFactory, DriverId, DriverInfo};
use crate::hal::local::{default_loaders, ExecutableLoader};
use crate::hal::local_sync::{LocalSyncDriver, LocalSyncDriverFactory};
use crate::hal::local_task::{LocalTaskDriver, LocalTaskDriverFactory};
use crate::modules::vmvx::loader::VmvxLoader;
use crate::{iree_bail, Result};

/// The names the factory provides, with their descriptions.
pub const DRIVER_NAMES: &[(&str, &str)] = &[
    ("vmvx", "VM-based reference backend (local-task)"),
    (
        "vmvx-sync",
        "Synchronous VM-based reference backend (local-sync)",
    ),
];

/// Driver ids are `BASE + index in DRIVER_NAMES` ("VMVX" in ASCII, as
/// upstream's, plus the index).
const DRIVER_ID_BASE: DriverId = 0x564D_5658;

/// The loaders of a VMVX-capable local device: native first, then VMVX.
pub fn vmvx_device_loaders() -> Vec<Arc<dyn ExecutableLoader>> {
    let mut loaders = default_loaders();
    loaders.push(Arc::new(VmvxLoader::new()));
    loaders
}

/// The process's local-sync factory whose devices load VMVX too.
pub fn local_sync_factory() -> Arc<LocalSyncDriverFactory> {
    static FACTORY: OnceLock<Arc<LocalSyncDriverFactory>> = OnceLock::new();
    let make = || Arc::new(LocalSyncDriverFactory::with_loaders(vmvx_device_loaders));
    Arc::clone(FACTORY.get_or_init(make))
}

/// The process's local-task factory whose devices load VMVX too.
pub fn local_task_factory() -> Arc<LocalTaskDriverFactory> {
    static FACTORY: OnceLock<Arc<LocalTaskDriverFactory>> = OnceLock::new();
    let make = || Arc::new(LocalTaskDriverFactory::with_loaders(vmvx_device_loaders));
    Arc::clone(FACTORY.get_or_init(make))
}

/// Provides the drivers of [`DRIVER_NAMES`].
#[derive(Default)]
pub struct VmvxDriverFactory;

impl VmvxDriverFactory {
    /// One factory for the process, so registering it twice is recognised
    /// (ALREADY_EXISTS, as for any factory registered twice).
    pub fn shared() -> Arc<VmvxDriverFactory> {
        static FACTORY: OnceLock<Arc<VmvxDriverFactory>> = OnceLock::new();
        Arc::clone(FACTORY.get_or_init(|| Arc::new(VmvxDriverFactory)))
    }
}

impl DriverFactory for VmvxDriverFactory {
    fn enumerate(&self) -> Result<Vec<DriverInfo>> {
        Ok(DRIVER_NAMES
            .iter()
            .enumerate()
            .map(|(index, (name, full_name))| DriverInfo {
                driver_id: DRIVER_ID_BASE + index as DriverId,
                driver_name: (*name).to_owned(),
                full_name: (*full_name).to_owned(),
            })
            .collect())
    }

    fn try_create(&self, driver_id: DriverId) -> Result<Arc<dyn Driver>> {
        let index = driver_id.wrapping_sub(DRIVER_ID_BASE);
        match DRIVER_NAMES.get(index as usize) {
            // Index 0, `vmvx`, is multi-threaded; `vmvx-sync` is not.
            Some((name, _)) if index == 0 => Ok(Arc::new(LocalTaskDriver::with_loaders(
                name,
                vmvx_device_loaders(),
            ))),
            Some((name, _)) => Ok(Arc::new(LocalSyncDriver::with_loaders(
                name,
                vmvx_device_loaders(),
            ))),
            _ => iree_bail!(
                Unavailable,
                "no driver with id {driver_id} is provided by the vmvx factory"
            ),
        }
    }
}
