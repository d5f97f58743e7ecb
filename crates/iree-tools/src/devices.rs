//! HAL devices of the tools, from `--device=` URIs (`local-sync`,
//! `local-sync://`, ...), in flag order. The hal module offers them to the
//! program, whose `__init` picks the first that runs its executables.

use std::sync::{Arc, OnceLock};

use iree_runtime::hal::device::Device;
use iree_runtime::hal::driver_registry::{DeviceUri, DriverRegistry};
use iree_runtime::hal::local_sync::LocalSyncDriverFactory;
use iree_runtime::modules::hal::selection::devices_from_uris;
use iree_runtime::{iree_bail, Result};

/// The device used when a program needs one and no `--device=` is given.
pub const DEFAULT_DEVICE_URI: &str = "local-sync";

/// The drivers these tools can create devices from.
fn registry() -> Result<&'static DriverRegistry> {
    static REGISTRY: OnceLock<DriverRegistry> = OnceLock::new();
    if let Some(registry) = REGISTRY.get() {
        return Ok(registry);
    }
    let registry = DriverRegistry::new();
    registry.register_factory(Arc::new(LocalSyncDriverFactory))?;
    Ok(REGISTRY.get_or_init(|| registry))
}

/// Creates one device per URI (the default device when `uris` has none).
pub fn create_devices(uris: &[String]) -> Result<Vec<Arc<dyn Device>>> {
    let uris: Vec<&str> = uris
        .iter()
        .map(String::as_str)
        .filter(|u| !u.is_empty())
        .collect();
    let uris = if uris.is_empty() {
        vec![DEFAULT_DEVICE_URI]
    } else {
        uris
    };
    for uri in &uris {
        if DeviceUri::parse(uri).driver_name == "local-task" {
            iree_bail!(
                Unimplemented,
                "the local-task driver is not available in this runtime yet (device '{}'); use --device=local-sync",
                uri
            );
        }
    }
    devices_from_uris(registry()?, &uris)
}

#[cfg(test)]
mod tests {
    use super::*;
    use iree_runtime::StatusCode;

    #[test]
    fn uris() {
        assert_eq!(create_devices(&[]).unwrap().len(), 1);
        let two = create_devices(&["local-sync".into(), "local-sync://".into()]).unwrap();
        assert_eq!(two.len(), 2);
        let e = create_devices(&["local-task".into()])
            .err()
            .expect("local-task fails");
        assert_eq!(e.code(), StatusCode::Unimplemented);
        assert!(e.message().contains("local-task"), "{e}");
        let e = create_devices(&["vulkan".into()])
            .err()
            .expect("vulkan fails");
        assert_eq!(e.code(), StatusCode::NotFound, "{e}");
    }
}
