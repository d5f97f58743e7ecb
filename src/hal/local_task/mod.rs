//! The `local-task` device and driver: host memory, with dispatches spread
//! over persistent worker threads (one per CPU by default). A dispatch's
//! workgroups are split into tiles that the workers and the issuing thread
//! claim from a shared counter; small dispatches, and executables that can
//! only run whole, run on the issuing thread. A queue operation whose waits
//! are reached when it is submitted runs at once on the submitting thread;
//! one that must wait runs on the device's queue thread once they are.
//! Fills and copies of a megabyte or more are split over the pool too.

mod device;
mod driver;
pub mod options;
mod queue;
mod transfers;
mod workers;

pub use device::LocalTaskDevice;
pub use driver::{LocalTaskDriver, LocalTaskDriverFactory, DRIVER_NAMES};
pub use options::{set_defaults, TaskDefaults};
pub use workers::{DispatchCounts, PoolOptions};
