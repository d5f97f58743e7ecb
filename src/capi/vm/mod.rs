//! C ABI of `iree/vm`, one file per header.
pub mod types;
pub mod r#ref;
pub mod list;
