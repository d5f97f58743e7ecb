//! `iree/base/internal/cpu.h`: the logical processor running the caller.

use crate::base::internal::cpu;
use crate::capi::boundary::ffi_boundary;

/// `iree_cpu_processor_id_t` (typedef in `iree/abi/platform_types.h`).
/// cbindgen:ignore
pub type iree_cpu_processor_id_t = u32;
/// `iree_cpu_processor_tag_t` (typedef in `iree/abi/platform_types.h`).
/// cbindgen:ignore
pub type iree_cpu_processor_tag_t = u32;

/// The id of the logical processor running the caller (a hint: the thread
/// may move at any time).
#[no_mangle]
pub extern "C" fn iree_cpu_query_processor_id() -> iree_cpu_processor_id_t {
    ffi_boundary(|| Ok(cpu::processor_id()))
}

/// Refreshes the caller-owned `*processor_id` when the cached `*tag`
/// says it may be stale; both are borrowed for the call. A NULL pointer
/// makes the call a no-op.
#[no_mangle]
pub unsafe extern "C" fn iree_cpu_requery_processor_id(
    tag: *mut iree_cpu_processor_tag_t,
    processor_id: *mut iree_cpu_processor_id_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or caller-owned slots (API contract).
        if let (Some(tag), Some(processor_id)) = unsafe { (tag.as_mut(), processor_id.as_mut()) } {
            cpu::requery_processor_id(tag, processor_id);
        }
        Ok(())
    })
}
