//! Drivers (`iree/hal/driver.h`): enumerate the devices of one kind and
//! create them. Registries hand drivers out through factories
//! (`driver_registry.rs`).

use std::sync::Arc;

use crate::abi::hal_resource::ResourceHeader;
use crate::hal::device::{Device, DeviceId, DeviceInfo, DEVICE_ID_DEFAULT};
use crate::{iree_err, Result};

/// Device creation parameters: `key=value` pairs, as a device URI's
/// `?key=value&...` part carries them.
pub type DeviceParams<'a> = &'a [(&'a str, &'a str)];

/// A HAL driver. Shared as `Arc<dyn Driver>`; every method may be called
/// from any thread.
pub trait Driver: Send + Sync {
    /// The devices this driver can create now.
    fn query_available_devices(&self) -> Result<Vec<DeviceInfo>>;

    /// Creates the device `device_id` names (from
    /// [`Driver::query_available_devices`]); [`DEVICE_ID_DEFAULT`] asks for
    /// the default device.
    fn create_device_by_id(
        &self,
        device_id: DeviceId,
        params: DeviceParams<'_>,
    ) -> Result<Arc<dyn Device>>;

    /// Creates the device at `path` (a device URI's path): the default
    /// device for an empty path, otherwise the enumerated device with that
    /// path; `NOT_FOUND` if there is none.
    fn create_device_by_path(
        &self,
        path: &str,
        params: DeviceParams<'_>,
    ) -> Result<Arc<dyn Device>> {
        if path.is_empty() {
            return self.create_device_by_id(DEVICE_ID_DEFAULT, params);
        }
        let devices = self.query_available_devices()?;
        match devices.iter().find(|info| info.path == path) {
            Some(info) => self.create_device_by_id(info.device_id, params),
            None => Err(iree_err!(NotFound, "no device with path '{}'", path)),
        }
    }

    /// Creates the driver's default device.
    fn create_default_device(&self) -> Result<Arc<dyn Device>> {
        self.create_device_by_id(DEVICE_ID_DEFAULT, &[])
    }
}

/// A driver as a HAL object C can hold (`iree_hal_driver_t`): the header
/// C's references are counted in, then the driver.
#[repr(C)]
pub struct DriverResource {
    header: ResourceHeader,
    driver: Arc<dyn Driver>,
}
crate::hal_resource!(DriverResource);

impl DriverResource {
    pub fn new(driver: Arc<dyn Driver>) -> Arc<DriverResource> {
        Arc::new(DriverResource {
            header: ResourceHeader::new::<DriverResource>(),
            driver,
        })
    }

    pub fn driver(&self) -> &Arc<dyn Driver> {
        &self.driver
    }
}
