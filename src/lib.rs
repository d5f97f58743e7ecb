//! A Rust implementation of the IREE runtime C API.
//!
//! Layout mirrors upstream's layering: `base` -> `hal` -> `vm` -> `modules`
//! -> `runtime`, plus `tflite`. Each layer is ordinary safe Rust; the C ABI
//! lives in `capi`, a thin layer of `extern "C"` functions and `repr(C)`
//! types (one file per C header) that converts pointers and statuses and
//! never lets a panic cross into C.

#![deny(unsafe_op_in_unsafe_fn)]
#![allow(clippy::missing_safety_doc)]

pub mod abi;
/// cbindgen:ignore
pub mod base;
pub mod capi;
/// cbindgen:ignore
pub mod hal;
/// cbindgen:ignore
pub mod modules;
/// cbindgen:ignore
pub mod runtime;
/// cbindgen:ignore
pub mod tflite;
/// cbindgen:ignore
pub mod vm;

pub use base::status::{Error, Result, StatusCode};
