//! Events (`iree/hal/event.h`): a binary signalled/unsignalled flag that
//! command buffers set, reset and wait on to order work within one queue.
//!
//! On the local devices commands run in recording order, so a command
//! buffer's event operations only flip this flag; waits exist for devices
//! that run commands concurrently. An event is `Send + Sync` and shared as
//! `Arc<Event>`; any thread may use it.

use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crate::abi::hal_resource::ResourceHeader;
use crate::base::status::{Error, StatusCode};
use crate::base::time::{self, Timeout, TIME_INFINITE_FUTURE};
use crate::Result;

/// A binary event, created unsignalled. It starts with the resource
/// header C's handles count references in.
#[repr(C)]
#[derive(Debug)]
pub struct Event {
    header: ResourceHeader,
    signalled: Mutex<bool>,
    changed: Condvar,
}
crate::hal_resource!(Event);

impl Default for Event {
    fn default() -> Event {
        Event::new()
    }
}

impl Event {
    pub fn new() -> Event {
        Event {
            header: ResourceHeader::new::<Event>(),
            signalled: Mutex::new(false),
            changed: Condvar::new(),
        }
    }

    /// Sets the event and wakes its waiters (setting a set event is a no-op).
    pub fn signal(&self) {
        *self.lock() = true;
        self.changed.notify_all();
    }

    /// Clears the event.
    pub fn reset(&self) {
        *self.lock() = false;
    }

    pub fn is_signalled(&self) -> bool {
        *self.lock()
    }

    /// Blocks until the event is set; `DEADLINE_EXCEEDED` once `timeout`
    /// passes (at once for an immediate timeout).
    pub fn wait(&self, timeout: Timeout) -> Result<()> {
        let deadline_ns = timeout.as_deadline_ns();
        let mut signalled = self.lock();
        loop {
            if *signalled {
                return Ok(());
            }
            if deadline_ns == TIME_INFINITE_FUTURE {
                signalled = self
                    .changed
                    .wait(signalled)
                    .unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            let left = deadline_ns.saturating_sub(time::now());
            if left <= 0 {
                return Err(Error::from_code(StatusCode::DeadlineExceeded));
            }
            signalled = self
                .changed
                .wait_timeout(signalled, std::time::Duration::from_nanos(left as u64))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    fn lock(&self) -> MutexGuard<'_, bool> {
        self.signalled
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn signal_and_reset() {
        let event = Event::new();
        assert!(!event.is_signalled());
        assert_eq!(
            event.wait(Timeout::immediate()).unwrap_err().code(),
            StatusCode::DeadlineExceeded
        );
        event.signal();
        event.signal();
        assert!(event.is_signalled());
        event.wait(Timeout::immediate()).unwrap();
        event.reset();
        assert!(!event.is_signalled());
        assert_eq!(
            event.wait(Timeout::Relative(1_000_000)).unwrap_err().code(),
            StatusCode::DeadlineExceeded
        );
    }

    #[test]
    fn wait_wakes_on_signal_from_another_thread() {
        let event = Arc::new(Event::new());
        let t = {
            let event = event.clone();
            std::thread::spawn(move || event.wait(Timeout::Relative(30_000_000_000)))
        };
        event.signal();
        t.join().unwrap().unwrap();
    }
}
