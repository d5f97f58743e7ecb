//! The `tflite` layer from Rust (issue 14): the tiny dynamic-shape test
//! program (resize, allocate, invoke, output shapes follow, several
//! inputs and outputs, names, types and quantization from the sidecar) and
//! the real models of testdata/tflite_capi, whose outputs must equal the
//! reference iree-run-module's byte for byte.
#![cfg(all(target_os = "linux", target_arch = "x86_64"))]

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use iree_runtime::tflite::{Interpreter, InterpreterOptions, Model, TensorType};
use iree_runtime::StatusCode;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/tflite_capi")
}

fn f32_bytes(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

#[test]
fn tiny_dynamic_model_resizes_and_runs() {
    let model = Arc::new(Model::from_file(&dir().join("tiny_dynamic.vmfb")).unwrap());
    let messages = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = Arc::clone(&messages);
    let options = InterpreterOptions {
        num_threads: 1,
        error_reporter: Some(Arc::new(move |m: &str| {
            sink.lock().unwrap().push(m.to_owned())
        })),
    };
    let mut interpreter = Interpreter::new(Arc::clone(&model), &options).unwrap();
    drop(model);
    let names: Vec<String> = interpreter
        .inputs()
        .iter()
        .chain(interpreter.outputs())
        .map(|t| t.name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["a", "b", "counts", "q", "sum", "squares", "q_plus_one"]
    );
    assert_eq!(
        interpreter.input(2).unwrap().tensor_type(),
        TensorType::Int32
    );
    let q = interpreter.input(3).unwrap();
    assert_eq!(q.tensor_type(), TensorType::UInt8);
    assert_eq!(
        (q.quantization().scale, q.quantization().zero_point),
        (0.5, 128)
    );
    assert_eq!(q.dims(), [2]);
    assert_eq!(q.byte_size(), 2);

    let e = interpreter.invoke().err().unwrap();
    assert_eq!(e.code(), StatusCode::FailedPrecondition);

    interpreter.resize_input(0, &[3, 4]).unwrap();
    interpreter.resize_input(1, &[3, 4]).unwrap();
    assert!(
        interpreter.resize_input(2, &[5]).is_err(),
        "static dim resized"
    );
    assert!(
        interpreter.resize_input(0, &[3, 4, 1]).is_err(),
        "rank changed"
    );
    interpreter.allocate_tensors().unwrap();
    assert_eq!(interpreter.output(0).unwrap().dims(), [3, 4]);
    assert_eq!(interpreter.input(0).unwrap().byte_size(), 48);
    let a: Vec<f32> = (0..12).map(|i| i as f32).collect();
    let b: Vec<f32> = (0..12).map(|i| 0.5 * i as f32).collect();
    interpreter
        .input(0)
        .unwrap()
        .copy_from(&f32_bytes(&a))
        .unwrap();
    interpreter
        .input(1)
        .unwrap()
        .copy_from(&f32_bytes(&b))
        .unwrap();
    let counts: Vec<u8> = [3i32, -4, 5].iter().flat_map(|v| v.to_le_bytes()).collect();
    interpreter.input(2).unwrap().copy_from(&counts).unwrap();
    interpreter.input(3).unwrap().copy_from(&[7, 255]).unwrap();
    assert!(interpreter.input(3).unwrap().copy_from(&[1, 2, 3]).is_err());
    interpreter.invoke().unwrap();
    let mut sum = vec![0u8; 48];
    interpreter.output(0).unwrap().copy_to(&mut sum).unwrap();
    let expected: Vec<f32> = a.iter().zip(&b).map(|(x, y)| x + y).collect();
    assert_eq!(sum, f32_bytes(&expected));
    let mut squares = vec![0u8; 12];
    interpreter
        .output(1)
        .unwrap()
        .copy_to(&mut squares)
        .unwrap();
    let expected: Vec<u8> = [9i32, 16, 25]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    assert_eq!(squares, expected);
    let mut q1 = [0u8; 2];
    interpreter.output(2).unwrap().copy_to(&mut q1).unwrap();
    assert_eq!(q1, [8, 0]);

    // A bigger batch: outputs follow.
    interpreter.resize_input(0, &[5, 4]).unwrap();
    interpreter.resize_input(1, &[5, 4]).unwrap();
    assert!(
        interpreter.invoke().is_err(),
        "invoke after resize without allocate"
    );
    interpreter.allocate_tensors().unwrap();
    interpreter.invoke().unwrap();
    assert_eq!(interpreter.output(0).unwrap().dims(), [5, 4]);
    assert_eq!(interpreter.output(0).unwrap().byte_size(), 80);
    assert!(
        messages.lock().unwrap().is_empty(),
        "the core leaves reporting to callers"
    );
}

/// The manifest's models with their call counts.
fn models() -> Vec<(String, usize)> {
    std::fs::read_to_string(dir().join("models.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[0].to_owned(), f[1].parse().unwrap())
        })
        .collect()
}

#[test]
fn real_models_match_the_reference_bit_for_bit() {
    let models = models();
    assert!(models.len() >= 3);
    for (name, calls) in models {
        let model = Arc::new(Model::from_file(&dir().join(format!("{name}.vmfb"))).unwrap());
        let mut interpreter = Interpreter::new(model, &InterpreterOptions::new()).unwrap();
        interpreter.allocate_tensors().unwrap();
        for call in 0..calls {
            for i in 0..interpreter.inputs().len() {
                let path = dir().join(format!("data/{name}.{call}.in{i}.bin"));
                let bytes = std::fs::read(&path).unwrap();
                interpreter.input(i).unwrap().copy_from(&bytes).unwrap();
            }
            interpreter.invoke().unwrap();
            for i in 0..interpreter.outputs().len() {
                let path = dir().join(format!("data/{name}.{call}.out{i}.iree.bin"));
                let expected = std::fs::read(&path).unwrap();
                let output = interpreter.output(i).unwrap();
                let mut ours = vec![0u8; output.byte_size()];
                output.copy_to(&mut ours).unwrap();
                assert!(ours == expected, "{name} call {call} output {i} differs");
            }
        }
    }
}

/// `SetNumThreads`: 1 (and TFLite's -1) run on local-sync; n > 1 on
/// local-task with exactly n workers, and the model still runs there.
#[test]
fn num_threads_picks_the_device_and_its_worker_count() {
    let model = Arc::new(Model::from_file(&dir().join("hand_recrop.vmfb")).unwrap());
    for (threads, driver, concurrency) in [
        (-1, "local-sync", 1),
        (1, "local-sync", 1),
        (2, "local-task", 2),
        (3, "local-task", 3),
        (5, "local-task", 5),
    ] {
        let options = InterpreterOptions {
            num_threads: threads,
            error_reporter: None,
        };
        let mut interpreter = Interpreter::new(Arc::clone(&model), &options).unwrap();
        let device = interpreter.device();
        assert!(
            device.id().starts_with(driver),
            "{threads}: {}",
            device.id()
        );
        assert_eq!(
            device.query_i64("hal.dispatch", "concurrency").unwrap(),
            concurrency,
            "{threads} threads"
        );
        interpreter.allocate_tensors().unwrap();
        interpreter.invoke().unwrap();
    }
}
