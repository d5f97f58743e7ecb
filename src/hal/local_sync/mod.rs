//! The `local-sync` device and driver: host memory, and every queue
//! operation runs on a calling thread (no worker threads). An operation
//! whose waits are already reached runs inside the call that issues it; one
//! that must wait runs on the thread whose signal reaches its last wait. A
//! wait that has already failed fails the operation at once, so nothing is
//! left waiting for work that can never run.

mod device;
mod driver;
pub mod profile;

pub use device::LocalSyncDevice;
pub(crate) use device::{cpu_feature, PendingWork};
pub use driver::{LocalSyncDriver, LocalSyncDriverFactory, DRIVER_NAMES};
