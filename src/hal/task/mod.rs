//! The task system's core: the worker topology an executor is built from
//! and the executor itself (worker threads running posted jobs, and a waiter
//! thread polling unresolved waits). The task graph (caller-owned task
//! structs with intrusive links) is walked at the C boundary, which posts
//! its work here as jobs.

pub mod executor;
pub mod topology;

pub use executor::{Executor, ExecutorOptions, Poster, WaitPoll, WorkerContext};
pub use topology::Group;
