//! Real LiteRT models (issue 11): every model of testdata/tflite/models.tsv
//! (PyPI .tflite files converted to TOSA and compiled by the pinned IREE
//! 3.13 for llvm-cpu, see tools/gen-tflite-models.sh) runs through our
//! bytecode module and hal module over a local-sync device, and each result
//! must match, as an npy file byte for byte, what the reference
//! iree-run-module wrote for the same inputs. A model with state (the
//! streaming wake-word model keeps tosa.variable globals) is called
//! `calls` times in one context with new inputs each call, and every call's
//! results are checked. The models the pinned compiler builds for VMVX
//! (testdata/vmvx/tflite, tools/gen-vmvx-tflite.sh) run the same way, on
//! local-sync and local-task, against the reference's results for them.
#![cfg(all(target_os = "linux", target_arch = "x86_64"))]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use iree_runtime::abi::iree_allocator_t;
use iree_runtime::hal::buffer_view::BufferView;
use iree_runtime::hal::device::Device;
use iree_runtime::hal::driver_registry::DriverRegistry;
use iree_runtime::hal::npy::{load_ndarray, save_ndarray};
use iree_runtime::modules::hal::selection::{create_module, devices_from_uris};
use iree_runtime::modules::hal::types::{register_types, to_arc, to_ref};
use iree_runtime::runtime::instance::register_all_available_drivers;
use iree_runtime::vm::bytecode::module::create_module as create_bytecode_module;
use iree_runtime::vm::context::Context;
use iree_runtime::vm::instance::Instance;
use iree_runtime::vm::invocation::invoke;
use iree_runtime::vm::list::List;
use iree_runtime::vm::module::Module;

fn model_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/tflite")
}

/// Which compilation of the models runs: where its `.vmfb` files and the
/// reference's results are (the inputs are shared).
#[derive(Clone, Copy)]
enum Build {
    LlvmCpu,
    Vmvx,
}

impl Build {
    fn dir(self) -> PathBuf {
        match self {
            Build::LlvmCpu => model_dir(),
            Build::Vmvx => Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/vmvx/tflite"),
        }
    }
}

/// Each model of models.tsv with how many times it is called.
fn models() -> Vec<(String, usize)> {
    let text = fs::read_to_string(model_dir().join("models.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            assert!(fields.len() == 5, "models.tsv: bad line `{line}`");
            let calls = fields[4].parse().expect("models.tsv: calls");
            (fields[0].to_owned(), calls)
        })
        .collect()
}

fn local_sync() -> Arc<dyn Device> {
    let registry = DriverRegistry::new();
    // The library's drivers, whose devices load llvm-cpu and VMVX code.
    register_all_available_drivers(&registry).unwrap();
    devices_from_uris(&registry, &["local-sync"])
        .unwrap()
        .remove(0)
}

/// The files of `folder` named `<prefix>.<index>.npy`, in index order.
fn numbered_files(folder: &Path, prefix: &str) -> Vec<PathBuf> {
    (0..)
        .map(|i| folder.join(format!("{prefix}.{i}.npy")))
        .take_while(|p| p.exists())
        .collect()
}

/// Calls `main` of the model `calls` times in one context, each call with
/// its recorded inputs; returns each call's results.
fn run_model(
    vmfb: &Path,
    name: &str,
    calls: usize,
    device: &Arc<dyn Device>,
) -> iree_runtime::Result<Vec<Vec<Arc<BufferView>>>> {
    let allocator = device.allocator()?;
    let hal = create_module(vec![Arc::clone(device)])?;
    let bytes = fs::read(vmfb).unwrap();
    let program = create_bytecode_module(Arc::new(bytes))?;
    let function_name = format!("{}.main", program.name());
    let system = iree_allocator_t::system();
    let instance = Arc::new(Instance::new(system)?);
    let context = Context::new(instance, 0, system);
    context.register_modules(&[hal, program])?;
    let function = context.resolve_function(function_name.as_bytes())?;

    let mut all_results = Vec::new();
    for call in 0..calls {
        let input_list = List::create(None, 4, system)?;
        let output_list = List::create(None, 8, system)?;
        let (ins, outs) = (List::from_ref(&input_list)?, List::from_ref(&output_list)?);
        for path in numbered_files(&model_dir().join("inputs"), &format!("{name}.{call}")) {
            let (view, _) = load_ndarray(&fs::read(path).unwrap(), &allocator)?;
            ins.push_ref(to_ref(&Arc::new(view)))?;
        }
        invoke(&context, function, 0, Some(ins), Some(outs), system)?;
        let results = (0..outs.size())
            .map(|i| to_arc::<BufferView>(&outs.get_ref(i)?, "result"))
            .collect::<iree_runtime::Result<Vec<_>>>()?;
        all_results.push(results);
    }
    Ok(all_results)
}

/// What differs between one call's results and the reference's.
fn compare(label: &str, results: &[Arc<BufferView>], expected: &[PathBuf]) -> Vec<String> {
    let mut problems = Vec::new();
    if results.len() != expected.len() {
        problems.push(format!(
            "{label}: {} results where the reference returned {}",
            results.len(),
            expected.len()
        ));
    }
    for (index, (ours, path)) in results.iter().zip(expected).enumerate() {
        let reference = fs::read(path).unwrap();
        match save_ndarray(ours) {
            Ok(written) if written == reference => {}
            Ok(written) => {
                let at = written.iter().zip(&reference).position(|(a, b)| a != b);
                problems.push(format!(
                    "{label} result {index}: npy differs from the reference's \
                     (first at byte {at:?}; {} vs {} bytes)",
                    written.len(),
                    reference.len()
                ));
            }
            Err(e) => problems.push(format!("{label} result {index}: {e}")),
        }
    }
    problems
}

/// A local-task device with `workers` threads.
fn local_task(workers: usize) -> Arc<dyn Device> {
    let registry = DriverRegistry::new();
    register_all_available_drivers(&registry).unwrap();
    let uri = format!("local-task://?task_topology_group_count={workers}");
    devices_from_uris(&registry, &[uri.as_str()])
        .unwrap()
        .remove(0)
}

#[test]
fn tflite_models_match_the_reference() {
    check_models(&local_sync(), Build::LlvmCpu);
}

/// The same bytes on local-task with 1, 2 and 8 threads.
#[test]
fn tflite_models_match_the_reference_on_local_task() {
    for workers in [1, 2, 8] {
        check_models(&local_task(workers), Build::LlvmCpu);
    }
}

/// The VMVX builds (hand_recrop in f32, the int8 okay_nabu with its
/// state) on local-sync and on local-task with 1 and 2 threads.
#[test]
fn vmvx_tflite_models_match_the_reference() {
    check_models(&local_sync(), Build::Vmvx);
    for workers in [1, 2] {
        check_models(&local_task(workers), Build::Vmvx);
    }
}

fn check_models(device: &Arc<dyn Device>, build: Build) {
    register_types().unwrap();
    let dir = build.dir();
    // VMVX has the models the compiler could build for it.
    let models: Vec<_> = models()
        .into_iter()
        .filter(|(name, _)| dir.join(format!("{name}.vmfb")).exists())
        .collect();
    let least = match build {
        Build::LlvmCpu => 3,
        Build::Vmvx => 2,
    };
    assert!(models.len() >= least, "only {} models", models.len());
    let mut problems = Vec::new();
    for (name, calls) in &models {
        let vmfb = dir.join(format!("{name}.vmfb"));
        match run_model(&vmfb, name, *calls, device) {
            Ok(all_results) => {
                for (call, results) in all_results.iter().enumerate() {
                    let expected = numbered_files(&dir.join("expected"), &format!("{name}.{call}"));
                    assert!(!expected.is_empty(), "{name}: no results of call {call}");
                    problems.extend(compare(&format!("{name} call {call}"), results, &expected));
                }
            }
            Err(e) => problems.push(format!("{name}: {e}")),
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        device.id(),
        problems.join("\n")
    );
}
