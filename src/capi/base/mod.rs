//! C ABI of `iree/base` and `iree/base/internal`, one file per header.

pub mod allocator;
pub mod api;
pub mod arena;
pub mod atomic_slist;
pub mod bitfield;
pub mod cpu;
pub mod dynamic_library;
pub mod event_pool;
pub mod file_io;
pub mod file_path;
pub mod flags;
pub mod fpu_state;
pub mod r#loop;
pub mod loop_inline;
pub mod loop_sync;
pub mod status;
pub mod string_builder;
pub mod string_view;
pub mod synchronization;
pub mod threading;
pub mod time;
pub mod wait_handle;
pub mod wait_source;
