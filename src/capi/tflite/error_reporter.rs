//! TFLite's error reporters: `void (*)(void* user_data, const char* format,
//! va_list args)`. Stable Rust cannot build a `va_list`, so the message is
//! passed as the format itself with every `%` doubled, and the `va_list`
//! is an empty one the format never reads (its layout per ABI below).

use std::ffi::{c_char, c_void, CString};
use std::sync::Arc;

use crate::tflite::ErrorReporter;

/// The `va_list` parameter as the platform's ABI passes it.
#[cfg(target_arch = "x86_64")]
mod va {
    /// System V x86-64: `va_list` is an array of one `__va_list_tag`, so
    /// the parameter is a pointer to it.
    #[repr(C)]
    pub struct Tag {
        gp_offset: u32,
        fp_offset: u32,
        overflow_arg_area: *mut std::ffi::c_void,
        reg_save_area: *mut std::ffi::c_void,
    }
    pub type VaList = *mut Tag;
    pub fn empty() -> Tag {
        // Both register areas used up, no stack arguments: reads nothing.
        Tag {
            gp_offset: 48,
            fp_offset: 176,
            overflow_arg_area: std::ptr::null_mut(),
            reg_save_area: std::ptr::null_mut(),
        }
    }
    pub fn pass(tag: &mut Tag) -> VaList {
        tag
    }
}

#[cfg(target_arch = "aarch64")]
mod va {
    /// AAPCS64: `va_list` is this struct, passed by value.
    #[repr(C)]
    #[derive(Clone, Copy)]
    pub struct Tag {
        stack: *mut std::ffi::c_void,
        gr_top: *mut std::ffi::c_void,
        vr_top: *mut std::ffi::c_void,
        gr_offs: i32,
        vr_offs: i32,
    }
    pub type VaList = Tag;
    pub fn empty() -> Tag {
        Tag {
            stack: std::ptr::null_mut(),
            gr_top: std::ptr::null_mut(),
            vr_top: std::ptr::null_mut(),
            gr_offs: 0,
            vr_offs: 0,
        }
    }
    pub fn pass(tag: &mut Tag) -> VaList {
        *tag
    }
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
mod va {
    /// Most other ABIs pass `va_list` as a pointer into the arguments.
    pub type Tag = [usize; 4];
    pub type VaList = *mut std::ffi::c_void;
    pub fn empty() -> Tag {
        [0; 4]
    }
    pub fn pass(tag: &mut Tag) -> VaList {
        tag.as_mut_ptr().cast()
    }
}

/// The C reporter type of TFLite's headers.
pub type TfLiteErrorReporterFn =
    Option<unsafe extern "C" fn(user_data: *mut c_void, format: *const c_char, args: va::VaList)>;

/// A C reporter with its user data.
struct CReporter {
    function: unsafe extern "C" fn(*mut c_void, *const c_char, va::VaList),
    user_data: *mut c_void,
}

// SAFETY: TFLite lets interpreters report from the thread that calls
// them; the user data is the application's and only handed back to it.
unsafe impl Send for CReporter {}
// SAFETY: as above.
unsafe impl Sync for CReporter {}

impl CReporter {
    fn report(&self, message: &str) {
        let format =
            CString::new(message.replace('\0', " ").replace('%', "%%")).unwrap_or_default();
        let mut tag = va::empty();
        // SAFETY: the application's reporter with its own user data; the
        // format has no conversions, so the empty va_list is never read.
        unsafe { (self.function)(self.user_data, format.as_ptr(), va::pass(&mut tag)) };
    }
}

/// The reporter for a C callback (`None` for NULL).
pub fn from_c(function: TfLiteErrorReporterFn, user_data: *mut c_void) -> Option<ErrorReporter> {
    let reporter = CReporter {
        function: function?,
        user_data,
    };
    Some(Arc::new(move |message: &str| reporter.report(message)))
}
