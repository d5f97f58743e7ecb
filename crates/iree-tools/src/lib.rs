//! Shared code of the command-line tools in `src/bin` (`iree-run-module`,
//! `iree-benchmark-module`, `iree-check-module`): flag parsing, scalar and
//! buffer-view text I/O, HAL devices, and the VM session they drive.

pub mod benchmark;
pub mod buffer_views;
pub mod check_module;
pub mod devices;
pub mod flags;
pub mod fuzz_hal_module;
pub mod fuzzing;
pub mod outputs;
pub mod run_module;
pub mod scalar;
pub mod session;
pub mod variants;
