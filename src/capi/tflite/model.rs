//! `TfLiteModel` (`c_api.h`): a module compiled with the TFLite bindings,
//! from memory or a mapped file, with the error reporter it was made with.

use std::ffi::{c_char, c_void, CStr};
use std::path::Path;
use std::sync::Arc;

use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{self, arg, Boxed, Castable};
use crate::capi::tflite::error_reporter::{self, TfLiteErrorReporterFn};
use crate::tflite::options::Reporter;
use crate::tflite::Model;
use crate::{iree_err, Result};

/// Opaque `TfLiteModel`.
pub struct TfLiteModel {
    _private: [u8; 0],
}

/// A model and where errors about it (and interpreters made without a
/// reporter of their own) go.
pub struct ModelHandle {
    pub model: Arc<Model>,
    pub reporter: Reporter,
}

impl Castable for TfLiteModel {
    type Ownership = Boxed;
    type RustType = ModelHandle;
}

fn create(reporter: Reporter, load: impl FnOnce() -> Result<Model>) -> Result<*mut TfLiteModel> {
    let model = reporter.check(load())?;
    Ok(handle::box_into_ptr(ModelHandle {
        model: Arc::new(model),
        reporter,
    }))
}

/// The bytes of a model in memory, copied into the model (the caller may
/// free `model_data` afterwards).
fn from_memory(model_data: *const c_void, model_size: usize) -> Result<Model> {
    let data = arg!(model_data).non_null_ptr()?;
    // SAFETY: the caller's buffer of `model_size` bytes (API contract).
    let bytes = unsafe { std::slice::from_raw_parts(data.cast::<u8>(), model_size) };
    Model::from_bytes(Arc::new(bytes.to_vec()), None)
}

fn from_file(model_path: *const c_char) -> Result<Model> {
    let path = arg!(model_path).non_null_ptr()?;
    // SAFETY: a NUL-terminated path (API contract).
    let path = unsafe { CStr::from_ptr(path) };
    let path = path
        .to_str()
        .map_err(|_| iree_err!(InvalidArgument, "model path is not UTF-8"))?;
    Model::from_file(Path::new(path))
}

/// A model from the `.vmfb` bytes at `model_data` (copied: the caller
/// keeps its buffer). Without a tensor sidecar every tensor is float32.
/// NULL on failure, reported on standard error. The caller owns the model
/// and deletes it with `TfLiteModelDelete`.
#[no_mangle]
pub unsafe extern "C" fn TfLiteModelCreate(
    model_data: *const c_void,
    model_size: usize,
) -> *mut TfLiteModel {
    ffi_boundary(|| create(Reporter::default(), || from_memory(model_data, model_size)))
}

/// As `TfLiteModelCreate`, reporting failures (and, for interpreters made
/// without a reporter of their own, theirs) to `reporter`.
#[no_mangle]
pub unsafe extern "C" fn TfLiteModelCreateWithErrorReporter(
    model_data: *const c_void,
    model_size: usize,
    reporter: TfLiteErrorReporterFn,
    user_data: *mut c_void,
) -> *mut TfLiteModel {
    ffi_boundary(|| {
        let reporter = Reporter::new(error_reporter::from_c(reporter, user_data));
        create(reporter, || from_memory(model_data, model_size))
    })
}

/// A model from the `.vmfb` file at `model_path`, mapped (not copied),
/// with the tensor sidecar `<model_path>.tensors.tsv` when there is one.
/// A `.tflite` file is compiled for the host CPU on first use and cached
/// (see `tflite::convert`). NULL on failure (a missing, truncated or
/// non-IREE file; a `.tflite` without the toolchain, naming what is
/// missing), reported on standard error. The caller owns the model
/// and deletes it with `TfLiteModelDelete`.
#[no_mangle]
pub unsafe extern "C" fn TfLiteModelCreateFromFile(model_path: *const c_char) -> *mut TfLiteModel {
    ffi_boundary(|| create(Reporter::default(), || from_file(model_path)))
}

/// As `TfLiteModelCreateFromFile`, reporting to `reporter`.
#[no_mangle]
pub unsafe extern "C" fn TfLiteModelCreateFromFileWithErrorReporter(
    model_path: *const c_char,
    reporter: TfLiteErrorReporterFn,
    user_data: *mut c_void,
) -> *mut TfLiteModel {
    ffi_boundary(|| {
        let reporter = Reporter::new(error_reporter::from_c(reporter, user_data));
        create(reporter, || from_file(model_path))
    })
}

/// Deletes the caller's model; interpreters made from it keep what they
/// need, so it may be deleted right after creating them. NULL is ignored.
#[no_mangle]
pub unsafe extern "C" fn TfLiteModelDelete(model: *mut TfLiteModel) {
    ffi_boundary(|| {
        // SAFETY: NULL or a model from TfLiteModelCreate*, not used again.
        drop(unsafe { handle::box_from_ptr(model) });
        Ok(())
    })
}
