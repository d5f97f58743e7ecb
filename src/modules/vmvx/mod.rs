//! VMVX: executables that are VM bytecode modules (format
//! `vmvx-bytecode-fb`), run by this runtime's own VM instead of as machine
//! code, and the drivers whose devices load them.
//!
//! Files: `loader` (the HAL executable loader: checks and loads a module,
//! makes its context), `executable` (dispatch: runs every workgroup of an
//! export through one reused VM stack), `driver` (the `vmvx` and
//! `vmvx-sync` drivers: local-sync devices with this loader added).
//! This layer exists because `hal` and `vm` never name each other.

pub mod driver;
pub mod executable;
pub mod kernels;
pub mod loader;
pub mod module;
pub mod tiling;

pub use driver::{local_sync_factory, local_task_factory, vmvx_device_loaders, VmvxDriverFactory};
pub use loader::VmvxLoader;

/// The executable format this loader reads.
pub const FORMAT: &str = "vmvx-bytecode-fb";
