//! The worker pool of a local-task device: persistent threads that run the
//! workgroup tiles of one dispatch at a time together with the thread that
//! issued it.
//!
//! A dispatch is posted into the pool's one job slot (whose vectors keep
//! their capacity, so a warm pool allocates nothing per dispatch); workers
//! claim tiles (runs of workgroups) from an atomic counter, and the issuing
//! thread claims tiles too, then waits for the last tile to finish. Workers
//! spin for a while after a dispatch (`spin`) and then park; a dispatch
//! wakes only as many parked workers as it has tiles for. Dispatches whose
//! work fits one tile run on the issuing thread without touching the pool.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock, TryLockError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::base::status::Error;
use crate::hal::command_buffer::{ResolvedDispatch, ResolvedRange};
use crate::hal::executable::Executable;
use crate::hal::local::{ExecutableCode, LocalMemory, TileWorker};
use crate::{iree_err, Result};

/// Tiles per participating thread: more than one, so threads that finish
/// early (or start late) take over work from the others.
const TILES_PER_THREAD: u64 = 4;

/// Dispatches with at least this many workgroups wake parked workers at
/// once; smaller ones wake them only if the issuing thread is still busy
/// with them after [`WAKE_AFTER`] (waking a parked thread costs about as
/// much as a small dispatch, and spinning workers join either way).
const EAGER_WAKE_WORKGROUPS: u64 = 64;
const WAKE_AFTER: Duration = Duration::from_micros(20);

/// How a pool is sized and how long idle workers spin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolOptions {
    /// Threads that run a dispatch's workgroups, the issuing thread
    /// included (so `concurrency - 1` worker threads are started).
    pub concurrency: usize,
    /// How long a worker polls for new work before it parks.
    pub spin: Duration,
}

/// The dispatch in the job slot, owned so workers can read it without
/// borrowing from the issuing thread.
#[derive(Default)]
struct Job {
    executable: Option<Arc<Executable>>,
    entry_point: u32,
    workgroup_count: [u32; 3],
    constants: Vec<u32>,
    bindings: Vec<ResolvedRange>,
    workgroups: u64,
    tile_size: u64,
    tile_count: u64,
}

impl Job {
    fn tile(&self, index: u64) -> Range<u64> {
        let start = index * self.tile_size;
        start..(start + self.tile_size).min(self.workgroups)
    }
}

/// Parked workers the issuing thread wakes if a small dispatch turns out
/// to take a while.
struct LateWake {
    start: Instant,
    helpers: usize,
}

/// State the issuing thread and the workers share.
struct Shared {
    /// Written only by the issuing thread, between dispatches; read by
    /// every thread running the dispatch. The tile counters below belong to
    /// the job in the slot and are reset only under the write lock.
    job: RwLock<Job>,
    next_tile: AtomicU64,
    finished_tiles: AtomicU64,
    failed: AtomicBool,
    error: Mutex<Option<Error>>,
    /// Bumped for every posted job; workers watch it.
    epoch: AtomicU64,
    shutdown: AtomicBool,
    parked: AtomicUsize,
    park: Mutex<()>,
    wake: Condvar,
    done: Mutex<()>,
    done_signal: Condvar,
    options: PoolOptions,
}

/// The issuing thread's side: one dispatch at a time goes through the
/// pool; this lock is held while it runs, with the issuer's local memory.
struct Issuer {
    local_memory: LocalMemory,
}

/// How the dispatches a pool was given ran (for tests and tools; counted
/// with relaxed atomics).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DispatchCounts {
    /// Split into tiles over the pool.
    pub tiled: u64,
    /// On the issuing thread alone: one workgroup, one thread, or code that
    /// runs only whole.
    pub inline: u64,
    /// On the issuing thread because another thread's dispatch had the pool.
    pub contended: u64,
}

#[derive(Default)]
struct Counters {
    tiled: AtomicU64,
    inline: AtomicU64,
    contended: AtomicU64,
}

/// Worker threads plus the job slot they share.
pub struct WorkerPool {
    shared: Arc<Shared>,
    issuer: Mutex<Issuer>,
    threads: Vec<JoinHandle<()>>,
    counters: Counters,
}

impl WorkerPool {
    /// Starts `options.concurrency - 1` worker threads (none for 1).
    pub fn new(options: PoolOptions) -> Result<WorkerPool> {
        let options = PoolOptions {
            concurrency: options.concurrency.max(1),
            ..options
        };
        let shared = Arc::new(Shared {
            job: RwLock::default(),
            next_tile: AtomicU64::new(0),
            finished_tiles: AtomicU64::new(0),
            failed: AtomicBool::new(false),
            error: Mutex::new(None),
            epoch: AtomicU64::new(0),
            shutdown: AtomicBool::new(false),
            parked: AtomicUsize::new(0),
            park: Mutex::new(()),
            wake: Condvar::new(),
            done: Mutex::new(()),
            done_signal: Condvar::new(),
            options,
        });
        let mut pool = WorkerPool {
            shared: Arc::clone(&shared),
            issuer: Mutex::new(Issuer {
                local_memory: LocalMemory::default(),
            }),
            threads: Vec::with_capacity(options.concurrency - 1),
            counters: Counters::default(),
        };
        for processor_id in 1..options.concurrency {
            let shared = Arc::clone(&shared);
            let thread = std::thread::Builder::new()
                .name(format!("iree-worker-{processor_id}"))
                .spawn(move || worker_main(&shared, processor_id as u32))
                .map_err(|e| {
                    iree_err!(
                        ResourceExhausted,
                        "starting local-task worker thread {processor_id} failed: {e}"
                    )
                })?;
            pool.threads.push(thread);
        }
        Ok(pool)
    }

    pub fn concurrency(&self) -> usize {
        self.shared.options.concurrency
    }

    pub fn dispatch_counts(&self) -> DispatchCounts {
        DispatchCounts {
            tiled: self.counters.tiled.load(Ordering::Relaxed),
            inline: self.counters.inline.load(Ordering::Relaxed),
            contended: self.counters.contended.load(Ordering::Relaxed),
        }
    }

    fn count(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The whole dispatch with `dispatch()` on this thread.
    fn run_whole(code: &dyn ExecutableCode, dispatch: &ResolvedDispatch<'_>) -> Result<()> {
        code.dispatch(
            dispatch.entry_point,
            dispatch.workgroup_count,
            dispatch.constants,
            &dispatch.bindings,
        )
    }

    /// Runs every workgroup of `dispatch`, spread over the pool when it is
    /// large enough and the pool is free; otherwise on this thread.
    pub fn run(&self, dispatch: ResolvedDispatch<'_>) -> Result<()> {
        let code = code_of(dispatch.executable, dispatch.entry_point)?;
        let workgroups = dispatch
            .workgroup_count
            .iter()
            .map(|&c| u64::from(c))
            .product::<u64>();
        let concurrency = self.concurrency() as u64;
        if !code.supports_tiles() || workgroups <= 1 || concurrency == 1 {
            return self.run_here(code, &dispatch, workgroups);
        }
        let issuer = match self.issuer.try_lock() {
            Ok(issuer) => issuer,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            // Another thread's dispatch has the pool: run this one here,
            // in parallel with it.
            Err(TryLockError::WouldBlock) => {
                Self::count(&self.counters.contended);
                return Self::run_whole(code, &dispatch);
            }
        };
        Self::count(&self.counters.tiled);
        self.run_on_pool(issuer, dispatch, workgroups)
    }

    /// The whole dispatch on this thread (as processor 0 where tiling is
    /// supported, with the issuer's memory if it is free).
    fn run_here(
        &self,
        code: &dyn ExecutableCode,
        dispatch: &ResolvedDispatch<'_>,
        workgroups: u64,
    ) -> Result<()> {
        Self::count(&self.counters.inline);
        if !code.supports_tiles() {
            return Self::run_whole(code, dispatch);
        }
        // The issuer's local memory when free; else this thread is one of
        // several issuing at once and the dispatch brings its own.
        let mut issuer = match self.issuer.try_lock() {
            Ok(issuer) => issuer,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => return Self::run_whole(code, dispatch),
        };
        let mut whole = Some(0..workgroups);
        let mut next_tile = || whole.take();
        code.dispatch_tiles(
            dispatch.entry_point,
            dispatch.workgroup_count,
            dispatch.constants,
            &dispatch.bindings,
            &mut TileWorker {
                processor_id: 0,
                max_concurrency: self.concurrency() as u32,
                local_memory: &mut issuer.local_memory,
                next_tile: &mut next_tile,
            },
        )
    }

    fn run_on_pool(
        &self,
        mut issuer: std::sync::MutexGuard<'_, Issuer>,
        dispatch: ResolvedDispatch<'_>,
        workgroups: u64,
    ) -> Result<()> {
        let shared = &*self.shared;
        let concurrency = self.concurrency() as u64;
        let tile_size = workgroups.div_ceil(concurrency * TILES_PER_THREAD).max(1);
        let tile_count = workgroups.div_ceil(tile_size);
        {
            let mut job = shared.job.write().unwrap_or_else(PoisonError::into_inner);
            job.executable = Some(Arc::clone(dispatch.executable));
            job.entry_point = dispatch.entry_point;
            job.workgroup_count = dispatch.workgroup_count;
            job.constants.clear();
            job.constants.extend_from_slice(dispatch.constants);
            job.bindings.clear();
            job.bindings.extend(dispatch.bindings);
            job.workgroups = workgroups;
            job.tile_size = tile_size;
            job.tile_count = tile_count;
            shared.next_tile.store(0, Ordering::Relaxed);
            shared.finished_tiles.store(0, Ordering::Relaxed);
            shared.failed.store(false, Ordering::Relaxed);
            *shared.error.lock().unwrap_or_else(PoisonError::into_inner) = None;
        }
        shared.epoch.fetch_add(1, Ordering::SeqCst);
        let helpers = (tile_count - 1).min(concurrency - 1) as usize;
        let mut wake = if workgroups >= EAGER_WAKE_WORKGROUPS {
            shared.wake_parked(helpers);
            None
        } else {
            Some(LateWake {
                start: Instant::now(),
                helpers,
            })
        };
        {
            let job = shared.job.read().unwrap_or_else(PoisonError::into_inner);
            shared.take_part(&job, 0, &mut issuer.local_memory, &mut wake);
            shared.wait_finished(&job);
        }
        let error = shared
            .error
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        // Let go of the executable and buffers now, not at the next dispatch.
        let mut job = shared.job.write().unwrap_or_else(PoisonError::into_inner);
        job.executable = None;
        job.bindings.clear();
        job.tile_count = 0;
        drop(job);
        drop(issuer);
        error.map_or(Ok(()), Err)
    }
}

impl Drop for WorkerPool {
    fn drop(&mut self) {
        self.shared.shutdown.store(true, Ordering::SeqCst);
        {
            let _park = self
                .shared
                .park
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            self.shared.wake.notify_all();
        }
        for thread in self.threads.drain(..) {
            // A worker that panicked has nothing left to clean up.
            let _ = thread.join();
        }
    }
}

fn code_of(executable: &Executable, entry_point: u32) -> Result<&dyn ExecutableCode> {
    executable.code().ok_or_else(|| {
        iree_err!(
            Unimplemented,
            "entry point {entry_point} of the '{}' executable has no code to run (it was not prepared by an executable loader)",
            executable.format()
        )
    })
}

impl Shared {
    /// Wakes up to `count` parked workers (spinning ones see the epoch).
    fn wake_parked(&self, count: usize) {
        if count == 0 || self.parked.load(Ordering::SeqCst) == 0 {
            return;
        }
        let _park = self.park.lock().unwrap_or_else(PoisonError::into_inner);
        for _ in 0..count {
            self.wake.notify_one();
        }
    }

    /// Marks `tiles` finished; the thread finishing the last one tells the
    /// issuer.
    fn finish_tiles(&self, job: &Job, tiles: u64) {
        if tiles == 0 {
            return;
        }
        let before = self.finished_tiles.fetch_add(tiles, Ordering::AcqRel);
        if before + tiles == job.tile_count {
            let _done = self.done.lock().unwrap_or_else(PoisonError::into_inner);
            self.done_signal.notify_all();
        }
    }

    /// Claims the next tile to run; tiles claimed after a failure are
    /// finished without running.
    fn claim(&self, job: &Job) -> Option<u64> {
        loop {
            let index = self.next_tile.fetch_add(1, Ordering::AcqRel);
            if index >= job.tile_count {
                return None;
            }
            if !self.failed.load(Ordering::Acquire) {
                return Some(index);
            }
            self.finish_tiles(job, 1);
        }
    }

    fn record_failure(&self, error: Error) {
        let mut slot = self.error.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            *slot = Some(error);
        }
        self.failed.store(true, Ordering::Release);
    }

    /// Runs tiles of `job` on this thread until none is left.
    fn take_part(
        &self,
        job: &Job,
        processor_id: u32,
        local_memory: &mut LocalMemory,
        wake: &mut Option<LateWake>,
    ) {
        if job.tile_count == 0 {
            return;
        }
        let Some(executable) = job.executable.as_ref() else {
            return;
        };
        let code = match code_of(executable, job.entry_point) {
            Ok(code) => code,
            Err(error) => {
                self.record_failure(error);
                return self.drain(job);
            }
        };
        // The tile handed out last is finished when the next is asked for
        // (or when the executable returns).
        let mut running: Option<u64> = None;
        let mut next_tile = || {
            if running.take().is_some() {
                self.finish_tiles(job, 1);
                if wake
                    .as_ref()
                    .is_some_and(|w| w.start.elapsed() >= WAKE_AFTER)
                {
                    let late = wake.take().map_or(0, |w| w.helpers);
                    self.wake_parked(late);
                }
            }
            let index = self.claim(job)?;
            running = Some(index);
            Some(job.tile(index))
        };
        let result = code.dispatch_tiles(
            job.entry_point,
            job.workgroup_count,
            &job.constants,
            &job.bindings,
            &mut TileWorker {
                processor_id,
                max_concurrency: self.options.concurrency as u32,
                local_memory,
                next_tile: &mut next_tile,
            },
        );
        // The failure is recorded before the failing tile counts as
        // finished, so the issuer never sees the dispatch done without it.
        if let Err(error) = result {
            self.record_failure(error);
        }
        if running.is_some() {
            self.finish_tiles(job, 1);
        }
        self.drain(job);
    }

    /// Finishes tiles nobody will run (after a failure, or when code
    /// returned without asking for every tile).
    fn drain(&self, job: &Job) {
        while let Some(index) = self.claim(job) {
            self.record_failure(iree_err!(
                Internal,
                "executable code returned before running workgroups {:?} of its dispatch",
                job.tile(index)
            ));
            self.finish_tiles(job, 1);
        }
    }

    /// Blocks (after spinning briefly) until every tile of `job` finished.
    fn wait_finished(&self, job: &Job) {
        let is_finished = || self.finished_tiles.load(Ordering::Acquire) >= job.tile_count;
        let spin_until = Instant::now() + self.options.spin;
        while !is_finished() {
            if Instant::now() >= spin_until {
                let mut done = self.done.lock().unwrap_or_else(PoisonError::into_inner);
                while !is_finished() {
                    done = self
                        .done_signal
                        .wait(done)
                        .unwrap_or_else(PoisonError::into_inner);
                }
                return;
            }
            std::hint::spin_loop();
        }
    }

    /// Waits for an epoch other than `seen`; false when shutting down.
    fn wait_for_job(&self, seen: u64) -> bool {
        let changed =
            || self.shutdown.load(Ordering::SeqCst) || self.epoch.load(Ordering::SeqCst) != seen;
        let spin_until = Instant::now() + self.options.spin;
        while !changed() && Instant::now() < spin_until {
            std::hint::spin_loop();
        }
        if !changed() {
            let mut park = self.park.lock().unwrap_or_else(PoisonError::into_inner);
            self.parked.fetch_add(1, Ordering::SeqCst);
            while !changed() {
                park = self.wake.wait(park).unwrap_or_else(PoisonError::into_inner);
            }
            self.parked.fetch_sub(1, Ordering::SeqCst);
        }
        !self.shutdown.load(Ordering::SeqCst)
    }
}

fn worker_main(shared: &Shared, processor_id: u32) {
    let mut local_memory = LocalMemory::default();
    let mut seen = 0;
    while shared.wait_for_job(seen) {
        seen = shared.epoch.load(Ordering::SeqCst);
        let job = shared.job.read().unwrap_or_else(PoisonError::into_inner);
        shared.take_part(&job, processor_id, &mut local_memory, &mut None);
    }
}
