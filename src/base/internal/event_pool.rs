//! `iree/base/internal/event_pool.h` core: a thread-safe cache of unsignaled
//! events so hot paths avoid creating and closing fds.

use std::sync::Mutex;

use crate::base::internal::wait_handle::Primitive;
use crate::base::status::Result;

/// Keeps up to `capacity` idle events; more can be handed out, and extras
/// are closed when released.
#[derive(Debug)]
pub struct EventPool {
    capacity: usize,
    available: Mutex<Vec<Primitive>>,
}

impl EventPool {
    /// Creates a pool pre-filled with `capacity` unsignaled events.
    pub fn new(capacity: usize) -> Result<EventPool> {
        let pool = EventPool {
            capacity,
            available: Mutex::new(Vec::with_capacity(capacity)),
        };
        {
            let mut available = pool.lock();
            for _ in 0..capacity {
                // On failure `pool` drops and closes what was created.
                available.push(Primitive::create_native(false)?);
            }
        }
        Ok(pool)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Primitive>> {
        // A panic while holding the lock leaves the list consistent.
        self.available.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn available_count(&self) -> usize {
        self.lock().len()
    }

    /// Hands out `count` unsignaled events, from the pool first and newly
    /// created after that. The caller owns them until [`EventPool::release`].
    pub fn acquire(&self, count: usize) -> Result<Vec<Primitive>> {
        let mut events = {
            let mut available = self.lock();
            let take = available.len().min(count);
            let start = available.len() - take;
            available.split_off(start)
        };
        while events.len() < count {
            match Primitive::create_native(false) {
                Ok(event) => events.push(event),
                Err(err) => {
                    self.release(&events);
                    return Err(err);
                }
            }
        }
        Ok(events)
    }

    /// Takes events back: reset ones fill the pool up to its capacity and the
    /// rest are closed.
    pub fn release(&self, events: &[Primitive]) {
        let rest = {
            let mut available = self.lock();
            let room = self
                .capacity
                .saturating_sub(available.len())
                .min(events.len());
            let (keep, close) = events.split_at(room);
            for event in keep {
                // An event that cannot be reset is not worth keeping.
                if event.clear().is_ok() {
                    available.push(*event);
                } else {
                    event.close();
                }
            }
            close
        };
        for event in rest {
            event.close();
        }
    }
}

impl Drop for EventPool {
    fn drop(&mut self) {
        for event in self.lock().drain(..) {
            event.close();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::time::TIME_INFINITE_PAST;

    #[test]
    fn acquire_release_recycles() {
        let pool = EventPool::new(2).unwrap();
        assert_eq!(pool.available_count(), 2);
        let events = pool.acquire(3).unwrap();
        assert_eq!(events.len(), 3);
        assert_eq!(pool.available_count(), 0);
        for e in &events {
            assert!(e.wait(TIME_INFINITE_PAST).is_err());
            e.signal().unwrap();
        }
        pool.release(&events);
        assert_eq!(pool.available_count(), 2);
        // Recycled events come back reset.
        for e in pool.acquire(2).unwrap() {
            assert!(e.wait(TIME_INFINITE_PAST).is_err());
            pool.release(&[e]);
        }
        assert!(pool.acquire(0).unwrap().is_empty());
    }
}
