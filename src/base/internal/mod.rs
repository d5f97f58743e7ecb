//! `iree/base/internal`: the platform layer (threads, synchronization, wait
//! handles, files, dynamic libraries, math, ...).

pub mod wait_handle;
pub mod event_pool;
pub mod threading;
pub mod synchronization;
pub mod call_once;
pub mod atomic_slist;
pub mod arena;
pub mod file_io;
pub mod file_path;
pub mod dynamic_library;
pub mod math;
pub mod prng;
pub mod fpu_state;
pub mod cpu;
