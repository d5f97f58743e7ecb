//! Rust mirrors of the hand-written C layouts in `iree/abi/task_types.h`
//! (cbindgen leaves them to that header). Sizes and offsets are checked
//! at compile time against the C layout rules.

use std::ffi::{c_char, c_void};
use std::mem::{offset_of, size_of};
use std::sync::atomic::{AtomicI32, AtomicIsize, AtomicU16, AtomicU32};

use crate::abi::allocator::iree_byte_span_t;
use crate::abi::status::{iree_status_code_t, iree_status_t};
use crate::capi::base::synchronization::{iree_notification_t, iree_slim_mutex_t};
use crate::capi::base::threading::iree_thread_affinity_t;
use crate::capi::base::time::iree_time_t;
use crate::capi::base::wait_source::{iree_wait_primitive_t, iree_wait_source_t};

pub const IREE_TASK_EXECUTOR_MAX_WORKER_COUNT: usize = 64;

pub type iree_task_affinity_set_t = u64;
pub type iree_task_type_t = u8;
pub type iree_task_flags_t = u16;
pub type iree_task_scheduling_mode_t = u32;

pub const IREE_TASK_TYPE_NOP: u8 = 0;
pub const IREE_TASK_TYPE_CALL: u8 = 1;
pub const IREE_TASK_TYPE_BARRIER: u8 = 2;
pub const IREE_TASK_TYPE_FENCE: u8 = 3;
pub const IREE_TASK_TYPE_WAIT: u8 = 4;
pub const IREE_TASK_TYPE_DISPATCH: u8 = 5;
pub const IREE_TASK_TYPE_DISPATCH_SHARD: u8 = 6;

pub const IREE_TASK_FLAG_WAIT_ANY: u16 = 1 << 0;
pub const IREE_TASK_FLAG_WAIT_EXPORTED: u16 = 1 << 1;
pub const IREE_TASK_FLAG_WAIT_COMPLETED: u16 = 1 << 2;
pub const IREE_TASK_FLAG_DISPATCH_INDIRECT: u16 = 1 << 3;
pub const IREE_TASK_FLAG_DISPATCH_RETIRE: u16 = 1 << 4;
pub const IREE_TASK_FLAG_ABORTED: u16 = 1 << 5;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct iree_task_topology_group_t {
    pub group_index: u8,
    pub name: [c_char; 15],
    pub processor_index: u32,
    pub ideal_thread_affinity: iree_thread_affinity_t,
    pub constructive_sharing_mask: u64,
}

#[repr(C)]
pub struct iree_task_topology_t {
    pub group_count: usize,
    pub groups: [iree_task_topology_group_t; IREE_TASK_EXECUTOR_MAX_WORKER_COUNT],
}

/// Opaque to C; tasks carrying a pointer to [`FENCE_POOL`] are fences the
/// executor allocated and frees after cleanup.
pub struct iree_task_pool_t {
    _private: u8,
}

impl iree_task_pool_t {
    pub const fn marker() -> iree_task_pool_t {
        iree_task_pool_t { _private: 0 }
    }
}

pub type iree_task_cleanup_fn_t =
    Option<unsafe extern "C" fn(task: *mut iree_task_t, status_code: iree_status_code_t)>;

#[repr(C, align(16))]
pub struct iree_task_t {
    pub next_task: *mut iree_task_t,
    pub scope: *mut iree_task_scope_t,
    pub cleanup_fn: iree_task_cleanup_fn_t,
    pub completion_task: *mut iree_task_t,
    pub affinity_set: iree_task_affinity_set_t,
    pub pending_dependency_count: AtomicI32,
    pub pool: *mut iree_task_pool_t,
    pub type_: iree_task_type_t,
    pub flags: AtomicU16,
}

#[repr(C, align(16))]
pub struct iree_task_nop_t {
    pub header: iree_task_t,
}

pub type iree_task_call_closure_fn_t = Option<
    unsafe extern "C" fn(
        user_context: *mut c_void,
        task: *mut iree_task_t,
        pending_submission: *mut iree_task_submission_t,
    ) -> iree_status_t,
>;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct iree_task_call_closure_t {
    pub fn_: iree_task_call_closure_fn_t,
    pub user_context: *mut c_void,
}

#[repr(C, align(16))]
pub struct iree_task_call_t {
    pub header: iree_task_t,
    pub closure: iree_task_call_closure_t,
    pub status: AtomicIsize,
}

#[repr(C, align(16))]
pub struct iree_task_barrier_t {
    pub header: iree_task_t,
    pub dependent_task_count: usize,
    pub dependent_tasks: *const *mut iree_task_t,
}

#[repr(C, align(16))]
pub struct iree_task_fence_t {
    pub header: iree_task_t,
    pub signal_handle: iree_wait_primitive_t,
}

#[repr(C, align(16))]
pub struct iree_task_wait_t {
    pub header: iree_task_t,
    pub wait_source: iree_wait_source_t,
    pub deadline_ns: iree_time_t,
    pub cancellation_flag: *mut AtomicI32,
}

#[repr(C)]
#[derive(Default)]
pub struct iree_task_dispatch_statistics_t {
    pub reserved: AtomicI32,
}

#[repr(C, align(16))]
pub struct iree_task_tile_context_t {
    pub workgroup_xyz: [u32; 3],
    pub workgroup_size: [u32; 3],
    pub workgroup_count: [u32; 3],
    pub processor_id: u32,
    pub local_memory: iree_byte_span_t,
    pub statistics: *mut iree_task_dispatch_statistics_t,
}

pub type iree_task_dispatch_closure_fn_t = Option<
    unsafe extern "C" fn(
        user_context: *mut c_void,
        tile_context: *const iree_task_tile_context_t,
        pending_submission: *mut iree_task_submission_t,
    ) -> iree_status_t,
>;

#[repr(C)]
#[derive(Clone, Copy)]
pub struct iree_task_dispatch_closure_t {
    pub fn_: iree_task_dispatch_closure_fn_t,
    pub user_context: *mut c_void,
}

#[repr(C)]
#[derive(Clone, Copy)]
pub union iree_task_workgroup_count_t {
    pub value: [u32; 3],
    pub ptr: *const u32,
}

#[repr(C, align(16))]
pub struct iree_task_dispatch_t {
    pub header: iree_task_t,
    pub closure: iree_task_dispatch_closure_t,
    pub workgroup_size: [u32; 3],
    pub workgroup_count: iree_task_workgroup_count_t,
    pub local_memory_size: u32,
    pub status: AtomicIsize,
    pub statistics: iree_task_dispatch_statistics_t,
    pub tile_count: u32,
    pub tiles_per_reservation: u32,
    pub tile_index: AtomicI32,
}

#[repr(C, align(16))]
pub struct iree_task_dispatch_shard_t {
    pub header: iree_task_t,
}

#[repr(C)]
pub struct iree_task_list_t {
    pub head: *mut iree_task_t,
    pub tail: *mut iree_task_t,
}

#[repr(C)]
pub struct iree_task_submission_t {
    pub ready_list: iree_task_list_t,
    pub waiting_list: iree_task_list_t,
}

#[repr(C)]
pub struct iree_task_scope_t {
    pub name: [c_char; 16],
    pub permanent_status: AtomicIsize,
    pub dispatch_statistics: iree_task_dispatch_statistics_t,
    pub mutex: iree_slim_mutex_t,
    /// Guarded by `mutex` (atomic only so that reads need no `&mut`).
    pub pending_submissions: AtomicU32,
    pub idle_notification: iree_notification_t,
}

const _: () = {
    assert!(size_of::<iree_task_topology_group_t>() == 32);
    assert!(offset_of!(iree_task_topology_group_t, processor_index) == 16);
    assert!(size_of::<iree_task_t>() == 64);
    assert!(offset_of!(iree_task_t, pending_dependency_count) == 40);
    assert!(offset_of!(iree_task_t, pool) == 48);
    assert!(offset_of!(iree_task_t, type_) == 56);
    assert!(offset_of!(iree_task_t, flags) == 58);
    assert!(size_of::<iree_task_call_t>() == 96);
    assert!(offset_of!(iree_task_dispatch_t, workgroup_count) == 96);
    assert!(offset_of!(iree_task_dispatch_t, tile_index) == 140);
    assert!(size_of::<iree_task_dispatch_t>() == 144);
    assert!(size_of::<iree_task_tile_context_t>() == 64);
    assert!(size_of::<iree_task_scope_t>() == 48);
    assert!(offset_of!(iree_task_scope_t, idle_notification) == 40);
};
