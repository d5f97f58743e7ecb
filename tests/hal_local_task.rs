//! The local-task device: a dispatch's workgroups are split into tiles that
//! run exactly once each on the pool's threads (processor ids below the
//! concurrency the executable is told), one-workgroup dispatches and code
//! that can only run whole stay on the issuing thread, a failing dispatch
//! in the middle of a command buffer fails its fence and leaves the device
//! usable, and the device answers its configuration queries. A recording
//! executable (this file's loader) observes what the device passes.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::ThreadId;

use iree_runtime::base::status::StatusCode;
use iree_runtime::base::time::Timeout;
use iree_runtime::hal::command_buffer::{
    CommandBuffer, CommandBufferMode, CommandCategory, ResolvedRange, Workgroups,
};
use iree_runtime::hal::device::{Device, DeviceInfo, DEVICE_ID_DEFAULT};
use iree_runtime::hal::driver_registry::DriverRegistry;
use iree_runtime::hal::executable::{Executable, ExecutableParams};
use iree_runtime::hal::fence::Fence;
use iree_runtime::hal::local::{ExecutableCode, ExecutableLoader, TileWorker};
use iree_runtime::hal::local_task::{LocalTaskDevice, LocalTaskDriverFactory, PoolOptions};
use iree_runtime::hal::semaphore::Semaphore;
use iree_runtime::{iree_bail, Result};

const ANY: u64 = u64::MAX;
const FORMAT: &str = "test-recording";
/// Constant 0 of a dispatch: the linear workgroup index that fails.
const NEVER: u32 = u32::MAX;

/// What the recording executable saw.
#[derive(Default)]
struct Record {
    /// Runs per linear workgroup index.
    visits: Mutex<Vec<u32>>,
    processors: Mutex<BTreeSet<u32>>,
    max_concurrency: AtomicU32,
    threads: Mutex<BTreeSet<String>>,
}

impl Record {
    fn reset(&self, workgroups: usize) {
        *lock(&self.visits) = vec![0; workgroups];
        lock(&self.processors).clear();
        lock(&self.threads).clear();
        self.max_concurrency.store(0, Ordering::Relaxed);
    }

    fn visit(&self, index: u64) {
        let mut visits = lock(&self.visits);
        if let Some(count) = visits.get_mut(index as usize) {
            *count += 1;
        }
    }

    fn thread(&self, id: ThreadId) {
        lock(&self.threads).insert(format!("{id:?}"));
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Debug)]
struct RecordingCode {
    record: Arc<RecordHandle>,
    tiles: bool,
}

/// `Record` behind a Debug wrapper (the trait needs Debug).
struct RecordHandle(Record);
impl std::fmt::Debug for RecordHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Record")
    }
}

fn fails_at(constants: &[u32], index: u64) -> bool {
    constants.first().is_some_and(|&at| u64::from(at) == index)
}

impl ExecutableCode for RecordingCode {
    fn name(&self) -> &str {
        "recording"
    }

    fn export_names(&self) -> Vec<String> {
        vec!["run".into()]
    }

    fn dispatch(
        &self,
        _ordinal: u32,
        workgroup_count: [u32; 3],
        constants: &[u32],
        _bindings: &[ResolvedRange],
    ) -> Result<()> {
        let record = &self.record.0;
        record.thread(std::thread::current().id());
        let total = workgroup_count
            .iter()
            .map(|&c| u64::from(c))
            .product::<u64>();
        for index in 0..total {
            if fails_at(constants, index) {
                iree_bail!(Internal, "workgroup {index} failed on purpose");
            }
            record.visit(index);
        }
        Ok(())
    }

    fn supports_tiles(&self) -> bool {
        self.tiles
    }

    fn dispatch_tiles(
        &self,
        _ordinal: u32,
        _workgroup_count: [u32; 3],
        constants: &[u32],
        _bindings: &[ResolvedRange],
        worker: &mut TileWorker<'_>,
    ) -> Result<()> {
        let record = &self.record.0;
        record.thread(std::thread::current().id());
        lock(&record.processors).insert(worker.processor_id);
        record
            .max_concurrency
            .store(worker.max_concurrency, Ordering::Relaxed);
        worker.local_memory.reserve(4096)?;
        while let Some(tile) = (worker.next_tile)() {
            for index in tile {
                if fails_at(constants, index) {
                    iree_bail!(Internal, "workgroup {index} failed on purpose");
                }
                record.visit(index);
            }
        }
        Ok(())
    }
}

struct RecordingLoader {
    record: Arc<RecordHandle>,
    tiles: bool,
}

impl ExecutableLoader for RecordingLoader {
    fn formats(&self) -> Vec<String> {
        vec![FORMAT.into()]
    }

    fn load(&self, _params: &ExecutableParams<'_>) -> Result<Box<dyn ExecutableCode>> {
        Ok(Box::new(RecordingCode {
            record: Arc::clone(&self.record),
            tiles: self.tiles,
        }))
    }
}

struct Fixture {
    device: Arc<LocalTaskDevice>,
    executable: Arc<Executable>,
    record: Arc<RecordHandle>,
}

fn fixture(workers: usize, tiles: bool) -> Fixture {
    let record = Arc::new(RecordHandle(Record::default()));
    let loader: Arc<dyn ExecutableLoader> = Arc::new(RecordingLoader {
        record: Arc::clone(&record),
        tiles,
    });
    let options = PoolOptions {
        concurrency: workers,
        spin: std::time::Duration::from_micros(20),
    };
    let info = DeviceInfo {
        device_id: DEVICE_ID_DEFAULT,
        path: String::new(),
        name: "default".into(),
    };
    let device =
        Arc::new(LocalTaskDevice::with_loaders("local-task", info, options, vec![loader]).unwrap());
    let cache = device.create_executable_cache("default").unwrap();
    let executable = cache
        .prepare_executable(&ExecutableParams {
            executable_format: FORMAT,
            executable_data: b"recording",
            ..Default::default()
        })
        .unwrap();
    Fixture {
        device,
        executable,
        record,
    }
}

fn command_buffer(device: &dyn Device) -> Arc<CommandBuffer> {
    let cb = device
        .create_command_buffer(CommandBufferMode::empty(), CommandCategory::ANY, ANY, 0)
        .unwrap();
    cb.begin().unwrap();
    Arc::new(cb)
}

/// Submits `cb` and waits for its fence; the fence's outcome.
fn submit(device: &dyn Device, cb: &Arc<CommandBuffer>) -> Result<()> {
    let semaphore = Arc::new(Semaphore::new(0));
    let fence = Fence::at(&semaphore, 1).unwrap();
    let issued = device.queue_execute(
        ANY,
        vec![],
        fence.timepoints(),
        Some(Arc::clone(cb)),
        vec![],
    );
    let waited = fence.wait(Timeout::infinite());
    assert_eq!(issued.is_ok(), waited.is_ok(), "{issued:?} vs {waited:?}");
    waited
}

fn run_counts(fixture: &Fixture, counts: [u32; 3], fail_at: u32) -> Result<()> {
    let total = counts.iter().map(|&c| c as usize).product();
    fixture.record.0.reset(total);
    let cb = command_buffer(fixture.device.as_ref());
    cb.dispatch(
        &fixture.executable,
        0,
        Workgroups::Count(counts),
        &[fail_at],
        vec![],
    )
    .unwrap();
    cb.end().unwrap();
    submit(fixture.device.as_ref(), &cb)
}

#[test]
fn every_workgroup_runs_exactly_once() {
    for workers in [1, 2, 8] {
        let fixture = fixture(workers, true);
        for counts in [[1, 1, 1], [7, 1, 1], [5, 3, 2], [1000, 1, 1], [3, 1, 9]] {
            run_counts(&fixture, counts, NEVER).unwrap();
            let record = &fixture.record.0;
            let visits = lock(&record.visits).clone();
            assert!(
                visits.iter().all(|&v| v == 1),
                "{workers} workers, {counts:?}: {visits:?}"
            );
            let processors = lock(&record.processors).clone();
            assert!(
                processors.iter().all(|&p| (p as usize) < workers),
                "{processors:?}"
            );
            assert_eq!(
                record.max_concurrency.load(Ordering::Relaxed),
                workers as u32
            );
        }
        let counts = fixture.device.dispatch_counts();
        // Every count but [1, 1, 1] is split when there is more than one thread.
        if workers == 1 {
            assert_eq!((counts.tiled, counts.inline), (0, 5));
        } else {
            assert_eq!((counts.tiled, counts.inline), (4, 1));
        }
        assert_eq!(
            fixture
                .device
                .query_i64("hal.dispatch", "concurrency")
                .unwrap(),
            workers as i64
        );
    }
}

#[test]
fn small_dispatches_and_whole_only_code_stay_on_the_issuing_thread() {
    let me = format!("{:?}", std::thread::current().id());
    let fixture = fixture(4, true);
    run_counts(&fixture, [1, 1, 1], NEVER).unwrap();
    assert_eq!(
        *lock(&fixture.record.0.threads),
        BTreeSet::from([me.clone()])
    );
    let whole = self::fixture(4, false);
    run_counts(&whole, [64, 4, 1], NEVER).unwrap();
    assert!(lock(&whole.record.0.visits).iter().all(|&v| v == 1));
    assert_eq!(*lock(&whole.record.0.threads), BTreeSet::from([me]));
    assert_eq!(whole.device.dispatch_counts().inline, 1);
}

#[test]
fn work_that_must_wait_runs_on_the_queue_thread_not_the_signaller() {
    let me = format!("{:?}", std::thread::current().id());
    let fixture = fixture(2, true);
    fixture.record.0.reset(1);
    let device: &dyn Device = fixture.device.as_ref();
    let cb = command_buffer(device);
    cb.dispatch(
        &fixture.executable,
        0,
        Workgroups::Count([1, 1, 1]),
        &[NEVER],
        vec![],
    )
    .unwrap();
    cb.end().unwrap();
    let host = Arc::new(Semaphore::new(0));
    let done = Arc::new(Semaphore::new(0));
    // Two waiting submissions chained on the host semaphore and on each other.
    for (wait, signal) in [(1, 1), (2, 2)] {
        let waits = vec![(Arc::clone(&host), wait)];
        let signals = vec![(Arc::clone(&done), signal)];
        device
            .queue_execute(ANY, waits, signals, Some(Arc::clone(&cb)), vec![])
            .unwrap();
    }
    assert_eq!(done.query().unwrap(), 0, "nothing runs before its wait");
    host.signal(1).unwrap();
    done.wait(1, Timeout::infinite()).unwrap();
    host.signal(2).unwrap();
    done.wait(2, Timeout::infinite()).unwrap();
    assert_eq!(lock(&fixture.record.0.visits)[0], 2);
    let threads = lock(&fixture.record.0.threads).clone();
    assert_eq!(threads.len(), 1, "{threads:?}");
    assert!(!threads.contains(&me), "ran on the signalling thread");
    // A failed wait fails the signals from the queue thread too.
    let waits = vec![(Arc::clone(&host), 3)];
    let failed = Arc::new(Semaphore::new(0));
    device
        .queue_execute(ANY, waits, vec![(Arc::clone(&failed), 1)], Some(cb), vec![])
        .unwrap();
    host.fail(iree_runtime::base::status::Error::new(
        StatusCode::Cancelled,
        "host gave up",
    ));
    let error = failed.wait(1, Timeout::infinite()).unwrap_err();
    assert!(error.to_string().contains("host gave up"), "{error}");
    fixture.device.wait_idle(Timeout::infinite()).unwrap();
}

fn host_buffer(device: &dyn Device, size: u64) -> Arc<iree_runtime::hal::buffer::Buffer> {
    use iree_runtime::hal::memory::{BufferParams, BufferUsage, MemoryType};
    let params = BufferParams {
        memory_type: MemoryType::DEVICE_LOCAL | MemoryType::HOST_VISIBLE,
        usage: BufferUsage::TRANSFER | BufferUsage::DISPATCH | BufferUsage::MAPPING,
        ..Default::default()
    };
    device
        .allocator()
        .unwrap()
        .allocate_buffer(params, size, &[])
        .unwrap()
}

#[test]
fn large_fills_and_copies_are_split_over_the_workers() {
    use iree_runtime::hal::command_buffer::BufferRef;
    const SIZE: u64 = 5 * 1024 * 1024 + 6;
    for workers in [1, 2, 8] {
        let fixture = fixture(workers, true);
        let device: &dyn Device = fixture.device.as_ref();
        let tiled_before = fixture.device.dispatch_counts().tiled;
        let source = host_buffer(device, SIZE);
        let target = host_buffer(device, SIZE);
        // A queue fill with a 2-byte pattern at an even, unaligned-to-chunk
        // offset, then a command buffer copy and fill over the rest.
        let done = Arc::new(Semaphore::new(0));
        device
            .queue_fill(
                ANY,
                vec![],
                vec![(Arc::clone(&done), 1)],
                Arc::clone(&source),
                2,
                SIZE - 4,
                &[0x34, 0x12],
            )
            .unwrap();
        done.wait(1, Timeout::infinite()).unwrap();
        let cb = command_buffer(device);
        cb.copy_buffer(
            BufferRef::direct(&source, 0, SIZE),
            BufferRef::direct(&target, 0, SIZE),
        )
        .unwrap();
        cb.fill_buffer(
            BufferRef::direct(&target, 1024 * 1024, 2 * 1024 * 1024),
            &[0xab, 0xcd, 0xef, 0x01],
        )
        .unwrap();
        cb.end().unwrap();
        submit(device, &cb).unwrap();
        let bytes = target.read_all().unwrap();
        for (index, &byte) in bytes.iter().enumerate() {
            let index = index as u64;
            let expected = if (1024 * 1024..3 * 1024 * 1024).contains(&index) {
                [0xab, 0xcd, 0xef, 0x01][(index % 4) as usize]
            } else if !(2..SIZE - 2).contains(&index) {
                0
            } else {
                [0x34, 0x12][(index % 2) as usize]
            };
            assert_eq!(byte, expected, "{workers} workers, byte {index}");
        }
        let tiled = fixture.device.dispatch_counts().tiled - tiled_before;
        assert_eq!(tiled, if workers == 1 { 0 } else { 3 }, "{workers} workers");
        // A copy between overlapping ranges of one buffer is still refused.
        let cb = command_buffer(device);
        let copy = cb.copy_buffer(
            BufferRef::direct(&source, 0, 2 * 1024 * 1024),
            BufferRef::direct(&source, 1024 * 1024, 2 * 1024 * 1024),
        );
        assert!(copy.is_err());
    }
}

#[test]
fn a_failing_dispatch_fails_its_fence_and_leaves_the_device_usable() {
    for workers in [1, 2, 8] {
        let fixture = fixture(workers, true);
        for _ in 0..20 {
            // Three dispatches; the second fails part way.
            fixture.record.0.reset(400);
            let cb = command_buffer(fixture.device.as_ref());
            for fail_at in [NEVER, 150, NEVER] {
                cb.dispatch(
                    &fixture.executable,
                    0,
                    Workgroups::Count([400, 1, 1]),
                    &[fail_at],
                    vec![],
                )
                .unwrap();
            }
            cb.end().unwrap();
            let error = submit(fixture.device.as_ref(), &cb).unwrap_err();
            assert_eq!(error.code(), StatusCode::Aborted, "{error}");
            assert!(error.to_string().contains("failed on purpose"), "{error}");
            // The first ran whole, the failing one stopped, the third never ran.
            let visits = lock(&fixture.record.0.visits).clone();
            assert!(visits.iter().all(|&v| v <= 2), "{visits:?}");
            assert_eq!(visits[150], 1, "workgroup 150 ran only in the first");
            // The device still runs work.
            run_counts(&fixture, [400, 1, 1], NEVER).unwrap();
            assert!(lock(&fixture.record.0.visits).iter().all(|&v| v == 1));
        }
        fixture.device.wait_idle(Timeout::infinite()).unwrap();
    }
}

#[test]
fn driver_names_params_and_queries() {
    let registry = DriverRegistry::new();
    registry
        .register_factory(LocalTaskDriverFactory::shared())
        .unwrap();
    let e = registry
        .register_factory(LocalTaskDriverFactory::shared())
        .unwrap_err();
    assert_eq!(e.code(), StatusCode::AlreadyExists);
    for uri in ["local-task", "local-task://", "dylib"] {
        let device = registry.create_device(uri).unwrap();
        assert_eq!(device.query_i64("hal.device.id", "local-task").unwrap(), 1);
        assert_eq!(device.query_i64("hal.device.id", "local-sync").unwrap(), 0);
        assert!(device.query_i64("hal.dispatch", "concurrency").unwrap() >= 1);
        assert_eq!(
            device
                .query_i64("hal.executable.format", "embedded-elf-*")
                .unwrap(),
            1
        );
    }
    let three = registry
        .create_device("local-task://?task_topology_group_count=3&task_worker_spin_us=0")
        .unwrap();
    assert_eq!(three.query_i64("hal.device", "concurrency").unwrap(), 3);
    for bad in [
        "local-task://?task_topology_group_count=lots",
        "local-task://?task_topology_group_count=1000",
        "local-task://?color=blue",
    ] {
        let e = registry.create_device(bad).err().expect(bad);
        assert_eq!(e.code(), StatusCode::InvalidArgument, "{bad}: {e}");
    }
    assert!(registry.create_device("vmvx").is_err());
}
