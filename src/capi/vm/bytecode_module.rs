//! `iree/vm/bytecode_module.h`: loading a `.vmfb` from caller memory.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::types::*;
use crate::capi::base::status::iree_status_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
use crate::iree_ensure;
use crate::vm::bytecode::module::{BytecodeModule, ModuleBytes};
use crate::vm::module::export_module;

/// Module file bytes living in caller memory. With a real allocator the
/// module owns them and frees them when it dies; with the null allocator
/// the caller keeps them alive for the module's lifetime.
pub(crate) struct CallerBytes {
    data: *const u8,
    len: usize,
    allocator: iree_allocator_t,
    /// Set once the module is created: a failed create leaves the bytes
    /// with the caller, as upstream does.
    owned: AtomicBool,
}

// SAFETY: the bytes are never written through this view and the C API
// requires them to stay valid (and allocators to be thread-safe).
unsafe impl Send for CallerBytes {}
// SAFETY: as above.
unsafe impl Sync for CallerBytes {}

impl CallerBytes {
    /// A view of `len` bytes at `data`, not yet owned (see [`Self::take`]).
    pub(crate) fn new(data: *const u8, len: usize, allocator: iree_allocator_t) -> CallerBytes {
        CallerBytes {
            data,
            len,
            allocator,
            owned: AtomicBool::new(false),
        }
    }

    /// Makes the bytes the module's: they are freed through the allocator
    /// when the last holder drops them.
    pub(crate) fn take(&self) {
        self.owned.store(true, Ordering::Release);
    }
}

impl ModuleBytes for CallerBytes {
    fn bytes(&self) -> &[u8] {
        if self.data.is_null() || self.len == 0 {
            return &[];
        }
        // SAFETY: the caller guarantees `data` is readable for `len` bytes
        // until the module (the owner of this view) is destroyed.
        unsafe { std::slice::from_raw_parts(self.data, self.len) }
    }
}

impl Drop for CallerBytes {
    fn drop(&mut self) {
        if self.owned.load(Ordering::Acquire) {
            // SAFETY: the module took ownership of the bytes, which came
            // from this allocator (API contract); freed once, here.
            unsafe { self.allocator.free(self.data.cast_mut().cast()) };
        }
    }
}

/// Loads a module from the `.vmfb` bytes in `flatbuffer_data` (verified
/// before use). With a real `flatbuffer_allocator` the module takes the
/// bytes on success and frees them through it when destroyed; with
/// `iree_allocator_null()` the caller keeps them alive and unchanged for
/// the module's whole life. On failure the bytes stay the caller's. The
/// caller owns the one reference in `*out_module` (NULL on failure) and
/// releases it with `iree_vm_module_release`. `allocator` is not used:
/// module metadata lives in the library's own memory.
#[no_mangle]
pub unsafe extern "C" fn iree_vm_bytecode_module_create(
    flatbuffer_data: iree_const_byte_span_t,
    flatbuffer_allocator: iree_allocator_t,
    allocator: iree_allocator_t,
    out_module: *mut *mut iree_vm_module_t,
) -> iree_status_t {
    let _ = allocator;
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_module = unsafe { arg!(out_module).out() }?;
        out_module.write(std::ptr::null_mut());
        iree_ensure!(
            !flatbuffer_data.data.is_null() && flatbuffer_data.data_length != 0,
            InvalidArgument,
            "flatbuffer data is empty"
        );
        let bytes = Arc::new(CallerBytes {
            data: flatbuffer_data.data,
            len: flatbuffer_data.data_length,
            allocator: flatbuffer_allocator,
            owned: AtomicBool::new(false),
        });
        let module = BytecodeModule::load(bytes.clone())?;
        bytes.owned.store(true, Ordering::Release);
        out_module.write(export_module(Box::new(module)));
        Ok(())
    })
}
