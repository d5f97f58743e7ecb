//! The local-task driver and the factory that registers it under its names.

use std::sync::{Arc, OnceLock};

use crate::hal::device::{Device, DeviceId, DeviceInfo, DEVICE_ID_DEFAULT};
use crate::hal::driver::{DeviceParams, Driver};
use crate::hal::driver_registry::{DriverFactory, DriverId, DriverInfo};
use crate::hal::local::{default_loaders, ExecutableLoader};
use crate::hal::local_task::options::pool_options;
use crate::hal::local_task::LocalTaskDevice;
use crate::{iree_bail, Result};

/// The names the driver registers under: `local-task` (3.13) and the
/// seeds' multi-threaded CPU driver for native libraries, which is the
/// same device here.
pub const DRIVER_NAMES: &[(&str, &str)] = &[
    (
        "local-task",
        "Local execution using the IREE multithreading task system",
    ),
    ("dylib", "AOT-compiled dynamic library executables"),
];

/// Creates `local-task` devices; its one device has id
/// [`DEVICE_ID_DEFAULT`] and an empty path. Device parameters
/// `task_topology_group_count` and `task_worker_spin_us` configure it.
pub struct LocalTaskDriver {
    name: String,
    loaders: Vec<Arc<dyn ExecutableLoader>>,
}

impl LocalTaskDriver {
    pub fn new(name: &str) -> LocalTaskDriver {
        Self::with_loaders(name, default_loaders())
    }

    /// A driver whose devices load executables with `loaders`.
    pub fn with_loaders(name: &str, loaders: Vec<Arc<dyn ExecutableLoader>>) -> LocalTaskDriver {
        LocalTaskDriver {
            name: name.to_owned(),
            loaders,
        }
    }

    fn default_info() -> DeviceInfo {
        DeviceInfo {
            device_id: DEVICE_ID_DEFAULT,
            path: String::new(),
            name: "default".to_owned(),
        }
    }
}

impl Driver for LocalTaskDriver {
    fn query_available_devices(&self) -> Result<Vec<DeviceInfo>> {
        Ok(vec![Self::default_info()])
    }

    fn create_device_by_id(
        &self,
        device_id: DeviceId,
        params: DeviceParams<'_>,
    ) -> Result<Arc<dyn Device>> {
        if device_id != DEVICE_ID_DEFAULT {
            iree_bail!(
                NotFound,
                "the {} driver has no device with id {device_id}",
                self.name
            );
        }
        let options = pool_options(&self.name, params)?;
        Ok(Arc::new(LocalTaskDevice::with_loaders(
            "local-task",
            Self::default_info(),
            options,
            self.loaders.clone(),
        )?))
    }
}

/// Provides [`LocalTaskDriver`] under each of [`DRIVER_NAMES`].
pub struct LocalTaskDriverFactory {
    /// Makes the loaders of each driver's devices.
    loaders: fn() -> Vec<Arc<dyn ExecutableLoader>>,
}

impl Default for LocalTaskDriverFactory {
    fn default() -> Self {
        Self::with_loaders(default_loaders)
    }
}

impl LocalTaskDriverFactory {
    /// A factory whose drivers' devices load executables with the loaders
    /// `loaders` makes (for layers above `hal` that bring their own). Keep
    /// one per process, as [`Self::shared`] does: registries know a factory
    /// by its address.
    pub fn with_loaders(loaders: fn() -> Vec<Arc<dyn ExecutableLoader>>) -> LocalTaskDriverFactory {
        LocalTaskDriverFactory { loaders }
    }

    /// The process's one factory, so that registering it again anywhere is
    /// recognised as the same factory (ALREADY_EXISTS).
    pub fn shared() -> Arc<LocalTaskDriverFactory> {
        static FACTORY: OnceLock<Arc<LocalTaskDriverFactory>> = OnceLock::new();
        Arc::clone(FACTORY.get_or_init(|| Arc::new(LocalTaskDriverFactory::default())))
    }
}

/// Driver ids are `BASE + index in DRIVER_NAMES` (distinct from other
/// factories' ids).
const DRIVER_ID_BASE: DriverId = 0x4c54_0000;

impl DriverFactory for LocalTaskDriverFactory {
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
                LocalTaskDriver::with_loaders(name, (self.loaders)()),
            )),
            _ => iree_bail!(
                Unavailable,
                "no driver with id {driver_id} is provided by the local-task factory"
            ),
        }
    }
}
