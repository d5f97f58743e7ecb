//! Stress: 8 threads signalling and waiting on shared semaphores and
//! fences for 10,000 rounds. Every wait has a generous deadline so that a
//! lost wake-up fails the test (DEADLINE_EXCEEDED) instead of hanging it,
//! and every value seen is checked against what the round allows.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

use iree_runtime::base::time::Timeout;
use iree_runtime::hal::fence::Fence;
use iree_runtime::hal::semaphore::{self, Semaphore, WaitMode};
use iree_runtime::{Error, StatusCode};

const THREADS: usize = 8;
const ROUNDS: u64 = 10_000;
/// Long enough for any scheduler on a loaded machine, short enough that a
/// lost wake-up ends the test.
const DEADLINE: Timeout = Timeout::Relative(60_000_000_000);

fn run_threads(body: impl Fn(usize) + Send + Sync + 'static) {
    let body = Arc::new(body);
    let handles: Vec<_> = (0..THREADS)
        .map(|i| {
            let body = body.clone();
            thread::Builder::new()
                .name(format!("stress-{i}"))
                .spawn(move || body(i))
                .unwrap()
        })
        .collect();
    for handle in handles {
        handle.join().expect("a stress thread failed");
    }
}

/// Every round each thread publishes a value, signals its own semaphore to
/// the round number and then waits for everybody else's: half the threads
/// through a fence joined from one fence per semaphore, half through a
/// direct all-wait. After the wait, every other thread's value and
/// semaphore must be from this round or (at most) the next.
#[test]
fn barrier_rounds_over_semaphores_and_fences() {
    let semaphores: Arc<Vec<Arc<Semaphore>>> =
        Arc::new((0..THREADS).map(|_| Arc::new(Semaphore::new(0))).collect());
    let published: Arc<Vec<AtomicU64>> =
        Arc::new((0..THREADS).map(|_| AtomicU64::new(0)).collect());
    let callbacks = Arc::new(AtomicUsize::new(0));

    let (sems, values, counted) = (semaphores.clone(), published.clone(), callbacks.clone());
    run_threads(move |me| {
        for round in 1..=ROUNDS {
            // Relaxed on purpose: the semaphore must order it.
            values[me].store(round * THREADS as u64 + me as u64, Ordering::Relaxed);
            if me == 0 {
                // A timepoint on the last thread's semaphore for this round;
                // it must run exactly once, whoever signals it.
                let counted = counted.clone();
                sems[THREADS - 1].register_timepoint(
                    round,
                    Box::new(move |result| {
                        result.expect("timepoint saw a failure");
                        counted.fetch_add(1, Ordering::Relaxed);
                    }),
                );
            }
            sems[me]
                .signal(round)
                .unwrap_or_else(|e| panic!("thread {me} round {round}: {e}"));

            let waited = if me % 2 == 0 {
                let fences: Vec<Fence> =
                    sems.iter().map(|s| Fence::at(s, round).unwrap()).collect();
                let refs: Vec<&Fence> = fences.iter().collect();
                Fence::join(&refs).unwrap().wait(DEADLINE)
            } else {
                let list: Vec<_> = sems.iter().map(|s| (&**s, round)).collect();
                semaphore::wait_semaphores(WaitMode::All, &list, DEADLINE)
            };
            waited.unwrap_or_else(|e| panic!("thread {me} round {round}: {e}"));

            for other in 0..THREADS {
                let value = sems[other].query().unwrap();
                assert!(
                    value == round || value == round + 1,
                    "thread {me} round {round}: semaphore {other} at {value}"
                );
                let seen = values[other].load(Ordering::Relaxed);
                let this_round = round * THREADS as u64 + other as u64;
                assert!(
                    seen == this_round || seen == this_round + THREADS as u64,
                    "thread {me} round {round}: thread {other} published {seen}"
                );
            }
        }
    });

    for s in semaphores.iter() {
        assert_eq!(s.query().unwrap(), ROUNDS);
        assert_eq!(s.pending_timepoint_count(), 0);
    }
    assert_eq!(callbacks.load(Ordering::Relaxed), ROUNDS as usize);
}

/// A token passed around a ring: thread i waits for its predecessor's
/// semaphore to reach the round, checks the counter the predecessor left,
/// bumps it and signals its own semaphore. Each hop wakes a sleeping
/// thread, so a lost wake-up stalls the ring at once. Odd threads wait with
/// an any-wait over their predecessor and a semaphore nobody signals.
#[test]
fn token_ring_checks_every_hand_off() {
    let ring: Arc<Vec<Semaphore>> = Arc::new((0..THREADS).map(|_| Semaphore::new(0)).collect());
    let never = Arc::new(Semaphore::new(0));
    let token = Arc::new(AtomicU64::new(0));

    let (sems, never_signalled, counter) = (ring.clone(), never.clone(), token.clone());
    run_threads(move |me| {
        let previous = (me + THREADS - 1) % THREADS;
        for round in 1..=ROUNDS {
            // Thread 0 starts each round once the last thread finished the
            // one before.
            let wait_for = if me == 0 { round - 1 } else { round };
            let waited = if me % 2 == 1 {
                let list = [(&sems[previous], wait_for), (&*never_signalled, 1)];
                semaphore::wait_semaphores(WaitMode::Any, &list, DEADLINE)
            } else {
                sems[previous].wait(wait_for, DEADLINE)
            };
            waited.unwrap_or_else(|e| panic!("thread {me} round {round}: {e}"));
            let expected = (round - 1) * THREADS as u64 + me as u64;
            let seen = counter.load(Ordering::Relaxed);
            assert_eq!(seen, expected, "thread {me} round {round}");
            counter.store(seen + 1, Ordering::Relaxed);
            sems[me].signal(round).unwrap();
        }
    });

    assert_eq!(token.load(Ordering::Relaxed), ROUNDS * THREADS as u64);
    // Every any-wait took back its timepoint on the never-signalled one.
    assert_eq!(never.pending_timepoint_count(), 0);
}

/// Waiters blocked on a semaphore all wake when it fails, with ABORTED,
/// and none is left registered; repeated so that failures race with
/// waiters arriving.
#[test]
fn failure_wakes_every_waiter() {
    const REPEATS: usize = 200;
    let start = Arc::new(Barrier::new(THREADS + 1));
    let done = Arc::new(Barrier::new(THREADS + 1));
    let current: Arc<std::sync::Mutex<Arc<Semaphore>>> =
        Arc::new(std::sync::Mutex::new(Arc::new(Semaphore::new(0))));

    let waiters: Vec<_> = (0..THREADS)
        .map(|me| {
            let (start, done, current) = (start.clone(), done.clone(), current.clone());
            thread::spawn(move || {
                for repeat in 0..REPEATS {
                    start.wait();
                    let semaphore = current.lock().unwrap().clone();
                    let err = semaphore
                        .wait(1, DEADLINE)
                        .expect_err("wait on a failed semaphore succeeded");
                    assert_eq!(
                        err.code(),
                        StatusCode::Aborted,
                        "waiter {me} repeat {repeat}: {err}"
                    );
                    done.wait();
                }
            })
        })
        .collect();

    for repeat in 0..REPEATS {
        let semaphore = Arc::new(Semaphore::new(0));
        *current.lock().unwrap() = semaphore.clone();
        start.wait();
        if repeat % 2 == 0 {
            thread::yield_now();
        }
        semaphore.fail(Error::new(StatusCode::Internal, "injected"));
        done.wait();
        assert_eq!(semaphore.pending_timepoint_count(), 0);
    }
    for waiter in waiters {
        waiter.join().unwrap();
    }
}
