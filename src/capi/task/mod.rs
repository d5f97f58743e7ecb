//! The task system's C API (`iree/task/*.h`): topologies, tasks and their
//! graph, lists, submissions, scopes and executors. Task structs are
//! caller-owned with the layouts of `iree/abi/task_types.h`.

pub mod executor;
pub mod list;
pub mod scope;
pub mod submission;
/// `iree/task/task.h` (the file names follow the upstream headers).
#[allow(clippy::module_inception)]
pub mod task;
pub mod topology;
/// Mirrors of `iree/abi/task_types.h`.
/// cbindgen:ignore
pub mod types;
