//! C ABI of `iree/vm`, one file per header.
pub mod types;
pub mod r#ref;
pub mod list;
pub mod buffer;
pub mod builtin_types;
pub mod instance;
pub mod module;
pub mod native_module;
pub mod stack;
pub mod context;
pub mod invocation;
pub mod bytecode_module;
