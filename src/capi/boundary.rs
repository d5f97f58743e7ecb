//! The panic boundary, as the exports use it.
//!
//! The boundary itself is [`crate::abi::boundary`] (the core's own C
//! callbacks need it too, and the core never names `capi`). An export
//! writes its body as a closure returning `crate::Result<T>`:
//!
//! ```ignore
//! #[no_mangle]
//! pub unsafe extern "C" fn iree_vm_list_size(list: *const iree_vm_list_t) -> usize {
//!     ffi_boundary(|| {
//!         // SAFETY: NULL or a list this library handed out (API contract).
//!         let list = unsafe { arg!(list).handle() }?;
//!         Ok(list.size())
//!     })
//! }
//! ```

pub use crate::abi::boundary::{ffi_boundary, null_argument, FfiResult, FfiReturn};
