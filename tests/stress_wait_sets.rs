//! Stress: 8 threads x 10,000 rounds of event set/reset/wait through wait
//! sets. Threads run in ping-pong pairs; a lost wakeup shows up as a wait
//! hitting its (generous) deadline, which fails the test instead of hanging.
//! Open fds are counted before and after to catch leaks.

use std::sync::Arc;
use std::thread;

use iree_runtime::base::internal::wait_handle::{Event, WaitSet};
use iree_runtime::base::time::now;

const THREADS: usize = 8;
const ROUNDS: usize = 10_000;
/// Far above any honest wake latency, far below a hang.
const WAIT_NS: i64 = 10_000_000_000;

fn open_fd_count() -> usize {
    std::fs::read_dir("/proc/self/fd")
        .map(|d| d.count())
        .unwrap_or(0)
}

/// One side of a ping-pong pair: waits for `inbox` (alongside a never-set
/// decoy) and answers on `outbox`. The first side serves first.
fn run_side(
    first: bool,
    inbox: Arc<Event>,
    outbox: Arc<Event>,
    decoy: Arc<Event>,
) -> Result<(), String> {
    let mut set = WaitSet::new(4).map_err(|e| e.to_string())?;
    set.insert(decoy.primitive()).map_err(|e| e.to_string())?;
    set.insert(inbox.primitive()).map_err(|e| e.to_string())?;
    for round in 0..ROUNDS {
        if first {
            outbox.set().map_err(|e| e.to_string())?;
        }
        // Alternate wait-any and wait-one so both paths get the load.
        if round % 2 == 0 {
            let wake = set
                .wait_any(now() + WAIT_NS)
                .map_err(|e| format!("round {round}: wait_any failed: {e}"))?
                .ok_or_else(|| format!("round {round}: empty wake"))?;
            if wake.primitive != inbox.primitive() {
                return Err(format!("round {round}: woke on the decoy"));
            }
        } else {
            inbox
                .wait(now() + WAIT_NS)
                .map_err(|e| format!("round {round}: wait_one failed: {e}"))?;
        }
        inbox.reset().map_err(|e| e.to_string())?;
        if !first {
            outbox.set().map_err(|e| e.to_string())?;
        }
    }
    // Every set must have been consumed: nothing may be left signaled
    // except possibly the final reply, which `first` consumed above.
    if set
        .wait_any(iree_runtime::base::time::TIME_INFINITE_PAST)
        .is_ok()
    {
        return Err("inbox still signaled after the last round".into());
    }
    Ok(())
}

#[test]
fn eight_threads_ten_thousand_rounds() {
    let fds_before = open_fd_count();
    {
        let decoy = Arc::new(Event::new(false).unwrap());
        let mut handles = Vec::new();
        for _ in 0..THREADS / 2 {
            let a_to_b = Arc::new(Event::new(false).unwrap());
            let b_to_a = Arc::new(Event::new(false).unwrap());
            let (inbox, outbox, d) = (b_to_a.clone(), a_to_b.clone(), decoy.clone());
            handles.push(thread::spawn(move || run_side(true, inbox, outbox, d)));
            let (inbox, outbox, d) = (a_to_b, b_to_a, decoy.clone());
            handles.push(thread::spawn(move || run_side(false, inbox, outbox, d)));
        }
        for h in handles {
            h.join()
                .expect("thread panicked")
                .expect("ping-pong failed");
        }

        // A wait-all over every thread's signal, set from many threads at once.
        let events: Vec<Arc<Event>> = (0..THREADS)
            .map(|_| Arc::new(Event::new(false).unwrap()))
            .collect();
        for _ in 0..200 {
            let mut set = WaitSet::new(THREADS + 1).unwrap();
            for e in &events {
                set.insert(e.primitive()).unwrap();
            }
            let setters: Vec<_> = events
                .iter()
                .cloned()
                .map(|e| thread::spawn(move || e.set().unwrap()))
                .collect();
            set.wait_all(now() + WAIT_NS)
                .expect("wait_all lost a wakeup");
            for s in setters {
                s.join().unwrap();
            }
            for e in &events {
                e.reset().unwrap();
            }
        }
    }
    assert_eq!(open_fd_count(), fds_before, "events leaked fds");
}
