//! The driver registry (`iree/hal/driver_registry.h`): factories register
//! the drivers they provide; callers enumerate them and create drivers by
//! name (or id) and devices by URI (`local-sync`, `local-task://`, ...).
//!
//! Every method is thread-safe. As in the seeds, the registry's lock is
//! held while it calls into factories (so that once `unregister_factory`
//! returns no call into that factory is still running or will start); a
//! factory must therefore not call back into the registry that called it.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use crate::hal::device::Device;
use crate::hal::driver::Driver;
use crate::{iree_bail, iree_err, Result};

/// A factory's handle for one of its drivers (`iree_hal_driver_id_t`).
pub type DriverId = u64;

/// The id no driver has.
pub const DRIVER_ID_INVALID: DriverId = 0;

/// At most this many factories are registered at once (as in the seeds).
pub const MAX_DRIVER_FACTORY_COUNT: usize = 8;

/// A driver as its factory describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DriverInfo {
    /// Opaque to all but the factory; unique across factories.
    pub driver_id: DriverId,
    /// Canonical name, as command lines use it: `local-sync`.
    pub driver_name: String,
    /// Human-readable name.
    pub full_name: String,
}

/// Provides drivers to a registry.
pub trait DriverFactory: Send + Sync {
    /// The drivers this factory provides; must not change while registered.
    fn enumerate(&self) -> Result<Vec<DriverInfo>>;

    /// Creates the driver `driver_id` (from [`DriverFactory::enumerate`]).
    fn try_create(&self, driver_id: DriverId) -> Result<Arc<dyn Driver>>;

    /// What makes two registrations the same factory. Defaults to the
    /// factory's address; a wrapper around foreign factory storage answers
    /// that storage's address so each wrapper of it counts as one factory.
    fn identity(&self) -> usize {
        (self as *const Self).cast::<()>() as usize
    }
}

/// A set of registered driver factories.
#[derive(Default)]
pub struct DriverRegistry {
    factories: Mutex<Vec<Arc<dyn DriverFactory>>>,
}

impl DriverRegistry {
    pub fn new() -> DriverRegistry {
        DriverRegistry::default()
    }

    /// The process-wide registry (`iree_hal_driver_registry_default`).
    pub fn global() -> &'static DriverRegistry {
        static GLOBAL: OnceLock<DriverRegistry> = OnceLock::new();
        GLOBAL.get_or_init(DriverRegistry::new)
    }

    /// Adds `factory`. `ALREADY_EXISTS` if it is registered already,
    /// `RESOURCE_EXHAUSTED` when [`MAX_DRIVER_FACTORY_COUNT`] are.
    pub fn register_factory(&self, factory: Arc<dyn DriverFactory>) -> Result<()> {
        let mut factories = self.lock();
        let identity = factory.identity();
        if factories.iter().any(|f| f.identity() == identity) {
            iree_bail!(AlreadyExists, "factory has already been registered");
        }
        if factories.len() >= MAX_DRIVER_FACTORY_COUNT {
            iree_bail!(
                ResourceExhausted,
                "the maximum number of factories ({}) have been registered",
                MAX_DRIVER_FACTORY_COUNT
            );
        }
        factories.push(factory);
        Ok(())
    }

    /// Removes `factory` (matched by [`DriverFactory::identity`]), keeping
    /// the others in registration order; `NOT_FOUND` if it is not registered.
    /// Drivers it created stay alive.
    pub fn unregister_factory(&self, factory: &dyn DriverFactory) -> Result<()> {
        let mut factories = self.lock();
        let identity = factory.identity();
        match factories.iter().position(|f| f.identity() == identity) {
            Some(index) => {
                factories.remove(index);
                Ok(())
            }
            None => Err(iree_err!(
                NotFound,
                "factory to remove is not registered at this time"
            )),
        }
    }

    /// How many factories are registered.
    pub fn factory_count(&self) -> usize {
        self.lock().len()
    }

    /// Every driver of every factory, in registration order.
    pub fn enumerate(&self) -> Result<Vec<DriverInfo>> {
        let factories = self.lock();
        let mut infos = Vec::new();
        for factory in factories.iter() {
            infos.extend(factory.enumerate()?);
        }
        Ok(infos)
    }

    /// Creates the driver with `driver_id` as enumerated: `INVALID_ARGUMENT`
    /// for [`DRIVER_ID_INVALID`], `NOT_FOUND` when no factory has it.
    pub fn try_create(&self, driver_id: DriverId) -> Result<Arc<dyn Driver>> {
        if driver_id == DRIVER_ID_INVALID {
            iree_bail!(InvalidArgument, "invalid driver id");
        }
        self.create_first(|info| info.driver_id == driver_id)?
            .ok_or_else(|| iree_err!(NotFound, "no driver with id {} registered", driver_id))
    }

    /// Creates the driver named `driver_name`. When several have the name
    /// the most recently registered factory wins, and within a factory the
    /// last one listed. `NOT_FOUND` when none has it.
    pub fn try_create_by_name(&self, driver_name: &str) -> Result<Arc<dyn Driver>> {
        self.create_first(|info| info.driver_name == driver_name)?
            .ok_or_else(|| iree_err!(NotFound, "no driver '{}' registered", driver_name))
    }

    /// Creates a device from a URI `driver[:[//]path][?key=value&...]`
    /// (IREE 3.x `iree_hal_create_device`): the driver by name, then its
    /// device by path (empty: the default device).
    pub fn create_device(&self, device_uri: &str) -> Result<Arc<dyn Device>> {
        let uri = DeviceUri::parse(device_uri);
        let annotate = |e: crate::Error| e.annotate(format!("creating device '{device_uri}'"));
        let driver = self.try_create_by_name(uri.driver_name).map_err(annotate)?;
        driver
            .create_device_by_path(uri.path, &uri.params)
            .map_err(annotate)
    }

    /// Scans newest factory first, each factory's list last entry first,
    /// and creates the first driver `wanted` accepts.
    fn create_first(
        &self,
        wanted: impl Fn(&DriverInfo) -> bool,
    ) -> Result<Option<Arc<dyn Driver>>> {
        let factories = self.lock();
        for factory in factories.iter().rev() {
            let infos = factory.enumerate()?;
            if let Some(info) = infos.iter().rev().find(|info| wanted(info)) {
                return factory.try_create(info.driver_id).map(Some);
            }
        }
        Ok(None)
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Arc<dyn DriverFactory>>> {
        // A factory that panicked under the lock left the list itself intact.
        self.factories
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// A device URI split as upstream's `iree_uri_split` splits it.
#[derive(Debug, PartialEq, Eq)]
pub struct DeviceUri<'a> {
    pub driver_name: &'a str,
    pub path: &'a str,
    pub params: Vec<(&'a str, &'a str)>,
}

impl<'a> DeviceUri<'a> {
    /// `driver` up to the first `:`; then an optional `//` (or `/`); the
    /// path up to `?`; then `&`-separated `key=value` params (a key without
    /// `=` has an empty value; empty items are skipped).
    pub fn parse(uri: &'a str) -> DeviceUri<'a> {
        let (driver_name, rest) = uri.split_once(':').unwrap_or((uri, ""));
        let rest = rest
            .strip_prefix("//")
            .or_else(|| rest.strip_prefix('/'))
            .unwrap_or(rest);
        let (path, params) = rest.split_once('?').unwrap_or((rest, ""));
        let params = params
            .split('&')
            .filter(|item| !item.is_empty())
            .map(|item| item.split_once('=').unwrap_or((item, "")))
            .collect();
        DeviceUri {
            driver_name,
            path,
            params,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hal::device::{DeviceId, DeviceInfo, DEVICE_ID_DEFAULT};
    use crate::hal::driver::DeviceParams;
    use crate::StatusCode;

    struct TestDevice {
        id: String,
        info: DeviceInfo,
    }

    impl Device for TestDevice {
        fn id(&self) -> &str {
            &self.id
        }
        fn info(&self) -> &DeviceInfo {
            &self.info
        }
    }

    struct TestDriver {
        name: String,
    }

    impl Driver for TestDriver {
        fn query_available_devices(&self) -> Result<Vec<DeviceInfo>> {
            Ok(vec![DeviceInfo {
                device_id: 7,
                path: "0".into(),
                name: "first".into(),
            }])
        }
        fn create_device_by_id(
            &self,
            device_id: DeviceId,
            params: DeviceParams<'_>,
        ) -> Result<Arc<dyn Device>> {
            if device_id != DEVICE_ID_DEFAULT && device_id != 7 {
                iree_bail!(NotFound, "no device {}", device_id);
            }
            let suffix: String = params.iter().map(|(k, v)| format!("+{k}={v}")).collect();
            Ok(Arc::new(TestDevice {
                id: format!("{}{}", self.name, suffix),
                info: self.query_available_devices()?.remove(0),
            }))
        }
    }

    struct TestFactory {
        drivers: Vec<DriverInfo>,
        fail_enumerate: bool,
    }

    impl TestFactory {
        fn new(names: &[(DriverId, &str)]) -> Arc<TestFactory> {
            Arc::new(TestFactory {
                drivers: names
                    .iter()
                    .map(|(id, name)| DriverInfo {
                        driver_id: *id,
                        driver_name: name.to_string(),
                        full_name: format!("{name} ({id})"),
                    })
                    .collect(),
                fail_enumerate: false,
            })
        }
    }

    impl DriverFactory for TestFactory {
        fn enumerate(&self) -> Result<Vec<DriverInfo>> {
            if self.fail_enumerate {
                iree_bail!(Unavailable, "enumeration failed");
            }
            Ok(self.drivers.clone())
        }
        fn try_create(&self, driver_id: DriverId) -> Result<Arc<dyn Driver>> {
            let info = self
                .drivers
                .iter()
                .find(|d| d.driver_id == driver_id)
                .ok_or_else(|| iree_err!(NotFound, "bad id"))?;
            Ok(Arc::new(TestDriver {
                name: info.full_name.clone(),
            }))
        }
    }

    fn device_id(driver: &Arc<dyn Driver>) -> String {
        driver.create_default_device().unwrap().id().to_string()
    }

    #[test]
    fn register_enumerate_and_create_by_name() {
        let registry = DriverRegistry::new();
        assert!(registry.enumerate().unwrap().is_empty());
        let a = TestFactory::new(&[(1, "local-sync"), (2, "dup"), (3, "dup")]);
        let b = TestFactory::new(&[(4, "dup")]);
        registry.register_factory(a.clone()).unwrap();
        registry.register_factory(b.clone()).unwrap();
        let names: Vec<_> = registry
            .enumerate()
            .unwrap()
            .into_iter()
            .map(|d| d.driver_id)
            .collect();
        assert_eq!(names, vec![1, 2, 3, 4]);
        let sync = registry.try_create_by_name("local-sync").unwrap();
        assert_eq!(device_id(&sync), "local-sync (1)");
        // The newest factory wins a duplicate name...
        assert_eq!(
            device_id(&registry.try_create_by_name("dup").unwrap()),
            "dup (4)"
        );
        registry.unregister_factory(&*b).unwrap();
        // ... and within a factory the last entry.
        assert_eq!(
            device_id(&registry.try_create_by_name("dup").unwrap()),
            "dup (3)"
        );
        let err = registry.try_create_by_name("vulkan").err().unwrap();
        assert_eq!(err.code(), StatusCode::NotFound);
        assert!(err.message().contains("no driver 'vulkan' registered"));
        // Created drivers outlive their factory's registration.
        registry.unregister_factory(&*a).unwrap();
        assert_eq!(device_id(&sync), "local-sync (1)");
    }

    #[test]
    fn duplicate_unknown_and_too_many_factories() {
        let registry = DriverRegistry::new();
        let a = TestFactory::new(&[(1, "a")]);
        registry.register_factory(a.clone()).unwrap();
        let err = registry.register_factory(a.clone()).unwrap_err();
        assert_eq!(err.code(), StatusCode::AlreadyExists);
        let stranger = TestFactory::new(&[(9, "z")]);
        assert_eq!(
            registry.unregister_factory(&*stranger).unwrap_err().code(),
            StatusCode::NotFound
        );
        for i in 1..MAX_DRIVER_FACTORY_COUNT {
            registry
                .register_factory(TestFactory::new(&[(10 + i as u64, "x")]))
                .unwrap();
        }
        assert_eq!(registry.factory_count(), MAX_DRIVER_FACTORY_COUNT);
        assert_eq!(
            registry.register_factory(stranger).unwrap_err().code(),
            StatusCode::ResourceExhausted
        );
        // Duplicates are reported as such even when full.
        assert_eq!(
            registry.register_factory(a).unwrap_err().code(),
            StatusCode::AlreadyExists
        );
    }

    #[test]
    fn create_by_id() {
        let registry = DriverRegistry::new();
        registry
            .register_factory(TestFactory::new(&[(5, "five")]))
            .unwrap();
        assert_eq!(device_id(&registry.try_create(5).unwrap()), "five (5)");
        let invalid = registry.try_create(DRIVER_ID_INVALID).err().unwrap();
        assert_eq!(invalid.code(), StatusCode::InvalidArgument);
        assert_eq!(
            registry.try_create(6).err().unwrap().code(),
            StatusCode::NotFound
        );
    }

    #[test]
    fn enumeration_failure_is_reported() {
        let registry = DriverRegistry::new();
        registry
            .register_factory(Arc::new(TestFactory {
                drivers: Vec::new(),
                fail_enumerate: true,
            }))
            .unwrap();
        assert_eq!(
            registry.enumerate().unwrap_err().code(),
            StatusCode::Unavailable
        );
        assert_eq!(
            registry.try_create_by_name("x").err().unwrap().code(),
            StatusCode::Unavailable
        );
    }

    #[test]
    fn device_uris() {
        assert_eq!(
            DeviceUri::parse("local-sync"),
            DeviceUri {
                driver_name: "local-sync",
                path: "",
                params: vec![]
            }
        );
        assert_eq!(
            DeviceUri::parse("local-task://0?a=1&&b"),
            DeviceUri {
                driver_name: "local-task",
                path: "0",
                params: vec![("a", "1"), ("b", "")]
            }
        );
        assert_eq!(DeviceUri::parse("cuda:/1").path, "1");
        assert_eq!(DeviceUri::parse("cuda:2").path, "2");

        let registry = DriverRegistry::new();
        registry
            .register_factory(TestFactory::new(&[(1, "local-sync")]))
            .unwrap();
        let device = registry.create_device("local-sync").unwrap();
        assert_eq!(device.id(), "local-sync (1)");
        let device = registry.create_device("local-sync://0?x=y").unwrap();
        assert_eq!(device.id(), "local-sync (1)+x=y");
        assert_eq!(device.info().name, "first");
        let err = registry.create_device("local-sync://9").err().unwrap();
        assert_eq!(err.code(), StatusCode::NotFound);
        assert!(
            err.to_string().contains("creating device 'local-sync://9'"),
            "{err}"
        );
        let err = registry.create_device("metal").err().unwrap();
        assert_eq!(err.code(), StatusCode::NotFound);
    }

    #[test]
    fn global_registry_is_one_instance() {
        assert!(std::ptr::eq(
            DriverRegistry::global(),
            DriverRegistry::global()
        ));
    }
}
