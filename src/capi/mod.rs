//! The C ABI: `extern "C"` functions and `repr(C)` types, one file per
//! upstream header, each a thin conversion layer over the safe core.
//!
//! Conventions (see `docs/DESIGN.md`, "Crossing the C boundary"): every
//! export runs its body, which returns `crate::Result`, in
//! `boundary::ffi_boundary`; arguments are checked with `handle::arg!`;
//! handles are cast only in `handle`; each export's `///` comment states
//! what it returns, borrows and retains.

#![allow(non_camel_case_types)]

pub mod base;
pub mod boundary;
pub mod hal;
pub mod handle;
pub mod modules;
pub mod runtime;
pub mod task;
/// Test hooks, declared by hand in iree/testing/runtime_hooks.h. Compiled
/// only for this crate's unit tests and for builds with the `test-hooks`
/// feature, which the C tests make in a target folder of their own.
/// cbindgen:ignore
#[cfg(any(test, feature = "test-hooks"))]
pub mod testing;
/// The TensorFlow Lite C API, declared by hand in include/tensorflow/lite/c/
/// (tests/tflite_capi_headers.rs keeps the two in step).
/// cbindgen:ignore
pub mod tflite;
pub mod vm;
