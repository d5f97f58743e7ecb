//! `c_api_experimental.h`: the parts this library implements.

use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::arg;
use crate::capi::tflite::interpreter::{self, TfLiteInterpreter};
use crate::capi::tflite::interpreter_options::TfLiteInterpreterOptions;
use crate::capi::tflite::model::TfLiteModel;
use crate::capi::tflite::types::{status_of, TfLiteStatus};

/// Resets the model's variables (the state a stateful model keeps across
/// invokes) to their initial values; input shapes and data are kept.
#[no_mangle]
pub unsafe extern "C" fn TfLiteInterpreterResetVariableTensors(
    interpreter: *mut TfLiteInterpreter,
) -> TfLiteStatus {
    ffi_boundary(|| {
        // SAFETY: NULL or a live interpreter used by nothing else.
        let interpreter = unsafe { arg!(interpreter).handle_mut() }?;
        let result = interpreter.reset_variable_tensors();
        let reporter = interpreter.reporter().clone();
        status_of(&reporter, result)
    })
}

/// Accepted and ignored (no NNAPI here: the module is compiled code).
#[no_mangle]
pub unsafe extern "C" fn TfLiteInterpreterOptionsSetUseNNAPI(
    options: *mut TfLiteInterpreterOptions,
    enable: bool,
) {
    ffi_boundary(|| {
        let _ = (arg!(options).non_null_ptr()?, enable);
        Ok(())
    })
}

/// As `TfLiteInterpreterCreate`: a compiled module needs no op resolver,
/// so "selected ops" and all ops are the same.
#[no_mangle]
pub unsafe extern "C" fn TfLiteInterpreterCreateWithSelectedOps(
    model: *const TfLiteModel,
    optional_options: *const TfLiteInterpreterOptions,
) -> *mut TfLiteInterpreter {
    ffi_boundary(|| interpreter::create(model, optional_options))
}
