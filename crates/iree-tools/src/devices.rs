//! HAL devices of the tools, from `--device=` URIs (`local-sync`,
//! `local-task`, `local-task://?task_topology_group_count=2`, ...), in flag
//! order. `--task_topology_group_count` and `--task_worker_spin_us` set the
//! defaults of local-task devices. The hal module offers them to the
//! program, whose `__init` picks the first that runs its executables.

use std::sync::{Arc, OnceLock};

use iree_runtime::hal::device::Device;
use iree_runtime::hal::driver_registry::DriverRegistry;
use iree_runtime::hal::local_task::{self, TaskDefaults};
use iree_runtime::modules::hal::selection::devices_from_uris;
use iree_runtime::runtime::instance::register_all_available_drivers;
use iree_runtime::Result;

use crate::flags::Parsed;

/// The device used when a program needs one and no `--device=` is given.
pub const DEFAULT_DEVICE_URI: &str = "local-sync";

/// The drivers these tools can create devices from: every driver of the
/// library (local-sync and local-task, which load native and VMVX
/// executables, and the seeds' `vmvx` names for them).
fn registry() -> Result<&'static DriverRegistry> {
    static REGISTRY: OnceLock<DriverRegistry> = OnceLock::new();
    if let Some(registry) = REGISTRY.get() {
        return Ok(registry);
    }
    let registry = DriverRegistry::new();
    register_all_available_drivers(&registry)?;
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
    devices_from_uris(registry()?, &uris)
}

/// Applies the task flags (the reference's `--task_topology_group_count`
/// and `--task_worker_spin_us`) to local-task devices created afterwards.
pub fn configure_from_flags(parsed: &Parsed) -> Result<()> {
    let group_count = parsed.value("task_topology_group_count");
    let spin_us = parsed.value("task_worker_spin_us");
    if group_count.is_some() || spin_us.is_some() {
        local_task::set_defaults(TaskDefaults::from_flags(group_count, spin_us)?);
    }
    Ok(())
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
        let task = create_devices(&["local-task://?task_topology_group_count=2".into()]).unwrap();
        assert_eq!(task[0].query_i64("hal.dispatch", "concurrency").unwrap(), 2);
        let e = create_devices(&["vulkan".into()])
            .err()
            .expect("vulkan fails");
        assert_eq!(e.code(), StatusCode::NotFound, "{e}");
    }
}
