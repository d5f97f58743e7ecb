//! `TfLiteInterpreter` (`c_api.h`): create, delete, inputs and outputs,
//! resize, allocate, invoke. Failures are reported through the
//! interpreter's error reporter and return `kTfLiteError` / NULL.

use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg, Boxed, Castable};
use crate::capi::tflite::interpreter_options::TfLiteInterpreterOptions;
use crate::capi::tflite::model::TfLiteModel;
use crate::capi::tflite::tensor::TfLiteTensor;
use crate::capi::tflite::types::{status_of, TfLiteStatus};
use crate::tflite::options::Reporter;
use crate::tflite::{Interpreter, InterpreterOptions};
use crate::{iree_err, Result};

/// Opaque `TfLiteInterpreter`.
pub struct TfLiteInterpreter {
    _private: [u8; 0],
}

impl Castable for TfLiteInterpreter {
    type Ownership = Boxed;
    type RustType = Interpreter;
}

pub(crate) fn create(
    model: *const TfLiteModel,
    optional_options: *const TfLiteInterpreterOptions,
) -> Result<*mut TfLiteInterpreter> {
    // SAFETY: NULL or a live model (API contract).
    let model = unsafe { arg!(model).handle() }?;
    // SAFETY: NULL (defaults) or live options (API contract).
    let mut options = match unsafe { handle::try_ref(optional_options) } {
        Some(options) => options.clone(),
        None => InterpreterOptions::new(),
    };
    if options.error_reporter.is_none() {
        options.error_reporter = Some(model_reporter(&model.reporter));
    }
    let reporter = Reporter::new(options.error_reporter.clone());
    let interpreter = reporter.check(Interpreter::new(model.model.clone(), &options))?;
    Ok(handle::box_into_ptr(interpreter))
}

fn model_reporter(reporter: &Reporter) -> crate::tflite::ErrorReporter {
    let reporter = reporter.clone();
    std::sync::Arc::new(move |message: &str| reporter.report(message))
}

/// An interpreter over `model` with `optional_options` (NULL: defaults);
/// neither is kept, so both may be deleted right after. Without a
/// reporter in the options, errors go to the model's. NULL on failure.
/// The caller owns the interpreter and deletes it with
/// `TfLiteInterpreterDelete`.
#[no_mangle]
pub unsafe extern "C" fn TfLiteInterpreterCreate(
    model: *const TfLiteModel,
    optional_options: *const TfLiteInterpreterOptions,
) -> *mut TfLiteInterpreter {
    ffi_boundary(|| create(model, optional_options))
}

/// Deletes the caller's interpreter and its tensors. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn TfLiteInterpreterDelete(interpreter: *mut TfLiteInterpreter) {
    ffi_boundary(|| {
        // SAFETY: NULL or an interpreter from TfLiteInterpreterCreate.
        drop(unsafe { handle::box_from_ptr(interpreter) });
        Ok(())
    })
}

/// How many inputs `_tflite_main` takes (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn TfLiteInterpreterGetInputTensorCount(
    interpreter: *const TfLiteInterpreter,
) -> i32 {
    ffi_boundary(|| {
        // SAFETY: NULL or a live interpreter (API contract).
        let interpreter = unsafe { arg!(interpreter).handle() }?;
        Ok(interpreter.inputs().len() as i32)
    })
}

/// How many outputs `_tflite_main` returns (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn TfLiteInterpreterGetOutputTensorCount(
    interpreter: *const TfLiteInterpreter,
) -> i32 {
    ffi_boundary(|| {
        // SAFETY: NULL or a live interpreter (API contract).
        let interpreter = unsafe { arg!(interpreter).handle() }?;
        Ok(interpreter.outputs().len() as i32)
    })
}

fn index(i: i32) -> Result<usize> {
    usize::try_from(i).map_err(|_| iree_err!(OutOfRange, "tensor index {i} is negative"))
}

/// Input `input_index`, owned by the interpreter and valid until it is
/// deleted; NULL (reported) when out of range.
#[no_mangle]
pub unsafe extern "C" fn TfLiteInterpreterGetInputTensor(
    interpreter: *const TfLiteInterpreter,
    input_index: i32,
) -> *mut TfLiteTensor {
    ffi_boundary(|| {
        // SAFETY: NULL or a live interpreter (API contract).
        let interpreter = unsafe { arg!(interpreter).handle() }?;
        let tensor = interpreter
            .reporter()
            .check(index(input_index).and_then(|i| interpreter.input(i)))?;
        Ok(handle::borrowed_ptr::<TfLiteTensor>(tensor))
    })
}

/// Output `output_index`, owned by the interpreter and valid until it is
/// deleted (its data pointer changes with each invoke); NULL (reported)
/// when out of range.
#[no_mangle]
pub unsafe extern "C" fn TfLiteInterpreterGetOutputTensor(
    interpreter: *const TfLiteInterpreter,
    output_index: i32,
) -> *const TfLiteTensor {
    ffi_boundary(|| {
        // SAFETY: NULL or a live interpreter (API contract).
        let interpreter = unsafe { arg!(interpreter).handle() }?;
        let tensor = interpreter
            .reporter()
            .check(index(output_index).and_then(|i| interpreter.output(i)))?;
        Ok(handle::borrowed_ptr::<TfLiteTensor>(tensor).cast_const())
    })
}

/// Gives input `input_index` the `input_dims_size` dimensions at
/// `input_dims` (borrowed for the call). Only dimensions the module left
/// dynamic may change; the new shape takes effect (and outputs follow) at
/// the next `TfLiteInterpreterAllocateTensors`.
#[no_mangle]
pub unsafe extern "C" fn TfLiteInterpreterResizeInputTensor(
    interpreter: *mut TfLiteInterpreter,
    input_index: i32,
    input_dims: *const i32,
    input_dims_size: i32,
) -> TfLiteStatus {
    ffi_boundary(|| {
        // SAFETY: NULL or a live interpreter used by nothing else.
        let interpreter = unsafe { arg!(interpreter).handle_mut() }?;
        let result = (|| {
            let count = usize::try_from(input_dims_size)
                .map_err(|_| iree_err!(InvalidArgument, "input_dims_size {input_dims_size}"))?;
            let dims = if count == 0 {
                &[][..]
            } else {
                let data = arg!(input_dims).non_null_ptr()?;
                // SAFETY: `input_dims_size` ints at `input_dims` (API contract).
                unsafe { std::slice::from_raw_parts(data.cast_const(), count) }
            };
            interpreter.resize_input(index(input_index)?, dims)
        })();
        let reporter = interpreter.reporter().clone();
        status_of(&reporter, result)
    })
}

/// Gives every tensor a buffer of its shape (outputs' shapes follow the
/// inputs'); needed before the first invoke and after a resize.
#[no_mangle]
pub unsafe extern "C" fn TfLiteInterpreterAllocateTensors(
    interpreter: *mut TfLiteInterpreter,
) -> TfLiteStatus {
    ffi_boundary(|| {
        // SAFETY: NULL or a live interpreter used by nothing else.
        let interpreter = unsafe { arg!(interpreter).handle_mut() }?;
        let result = interpreter.allocate_tensors();
        let reporter = interpreter.reporter().clone();
        status_of(&reporter, result)
    })
}

/// Runs the model on the inputs' data; the outputs then hold its results
/// (in buffers the module returned: no copies).
#[no_mangle]
pub unsafe extern "C" fn TfLiteInterpreterInvoke(
    interpreter: *mut TfLiteInterpreter,
) -> TfLiteStatus {
    ffi_boundary(|| {
        // SAFETY: NULL or a live interpreter used by nothing else.
        let interpreter = unsafe { arg!(interpreter).handle_mut() }?;
        let result = interpreter.invoke();
        let reporter = interpreter.reporter().clone();
        status_of(&reporter, result)
    })
}
