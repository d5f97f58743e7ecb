//! `iree/base`: statuses, allocators, strings, time, waits and loops, plus the
//! platform layer under `internal`.

pub mod internal;
pub mod status;
