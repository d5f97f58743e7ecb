//! `iree/base`: statuses, allocators, strings, time, waits and loops, plus the
//! platform layer under `internal`.

pub mod internal;
pub mod status;
pub mod allocator;
pub mod string_view;
pub mod string_builder;
pub mod bitfield;
pub mod time;
pub mod wait_source;
pub mod r#loop;
pub mod loop_inline;
pub mod loop_sync;
pub mod flags;
