//! Malformed input to the VMVX loader and its dispatches: truncated and
//! corrupted executables, wrong binding counts, bindings too small for
//! what the bytecode (or a microkernel) reads and writes, ranges outside
//! their buffers, bad ordinals and constants. Each must give a status,
//! never a crash or an out-of-bounds access. The executables are the one
//! of testdata/vmvx/{plain,ukernels}/ew_f32.vmfb (tools/gen-vmvx-testdata.sh):
//! five bindings of 3x8 f32.

use std::path::Path;
use std::sync::Arc;

use iree_runtime::base::status::StatusCode;
use iree_runtime::hal::buffer::Buffer;
use iree_runtime::hal::command_buffer::ResolvedRange;
use iree_runtime::hal::device::Device;
use iree_runtime::hal::driver_registry::DriverRegistry;
use iree_runtime::hal::executable::ExecutableParams;
use iree_runtime::hal::local::{ExecutableCode, ExecutableLoader};
use iree_runtime::hal::memory::{BufferParams, BufferUsage, MemoryType};
use iree_runtime::modules::vmvx::{VmvxDriverFactory, VmvxLoader, FORMAT};

const VARIANTS: [&str; 2] = ["plain", "ukernels"];
const BINDINGS: usize = 5;
/// Room for every binding's accesses (the program's bindings are ranges
/// of larger buffers, so the bytecode reads past one tensor's size).
const BINDING_BYTES: u64 = 4096;

fn executable_bytes(variant: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/vmvx/executables")
        .join(format!("ew_f32_{variant}.fb"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load_with(data: &[u8], constants: &[u32]) -> iree_runtime::Result<Box<dyn ExecutableCode>> {
    VmvxLoader::new().load(&ExecutableParams {
        caching_mode: 0,
        executable_format: FORMAT,
        executable_data: data,
        executable_layouts: Vec::new(),
        constants,
    })
}

fn load(data: &[u8]) -> iree_runtime::Result<Box<dyn ExecutableCode>> {
    load_with(data, &[])
}

fn device() -> Arc<dyn Device> {
    let registry = DriverRegistry::new();
    registry
        .register_factory(VmvxDriverFactory::shared())
        .unwrap();
    registry.create_device("vmvx").unwrap()
}

fn buffer(device: &Arc<dyn Device>, size: u64) -> Arc<Buffer> {
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

fn ranges(device: &Arc<dyn Device>, count: usize, size: u64) -> Vec<ResolvedRange> {
    (0..count)
        .map(|_| ResolvedRange {
            buffer: buffer(device, size),
            offset: 0,
            length: size,
        })
        .collect()
}

#[test]
fn well_formed_executables_load_and_dispatch() {
    let device = device();
    for variant in VARIANTS {
        let code = load(&executable_bytes(variant)).unwrap();
        assert_eq!(code.export_names().len(), 1, "{variant}");
        let bindings = ranges(&device, BINDINGS, BINDING_BYTES);
        code.dispatch(0, [1, 1, 1], &[], &bindings).unwrap();
        // Twice: the reused stack and local memory carry nothing over.
        code.dispatch(0, [1, 1, 1], &[], &bindings).unwrap();
    }
}

#[test]
fn wrong_binding_counts_are_rejected() {
    let device = device();
    for variant in VARIANTS {
        let code = load(&executable_bytes(variant)).unwrap();
        for count in [0, BINDINGS - 1, BINDINGS + 1, 65] {
            let error = code
                .dispatch(0, [1, 1, 1], &[], &ranges(&device, count, BINDING_BYTES))
                .unwrap_err();
            assert_eq!(
                error.code(),
                StatusCode::InvalidArgument,
                "{variant}: {error}"
            );
            assert!(error.message().contains(&code.export_names()[0]), "{error}");
        }
    }
}

#[test]
fn bindings_too_small_for_the_bytecode_fail_the_dispatch() {
    let device = device();
    for variant in VARIANTS {
        let code = load(&executable_bytes(variant)).unwrap();
        for size in [0, 4, BINDING_BYTES / 32] {
            let error = code
                .dispatch(0, [1, 1, 1], &[], &ranges(&device, BINDINGS, size))
                .unwrap_err();
            assert_eq!(
                error.code(),
                StatusCode::OutOfRange,
                "{variant}, {size} bytes: {error}"
            );
            assert!(error.to_string().contains("VMVX executable"), "{error}");
        }
    }
}

#[test]
fn binding_ranges_outside_their_buffers_are_rejected() {
    let device = device();
    let code = load(&executable_bytes("plain")).unwrap();
    let mut bindings = ranges(&device, BINDINGS, BINDING_BYTES);
    bindings[2].offset = BINDING_BYTES - 8;
    let error = code.dispatch(0, [1, 1, 1], &[], &bindings).unwrap_err();
    assert_eq!(error.code(), StatusCode::OutOfRange, "{error}");
    assert!(error.to_string().contains("binding 2"), "{error}");
    bindings[2].offset = u64::MAX;
    assert!(code.dispatch(0, [1, 1, 1], &[], &bindings).is_err());
}

#[test]
fn bad_ordinals_counts_and_constants_are_statuses() {
    let device = device();
    let bytes = executable_bytes("plain");
    let code = load(&bytes).unwrap();
    let bindings = ranges(&device, BINDINGS, BINDING_BYTES);
    let error = code.dispatch(1, [1, 1, 1], &[], &bindings).unwrap_err();
    assert_eq!(error.code(), StatusCode::OutOfRange, "{error}");
    let error = code.dispatch(0, [1, 1, 1], &[7], &bindings).unwrap_err();
    assert_eq!(error.code(), StatusCode::InvalidArgument, "{error}");
    // No workgroups: nothing runs, even with bindings that could not hold
    // the data.
    code.dispatch(0, [0, 1, 1], &[], &ranges(&device, BINDINGS, 0))
        .unwrap();
    let error = load_with(&bytes, &[1, 2]).unwrap_err();
    assert_eq!(error.code(), StatusCode::InvalidArgument, "{error}");
    let error = VmvxLoader::new()
        .load(&ExecutableParams {
            caching_mode: 0,
            executable_format: "embedded-elf-x86_64",
            executable_data: &bytes,
            executable_layouts: Vec::new(),
            constants: &[],
        })
        .unwrap_err();
    assert_eq!(error.code(), StatusCode::InvalidArgument, "{error}");
}

/// A prefix that keeps everything the module refers to may load (the
/// bytes past it are not needed); it must then run as the whole one does.
#[test]
fn truncated_executables_are_rejected_or_still_whole() {
    let device = device();
    for variant in VARIANTS {
        let bytes = executable_bytes(variant);
        let mut rejected = 0;
        for length in (0..bytes.len()).step_by(5) {
            match load(&bytes[..length]) {
                Err(_) => rejected += 1,
                Ok(code) => code
                    .dispatch(0, [1, 1, 1], &[], &ranges(&device, BINDINGS, BINDING_BYTES))
                    .unwrap(),
            }
        }
        assert!(
            rejected > bytes.len() / 10,
            "{variant}: {rejected} rejected"
        );
    }
}

#[test]
fn corrupted_executables_load_or_fail_but_never_crash() {
    for variant in VARIANTS {
        let bytes = executable_bytes(variant);
        let (mut loaded, mut rejected) = (0, 0);
        for at in (0..bytes.len()).step_by(3) {
            for flip in [0x01u8, 0x80, 0xFF] {
                let mut corrupted = bytes.clone();
                corrupted[at] ^= flip;
                match load(&corrupted) {
                    Ok(code) => {
                        loaded += 1;
                        drop(code);
                    }
                    Err(_) => rejected += 1,
                }
            }
        }
        assert!(
            rejected > 0,
            "{variant}: every corruption loaded ({loaded})"
        );
    }
}
