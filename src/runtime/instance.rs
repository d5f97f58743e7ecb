//! The runtime instance: the VM instance every session's context comes
//! from, the host allocator, and the driver registry devices are made from.

use std::sync::Arc;

use crate::abi::allocator::iree_allocator_t;
use crate::hal::device::Device;
use crate::hal::driver_registry::DriverRegistry;
use crate::modules::vmvx::{local_sync_factory, local_task_factory, VmvxDriverFactory};
use crate::vm::instance::Instance as VmInstance;
use crate::{Error, Result, StatusCode};

/// How an instance is made. Without a registry the instance can create no
/// devices (sessions then need a device made elsewhere).
#[derive(Clone, Copy, Default)]
pub struct InstanceOptions {
    pub driver_registry: Option<&'static DriverRegistry>,
}

impl InstanceOptions {
    /// Registers every driver this build has in the process-wide registry
    /// and uses that registry (`use_all_available_drivers`).
    pub fn use_all_available_drivers(&mut self) -> Result<()> {
        let registry = DriverRegistry::global();
        register_all_available_drivers(registry)?;
        self.driver_registry = Some(registry);
        Ok(())
    }
}

/// Registers the drivers this build has (the local-sync and local-task
/// families, whose devices load native and VMVX executables, and the
/// seeds' `vmvx`/`vmvx-sync` names for them) in `registry`; ones
/// registered already are left as they are.
pub fn register_all_available_drivers(registry: &DriverRegistry) -> Result<()> {
    let tolerate_existing = |result: Result<()>| match result {
        Err(e) if e.code() == StatusCode::AlreadyExists => Ok(()),
        other => other,
    };
    tolerate_existing(registry.register_factory(local_sync_factory()))?;
    tolerate_existing(registry.register_factory(local_task_factory()))?;
    tolerate_existing(registry.register_factory(VmvxDriverFactory::shared()))
}

/// A runtime instance, shared by its sessions.
pub struct Instance {
    vm_instance: Arc<VmInstance>,
    driver_registry: Option<&'static DriverRegistry>,
    host_allocator: iree_allocator_t,
}

impl Instance {
    pub fn new(options: &InstanceOptions, host_allocator: iree_allocator_t) -> Result<Instance> {
        Ok(Instance {
            vm_instance: Arc::new(VmInstance::new(host_allocator)?),
            driver_registry: options.driver_registry,
            host_allocator,
        })
    }

    pub fn vm_instance(&self) -> &Arc<VmInstance> {
        &self.vm_instance
    }

    pub fn host_allocator(&self) -> iree_allocator_t {
        self.host_allocator
    }

    pub fn driver_registry(&self) -> Option<&'static DriverRegistry> {
        self.driver_registry
    }

    /// Creates the default device of the driver named `driver_name` (a
    /// device URI such as `local-sync` or `local-sync://` works as well).
    pub fn try_create_default_device(&self, driver_name: &str) -> Result<Arc<dyn Device>> {
        let Some(registry) = self.driver_registry else {
            return Err(Error::new(
                StatusCode::FailedPrecondition,
                "the instance has no driver registry; create it with options that name one (e.g. after use_all_available_drivers)",
            ));
        };
        registry.create_device(driver_name).map_err(|e| {
            e.annotate(format!(
                "creating the default device of driver '{driver_name}'"
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_device_needs_a_registry_and_a_known_driver() {
        let bare = Instance::new(&InstanceOptions::default(), iree_allocator_t::system()).unwrap();
        let e = bare.try_create_default_device("local-sync").err().unwrap();
        assert_eq!(e.code(), StatusCode::FailedPrecondition);
        let mut options = InstanceOptions::default();
        options.use_all_available_drivers().unwrap();
        options.use_all_available_drivers().unwrap();
        let instance = Instance::new(&options, iree_allocator_t::system()).unwrap();
        let device = instance.try_create_default_device("local-sync").unwrap();
        assert!(device.id().starts_with("local-sync"), "{}", device.id());
        let e = instance
            .try_create_default_device("no-such-driver")
            .err()
            .unwrap();
        assert!(e.to_string().contains("no-such-driver"), "{e}");
    }
}
