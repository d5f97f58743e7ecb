//! `iree/task/executor.h` (and `api.h`): reference-counted executors over
//! the core worker pool. Every ready task becomes one job; a job runs the
//! task by its type and posts the tasks that became ready as new jobs.
//! Unresolved waits go to the core's waiter thread, dispatches fan out into
//! one job per worker pulling tiles from the dispatch's shared counter.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::abi::allocator::{iree_allocator_t, iree_byte_span_t};
use crate::abi::status::iree_status_t;
use crate::base::internal::cpu;
use crate::base::internal::event_pool::EventPool;
use crate::base::time;
use crate::capi::base::event_pool::iree_event_pool_t;
use crate::capi::base::time::iree_timeout_t;
use crate::capi::base::wait_source::{self, iree_wait_primitive_t, iree_wait_source_t};
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg, Castable, Shared};
use crate::capi::task::scope;
use crate::capi::task::submission::{drain, enqueue, new_submission};
use crate::capi::task::task::{
    barrier_retire, call_execute, discard_one, dispatch_retire, fence_pool_ptr, fence_retire,
    init_header, retire, wait_retire,
};
use crate::capi::task::topology::groups_from_c;
use crate::capi::task::types::*;
use crate::hal::task::{topology, Executor, ExecutorOptions, Poster, WaitPoll, WorkerContext};
use crate::{Error, Result, StatusCode};

/// Opaque to C (declared in `iree/abi/task_types.h`).
/// cbindgen:ignore
pub struct iree_task_executor_t {
    _private: [u8; 0],
}

/// What an `iree_task_executor_t*` points at.
pub struct TaskExecutor {
    core: Executor,
    event_pool: EventPool,
}

impl Castable for iree_task_executor_t {
    type Ownership = Shared;
    type RustType = TaskExecutor;
}

/// Events the executor's pool keeps idle.
const EVENT_POOL_CAPACITY: usize = 64;

/// A task pointer moved into a job.
#[derive(Clone, Copy)]
struct TaskRef(*mut iree_task_t);
// SAFETY: tasks are handed between threads by the task system's contract;
// whoever holds a ready task is the only one touching its non-atomic fields.
unsafe impl Send for TaskRef {}

fn post_task(poster: &Poster, task: *mut iree_task_t) {
    let task = TaskRef(task);
    poster.post(Box::new(move |ctx| {
        let task = task;
        // SAFETY: a task becomes a job once, when it is ready; it stays
        // live until it is done (API contract).
        unsafe { run_ready(task.0, ctx) }
    }));
}

/// Posts every task of `pending` as a job. Tasks whose scope has failed
/// are discarded instead: the check happens when tasks become ready, so
/// tasks that were ready together (siblings of a failing task) still run.
///
/// # Safety
/// The submission's tasks must be live.
unsafe fn flush(poster: &Poster, pending: &mut iree_task_submission_t) {
    // SAFETY: forwarded contract.
    let tasks = unsafe { drain(pending) };
    // All are checked before any is posted: a posted sibling may fail the
    // scope at once.
    let (aborted, ready): (Vec<_>, Vec<_>) = tasks
        .into_iter()
        // SAFETY: as above.
        .partition(|&task| unsafe { scope::has_failed((*task).scope) });
    for task in ready {
        post_task(poster, task);
    }
    for task in aborted {
        // SAFETY: as above.
        unsafe { discard_one(task) };
    }
}

/// Runs one ready task on a worker.
///
/// # Safety
/// `task` must be live and ready.
unsafe fn run_ready(task: *mut iree_task_t, ctx: &mut WorkerContext) {
    let mut pending = new_submission();
    // SAFETY: forwarded contract throughout.
    unsafe {
        {
            let flags = (*task).flags.load(Ordering::Acquire);
            match (*task).type_ {
                IREE_TASK_TYPE_NOP => retire(task, &mut pending, iree_status_t::OK),
                IREE_TASK_TYPE_CALL => call_execute(task.cast(), &mut pending),
                IREE_TASK_TYPE_BARRIER => barrier_retire(task.cast(), &mut pending),
                IREE_TASK_TYPE_FENCE => fence_retire(task.cast(), &mut pending),
                IREE_TASK_TYPE_WAIT if flags & IREE_TASK_FLAG_WAIT_COMPLETED != 0 => {
                    wait_retire(task.cast(), &mut pending, iree_status_t::OK)
                }
                IREE_TASK_TYPE_WAIT => post_wait(&ctx.poster, task.cast()),
                IREE_TASK_TYPE_DISPATCH if flags & IREE_TASK_FLAG_DISPATCH_RETIRE != 0 => {
                    dispatch_retire(task.cast(), &mut pending)
                }
                IREE_TASK_TYPE_DISPATCH => dispatch_issue(task.cast(), ctx, &mut pending),
                IREE_TASK_TYPE_DISPATCH_SHARD => {
                    let dispatch = (*task).completion_task.cast::<iree_task_dispatch_t>();
                    if !dispatch.is_null() {
                        run_tiles(dispatch, ctx, &mut pending);
                    }
                    retire(task, &mut pending, iree_status_t::OK);
                }
                other => {
                    let err = Error::new(
                        StatusCode::InvalidArgument,
                        format!("task type {other} is not a known task type"),
                    );
                    retire(task, &mut pending, err.into());
                }
            }
        }
        flush(&ctx.poster, &mut pending);
    }
}

/// Hands an unresolved wait to the waiter thread.
fn post_wait(poster: &Poster, task: *mut iree_task_wait_t) {
    let task = TaskRef(task.cast());
    poster.post_wait(Box::new(move |poster| {
        let task = task;
        let task = task.0.cast::<iree_task_wait_t>();
        // SAFETY: the wait stays live until it retires (API contract).
        unsafe { poll_wait(poster, task) }
    }));
}

/// # Safety
/// `task` must be a live wait task the waiter owns.
unsafe fn poll_wait(poster: &Poster, task: *mut iree_task_wait_t) -> WaitPoll {
    // SAFETY: forwarded contract throughout.
    unsafe {
        let flag = (*task).cancellation_flag;
        let cancelled = !flag.is_null() && (*flag).load(Ordering::Acquire) != 0;
        let status = if cancelled {
            iree_status_t::OK
        } else {
            match wait_source::query((*task).wait_source) {
                Ok(StatusCode::Ok) => iree_status_t::OK,
                Ok(StatusCode::Deferred) => {
                    if time::now() < (*task).deadline_ns {
                        return WaitPoll::Pending;
                    }
                    Error::new(StatusCode::DeadlineExceeded, "wait task deadline exceeded").into()
                }
                Ok(code) => iree_status_t::from_code(code),
                Err(err) => err.into(),
            }
        };
        let flags = (*task).header.flags.load(Ordering::Acquire);
        if !flag.is_null() && flags & IREE_TASK_FLAG_WAIT_ANY != 0 {
            (*flag).store(1, Ordering::Release);
        }
        (*task)
            .header
            .flags
            .fetch_or(IREE_TASK_FLAG_WAIT_COMPLETED, Ordering::AcqRel);
        let mut pending = new_submission();
        wait_retire(task, &mut pending, status);
        flush(poster, &mut pending);
    }
    WaitPoll::Done
}

/// Most tiles one shard claims at a time from a large grid.
const MAX_TILES_PER_RESERVATION: u32 = 8;

/// Issues a dispatch: one shard job per worker (or per tile when fewer),
/// each holding one pending dependency of the dispatch; the last shard to
/// finish readies the dispatch again, which then retires.
///
/// # Safety
/// `task` must be a live, ready dispatch.
unsafe fn dispatch_issue(
    task: *mut iree_task_dispatch_t,
    ctx: &WorkerContext,
    pending: &mut iree_task_submission_t,
) {
    // SAFETY: forwarded contract throughout.
    unsafe {
        let flags = (*task)
            .header
            .flags
            .fetch_or(IREE_TASK_FLAG_DISPATCH_RETIRE, Ordering::AcqRel);
        if flags & IREE_TASK_FLAG_DISPATCH_INDIRECT != 0 {
            let ptr = (*task).workgroup_count.ptr;
            (*task).workgroup_count.value = [*ptr, *ptr.add(1), *ptr.add(2)];
            (*task)
                .header
                .flags
                .fetch_and(!IREE_TASK_FLAG_DISPATCH_INDIRECT, Ordering::AcqRel);
        }
        let [x, y, z] = (*task).workgroup_count.value;
        let tile_count = u64::from(x) * u64::from(y) * u64::from(z);
        if tile_count > i32::MAX as u64 {
            let err = Error::new(
                StatusCode::OutOfRange,
                format!(
                    "dispatch grid {x}x{y}x{z} has more than {} workgroups",
                    i32::MAX
                ),
            );
            scope::try_set_status(&(*task).status, err.into());
            dispatch_retire(task, pending);
            return;
        }
        let tile_count = tile_count as u32;
        let worker_count = ctx.poster.worker_count() as u32;
        (*task).tile_index.store(0, Ordering::Relaxed);
        (*task).tile_count = tile_count;
        (*task).tiles_per_reservation =
            if tile_count < worker_count.saturating_mul(MAX_TILES_PER_RESERVATION) {
                1
            } else {
                MAX_TILES_PER_RESERVATION
            };
        let shard_count = tile_count.min(worker_count);
        if shard_count == 0 {
            dispatch_retire(task, pending);
            return;
        }
        (*task)
            .header
            .pending_dependency_count
            .fetch_add(shard_count as i32, Ordering::SeqCst);
        for _ in 0..shard_count {
            post_shard(&ctx.poster, task);
        }
    }
}

/// Posts one shard job of an issued dispatch; it holds one of the
/// dispatch's pending dependencies and the last one readies the dispatch.
fn post_shard(poster: &Poster, dispatch: *mut iree_task_dispatch_t) {
    let dispatch = TaskRef(dispatch.cast());
    poster.post(Box::new(move |ctx| {
        let dispatch = dispatch;
        let dispatch = dispatch.0;
        let mut pending = new_submission();
        // SAFETY: the dispatch stays live while it has pending shards (it
        // cannot retire before they finish).
        unsafe {
            run_tiles(dispatch.cast(), ctx, &mut pending);
            if (*dispatch)
                .pending_dependency_count
                .fetch_sub(1, Ordering::AcqRel)
                == 1
            {
                enqueue(&mut pending, dispatch);
            }
            flush(&ctx.poster, &mut pending);
        }
    }));
}

/// Runs tiles of `dispatch` claimed from its counter until none are left
/// or one fails (the first failure is kept on the dispatch).
///
/// # Safety
/// `dispatch` must be a live, issued dispatch.
unsafe fn run_tiles(
    dispatch: *mut iree_task_dispatch_t,
    ctx: &mut WorkerContext,
    pending: &mut iree_task_submission_t,
) {
    // SAFETY: forwarded contract throughout.
    unsafe {
        let needed = (*dispatch).local_memory_size as usize;
        if needed > ctx.local_memory.len() {
            let err = Error::new(
                StatusCode::ResourceExhausted,
                format!(
                    "dispatch needs {needed} bytes of worker local memory but workers have {}",
                    ctx.local_memory.len()
                ),
            );
            scope::try_set_status(&(*dispatch).status, err.into());
            return;
        }
        let Some(fn_) = (*dispatch).closure.fn_ else {
            return;
        };
        let mut statistics = iree_task_dispatch_statistics_t::default();
        let counts = (*dispatch).workgroup_count.value;
        let mut tile = iree_task_tile_context_t {
            workgroup_xyz: [0; 3],
            workgroup_size: (*dispatch).workgroup_size,
            workgroup_count: counts,
            processor_id: cpu::processor_id(),
            local_memory: iree_byte_span_t {
                data: ctx.local_memory.as_mut_ptr(),
                data_length: needed,
            },
            statistics: &mut statistics,
        };
        let tile_count = (*dispatch).tile_count;
        let per = (*dispatch).tiles_per_reservation.max(1);
        loop {
            let base = (*dispatch)
                .tile_index
                .fetch_add(per as i32, Ordering::Relaxed) as u32;
            if base >= tile_count {
                return;
            }
            for index in base..base.saturating_add(per).min(tile_count) {
                tile.workgroup_xyz = [
                    index % counts[0],
                    index / counts[0] % counts[1],
                    index / counts[0] / counts[1],
                ];
                let status = fn_((*dispatch).closure.user_context, &tile, pending);
                if !status.is_ok() {
                    scope::try_set_status(&(*dispatch).status, status);
                    // Other shards stop claiming tiles too.
                    (*dispatch)
                        .tile_index
                        .store(tile_count as i32, Ordering::Relaxed);
                    return;
                }
            }
        }
    }
}

fn create(
    topology_groups: Vec<topology::Group>,
    worker_local_memory_size: usize,
) -> Result<TaskExecutor> {
    Ok(TaskExecutor {
        core: Executor::new(ExecutorOptions {
            groups: topology_groups,
            worker_local_memory_size,
        })?,
        event_pool: EventPool::new(EVENT_POOL_CAPACITY)?,
    })
}

/// Creates an executor with one worker per group of the borrowed
/// `topology` (at least one), each with `worker_local_memory_size` bytes of
/// scratch memory for dispatch tiles. The caller owns the reference in
/// `*out_executor` (NULL on failure) and releases it with
/// iree_task_executor_release; releasing the last one stops the workers,
/// so every scope using the executor must be idle first. The scheduling
/// mode bits are accepted and have no effect; host memory comes from the
/// Rust allocator.
#[no_mangle]
pub unsafe extern "C" fn iree_task_executor_create(
    scheduling_mode: iree_task_scheduling_mode_t,
    topology: *const iree_task_topology_t,
    worker_local_memory_size: usize,
    allocator: iree_allocator_t,
    out_executor: *mut *mut iree_task_executor_t,
) -> iree_status_t {
    ffi_boundary(|| {
        let _ = (scheduling_mode, allocator);
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out = unsafe { arg!(out_executor).in_out() }?;
        *out = std::ptr::null_mut();
        // SAFETY: NULL or a valid topology (API contract).
        let groups = groups_from_c(unsafe { arg!(topology).value() }?);
        let executor = create(groups, worker_local_memory_size)?;
        *out = handle::arc_into_ptr(Arc::new(executor));
        Ok(())
    })
}

/// Creates an executor from the process-wide task settings (the
/// `--task_topology_group_count` value the tools set, else one worker per
/// physical core) with 64 KiB of worker local memory. The caller owns the
/// reference in `*out_executor`.
#[no_mangle]
pub unsafe extern "C" fn iree_task_executor_create_from_flags(
    host_allocator: iree_allocator_t,
    out_executor: *mut *mut iree_task_executor_t,
) -> iree_status_t {
    ffi_boundary(|| {
        let _ = host_allocator;
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out = unsafe { arg!(out_executor).in_out() }?;
        *out = std::ptr::null_mut();
        let executor = create(topology::from_defaults(), 64 * 1024)?;
        *out = handle::arc_into_ptr(Arc::new(executor));
        Ok(())
    })
}

/// Adds a reference to `executor`. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_task_executor_retain(executor: *mut iree_task_executor_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live executor (API contract).
        unsafe { handle::retain(executor) };
        Ok(())
    })
}

/// Drops a reference to `executor`; the last one joins its threads
/// (queued work that never ran is dropped). NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_task_executor_release(executor: *mut iree_task_executor_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live executor the caller holds a reference on.
        unsafe { handle::release(executor) };
        Ok(())
    })
}

/// Nothing to trim: idle workers hold no pooled memory.
#[no_mangle]
pub extern "C" fn iree_task_executor_trim(executor: *mut iree_task_executor_t) {
    ffi_boundary(|| {
        let _ = executor;
        Ok(())
    })
}

/// The number of worker threads.
#[no_mangle]
pub unsafe extern "C" fn iree_task_executor_worker_count(
    executor: *mut iree_task_executor_t,
) -> usize {
    ffi_boundary(|| {
        // SAFETY: NULL or a live executor (API contract).
        Ok(unsafe { arg!(executor).handle() }?.core.worker_count())
    })
}

/// The executor's event pool, borrowed for the executor's lifetime.
#[no_mangle]
pub unsafe extern "C" fn iree_task_executor_event_pool(
    executor: *mut iree_task_executor_t,
) -> *mut iree_event_pool_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live executor (API contract).
        let executor = unsafe { arg!(executor).handle() }?;
        Ok(handle::borrowed_ptr::<iree_event_pool_t>(
            &executor.event_pool,
        ))
    })
}

/// Gives the caller a fence in `scope` (beginning one scope submission);
/// the executor owns its memory and frees it after it retires or is
/// discarded, so the caller only links it (usually as a completion task)
/// and submits.
#[no_mangle]
pub unsafe extern "C" fn iree_task_executor_acquire_fence(
    executor: *mut iree_task_executor_t,
    scope: *mut iree_task_scope_t,
    out_fence: *mut *mut iree_task_fence_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out = unsafe { arg!(out_fence).in_out() }?;
        *out = std::ptr::null_mut();
        // SAFETY: NULL or a live executor (API contract).
        let _ = unsafe { arg!(executor).handle() }?;
        let scope = arg!(scope).non_null_ptr()?;
        // SAFETY: a zeroed fence is plain data; the header is then set up.
        let fence = Box::into_raw(Box::new(unsafe { std::mem::zeroed::<iree_task_fence_t>() }));
        // SAFETY: `fence` is fresh storage; `scope` is live (API contract).
        unsafe {
            init_header(IREE_TASK_TYPE_FENCE, scope, fence.cast());
            (*fence).header.pool = fence_pool_ptr();
            (*fence).signal_handle = iree_wait_primitive_t {
                type_: 0,
                value: wait_source::iree_wait_primitive_value_t::zeroed(),
            };
            scope::begin(scope);
        }
        *out = fence;
        Ok(())
    })
}

/// Hands the root tasks of `*submission` to the executor (the submission is
/// left empty); they start running on the workers right away.
#[no_mangle]
pub unsafe extern "C" fn iree_task_executor_submit(
    executor: *mut iree_task_executor_t,
    submission: *mut iree_task_submission_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live executor (API contract).
        let executor = unsafe { arg!(executor).handle() }?;
        // SAFETY: NULL or a valid submission of live tasks (API contract).
        let submission = unsafe { arg!(submission).in_out() }?;
        // SAFETY: as above.
        unsafe { flush(executor.core.poster(), submission) };
        Ok(())
    })
}

/// Nothing to do: submissions are handed to the workers at once.
#[no_mangle]
pub extern "C" fn iree_task_executor_flush(executor: *mut iree_task_executor_t) {
    ffi_boundary(|| {
        let _ = executor;
        Ok(())
    })
}

/// Blocks the caller until `wait_source` resolves or `timeout` passes
/// (DEADLINE_EXCEEDED); the caller does not run executor work meanwhile.
#[no_mangle]
pub unsafe extern "C" fn iree_task_executor_donate_caller(
    executor: *mut iree_task_executor_t,
    wait_source: iree_wait_source_t,
    timeout: iree_timeout_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live executor (API contract).
        let _ = unsafe { arg!(executor).handle() }?;
        let deadline = timeout.as_deadline_ns();
        // SAFETY: a valid wait source (API contract).
        unsafe { wait_source::wait_one(wait_source, deadline) }
    })
}
