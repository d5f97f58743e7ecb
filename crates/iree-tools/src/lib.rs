//! Shared code of the command-line tools in `src/bin` (`iree-run-module`,
//! `iree-benchmark-module`): flag parsing, scalar text I/O, and the VM
//! session they drive.

pub mod benchmark;
pub mod flags;
pub mod fuzzing;
pub mod outputs;
pub mod run_module;
pub mod scalar;
pub mod session;
pub mod variants;
