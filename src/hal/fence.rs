//! Fences (IREE 3.x `iree/hal/fence.h`): a set of semaphore timepoints,
//! each semaphore at most once with the largest value asked of it. Queue
//! operations wait on one fence and signal another; programs join fences
//! and await them.
//!
//! A fence is `Send + Sync` and shared as `Arc<Fence>`; it keeps its
//! semaphores alive. Inserting while another thread signals or waits is
//! safe (each operation works on a snapshot of the timepoints) but, as
//! upstream says, a fence should not change once handed to a queue.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use crate::abi::hal_resource::ResourceHeader;
use crate::base::status::{Error, StatusCode};
use crate::base::time::Timeout;
use crate::hal::semaphore::{self, Semaphore, TimepointCallback, WaitMode};
use crate::{iree_bail, iree_ensure, Result};

/// The largest capacity a fence may have (upstream stores it in 16 bits
/// and rejects `UINT16_MAX` itself).
pub const MAX_FENCE_CAPACITY: usize = u16::MAX as usize - 1;

/// A set of (semaphore, value) timepoints. It starts with the resource
/// header C's handles count references in.
#[repr(C)]
#[derive(Debug)]
pub struct Fence {
    header: ResourceHeader,
    capacity: usize,
    timepoints: Mutex<Vec<(Arc<Semaphore>, u64)>>,
}
crate::hal_resource!(Fence);

impl Fence {
    /// An empty fence with room for `capacity` distinct semaphores
    /// (`RESOURCE_EXHAUSTED` past [`MAX_FENCE_CAPACITY`]).
    pub fn new(capacity: usize) -> Result<Fence> {
        iree_ensure!(
            capacity <= MAX_FENCE_CAPACITY,
            ResourceExhausted,
            "capacity {} is too large for fence storage (at most {})",
            capacity,
            MAX_FENCE_CAPACITY
        );
        Ok(Fence {
            header: ResourceHeader::new::<Fence>(),
            capacity,
            timepoints: Mutex::new(Vec::with_capacity(capacity.min(16))),
        })
    }

    /// A fence holding the single timepoint `semaphore` at `value`.
    pub fn at(semaphore: &Arc<Semaphore>, value: u64) -> Result<Fence> {
        let fence = Fence::new(1)?;
        fence.insert(semaphore, value)?;
        Ok(fence)
    }

    /// A fence waiting for every timepoint of every fence in `fences`
    /// (a wait-all join); semaphores in several keep their largest value.
    pub fn join(fences: &[&Fence]) -> Result<Fence> {
        let snapshots: Vec<_> = fences.iter().map(|fence| fence.timepoints()).collect();
        let total: usize = snapshots.iter().map(Vec::len).sum();
        let joined = Fence::new(total)?;
        for (semaphore, value) in snapshots.iter().flatten() {
            joined.insert(semaphore, *value)?;
        }
        Ok(joined)
    }

    /// How many distinct semaphores the fence can hold.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// How many distinct semaphores the fence holds.
    pub fn timepoint_count(&self) -> usize {
        self.lock().len()
    }

    /// A copy of the timepoints, in insertion order.
    pub fn timepoints(&self) -> Vec<(Arc<Semaphore>, u64)> {
        self.lock().clone()
    }

    /// Adds `semaphore` at `value`; a semaphore already present keeps the
    /// larger of its two values. `RESOURCE_EXHAUSTED` when a new semaphore
    /// does not fit.
    pub fn insert(&self, semaphore: &Arc<Semaphore>, value: u64) -> Result<()> {
        let mut timepoints = self.lock();
        if let Some((_, existing)) = timepoints
            .iter_mut()
            .find(|(present, _)| Arc::ptr_eq(present, semaphore))
        {
            *existing = (*existing).max(value);
            return Ok(());
        }
        if timepoints.len() >= self.capacity {
            iree_bail!(
                ResourceExhausted,
                "fence unique semaphore capacity {} reached",
                self.capacity
            );
        }
        timepoints.push((semaphore.clone(), value));
        Ok(())
    }

    /// Inserts every timepoint of `from` (which may be this fence).
    pub fn extend(&self, from: &Fence) -> Result<()> {
        for (semaphore, value) in from.timepoints() {
            self.insert(&semaphore, value)?;
        }
        Ok(())
    }

    /// Whether every timepoint has been reached; the failure of a failed
    /// semaphore (checked first, whatever the others' state).
    pub fn is_reached(&self) -> Result<bool> {
        // Under the fence's lock: a semaphore never takes a fence's lock,
        // so the order fence -> semaphore cannot deadlock.
        let timepoints = self.lock();
        let mut reached = true;
        for (semaphore, value) in timepoints.iter() {
            reached &= semaphore.query()? >= *value;
        }
        Ok(reached)
    }

    /// [`Fence::is_reached`] in upstream's status form: OK when reached,
    /// `DEFERRED` while pending, the failure of a failed semaphore.
    pub fn query(&self) -> Result<()> {
        if self.is_reached()? {
            Ok(())
        } else {
            Err(Error::from_code(StatusCode::Deferred))
        }
    }

    /// Signals every semaphore to its value, in insertion order, stopping at
    /// the first error.
    pub fn signal(&self) -> Result<()> {
        let timepoints = self.timepoints();
        semaphore::signal_semaphores(&as_refs(&timepoints))
    }

    /// Fails every semaphore of the fence with a copy of `error`.
    pub fn fail(&self, error: Error) {
        let timepoints = self.timepoints();
        semaphore::fail_semaphores(&as_refs(&timepoints), error);
    }

    /// Blocks until every timepoint is reached: OK for an empty fence,
    /// `DEADLINE_EXCEEDED` when `timeout` passes, `ABORTED` (naming the
    /// failure) when a semaphore has failed.
    pub fn wait(&self, timeout: Timeout) -> Result<()> {
        let timepoints = self.timepoints();
        semaphore::wait_semaphores(WaitMode::All, &as_refs(&timepoints), timeout)
    }

    /// Runs `callback` once every timepoint is reached, or with the failure
    /// as soon as a semaphore fails (see [`semaphore::when_all_reached`]).
    pub fn when_reached(&self, callback: TimepointCallback) {
        let timepoints = self.timepoints();
        semaphore::when_all_reached(&as_refs(&timepoints), callback);
    }

    fn lock(&self) -> MutexGuard<'_, Vec<(Arc<Semaphore>, u64)>> {
        self.timepoints
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }
}

/// Blocks until every fence in `fences` is reached (what the VM's
/// `hal.fence.await` does); the same statuses as [`Fence::wait`].
pub fn wait_all(fences: &[&Fence], timeout: Timeout) -> Result<()> {
    Fence::join(fences)?.wait(timeout)
}

fn as_refs(timepoints: &[(Arc<Semaphore>, u64)]) -> Vec<(&Semaphore, u64)> {
    timepoints
        .iter()
        .map(|(semaphore, value)| (&**semaphore, *value))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::thread;

    const LONG: Timeout = Timeout::Relative(30_000_000_000);

    fn sem(value: u64) -> Arc<Semaphore> {
        Arc::new(Semaphore::new(value))
    }

    #[test]
    fn insert_keeps_max_per_semaphore_and_respects_capacity() {
        let (a, b, c) = (sem(0), sem(0), sem(0));
        let fence = Fence::new(2).unwrap();
        fence.insert(&a, 5).unwrap();
        fence.insert(&a, 3).unwrap();
        fence.insert(&b, 1).unwrap();
        fence.insert(&a, 7).unwrap();
        assert_eq!(fence.timepoint_count(), 2);
        let tps = fence.timepoints();
        assert!(Arc::ptr_eq(&tps[0].0, &a) && tps[0].1 == 7);
        let err = fence.insert(&c, 1).unwrap_err();
        assert_eq!(err.code(), StatusCode::ResourceExhausted);
        assert_eq!(
            Fence::new(MAX_FENCE_CAPACITY + 1).unwrap_err().code(),
            StatusCode::ResourceExhausted
        );
    }

    #[test]
    fn query_signal_and_wait() {
        let (a, b) = (sem(0), sem(10));
        let fence = Fence::at(&a, 2).unwrap();
        let other = Fence::at(&b, 11).unwrap();
        assert_eq!(fence.query().unwrap_err().code(), StatusCode::Deferred);
        assert_eq!(
            fence.wait(Timeout::immediate()).unwrap_err().code(),
            StatusCode::DeadlineExceeded
        );
        fence.signal().unwrap();
        fence.query().unwrap();
        fence.wait(Timeout::immediate()).unwrap();
        assert_eq!(a.query().unwrap(), 2);
        // Signalling again does not move forward: OUT_OF_RANGE.
        assert_eq!(fence.signal().unwrap_err().code(), StatusCode::OutOfRange);
        let joined = Fence::join(&[&fence, &other]).unwrap();
        assert_eq!(joined.timepoint_count(), 2);
        assert!(!joined.is_reached().unwrap());
        other.signal().unwrap();
        assert!(joined.is_reached().unwrap());
        // Empty fences are reached and wait at once.
        let empty = Fence::join(&[]).unwrap();
        empty.query().unwrap();
        empty.wait(Timeout::immediate()).unwrap();
        empty.signal().unwrap();
    }

    #[test]
    fn extend_from_itself_is_harmless() {
        let a = sem(0);
        let fence = Fence::at(&a, 1).unwrap();
        fence.extend(&fence).unwrap();
        assert_eq!(fence.timepoint_count(), 1);
    }

    #[test]
    fn failure_propagates_to_query_and_waiters() {
        let (a, b) = (sem(0), sem(0));
        let fence = Fence::new(2).unwrap();
        fence.insert(&a, 1).unwrap();
        fence.insert(&b, 1).unwrap();
        let waiter = {
            let fence = Fence::join(&[&fence]).unwrap();
            thread::spawn(move || fence.wait(LONG))
        };
        fence.fail(crate::iree_err!(Internal, "kernel fault"));
        let err = fence.query().unwrap_err();
        assert_eq!(err.code(), StatusCode::Internal);
        assert!(a.is_failed() && b.is_failed());
        let err = waiter.join().unwrap().unwrap_err();
        assert_eq!(err.code(), StatusCode::Aborted);
        assert!(err.to_string().contains("kernel fault"), "{err}");
    }

    #[test]
    fn joined_fence_waits_across_semaphores_and_threads() {
        let sems: Vec<_> = (0..4).map(|_| sem(0)).collect();
        let fences: Vec<_> = sems.iter().map(|s| Fence::at(s, 3).unwrap()).collect();
        let refs: Vec<&Fence> = fences.iter().collect();
        let joined = Arc::new(Fence::join(&refs).unwrap());
        let t = {
            let joined = joined.clone();
            thread::spawn(move || joined.wait(LONG))
        };
        for s in &sems {
            s.signal(3).unwrap();
        }
        t.join().unwrap().unwrap();
    }

    #[test]
    fn wait_all_over_several_fences() {
        let (a, b) = (sem(0), sem(0));
        let fa = Fence::at(&a, 1).unwrap();
        let fb = Fence::at(&b, 1).unwrap();
        a.signal(1).unwrap();
        assert_eq!(
            wait_all(&[&fa, &fb], Timeout::immediate())
                .unwrap_err()
                .code(),
            StatusCode::DeadlineExceeded
        );
        let t = {
            let b = b.clone();
            thread::spawn(move || b.signal(1))
        };
        wait_all(&[&fa, &fb], LONG).unwrap();
        t.join().unwrap().unwrap();
        wait_all(&[], Timeout::immediate()).unwrap();
    }

    #[test]
    fn when_reached_runs_after_the_last_timepoint() {
        let (a, b) = (sem(0), sem(0));
        let fence = Fence::new(2).unwrap();
        fence.insert(&a, 1).unwrap();
        fence.insert(&b, 2).unwrap();
        let done = Arc::new(Mutex::new(None));
        let d = done.clone();
        fence.when_reached(Box::new(move |r| *d.lock().unwrap() = Some(r.is_ok())));
        a.signal(1).unwrap();
        assert_eq!(*done.lock().unwrap(), None);
        b.signal(2).unwrap();
        assert_eq!(*done.lock().unwrap(), Some(true));
    }
}
