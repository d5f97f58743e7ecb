//! The C ABI's value types, below the core (mirrors `include/iree/abi/`).
//!
//! Plain `repr(C)` data every layer may hold or pass to C: allocators, byte
//! spans, string views and statuses, plus the panic boundary every function
//! C calls goes through. `abi` sits beside `base`: it uses only
//! `base::status` (the error type statuses carry) and names no other layer;
//! the core (`vm`, `hal`, ...) takes C types from here, never from `capi`.
//! The C definitions are hand-written in `include/iree/abi/*_types.h`, so
//! the types carry `/// cbindgen:ignore`.

#![allow(non_camel_case_types)]

pub mod allocator;
pub mod boundary;
pub mod hal_lent;
pub mod hal_resource;
pub mod status;
pub mod string_view;

pub use allocator::{iree_allocator_t, iree_byte_span_t, iree_const_byte_span_t};
pub use status::{iree_status_code_t, iree_status_t};
pub use string_view::{iree_host_size_t, iree_string_view_t};
