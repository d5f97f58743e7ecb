//! `iree/base/internal/call_once.h` core: run an initializer exactly once
//! across threads, keyed by a 32-bit state word the caller owns.
//!
//! Word states: 0 never run, 1 running, 2 running with sleepers, 3 done.
//! Latecomers sleep on the word (futex) until the runner finishes; the
//! runner's writes happen-before every return from `call_once`.

use std::sync::atomic::{AtomicI32, Ordering};

use crate::base::internal::synchronization::{as_u32, futex, DEADLINE_NEVER};

const NEW: i32 = 0;
const RUNNING: i32 = 1;
const RUNNING_WITH_WAITERS: i32 = 2;
const DONE: i32 = 3;

/// `IREE_ONCE_FLAG_INIT`.
pub const ONCE_INIT: i32 = NEW;

/// Returns the word to "never run" and wakes sleepers if the initializer
/// unwinds, so a later caller can retry instead of sleeping forever.
struct ResetOnUnwind<'a>(&'a AtomicI32);

impl Drop for ResetOnUnwind<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(NEW, Ordering::Release);
            futex::wake(as_u32(self.0), i32::MAX);
        }
    }
}

/// Runs `init` if no call with this word has run it yet; otherwise waits
/// until the call that runs it has finished.
pub fn call_once(word: &AtomicI32, init: impl FnOnce()) {
    if word.load(Ordering::Acquire) == DONE {
        return;
    }
    let mut init = Some(init);
    loop {
        match word.compare_exchange(NEW, RUNNING, Ordering::Acquire, Ordering::Acquire) {
            Ok(_) => {
                let guard = ResetOnUnwind(word);
                if let Some(init) = init.take() {
                    init();
                }
                std::mem::forget(guard);
                if word.swap(DONE, Ordering::Release) == RUNNING_WITH_WAITERS {
                    futex::wake(as_u32(word), i32::MAX);
                }
                return;
            }
            Err(DONE) => return,
            Err(RUNNING) => {
                // Announce ourselves so the runner issues a wake; retry the
                // whole dance if the state moved meanwhile.
                let _ = word.compare_exchange(
                    RUNNING,
                    RUNNING_WITH_WAITERS,
                    Ordering::Acquire,
                    Ordering::Acquire,
                );
            }
            Err(RUNNING_WITH_WAITERS) => {
                futex::wait(as_u32(word), RUNNING_WITH_WAITERS as u32, DEADLINE_NEVER);
            }
            // Garbage in the word (never initialized): treat as done rather
            // than running the initializer against a corrupted flag.
            Err(_) => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::sync::Arc;

    #[test]
    fn runs_once_across_threads() {
        let word = Arc::new(AtomicI32::new(ONCE_INIT));
        let runs = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..8)
            .map(|_| {
                let (word, runs) = (word.clone(), runs.clone());
                std::thread::spawn(move || {
                    call_once(&word, || {
                        std::thread::sleep(std::time::Duration::from_millis(10));
                        runs.fetch_add(1, Ordering::Relaxed);
                    });
                    // Every caller returns only after the initializer ran.
                    assert_eq!(runs.load(Ordering::Relaxed), 1);
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(runs.load(Ordering::Relaxed), 1);
    }

    #[test]
    fn unwinding_initializer_allows_retry() {
        let word = AtomicI32::new(ONCE_INIT);
        let r = std::panic::catch_unwind(|| call_once(&word, || panic!("boom")));
        assert!(r.is_err());
        let mut ran = false;
        call_once(&word, || ran = true);
        assert!(ran);
    }
}
