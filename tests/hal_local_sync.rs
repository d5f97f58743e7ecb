//! The local-sync device through its driver: queue operations with wait and
//! signal semaphores, reusable command buffers replayed with many binding
//! tables, waits that time out and waits on failed semaphores.

use std::sync::Arc;

use iree_runtime::base::status::StatusCode;
use iree_runtime::base::time::Timeout;
use iree_runtime::hal::buffer::{Buffer, WHOLE_BUFFER};
use iree_runtime::hal::command_buffer::{
    Binding, BufferRef, CommandBuffer, CommandBufferMode, CommandCategory,
};
use iree_runtime::hal::device::{Device, SubmissionBatch};
use iree_runtime::hal::driver_registry::DriverRegistry;
use iree_runtime::hal::file::File;
use iree_runtime::hal::local_sync::LocalSyncDriverFactory;
use iree_runtime::hal::memory::{BufferParams, BufferUsage, MemoryAccess, MemoryType};
use iree_runtime::hal::semaphore::{Semaphore, WaitMode};
use iree_runtime::hal::storage::HostStorage;
use iree_runtime::iree_err;

const ANY: u64 = u64::MAX;

fn device() -> Arc<dyn Device> {
    let registry = DriverRegistry::new();
    registry
        .register_factory(Arc::new(LocalSyncDriverFactory::default()))
        .unwrap();
    registry.create_device("local-sync").unwrap()
}

fn params() -> BufferParams {
    BufferParams {
        memory_type: MemoryType::DEVICE_LOCAL | MemoryType::HOST_VISIBLE,
        usage: BufferUsage::TRANSFER | BufferUsage::DISPATCH | BufferUsage::MAPPING,
        ..Default::default()
    }
}

fn buffer(device: &Arc<dyn Device>, size: u64) -> Arc<Buffer> {
    device
        .allocator()
        .unwrap()
        .allocate_buffer(params(), size, &[])
        .unwrap()
}

fn semaphore(value: u64) -> Arc<Semaphore> {
    Arc::new(Semaphore::new(value))
}

#[test]
fn registered_under_every_sync_name_and_answers_queries() {
    let registry = DriverRegistry::new();
    registry
        .register_factory(Arc::new(LocalSyncDriverFactory::default()))
        .unwrap();
    for name in ["local-sync", "dylib-sync"] {
        let driver = registry.try_create_by_name(name).unwrap();
        let devices = driver.query_available_devices().unwrap();
        assert_eq!(devices.len(), 1);
        let device = driver
            .create_device_by_id(devices[0].device_id, &[])
            .unwrap();
        assert_eq!(device.id(), "local-sync");
    }
    let device = device();
    assert_eq!(device.query_i64("hal.device.id", "local*").unwrap(), 1);
    assert_eq!(device.query_i64("hal.device.id", "local-task").unwrap(), 0);
    assert_eq!(device.query_i64("hal.device", "concurrency").unwrap(), 1);
    assert_eq!(device.query_i64("hal.dispatch", "concurrency").unwrap(), 1);
    assert_eq!(
        device.query_i64("hal.cpu", "sse3").unwrap(),
        std::arch::is_x86_feature_detected!("sse3") as i64
    );
    assert_eq!(
        device
            .query_i64("hal.cpu", "no-such-feature")
            .unwrap_err()
            .code(),
        StatusCode::NotFound
    );
    // Both CPU loaders are wired in for the host architecture; other
    // architectures' executables cannot run here.
    for (format, supported) in [
        ("system-elf-x86_64", 1),
        ("embedded-elf-x86_64", 1),
        ("embedded-elf-arm_64", 0),
        ("vmvx-bytecode-fb", 0),
    ] {
        assert_eq!(
            device.query_i64("hal.executable.format", format).unwrap(),
            supported,
            "{format}"
        );
    }
}

#[test]
fn reusable_command_buffer_runs_with_many_binding_tables() {
    let device = device();
    let cb = Arc::new(
        device
            .create_command_buffer(CommandBufferMode::empty(), CommandCategory::ANY, ANY, 2)
            .unwrap(),
    );
    cb.begin().unwrap();
    // out[0..4] = in[4..8]; out[4..8] = 0x5A.
    cb.copy_buffer(BufferRef::slot(0, 4, 4), BufferRef::slot(1, 0, 4))
        .unwrap();
    cb.execution_barrier().unwrap();
    cb.fill_buffer(BufferRef::slot(1, 4, 4), &[0x5A]).unwrap();
    cb.end().unwrap();

    let timeline = semaphore(0);
    for round in 0..50u8 {
        let input = buffer(&device, 8);
        input
            .map_write(0, &[round, round, round, round, round, 1, 2, round])
            .unwrap();
        let output = buffer(&device, 16);
        let table = vec![
            Binding {
                buffer: Some(input.clone()),
                offset: 0,
                length: WHOLE_BUFFER,
            },
            Binding {
                buffer: Some(output.clone()),
                offset: 8,
                length: 8,
            },
        ];
        let value = round as u64 + 1;
        device
            .queue_execute(
                ANY,
                vec![(timeline.clone(), round as u64)],
                vec![(timeline.clone(), value)],
                Some(cb.clone()),
                table,
            )
            .unwrap();
        timeline.wait(value, Timeout::infinite()).unwrap();
        let bytes = output.read_all().unwrap();
        assert_eq!(&bytes[..8], &[0; 8]);
        assert_eq!(&bytes[8..], &[round, 1, 2, round, 0x5A, 0x5A, 0x5A, 0x5A]);
    }
}

#[test]
fn queue_transfers_in_semaphore_order() {
    let device = device();
    let s = semaphore(0);
    let target = device
        .queue_alloca(ANY, vec![], vec![(s.clone(), 1)], params(), 16)
        .unwrap();
    // Issued before their waits are reached: they run when signalled.
    let staging = buffer(&device, 16);
    device
        .queue_fill(
            ANY,
            vec![(s.clone(), 2)],
            vec![(s.clone(), 3)],
            target.clone(),
            0,
            WHOLE_BUFFER,
            &[0x11, 0x22],
        )
        .unwrap();
    device
        .queue_update(
            ANY,
            vec![(s.clone(), 3)],
            vec![(s.clone(), 4)],
            &[9, 8, 7, 6],
            target.clone(),
            4,
        )
        .unwrap();
    device
        .queue_copy(
            ANY,
            vec![(s.clone(), 4)],
            vec![(s.clone(), 5)],
            target.clone(),
            0,
            staging.clone(),
            0,
            16,
        )
        .unwrap();
    assert_eq!(s.query().unwrap(), 1);
    assert_eq!(staging.read_all().unwrap(), vec![0; 16]);
    s.signal(2).unwrap();
    assert_eq!(s.query().unwrap(), 5);
    assert_eq!(
        staging.read_all().unwrap(),
        vec![0x11, 0x22, 0x11, 0x22, 9, 8, 7, 6, 0x11, 0x22, 0x11, 0x22, 0x11, 0x22, 0x11, 0x22]
    );
    device.wait_idle(Timeout::immediate()).unwrap();
    device
        .queue_dealloca(ANY, vec![(s.clone(), 5)], vec![(s.clone(), 6)], target)
        .unwrap();
    device
        .queue_barrier(ANY, vec![(s.clone(), 6)], vec![(s.clone(), 7)])
        .unwrap();
    device.queue_flush(ANY).unwrap();
    assert_eq!(s.query().unwrap(), 7);
}

#[test]
fn files_read_and_write_through_the_queue() {
    let device = device();
    let storage = HostStorage::wrap_boxed(
        (0u8..32).collect::<Vec<_>>().into_boxed_slice(),
        0,
        32,
        None,
    )
    .unwrap();
    let file =
        Arc::new(File::from_memory(MemoryAccess::READ | MemoryAccess::WRITE, storage).unwrap());
    let target = buffer(&device, 8);
    device
        .queue_read(ANY, vec![], vec![], file.clone(), 10, target.clone(), 0, 8)
        .unwrap();
    assert_eq!(target.read_all().unwrap(), (10u8..18).collect::<Vec<_>>());
    device
        .queue_write(ANY, vec![], vec![], target.clone(), 4, file.clone(), 0, 4)
        .unwrap();
    assert_eq!(file.read(0, 4).unwrap(), vec![14, 15, 16, 17]);
    let err = device
        .queue_read(ANY, vec![], vec![], file, 30, target, 0, 8)
        .unwrap_err();
    assert_eq!(err.code(), StatusCode::OutOfRange);
}

#[test]
fn waits_time_out_and_idle_reports_pending_work() {
    let device = device();
    let never = semaphore(0);
    let done = semaphore(0);
    device
        .queue_barrier(ANY, vec![(never.clone(), 1)], vec![(done.clone(), 1)])
        .unwrap();
    let refs = [(done.as_ref(), 1)];
    assert_eq!(
        device
            .wait_semaphores(WaitMode::All, &refs, Timeout::from_ms(20))
            .unwrap_err()
            .code(),
        StatusCode::DeadlineExceeded
    );
    assert_eq!(
        device.wait_idle(Timeout::from_ms(10)).unwrap_err().code(),
        StatusCode::DeadlineExceeded
    );
    never.signal(1).unwrap();
    device
        .wait_semaphores(WaitMode::All, &refs, Timeout::immediate())
        .unwrap();
    device.wait_idle(Timeout::immediate()).unwrap();
}

#[test]
fn a_failed_wait_fails_the_operation_and_its_signals() {
    let device = device();
    let wait = semaphore(0);
    wait.fail(iree_err!(Internal, "upstream work failed"));
    let signal = semaphore(0);
    let target = buffer(&device, 4);
    let err = device
        .queue_fill(
            ANY,
            vec![(wait.clone(), 1)],
            vec![(signal.clone(), 1)],
            target.clone(),
            0,
            4,
            &[1],
        )
        .unwrap_err();
    assert_eq!(err.code(), StatusCode::Aborted);
    assert!(err.message().contains("upstream work failed"), "{err}");
    assert!(signal.query().is_err());
    assert_eq!(
        signal.wait(1, Timeout::infinite()).unwrap_err().code(),
        StatusCode::Aborted
    );
    assert_eq!(target.read_all().unwrap(), vec![0; 4]);

    // A wait that fails later fails the deferred operation's signals.
    let later = semaphore(0);
    let signal = semaphore(0);
    device
        .queue_barrier(ANY, vec![(later.clone(), 1)], vec![(signal.clone(), 1)])
        .unwrap();
    later.fail(iree_err!(Cancelled, "gave up"));
    assert!(signal.query().is_err());
    device.wait_idle(Timeout::immediate()).unwrap();
}

#[test]
fn invalid_operations_fail_their_signals() {
    let device = device();
    let target = buffer(&device, 8);
    let signal = semaphore(0);
    let code = device
        .queue_fill(
            ANY,
            vec![],
            vec![(signal.clone(), 1)],
            target.clone(),
            6,
            4,
            &[1, 2],
        )
        .unwrap_err()
        .code();
    assert_eq!(code, StatusCode::OutOfRange);
    assert!(signal.query().is_err());
    let code = device
        .queue_copy(ANY, vec![], vec![], target.clone(), 0, target.clone(), 2, 4)
        .unwrap_err()
        .code();
    assert_eq!(code, StatusCode::InvalidArgument);
    // Not ended.
    let cb = Arc::new(
        CommandBuffer::new(CommandBufferMode::ONE_SHOT, CommandCategory::ANY, ANY, 0).unwrap(),
    );
    let code = device
        .queue_execute(ANY, vec![], vec![], Some(cb), vec![])
        .unwrap_err()
        .code();
    assert_eq!(code, StatusCode::FailedPrecondition);
}

#[test]
fn seed_submissions_wait_then_run_batches() {
    let device = device();
    let target = buffer(&device, 8);
    let cb = Arc::new(
        device
            .create_command_buffer(CommandBufferMode::ONE_SHOT, CommandCategory::ANY, ANY, 0)
            .unwrap(),
    );
    cb.begin().unwrap();
    cb.update_buffer(&[1, 2, 3, 4], BufferRef::direct(&target, 2, 4))
        .unwrap();
    cb.end().unwrap();
    let wait = semaphore(0);
    let signal = semaphore(100);
    device
        .queue_submit(
            ANY,
            vec![SubmissionBatch {
                waits: vec![(wait.clone(), 1)],
                command_buffers: vec![cb],
                signals: vec![(signal.clone(), 101)],
            }],
        )
        .unwrap();
    assert_eq!(signal.query().unwrap(), 100);
    wait.signal(1).unwrap();
    signal.wait(101, Timeout::infinite()).unwrap();
    assert_eq!(target.read_all().unwrap(), vec![0, 0, 1, 2, 3, 4, 0, 0]);
}
