//! The `hal` layer (not yet implemented; see the README compatibility table).

pub mod device;
pub mod driver;
pub mod driver_registry;
pub mod event;
pub mod fence;
pub mod semaphore;
