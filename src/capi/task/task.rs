//! `iree/task/task.h` (and the retire entry points of `task_impl.h`): task
//! initialization and what happens when a task finishes. Tasks are
//! caller-owned structs linked by raw pointers, so the graph walk lives
//! here at the boundary; the executor (`executor.rs`) decides when to run
//! them.
//!
//! A task that finishes OK gets its cleanup with OK and readies its
//! completion task once that has no other pending dependency. A failed task
//! fails its scope, gets cleanup with ABORTED, and its completion task is
//! discarded when ready (or marked aborted while others are pending).
//! Discarding walks the dependents breadth-first, each getting cleanup with
//! ABORTED; fences end their scope submission either way.

use std::sync::atomic::{AtomicI32, Ordering};

use crate::abi::status::{iree_status_code_t, iree_status_t};
use crate::base::time::TIME_INFINITE_FUTURE;
use crate::capi::base::time::iree_time_t;
use crate::capi::base::wait_source::{
    iree_wait_primitive_t, iree_wait_source_delay_ctl, iree_wait_source_t, primitive_from_c,
};
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
use crate::capi::task::list::{self, empty};
use crate::capi::task::scope::{self, free_status, try_set_status};
use crate::capi::task::submission::enqueue;
use crate::capi::task::types::*;
use crate::StatusCode;

/// Executor-allocated fences carry this pool; their cleanup frees them.
pub static FENCE_POOL: iree_task_pool_t = iree_task_pool_t::marker();

pub fn fence_pool_ptr() -> *mut iree_task_pool_t {
    std::ptr::from_ref(&FENCE_POOL).cast_mut()
}

fn take_status(slot: &std::sync::atomic::AtomicIsize) -> iree_status_t {
    iree_status_t(slot.swap(0, Ordering::SeqCst) as usize as *mut _)
}

/// Resets the header of `task` (the body is left alone).
///
/// # Safety
/// `task` must be writable task storage.
pub unsafe fn init_header(type_: u8, scope: *mut iree_task_scope_t, task: *mut iree_task_t) {
    // SAFETY: forwarded contract.
    unsafe {
        task.write(iree_task_t {
            next_task: std::ptr::null_mut(),
            scope,
            cleanup_fn: None,
            completion_task: std::ptr::null_mut(),
            affinity_set: u64::MAX,
            pending_dependency_count: AtomicI32::new(0),
            pool: std::ptr::null_mut(),
            type_,
            flags: 0.into(),
        })
    };
}

/// Drops one pending dependency of `task`; true when it was the last.
///
/// # Safety
/// `task` must be live.
unsafe fn release_dependency(task: *mut iree_task_t) -> bool {
    // SAFETY: forwarded contract.
    unsafe {
        (*task)
            .pending_dependency_count
            .fetch_sub(1, Ordering::AcqRel)
            == 1
    }
}

/// Runs the cleanup function, then frees executor-allocated fences. The
/// task may be gone afterwards.
///
/// # Safety
/// `task` must be live and done.
unsafe fn cleanup(task: *mut iree_task_t, code: StatusCode) {
    // SAFETY: forwarded contract; fields are read before the callback may
    // free the task.
    let (pool, cleanup_fn) = unsafe { ((*task).pool, (*task).cleanup_fn) };
    if let Some(cleanup_fn) = cleanup_fn {
        // SAFETY: the caller's callback with its own task.
        unsafe { cleanup_fn(task, code as iree_status_code_t) };
    }
    if pool == fence_pool_ptr() {
        // SAFETY: fences with this pool were boxed by
        // iree_task_executor_acquire_fence and are released only here.
        drop(unsafe { Box::from_raw(task.cast::<iree_task_fence_t>()) });
    }
}

/// Discards `task` (ready, never run): its dependents that become ready
/// join `worklist`.
///
/// # Safety
/// `task` and everything it links to must be live.
unsafe fn discard(task: *mut iree_task_t, worklist: &mut iree_task_list_t) {
    // SAFETY: forwarded contract throughout.
    unsafe {
        let completion = (*task).completion_task;
        if !completion.is_null() && release_dependency(completion) {
            list::push_back(worklist, completion);
        }
        let mut end_scope = std::ptr::null_mut();
        match (*task).type_ {
            IREE_TASK_TYPE_BARRIER => {
                let barrier = task.cast::<iree_task_barrier_t>();
                for i in 0..(*barrier).dependent_task_count {
                    let dependent = *(*barrier).dependent_tasks.add(i);
                    if release_dependency(dependent) {
                        list::push_back(worklist, dependent);
                    }
                }
            }
            IREE_TASK_TYPE_FENCE => end_scope = (*task).scope,
            IREE_TASK_TYPE_CALL => {
                free_status(take_status(&(*task.cast::<iree_task_call_t>()).status))
            }
            IREE_TASK_TYPE_DISPATCH => {
                free_status(take_status(&(*task.cast::<iree_task_dispatch_t>()).status))
            }
            _ => {}
        }
        cleanup(task, StatusCode::Aborted);
        if !end_scope.is_null() {
            scope::end(end_scope);
        }
    }
}

/// Discards every task of `list` and, transitively, the dependents that
/// become ready; the list is left empty.
///
/// # Safety
/// The tasks and everything they link to must be live.
pub unsafe fn discard_all(list: &mut iree_task_list_t) {
    loop {
        // SAFETY: forwarded contract.
        let task = unsafe { list::pop_front(list) };
        if task.is_null() {
            return;
        }
        // SAFETY: as above.
        unsafe { discard(task, list) };
    }
}

/// Discards one ready task and what only it held up.
///
/// # Safety
/// As [`discard_all`].
pub unsafe fn discard_one(task: *mut iree_task_t) {
    let mut worklist = empty();
    // SAFETY: forwarded contract.
    unsafe {
        list::push_back(&mut worklist, task);
        discard_all(&mut worklist);
    }
}

/// Finishes `task` with `status` (which this takes); see the module
/// comment. Newly ready tasks go to `pending`.
///
/// # Safety
/// `task` must be live with no pending dependency; its links live.
pub unsafe fn retire(
    task: *mut iree_task_t,
    pending: &mut iree_task_submission_t,
    status: iree_status_t,
) {
    // SAFETY: forwarded contract throughout.
    unsafe {
        let completion = std::mem::replace(&mut (*task).completion_task, std::ptr::null_mut());
        if status.is_ok() {
            cleanup(task, StatusCode::Ok);
            if !completion.is_null() && release_dependency(completion) {
                enqueue(pending, completion);
            }
            return;
        }
        let task_scope = (*task).scope;
        scope::fail(task_scope, status);
        // Held so that discarding fences cannot let the scope go idle (and
        // be freed) before this is done.
        scope::begin(task_scope);
        cleanup(task, StatusCode::Aborted);
        if !completion.is_null() {
            if release_dependency(completion) {
                discard_one(completion);
            } else {
                (*completion)
                    .flags
                    .fetch_or(IREE_TASK_FLAG_ABORTED, Ordering::AcqRel);
            }
        }
        scope::end(task_scope);
    }
}

/// Runs a call task's closure (unless aborted) and retires it once no
/// nested task it waits on is pending.
///
/// # Safety
/// `task` must be a live, ready call task.
pub unsafe fn call_execute(task: *mut iree_task_call_t, pending: &mut iree_task_submission_t) {
    // SAFETY: forwarded contract throughout.
    unsafe {
        let header = std::ptr::addr_of_mut!((*task).header);
        let aborted = (*header).flags.load(Ordering::Acquire) & IREE_TASK_FLAG_ABORTED != 0;
        if !aborted {
            if let Some(fn_) = (*task).closure.fn_ {
                let status = fn_((*task).closure.user_context, header, pending);
                try_set_status(&(*task).status, status);
            }
        }
        if (*header).pending_dependency_count.load(Ordering::Acquire) == 0 {
            let status = take_status(&(*task).status);
            retire(header, pending, status);
        }
    }
}

/// Readies the barrier's dependents that have no other pending
/// dependency, then retires it.
///
/// # Safety
/// `task` must be a live, ready barrier whose dependents live.
pub unsafe fn barrier_retire(task: *mut iree_task_barrier_t, pending: &mut iree_task_submission_t) {
    // SAFETY: forwarded contract.
    unsafe {
        for i in 0..(*task).dependent_task_count {
            let dependent = *(*task).dependent_tasks.add(i);
            if release_dependency(dependent) {
                enqueue(pending, dependent);
            }
        }
        retire(
            std::ptr::addr_of_mut!((*task).header),
            pending,
            iree_status_t::OK,
        );
    }
}

/// Signals the fence's primitive, retires it and ends its scope
/// submission.
///
/// # Safety
/// `task` must be a live, ready fence.
pub unsafe fn fence_retire(task: *mut iree_task_fence_t, pending: &mut iree_task_submission_t) {
    // SAFETY: forwarded contract; the scope is read before the fence may be
    // freed by its cleanup.
    unsafe {
        let end_scope = (*task).header.scope;
        let handle = (*task).signal_handle;
        // A failed signal has nowhere to be reported; waiters time out.
        let _ = primitive_from_c(handle.type_, handle.value).signal();
        retire(
            std::ptr::addr_of_mut!((*task).header),
            pending,
            iree_status_t::OK,
        );
        scope::end(end_scope);
    }
}

/// Retires a resolved wait with `status` (OK, or why it failed).
///
/// # Safety
/// `task` must be a live wait task.
pub unsafe fn wait_retire(
    task: *mut iree_task_wait_t,
    pending: &mut iree_task_submission_t,
    status: iree_status_t,
) {
    // SAFETY: forwarded contract.
    unsafe {
        (*task)
            .header
            .flags
            .fetch_and(!IREE_TASK_FLAG_WAIT_COMPLETED, Ordering::AcqRel);
        retire(std::ptr::addr_of_mut!((*task).header), pending, status);
    }
}

/// Retires a dispatch whose tiles all ran, with the first tile failure.
///
/// # Safety
/// `task` must be a live dispatch with no pending shard.
pub unsafe fn dispatch_retire(
    task: *mut iree_task_dispatch_t,
    pending: &mut iree_task_submission_t,
) {
    // SAFETY: forwarded contract.
    unsafe {
        let status = take_status(&(*task).status);
        retire(std::ptr::addr_of_mut!((*task).header), pending, status);
    }
}

//===----------------------------------------------------------------------===//
// Exports
//===----------------------------------------------------------------------===//

/// Resets the header of the caller's task: type `type`, scope `scope`
/// (borrowed; may be NULL), any worker, no dependencies. The body is not
/// touched.
#[no_mangle]
pub unsafe extern "C" fn iree_task_initialize(
    type_: iree_task_type_t,
    scope: *mut iree_task_scope_t,
    out_task: *mut iree_task_t,
) {
    ffi_boundary(|| {
        let out_task = arg!(out_task).non_null_ptr()?;
        // SAFETY: caller storage for a task header (API contract).
        unsafe { init_header(type_, scope, out_task) };
        Ok(())
    })
}

/// Sets the function called once when the task is done (see
/// iree_task_cleanup_fn_t).
#[no_mangle]
pub unsafe extern "C" fn iree_task_set_cleanup_fn(
    task: *mut iree_task_t,
    cleanup_fn: iree_task_cleanup_fn_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live task (API contract).
        unsafe { arg!(task).in_out() }?.cleanup_fn = cleanup_fn;
        Ok(())
    })
}

/// Makes `completion_task` wait for `task`: it gains one pending
/// dependency, released when `task` finishes.
#[no_mangle]
pub unsafe extern "C" fn iree_task_set_completion_task(
    task: *mut iree_task_t,
    completion_task: *mut iree_task_t,
) {
    ffi_boundary(|| {
        let task = arg!(task).non_null_ptr()?;
        let completion_task = arg!(completion_task).non_null_ptr()?;
        // SAFETY: live tasks (API contract).
        unsafe {
            (*task).completion_task = completion_task;
            (*completion_task)
                .pending_dependency_count
                .fetch_add(1, Ordering::SeqCst);
        }
        Ok(())
    })
}

/// Whether the task has no pending dependency.
#[no_mangle]
pub unsafe extern "C" fn iree_task_is_ready(task: *mut iree_task_t) -> bool {
    ffi_boundary(|| {
        // SAFETY: NULL or a live task (API contract).
        let task = unsafe { arg!(task).value() }?;
        Ok(task.pending_dependency_count.load(Ordering::Acquire) <= 0)
    })
}

/// Discards a ready task that will never run: its cleanup gets ABORTED and
/// the dependents that become ready join `*discard_worklist` (discard them
/// with iree_task_list_discard).
#[no_mangle]
pub unsafe extern "C" fn iree_task_discard(
    task: *mut iree_task_t,
    discard_worklist: *mut iree_task_list_t,
) {
    ffi_boundary(|| {
        let task = arg!(task).non_null_ptr()?;
        // SAFETY: a valid list (API contract).
        let worklist = unsafe { arg!(discard_worklist).in_out() }?;
        // SAFETY: a live ready task (API contract).
        unsafe { discard(task, worklist) };
        Ok(())
    })
}

/// Initializes the caller's no-op task in `scope`.
#[no_mangle]
pub unsafe extern "C" fn iree_task_nop_initialize(
    scope: *mut iree_task_scope_t,
    out_task: *mut iree_task_nop_t,
) {
    ffi_boundary(|| {
        let out_task = arg!(out_task).non_null_ptr()?;
        // SAFETY: caller storage for a task (API contract).
        unsafe { init_header(IREE_TASK_TYPE_NOP, scope, out_task.cast()) };
        Ok(())
    })
}

/// Initializes the caller's call task running `closure` in `scope`.
#[no_mangle]
pub unsafe extern "C" fn iree_task_call_initialize(
    scope: *mut iree_task_scope_t,
    closure: iree_task_call_closure_t,
    out_task: *mut iree_task_call_t,
) {
    ffi_boundary(|| {
        let out_task = arg!(out_task).non_null_ptr()?;
        // SAFETY: caller storage for a call task (API contract).
        unsafe {
            init_header(IREE_TASK_TYPE_CALL, scope, out_task.cast());
            std::ptr::addr_of_mut!((*out_task).closure).write(closure);
            std::ptr::addr_of_mut!((*out_task).status).write(0.into());
        }
        Ok(())
    })
}

/// # Safety
/// `dependent_tasks` must hold `count` live tasks.
unsafe fn add_dependents(
    task: *mut iree_task_barrier_t,
    count: usize,
    dependent_tasks: *const *mut iree_task_t,
) {
    // SAFETY: forwarded contract.
    unsafe {
        (*task).dependent_task_count = if dependent_tasks.is_null() { 0 } else { count };
        (*task).dependent_tasks = dependent_tasks;
        for i in 0..(*task).dependent_task_count {
            (**dependent_tasks.add(i))
                .pending_dependency_count
                .fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// Initializes the caller's barrier: each of the `dependent_task_count`
/// tasks in the borrowed `dependent_tasks` array (which must outlive the
/// barrier) gains a pending dependency released when the barrier runs.
#[no_mangle]
pub unsafe extern "C" fn iree_task_barrier_initialize(
    scope: *mut iree_task_scope_t,
    dependent_task_count: usize,
    dependent_tasks: *const *mut iree_task_t,
    out_task: *mut iree_task_barrier_t,
) {
    ffi_boundary(|| {
        let out_task = arg!(out_task).non_null_ptr()?;
        // SAFETY: caller storage and live dependents (API contract).
        unsafe {
            init_header(IREE_TASK_TYPE_BARRIER, scope, out_task.cast());
            add_dependents(out_task, dependent_task_count, dependent_tasks);
        }
        Ok(())
    })
}

/// Initializes the caller's barrier with no dependents (set them later
/// with iree_task_barrier_set_dependent_tasks).
#[no_mangle]
pub unsafe extern "C" fn iree_task_barrier_initialize_empty(
    scope: *mut iree_task_scope_t,
    out_task: *mut iree_task_barrier_t,
) {
    ffi_boundary(|| {
        let out_task = arg!(out_task).non_null_ptr()?;
        // SAFETY: caller storage for a barrier (API contract).
        unsafe {
            init_header(IREE_TASK_TYPE_BARRIER, scope, out_task.cast());
            add_dependents(out_task, 0, std::ptr::null());
        }
        Ok(())
    })
}

/// Replaces the barrier's dependents (as iree_task_barrier_initialize).
#[no_mangle]
pub unsafe extern "C" fn iree_task_barrier_set_dependent_tasks(
    task: *mut iree_task_barrier_t,
    dependent_task_count: usize,
    dependent_tasks: *const *mut iree_task_t,
) {
    ffi_boundary(|| {
        let task = arg!(task).non_null_ptr()?;
        // SAFETY: a live barrier and live dependents (API contract).
        unsafe { add_dependents(task, dependent_task_count, dependent_tasks) };
        Ok(())
    })
}

/// Initializes the caller's fence: it begins one submission of `scope`
/// (ended when the fence retires or is discarded) and signals the borrowed
/// `signal_handle` when it runs.
#[no_mangle]
pub unsafe extern "C" fn iree_task_fence_initialize(
    scope: *mut iree_task_scope_t,
    signal_handle: iree_wait_primitive_t,
    out_task: *mut iree_task_fence_t,
) {
    ffi_boundary(|| {
        let out_task = arg!(out_task).non_null_ptr()?;
        // SAFETY: caller storage for a fence; a live scope or NULL.
        unsafe {
            init_header(IREE_TASK_TYPE_FENCE, scope, out_task.cast());
            std::ptr::addr_of_mut!((*out_task).signal_handle).write(signal_handle);
            scope::begin(scope);
        }
        Ok(())
    })
}

/// Initializes the caller's wait task on the borrowed `wait_source`,
/// failing with DEADLINE_EXCEEDED once `deadline_ns` passes.
#[no_mangle]
pub unsafe extern "C" fn iree_task_wait_initialize(
    scope: *mut iree_task_scope_t,
    wait_source: iree_wait_source_t,
    deadline_ns: iree_time_t,
    out_task: *mut iree_task_wait_t,
) {
    ffi_boundary(|| {
        let out_task = arg!(out_task).non_null_ptr()?;
        // SAFETY: caller storage for a wait task (API contract).
        unsafe {
            init_header(IREE_TASK_TYPE_WAIT, scope, out_task.cast());
            std::ptr::addr_of_mut!((*out_task).wait_source).write(wait_source);
            std::ptr::addr_of_mut!((*out_task).deadline_ns).write(deadline_ns);
            std::ptr::addr_of_mut!((*out_task).cancellation_flag).write(std::ptr::null_mut());
        }
        Ok(())
    })
}

/// Initializes the caller's wait task as a delay until `deadline_ns`.
#[no_mangle]
pub unsafe extern "C" fn iree_task_wait_initialize_delay(
    scope: *mut iree_task_scope_t,
    deadline_ns: iree_time_t,
    out_task: *mut iree_task_wait_t,
) {
    ffi_boundary(|| {
        let mut source = iree_wait_source_t::immediate();
        source.head.storage = [0, deadline_ns as u64];
        source.ctl = Some(iree_wait_source_delay_ctl);
        // SAFETY: forwarded contract.
        unsafe { iree_task_wait_initialize(scope, source, TIME_INFINITE_FUTURE, out_task) };
        Ok(())
    })
}

/// Puts the wait in a wait-any group sharing the borrowed
/// `cancellation_flag`: the first member to resolve sets it and the others
/// then retire without waiting further.
#[no_mangle]
pub unsafe extern "C" fn iree_task_wait_set_wait_any(
    task: *mut iree_task_wait_t,
    cancellation_flag: *mut AtomicI32,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live wait task (API contract).
        let task = unsafe { arg!(task).in_out() }?;
        task.header
            .flags
            .fetch_or(IREE_TASK_FLAG_WAIT_ANY, Ordering::AcqRel);
        task.cancellation_flag = cancellation_flag;
        Ok(())
    })
}

/// Merges dispatch statistics (none are kept yet).
#[no_mangle]
pub extern "C" fn iree_task_dispatch_statistics_merge(
    source: *const iree_task_dispatch_statistics_t,
    target: *mut iree_task_dispatch_statistics_t,
) {
    let _ = (source, target);
}

/// # Safety
/// `ptr` must point at three readable counts.
pub unsafe fn read3(ptr: *mut u32) -> [u32; 3] {
    // SAFETY: forwarded contract.
    unsafe { [*ptr, *ptr.add(1), *ptr.add(2)] }
}

/// # Safety
/// `out_task` must be caller storage for a dispatch.
unsafe fn dispatch_init(
    scope: *mut iree_task_scope_t,
    closure: iree_task_dispatch_closure_t,
    workgroup_size: &[u32; 3],
    workgroup_count: iree_task_workgroup_count_t,
    out_task: *mut iree_task_dispatch_t,
) {
    // SAFETY: forwarded contract.
    unsafe {
        init_header(IREE_TASK_TYPE_DISPATCH, scope, out_task.cast());
        let header = std::ptr::read(out_task.cast::<iree_task_t>());
        out_task.write(iree_task_dispatch_t {
            header,
            closure,
            workgroup_size: *workgroup_size,
            workgroup_count,
            local_memory_size: 0,
            status: 0.into(),
            statistics: Default::default(),
            tile_count: 0,
            tiles_per_reservation: 0,
            tile_index: 0.into(),
        });
    }
}

/// Initializes the caller's dispatch running `closure` once per workgroup
/// of the `workgroup_count` grid (both arrays are copied).
#[no_mangle]
pub unsafe extern "C" fn iree_task_dispatch_initialize(
    scope: *mut iree_task_scope_t,
    closure: iree_task_dispatch_closure_t,
    workgroup_size: *const u32,
    workgroup_count: *const u32,
    out_task: *mut iree_task_dispatch_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or three readable counts each (API contract).
        let size = unsafe { read3(arg!(workgroup_size).non_null_ptr()?) };
        // SAFETY: as above.
        let count = unsafe { read3(arg!(workgroup_count).non_null_ptr()?) };
        let out_task = arg!(out_task).non_null_ptr()?;
        // SAFETY: caller storage for a dispatch (API contract).
        unsafe {
            dispatch_init(
                scope,
                closure,
                &size,
                iree_task_workgroup_count_t { value: count },
                out_task,
            )
        };
        Ok(())
    })
}

/// As iree_task_dispatch_initialize, with the grid read from the borrowed
/// `workgroup_count_ptr` (three counts) when the dispatch is issued.
#[no_mangle]
pub unsafe extern "C" fn iree_task_dispatch_initialize_indirect(
    scope: *mut iree_task_scope_t,
    closure: iree_task_dispatch_closure_t,
    workgroup_size: *const u32,
    workgroup_count_ptr: *const u32,
    out_task: *mut iree_task_dispatch_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or three readable counts (API contract).
        let size = unsafe { read3(arg!(workgroup_size).non_null_ptr()?) };
        let ptr = arg!(workgroup_count_ptr).non_null_ptr()?;
        let out_task = arg!(out_task).non_null_ptr()?;
        // SAFETY: caller storage for a dispatch (API contract).
        unsafe {
            dispatch_init(
                scope,
                closure,
                &size,
                iree_task_workgroup_count_t { ptr },
                out_task,
            );
            (*out_task)
                .header
                .flags
                .fetch_or(IREE_TASK_FLAG_DISPATCH_INDIRECT, Ordering::AcqRel);
        }
        Ok(())
    })
}

/// Initializes the caller's shard of `dispatch_task`: running it runs
/// tiles of the dispatch; the dispatch waits for it.
#[no_mangle]
pub unsafe extern "C" fn iree_task_dispatch_shard_initialize(
    dispatch_task: *mut iree_task_dispatch_t,
    out_task: *mut iree_task_dispatch_shard_t,
) {
    ffi_boundary(|| {
        let dispatch = arg!(dispatch_task).non_null_ptr()?;
        let out_task = arg!(out_task).non_null_ptr()?;
        // SAFETY: a live dispatch and caller storage (API contract).
        unsafe {
            init_header(
                IREE_TASK_TYPE_DISPATCH_SHARD,
                (*dispatch).header.scope,
                out_task.cast(),
            );
            iree_task_set_completion_task(out_task.cast(), dispatch.cast());
        }
        Ok(())
    })
}

//===----------------------------------------------------------------------===//
// task_impl.h
//===----------------------------------------------------------------------===//

/// Retires a ready no-op task; newly ready tasks go to
/// `*pending_submission`.
#[no_mangle]
pub unsafe extern "C" fn iree_task_nop_retire(
    task: *mut iree_task_nop_t,
    pending_submission: *mut iree_task_submission_t,
) {
    ffi_boundary(|| {
        let task = arg!(task).non_null_ptr()?;
        // SAFETY: a valid submission (API contract).
        let pending = unsafe { arg!(pending_submission).in_out() }?;
        // SAFETY: a live ready task.
        unsafe { retire(task.cast(), pending, iree_status_t::OK) };
        Ok(())
    })
}

/// Runs a ready call task on the calling thread; newly ready tasks go to
/// `*pending_submission`.
#[no_mangle]
pub unsafe extern "C" fn iree_task_call_execute(
    task: *mut iree_task_call_t,
    pending_submission: *mut iree_task_submission_t,
) {
    ffi_boundary(|| {
        let task = arg!(task).non_null_ptr()?;
        // SAFETY: a valid submission (API contract).
        let pending = unsafe { arg!(pending_submission).in_out() }?;
        // SAFETY: a live ready call task.
        unsafe { call_execute(task, pending) };
        Ok(())
    })
}

/// Retires a ready barrier; its dependents that become ready go to
/// `*pending_submission`.
#[no_mangle]
pub unsafe extern "C" fn iree_task_barrier_retire(
    task: *mut iree_task_barrier_t,
    pending_submission: *mut iree_task_submission_t,
) {
    ffi_boundary(|| {
        let task = arg!(task).non_null_ptr()?;
        // SAFETY: a valid submission (API contract).
        let pending = unsafe { arg!(pending_submission).in_out() }?;
        // SAFETY: a live ready barrier.
        unsafe { barrier_retire(task, pending) };
        Ok(())
    })
}

/// Retires a ready fence (ending its scope submission); newly ready tasks
/// go to `*pending_submission`.
#[no_mangle]
pub unsafe extern "C" fn iree_task_fence_retire(
    task: *mut iree_task_fence_t,
    pending_submission: *mut iree_task_submission_t,
) {
    ffi_boundary(|| {
        let task = arg!(task).non_null_ptr()?;
        // SAFETY: a valid submission (API contract).
        let pending = unsafe { arg!(pending_submission).in_out() }?;
        // SAFETY: a live ready fence.
        unsafe { fence_retire(task, pending) };
        Ok(())
    })
}
