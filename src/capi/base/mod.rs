//! C ABI of `iree/base` and `iree/base/internal`, one file per header.

pub mod status;
pub mod api;
pub mod allocator;
pub mod string_view;
pub mod string_builder;
pub mod bitfield;
pub mod flags;
pub mod time;
pub mod wait_source;
pub mod r#loop;
pub mod loop_inline;
pub mod loop_sync;
pub mod wait_handle;
pub mod event_pool;
pub mod threading;
pub mod synchronization;
pub mod atomic_slist;
pub mod arena;
pub mod file_io;
pub mod file_path;
pub mod dynamic_library;
pub mod fpu_state;
pub mod cpu;
pub mod testing;
