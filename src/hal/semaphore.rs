//! Timeline semaphores: a monotonically increasing 64-bit payload that
//! host threads (and, later, device queues) signal and wait on.
//!
//! # Threads and lifetimes
//! A [`Semaphore`] is `Send + Sync`; every method takes `&self` and may be
//! called from any thread at any time, concurrently with any other. Share
//! it as `Arc<Semaphore>` (fences, queues and the C layer hold it that
//! way); it lives until the last reference goes. Each semaphore guards its
//! state with its own short-lived lock; nothing blocks while holding it.
//!
//! [`Semaphore::signal`] and [`Semaphore::fail`] run the timepoint callbacks
//! they satisfy on the calling thread, after the lock is released and in
//! value order, so a callback may call back into the same semaphore (query,
//! signal, register more timepoints) without deadlocking. A callback runs
//! exactly once: when the payload reaches its value (`Ok`), when the
//! semaphore fails (`Err` with the failure), or when the semaphore is
//! dropped first (`Err` with `ABORTED`). Callbacks should be short: they
//! delay the signaller. A callback that holds an `Arc` to the semaphore it is
//! registered on keeps that semaphore alive until it fires.
//!
//! Blocking waits ([`Semaphore::wait`], [`wait_semaphores`]) register a
//! timepoint that wakes the waiting thread, so a wait never polls and a
//! signal between the check and the sleep is never lost; on timeout the
//! waiter removes its timepoints again. Statuses follow the seeds'
//! local-sync device: `DEADLINE_EXCEEDED` when the timeout passes,
//! `ABORTED` (naming the failure) when a waited-on semaphore has failed,
//! `OUT_OF_RANGE` for a signal that does not move the payload forward, and
//! the failure itself from `query` and `signal` once failed.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use crate::abi::hal_resource::ResourceHeader;
use crate::base::status::{Error, StatusCode};
use crate::base::time::{self, Timeout, TIME_INFINITE_FUTURE};
use crate::{iree_bail, iree_err, Result};

/// The payload a failed semaphore reports (`UINT64_MAX`, as in the seeds'
/// local-sync device). No signal may reach it.
pub const FAILURE_VALUE: u64 = u64::MAX;

/// What a timepoint callback is told: `Ok` once the payload reached the
/// value, the failure if the semaphore failed first.
pub type TimepointCallback = Box<dyn FnOnce(Result<()>) + Send + 'static>;

/// Names a registered timepoint so that it can be cancelled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimepointKey {
    value: u64,
    // Process-wide unique, so a key given to the wrong semaphore matches
    // nothing there.
    id: u64,
}

impl TimepointKey {
    /// The payload value the timepoint waits for.
    pub fn value(&self) -> u64 {
        self.value
    }
}

static NEXT_TIMEPOINT_ID: AtomicU64 = AtomicU64::new(1);

/// Whether a multi-wait needs every timepoint or just one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitMode {
    All,
    Any,
}

struct State {
    value: u64,
    failure: Option<Error>,
    timepoints: BTreeMap<TimepointKey, TimepointCallback>,
}

/// A timeline semaphore (see the module documentation). It starts with
/// the resource header C's handles count references in.
#[repr(C)]
pub struct Semaphore {
    header: ResourceHeader,
    state: Mutex<State>,
}
crate::hal_resource!(Semaphore);

impl std::fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let state = lock(&self.state);
        f.debug_struct("Semaphore")
            .field("value", &state.value)
            .field("failure", &state.failure)
            .field("timepoints", &state.timepoints.len())
            .finish()
    }
}

impl Semaphore {
    /// A semaphore whose payload starts at `initial_value`.
    pub fn new(initial_value: u64) -> Semaphore {
        Semaphore {
            header: ResourceHeader::new::<Semaphore>(),
            state: Mutex::new(State {
                value: initial_value,
                failure: None,
                timepoints: BTreeMap::new(),
            }),
        }
    }

    /// The current payload, or the failure once the semaphore has failed
    /// (the same failure however late it is asked).
    pub fn query(&self) -> Result<u64> {
        let state = lock(&self.state);
        match &state.failure {
            Some(failure) => Err(failure.clone()),
            None => Ok(state.value),
        }
    }

    /// Moves the payload forward to `new_value` and runs the timepoints it
    /// satisfies. `OUT_OF_RANGE` unless `new_value` is above the current
    /// payload (and below [`FAILURE_VALUE`]); the failure once failed.
    pub fn signal(&self, new_value: u64) -> Result<()> {
        let ready = {
            let mut state = lock(&self.state);
            if let Some(failure) = &state.failure {
                return Err(failure.clone());
            }
            if new_value <= state.value {
                iree_bail!(
                    OutOfRange,
                    "semaphore values must be monotonically increasing; current_value={}, new_value={}",
                    state.value,
                    new_value
                );
            }
            if new_value == FAILURE_VALUE {
                iree_bail!(
                    OutOfRange,
                    "semaphore value {} is reserved to mark failure",
                    new_value
                );
            }
            state.value = new_value;
            take_reached(&mut state.timepoints, new_value)
        };
        run_callbacks(ready.into_iter().map(|callback| (callback, Ok(()))));
        Ok(())
    }

    /// Puts the semaphore into its permanent failed state. Only the first
    /// failure is kept; later ones are dropped. Every pending timepoint runs
    /// with (a copy of) the failure.
    pub fn fail(&self, error: Error) {
        let pending = {
            let mut state = lock(&self.state);
            if state.failure.is_some() {
                return;
            }
            state.value = FAILURE_VALUE;
            state.failure = Some(error.clone());
            std::mem::take(&mut state.timepoints)
        };
        run_callbacks(
            pending
                .into_values()
                .map(|callback| (callback, Err(error.clone()))),
        );
    }

    /// Whether the semaphore has failed.
    pub fn is_failed(&self) -> bool {
        lock(&self.state).failure.is_some()
    }

    /// Blocks until the payload reaches `value`. `DEADLINE_EXCEEDED` once
    /// `timeout` passes (at once for an immediate timeout, which only
    /// polls); `ABORTED` if the semaphore has failed or fails meanwhile.
    pub fn wait(&self, value: u64, timeout: Timeout) -> Result<()> {
        wait_semaphores(WaitMode::All, &[(self, value)], timeout)
    }

    /// Runs `callback` once the payload reaches `value` or the semaphore
    /// fails. If either has already happened it runs now, on this thread,
    /// and `None` is returned; otherwise the key that
    /// [`Semaphore::cancel_timepoint`] takes.
    pub fn register_timepoint(
        &self,
        value: u64,
        callback: TimepointCallback,
    ) -> Option<TimepointKey> {
        let immediate = {
            let mut state = lock(&self.state);
            match &state.failure {
                Some(failure) => Err(failure.clone()),
                None if state.value >= value => Ok(()),
                None => {
                    let key = TimepointKey {
                        value,
                        id: NEXT_TIMEPOINT_ID.fetch_add(1, Ordering::Relaxed),
                    };
                    state.timepoints.insert(key, callback);
                    return Some(key);
                }
            }
        };
        callback(immediate);
        None
    }

    /// Removes a pending timepoint without running it. False when it is no
    /// longer pending (it has run or is running, or is not one of ours).
    pub fn cancel_timepoint(&self, key: TimepointKey) -> bool {
        lock(&self.state).timepoints.remove(&key).is_some()
    }

    /// The number of timepoints waiting on this semaphore.
    pub fn pending_timepoint_count(&self) -> usize {
        lock(&self.state).timepoints.len()
    }

    /// Where the wait for `value` stands, for the multi-wait: `Some(Ok)`
    /// reached, `Some(Err)` failed, `None` pending.
    fn poll(&self, value: u64) -> Option<Result<()>> {
        let state = lock(&self.state);
        match &state.failure {
            Some(failure) => Some(Err(failure.clone())),
            None if state.value >= value => Some(Ok(())),
            None => None,
        }
    }
}

impl Drop for Semaphore {
    fn drop(&mut self) {
        let state = self.state.get_mut().unwrap_or_else(PoisonError::into_inner);
        let pending = std::mem::take(&mut state.timepoints);
        let current = state.value;
        run_callbacks(pending.into_iter().map(|(key, callback)| {
            let error = iree_err!(
                Aborted,
                "semaphore destroyed at value {} before reaching timepoint {}",
                current,
                key.value
            );
            (callback, Err(error))
        }));
    }
}

/// Signals each semaphore to its value, in order, stopping at the first
/// error (as upstream's `iree_hal_semaphore_list_signal` does).
pub fn signal_semaphores(timepoints: &[(&Semaphore, u64)]) -> Result<()> {
    timepoints
        .iter()
        .try_for_each(|(semaphore, value)| semaphore.signal(*value))
}

/// Fails every semaphore in the list with a copy of `error`.
pub fn fail_semaphores(timepoints: &[(&Semaphore, u64)], error: Error) {
    for (semaphore, _) in timepoints {
        semaphore.fail(error.clone());
    }
}

/// What [`when_all_reached`] would report at once, without registering
/// anything: `Some(Err)` with the first failure met, `Some(Ok)` when every
/// timepoint is reached, `None` while one is pending. Queues use it to run
/// work that needs no wait on the caller's thread without allocating.
pub fn already_decided(timepoints: &[(Arc<Semaphore>, u64)]) -> Option<Result<()>> {
    let mut all_reached = true;
    for (semaphore, value) in timepoints {
        match semaphore.poll(*value) {
            Some(Err(failure)) => return Some(Err(failure)),
            Some(Ok(())) => {}
            None => all_reached = false,
        }
    }
    all_reached.then_some(Ok(()))
}

/// Runs `callback` once, when every (semaphore, value) timepoint has been
/// reached (`Ok`) or as soon as one of the semaphores fails (its failure);
/// at once, on this thread, for an empty list or when that is already
/// decided. This is how queued work waits for its wait list without a
/// thread; it cannot be cancelled, and each registration lives until its
/// semaphore reaches the value, fails or is dropped.
pub fn when_all_reached(timepoints: &[(&Semaphore, u64)], callback: TimepointCallback) {
    if timepoints.is_empty() {
        callback(Ok(()));
        return;
    }
    struct Join {
        remaining: usize,
        callback: Option<TimepointCallback>,
    }
    let join = Arc::new(Mutex::new(Join {
        remaining: timepoints.len(),
        callback: Some(callback),
    }));
    for (semaphore, value) in timepoints {
        let entry = join.clone();
        semaphore.register_timepoint(
            *value,
            Box::new(move |result| {
                let ready = {
                    let mut join = lock(&entry);
                    join.remaining -= 1;
                    if result.is_err() || join.remaining == 0 {
                        join.callback.take()
                    } else {
                        None
                    }
                };
                if let Some(callback) = ready {
                    callback(result);
                }
            }),
        );
        if lock(&join).callback.is_none() {
            // Decided already (a failure); the rest need not register.
            break;
        }
    }
}

/// Blocks until all (`WaitMode::All`) or one (`WaitMode::Any`) of the
/// (semaphore, value) timepoints are reached. An empty list is satisfied at
/// once in both modes. A failed semaphore ends the wait with `ABORTED`
/// (failure takes priority over success, as in the seeds' local-sync
/// device); `DEADLINE_EXCEEDED` when `timeout` passes first.
pub fn wait_semaphores(
    mode: WaitMode,
    timepoints: &[(&Semaphore, u64)],
    timeout: Timeout,
) -> Result<()> {
    if timepoints.is_empty() {
        return Ok(());
    }
    // Fix the deadline once so repeated sleeps do not stretch the timeout.
    let deadline_ns = timeout.as_deadline_ns();

    // Fast path and poll: decide from the current state without registering.
    // Every semaphore is looked at so that a failure wins in both modes.
    let mut pending = 0;
    for (semaphore, value) in timepoints {
        match semaphore.poll(*value) {
            Some(Err(failure)) => return Err(aborted_by(&failure)),
            Some(Ok(())) => {}
            None => pending += 1,
        }
    }
    if pending == 0 || (mode == WaitMode::Any && pending < timepoints.len()) {
        return Ok(());
    }
    let expired = deadline_ns != TIME_INFINITE_FUTURE && deadline_ns <= time::now();
    if timeout.is_immediate() || expired {
        return Err(Error::from_code(StatusCode::DeadlineExceeded));
    }

    let waiter = Arc::new(Waiter::default());
    let needed = match mode {
        WaitMode::All => timepoints.len(),
        WaitMode::Any => 1,
    };
    // Register with every semaphore (also those already reached: their
    // callbacks run at once and count). Registration checks the payload
    // under the semaphore's lock, so a signal racing with it either is seen
    // here or runs the callback: no wake-up is lost.
    let mut keys = Vec::with_capacity(timepoints.len());
    for (semaphore, value) in timepoints {
        let notify = waiter.clone();
        let key = semaphore.register_timepoint(
            *value,
            Box::new(move |result| notify.timepoint_done(result)),
        );
        keys.push(key);
        if waiter.finished(needed) {
            break;
        }
    }

    let outcome = waiter.block_until(needed, deadline_ns);

    // Take back what has not fired so idle waits leave nothing behind.
    for ((semaphore, _), key) in timepoints.iter().zip(&keys) {
        if let Some(key) = key {
            semaphore.cancel_timepoint(*key);
        }
    }
    outcome
}

/// The error a waiter sees when a semaphore it waits on has failed.
fn aborted_by(failure: &Error) -> Error {
    iree_err!(Aborted, "semaphore failed: {}", failure)
}

/// Shared between a blocked thread and the timepoints it registered.
#[derive(Default)]
struct Waiter {
    progress: Mutex<Progress>,
    wake: Condvar,
}

#[derive(Default)]
struct Progress {
    reached: usize,
    failure: Option<Error>,
}

impl Waiter {
    fn timepoint_done(&self, result: Result<()>) {
        let mut progress = lock(&self.progress);
        match result {
            Ok(()) => progress.reached += 1,
            Err(failure) => {
                progress.failure.get_or_insert(failure);
            }
        }
        // One thread waits on this waiter; waking it under the lock keeps
        // the waiter alive and the state consistent for it.
        self.wake.notify_all();
    }

    fn finished(&self, needed: usize) -> bool {
        let progress = lock(&self.progress);
        progress.failure.is_some() || progress.reached >= needed
    }

    fn block_until(&self, needed: usize, deadline_ns: i64) -> Result<()> {
        let mut progress = lock(&self.progress);
        loop {
            if let Some(failure) = &progress.failure {
                return Err(aborted_by(failure));
            }
            if progress.reached >= needed {
                return Ok(());
            }
            if deadline_ns == TIME_INFINITE_FUTURE {
                progress = self
                    .wake
                    .wait(progress)
                    .unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            let left = deadline_ns.saturating_sub(time::now());
            if left <= 0 {
                return Err(Error::from_code(StatusCode::DeadlineExceeded));
            }
            progress = self
                .wake
                .wait_timeout(progress, std::time::Duration::from_nanos(left as u64))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }
}

/// Removes and returns the callbacks of every timepoint at or below `value`,
/// lowest value first.
fn take_reached(
    timepoints: &mut BTreeMap<TimepointKey, TimepointCallback>,
    value: u64,
) -> Vec<TimepointCallback> {
    if timepoints
        .first_key_value()
        .is_none_or(|(key, _)| key.value > value)
    {
        return Vec::new();
    }
    let later = match value.checked_add(1) {
        Some(next) => timepoints.split_off(&TimepointKey { value: next, id: 0 }),
        None => BTreeMap::new(),
    };
    std::mem::replace(timepoints, later).into_values().collect()
}

/// Runs callbacks outside any lock. A panicking callback does not stop the
/// others (their waiters would otherwise sleep to their deadline); the first
/// panic resumes once all have run.
fn run_callbacks(callbacks: impl Iterator<Item = (TimepointCallback, Result<()>)>) {
    let mut first_panic = None;
    for (callback, result) in callbacks {
        if let Err(payload) = panic::catch_unwind(AssertUnwindSafe(|| callback(result))) {
            first_panic.get_or_insert(payload);
        }
    }
    if let Some(payload) = first_panic {
        panic::resume_unwind(payload);
    }
}

/// Locks ignoring poison: every critical section here leaves the state
/// consistent, and callbacks never run under these locks.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::thread;

    const LONG: Timeout = Timeout::Relative(30_000_000_000);

    fn code(result: Result<()>) -> StatusCode {
        match result {
            Ok(()) => StatusCode::Ok,
            Err(e) => e.code(),
        }
    }

    #[test]
    fn query_reports_initial_and_signalled_values() {
        let s = Semaphore::new(123);
        assert_eq!(s.query().unwrap(), 123);
        s.signal(124).unwrap();
        s.signal(4000).unwrap();
        assert_eq!(s.query().unwrap(), 4000);
    }

    #[test]
    fn signal_must_increase() {
        let s = Semaphore::new(5);
        assert_eq!(code(s.signal(5)), StatusCode::OutOfRange);
        assert_eq!(code(s.signal(4)), StatusCode::OutOfRange);
        assert_eq!(code(s.signal(FAILURE_VALUE)), StatusCode::OutOfRange);
        assert_eq!(s.query().unwrap(), 5);
        s.signal(6).unwrap();
    }

    #[test]
    fn failure_is_sticky_and_first_wins() {
        let s = Semaphore::new(2);
        s.signal(3).unwrap();
        s.fail(Error::new(StatusCode::Unknown, "device lost"));
        s.fail(Error::new(StatusCode::Internal, "second"));
        let err = s.query().unwrap_err();
        assert_eq!(err.code(), StatusCode::Unknown);
        assert_eq!(err.message(), "device lost");
        assert_eq!(s.signal(10).unwrap_err().code(), StatusCode::Unknown);
        assert!(s.is_failed());
        let err = s.wait(1, Timeout::immediate()).unwrap_err();
        assert_eq!(err.code(), StatusCode::Aborted);
        assert!(err.to_string().contains("device lost"), "{err}");
    }

    #[test]
    fn wait_polls_and_times_out() {
        let s = Semaphore::new(2);
        s.wait(1, Timeout::immediate()).unwrap();
        s.wait(2, Timeout::immediate()).unwrap();
        s.wait(2, Timeout::infinite()).unwrap();
        assert_eq!(
            code(s.wait(3, Timeout::immediate())),
            StatusCode::DeadlineExceeded
        );
        assert_eq!(
            code(s.wait(3, Timeout::Relative(5_000_000))),
            StatusCode::DeadlineExceeded
        );
        assert_eq!(
            code(s.wait(3, Timeout::Absolute(time::now() - 1))),
            StatusCode::DeadlineExceeded
        );
        // The timed-out wait took its timepoint back.
        assert_eq!(s.pending_timepoint_count(), 0);
    }

    #[test]
    fn ping_pong_between_threads() {
        let a2b = Arc::new(Semaphore::new(0));
        let b2a = Arc::new(Semaphore::new(0));
        let t = {
            let (a2b, b2a) = (a2b.clone(), b2a.clone());
            thread::spawn(move || {
                a2b.wait(0, LONG).unwrap();
                b2a.signal(1).unwrap();
                a2b.wait(4, LONG).unwrap();
            })
        };
        b2a.wait(1, LONG).unwrap();
        a2b.signal(4).unwrap();
        t.join().unwrap();
    }

    #[test]
    fn waiter_wakes_with_failure() {
        let s = Arc::new(Semaphore::new(0));
        let t = {
            let s = s.clone();
            thread::spawn(move || s.wait(10, LONG))
        };
        // Wait until the waiter has registered, then fail.
        while s.pending_timepoint_count() == 0 {
            thread::yield_now();
        }
        s.fail(Error::new(StatusCode::DataLoss, "boom"));
        let err = t.join().unwrap().unwrap_err();
        assert_eq!(err.code(), StatusCode::Aborted);
        assert!(err.to_string().contains("DATA_LOSS"), "{err}");
    }

    #[test]
    fn multi_wait_all_and_any() {
        let a = Semaphore::new(0);
        let b = Semaphore::new(1);
        let list = [(&a, 1), (&b, 1)];
        wait_semaphores(WaitMode::All, &[], Timeout::infinite()).unwrap();
        wait_semaphores(WaitMode::Any, &[], Timeout::infinite()).unwrap();
        assert_eq!(
            code(wait_semaphores(WaitMode::All, &list, Timeout::immediate())),
            StatusCode::DeadlineExceeded
        );
        wait_semaphores(WaitMode::Any, &list, Timeout::infinite()).unwrap();
        a.signal(1).unwrap();
        wait_semaphores(WaitMode::All, &list, Timeout::immediate()).unwrap();
        // Failure wins over success in both modes.
        b.fail(Error::from_code(StatusCode::Cancelled));
        assert_eq!(
            code(wait_semaphores(WaitMode::Any, &list, LONG)),
            StatusCode::Aborted
        );
        assert_eq!(
            code(wait_semaphores(WaitMode::All, &list, LONG)),
            StatusCode::Aborted
        );
    }

    #[test]
    fn multi_wait_blocks_until_signalled_elsewhere() {
        let sems: Vec<_> = (0..3).map(|_| Arc::new(Semaphore::new(0))).collect();
        let t = {
            let sems = sems.clone();
            thread::spawn(move || {
                let list: Vec<_> = sems.iter().map(|s| (&**s, 2)).collect();
                wait_semaphores(WaitMode::All, &list, LONG)
            })
        };
        for s in &sems {
            s.signal(1).unwrap();
            s.signal(2).unwrap();
        }
        t.join().unwrap().unwrap();
        let t = {
            let sems = sems.clone();
            thread::spawn(move || {
                let list: Vec<_> = sems.iter().map(|s| (&**s, 3)).collect();
                wait_semaphores(WaitMode::Any, &list, LONG)
            })
        };
        sems[1].signal(3).unwrap();
        t.join().unwrap().unwrap();
        // Whatever was left registered by the any-wait has been cancelled.
        for s in &sems {
            assert_eq!(s.pending_timepoint_count(), 0);
        }
    }

    #[test]
    fn timepoints_run_in_order_once_and_outside_the_lock() {
        let s = Arc::new(Semaphore::new(0));
        let log = Arc::new(Mutex::new(Vec::new()));
        for value in [3u64, 1, 2, 5] {
            let (log, inner) = (log.clone(), s.clone());
            let key = s.register_timepoint(
                value,
                Box::new(move |result| {
                    result.unwrap();
                    // Re-entering the semaphore from a callback must work.
                    let now = inner.query().unwrap();
                    log.lock().unwrap().push((value, now));
                }),
            );
            assert!(key.is_some());
        }
        s.signal(2).unwrap();
        assert_eq!(*log.lock().unwrap(), vec![(1, 2), (2, 2)]);
        s.signal(4).unwrap();
        assert_eq!(log.lock().unwrap().len(), 3);
        assert_eq!(s.pending_timepoint_count(), 1);
        // Already reached: runs at once.
        let ran = Arc::new(AtomicUsize::new(0));
        let r = ran.clone();
        let key = s.register_timepoint(
            4,
            Box::new(move |res| {
                res.unwrap();
                r.fetch_add(1, Ordering::SeqCst);
            }),
        );
        assert!(key.is_none());
        assert_eq!(ran.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn timepoints_see_failure_cancel_and_drop() {
        let s = Semaphore::new(0);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = |seen: &Arc<Mutex<Vec<StatusCode>>>| -> TimepointCallback {
            let seen = seen.clone();
            Box::new(move |res| seen.lock().unwrap().push(code(res)))
        };
        let cancelled = s.register_timepoint(7, record(&seen)).unwrap();
        s.register_timepoint(8, record(&seen)).unwrap();
        assert!(s.cancel_timepoint(cancelled));
        assert!(!s.cancel_timepoint(cancelled));
        s.fail(Error::from_code(StatusCode::Unavailable));
        assert_eq!(*seen.lock().unwrap(), vec![StatusCode::Unavailable]);
        // After failure new timepoints run at once with the failure.
        assert!(s.register_timepoint(1, record(&seen)).is_none());
        assert_eq!(seen.lock().unwrap().len(), 2);

        let d = Semaphore::new(0);
        d.register_timepoint(1, record(&seen)).unwrap();
        drop(d);
        assert_eq!(seen.lock().unwrap()[2], StatusCode::Aborted);
    }

    #[test]
    fn panicking_callback_does_not_starve_the_rest() {
        let s = Semaphore::new(0);
        let ran = Arc::new(AtomicUsize::new(0));
        s.register_timepoint(1, Box::new(|_| panic!("callback panic")))
            .unwrap();
        let r = ran.clone();
        s.register_timepoint(
            1,
            Box::new(move |_| {
                r.fetch_add(1, Ordering::SeqCst);
            }),
        )
        .unwrap();
        let result = panic::catch_unwind(AssertUnwindSafe(|| s.signal(1)));
        assert!(result.is_err());
        assert_eq!(ran.load(Ordering::SeqCst), 1);
        assert_eq!(s.query().unwrap(), 1);
    }

    #[test]
    fn when_all_reached_fires_once() {
        let a = Semaphore::new(0);
        let b = Semaphore::new(3);
        let seen = Arc::new(Mutex::new(Vec::new()));
        let record = |seen: &Arc<Mutex<Vec<StatusCode>>>| -> TimepointCallback {
            let seen = seen.clone();
            Box::new(move |res| seen.lock().unwrap().push(code(res)))
        };
        when_all_reached(&[], record(&seen));
        assert_eq!(*seen.lock().unwrap(), vec![StatusCode::Ok]);
        when_all_reached(&[(&a, 2), (&b, 3), (&a, 1)], record(&seen));
        a.signal(1).unwrap();
        assert_eq!(seen.lock().unwrap().len(), 1);
        a.signal(2).unwrap();
        assert_eq!(seen.lock().unwrap().len(), 2);
        // A failure decides at once, and only once.
        when_all_reached(&[(&a, 5), (&b, 5)], record(&seen));
        b.fail(Error::from_code(StatusCode::Internal));
        a.signal(5).unwrap();
        assert_eq!(
            *seen.lock().unwrap(),
            vec![StatusCode::Ok, StatusCode::Ok, StatusCode::Internal]
        );
    }

    #[test]
    fn signal_semaphores_stops_at_first_error() {
        let a = Semaphore::new(0);
        let b = Semaphore::new(5);
        let c = Semaphore::new(0);
        let err = signal_semaphores(&[(&a, 1), (&b, 2), (&c, 1)]).unwrap_err();
        assert_eq!(err.code(), StatusCode::OutOfRange);
        assert_eq!(a.query().unwrap(), 1);
        assert_eq!(c.query().unwrap(), 0);
        fail_semaphores(&[(&a, 0), (&c, 0)], Error::from_code(StatusCode::Aborted));
        assert!(a.is_failed() && c.is_failed() && !b.is_failed());
    }
}
