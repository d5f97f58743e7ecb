//! C ABI of `iree/base` and `iree/base/internal`.

pub mod status;
