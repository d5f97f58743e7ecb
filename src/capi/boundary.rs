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
//!
//! `ffi_boundary! { body }` is the older form whose body computes the C
//! value itself; it runs through the same boundary and is kept only until
//! every export has moved to the closure form.

pub use crate::abi::boundary::{ffi_boundary, null_argument, FfiResult, FfiReturn};

/// Runs a body that computes the C return value itself (no `Result`).
pub fn catch_panic<R: FfiReturn>(body: impl FnOnce() -> R) -> R {
    ffi_boundary::<R, R>(|| Ok(body()))
}

/// Older form of [`ffi_boundary`]: the body evaluates to the C value.
macro_rules! ffi_boundary {
    ($($body:tt)*) => {
        $crate::capi::boundary::catch_panic(|| { $($body)* })
    };
}
