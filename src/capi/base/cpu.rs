//! `iree/base/internal/cpu.h`: the logical processor running the caller.

use crate::base::internal::cpu;

/// `iree_cpu_processor_id_t` (typedef in `iree/abi/platform_types.h`).
/// cbindgen:ignore
pub type iree_cpu_processor_id_t = u32;
/// `iree_cpu_processor_tag_t` (typedef in `iree/abi/platform_types.h`).
/// cbindgen:ignore
pub type iree_cpu_processor_tag_t = u32;

#[no_mangle]
pub extern "C" fn iree_cpu_query_processor_id() -> iree_cpu_processor_id_t {
    ffi_boundary! { cpu::processor_id() }
}

/// Both pointers must be valid; NULL ones make the call a no-op.
#[no_mangle]
pub unsafe extern "C" fn iree_cpu_requery_processor_id(
    tag: *mut iree_cpu_processor_tag_t,
    processor_id: *mut iree_cpu_processor_id_t,
) {
    ffi_boundary! {
        // SAFETY: caller-owned slots (API contract); NULL is rejected.
        if let (Some(tag), Some(processor_id)) = (unsafe { tag.as_mut() }, unsafe { processor_id.as_mut() }) {
            cpu::requery_processor_id(tag, processor_id);
        }
    }
}
