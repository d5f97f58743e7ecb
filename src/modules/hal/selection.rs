//! Which devices a hal module offers, and the module as the VM holds it.
//!
//! A compiled program picks its device itself, in `__init`: it walks
//! `devices.count` / `devices.get` and keeps the first device for which
//! `device.query.i64("hal.device.id", <glob>)` and
//! `device.query.i64("hal.executable.format", <format>)` answer `(1, 1)`
//! (see `devices::device_query_i64` and the core's `query_i64_common`).
//! The module's part is the ordered device list, made here from device
//! URIs (`local-sync`, `local-task`, ...) through a driver registry.

use std::sync::Arc;

use crate::hal::device::Device;
use crate::hal::driver_registry::DriverRegistry;
use crate::modules::hal::HalModule;
use crate::vm::module::{export_module, module_release, CModule, Module};
use crate::{iree_ensure, Result};

/// Creates one device per URI, in order.
pub fn devices_from_uris(registry: &DriverRegistry, uris: &[&str]) -> Result<Vec<Arc<dyn Device>>> {
    iree_ensure!(
        !uris.is_empty(),
        InvalidArgument,
        "the hal module needs at least one device"
    );
    uris.iter().map(|uri| registry.create_device(uri)).collect()
}

/// A `hal` module over `devices` as a module the VM can register in a
/// context.
pub fn create_module(devices: Vec<Arc<dyn Device>>) -> Result<CModule> {
    held_module(Box::new(HalModule::new(devices)?))
}

/// A Rust module as the VM holds it (one reference).
pub fn held_module(module: Box<dyn Module>) -> Result<CModule> {
    let table = export_module(module);
    // SAFETY: `table` is the live table just made; `retain` takes a
    // reference of its own.
    let held = unsafe { CModule::retain(table) };
    // SAFETY: gives up the creation reference (`held` keeps the module).
    unsafe { module_release(table) };
    held
}
