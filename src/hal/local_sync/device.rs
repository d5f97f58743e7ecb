//! The local-sync device (see the module documentation).

use std::sync::{Arc, Condvar, Mutex, PoisonError};

use crate::base::time::{self, Timeout, TIME_INFINITE_FUTURE};
use crate::hal::allocator::HeapAllocator;
use crate::hal::command_buffer::ResolvedDispatch;
use crate::hal::command_runner::DispatchOnly;
use crate::hal::device::{query_i64_common, Device, DeviceInfo};
use crate::hal::executable::ExecutableCache;
use crate::hal::local::{default_loaders, ExecutableLoader};
use crate::hal::local_sync::profile;
use crate::hal::memory::QueueAffinity;
use crate::hal::queue::{run_and_signal, timepoint_refs, QueueOperation, Timepoints};
use crate::hal::semaphore::{already_decided, when_all_reached};
use crate::{iree_err, Result};

/// Counts operations waiting for their timepoints, for `wait_idle`.
#[derive(Default)]
pub(crate) struct PendingWork {
    count: Mutex<usize>,
    idle: Condvar,
}

impl PendingWork {
    pub(crate) fn begin(&self) {
        *self.count.lock().unwrap_or_else(PoisonError::into_inner) += 1;
    }

    pub(crate) fn end(&self) {
        let mut count = self.count.lock().unwrap_or_else(PoisonError::into_inner);
        *count -= 1;
        if *count == 0 {
            self.idle.notify_all();
        }
    }

    pub(crate) fn wait_idle(&self, timeout: Timeout) -> Result<()> {
        let deadline_ns = timeout.as_deadline_ns();
        let mut count = self.count.lock().unwrap_or_else(PoisonError::into_inner);
        while *count != 0 {
            if deadline_ns == TIME_INFINITE_FUTURE {
                count = self
                    .idle
                    .wait(count)
                    .unwrap_or_else(PoisonError::into_inner);
                continue;
            }
            let left = deadline_ns.saturating_sub(time::now());
            if left <= 0 {
                return Err(iree_err!(
                    DeadlineExceeded,
                    "{} queue operations are still waiting for their semaphores",
                    *count
                ));
            }
            count = self
                .idle
                .wait_timeout(count, std::time::Duration::from_nanos(left as u64))
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
        Ok(())
    }
}

/// A `local-sync` device.
pub struct LocalSyncDevice {
    identifier: String,
    info: DeviceInfo,
    allocator: Arc<HeapAllocator>,
    pending: Arc<PendingWork>,
    loaders: Vec<Arc<dyn ExecutableLoader>>,
}

impl LocalSyncDevice {
    pub fn new(identifier: &str, info: DeviceInfo) -> LocalSyncDevice {
        Self::with_loaders(identifier, info, default_loaders())
    }

    /// A device whose executable caches use `loaders` (in order) instead of
    /// [`default_loaders`]; layers above `hal` add loaders this way (VMVX).
    pub fn with_loaders(
        identifier: &str,
        info: DeviceInfo,
        loaders: Vec<Arc<dyn ExecutableLoader>>,
    ) -> LocalSyncDevice {
        LocalSyncDevice {
            identifier: identifier.to_owned(),
            info,
            allocator: HeapAllocator::new(identifier),
            pending: Arc::default(),
            loaders,
        }
    }
}

/// Runs a dispatch on the calling thread: every workgroup, in order.
fn dispatch_inline(dispatch: ResolvedDispatch<'_>) -> Result<()> {
    let executable = dispatch.executable;
    let Some(code) = executable.code() else {
        return Err(iree_err!(
            Unimplemented,
            "entry point {} of the '{}' executable has no code to run (it was not prepared by an executable loader)",
            dispatch.entry_point,
            executable.format()
        ));
    };
    let export_name = || match executable.entry_point_name(dispatch.entry_point) {
        Some(name) => name.to_owned(),
        None => format!("<entry point {}>", dispatch.entry_point),
    };
    profile::timed(export_name, || {
        code.dispatch(
            dispatch.entry_point,
            dispatch.workgroup_count,
            dispatch.constants,
            &dispatch.bindings,
        )
    })
}

/// x86-64 CPU feature names as `hal.cpu` queries spell them.
pub(crate) fn cpu_feature(key: &str) -> Option<bool> {
    macro_rules! features {
        ($($name:tt),*) => {
            match key {
                $($name => Some(std::arch::is_x86_feature_detected!($name)),)*
                _ => None,
            }
        };
    }
    features!(
        "sse3", "ssse3", "sse4.1", "sse4.2", "popcnt", "avx", "fma", "f16c", "bmi1", "bmi2",
        "lzcnt", "avx2", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"
    )
}

impl Device for LocalSyncDevice {
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
            ("hal.device" | "hal.dispatch", "concurrency") => Ok(1),
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

    fn enqueue(
        &self,
        _queue_affinity: QueueAffinity,
        waits: Timepoints,
        signals: Timepoints,
        operation: QueueOperation,
    ) -> Result<()> {
        // Work whose waits are decided runs here and now, with nothing to
        // allocate: the common case of a program awaiting each submission.
        if let Some(wait_result) = already_decided(&waits) {
            return run_and_signal(
                &mut DispatchOnly(&mut dispatch_inline),
                wait_result,
                operation,
                &signals,
            );
        }
        // The outcome of an operation that ran inside this call is reported
        // to the caller; one that runs later reports through its signals.
        let inline_result: Arc<Mutex<Option<Result<()>>>> = Arc::default();
        let slot = Arc::clone(&inline_result);
        let pending = Arc::clone(&self.pending);
        pending.begin();
        when_all_reached(
            &timepoint_refs(&waits),
            Box::new(move |wait_result| {
                let result = run_and_signal(
                    &mut DispatchOnly(&mut dispatch_inline),
                    wait_result,
                    operation,
                    &signals,
                );
                *slot.lock().unwrap_or_else(PoisonError::into_inner) = Some(result);
                pending.end();
            }),
        );
        let ran_inline = inline_result
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        ran_inline.unwrap_or(Ok(()))
    }

    fn wait_idle(&self, timeout: Timeout) -> Result<()> {
        self.pending.wait_idle(timeout)
    }
}
