//! The hardware abstraction layer core: buffers and views, timeline semaphores,
//! fences, devices and the driver registry (in progress; see the README
//! compatibility table). It stands on `base` only and never names `vm` or `capi`.

pub mod allocator;
pub mod buffer;
pub mod buffer_view;
pub mod command_buffer;
pub mod command_runner;
pub mod device;
pub mod driver;
pub mod driver_registry;
pub mod element_type;
pub mod elf;
pub mod event;
pub mod executable;
pub mod fence;
pub mod file;
pub mod local;
pub mod local_sync;
pub mod local_task;
pub mod memory;
pub mod npy;
pub mod queue;
pub mod resource_set;
pub mod semaphore;
pub mod storage;
pub mod task;
pub mod text;
pub mod text_float;
pub mod text_format;
pub mod text_number;
