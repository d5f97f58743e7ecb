//! The VM: ref-counted objects (refs, lists, buffers), modules and their
//! calling conventions, stacks, contexts and invocation. The C layout of
//! the object model is part of the API, so the raw `repr(C)` types live
//! here beside the safe wrappers built on them.

pub mod buffer;
pub mod builtin_types;
pub mod bytecode;
pub mod cconv;
pub mod context;
pub mod instance;
pub mod interface;
pub mod invocation;
pub mod list;
pub mod module;
pub mod native_module;
pub mod r#ref;
pub mod stack;
pub mod value;
