//! CPU executables on the local-sync device: system libraries compiled by
//! the pinned IREE compiler (testdata/hal/executables, rebuilt by
//! tools/gen-executable-testdata.sh) are loaded through the device's
//! executable cache and dispatched from recorded command buffers with real
//! buffers; hand-written libraries (tests/hal_executables/fake_library.c,
//! compiled here with `cc`) check what the dispatch ABI passes and that
//! malformed libraries are refused by name.
#![cfg(all(target_os = "linux", target_arch = "x86_64"))]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, PoisonError};

use iree_runtime::base::status::StatusCode;
use iree_runtime::base::time::Timeout;
use iree_runtime::hal::buffer::Buffer;
use iree_runtime::hal::command_buffer::{
    Binding, BufferRef, CommandBuffer, CommandBufferMode, CommandCategory, Workgroups,
};
use iree_runtime::hal::device::Device;
use iree_runtime::hal::driver_registry::DriverRegistry;
use iree_runtime::hal::executable::{Executable, ExecutableParams};
use iree_runtime::hal::fence::Fence;
use iree_runtime::hal::local_sync::LocalSyncDriverFactory;
use iree_runtime::hal::memory::{BufferParams, BufferUsage, MemoryType};
use iree_runtime::hal::semaphore::Semaphore;
use iree_runtime::Error;

const ANY: u64 = u64::MAX;
const FORMAT: &str = "system-elf-x86_64";

fn device() -> Arc<dyn Device> {
    let registry = DriverRegistry::new();
    registry
        .register_factory(Arc::new(LocalSyncDriverFactory::default()))
        .unwrap();
    registry.create_device("local-sync").unwrap()
}

fn buffer_with(device: &Arc<dyn Device>, bytes: &[u8]) -> Arc<Buffer> {
    let params = BufferParams {
        memory_type: MemoryType::DEVICE_LOCAL | MemoryType::HOST_VISIBLE,
        usage: BufferUsage::TRANSFER | BufferUsage::DISPATCH | BufferUsage::MAPPING,
        ..Default::default()
    };
    let buffer = device
        .allocator()
        .unwrap()
        .allocate_buffer(params, bytes.len() as u64, &[])
        .unwrap();
    buffer.map_write(0, bytes).unwrap();
    buffer
}

fn f32_bytes(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn i32_bytes(values: &[i32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn words<T>(buffer: &Buffer, decode: fn([u8; 4]) -> T) -> Vec<T> {
    buffer
        .read_all()
        .unwrap()
        .chunks_exact(4)
        .map(|c| decode([c[0], c[1], c[2], c[3]]))
        .collect()
}

fn read_f32(buffer: &Buffer) -> Vec<f32> {
    buffer
        .read_all()
        .unwrap()
        .chunks_exact(4)
        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

fn load(
    device: &Arc<dyn Device>,
    data: &[u8],
    constants: &[u32],
) -> iree_runtime::Result<Arc<Executable>> {
    let cache = device.create_executable_cache("default")?;
    assert!(cache.can_prepare_format(0, FORMAT));
    cache.prepare_executable(&ExecutableParams {
        executable_format: FORMAT,
        executable_data: data,
        constants,
        ..Default::default()
    })
}

fn kernels(device: &Arc<dyn Device>) -> Arc<Executable> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/hal/executables/kernels.system_elf_x86_64.so");
    load(device, &std::fs::read(path).unwrap(), &[]).unwrap()
}

/// Runs `command_buffer` on the device's queue with `binding_table`. An
/// operation that runs inline reports its own error; the signal fence then
/// fails too, and a wait on it reports ABORTED carrying that error.
fn submit(
    device: &Arc<dyn Device>,
    command_buffer: &Arc<CommandBuffer>,
    binding_table: Vec<Binding>,
) -> Result<(), Error> {
    let semaphore = Arc::new(Semaphore::new(0));
    let fence = Fence::at(&semaphore, 1).unwrap();
    let issued = device.queue_execute(
        ANY,
        vec![],
        fence.timepoints(),
        Some(Arc::clone(command_buffer)),
        binding_table,
    );
    let waited = fence.wait(Timeout::infinite());
    match (&issued, &waited) {
        (Ok(()), Ok(())) => {}
        (Err(cause), Err(wait)) => {
            assert_eq!(wait.code(), StatusCode::Aborted, "{wait}");
            assert!(semaphore.is_failed());
            assert!(
                wait.to_string().contains(cause.message()),
                "the fence's failure carries the cause: {wait} / {cause}"
            );
        }
        _ => panic!("submission and fence disagree: {issued:?} vs {waited:?}"),
    }
    issued
}

fn one_shot(device: &Arc<dyn Device>) -> Arc<CommandBuffer> {
    let cb = device
        .create_command_buffer(CommandBufferMode::ONE_SHOT, CommandCategory::ANY, ANY, 0)
        .unwrap();
    cb.begin().unwrap();
    Arc::new(cb)
}

#[test]
fn the_device_reports_and_loads_system_libraries() {
    let device = device();
    assert_eq!(
        device.query_i64("hal.executable.format", FORMAT).unwrap(),
        1
    );
    assert_eq!(
        device
            .query_i64("hal.executable.format", "vmvx-bytecode-fb")
            .unwrap(),
        0
    );
    let executable = kernels(&device);
    assert_eq!(executable.format(), FORMAT);
    assert_eq!(executable.entry_point_count(), 3);
    assert_eq!(
        executable.code().unwrap().name(),
        "kernels_linked",
        "the library names itself"
    );
    for (ordinal, name) in [
        "add_dispatch_0_elementwise_4_f32",
        "mul_dispatch_0_elementwise_D_i32",
        "matmul_dispatch_0_matmul_64x48x32_f32",
    ]
    .iter()
    .enumerate()
    {
        assert_eq!(executable.entry_point_name(ordinal as u32), Some(*name));
        assert_eq!(executable.lookup_entry_point(name).unwrap(), ordinal as u32);
    }
    let cache = device.create_executable_cache("default").unwrap();
    let err = cache
        .prepare_executable(&ExecutableParams {
            executable_format: "embedded-elf-aarch64",
            executable_data: b"\x7fELF",
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.code(), StatusCode::NotFound);
    assert!(err.message().contains(FORMAT), "{err}");
}

#[test]
fn a_reusable_command_buffer_adds_through_binding_table_slots() {
    let device = device();
    let executable = kernels(&device);
    // As the compiled host code records it: slots 0, 1 in, slot 2 out,
    // one workgroup (testdata/hal/executables/kernels.dispatches.txt).
    let cb = device
        .create_command_buffer(CommandBufferMode::empty(), CommandCategory::ANY, ANY, 3)
        .unwrap();
    cb.begin().unwrap();
    let slots = (0..3).map(|slot| BufferRef::slot(slot, 0, 16)).collect();
    cb.dispatch(&executable, 0, Workgroups::Count([1, 1, 1]), &[], slots)
        .unwrap();
    cb.end().unwrap();
    let cb = Arc::new(cb);
    for round in 0..3 {
        let a: Vec<f32> = (0..4).map(|i| i as f32 + round as f32).collect();
        let b = [0.5f32, -1.0, 1e-3, 100.0];
        let lhs = buffer_with(&device, &f32_bytes(&a));
        let rhs = buffer_with(&device, &f32_bytes(&b));
        let out = buffer_with(&device, &[0; 16]);
        let table = [lhs, rhs, out.clone()]
            .into_iter()
            .map(|buffer| Binding {
                buffer: Some(buffer),
                offset: 0,
                length: 16,
            })
            .collect();
        submit(&device, &cb, table).unwrap();
        let expected: Vec<f32> = a.iter().zip(b).map(|(x, y)| x + y).collect();
        assert_eq!(read_f32(&out), expected);
    }
}

#[test]
fn a_dynamic_dispatch_takes_its_sizes_as_constants_over_two_workgroups() {
    let device = device();
    let executable = kernels(&device);
    // 5000 elements: constants are each size's low and high words, and
    // the host code asks for ceil(5000 / 4096) = 2 workgroups.
    let n = 5000usize;
    let a: Vec<i32> = (0..n as i32).map(|i| i - 2500).collect();
    let b: Vec<i32> = (0..n as i32).map(|i| 3 * i + 1).collect();
    let lhs = buffer_with(&device, &i32_bytes(&a));
    let rhs = buffer_with(&device, &i32_bytes(&b));
    // The output sits 64 bytes into a larger buffer, through a subspan.
    let backing = buffer_with(&device, &vec![0xEE; 4 * n + 128]);
    let out = backing.subspan(64, 4 * n as u64).unwrap();
    let cb = one_shot(&device);
    let constants = [n as u32, 0, n as u32, 0];
    let bindings = vec![
        BufferRef::direct(&lhs, 0, 4 * n as u64),
        BufferRef::direct(&rhs, 0, 4 * n as u64),
        BufferRef::direct(&out, 0, 4 * n as u64),
    ];
    cb.dispatch(
        &executable,
        1,
        Workgroups::Count([2, 1, 1]),
        &constants,
        bindings,
    )
    .unwrap();
    cb.end().unwrap();
    submit(&device, &cb, vec![]).unwrap();
    let got = words(&out, i32::from_le_bytes);
    let expected: Vec<i32> = a.iter().zip(&b).map(|(x, y)| x.wrapping_mul(*y)).collect();
    assert_eq!(got, expected);
    let all = backing.read_all().unwrap();
    assert!(all[..64]
        .iter()
        .chain(&all[64 + 4 * n..])
        .all(|&b| b == 0xEE));
}

#[test]
fn a_matmul_runs_over_eight_workgroups() {
    let device = device();
    let executable = kernels(&device);
    let (m, k, n) = (64usize, 32usize, 48usize);
    // Small integers keep every product and sum exact in f32.
    let a: Vec<f32> = (0..m * k).map(|i| ((i * 7) % 11) as f32 - 5.0).collect();
    let b: Vec<f32> = (0..k * n).map(|i| ((i * 5) % 13) as f32 - 6.0).collect();
    let lhs = buffer_with(&device, &f32_bytes(&a));
    let rhs = buffer_with(&device, &f32_bytes(&b));
    let out = buffer_with(&device, &vec![0; 4 * m * n]);
    let cb = one_shot(&device);
    let bindings = vec![
        BufferRef::direct(&lhs, 0, (4 * m * k) as u64),
        BufferRef::direct(&rhs, 0, (4 * k * n) as u64),
        BufferRef::direct(&out, 0, (4 * m * n) as u64),
    ];
    cb.dispatch(&executable, 2, Workgroups::Count([8, 1, 1]), &[], bindings)
        .unwrap();
    cb.end().unwrap();
    submit(&device, &cb, vec![]).unwrap();
    let mut expected = vec![0f32; m * n];
    for i in 0..m {
        for j in 0..n {
            expected[i * n + j] = (0..k).map(|p| a[i * k + p] * b[p * n + j]).sum();
        }
    }
    assert_eq!(read_f32(&out), expected);
}

#[test]
fn a_dispatch_with_the_wrong_binding_count_fails_its_submission() {
    let device = device();
    let executable = kernels(&device);
    let only = buffer_with(&device, &[0; 16]);
    let cb = one_shot(&device);
    cb.dispatch(
        &executable,
        0,
        Workgroups::Count([1, 1, 1]),
        &[],
        vec![BufferRef::direct(&only, 0, 16)],
    )
    .unwrap();
    cb.end().unwrap();
    let err = submit(&device, &cb, vec![]).unwrap_err();
    assert!(
        err.to_string()
            .contains("takes 3 bindings but the dispatch gives 1"),
        "{err}"
    );
}

/// Builds tests/hal_executables/fake_library.c with `define` (if any),
/// once per variant (tests run in parallel and share the outputs).
fn fake_library(define: Option<&str>) -> Vec<u8> {
    static BUILT: Mutex<BTreeMap<String, Vec<u8>>> = Mutex::new(BTreeMap::new());
    let variant = define.unwrap_or("valid").to_owned();
    let mut built = BUILT.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(bytes) = built.get(&variant) {
        return bytes.clone();
    }
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hal_executables/fake_library.c");
    let output = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("fake_library_{variant}_{}.so", std::process::id()));
    let mut command = Command::new("cc");
    command
        .args(["-shared", "-fPIC", "-O1", "-o"])
        .arg(&output)
        .arg(&source);
    if let Some(define) = define {
        command.arg(format!("-D{define}"));
    }
    let status = command.status().expect("the tests need a C compiler (cc)");
    assert!(status.success(), "cc failed for {variant}");
    let bytes = std::fs::read(&output).unwrap();
    let _ = std::fs::remove_file(&output);
    built.insert(variant, bytes.clone());
    bytes
}

#[test]
fn the_dispatch_abi_carries_ids_counts_constants_lengths_and_local_memory() {
    let device = device();
    let executable = load(&device, &fake_library(None), &[]).unwrap();
    assert_eq!(executable.entry_point_name(0), Some("echo_state"));
    let (x, y) = (3u32, 2u32);
    let out = buffer_with(&device, &vec![0; 4 * 12 * (x * y) as usize]);
    let input = buffer_with(&device, &i32_bytes(&[1000, 0]));
    let cb = one_shot(&device);
    cb.dispatch(
        &executable,
        0,
        Workgroups::Count([x, y, 1]),
        &[7, 0xDEAD_BEEF],
        vec![
            BufferRef::direct(&out, 0, out.byte_length()),
            BufferRef::direct(&input, 4, 4),
        ],
    )
    .unwrap();
    cb.end().unwrap();
    submit(&device, &cb, vec![]).unwrap();
    let rows = words(&out, u32::from_le_bytes);
    let out_len = out.byte_length() as u32;
    for (linear, row) in rows.chunks_exact(12).enumerate() {
        let linear = linear as u32;
        assert_eq!(
            row,
            [
                linear % x,
                linear / x,
                0,
                x,
                y,
                4,
                7,
                0xDEAD_BEEF,
                out_len,
                4,
                4096,
                // Binding 1 starts at the input's second word (0).
                linear + 100,
            ],
            "workgroup {linear}"
        );
    }
}

#[test]
fn a_failing_workgroup_fails_the_submission_naming_executable_and_export() {
    let device = device();
    let executable = load(&device, &fake_library(None), &[]).unwrap();
    let out = buffer_with(&device, &[0; 16]);
    let cb = one_shot(&device);
    cb.dispatch(
        &executable,
        1,
        Workgroups::Count([4, 1, 1]),
        &[],
        vec![BufferRef::direct(&out, 0, 16)],
    )
    .unwrap();
    cb.end().unwrap();
    let err = submit(&device, &cb, vec![]).unwrap_err();
    assert_eq!(err.code(), StatusCode::Internal);
    let message = err.to_string();
    assert!(
        message.contains("export 'fail_second' (ordinal 1) of executable 'fake_library'")
            && message.contains("code 3 in workgroup (1, 0, 0)"),
        "{message}"
    );
    // Workgroups 0 and 1 ran; 2 and 3 never did.
    assert_eq!(words(&out, u32::from_le_bytes), [1, 1, 0, 0]);
}

#[test]
fn malformed_libraries_are_refused_by_name() {
    let device = device();
    let cases: &[(&str, StatusCode, &str)] = &[
        (
            "WRONG_VERSION",
            StatusCode::FailedPrecondition,
            "'fake_library' has ABI version 7",
        ),
        (
            "QUERY_REFUSES",
            StatusCode::FailedPrecondition,
            "does not support this runtime's ABI version",
        ),
        (
            "TOO_MANY_BINDINGS",
            StatusCode::OutOfRange,
            "export 'fail_second' of executable library 'fake_library' requires 65 bindings",
        ),
        (
            "NO_NAMES",
            StatusCode::FailedPrecondition,
            "export 0 has no function name",
        ),
        (
            "ADDRESS_SANITIZER",
            StatusCode::Unavailable,
            "AddressSanitizer",
        ),
        (
            "NEEDS_IMPORT",
            StatusCode::NotFound,
            "imports 'missing_function'",
        ),
    ];
    for (define, code, text) in cases {
        let err = load(&device, &fake_library(Some(define)), &[]).unwrap_err();
        assert_eq!(err.code(), *code, "{define}: {err}");
        assert!(err.to_string().contains(text), "{define}: {err}");
    }
    // A weak import may stay unresolved.
    assert!(load(&device, &fake_library(Some("WEAK_IMPORT")), &[]).is_ok());
    // Executable constants must match what the library declares (none).
    let err = load(&device, &fake_library(None), &[1]).unwrap_err();
    assert!(
        err.to_string()
            .contains("requires 0 executable constants but 1 were provided"),
        "{err}"
    );
    // Not a library at all.
    let err = load(&device, b"\x7fELF\x02\x01\x01", &[]).unwrap_err();
    assert!(
        err.to_string().contains("cannot load the system library"),
        "{err}"
    );
}

#[test]
fn libraries_load_and_unload_many_times_from_several_threads() {
    let device = device();
    let valid = fake_library(None);
    let weak = fake_library(Some("WEAK_IMPORT"));
    std::thread::scope(|scope| {
        for thread in 0..4 {
            let (device, valid, weak) = (&device, &valid, &weak);
            scope.spawn(move || {
                let mut kept = Vec::new();
                for round in 0..10 {
                    let data = if (thread + round) % 2 == 0 {
                        valid
                    } else {
                        weak
                    };
                    let executable = load(device, data, &[]).unwrap();
                    let out = buffer_with(device, &[0; 16]);
                    let cb = one_shot(device);
                    cb.dispatch(
                        &executable,
                        1,
                        Workgroups::Count([1, 1, 1]),
                        &[],
                        vec![BufferRef::direct(&out, 0, 16)],
                    )
                    .unwrap();
                    cb.end().unwrap();
                    submit(device, &cb, vec![]).unwrap();
                    assert_eq!(words(&out, u32::from_le_bytes), [1, 0, 0, 0]);
                    if round % 3 == 0 {
                        kept.push(executable);
                    }
                }
            });
        }
    });
}

#[test]
fn an_embedded_elf_executable_runs_through_the_runtimes_own_loader() {
    let device = device();
    let cache = device.create_executable_cache("default").unwrap();
    assert!(cache.can_prepare_format(0, "embedded-elf-x86_64"));
    let data =
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/hal/elf/add_x86_64.so"))
            .unwrap();
    let executable = cache
        .prepare_executable(&ExecutableParams {
            executable_format: "embedded-elf-x86_64",
            executable_data: &data,
            ..Default::default()
        })
        .unwrap();
    let a = [1.0f32, 2.5, -3.0, 1e6];
    let b = [0.5f32, -1.0, 1e-3, 100.0];
    let lhs = buffer_with(&device, &f32_bytes(&a));
    let rhs = buffer_with(&device, &f32_bytes(&b));
    let out = buffer_with(&device, &[0; 16]);
    let cb = one_shot(&device);
    let bindings = [&lhs, &rhs, &out]
        .into_iter()
        .map(|buffer| BufferRef::direct(buffer, 0, 16))
        .collect();
    cb.dispatch(&executable, 0, Workgroups::Count([1, 1, 1]), &[], bindings)
        .unwrap();
    cb.end().unwrap();
    submit(&device, &cb, vec![]).unwrap();
    let expected: Vec<f32> = a.iter().zip(b).map(|(x, y)| x + y).collect();
    assert_eq!(read_f32(&out), expected);
    // A truncated image is refused by the ELF loader, by name.
    let err = cache
        .prepare_executable(&ExecutableParams {
            executable_format: "embedded-elf-x86_64",
            executable_data: &data[..100],
            ..Default::default()
        })
        .unwrap_err();
    assert!(!err.message().is_empty(), "{err}");
}
