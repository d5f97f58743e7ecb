//! The `check` module under programs compiled by the pinned IREE 3.13
//! (testdata/modules/check/expectations.mlir): every `pass_*` function
//! records no failure, every `fail_*` function exactly one, naming the
//! values; a failed expectation does not fail the call (as upstream).

use std::sync::Arc;

use iree_runtime::abi::iree_allocator_t;
use iree_runtime::hal::device::{Device, DeviceInfo, DEVICE_ID_DEFAULT};
use iree_runtime::hal::local_sync::LocalSyncDevice;
use iree_runtime::modules::check::create_module as create_check_module;
use iree_runtime::modules::hal::selection::create_module as create_hal_module;
use iree_runtime::modules::hal::types::register_types;
use iree_runtime::vm::bytecode::module::create_module;
use iree_runtime::vm::context::Context;
use iree_runtime::vm::instance::Instance;
use iree_runtime::vm::invocation::invoke;

/// local-sync, claiming the CPU format `__init` asks for (these programs
/// never dispatch; see tests/modules_hal.rs).
struct CpuDevice(LocalSyncDevice);

impl Device for CpuDevice {
    fn id(&self) -> &str {
        self.0.id()
    }
    fn info(&self) -> &DeviceInfo {
        self.0.info()
    }
    fn executable_formats(&self) -> Vec<String> {
        vec!["embedded-elf-x86_64".to_owned()]
    }
    fn allocator(&self) -> iree_runtime::Result<Arc<iree_runtime::hal::allocator::HeapAllocator>> {
        self.0.allocator()
    }
    fn enqueue(
        &self,
        queue_affinity: u64,
        waits: iree_runtime::hal::queue::Timepoints,
        signals: iree_runtime::hal::queue::Timepoints,
        operation: iree_runtime::hal::queue::QueueOperation,
    ) -> iree_runtime::Result<()> {
        self.0.enqueue(queue_affinity, waits, signals, operation)
    }
}

#[test]
fn passing_functions_record_nothing_and_failing_ones_say_why() {
    register_types().unwrap();
    let info = DeviceInfo {
        device_id: DEVICE_ID_DEFAULT,
        path: String::new(),
        name: "default".into(),
    };
    let device: Arc<dyn Device> = Arc::new(CpuDevice(LocalSyncDevice::new("local-sync", info)));
    let hal = create_hal_module(vec![device]).unwrap();
    let (check, failures) = create_check_module().unwrap();
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata/modules/check/expectations.vmfb"
    );
    let program = create_module(Arc::new(std::fs::read(path).unwrap())).unwrap();
    let instance = Arc::new(Instance::new(iree_allocator_t::system()).unwrap());
    let context = Context::new(instance, 0, iree_allocator_t::system());
    context.register_modules(&[hal, check, program]).unwrap();
    let expected_failures: &[(&str, &[&str])] = &[
        ("pass_true", &[]),
        ("pass_false", &[]),
        ("pass_all_true", &[]),
        ("pass_eq", &[]),
        ("pass_almost_eq", &[]),
        ("pass_almost_eq_f16_tolerances", &[]),
        ("fail_true", &["Expected 0 to be nonzero."]),
        (
            "fail_all_true",
            &["element 1 is zero", "3xi32=1 0 3"],
        ),
        (
            "fail_eq",
            &[
                "Expected equality of these values. Contents does not match.",
                "lhs:\n    5xi32=1 2 3 4 5",
                "rhs:\n    5xi32=1 2 3 4 6",
            ],
        ),
        (
            "fail_almost_eq",
            &["Expected near equality of these values. Contents does not match to tolerance parameters", "index 1"],
        ),
        ("fail_almost_eq_f16_tolerances", &["index 1 as the lhs value 100 differs from the rhs value 97"]),
    ];
    for (function, texts) in expected_failures {
        let f = context
            .resolve_function(format!("module.{function}").as_bytes())
            .unwrap();
        invoke(&context, f, 0, None, None, iree_allocator_t::system())
            .unwrap_or_else(|e| panic!("{function}: {e}"));
        let recorded = failures.take();
        if texts.is_empty() {
            assert!(recorded.is_empty(), "{function}: {recorded:?}");
        } else {
            assert_eq!(recorded.len(), 1, "{function}: {recorded:?}");
            for text in *texts {
                assert!(
                    recorded[0].contains(text),
                    "{function}: '{}' lacks '{text}'",
                    recorded[0]
                );
            }
        }
    }
}
