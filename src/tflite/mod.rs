//! The `tflite` layer: the TensorFlow Lite interpreter API over IREE
//! modules compiled with the TFLite bindings
//! (`--iree-native-bindings-support=false --iree-tflite-bindings-support`),
//! built on `runtime` sessions.
//!
//! A [`Model`] is the module's bytes (a file is mapped, not copied) with
//! what the module says about its tensors: `_tflite_main` and its three
//! shape functions, names from the `tfl.io.names` reflection attribute, and
//! element types and quantization parameters from the sidecar file the
//! project's conversion script writes next to the `.vmfb` (IREE's ABI is
//! signless and carries no quantization; without a sidecar every tensor
//! is float32). An [`Interpreter`] holds one session over one device; its
//! tensors' data lives in HAL buffers, handed to the module and taken back
//! from it without copies.

pub mod convert;
pub mod interpreter;
pub mod model;
pub mod options;
pub mod sidecar;
pub mod tensor;
pub mod tflite_file;
pub mod tosa_text;
pub mod types;

pub use interpreter::Interpreter;
pub use model::Model;
pub use options::{ErrorReporter, InterpreterOptions};
pub use tensor::Tensor;
pub use types::{QuantizationParams, TensorType};
