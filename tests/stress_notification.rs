//! Stress of the exported notification and mutex functions: 8 threads x
//! 10,000 rounds each, in two shapes (a token ring and a round barrier).
//! A lost wakeup shows up as a wait that reaches its deadline, which fails
//! the test instead of hanging it.

use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use iree_runtime::capi::base::synchronization::*;
use iree_runtime::capi::base::time::{iree_timeout_t, IREE_TIMEOUT_RELATIVE};

const THREADS: usize = 8;
const ROUNDS: usize = 10_000;
/// Per-wait bound: generous for a loaded 2-core machine, still finite.
const WAIT_BOUND: Duration = Duration::from_secs(20);

fn now_ns() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos() as i64
}

fn relative(d: Duration) -> iree_timeout_t {
    iree_timeout_t {
        type_: IREE_TIMEOUT_RELATIVE,
        nanos: d.as_nanos() as i64,
    }
}

/// State shared by the ring: whose turn it is, a notification, a lock and a
/// counter only ever touched under the lock.
struct Ring {
    turn: AtomicUsize,
    notification: iree_notification_t,
    mutex: iree_slim_mutex_t,
    /// Plain read-modify-write under `mutex` (split load/store to catch a
    /// lock that lets two threads in).
    counter: AtomicI64,
    failed: AtomicBool,
}

/// Condition for thread `index` of the ring (passed through the C callback).
struct TurnArg<'a> {
    ring: &'a Ring,
    index: usize,
}

unsafe extern "C" fn is_my_turn(arg: *mut c_void) -> bool {
    // SAFETY: `arg` is the TurnArg the waiting thread passed to await.
    let arg = unsafe { &*(arg as *const TurnArg) };
    arg.ring.failed.load(Ordering::Acquire)
        || arg.ring.turn.load(Ordering::Acquire) % THREADS == arg.index
}

#[test]
fn ring_handoff_never_loses_a_wakeup() {
    let ring = Arc::new(Ring {
        turn: AtomicUsize::new(0),
        notification: iree_notification_t::default(),
        mutex: iree_slim_mutex_t::default(),
        counter: AtomicI64::new(0),
        failed: AtomicBool::new(false),
    });
    // SAFETY: the ring's objects are live for the whole test.
    unsafe {
        iree_notification_initialize(&ring.notification as *const _ as *mut _);
        iree_slim_mutex_initialize(&ring.mutex as *const _ as *mut _);
    }
    let threads: Vec<_> = (0..THREADS)
        .map(|index| {
            let ring = ring.clone();
            std::thread::spawn(move || {
                let n = &ring.notification as *const _ as *mut iree_notification_t;
                let m = &ring.mutex as *const _ as *mut iree_slim_mutex_t;
                let mut arg = TurnArg { ring: &ring, index };
                for _ in 0..ROUNDS {
                    // SAFETY: live notification; `arg` outlives the call.
                    let ok = unsafe {
                        iree_notification_await(
                            n,
                            Some(is_my_turn),
                            &mut arg as *mut TurnArg as *mut c_void,
                            relative(WAIT_BOUND),
                        )
                    };
                    if !ok || ring.failed.load(Ordering::Acquire) {
                        ring.failed.store(true, Ordering::Release);
                        // SAFETY: live notification.
                        unsafe { iree_notification_post(n, IREE_ALL_WAITERS) };
                        return;
                    }
                    // SAFETY: live, initialized lock.
                    unsafe { iree_slim_mutex_lock(m) };
                    let v = ring.counter.load(Ordering::Relaxed);
                    ring.counter.store(v + 1, Ordering::Relaxed);
                    // SAFETY: held by this thread.
                    unsafe { iree_slim_mutex_unlock(m) };
                    ring.turn.fetch_add(1, Ordering::AcqRel);
                    // SAFETY: live notification.
                    unsafe { iree_notification_post(n, IREE_ALL_WAITERS) };
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert!(
        !ring.failed.load(Ordering::Acquire),
        "a ring wait timed out (lost wakeup)"
    );
    assert_eq!(ring.turn.load(Ordering::Acquire), THREADS * ROUNDS);
    assert_eq!(
        ring.counter.load(Ordering::Relaxed),
        (THREADS * ROUNDS) as i64
    );
}

const IREE_ALL_WAITERS: i32 = i32::MAX;

/// A reusable barrier: the last thread of a round advances the generation and
/// posts; the others wait with explicit prepare/commit/cancel.
struct Barrier {
    mutex: iree_mutex_t,
    arrived: AtomicUsize,
    generation: AtomicUsize,
    notification: iree_notification_t,
    contended_total: AtomicI64,
    failed: AtomicBool,
}

#[test]
fn barrier_rounds_with_prepare_commit_cancel() {
    let barrier = Arc::new(Barrier {
        mutex: iree_mutex_t::default(),
        arrived: AtomicUsize::new(0),
        generation: AtomicUsize::new(0),
        notification: iree_notification_t::default(),
        contended_total: AtomicI64::new(0),
        failed: AtomicBool::new(false),
    });
    // SAFETY: live objects for the whole test.
    unsafe {
        iree_mutex_initialize(&barrier.mutex as *const _ as *mut _);
        iree_notification_initialize(&barrier.notification as *const _ as *mut _);
    }
    let threads: Vec<_> = (0..THREADS)
        .map(|_| {
            let b = barrier.clone();
            std::thread::spawn(move || {
                let m = &b.mutex as *const _ as *mut iree_mutex_t;
                let n = &b.notification as *const _ as *mut iree_notification_t;
                for round in 0..ROUNDS {
                    // SAFETY: live lock.
                    unsafe { iree_mutex_lock(m) };
                    let v = b.contended_total.load(Ordering::Relaxed);
                    b.contended_total.store(v + 1, Ordering::Relaxed);
                    let last = b.arrived.fetch_add(1, Ordering::Relaxed) + 1 == THREADS;
                    if last {
                        b.arrived.store(0, Ordering::Relaxed);
                        b.generation.store(round + 1, Ordering::Release);
                    }
                    // SAFETY: held by this thread.
                    unsafe { iree_mutex_unlock(m) };
                    if last {
                        // SAFETY: live notification.
                        unsafe { iree_notification_post(n, IREE_ALL_WAITERS) };
                        continue;
                    }
                    let deadline = now_ns() + WAIT_BOUND.as_nanos() as i64;
                    loop {
                        if b.generation.load(Ordering::Acquire) > round
                            || b.failed.load(Ordering::Acquire)
                        {
                            break;
                        }
                        // SAFETY: live notification for all calls below.
                        let token = unsafe { iree_notification_prepare_wait(n) };
                        if b.generation.load(Ordering::Acquire) > round {
                            unsafe { iree_notification_cancel_wait(n) };
                            break;
                        }
                        if !unsafe { iree_notification_commit_wait(n, token, deadline) } {
                            b.failed.store(true, Ordering::Release);
                            unsafe { iree_notification_post(n, IREE_ALL_WAITERS) };
                            return;
                        }
                    }
                    if b.failed.load(Ordering::Acquire) {
                        return;
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert!(
        !barrier.failed.load(Ordering::Acquire),
        "a barrier wait timed out (lost wakeup)"
    );
    assert_eq!(barrier.generation.load(Ordering::Acquire), ROUNDS);
    assert_eq!(
        barrier.contended_total.load(Ordering::Relaxed),
        (THREADS * ROUNDS) as i64
    );
    // Every waiter registration was withdrawn.
    assert_eq!(barrier.notification.value.load(Ordering::Relaxed) as u32, 0);
}
