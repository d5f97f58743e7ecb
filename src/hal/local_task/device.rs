//! The local-task device (see the module documentation).

use std::sync::Arc;

use crate::base::time::Timeout;
use crate::hal::allocator::HeapAllocator;
use crate::hal::device::{query_i64_common, Device, DeviceInfo};
use crate::hal::executable::{Executable, ExecutableCache};
use crate::hal::local::{default_loaders, ExecutableLoader};
use crate::hal::local_sync::{cpu_feature, PendingWork};
use crate::hal::local_task::queue::QueueThread;
use crate::hal::local_task::transfers::{transfer_executable, PoolRunner};
use crate::hal::local_task::workers::{DispatchCounts, PoolOptions, WorkerPool};
use crate::hal::memory::QueueAffinity;
use crate::hal::queue::{run_and_signal, timepoint_refs, QueueOperation, Timepoints};
use crate::hal::semaphore::{already_decided, when_all_reached};
use crate::Result;

/// A `local-task` device: host memory and a pool of worker threads.
pub struct LocalTaskDevice {
    identifier: String,
    info: DeviceInfo,
    allocator: Arc<HeapAllocator>,
    pending: Arc<PendingWork>,
    loaders: Vec<Arc<dyn ExecutableLoader>>,
    pool: Arc<WorkerPool>,
    transfers: Arc<Executable>,
    queue: QueueThread,
}

impl LocalTaskDevice {
    /// A device with the default executable loaders.
    pub fn new(identifier: &str, info: DeviceInfo, options: PoolOptions) -> Result<Self> {
        Self::with_loaders(identifier, info, options, default_loaders())
    }

    /// A device whose executable caches use `loaders`, in order.
    pub fn with_loaders(
        identifier: &str,
        info: DeviceInfo,
        options: PoolOptions,
        loaders: Vec<Arc<dyn ExecutableLoader>>,
    ) -> Result<Self> {
        Ok(LocalTaskDevice {
            identifier: identifier.to_owned(),
            info,
            allocator: HeapAllocator::new(identifier),
            pending: Arc::default(),
            loaders,
            pool: Arc::new(WorkerPool::new(options)?),
            transfers: transfer_executable(),
            queue: QueueThread::spawn()?,
        })
    }

    /// Threads that run a dispatch, the issuing thread included.
    pub fn concurrency(&self) -> usize {
        self.pool.concurrency()
    }

    /// How the device's dispatches ran so far.
    pub fn dispatch_counts(&self) -> DispatchCounts {
        self.pool.dispatch_counts()
    }
}

impl Device for LocalTaskDevice {
    fn id(&self) -> &str {
        &self.identifier
    }

    fn info(&self) -> &DeviceInfo {
        &self.info
    }

    fn executable_formats(&self) -> Vec<String> {
        self.loaders.iter().flat_map(|l| l.formats()).collect()
    }

    fn create_executable_cache(&self, identifier: &str) -> Result<ExecutableCache> {
        Ok(ExecutableCache::with_loaders(
            identifier,
            self.loaders.clone(),
        ))
    }

    fn query_i64(&self, category: &str, key: &str) -> Result<i64> {
        match (category, key) {
            ("hal.device" | "hal.dispatch", "concurrency") => Ok(self.concurrency() as i64),
            ("hal.cpu", feature) => match cpu_feature(feature) {
                Some(present) => Ok(present as i64),
                None => query_i64_common(self, category, key),
            },
            _ => query_i64_common(self, category, key),
        }
    }

    fn allocator(&self) -> Result<Arc<HeapAllocator>> {
        Ok(Arc::clone(&self.allocator))
    }

    fn trim(&self) -> Result<()> {
        self.allocator.trim()
    }

    /// Work whose waits are reached runs at once on the calling thread
    /// (its dispatches together with the workers), with nothing to
    /// allocate: the common case of a program awaiting each submission.
    /// Work that must wait runs on the device's queue thread once its
    /// waits are reached, and reports through its signals.
    fn enqueue(
        &self,
        _queue_affinity: QueueAffinity,
        waits: Timepoints,
        signals: Timepoints,
        operation: QueueOperation,
    ) -> Result<()> {
        if let Some(wait_result) = already_decided(&waits) {
            let mut runner = PoolRunner {
                pool: &self.pool,
                transfers: &self.transfers,
            };
            return run_and_signal(&mut runner, wait_result, operation, &signals);
        }
        let pending = Arc::clone(&self.pending);
        let pool = Arc::clone(&self.pool);
        let transfers = Arc::clone(&self.transfers);
        let queue = self.queue.shared();
        pending.begin();
        when_all_reached(
            &timepoint_refs(&waits),
            Box::new(move |wait_result| {
                queue.post(Box::new(move || {
                    // A failure is already in the signals.
                    let mut runner = PoolRunner {
                        pool: &pool,
                        transfers: &transfers,
                    };
                    let _ = run_and_signal(&mut runner, wait_result, operation, &signals);
                    pending.end();
                }));
            }),
        );
        Ok(())
    }

    fn wait_idle(&self, timeout: Timeout) -> Result<()> {
        self.pending.wait_idle(timeout)
    }
}
