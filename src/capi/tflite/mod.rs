//! The TensorFlow Lite C API (`tensorflow/lite/c/*.h`, declared by hand in
//! include/tensorflow/lite/c/ with TFLite's own names, enum values and
//! struct layouts; tests/tflite_capi_headers.rs checks that every function
//! declared there is exported here and the other way round), over the
//! `tflite` layer. One file per concept of TFLite's headers. Errors are
//! reported through the interpreter's (or model's) error reporter and
//! turned into `kTfLiteError` / NULL.

pub mod common;
pub mod error_reporter;
pub mod experimental;
pub mod interpreter;
pub mod interpreter_options;
pub mod model;
pub mod tensor;
pub mod types;
