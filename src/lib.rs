//! A Rust implementation of the IREE runtime C API.
//!
//! Layers (docs/DESIGN.md, enforced by tests/layering.rs): `base` at the
//! bottom with the C value types of `abi` beside it; `vm` and `hal` on
//! `base`, never naming each other; `modules` joining them; `runtime`
//! above, `tflite` on `runtime`. Each is ordinary safe Rust. The C ABI
//! lives in `capi`, on top: thin `extern "C"` functions (one file per C
//! header) that convert pointers and statuses and never let a panic cross
//! into C. The core never names `capi`.

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
