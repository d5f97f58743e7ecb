//! `iree/base/internal/atomic_slist.h`: an intrusive LIFO list shared between
//! threads, over entries and list storage that C owns.
//!
//! The list head is guarded by the list's slim lock (the core futex lock), so
//! each operation is a few pointer moves inside the critical section; walking
//! or reversing a flushed span happens outside it.

use std::sync::atomic::Ordering;

use crate::base::internal::synchronization as sync;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;

pub use abi::*;

/// Mirrors of the hand-written layouts in `iree/abi/threading_types.h`.
/// cbindgen:ignore
pub mod abi {
    use std::sync::atomic::AtomicPtr;

    use crate::capi::base::synchronization::iree_slim_mutex_t;

    /// `iree_atomic_slist_entry_t`: the link embedded in each element.
    #[repr(C)]
    pub struct iree_atomic_slist_entry_t {
        pub next: *mut iree_atomic_slist_entry_t,
    }

    /// `iree_atomic_slist_t`. The head is only accessed with the mutex held;
    /// it is an `AtomicPtr` so a shared borrow of the list can update it.
    #[repr(C, align(16))]
    pub struct iree_atomic_slist_t {
        pub mutex: iree_slim_mutex_t,
        pub head: AtomicPtr<iree_atomic_slist_entry_t>,
    }

    /// `iree_atomic_slist_flush_order_t`.
    pub type iree_atomic_slist_flush_order_t = u32;
    pub const IREE_ATOMIC_SLIST_FLUSH_ORDER_APPROXIMATE_LIFO: u32 = 0;
    pub const IREE_ATOMIC_SLIST_FLUSH_ORDER_APPROXIMATE_FIFO: u32 = 1;

    const _: () = assert!(std::mem::size_of::<iree_atomic_slist_t>() == 16);
    const _: () = assert!(std::mem::align_of::<iree_atomic_slist_t>() == 16);
}

type Entry = iree_atomic_slist_entry_t;

/// Runs `f` on the head slot with the list lock held.
fn with_locked<R>(
    list: &iree_atomic_slist_t,
    f: impl FnOnce(&std::sync::atomic::AtomicPtr<Entry>) -> R,
) -> R {
    sync::lock(&list.mutex.value);
    let result = f(&list.head);
    sync::unlock(&list.mutex.value);
    result
}

/// Follows `next` links from `entry` to the last entry of its chain.
///
/// # Safety
/// Every entry reachable from `entry` must be a live slist entry.
unsafe fn chain_tail(mut entry: *mut Entry) -> *mut Entry {
    // SAFETY: forwarded contract; the loop stops at the first NULL link.
    unsafe {
        while !(*entry).next.is_null() {
            entry = (*entry).next;
        }
    }
    entry
}

/// Sets the caller-owned `*out_list` to an empty, unlocked list (previous
/// contents dropped). NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_atomic_slist_initialize(out_list: *mut iree_atomic_slist_t) {
    ffi_boundary(|| {
        // SAFETY: a non-null pointer is the caller's list storage (API contract).
        if let Some(list) = unsafe { out_list.as_ref() } {
            sync::lock_init(&list.mutex.value);
            list.head.store(std::ptr::null_mut(), Ordering::Release);
        }
        Ok(())
    })
}

/// Forgets any entries still linked (the caller owns them) and resets the
/// caller-owned list. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_atomic_slist_deinitialize(list: *mut iree_atomic_slist_t) {
    ffi_boundary(|| {
        // SAFETY: a non-null pointer is an initialized list (API contract).
        if let Some(list) = unsafe { list.as_ref() } {
            list.head.store(std::ptr::null_mut(), Ordering::Release);
        }
        Ok(())
    })
}

/// Puts the chain `head..=tail` (linked through `next`) in front of the list,
/// keeping its order. A NULL `tail` is found by walking from `head`. The
/// entries stay the caller's memory, borrowed by the list until popped or
/// flushed. A NULL list or head is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_atomic_slist_concat(
    list: *mut iree_atomic_slist_t,
    head: *mut iree_atomic_slist_entry_t,
    tail: *mut iree_atomic_slist_entry_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized list (API contract).
        let list = unsafe { arg!(list).value() }?;
        if head.is_null() {
            return Ok(());
        }
        // SAFETY: the caller hands over a valid chain of entries.
        let tail = if tail.is_null() {
            unsafe { chain_tail(head) }
        } else {
            tail
        };
        with_locked(list, |slot| {
            // SAFETY: `tail` is a live entry the caller gave to the list.
            unsafe { (*tail).next = slot.load(Ordering::Relaxed) };
            slot.store(head, Ordering::Relaxed);
        });
        Ok(())
    })
}

/// Pushes the caller's `entry` on top of the list, which borrows it until it
/// is popped or flushed. A NULL list or entry is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_atomic_slist_push(
    list: *mut iree_atomic_slist_t,
    entry: *mut iree_atomic_slist_entry_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized list (API contract).
        let list = unsafe { arg!(list).value() }?;
        if entry.is_null() {
            return Ok(());
        }
        with_locked(list, |slot| {
            // SAFETY: `entry` is a live entry the caller gives to the list.
            unsafe { (*entry).next = slot.load(Ordering::Relaxed) };
            slot.store(entry, Ordering::Relaxed);
        });
        Ok(())
    })
}

/// As `iree_atomic_slist_push`, without taking the lock, for lists no other
/// thread can see yet.
#[no_mangle]
pub unsafe extern "C" fn iree_atomic_slist_push_unsafe(
    list: *mut iree_atomic_slist_t,
    entry: *mut iree_atomic_slist_entry_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized list (API contract).
        let list = unsafe { arg!(list).value() }?;
        if entry.is_null() {
            return Ok(());
        }
        // SAFETY: `entry` is a live entry the caller gives to the list.
        unsafe { (*entry).next = list.head.load(Ordering::Relaxed) };
        list.head.store(entry, Ordering::Relaxed);
        Ok(())
    })
}

/// Removes and returns the most recently pushed entry, which the list no
/// longer borrows; NULL when empty or for a NULL list.
#[no_mangle]
pub unsafe extern "C" fn iree_atomic_slist_pop(
    list: *mut iree_atomic_slist_t,
) -> *mut iree_atomic_slist_entry_t {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized list (API contract).
        let list = unsafe { arg!(list).value() }?;
        Ok(with_locked(list, |slot| {
            let entry = slot.load(Ordering::Relaxed);
            if !entry.is_null() {
                // SAFETY: entries in the list are live until popped.
                unsafe {
                    slot.store((*entry).next, Ordering::Relaxed);
                    (*entry).next = std::ptr::null_mut();
                }
            }
            entry
        }))
    })
}

/// Detaches every entry. Returns false (outputs set to NULL) when the list
/// was empty; otherwise `out_head` (and, if given, `out_tail`) describe the
/// chain in the requested order, NULL-terminated; the list no longer
/// borrows those entries. Outputs are the caller's slots; NULL ones are
/// skipped.
#[no_mangle]
pub unsafe extern "C" fn iree_atomic_slist_flush(
    list: *mut iree_atomic_slist_t,
    flush_order: iree_atomic_slist_flush_order_t,
    out_head: *mut *mut iree_atomic_slist_entry_t,
    out_tail: *mut *mut iree_atomic_slist_entry_t,
) -> bool {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized list (API contract).
        let list = unsafe { arg!(list).value() }?;
        let first = with_locked(list, |slot| {
            slot.swap(std::ptr::null_mut(), Ordering::Relaxed)
        });
        let (head, tail) = if first.is_null() {
            (first, first)
        } else if flush_order == IREE_ATOMIC_SLIST_FLUSH_ORDER_APPROXIMATE_FIFO {
            // Reverse in place: the oldest entry becomes the head.
            let mut reversed: *mut Entry = std::ptr::null_mut();
            let mut cursor = first;
            while !cursor.is_null() {
                // SAFETY: the detached chain is now exclusively ours.
                unsafe {
                    let next = (*cursor).next;
                    (*cursor).next = reversed;
                    reversed = cursor;
                    cursor = next;
                }
            }
            (reversed, first)
        } else if out_tail.is_null() {
            (first, std::ptr::null_mut())
        } else {
            // SAFETY: the detached chain is now exclusively ours.
            (first, unsafe { chain_tail(first) })
        };
        // SAFETY: non-null output pointers are writable (API contract).
        unsafe {
            if let Some(out) = out_head.as_mut() {
                *out = head;
            }
            if let Some(out) = out_tail.as_mut() {
                *out = tail;
            }
        }
        Ok(!head.is_null())
    })
}
