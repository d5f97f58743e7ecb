//! `iree/base`: statuses, allocators, strings, time, waits and loops, plus the
//! platform layer under `internal`.

pub mod allocator;
pub mod bitfield;
pub mod flags;
pub mod internal;
pub mod r#loop;
pub mod loop_inline;
pub mod loop_sync;
pub mod status;
pub mod string_builder;
pub mod string_view;
pub mod time;
pub mod wait_source;
