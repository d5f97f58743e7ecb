//! `iree/base/internal/synchronization.h` core: futex-word locks and the
//! notification (event counter) used in place of condition variables.
//!
//! Everything here works on plain atomics so that the C structs, whose
//! storage C code owns, can be driven by the same code as Rust-owned values:
//! the C ABI layer just lends us `&AtomicI32` / `&AtomicI64` views of them.

use std::sync::atomic::{AtomicI32, AtomicI64, Ordering};

/// A deadline that never arrives (`IREE_TIME_INFINITE_FUTURE`).
pub const DEADLINE_NEVER: i64 = i64::MAX;
/// A deadline that has always passed (`IREE_TIME_INFINITE_PAST`).
pub const DEADLINE_PAST: i64 = i64::MIN;
/// `IREE_ALL_WAITERS`: wake everybody.
pub const ALL_WAITERS: i32 = i32::MAX;

/// Wall-clock nanoseconds since the unix epoch: the clock `iree_time_now`
/// reports (and FUTEX_CLOCK_REALTIME measures), so deadlines agree.
pub fn now_ns() -> i64 {
    crate::base::time::now()
}

/// Turns a relative timeout into an absolute deadline, keeping the infinite
/// and immediate cases exact.
pub fn deadline_after(duration_ns: i64) -> i64 {
    if duration_ns == i64::MAX {
        DEADLINE_NEVER
    } else if duration_ns <= 0 {
        DEADLINE_PAST
    } else {
        now_ns().saturating_add(duration_ns)
    }
}

//===----------------------------------------------------------------------===//
// futex
//===----------------------------------------------------------------------===//

// The futex calls take the word's address only; the kernel reads it (wait)
// or uses it as a key (wake), never writes it, and reports a bad address as
// EFAULT, so passing any pointer is memory-safe.
pub(crate) mod futex {
    use super::DEADLINE_NEVER;

    const NANOS_PER_SEC: i64 = 1_000_000_000;

    /// Sleeps while `*word == expected`, until woken or the absolute
    /// wall-clock `deadline_ns` passes. Spurious returns are possible; the
    /// caller re-checks its own state.
    pub fn wait(word: *const u32, expected: u32, deadline_ns: i64) {
        let ts;
        let ts_ptr: *const libc::timespec = if deadline_ns == DEADLINE_NEVER {
            std::ptr::null()
        } else {
            ts = libc::timespec {
                tv_sec: (deadline_ns.max(0) / NANOS_PER_SEC) as libc::time_t,
                tv_nsec: (deadline_ns.max(0) % NANOS_PER_SEC) as libc::c_long,
            };
            &ts
        };
        // SAFETY: the kernel only reads `word` (faulting addresses give
        // EFAULT); `ts_ptr` is NULL or points at a timespec on this frame.
        // FUTEX_WAIT_BITSET takes an absolute time on the clock selected by
        // FUTEX_CLOCK_REALTIME.
        unsafe {
            libc::syscall(
                libc::SYS_futex,
                word,
                libc::FUTEX_WAIT_BITSET | libc::FUTEX_PRIVATE_FLAG | libc::FUTEX_CLOCK_REALTIME,
                expected,
                ts_ptr,
                std::ptr::null::<u32>(),
                libc::FUTEX_BITSET_MATCH_ANY,
            );
        }
    }

    /// Wakes up to `count` threads sleeping on `word`.
    pub fn wake(word: *const u32, count: i32) {
        // SAFETY: FUTEX_WAKE only uses the address as a key.
        unsafe {
            libc::syscall(
                libc::SYS_futex,
                word,
                libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
                count,
            );
        }
    }
}

/// The address of a lock word, as the futex calls take it.
pub(crate) fn as_u32(word: &AtomicI32) -> *const u32 {
    word.as_ptr() as *const u32
}

//===----------------------------------------------------------------------===//
// Locks
//===----------------------------------------------------------------------===//
// Word states: 0 free, 1 held, 2 held and someone may be asleep on it.

const UNLOCKED: i32 = 0;
const LOCKED: i32 = 1;
const CONTENDED: i32 = 2;
/// Polls before sleeping: most critical sections here are a few instructions.
const SPIN_LIMIT: u32 = 64;

/// Resets a lock word to unlocked.
pub fn lock_init(word: &AtomicI32) {
    word.store(UNLOCKED, Ordering::Release);
}

/// Takes the lock if it is free; true when the caller now holds it.
pub fn lock_try(word: &AtomicI32) -> bool {
    word.compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
        .is_ok()
}

/// Takes the lock, sleeping in the kernel while another thread holds it.
pub fn lock(word: &AtomicI32) {
    if lock_try(word) {
        return;
    }
    for _ in 0..SPIN_LIMIT {
        if word.load(Ordering::Relaxed) == UNLOCKED && lock_try(word) {
            return;
        }
        std::hint::spin_loop();
    }
    // Marking the word contended before sleeping makes the holder's unlock
    // issue a wake; we keep it contended after acquiring since others may
    // still be asleep.
    while word.swap(CONTENDED, Ordering::Acquire) != UNLOCKED {
        futex::wait(as_u32(word), CONTENDED as u32, DEADLINE_NEVER);
    }
}

/// Releases a lock held by the caller, waking one sleeper if any.
pub fn unlock(word: &AtomicI32) {
    if word.swap(UNLOCKED, Ordering::Release) == CONTENDED {
        futex::wake(as_u32(word), 1);
    }
}

/// A Rust-owned lock with the same encoding as `iree_slim_mutex_t`.
#[derive(Default)]
pub struct SlimMutex {
    word: AtomicI32,
}

impl SlimMutex {
    pub const fn new() -> SlimMutex {
        SlimMutex {
            word: AtomicI32::new(UNLOCKED),
        }
    }

    pub fn lock(&self) {
        lock(&self.word)
    }

    pub fn try_lock(&self) -> bool {
        lock_try(&self.word)
    }

    pub fn unlock(&self) {
        unlock(&self.word)
    }
}

//===----------------------------------------------------------------------===//
// Notifications
//===----------------------------------------------------------------------===//
// The 64-bit word holds the number of threads between prepare and
// commit/cancel in its low half and a post counter (epoch) in its high half.
// Every post bumps the epoch with one read-modify-write, so a waiter that
// registered before the post sees a new epoch (or is woken), and a waiter that
// registers after it synchronizes with it and sees the poster's writes.

const WAITER: i64 = 1;
const EPOCH: i64 = 1 << 32;

/// The address of the epoch half of a notification word (an aligned u32:
/// the word is 8-aligned), for the futex calls. Rust code itself only ever
/// accesses the full 64-bit atomic.
fn epoch_word(word: &AtomicI64) -> *const u32 {
    let offset = if cfg!(target_endian = "little") { 1 } else { 0 };
    (word.as_ptr() as *const u32).wrapping_add(offset)
}

fn epoch_of(value: i64) -> u32 {
    (value as u64 >> 32) as u32
}

fn waiters_of(value: i64) -> u32 {
    value as u64 as u32
}

/// Resets a notification word: no waiters, epoch 0.
pub fn notification_init(word: &AtomicI64) {
    word.store(0, Ordering::Release);
}

/// Starts a new epoch and wakes up to `count` sleeping waiters.
pub fn notification_post(word: &AtomicI64, count: i32) {
    let previous = word.fetch_add(EPOCH, Ordering::AcqRel);
    if waiters_of(previous) != 0 && count > 0 {
        futex::wake(epoch_word(word), count);
    }
}

/// Registers the caller as a waiter and returns the current epoch.
pub fn notification_prepare_wait(word: &AtomicI64) -> u32 {
    epoch_of(word.fetch_add(WAITER, Ordering::AcqRel))
}

/// Drops the caller's waiter registration (never below zero, so a stray
/// cancel cannot borrow from the epoch).
pub fn notification_cancel_wait(word: &AtomicI64) {
    let _ = word.fetch_update(Ordering::AcqRel, Ordering::Acquire, |v| {
        (waiters_of(v) != 0).then_some(v - WAITER)
    });
}

/// Sleeps until the epoch moves past `token` (true) or `deadline_ns` passes
/// (false), then drops the waiter registration.
pub fn notification_commit_wait(word: &AtomicI64, token: u32, deadline_ns: i64) -> bool {
    let epoch = epoch_word(word);
    let posted = loop {
        if epoch_of(word.load(Ordering::Acquire)) != token {
            break true;
        }
        if deadline_ns != DEADLINE_NEVER && now_ns() >= deadline_ns {
            break false;
        }
        futex::wait(epoch, token, deadline_ns);
    };
    notification_cancel_wait(word);
    posted
}

/// Blocks until `condition` holds or `deadline_ns` passes; returns whether
/// the condition held at the end.
pub fn notification_await(
    word: &AtomicI64,
    mut condition: impl FnMut() -> bool,
    deadline_ns: i64,
) -> bool {
    loop {
        if condition() {
            return true;
        }
        let token = notification_prepare_wait(word);
        // Re-check after registering: a post between the first check and the
        // registration would otherwise go unseen.
        if condition() {
            notification_cancel_wait(word);
            return true;
        }
        if !notification_commit_wait(word, token, deadline_ns) {
            return condition();
        }
    }
}

/// A Rust-owned notification with the `iree_notification_t` encoding.
#[derive(Default)]
pub struct Notification {
    word: AtomicI64,
}

impl Notification {
    pub const fn new() -> Notification {
        Notification {
            word: AtomicI64::new(0),
        }
    }

    pub fn post(&self, count: i32) {
        notification_post(&self.word, count)
    }

    pub fn prepare_wait(&self) -> u32 {
        notification_prepare_wait(&self.word)
    }

    pub fn commit_wait(&self, token: u32, deadline_ns: i64) -> bool {
        notification_commit_wait(&self.word, token, deadline_ns)
    }

    pub fn cancel_wait(&self) {
        notification_cancel_wait(&self.word)
    }

    pub fn await_condition(&self, condition: impl FnMut() -> bool, deadline_ns: i64) -> bool {
        notification_await(&self.word, condition, deadline_ns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicBool;
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    #[test]
    fn lock_excludes_other_threads() {
        let lock = Arc::new(SlimMutex::new());
        let counter = Arc::new(AtomicI64::new(0));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let (lock, counter) = (lock.clone(), counter.clone());
                std::thread::spawn(move || {
                    for _ in 0..5000 {
                        lock.lock();
                        // Non-atomic read-modify-write under the lock.
                        let v = counter.load(Ordering::Relaxed);
                        counter.store(v + 1, Ordering::Relaxed);
                        lock.unlock();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(counter.load(Ordering::Relaxed), 20000);
    }

    #[test]
    fn try_lock_fails_while_held() {
        let lock = SlimMutex::new();
        assert!(lock.try_lock());
        assert!(!lock.try_lock());
        lock.unlock();
        assert!(lock.try_lock());
        lock.unlock();
    }

    #[test]
    fn commit_after_post_returns_at_once() {
        let n = Notification::new();
        let token = n.prepare_wait();
        n.post(ALL_WAITERS);
        assert!(n.commit_wait(token, DEADLINE_NEVER));
        assert_eq!(n.word.load(Ordering::Relaxed) as u32, 0, "waiter count");
    }

    #[test]
    fn commit_times_out() {
        let n = Notification::new();
        let token = n.prepare_wait();
        let start = Instant::now();
        assert!(!n.commit_wait(token, deadline_after(30_000_000)));
        assert!(start.elapsed() >= Duration::from_millis(25));
        let token = n.prepare_wait();
        assert!(!n.commit_wait(token, DEADLINE_PAST));
    }

    #[test]
    fn cancel_never_underflows() {
        let n = Notification::new();
        n.cancel_wait();
        assert_eq!(n.word.load(Ordering::Relaxed), 0);
    }

    #[test]
    fn await_sees_flag_from_other_thread() {
        let n = Arc::new(Notification::new());
        let flag = Arc::new(AtomicBool::new(false));
        let t = {
            let (n, flag) = (n.clone(), flag.clone());
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(20));
                flag.store(true, Ordering::Release);
                n.post(ALL_WAITERS);
            })
        };
        assert!(n.await_condition(
            || flag.load(Ordering::Acquire),
            deadline_after(5_000_000_000)
        ));
        t.join().unwrap();
    }
}
