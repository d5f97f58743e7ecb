//! Rust tests of the threading C boundary: threads, override lists, slists,
//! call_once and arenas, called the way C calls them.

use std::ffi::{c_int, c_void};
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};

use iree_runtime::capi::base::allocator::iree_allocator_t;
use iree_runtime::capi::base::arena::*;
use iree_runtime::capi::base::atomic_slist::*;
use iree_runtime::capi::base::status::iree_status_t;
use iree_runtime::capi::base::string_view::iree_string_view_t;
use iree_runtime::capi::base::synchronization::*;
use iree_runtime::capi::base::threading::*;

/// A malloc/free allocator that counts live allocations.
static LIVE: AtomicI32 = AtomicI32::new(0);

unsafe extern "C" fn counting_ctl(
    _self: *mut c_void,
    command: u32,
    params: *const c_void,
    inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    // SAFETY: allocator contract: params carries the byte length for malloc,
    // inout_ptr is valid.
    unsafe {
        match command {
            0 | 1 => {
                let len = *(params as *const usize);
                *inout_ptr = libc::calloc(1, len.max(1));
                LIVE.fetch_add(1, Ordering::SeqCst);
            }
            3 => {
                libc::free(*inout_ptr);
                LIVE.fetch_sub(1, Ordering::SeqCst);
            }
            _ => return iree_status_t::from_code(iree_runtime::StatusCode::Unimplemented),
        }
    }
    iree_status_t::OK
}

fn counting_allocator() -> iree_allocator_t {
    iree_allocator_t {
        self_: std::ptr::null_mut(),
        ctl: Some(counting_ctl),
    }
}

fn params(suspended: bool) -> iree_thread_create_params_t {
    iree_thread_create_params_t {
        name: iree_string_view_t::from_static(b"capi-worker"),
        stack_size: 0,
        create_suspended: suspended,
        priority_class: 0,
        initial_affinity: iree_thread_affinity_t::default(),
    }
}

unsafe extern "C" fn bump(arg: *mut c_void) -> c_int {
    // SAFETY: the test passes an AtomicI32 that outlives the thread.
    let counter = unsafe { &*(arg as *const AtomicI32) };
    counter.fetch_add(1, Ordering::SeqCst);
    0
}

#[test]
fn release_joins_and_suspended_waits() {
    let counter = AtomicI32::new(0);
    let mut thread: *mut iree_thread_t = std::ptr::null_mut();
    // SAFETY: valid arguments; counter outlives the thread (release joins).
    unsafe {
        let status = iree_thread_create(
            Some(bump),
            &counter as *const _ as *mut c_void,
            params(true),
            counting_allocator(),
            &mut thread,
        );
        assert!(status.is_ok());
        assert_ne!(iree_thread_id(thread), 0);
        std::thread::sleep(std::time::Duration::from_millis(30));
        assert_eq!(counter.load(Ordering::SeqCst), 0);
        iree_thread_retain(thread);
        iree_thread_release(thread);
        iree_thread_resume(thread);
        iree_thread_release(thread);
    }
    assert_eq!(counter.load(Ordering::SeqCst), 1);
}

#[test]
fn create_rejects_null_arguments() {
    let mut thread: *mut iree_thread_t = std::ptr::null_mut();
    // SAFETY: NULLs are what is being tested.
    unsafe {
        let status = iree_thread_create(
            None,
            std::ptr::null_mut(),
            params(false),
            counting_allocator(),
            &mut thread,
        );
        assert_eq!(status.code(), iree_runtime::StatusCode::InvalidArgument);
        assert!(status.into_result().is_err());
        assert!(thread.is_null());
        assert_eq!(iree_thread_id(std::ptr::null_mut()), 0);
        iree_thread_release(std::ptr::null_mut());
        iree_thread_override_end(std::ptr::null_mut());
    }
}

static SEEN_CLASS: AtomicI32 = AtomicI32::new(0);
static SET_CALLS: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn record_priority(_thread: *mut iree_thread_t, class: i32) {
    SEEN_CLASS.store(class, Ordering::SeqCst);
    SET_CALLS.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn override_list_tracks_the_maximum() {
    let mut list = std::mem::MaybeUninit::<iree_thread_override_list_t>::uninit();
    let sentinel = 0x123usize as *mut iree_thread_t;
    // SAFETY: the list storage lives on this frame for the whole test.
    unsafe {
        iree_thread_override_list_initialize(
            Some(record_priority),
            0,
            counting_allocator(),
            list.as_mut_ptr(),
        );
        let l = list.as_mut_ptr();
        let high = iree_thread_override_list_add(l, sentinel, 1);
        assert_eq!(SEEN_CLASS.load(Ordering::SeqCst), 1);
        let low = iree_thread_override_list_add(l, sentinel, -1);
        assert_eq!(
            SET_CALLS.load(Ordering::SeqCst),
            1,
            "no call when unchanged"
        );
        let highest = iree_thread_override_list_add(l, sentinel, 2);
        assert_eq!(SEEN_CLASS.load(Ordering::SeqCst), 2);
        iree_thread_override_remove_self(low);
        iree_thread_override_remove_self(high);
        assert_eq!(SEEN_CLASS.load(Ordering::SeqCst), 2);
        iree_thread_override_remove_self(highest);
        assert_eq!(SEEN_CLASS.load(Ordering::SeqCst), 0);
        iree_thread_override_list_deinitialize(l);
    }
}

#[repr(C)]
struct Item {
    value: usize,
    link: iree_atomic_slist_entry_t,
}

#[test]
fn slist_push_pop_concat_flush() {
    let mut items: Vec<Item> = (0..5)
        .map(|value| Item {
            value,
            link: iree_atomic_slist_entry_t {
                next: std::ptr::null_mut(),
            },
        })
        .collect();
    let link =
        |items: &mut Vec<Item>, i: usize| &mut items[i].link as *mut iree_atomic_slist_entry_t;
    let value_of = |e: *mut iree_atomic_slist_entry_t| {
        // SAFETY: `e` is the link field of an Item in `items`.
        unsafe { (*((e as *mut u8).sub(std::mem::size_of::<usize>()) as *const Item)).value }
    };
    let mut list = std::mem::MaybeUninit::<iree_atomic_slist_t>::uninit();
    // SAFETY: list and items live for the whole test.
    unsafe {
        let l = list.as_mut_ptr();
        iree_atomic_slist_initialize(l);
        assert!(iree_atomic_slist_pop(l).is_null());
        iree_atomic_slist_push(l, link(&mut items, 0));
        iree_atomic_slist_push(l, link(&mut items, 1));
        // Chain 2 -> 3 -> 4, concatenated in front (tail found by walking).
        (*link(&mut items, 2)).next = link(&mut items, 3);
        (*link(&mut items, 3)).next = link(&mut items, 4);
        iree_atomic_slist_concat(l, link(&mut items, 2), std::ptr::null_mut());
        assert_eq!(value_of(iree_atomic_slist_pop(l)), 2);
        let mut head = std::ptr::null_mut();
        let mut tail = std::ptr::null_mut();
        assert!(iree_atomic_slist_flush(
            l,
            IREE_ATOMIC_SLIST_FLUSH_ORDER_APPROXIMATE_FIFO,
            &mut head,
            &mut tail
        ));
        // Remaining LIFO order was 3 4 1 0; FIFO reverses it.
        let mut order = Vec::new();
        let mut e = head;
        while !e.is_null() {
            order.push(value_of(e));
            e = (*e).next;
        }
        assert_eq!(order, vec![0, 1, 4, 3]);
        assert_eq!(value_of(tail), 3);
        assert!(!iree_atomic_slist_flush(
            l,
            IREE_ATOMIC_SLIST_FLUSH_ORDER_APPROXIMATE_LIFO,
            &mut head,
            &mut tail
        ));
        iree_atomic_slist_deinitialize(l);
    }
}

static ONCE: AtomicI32 = AtomicI32::new(0);
static ONCE_RUNS: AtomicUsize = AtomicUsize::new(0);

unsafe extern "C" fn once_body() {
    ONCE_RUNS.fetch_add(1, Ordering::SeqCst);
}

#[test]
fn call_once_runs_once() {
    // SAFETY: static flag; NULLs are ignored.
    unsafe {
        iree_call_once(ONCE.as_ptr() as *mut _, Some(once_body));
        iree_call_once(ONCE.as_ptr() as *mut _, Some(once_body));
        iree_call_once(std::ptr::null_mut(), Some(once_body));
        iree_call_once(ONCE.as_ptr() as *mut _, None);
    }
    assert_eq!(ONCE_RUNS.load(Ordering::SeqCst), 1);
}

#[test]
fn arena_allocates_aligned_and_returns_everything() {
    let before = LIVE.load(Ordering::SeqCst);
    let mut pool = std::mem::MaybeUninit::<iree_arena_block_pool_t>::uninit();
    let mut arena = std::mem::MaybeUninit::<iree_arena_allocator_t>::uninit();
    // SAFETY: pool and arena live on this frame for the whole test.
    unsafe {
        let p = pool.as_mut_ptr();
        let a = arena.as_mut_ptr();
        iree_arena_block_pool_initialize(256, counting_allocator(), p);
        assert_eq!((*p).usable_block_size, 248);
        iree_arena_initialize(p, a);
        let mut ptrs = Vec::new();
        for len in [1usize, 17, 100, 240, 1000, 0, 33] {
            let mut out = std::ptr::null_mut();
            assert!(iree_arena_allocate(a, len, &mut out).is_ok());
            assert_eq!(out as usize % 16, 0, "allocation of {len} misaligned");
            std::ptr::write_bytes(out as *mut u8, 0xAB, len);
            ptrs.push(out);
        }
        assert!((*a).used_allocation_size >= 1391);
        // The allocator view: calloc zeroes, free is ignored, realloc refused.
        let allocator = iree_arena_allocator(a);
        let ctl = allocator.ctl.unwrap();
        let mut out = std::ptr::null_mut();
        let len: usize = 64;
        assert!(ctl(
            allocator.self_,
            1,
            &len as *const usize as *const c_void,
            &mut out
        )
        .is_ok());
        assert!(std::slice::from_raw_parts(out as *const u8, 64)
            .iter()
            .all(|&b| b == 0));
        assert!(ctl(allocator.self_, 3, std::ptr::null(), &mut out).is_ok());
        let refused = ctl(
            allocator.self_,
            2,
            &len as *const usize as *const c_void,
            &mut out,
        );
        assert_eq!(refused.code(), iree_runtime::StatusCode::Unimplemented);
        let _ = refused.into_result();
        iree_arena_reset(a);
        // Blocks went back to the pool, oversized allocations were freed.
        let mut block = std::ptr::null_mut();
        assert!(iree_arena_block_pool_acquire(p, &mut block).is_ok());
        iree_arena_block_pool_release(p, block, block);
        iree_arena_deinitialize(a);
        iree_arena_block_pool_deinitialize(p);
        let mut out = std::ptr::null_mut();
        assert_eq!(
            iree_arena_allocate(std::ptr::null_mut(), 1, &mut out).code(),
            iree_runtime::StatusCode::InvalidArgument
        );
    }
    assert_eq!(LIVE.load(Ordering::SeqCst), before);
}
