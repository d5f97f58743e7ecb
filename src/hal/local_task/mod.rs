//! The `local-task` device and driver: host memory, with dispatches spread
//! over persistent worker threads (one per CPU by default). A dispatch's
//! workgroups are split into tiles that the workers and the issuing thread
//! claim from a shared counter; small dispatches, and executables that can
//! only run whole, run on the issuing thread. Queue operations run as on
//! local-sync: at once when their waits are reached, else on the thread
//! whose signal reaches the last wait.

mod device;
mod driver;
pub mod options;
mod workers;

pub use device::LocalTaskDevice;
pub use driver::{LocalTaskDriver, LocalTaskDriverFactory, DRIVER_NAMES};
pub use options::{set_defaults, TaskDefaults};
pub use workers::{DispatchCounts, PoolOptions};
