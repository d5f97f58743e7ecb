//! The `modules` layer: VM modules over the HAL, where `vm` and `hal` meet.

pub mod check;
pub mod hal;
pub mod hal_inline;
pub mod hal_loader;
pub mod vmvx;
