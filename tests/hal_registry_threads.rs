//! The driver registry under concurrent use: threads register, look up,
//! create through and unregister their own factories while others do the
//! same, and every result must be the one that thread's state allows.

use std::sync::Arc;
use std::thread;

use iree_runtime::hal::device::{Device, DeviceId, DeviceInfo};
use iree_runtime::hal::driver::{DeviceParams, Driver};
use iree_runtime::hal::driver_registry::{DriverFactory, DriverId, DriverInfo, DriverRegistry};
use iree_runtime::{Result, StatusCode};

struct NamedDevice {
    id: String,
    info: DeviceInfo,
}

impl Device for NamedDevice {
    fn id(&self) -> &str {
        &self.id
    }
    fn info(&self) -> &DeviceInfo {
        &self.info
    }
}

struct NamedDriver(String);

impl Driver for NamedDriver {
    fn query_available_devices(&self) -> Result<Vec<DeviceInfo>> {
        Ok(vec![DeviceInfo {
            device_id: 1,
            path: String::new(),
            name: "default".into(),
        }])
    }
    fn create_device_by_id(&self, _: DeviceId, _: DeviceParams<'_>) -> Result<Arc<dyn Device>> {
        Ok(Arc::new(NamedDevice {
            id: self.0.clone(),
            info: self.query_available_devices()?.remove(0),
        }))
    }
}

struct NamedFactory(DriverInfo);

impl DriverFactory for NamedFactory {
    fn enumerate(&self) -> Result<Vec<DriverInfo>> {
        Ok(vec![self.0.clone()])
    }
    fn try_create(&self, driver_id: DriverId) -> Result<Arc<dyn Driver>> {
        assert_eq!(driver_id, self.0.driver_id);
        Ok(Arc::new(NamedDriver(self.0.driver_name.clone())))
    }
}

#[test]
fn concurrent_register_create_unregister() {
    const THREADS: usize = 8;
    const ROUNDS: usize = 500;
    let registry = Arc::new(DriverRegistry::new());
    let handles: Vec<_> = (0..THREADS)
        .map(|me| {
            let registry = registry.clone();
            thread::spawn(move || {
                let name = format!("driver-{me}");
                for _ in 0..ROUNDS {
                    let factory = Arc::new(NamedFactory(DriverInfo {
                        driver_id: me as u64 + 1,
                        driver_name: name.clone(),
                        full_name: name.to_uppercase(),
                    }));
                    registry.register_factory(factory.clone()).unwrap();
                    assert_eq!(
                        registry
                            .register_factory(factory.clone())
                            .unwrap_err()
                            .code(),
                        StatusCode::AlreadyExists
                    );
                    let names: Vec<_> = registry
                        .enumerate()
                        .unwrap()
                        .into_iter()
                        .map(|info| info.driver_name)
                        .collect();
                    assert!(names.contains(&name), "{names:?}");
                    let device = registry.create_device(&name).unwrap();
                    assert_eq!(device.id(), name);
                    registry.unregister_factory(&*factory).unwrap();
                    assert_eq!(
                        registry.try_create_by_name(&name).err().unwrap().code(),
                        StatusCode::NotFound
                    );
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    assert_eq!(registry.factory_count(), 0);
}
