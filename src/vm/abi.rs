//! `repr(C)` mirrors of the few `iree/base` value types the VM object model
//! stores inside its own C-visible structs (buffers, type descriptors, module
//! tables). They are layout-identical to the base layer's
//! `iree_string_view_t`, `iree_byte_span_t` and `iree_allocator_t`, so a C
//! caller's values can be read here without conversion.

use std::ffi::c_void;

/// `iree_string_view_t`: borrowed bytes, not NUL terminated.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct StrView {
    pub data: *const u8,
    pub size: usize,
}

// SAFETY: a view is a plain (pointer, length) pair; whoever makes one
// promises the bytes stay live and immutable while it is shared.
unsafe impl Send for StrView {}
// SAFETY: as above.
unsafe impl Sync for StrView {}

impl StrView {
    pub const EMPTY: StrView = StrView {
        data: std::ptr::null(),
        size: 0,
    };

    /// A view of a Rust string that outlives every use of the view.
    pub fn from_static(s: &'static str) -> StrView {
        StrView {
            data: s.as_ptr(),
            size: s.len(),
        }
    }

    /// A view of bytes borrowed from `s`; the caller keeps `s` alive.
    pub fn of(s: &str) -> StrView {
        StrView {
            data: s.as_ptr(),
            size: s.len(),
        }
    }

    /// The viewed bytes.
    ///
    /// # Safety
    /// `data` must point at `size` readable bytes that outlive `'a`.
    pub unsafe fn as_bytes<'a>(&self) -> &'a [u8] {
        if self.data.is_null() || self.size == 0 {
            &[]
        } else {
            // SAFETY: guaranteed by the caller.
            unsafe { std::slice::from_raw_parts(self.data, self.size) }
        }
    }
}

/// `iree_byte_span_t`: a mutable byte range owned elsewhere.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct ByteSpan {
    pub data: *mut u8,
    pub data_length: usize,
}

impl ByteSpan {
    pub const EMPTY: ByteSpan = ByteSpan {
        data: std::ptr::null_mut(),
        data_length: 0,
    };
}

/// `iree_allocator_ctl_fn_t`.
pub type AllocatorCtl = unsafe extern "C" fn(
    self_: *mut c_void,
    command: u32,
    params: *const c_void,
    inout_ptr: *mut *mut c_void,
) -> usize;

/// `iree_allocator_t`: a C allocator callback and its context.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct Allocator {
    pub self_: *mut c_void,
    pub ctl: Option<AllocatorCtl>,
}

// SAFETY: allocators are required by the C API to be usable from any thread.
unsafe impl Send for Allocator {}
// SAFETY: as above.
unsafe impl Sync for Allocator {}

/// Allocator commands (`iree_allocator_command_t`).
pub const ALLOCATOR_COMMAND_MALLOC: u32 = 0;
pub const ALLOCATOR_COMMAND_CALLOC: u32 = 1;
pub const ALLOCATOR_COMMAND_FREE: u32 = 3;

impl Allocator {
    /// The null allocator: every allocation fails and frees are no-ops.
    pub const NULL: Allocator = Allocator {
        self_: std::ptr::null_mut(),
        ctl: None,
    };

    /// Allocates zeroed memory through the C callback.
    pub fn calloc(&self, byte_length: usize) -> crate::Result<*mut u8> {
        let Some(ctl) = self.ctl else {
            crate::iree_bail!(ResourceExhausted, "allocation through the null allocator");
        };
        let params = byte_length;
        let mut ptr: *mut c_void = std::ptr::null_mut();
        // SAFETY: `ctl` is the caller-provided allocator callback; the params
        // struct `iree_allocator_alloc_params_t` is a single size field.
        let status = unsafe {
            ctl(
                self.self_,
                ALLOCATOR_COMMAND_CALLOC,
                &params as *const usize as *const c_void,
                &mut ptr,
            )
        };
        if status != 0 {
            // SAFETY: allocators return statuses made by this library (or codes).
            if let Some(err) = unsafe { crate::Error::from_raw(status) } {
                return Err(err);
            }
        }
        if ptr.is_null() {
            crate::iree_bail!(ResourceExhausted, "allocator returned NULL");
        }
        Ok(ptr as *mut u8)
    }

    /// Frees memory through the C callback; NULL pointers are ignored.
    pub fn free(&self, ptr: *mut u8) {
        if ptr.is_null() {
            return;
        }
        let Some(ctl) = self.ctl else { return };
        let mut p = ptr as *mut c_void;
        // SAFETY: freeing a pointer this allocator produced (caller contract).
        let status = unsafe { ctl(self.self_, ALLOCATOR_COMMAND_FREE, std::ptr::null(), &mut p) };
        if status != 0 {
            // SAFETY: as in `calloc`; the status is dropped here.
            drop(unsafe { crate::Error::from_raw(status) });
        }
    }
}

unsafe extern "C" fn libc_ctl(
    _self: *mut c_void,
    command: u32,
    params: *const c_void,
    inout_ptr: *mut *mut c_void,
) -> usize {
    // SAFETY: the callback contract: `inout_ptr` is valid, params (for
    // allocations) point at a byte length.
    unsafe {
        match command {
            ALLOCATOR_COMMAND_MALLOC | ALLOCATOR_COMMAND_CALLOC => {
                let len = *(params as *const usize);
                let p = libc::calloc(1, len.max(1));
                if p.is_null() {
                    return crate::StatusCode::ResourceExhausted as usize;
                }
                *inout_ptr = p;
            }
            ALLOCATOR_COMMAND_FREE => {
                libc::free(*inout_ptr);
                *inout_ptr = std::ptr::null_mut();
            }
            _ => return crate::StatusCode::Unimplemented as usize,
        }
    }
    0
}

impl Allocator {
    /// A malloc/free allocator for Rust-side callers that have no C one.
    pub fn libc() -> Allocator {
        Allocator {
            self_: std::ptr::null_mut(),
            ctl: Some(libc_ctl),
        }
    }
}
