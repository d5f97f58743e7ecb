//! The device's queue thread. Work submitted before its waits are reached
//! runs here once they are, so the thread that signals a semaphore (often
//! the host, inside `iree_hal_semaphore_signal`) only hands the work over
//! instead of running the device's dispatches itself.

use std::collections::VecDeque;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;

use crate::base::status::{Error, StatusCode};
use crate::Result;

/// One piece of queued work: it runs the operation and settles its signals.
pub(super) type QueueJob = Box<dyn FnOnce() + Send>;

#[derive(Default)]
struct Jobs {
    ready: VecDeque<QueueJob>,
    closed: bool,
}

/// What the queue thread and the threads that post to it share.
#[derive(Default)]
pub(super) struct QueueShared {
    jobs: Mutex<Jobs>,
    posted: Condvar,
}

impl QueueShared {
    fn jobs(&self) -> MutexGuard<'_, Jobs> {
        self.jobs.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Runs `job` on the queue thread, after the jobs posted before it; on
    /// this thread when the device is gone (its waits were reached after
    /// the device was released).
    pub(super) fn post(&self, job: QueueJob) {
        let mut jobs = self.jobs();
        if jobs.closed {
            drop(jobs);
            job();
            return;
        }
        jobs.ready.push_back(job);
        drop(jobs);
        self.posted.notify_one();
    }

    /// The queue thread's loop: runs jobs in order until the device closes
    /// the queue and nothing is left.
    fn serve(&self) {
        loop {
            let job = {
                let mut jobs = self.jobs();
                loop {
                    if let Some(job) = jobs.ready.pop_front() {
                        break job;
                    }
                    if jobs.closed {
                        return;
                    }
                    jobs = self
                        .posted
                        .wait(jobs)
                        .unwrap_or_else(PoisonError::into_inner);
                }
            };
            // A panic is a bug in this library; keep serving the other
            // submissions rather than leave every later waiter hanging.
            let _ = catch_unwind(AssertUnwindSafe(job));
        }
    }
}

/// The thread serving one device's queue; dropping it drains the queue.
pub(super) struct QueueThread {
    shared: Arc<QueueShared>,
    thread: Option<JoinHandle<()>>,
}

impl QueueThread {
    pub(super) fn spawn() -> Result<QueueThread> {
        let shared = Arc::new(QueueShared::default());
        let serving = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("iree-task-queue".to_owned())
            .spawn(move || serving.serve())
            .map_err(|error| {
                Error::new(
                    StatusCode::ResourceExhausted,
                    format!("cannot start the local-task queue thread: {error}"),
                )
            })?;
        Ok(QueueThread {
            shared,
            thread: Some(thread),
        })
    }

    pub(super) fn shared(&self) -> Arc<QueueShared> {
        Arc::clone(&self.shared)
    }
}

impl Drop for QueueThread {
    fn drop(&mut self) {
        self.shared.jobs().closed = true;
        self.shared.posted.notify_all();
        if let Some(thread) = self.thread.take() {
            // A job that released the device's last reference runs on the
            // queue thread itself, which cannot wait for its own end.
            if thread.thread().id() != std::thread::current().id() {
                let _ = thread.join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn jobs_run_in_order_on_the_queue_thread() {
        let queue = QueueThread::spawn().unwrap();
        let (sender, receiver) = mpsc::channel();
        for index in 0..100 {
            let sender = sender.clone();
            queue.shared().post(Box::new(move || {
                let name = std::thread::current().name().map(str::to_owned);
                sender.send((index, name)).unwrap();
            }));
        }
        for expected in 0..100 {
            let (index, name) = receiver.recv().unwrap();
            assert_eq!(index, expected);
            assert_eq!(name.as_deref(), Some("iree-task-queue"));
        }
    }

    #[test]
    fn dropping_drains_and_later_posts_run_inline() {
        let queue = QueueThread::spawn().unwrap();
        let shared = queue.shared();
        let (sender, receiver) = mpsc::channel();
        for index in 0..10 {
            let sender = sender.clone();
            shared.post(Box::new(move || sender.send(index).unwrap()));
        }
        drop(queue);
        assert_eq!(
            receiver.try_iter().collect::<Vec<_>>(),
            (0..10).collect::<Vec<_>>()
        );
        let here = std::thread::current().id();
        shared.post(Box::new(move || {
            sender
                .send(if std::thread::current().id() == here {
                    1
                } else {
                    0
                })
                .unwrap()
        }));
        assert_eq!(receiver.try_recv(), Ok(1));
    }

    #[test]
    fn a_panicking_job_does_not_stop_the_queue() {
        let queue = QueueThread::spawn().unwrap();
        let (sender, receiver) = mpsc::channel();
        queue.shared().post(Box::new(|| panic!("a bug in a job")));
        queue
            .shared()
            .post(Box::new(move || sender.send(7).unwrap()));
        assert_eq!(receiver.recv(), Ok(7));
    }
}
