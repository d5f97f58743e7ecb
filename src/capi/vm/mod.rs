//! C ABI of `iree/vm`, one file per header.
pub mod buffer;
pub mod builtin_types;
pub mod bytecode_module;
pub mod context;
pub mod instance;
pub mod invocation;
pub mod list;
pub mod module;
pub mod native_module;
pub mod r#ref;
pub mod stack;
pub mod type_adapters;
pub mod types;
