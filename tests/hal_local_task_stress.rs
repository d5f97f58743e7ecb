//! One local-task device shared by 8 threads, each with its own runtime
//! session, calling a real model (hand_recrop, testdata/tflite) many times;
//! every result must be the reference's bytes. Dispatches from several
//! threads at once contend for the worker pool: one runs tiled, the others
//! run on their own threads, and none may hang or mix up results.
#![cfg(all(target_os = "linux", target_arch = "x86_64"))]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use iree_runtime::abi::iree_allocator_t;
use iree_runtime::hal::allocator::HeapAllocator;
use iree_runtime::hal::buffer_view::BufferView;
use iree_runtime::hal::device::{Device, DeviceInfo, DeviceResource, DEVICE_ID_DEFAULT};
use iree_runtime::hal::local_task::{LocalTaskDevice, PoolOptions};
use iree_runtime::hal::npy::{load_ndarray, save_ndarray};
use iree_runtime::runtime::{Call, Instance, InstanceOptions, Session, SessionOptions};

const MODEL: &str = "hand_recrop";

fn model_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/tflite")
        .join(relative)
}

fn device(workers: usize) -> Arc<LocalTaskDevice> {
    let info = DeviceInfo {
        device_id: DEVICE_ID_DEFAULT,
        path: String::new(),
        name: "default".into(),
    };
    let options = PoolOptions {
        concurrency: workers,
        spin: Duration::from_micros(50),
    };
    Arc::new(LocalTaskDevice::new("local-task", info, options).unwrap())
}

fn session(instance: &Arc<Instance>, device: &Arc<DeviceResource>) -> Arc<Session> {
    let session = Session::create_with_device(
        Arc::clone(instance),
        &SessionOptions::default(),
        Arc::clone(device),
        iree_allocator_t::system(),
    )
    .unwrap();
    session
        .append_bytecode_module_from_file(&model_file(&format!("{MODEL}.vmfb")))
        .unwrap();
    Arc::new(session)
}

fn input(allocator: &HeapAllocator) -> Arc<BufferView> {
    let bytes = std::fs::read(model_file(&format!("inputs/{MODEL}.0.0.npy"))).unwrap();
    Arc::new(load_ndarray(&bytes, allocator).unwrap().0)
}

fn expected() -> Vec<Vec<u8>> {
    (0..)
        .map(|i| model_file(&format!("expected/{MODEL}.0.{i}.npy")))
        .take_while(|p| p.exists())
        .map(|p| std::fs::read(p).unwrap())
        .collect()
}

/// Calls the model `calls` times; each call's results as npy files.
fn call_model(session: &Arc<Session>, calls: usize) -> Vec<Vec<Vec<u8>>> {
    let allocator = session.device_allocator().unwrap();
    let input = input(&allocator);
    let function = session_main(session);
    let call = Call::by_name(Arc::clone(session), &function).unwrap();
    (0..calls)
        .map(|_| {
            call.reset().unwrap();
            call.push_back_buffer_view(&input).unwrap();
            call.invoke().unwrap();
            let count = call.outputs().unwrap().size();
            (0..count)
                .map(|_| save_ndarray(&call.pop_front_buffer_view().unwrap()).unwrap())
                .collect()
        })
        .collect()
}

/// The model's entry point (`<module name>.main`).
fn session_main(session: &Session) -> String {
    ["module.main", "main.main", &format!("{MODEL}.main")]
        .into_iter()
        .find(|name| session.lookup_function(name).is_ok())
        .expect("the model exports main")
        .to_owned()
}

#[test]
fn the_model_uses_the_pool_and_matches_the_reference() {
    let expected = expected();
    assert!(!expected.is_empty());
    let instance =
        Arc::new(Instance::new(&InstanceOptions::default(), iree_allocator_t::system()).unwrap());
    for workers in [1, 2, 8] {
        let task = device(workers);
        let resource = DeviceResource::new(Arc::clone(&task) as Arc<dyn Device>);
        let results = call_model(&session(&instance, &resource), 2);
        for outputs in results {
            assert_eq!(outputs, expected, "{workers} workers");
        }
        let counts = task.dispatch_counts();
        if workers > 1 {
            assert!(counts.tiled > 0, "{workers} workers: {counts:?}");
        }
        assert_eq!(counts.contended, 0, "one thread never contends");
    }
}

#[test]
fn eight_sessions_share_one_device() {
    let calls = if cfg!(debug_assertions) { 200 } else { 1000 };
    let expected = Arc::new(expected());
    let instance =
        Arc::new(Instance::new(&InstanceOptions::default(), iree_allocator_t::system()).unwrap());
    let task = device(2);
    let resource = DeviceResource::new(Arc::clone(&task) as Arc<dyn Device>);
    let threads: Vec<_> = (0..8)
        .map(|index| {
            let (instance, resource, expected) = (
                Arc::clone(&instance),
                Arc::clone(&resource),
                Arc::clone(&expected),
            );
            std::thread::spawn(move || {
                let session = session(&instance, &resource);
                for (call, outputs) in call_model(&session, calls).into_iter().enumerate() {
                    assert_eq!(outputs, *expected, "thread {index} call {call}");
                }
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap();
    }
    let counts = task.dispatch_counts();
    assert!(counts.tiled + counts.contended > 0, "{counts:?}");
    task.wait_idle(iree_runtime::base::time::Timeout::infinite())
        .unwrap();
}
