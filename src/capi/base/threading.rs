//! `iree/base/internal/threading.h` and `threading_impl.h`: ref-counted
//! thread handles and priority override lists.
//!
//! A thread handle is an `Arc<ThreadObject>`: the core thread plus its
//! override list. Releasing the last reference resumes a suspended thread and
//! joins it. Override lists keep the C layout from `threading_impl.h` (tests
//! put them on the stack) and link heap-allocated override tokens through it
//! under the list's slim lock.

use std::ffi::{c_char, c_int, c_void};
use std::sync::atomic::Ordering;
use std::sync::Arc;

use crate::base::internal::synchronization as sync;
use crate::base::internal::threading::{
    effective_priority, Affinity, PriorityClass, Thread, ThreadParams,
};
use crate::capi::base::allocator::iree_allocator_t;
use crate::capi::base::status::iree_status_t;
use crate::capi::base::synchronization::iree_slim_mutex_t;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg, Castable, Shared};
use crate::iree_err;

pub use abi::*;

/// Mirrors of the hand-written layouts in `iree/abi/threading_types.h` and
/// the public threading headers.
/// cbindgen:ignore
pub mod abi {
    use std::ffi::{c_int, c_void};
    use std::sync::atomic::{AtomicI32, AtomicPtr};

    use crate::capi::base::allocator::iree_allocator_t;
    use crate::capi::base::string_view::iree_string_view_t;
    use crate::capi::base::synchronization::iree_slim_mutex_t;

    /// `iree_thread_priority_class_t` (a C enum, int-sized).
    pub type iree_thread_priority_class_t = i32;

    /// `iree_thread_affinity_t`: bitfields packed from bit 0 as
    /// specified:1, smt:1, group:7, id:23.
    #[repr(C)]
    #[derive(Clone, Copy, Debug, Default)]
    pub struct iree_thread_affinity_t {
        pub bits: u32,
    }

    /// `iree_thread_create_params_t`.
    #[repr(C)]
    #[derive(Clone, Copy, Debug)]
    pub struct iree_thread_create_params_t {
        pub name: iree_string_view_t,
        pub stack_size: usize,
        pub create_suspended: bool,
        pub priority_class: iree_thread_priority_class_t,
        pub initial_affinity: iree_thread_affinity_t,
    }

    /// `iree_thread_entry_t`.
    pub type iree_thread_entry_t = Option<unsafe extern "C" fn(entry_arg: *mut c_void) -> c_int>;

    /// `iree_thread_set_priority_fn_t`.
    pub type iree_thread_set_priority_fn_t = Option<
        unsafe extern "C" fn(
            thread: *mut super::iree_thread_t,
            priority_class: iree_thread_priority_class_t,
        ),
    >;

    /// `iree_thread_override_list_t`. `current_priority_class` and `head`
    /// change only with `mutex` held; they are atomics so a shared borrow of
    /// the list can update them.
    #[repr(C)]
    pub struct iree_thread_override_list_t {
        pub set_priority_fn: iree_thread_set_priority_fn_t,
        pub base_priority_class: iree_thread_priority_class_t,
        pub allocator: iree_allocator_t,
        pub mutex: iree_slim_mutex_t,
        pub current_priority_class: AtomicI32,
        pub head: AtomicPtr<iree_thread_override_t>,
    }

    /// `iree_thread_override_t` (opaque to C): one active override, linked
    /// into its list.
    pub struct iree_thread_override_t {
        pub list: *const iree_thread_override_list_t,
        pub next: *mut iree_thread_override_t,
        pub prev: *mut iree_thread_override_t,
        pub thread: *mut super::iree_thread_t,
        pub priority_class: iree_thread_priority_class_t,
    }

    const _: () = assert!(std::mem::size_of::<iree_thread_create_params_t>() == 40);
    const _: () = assert!(std::mem::size_of::<iree_thread_override_list_t>() == 48);
}

impl iree_thread_affinity_t {
    fn to_core(self) -> Affinity {
        Affinity {
            specified: self.bits & 1 != 0,
            smt: self.bits & 2 != 0,
            group: (self.bits >> 2) & 0x7F,
            id: self.bits >> 9,
        }
    }
}

/// Opaque C handle for a [`ThreadObject`].
pub struct iree_thread_t {
    _private: [u8; 0],
}

/// What an `iree_thread_t*` points at.
pub struct ThreadObject {
    thread: Thread,
    /// Boxed so its address is stable for the override tokens that point
    /// back at it.
    overrides: Box<iree_thread_override_list_t>,
}

// SAFETY: the core Thread is Send + Sync; the override list's raw pointers
// (tokens, allocator state) are only touched with the list's slim lock held,
// and C may use a thread handle from any thread by contract.
unsafe impl Send for ThreadObject {}
// SAFETY: as above.
unsafe impl Sync for ThreadObject {}

impl Castable for iree_thread_t {
    type Ownership = Shared;
    type RustType = ThreadObject;
}

//===----------------------------------------------------------------------===//
// Override lists
//===----------------------------------------------------------------------===//

/// A list in its initial state.
fn new_override_list(
    set_priority_fn: iree_thread_set_priority_fn_t,
    base_priority_class: iree_thread_priority_class_t,
    allocator: iree_allocator_t,
) -> iree_thread_override_list_t {
    iree_thread_override_list_t {
        set_priority_fn,
        base_priority_class,
        allocator,
        mutex: iree_slim_mutex_t::default(),
        current_priority_class: base_priority_class.into(),
        head: std::ptr::null_mut::<iree_thread_override_t>().into(),
    }
}

/// Recomputes the effective class and calls the setter when it changed.
///
/// # Safety
/// The list mutex must be held and every linked token must be live.
unsafe fn refresh_priority(list: &iree_thread_override_list_t, thread: *mut iree_thread_t) {
    let mut classes = Vec::new();
    let mut node = list.head.load(Ordering::Relaxed);
    while !node.is_null() {
        // SAFETY: linked tokens are live while the lock is held.
        unsafe {
            classes.push(PriorityClass::from_raw((*node).priority_class));
            node = (*node).next;
        }
    }
    let base = PriorityClass::from_raw(list.base_priority_class);
    let target = effective_priority(base, classes) as i32;
    if list.current_priority_class.swap(target, Ordering::Relaxed) != target {
        if let Some(set_priority) = list.set_priority_fn {
            // SAFETY: the callback the list owner installed, with the thread
            // pointer the override was registered for.
            unsafe { set_priority(thread, target) };
        }
    }
}

/// Links a new override into `list`; NULL when `list` is NULL.
///
/// # Safety
/// A non-null `list` must be an initialized override list that outlives the
/// returned token.
unsafe fn override_list_add(
    list: *const iree_thread_override_list_t,
    thread: *mut iree_thread_t,
    priority_class: iree_thread_priority_class_t,
) -> *mut iree_thread_override_t {
    // SAFETY: forwarded contract.
    let Some(list_ref) = (unsafe { list.as_ref() }) else {
        return std::ptr::null_mut();
    };
    let node = Box::into_raw(Box::new(iree_thread_override_t {
        list,
        next: std::ptr::null_mut(),
        prev: std::ptr::null_mut(),
        thread,
        priority_class,
    }));
    sync::lock(&list_ref.mutex.value);
    let head = list_ref.head.load(Ordering::Relaxed);
    // SAFETY: `node` is ours; `head` is a live linked token (lock held).
    unsafe {
        (*node).next = head;
        if !head.is_null() {
            (*head).prev = node;
        }
    }
    list_ref.head.store(node, Ordering::Relaxed);
    // SAFETY: lock held, all linked tokens live.
    unsafe { refresh_priority(list_ref, thread) };
    sync::unlock(&list_ref.mutex.value);
    node
}

/// Unlinks and frees an override token; NULL is ignored.
///
/// # Safety
/// A non-null `node` must be a token from [`override_list_add`] whose list is
/// still live, removed only once.
unsafe fn override_remove(node: *mut iree_thread_override_t) {
    if node.is_null() {
        return;
    }
    // SAFETY: the token is live and its list outlives it (contract).
    let list = unsafe { &*(*node).list };
    sync::lock(&list.mutex.value);
    // SAFETY: lock held; neighbours are live linked tokens.
    let thread = unsafe {
        let (prev, next) = ((*node).prev, (*node).next);
        if !prev.is_null() {
            (*prev).next = next;
        }
        if !next.is_null() {
            (*next).prev = prev;
        }
        if list.head.load(Ordering::Relaxed) == node {
            list.head.store(next, Ordering::Relaxed);
        }
        (*node).thread
    };
    // SAFETY: lock held, remaining tokens live.
    unsafe { refresh_priority(list, thread) };
    sync::unlock(&list.mutex.value);
    // SAFETY: unlinked, so no one else can reach it; it came from Box.
    drop(unsafe { Box::from_raw(node) });
}

/// Sets up the caller-owned `*out_list` for a thread running at
/// `base_priority_class`. The list keeps `allocator` and calls
/// `set_priority_fn` (may be NULL) whenever the effective class changes, on
/// the thread that added or removed the override. The caller must keep the
/// list in place until `iree_thread_override_list_deinitialize`. NULL
/// `out_list` is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_thread_override_list_initialize(
    set_priority_fn: iree_thread_set_priority_fn_t,
    base_priority_class: iree_thread_priority_class_t,
    allocator: iree_allocator_t,
    out_list: *mut iree_thread_override_list_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or caller storage for one list (API contract).
        let out_list = unsafe { arg!(out_list).out() }?;
        out_list.write(new_override_list(
            set_priority_fn,
            base_priority_class,
            allocator,
        ));
        Ok(())
    })
}

/// Ends a list; the caller keeps its storage. Every override should have
/// been removed already: any left over are unlinked and freed here, so their
/// tokens must not be used again. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_thread_override_list_deinitialize(
    list: *mut iree_thread_override_list_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized list (API contract).
        let list = unsafe { arg!(list).value() }?;
        sync::lock(&list.mutex.value);
        let mut node = list.head.swap(std::ptr::null_mut(), Ordering::Relaxed);
        sync::unlock(&list.mutex.value);
        while !node.is_null() {
            // SAFETY: leftover tokens are ours to free now that they are
            // unlinked; each came from Box.
            let boxed = unsafe { Box::from_raw(node) };
            node = boxed.next;
        }
        Ok(())
    })
}

/// Adds an override of `priority_class` for `thread` (passed back to the
/// list's `set_priority_fn`, not retained) and returns its token, owned by
/// the caller until `iree_thread_override_remove_self`; the list must
/// outlive it. Safe to call from any thread. NULL when `list` is NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_thread_override_list_add(
    list: *mut iree_thread_override_list_t,
    thread: *mut iree_thread_t,
    priority_class: iree_thread_priority_class_t,
) -> *mut iree_thread_override_t {
    ffi_boundary(|| {
        // SAFETY: NULL or an initialized list that outlives the token (API
        // contract).
        Ok(unsafe { override_list_add(list, thread, priority_class) })
    })
}

/// Removes an override from its list and frees the token, which the caller
/// gives up. Safe to call from any thread. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_thread_override_remove_self(override_: *mut iree_thread_override_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a token from iree_thread_override_list_add, ended
        // once (API contract).
        unsafe { override_remove(override_) };
        Ok(())
    })
}

//===----------------------------------------------------------------------===//
// Threads
//===----------------------------------------------------------------------===//

/// The C entry point and argument, moved onto the new thread.
struct CEntry {
    entry: unsafe extern "C" fn(*mut c_void) -> c_int,
    arg: *mut c_void,
}

// SAFETY: handing the argument to another thread is the documented purpose
// of iree_thread_create; the caller keeps it valid for that thread.
unsafe impl Send for CEntry {}

impl CEntry {
    fn run(self) {
        // SAFETY: the caller's entry function with the argument it gave.
        unsafe { (self.entry)(self.arg) };
    }
}

/// Override-list callback for thread handles: applies the class to the OS
/// thread behind the handle.
unsafe extern "C" fn thread_set_priority(
    thread: *mut iree_thread_t,
    priority_class: iree_thread_priority_class_t,
) {
    ffi_boundary(|| {
        // SAFETY: the list belongs to this live handle (it only calls back
        // while one of the handle's override tokens is used).
        let object = unsafe { arg!(thread).handle() }?;
        object
            .thread
            .set_priority_class(PriorityClass::from_raw(priority_class));
        Ok(())
    })
}

/// Sets the caller's `*out_thread_affinity` to "any processor". NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_thread_affinity_set_any(
    out_thread_affinity: *mut iree_thread_affinity_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or caller storage for one affinity (API contract).
        unsafe { arg!(out_thread_affinity).out() }?.write(iree_thread_affinity_t::default());
        Ok(())
    })
}

/// Creates a thread running `entry(entry_arg)` (suspended until
/// `iree_thread_resume` if `params.create_suspended`). `entry_arg` is handed
/// to the new thread as is: the caller keeps it valid until `entry` is done
/// with it. `params.name` is copied; `allocator` is kept by the handle. The
/// caller owns the one reference in `*out_thread` (NULL on failure) and
/// releases it with `iree_thread_release`.
#[no_mangle]
pub unsafe extern "C" fn iree_thread_create(
    entry: iree_thread_entry_t,
    entry_arg: *mut c_void,
    params: iree_thread_create_params_t,
    allocator: iree_allocator_t,
    out_thread: *mut *mut iree_thread_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: NULL or the caller's pointer slot (API contract).
        let out_thread = unsafe { arg!(out_thread).out() }?.write(std::ptr::null_mut());
        let Some(entry) = entry else {
            return Err(iree_err!(InvalidArgument, "thread entry function is NULL"));
        };
        let core_params = ThreadParams {
            // SAFETY: the view describes caller-owned bytes (API contract);
            // NULL data reads as an empty name.
            name: unsafe { params.name.to_string_lossy() },
            stack_size: params.stack_size,
            create_suspended: params.create_suspended,
            priority_class: PriorityClass::from_raw(params.priority_class),
            affinity: params.initial_affinity.to_core(),
        };
        let body = CEntry {
            entry,
            arg: entry_arg,
        };
        let thread = Thread::spawn(&core_params, move || body.run())?;
        let overrides = Box::new(new_override_list(
            Some(thread_set_priority),
            core_params.priority_class as i32,
            allocator,
        ));
        *out_thread = handle::arc_into_ptr(Arc::new(ThreadObject { thread, overrides }));
        Ok(())
    })
}

/// Adds a reference to `thread`, which the caller then owns. Safe from any
/// thread. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_thread_retain(thread: *mut iree_thread_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live handle from iree_thread_create.
        unsafe { handle::retain(thread) };
        Ok(())
    })
}

/// Gives up one of the caller's references to `thread`; the last one
/// resumes the thread if it is still suspended and waits for it to exit
/// before freeing the handle (so it must not be the thread itself). NULL is
/// ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_thread_release(thread: *mut iree_thread_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live handle whose reference the caller gives up.
        unsafe { handle::release(thread) };
        Ok(())
    })
}

/// The platform thread ID (`pthread_t`) of the borrowed `thread`; 0 for
/// NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_thread_id(thread: *mut iree_thread_t) -> usize {
    ffi_boundary(|| {
        // SAFETY: NULL or a live handle (API contract).
        Ok(unsafe { arg!(thread).handle() }?.thread.id())
    })
}

/// Raises (never lowers below its base) the priority of `thread` until the
/// returned token is passed to `iree_thread_override_end`. The caller owns
/// the token and must end it while it still holds a reference to `thread`.
/// Safe from any thread. NULL when `thread` is NULL.
#[no_mangle]
pub unsafe extern "C" fn iree_thread_priority_class_override_begin(
    thread: *mut iree_thread_t,
    priority_class: iree_thread_priority_class_t,
) -> *mut iree_thread_override_t {
    ffi_boundary(|| {
        // SAFETY: NULL or a live handle (API contract).
        let object = unsafe { arg!(thread).handle() }?;
        let list: *const iree_thread_override_list_t = &*object.overrides;
        // SAFETY: the list lives as long as the handle, which the caller
        // keeps until it ends its overrides.
        Ok(unsafe { override_list_add(list, thread, priority_class) })
    })
}

/// Ends an override from `iree_thread_priority_class_override_begin` and
/// frees the token, which the caller gives up. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_thread_override_end(override_token: *mut iree_thread_override_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a token from override_begin, ended once (API
        // contract).
        unsafe { override_remove(override_token) };
        Ok(())
    })
}

/// Asks the OS to run the borrowed `thread` on the processors in
/// `affinity` (a request the OS may ignore). NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_thread_request_affinity(
    thread: *mut iree_thread_t,
    affinity: iree_thread_affinity_t,
) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live handle (API contract).
        let object = unsafe { arg!(thread).handle() }?;
        object.thread.request_affinity(affinity.to_core());
        Ok(())
    })
}

/// Lets the borrowed `thread`, if created suspended, start running; no
/// effect otherwise. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn iree_thread_resume(thread: *mut iree_thread_t) {
    ffi_boundary(|| {
        // SAFETY: NULL or a live handle (API contract).
        unsafe { arg!(thread).handle() }?.thread.resume();
        Ok(())
    })
}

/// Bounded string copy (`strncpy_s` semantics): copies at most `count`
/// bytes of the borrowed `src` into the caller's `dest` (`destsz` bytes) and
/// always NUL-terminates. Returns 0, EINVAL for bad arguments or ERANGE when
/// the result would not fit in `destsz` (then `dest` is the empty string).
#[no_mangle]
pub unsafe extern "C" fn iree_strncpy_s(
    dest: *mut c_char,
    destsz: usize,
    src: *const c_char,
    count: usize,
) -> c_int {
    ffi_boundary(|| {
        if dest.is_null() || src.is_null() || destsz == 0 {
            return Ok(libc::EINVAL);
        }
        // Length of src, looking no further than needed.
        let limit = count.min(destsz);
        let mut len = 0;
        // SAFETY: `src` is a C string or has at least `limit` readable bytes.
        while len < limit && unsafe { *src.add(len) } != 0 {
            len += 1;
        }
        if len >= destsz {
            // SAFETY: destsz >= 1 writable bytes.
            unsafe { *dest = 0 };
            return Ok(libc::ERANGE);
        }
        // SAFETY: `len < destsz` bytes fit with the terminator.
        unsafe {
            std::ptr::copy_nonoverlapping(src, dest, len);
            *dest.add(len) = 0;
        }
        Ok(0)
    })
}
