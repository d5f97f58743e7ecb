//! The drivers whose devices run VMVX executables: `vmvx` (the seeds'
//! name) and `vmvx-sync`, each a local-sync device with the native CPU
//! loaders and the VMVX loader. Their devices identify as `local-sync`, as
//! IREE 3.13's local-sync device (which loads VMVX too) does, so programs
//! compiled for `--iree-hal-target-device=local` select them.

use std::sync::{Arc, OnceLock};

use crate::hal::driver::Driver;
use crate::hal::driver_registry::{DriverFactory, DriverId, DriverInfo};
use crate::hal::local::{default_loaders, ExecutableLoader};
use crate::hal::local_sync::LocalSyncDriver;
use crate::modules::vmvx::loader::VmvxLoader;
use crate::{iree_bail, Result};

/// The names the factory provides, with their descriptions.
pub const DRIVER_NAMES: &[(&str, &str)] = &[
    ("vmvx", "VM-based reference backend"),
    ("vmvx-sync", "Synchronous VM-based reference backend"),
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
            Some((name, _)) if driver_id >= DRIVER_ID_BASE => Ok(Arc::new(
                LocalSyncDriver::with_loaders(name, vmvx_device_loaders()),
            )),
            _ => iree_bail!(
                Unavailable,
                "no driver with id {driver_id} is provided by the vmvx factory"
            ),
        }
    }
}
