//! `!vm.buffer` views of HAL buffers: what `hal_inline.buffer.storage`
//! hands programs, so bytecode and dispatches address a HAL buffer's bytes
//! in place.
//!
//! A view's header is boxed and freed through an allocator of its own,
//! whose state is a reference to the HAL buffer: the bytes stay live for
//! as long as any reference to the view does, and the HAL buffer goes
//! when the last view of it (and every other holder) is released.

use std::ffi::c_void;
use std::sync::Arc;

use crate::abi::allocator::IREE_ALLOCATOR_COMMAND_FREE;
use crate::abi::boundary::ffi_boundary;
use crate::abi::status::iree_status_t;
use crate::abi::{iree_allocator_t, iree_byte_span_t};
use crate::hal::buffer::Buffer;
use crate::hal::memory::MemoryAccess;
use crate::vm::buffer::{self as vm_buffer, ACCESS_MUTABLE, ACCESS_ORIGIN_HOST};
use crate::vm::r#ref::{RawRef, Ref};
use crate::{iree_bail, Result};

/// Frees a view: its header and the HAL buffer reference it held. Only
/// `FREE` is ever sent to it (the view's destroy function); anything else
/// is refused.
unsafe extern "C" fn view_allocator_ctl(
    self_: *mut c_void,
    command: u32,
    _params: *const c_void,
    inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        if command != IREE_ALLOCATOR_COMMAND_FREE || inout_ptr.is_null() {
            iree_bail!(Unimplemented, "a HAL buffer storage view only frees itself");
        }
        // SAFETY: `self_` is the boxed buffer reference made by `view_of`
        // and `*inout_ptr` its boxed header; the view's destroy function
        // frees each view exactly once, when its last reference goes.
        unsafe {
            drop(Box::from_raw((*inout_ptr).cast::<vm_buffer::Buffer>()));
            drop(Box::from_raw(self_.cast::<Arc<Buffer>>()));
        }
        Ok(())
    })
}

/// A `!vm.buffer` over the bytes of `buffer` (its whole range), mutable
/// when the buffer allows writes.
pub fn view_of(buffer: &Arc<Buffer>) -> Result<Ref> {
    let type_id = vm_buffer::register_type()?;
    let length = usize::try_from(buffer.byte_length()).map_err(|_| {
        crate::iree_err!(
            OutOfRange,
            "buffer of {} bytes does not fit the host address space",
            buffer.byte_length()
        )
    })?;
    let offset = usize::try_from(buffer.byte_offset()).unwrap_or(usize::MAX);
    let storage = buffer.storage();
    if offset
        .checked_add(length)
        .is_none_or(|end| end > storage.len())
    {
        iree_bail!(
            OutOfRange,
            "buffer range (offset={offset}, length={length}) lies outside its {}-byte allocation",
            storage.len()
        );
    }
    let mut access = ACCESS_ORIGIN_HOST;
    if buffer.allowed_access().contains(MemoryAccess::WRITE) {
        access |= ACCESS_MUTABLE;
    }
    let data = iree_byte_span_t {
        data: storage.as_ptr().wrapping_add(offset),
        data_length: length,
    };
    let keeper = Box::into_raw(Box::new(Arc::clone(buffer)));
    let allocator = iree_allocator_t {
        self_: keeper.cast::<c_void>(),
        ctl: Some(view_allocator_ctl),
    };
    let header = Box::into_raw(Box::new(vm_buffer::Buffer::new(access, data, allocator)));
    // SAFETY: `header` is a live vm.buffer with one reference (its counter
    // starts at 1), which the new Ref takes over; its span lies inside the
    // HAL buffer's storage (checked above), which `keeper` keeps alive
    // until the header is freed.
    Ok(unsafe { Ref::from_raw(RawRef::new(header.cast::<c_void>(), 0, type_id)) })
}
