//! The executor: a fixed set of worker threads running posted jobs in FIFO
//! order, plus one waiter thread that polls unresolved waits until they
//! finish. Workers park on a condition variable when the queue is empty.
//! Jobs post their follow-up work through the [`Poster`] they are handed, so
//! no job ever holds the executor itself (dropping the executor joins the
//! threads; a job must not be the one doing that).

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use super::topology::Group;
use crate::{Error, Result, StatusCode};

/// How often unresolved waits are polled again.
const WAIT_POLL_INTERVAL: Duration = Duration::from_micros(500);

/// What a running job sees of the worker running it.
pub struct WorkerContext {
    pub worker_index: usize,
    /// The worker's scratch memory (`worker_local_memory_size` bytes).
    pub local_memory: Vec<u8>,
    pub poster: Poster,
}

/// Work for any worker.
pub type Job = Box<dyn FnOnce(&mut WorkerContext) + Send>;

/// What one poll of a wait found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WaitPoll {
    /// Finished (the wait has dealt with its outcome itself).
    Done,
    /// Poll again later.
    Pending,
}

/// A wait the waiter thread polls until it reports [`WaitPoll::Done`].
pub type WaitJob = Box<dyn FnMut(&Poster) -> WaitPoll + Send>;

struct Queue {
    jobs: VecDeque<Job>,
    shutdown: bool,
}

struct Waits {
    list: Vec<WaitJob>,
    shutdown: bool,
}

struct Shared {
    queue: Mutex<Queue>,
    work_posted: Condvar,
    waits: Mutex<Waits>,
    wait_posted: Condvar,
    worker_count: usize,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Posts work to an executor; cheap to clone and safe to keep in jobs.
#[derive(Clone)]
pub struct Poster {
    shared: Arc<Shared>,
}

impl Poster {
    /// Queues `job` for the next free worker. After shutdown it is dropped
    /// unrun.
    pub fn post(&self, job: Job) {
        let mut queue = lock(&self.shared.queue);
        if queue.shutdown {
            return;
        }
        queue.jobs.push_back(job);
        drop(queue);
        self.shared.work_posted.notify_one();
    }

    /// Hands `wait` to the waiter thread.
    pub fn post_wait(&self, wait: WaitJob) {
        let mut waits = lock(&self.shared.waits);
        if waits.shutdown {
            return;
        }
        waits.list.push(wait);
        drop(waits);
        self.shared.wait_posted.notify_one();
    }

    pub fn worker_count(&self) -> usize {
        self.shared.worker_count
    }
}

/// How an executor is built.
pub struct ExecutorOptions {
    /// One worker thread per group (at least one worker is started even
    /// for an empty topology, so posted work always runs).
    pub groups: Vec<Group>,
    pub worker_local_memory_size: usize,
}

/// Worker threads and the waiter thread; dropping it stops and joins them
/// (jobs still queued are dropped unrun).
pub struct Executor {
    poster: Poster,
    threads: Vec<JoinHandle<()>>,
}

impl Executor {
    pub fn new(options: ExecutorOptions) -> Result<Executor> {
        let worker_count = options.groups.len().max(1);
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue {
                jobs: VecDeque::new(),
                shutdown: false,
            }),
            work_posted: Condvar::new(),
            waits: Mutex::new(Waits {
                list: Vec::new(),
                shutdown: false,
            }),
            wait_posted: Condvar::new(),
            worker_count,
        });
        let poster = Poster { shared };
        let mut executor = Executor {
            poster: poster.clone(),
            threads: Vec::with_capacity(worker_count + 1),
        };
        for worker_index in 0..worker_count {
            let name = options
                .groups
                .get(worker_index)
                .map_or_else(|| "iree-worker-0".to_owned(), |g| g.name.clone());
            let mut context = WorkerContext {
                worker_index,
                local_memory: vec![0; options.worker_local_memory_size],
                poster: poster.clone(),
            };
            executor.spawn(name, move || run_worker(&mut context))?;
        }
        let waiter = poster.clone();
        executor.spawn("iree-poller".to_owned(), move || run_waiter(&waiter))?;
        Ok(executor)
    }

    fn spawn(&mut self, name: String, body: impl FnOnce() + Send + 'static) -> Result<()> {
        let handle = std::thread::Builder::new()
            .name(name)
            .spawn(body)
            .map_err(|e| {
                Error::new(
                    StatusCode::ResourceExhausted,
                    format!("cannot start a task executor thread: {e}"),
                )
            })?;
        self.threads.push(handle);
        Ok(())
    }

    pub fn poster(&self) -> &Poster {
        &self.poster
    }

    pub fn worker_count(&self) -> usize {
        self.poster.worker_count()
    }
}

impl Drop for Executor {
    fn drop(&mut self) {
        let shared = &self.poster.shared;
        lock(&shared.queue).shutdown = true;
        lock(&shared.waits).shutdown = true;
        shared.work_posted.notify_all();
        shared.wait_posted.notify_all();
        let current = std::thread::current().id();
        for handle in self.threads.drain(..) {
            // A thread of ours dropping the executor cannot join itself; it
            // exits on its own once it sees the shutdown.
            if handle.thread().id() != current {
                let _ = handle.join();
            }
        }
    }
}

fn run_worker(context: &mut WorkerContext) {
    let shared = Arc::clone(&context.poster.shared);
    loop {
        let job = {
            let mut queue = lock(&shared.queue);
            loop {
                if queue.shutdown {
                    return;
                }
                if let Some(job) = queue.jobs.pop_front() {
                    break job;
                }
                queue = shared
                    .work_posted
                    .wait(queue)
                    .unwrap_or_else(PoisonError::into_inner);
            }
        };
        job(context);
    }
}

fn run_waiter(poster: &Poster) {
    let shared = &poster.shared;
    let mut pending: Vec<WaitJob> = Vec::new();
    loop {
        {
            let mut waits = lock(&shared.waits);
            if waits.shutdown {
                return;
            }
            if pending.is_empty() && waits.list.is_empty() {
                waits = shared
                    .wait_posted
                    .wait(waits)
                    .unwrap_or_else(PoisonError::into_inner);
            } else if waits.list.is_empty() {
                waits = shared
                    .wait_posted
                    .wait_timeout(waits, WAIT_POLL_INTERVAL)
                    .unwrap_or_else(PoisonError::into_inner)
                    .0;
            }
            if waits.shutdown {
                return;
            }
            pending.append(&mut waits.list);
        }
        // Polled without the lock: a wait may post more waits.
        pending.retain_mut(|wait| wait(poster) == WaitPoll::Pending);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hal::task::topology::from_group_count;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::mpsc;

    #[test]
    fn jobs_and_waits_run() {
        let executor = Executor::new(ExecutorOptions {
            groups: from_group_count(3),
            worker_local_memory_size: 16,
        })
        .unwrap();
        assert_eq!(executor.worker_count(), 3);
        let (tx, rx) = mpsc::channel();
        let count = Arc::new(AtomicUsize::new(0));
        for _ in 0..100 {
            let tx = tx.clone();
            let count = Arc::clone(&count);
            executor.poster().post(Box::new(move |ctx| {
                assert_eq!(ctx.local_memory.len(), 16);
                // Follow-up work posted from a job runs too.
                ctx.poster.post(Box::new(move |_| {
                    count.fetch_add(1, Ordering::SeqCst);
                    tx.send(()).unwrap();
                }));
            }));
        }
        for _ in 0..100 {
            rx.recv().unwrap();
        }
        assert_eq!(count.load(Ordering::SeqCst), 100);
        let polls = Arc::new(AtomicUsize::new(0));
        let seen = Arc::clone(&polls);
        let (tx, rx) = mpsc::channel();
        executor.poster().post_wait(Box::new(move |_| {
            if seen.fetch_add(1, Ordering::SeqCst) < 3 {
                return WaitPoll::Pending;
            }
            tx.send(()).unwrap();
            WaitPoll::Done
        }));
        rx.recv().unwrap();
        assert_eq!(polls.load(Ordering::SeqCst), 4);
    }
}
