//! The one panic boundary every exported function goes through.
//!
//! `ffi_boundary! { body }` runs the body under `catch_unwind`; a panic
//! becomes the return type's [`PanicDefault`] value (an `IREE_STATUS_INTERNAL`
//! status for functions returning `iree_status_t`), so no unwind reaches C.

use std::any::Any;

/// What an exported function returns when its body panicked.
pub trait PanicDefault {
    fn panic_default(message: &str) -> Self;
}

impl PanicDefault for () {
    fn panic_default(_: &str) -> Self {}
}

impl PanicDefault for bool {
    fn panic_default(_: &str) -> Self {
        false
    }
}

macro_rules! zero_panic_default {
    ($($t:ty),*) => {$(
        impl PanicDefault for $t {
            fn panic_default(_: &str) -> Self { 0 as $t }
        }
    )*};
}
zero_panic_default!(u8, u16, u32, u64, usize, i8, i16, i32, i64, isize, f32, f64);

impl<T> PanicDefault for *mut T {
    fn panic_default(_: &str) -> Self {
        std::ptr::null_mut()
    }
}

impl<T> PanicDefault for *const T {
    fn panic_default(_: &str) -> Self {
        std::ptr::null()
    }
}

/// Turns a caught panic payload into a readable message.
pub fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_owned()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic payload".to_owned()
    }
}

/// Called by `ffi_boundary!` after a panic was caught.
pub fn on_panic<T: PanicDefault>(payload: Box<dyn Any + Send>) -> T {
    let message = panic_message(payload.as_ref());
    T::panic_default(&format!("internal panic in the runtime: {message}"))
}

/// Wraps the body of an exported function so that panics become statuses.
macro_rules! ffi_boundary {
    ($($body:tt)*) => {
        match ::std::panic::catch_unwind(::std::panic::AssertUnwindSafe(|| { $($body)* })) {
            Ok(value) => value,
            Err(payload) => $crate::capi::boundary::on_panic(payload),
        }
    };
}
