//! The C API of the VM modules over the HAL (`iree/modules/*/module.h`),
//! one file per upstream header.

pub mod check;
pub mod hal;
