//! `iree/task/submission.h`: a batch of root tasks handed to an executor:
//! ready tasks and not-yet-resolved waits.

use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
use crate::capi::task::list::{self, empty};
use crate::capi::task::task::discard_all;
use crate::capi::task::types::{
    iree_task_list_t, iree_task_submission_t, iree_task_t, IREE_TASK_FLAG_WAIT_COMPLETED,
    IREE_TASK_TYPE_WAIT,
};
use std::sync::atomic::Ordering;

pub fn new_submission() -> iree_task_submission_t {
    iree_task_submission_t {
        ready_list: empty(),
        waiting_list: empty(),
    }
}

/// Adds a root task: unresolved waits to the waiting list, the rest to the
/// ready list.
///
/// # Safety
/// `task` must be a live task in no list; the submission's tasks live.
pub unsafe fn enqueue(submission: &mut iree_task_submission_t, task: *mut iree_task_t) {
    // SAFETY: forwarded contract.
    let (type_, flags) = unsafe { ((*task).type_, (*task).flags.load(Ordering::Acquire)) };
    if type_ == IREE_TASK_TYPE_WAIT && flags & IREE_TASK_FLAG_WAIT_COMPLETED == 0 {
        // SAFETY: as above.
        unsafe { list::push_front(&mut submission.waiting_list, task) };
    } else {
        // SAFETY: as above.
        unsafe { list::push_front(&mut submission.ready_list, task) };
    }
}

/// Removes every task of the submission, ready ones first.
///
/// # Safety
/// The submission's tasks must be live.
pub unsafe fn drain(submission: &mut iree_task_submission_t) -> Vec<*mut iree_task_t> {
    let mut tasks = Vec::new();
    for list in [&mut submission.ready_list, &mut submission.waiting_list] {
        loop {
            // SAFETY: forwarded contract.
            let task = unsafe { list::pop_front(list) };
            if task.is_null() {
                break;
            }
            tasks.push(task);
        }
    }
    tasks
}

/// Empties the caller's `*out_submission`.
#[no_mangle]
pub unsafe extern "C" fn iree_task_submission_initialize(
    out_submission: *mut iree_task_submission_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or caller storage for one submission (API contract).
        unsafe { arg!(out_submission).out() }?.write(new_submission());
        Ok(())
    })
}

/// Forgets the submission's tasks without touching them (after they were
/// handed elsewhere).
#[no_mangle]
pub unsafe extern "C" fn iree_task_submission_reset(submission: *mut iree_task_submission_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid submission (API contract).
        *unsafe { arg!(submission).in_out() }? = new_submission();
        Ok(())
    })
}

/// Discards every task of the submission (and the tasks waiting only on
/// them); each gets its cleanup with IREE_STATUS_ABORTED.
#[no_mangle]
pub unsafe extern "C" fn iree_task_submission_discard(submission: *mut iree_task_submission_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid submission of live tasks (API contract).
        let submission = unsafe { arg!(submission).in_out() }?;
        // SAFETY: as above.
        unsafe {
            discard_all(&mut submission.ready_list);
            discard_all(&mut submission.waiting_list);
        }
        Ok(())
    })
}

/// Whether the submission holds no task.
#[no_mangle]
pub unsafe extern "C" fn iree_task_submission_is_empty(
    submission: *mut iree_task_submission_t,
) -> bool {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid submission (API contract).
        let submission = unsafe { arg!(submission).value() }?;
        Ok(submission.ready_list.head.is_null() && submission.waiting_list.head.is_null())
    })
}

/// Adds a root task (one with no pending dependencies) to the submission.
#[no_mangle]
pub unsafe extern "C" fn iree_task_submission_enqueue(
    submission: *mut iree_task_submission_t,
    task: *mut iree_task_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid submission and a live task (API contract).
        let submission = unsafe { arg!(submission).in_out() }?;
        let task = arg!(task).non_null_ptr()?;
        // SAFETY: as above.
        unsafe { enqueue(submission, task) };
        Ok(())
    })
}

/// Adds every task of `*list` (left empty) to the submission.
#[no_mangle]
pub unsafe extern "C" fn iree_task_submission_enqueue_list(
    submission: *mut iree_task_submission_t,
    list: *mut iree_task_list_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid submission and list of live tasks.
        let submission = unsafe { arg!(submission).in_out() }?;
        // SAFETY: as above.
        let list = unsafe { arg!(list).in_out() }?;
        loop {
            // SAFETY: as above.
            let task = unsafe { list::pop_front(list) };
            if task.is_null() {
                break;
            }
            // SAFETY: as above.
            unsafe { enqueue(submission, task) };
        }
        Ok(())
    })
}
