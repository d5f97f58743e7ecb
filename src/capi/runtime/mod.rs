//! The high-level runtime C API (`iree/runtime/*.h`), one file per upstream
//! header, over [`crate::runtime`].

pub mod call;
pub mod instance;
pub mod session;
