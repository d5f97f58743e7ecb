//! The `hal` VM module against the reference runtime: every case of
//! testdata/modules/hal/cases.tsv (programs compiled by the pinned IREE
//! 3.13 for llvm-cpu that need no dispatch) runs through our bytecode
//! module and hal module over a local-sync device, and each result must
//! be byte for byte the `.npy` the reference `iree-run-module` wrote
//! (tools/gen-hal-module-testdata.sh). State across calls and the
//! module's argument checking are tested here as well.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use iree_runtime::abi::iree_allocator_t;
use iree_runtime::hal::allocator::HeapAllocator;
use iree_runtime::hal::buffer_view::BufferView;
use iree_runtime::hal::command_buffer::{CommandBuffer, CommandBufferMode, CommandCategory};
use iree_runtime::hal::device::{query_i64_common, Device, DeviceInfo};
use iree_runtime::hal::driver_registry::DriverRegistry;
use iree_runtime::hal::local_sync::LocalSyncDriverFactory;
use iree_runtime::hal::memory::QueueAffinity;
use iree_runtime::hal::npy::save_ndarray;
use iree_runtime::hal::queue::{QueueOperation, Timepoints};
use iree_runtime::hal::text::parse_buffer_view;
use iree_runtime::modules::hal::selection::{create_module, devices_from_uris};
use iree_runtime::modules::hal::types::{register_types, to_arc, to_ref};
use iree_runtime::vm::bytecode::module::create_module as create_bytecode_module;
use iree_runtime::vm::context::Context;
use iree_runtime::vm::instance::Instance;
use iree_runtime::vm::invocation::invoke;
use iree_runtime::vm::list::List;
use iree_runtime::vm::module::Module;
use iree_runtime::vm::r#ref::Ref;

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/modules/hal")
}

/// The local-sync device, claiming the llvm-cpu executable format its
/// `__init` asks for: until the CPU executable loaders land the device
/// reports no formats, and these programs never dispatch.
struct ClaimsCpuFormat(Arc<dyn Device>);

impl Device for ClaimsCpuFormat {
    fn id(&self) -> &str {
        self.0.id()
    }
    fn info(&self) -> &DeviceInfo {
        self.0.info()
    }
    fn executable_formats(&self) -> Vec<String> {
        vec!["embedded-elf-x86_64".to_owned()]
    }
    fn query_i64(&self, category: &str, key: &str) -> iree_runtime::Result<i64> {
        match category {
            "hal.executable.format" => query_i64_common(self, category, key),
            _ => self.0.query_i64(category, key),
        }
    }
    fn allocator(&self) -> iree_runtime::Result<Arc<HeapAllocator>> {
        self.0.allocator()
    }
    fn create_command_buffer(
        &self,
        mode: CommandBufferMode,
        categories: CommandCategory,
        queue_affinity: QueueAffinity,
        binding_capacity: u32,
    ) -> iree_runtime::Result<CommandBuffer> {
        self.0
            .create_command_buffer(mode, categories, queue_affinity, binding_capacity)
    }
    fn enqueue(
        &self,
        queue_affinity: QueueAffinity,
        waits: Timepoints,
        signals: Timepoints,
        operation: QueueOperation,
    ) -> iree_runtime::Result<()> {
        self.0.enqueue(queue_affinity, waits, signals, operation)
    }
}

fn local_sync() -> Arc<dyn Device> {
    let registry = DriverRegistry::new();
    registry
        .register_factory(Arc::new(LocalSyncDriverFactory::default()))
        .unwrap();
    let device = devices_from_uris(&registry, &["local-sync"])
        .unwrap()
        .remove(0);
    Arc::new(ClaimsCpuFormat(device))
}

/// A context holding the hal module over `device` and the program.
struct Program {
    context: Context,
    name: String,
    device: Arc<dyn Device>,
}

impl Program {
    fn load(module: &str) -> Program {
        register_types().unwrap();
        let device = local_sync();
        let hal = create_module(vec![Arc::clone(&device)]).unwrap();
        let bytes = fs::read(data_dir().join(format!("{module}.vmfb"))).unwrap();
        let program = create_bytecode_module(Arc::new(bytes)).unwrap();
        let name = program.name().to_owned();
        let instance = Arc::new(Instance::new(iree_allocator_t::system()).unwrap());
        let context = Context::new(instance, 0, iree_allocator_t::system());
        context.register_modules(&[hal, program]).unwrap();
        Program {
            context,
            name,
            device,
        }
    }

    fn input(&self, text: &str) -> Ref {
        let allocator = self.device.allocator().unwrap();
        let view = parse_buffer_view(text.as_bytes(), &allocator).unwrap();
        to_ref(&Arc::new(view))
    }

    fn call(&self, function: &str, inputs: Vec<Ref>) -> iree_runtime::Result<Vec<Arc<BufferView>>> {
        let f = self
            .context
            .resolve_function(format!("{}.{function}", self.name).as_bytes())?;
        let allocator = iree_allocator_t::system();
        let input_list = List::create(None, inputs.len(), allocator)?;
        let output_list = List::create(None, 4, allocator)?;
        let (ins, outs) = (List::from_ref(&input_list)?, List::from_ref(&output_list)?);
        for input in inputs {
            ins.push_ref(input)?;
        }
        invoke(&self.context, f, 0, Some(ins), Some(outs), allocator)?;
        (0..outs.size())
            .map(|i| to_arc::<BufferView>(&outs.get_ref(i)?, "result"))
            .collect()
    }
}

#[test]
fn programs_match_the_reference_byte_for_byte() {
    let dir = data_dir();
    let cases = fs::read_to_string(dir.join("cases.tsv")).unwrap();
    let mut counts = std::collections::HashMap::<String, usize>::new();
    let mut ran = 0;
    for line in cases
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
    {
        let fields: Vec<&str> = line.split('\t').collect();
        let (module, function, inputs) = (fields[0], fields[1], &fields[2..]);
        let key = format!("{module}.{function}");
        let index = counts.entry(key.clone()).or_default();
        let base = format!("{key}.{index}");
        *index += 1;
        let program = Program::load(module);
        let inputs = inputs.iter().map(|text| program.input(text)).collect();
        let results = program
            .call(function, inputs)
            .unwrap_or_else(|e| panic!("{base}: {e}"));
        let printed = fs::read_to_string(dir.join(format!("expected/{base}.txt"))).unwrap();
        let expected_count = printed.lines().filter(|l| l.starts_with("result[")).count();
        assert_eq!(results.len(), expected_count, "{base}: result count");
        for (i, view) in results.iter().enumerate() {
            let expected = fs::read(dir.join(format!("expected/{base}.{i}.npy"))).unwrap();
            let ours = save_ndarray(view).unwrap();
            assert_eq!(
                ours, expected,
                "{base}: result {i} differs from the reference"
            );
        }
        ran += 1;
    }
    assert!(ran >= 18, "only {ran} cases ran");
}

#[test]
fn globals_keep_their_state_across_calls() {
    let program = Program::load("state");
    let first = program
        .call("exchange", vec![program.input("2xi32=5 6")])
        .unwrap();
    assert_eq!(
        first[0].buffer().read_all().unwrap(),
        [10i32, 20].map(i32::to_le_bytes).concat()
    );
    let second = program
        .call("exchange", vec![program.input("2xi32=-1 7")])
        .unwrap();
    assert_eq!(
        second[0].buffer().read_all().unwrap(),
        [5i32, 6].map(i32::to_le_bytes).concat()
    );
    let peek = program.call("peek", vec![]).unwrap();
    assert_eq!(
        peek[0].buffer().read_all().unwrap(),
        [-1i32, 7].map(i32::to_le_bytes).concat()
    );
    // The result the program handed out is not changed by later stores.
    assert_eq!(
        first[0].buffer().read_all().unwrap(),
        [10i32, 20].map(i32::to_le_bytes).concat()
    );
}

#[test]
fn inputs_that_do_not_match_the_signature_fail_with_a_message() {
    let program = Program::load("passthrough");
    let err = program
        .call("expand", vec![program.input("5xi32=1 2 3 4 5")])
        .unwrap_err();
    assert!(
        err.message()
            .contains("shape dimension 0 mismatch; expected 6 but have 5"),
        "{err}"
    );
    let err = program
        .call("expand", vec![program.input("6xf32=1 2 3 4 5 6")])
        .unwrap_err();
    assert!(err.message().contains("element type mismatch"), "{err}");
    let err = program
        .call("expand", vec![program.input("2x3xi32=1 2 3 4 5 6")])
        .unwrap_err();
    assert!(
        err.message()
            .contains("shape rank mismatch; expected 1 but have 2"),
        "{err}"
    );
    // A buffer where a buffer view belongs.
    let view = program.input("6xi32=1 2 3 4 5 6");
    let buffer = to_ref(to_arc::<BufferView>(&view, "view").unwrap().buffer());
    let err = program.call("expand", vec![buffer]).unwrap_err();
    assert!(
        err.message().contains("expected a !hal.buffer_view"),
        "{err}"
    );
}
