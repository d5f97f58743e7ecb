//! The `vmvx` and `vmvx-sync` drivers: local-task and local-sync devices
//! (identifying as such, so programs compiled for `local` select them)
//! that load VMVX executables besides the native CPU formats; the
//! library's own local-sync and local-task drivers load VMVX too.

use std::sync::Arc;

use iree_runtime::hal::device::Device;
use iree_runtime::hal::driver_registry::DriverRegistry;
use iree_runtime::hal::local_sync::LocalSyncDriverFactory;
use iree_runtime::modules::vmvx::VmvxDriverFactory;
use iree_runtime::runtime::instance::register_all_available_drivers;

#[test]
fn vmvx_drivers_make_local_devices_that_load_vmvx() {
    let registry = DriverRegistry::new();
    registry
        .register_factory(VmvxDriverFactory::shared())
        .unwrap();
    for (name, id) in [("vmvx", "local-task"), ("vmvx-sync", "local-sync")] {
        let device: Arc<dyn Device> = registry.create_device(name).unwrap();
        assert_eq!(device.id(), id);
        let formats = device.executable_formats();
        assert!(
            formats.iter().any(|f| f == "vmvx-bytecode-fb"),
            "{formats:?}"
        );
        assert!(
            formats.iter().any(|f| f == "embedded-elf-x86_64"),
            "{formats:?}"
        );
        assert_eq!(
            device
                .query_i64("hal.executable.format", "vmvx-bytecode-fb")
                .unwrap(),
            1
        );
    }
}

#[test]
fn local_sync_alone_no_longer_answers_to_vmvx_names() {
    let registry = DriverRegistry::new();
    registry
        .register_factory(Arc::new(LocalSyncDriverFactory::default()))
        .unwrap();
    assert!(registry.create_device("vmvx-sync").is_err());
    assert!(registry.create_device("vmvx").is_err());
}

#[test]
fn all_available_drivers_include_vmvx_and_registering_twice_is_fine() {
    let registry = DriverRegistry::new();
    register_all_available_drivers(&registry).unwrap();
    register_all_available_drivers(&registry).unwrap();
    for name in ["local-sync", "local-task", "dylib", "vmvx", "vmvx-sync"] {
        let device = registry.create_device(name).unwrap();
        assert_eq!(
            device
                .query_i64("hal.executable.format", "vmvx-bytecode-fb")
                .unwrap(),
            1,
            "{name}"
        );
    }
}
