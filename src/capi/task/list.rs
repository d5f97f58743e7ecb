//! `iree/task/list.h`: single-threaded intrusive task lists linked through
//! `iree_task_t::next_task`. The lock-free slist variant of the upstream
//! header is not provided.

use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
use crate::capi::task::task::discard_all;
use crate::capi::task::types::{iree_task_list_t, iree_task_t};

/// Appends `task` (its link is overwritten).
///
/// # Safety
/// `task` must be a live task not in another list; the list's tasks live.
pub unsafe fn push_back(list: &mut iree_task_list_t, task: *mut iree_task_t) {
    // SAFETY: forwarded contract.
    unsafe {
        (*task).next_task = std::ptr::null_mut();
        if list.tail.is_null() {
            list.head = task;
        } else {
            (*list.tail).next_task = task;
        }
    }
    list.tail = task;
}

/// Prepends `task` (its link is overwritten).
///
/// # Safety
/// As [`push_back`].
pub unsafe fn push_front(list: &mut iree_task_list_t, task: *mut iree_task_t) {
    // SAFETY: forwarded contract.
    unsafe { (*task).next_task = list.head };
    list.head = task;
    if list.tail.is_null() {
        list.tail = task;
    }
}

/// Removes and returns the first task (NULL when empty).
///
/// # Safety
/// The list's tasks must be live.
pub unsafe fn pop_front(list: &mut iree_task_list_t) -> *mut iree_task_t {
    let task = list.head;
    if task.is_null() {
        return task;
    }
    // SAFETY: forwarded contract.
    unsafe {
        list.head = (*task).next_task;
        (*task).next_task = std::ptr::null_mut();
    }
    if list.head.is_null() {
        list.tail = std::ptr::null_mut();
    }
    task
}

pub fn empty() -> iree_task_list_t {
    iree_task_list_t {
        head: std::ptr::null_mut(),
        tail: std::ptr::null_mut(),
    }
}

/// Empties the caller's `*out_list`.
#[no_mangle]
pub unsafe extern "C" fn iree_task_list_initialize(out_list: *mut iree_task_list_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or caller storage for one list (API contract).
        unsafe { arg!(out_list).out() }?.write(empty());
        Ok(())
    })
}

/// Moves the tasks of `*list` into `*out_list` (whose old contents are
/// dropped) and empties `*list`.
#[no_mangle]
pub unsafe extern "C" fn iree_task_list_move(
    list: *mut iree_task_list_t,
    out_list: *mut iree_task_list_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or valid caller lists (API contract).
        let list = unsafe { arg!(list).in_out() }?;
        // SAFETY: as above.
        let out = unsafe { arg!(out_list).out() }?;
        out.write(std::mem::replace(list, empty()));
        Ok(())
    })
}

/// Discards every task of the list and, transitively, the tasks that only
/// waited on them: each gets its cleanup with IREE_STATUS_ABORTED. The list
/// is left empty.
#[no_mangle]
pub unsafe extern "C" fn iree_task_list_discard(list: *mut iree_task_list_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid list of live tasks (API contract).
        let list = unsafe { arg!(list).in_out() }?;
        // SAFETY: as above.
        unsafe { discard_all(list) };
        Ok(())
    })
}

/// Whether the list has no tasks.
#[no_mangle]
pub unsafe extern "C" fn iree_task_list_is_empty(list: *const iree_task_list_t) -> bool {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid list (API contract).
        Ok(unsafe { arg!(list).value() }?.head.is_null())
    })
}

/// The number of tasks in the list (walks it).
#[no_mangle]
pub unsafe extern "C" fn iree_task_list_calculate_size(list: *const iree_task_list_t) -> usize {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid list of live tasks (API contract).
        let list = unsafe { arg!(list).value() }?;
        let mut count = 0;
        let mut task = list.head;
        while !task.is_null() {
            count += 1;
            // SAFETY: linked tasks are live (API contract).
            task = unsafe { (*task).next_task };
        }
        Ok(count)
    })
}

/// The first task (borrowed), NULL when empty.
#[no_mangle]
pub unsafe extern "C" fn iree_task_list_front(list: *mut iree_task_list_t) -> *mut iree_task_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid list (API contract).
        Ok(unsafe { arg!(list).value() }?.head)
    })
}

/// The last task (borrowed), NULL when empty.
#[no_mangle]
pub unsafe extern "C" fn iree_task_list_back(list: *mut iree_task_list_t) -> *mut iree_task_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid list (API contract).
        Ok(unsafe { arg!(list).value() }?.tail)
    })
}

/// Appends `task` to the list.
#[no_mangle]
pub unsafe extern "C" fn iree_task_list_push_back(
    list: *mut iree_task_list_t,
    task: *mut iree_task_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid list and a live task (API contract).
        let list = unsafe { arg!(list).in_out() }?;
        let task = arg!(task).non_null_ptr()?;
        // SAFETY: as above.
        unsafe { push_back(list, task) };
        Ok(())
    })
}

/// Prepends `task` to the list.
#[no_mangle]
pub unsafe extern "C" fn iree_task_list_push_front(
    list: *mut iree_task_list_t,
    task: *mut iree_task_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid list and a live task (API contract).
        let list = unsafe { arg!(list).in_out() }?;
        let task = arg!(task).non_null_ptr()?;
        // SAFETY: as above.
        unsafe { push_front(list, task) };
        Ok(())
    })
}

/// Removes and returns the first task (NULL when empty).
#[no_mangle]
pub unsafe extern "C" fn iree_task_list_pop_front(list: *mut iree_task_list_t) -> *mut iree_task_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid list of live tasks (API contract).
        let list = unsafe { arg!(list).in_out() }?;
        // SAFETY: as above.
        Ok(unsafe { pop_front(list) })
    })
}

/// Removes `task`, which follows `prev_task` (NULL when `task` is first).
#[no_mangle]
pub unsafe extern "C" fn iree_task_list_erase(
    list: *mut iree_task_list_t,
    prev_task: *mut iree_task_t,
    task: *mut iree_task_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid list of live tasks (API contract).
        let list = unsafe { arg!(list).in_out() }?;
        let task = arg!(task).non_null_ptr()?;
        // SAFETY: `task` is in the list after `prev_task` (API contract).
        unsafe {
            let next = (*task).next_task;
            if prev_task.is_null() {
                list.head = next;
            } else {
                (*prev_task).next_task = next;
            }
            if list.tail == task {
                list.tail = prev_task;
            }
            (*task).next_task = std::ptr::null_mut();
        }
        Ok(())
    })
}

/// Moves all of `*prefix` in front of the list's tasks; `*prefix` is left
/// empty.
#[no_mangle]
pub unsafe extern "C" fn iree_task_list_prepend(
    list: *mut iree_task_list_t,
    prefix: *mut iree_task_list_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or valid lists of live tasks (API contract).
        let list = unsafe { arg!(list).in_out() }?;
        // SAFETY: as above.
        let prefix = unsafe { arg!(prefix).in_out() }?;
        if prefix.head.is_null() {
            return Ok(());
        }
        // SAFETY: the prefix tail is a live task.
        unsafe { (*prefix.tail).next_task = list.head };
        if list.tail.is_null() {
            list.tail = prefix.tail;
        }
        list.head = prefix.head;
        *prefix = empty();
        Ok(())
    })
}

/// Moves all of `*suffix` after the list's tasks; `*suffix` is left empty.
#[no_mangle]
pub unsafe extern "C" fn iree_task_list_append(
    list: *mut iree_task_list_t,
    suffix: *mut iree_task_list_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or valid lists of live tasks (API contract).
        let list = unsafe { arg!(list).in_out() }?;
        // SAFETY: as above.
        let suffix = unsafe { arg!(suffix).in_out() }?;
        if suffix.head.is_null() {
            return Ok(());
        }
        if list.tail.is_null() {
            list.head = suffix.head;
        } else {
            // SAFETY: the list tail is a live task.
            unsafe { (*list.tail).next_task = suffix.head };
        }
        list.tail = suffix.tail;
        *suffix = empty();
        Ok(())
    })
}

/// Reverses the list in place.
#[no_mangle]
pub unsafe extern "C" fn iree_task_list_reverse(list: *mut iree_task_list_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a valid list of live tasks (API contract).
        let list = unsafe { arg!(list).in_out() }?;
        let mut reversed = empty();
        loop {
            // SAFETY: as above.
            let task = unsafe { pop_front(list) };
            if task.is_null() {
                break;
            }
            // SAFETY: as above.
            unsafe { push_front(&mut reversed, task) };
        }
        *list = reversed;
        Ok(())
    })
}

/// Keeps the first half of `*head_list` (at most `max_tasks` move) and
/// moves the second half into `*out_tail_list`.
#[no_mangle]
pub unsafe extern "C" fn iree_task_list_split(
    head_list: *mut iree_task_list_t,
    max_tasks: usize,
    out_tail_list: *mut iree_task_list_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or valid lists of live tasks (API contract).
        let list = unsafe { arg!(head_list).in_out() }?;
        // SAFETY: as above.
        let out = unsafe { arg!(out_tail_list).out() }?.write(empty());
        let mut all = Vec::new();
        loop {
            // SAFETY: as above.
            let task = unsafe { pop_front(list) };
            if task.is_null() {
                break;
            }
            all.push(task);
        }
        let moved = (all.len() / 2).min(max_tasks);
        let keep = all.len() - moved;
        for (i, task) in all.into_iter().enumerate() {
            let target = if i < keep { &mut *list } else { &mut *out };
            // SAFETY: as above.
            unsafe { push_back(target, task) };
        }
        Ok(())
    })
}
