//! `iree/base/internal/fpu_state.h`: scoped per-thread FPU mode changes.

use crate::base::internal::fpu_state::{self, FpuState};
use crate::capi::boundary::FfiReturn;

/// `iree_fpu_state_flags_t` (bits in `iree/abi/platform_types.h`).
/// cbindgen:ignore
pub type iree_fpu_state_flags_t = u32;

/// Saved control-register values; opaque to callers.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_fpu_state_t {
    pub previous_value: u64,
    pub current_value: u64,
}

impl FfiReturn for iree_fpu_state_t {
    fn from_error(_: crate::Error) -> Self {
        // Equal values make the matching pop a no-op.
        iree_fpu_state_t {
            previous_value: 0,
            current_value: 0,
        }
    }
}

#[no_mangle]
pub extern "C" fn iree_fpu_state_push(flags: iree_fpu_state_flags_t) -> iree_fpu_state_t {
    ffi_boundary! {
        let state = fpu_state::push(flags);
        iree_fpu_state_t {
            previous_value: state.previous,
            current_value: state.current,
        }
    }
}

#[no_mangle]
pub extern "C" fn iree_fpu_state_pop(state: iree_fpu_state_t) {
    ffi_boundary! {
        fpu_state::pop(FpuState {
            previous: state.previous_value,
            current: state.current_value,
        })
    }
}
