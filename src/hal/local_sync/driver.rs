//! The local-sync driver and the factory that registers it under its names.

use std::sync::Arc;

use crate::hal::device::{Device, DeviceId, DeviceInfo, DEVICE_ID_DEFAULT};
use crate::hal::driver::{DeviceParams, Driver};
use crate::hal::driver_registry::{DriverFactory, DriverId, DriverInfo};
use crate::hal::local::{default_loaders, ExecutableLoader};
use crate::hal::local_sync::LocalSyncDevice;
use crate::{iree_bail, Result};

/// The names the driver registers under: `local-sync` (3.13) and the seeds'
/// synchronous CPU drivers, which are the same device here.
pub const DRIVER_NAMES: &[(&str, &str)] = &[
    (
        "local-sync",
        "Local execution using a lightweight inline synchronous queue",
    ),
    (
        "dylib-sync",
        "Synchronous AOT-compiled dynamic library executables",
    ),
];

/// Creates `local-sync` devices; its one device has id
/// [`DEVICE_ID_DEFAULT`] and an empty path.
pub struct LocalSyncDriver {
    name: String,
    /// The loaders of the devices it makes; `None` for [`default_loaders`].
    loaders: Option<Vec<Arc<dyn ExecutableLoader>>>,
}

impl LocalSyncDriver {
    pub fn new(name: &str) -> LocalSyncDriver {
        LocalSyncDriver {
            name: name.to_owned(),
            loaders: None,
        }
    }

    /// A driver named `name` whose devices load executables with `loaders`
    /// (for layers above `hal` that bring loaders of their own).
    pub fn with_loaders(name: &str, loaders: Vec<Arc<dyn ExecutableLoader>>) -> LocalSyncDriver {
        LocalSyncDriver {
            name: name.to_owned(),
            loaders: Some(loaders),
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

impl Driver for LocalSyncDriver {
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
        if let Some((key, _)) = params.first() {
            iree_bail!(
                InvalidArgument,
                "the {} driver takes no device parameters (got '{key}')",
                self.name
            );
        }
        let loaders = self.loaders.clone().unwrap_or_else(default_loaders);
        Ok(Arc::new(LocalSyncDevice::with_loaders(
            "local-sync",
            Self::default_info(),
            loaders,
        )))
    }
}

/// Provides [`LocalSyncDriver`] under each of [`DRIVER_NAMES`].
pub struct LocalSyncDriverFactory {
    /// Makes the loaders of each driver's devices.
    loaders: fn() -> Vec<Arc<dyn ExecutableLoader>>,
}

impl Default for LocalSyncDriverFactory {
    fn default() -> Self {
        Self::with_loaders(default_loaders)
    }
}

impl LocalSyncDriverFactory {
    /// A factory whose drivers' devices load executables with the loaders
    /// `loaders` makes (for layers above `hal` that bring their own). Keep
    /// one per process, as [`Self::shared`] does: registries know a factory
    /// by its address.
    pub fn with_loaders(loaders: fn() -> Vec<Arc<dyn ExecutableLoader>>) -> LocalSyncDriverFactory {
        LocalSyncDriverFactory { loaders }
    }

    /// One factory for the process: registries know a factory by its
    /// address, so registering this one twice is recognised
    /// (ALREADY_EXISTS) instead of filling the registry with copies.
    pub fn shared() -> Arc<LocalSyncDriverFactory> {
        static FACTORY: std::sync::OnceLock<Arc<LocalSyncDriverFactory>> =
            std::sync::OnceLock::new();
        Arc::clone(FACTORY.get_or_init(|| Arc::new(LocalSyncDriverFactory::default())))
    }
}

/// Driver ids are `BASE + index in DRIVER_NAMES` (distinct from other
/// factories' small ids).
const DRIVER_ID_BASE: DriverId = 0x4c53_0000;

impl DriverFactory for LocalSyncDriverFactory {
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
                LocalSyncDriver::with_loaders(name, (self.loaders)()),
            )),
            _ => iree_bail!(
                Unavailable,
                "no driver with id {driver_id} is provided by the local-sync factory"
            ),
        }
    }
}
