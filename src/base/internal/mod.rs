//! `iree/base/internal`: the platform layer (threads, synchronization, wait
//! handles, files, dynamic libraries, math, ...).

pub mod arena;
pub mod atomic_slist;
pub mod call_once;
pub mod cpu;
pub mod dynamic_library;
pub mod event_pool;
pub mod file_io;
pub mod file_mapping;
pub mod file_path;
pub mod fpu_state;
pub mod math;
pub mod prng;
pub mod synchronization;
pub mod threading;
pub mod wait_handle;
