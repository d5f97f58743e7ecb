//! `TfLiteTensor` accessors (`c_api.h`): type, shape, size, data, name,
//! quantization, copies in and out. Tensors belong to their interpreter.

use std::ffi::{c_char, c_void};

use crate::abi::boundary::FfiReturn;
use crate::capi::boundary::ffi_boundary;
use crate::capi::handle::{arg, Borrowed, Castable};
use crate::capi::tflite::types::{status_of, TfLiteQuantizationParams, TfLiteStatus, TfLiteType};
use crate::tflite::Tensor;
use crate::{iree_err, Result};

/// Opaque `TfLiteTensor` (its fields are not part of this API: the
/// accessors below are).
pub struct TfLiteTensor {
    _private: [u8; 0],
}

impl Castable for TfLiteTensor {
    type Ownership = Borrowed;
    type RustType = Tensor;
}

/// An `int` result that is -1 when the call failed (TFLite's "unknown").
struct MinusOneOnError(i32);

impl FfiReturn for MinusOneOnError {
    fn from_error(_: crate::Error) -> Self {
        MinusOneOnError(-1)
    }
}

/// The tensor behind `tensor`.
///
/// # Safety
/// NULL or a tensor of a live interpreter.
unsafe fn tensor<'a>(tensor: *const TfLiteTensor) -> Result<&'a Tensor> {
    // SAFETY: forwarded contract.
    unsafe { arg!(tensor).handle() }
}

/// The element type (`kTfLiteNoType` for NULL).
#[no_mangle]
pub unsafe extern "C" fn TfLiteTensorType(tensor: *const TfLiteTensor) -> TfLiteType {
    // SAFETY: NULL or a live tensor (API contract).
    ffi_boundary(|| Ok(unsafe { self::tensor(tensor) }?.tensor_type() as TfLiteType))
}

/// The number of dimensions (-1 for NULL).
#[no_mangle]
pub unsafe extern "C" fn TfLiteTensorNumDims(tensor: *const TfLiteTensor) -> i32 {
    let count: MinusOneOnError = ffi_boundary(|| {
        // SAFETY: NULL or a live tensor (API contract).
        let dims = unsafe { self::tensor(tensor) }?.dims().len();
        Ok(MinusOneOnError(dims as i32))
    });
    count.0
}

/// Dimension `dim_index` (-1 when out of range, reported).
#[no_mangle]
pub unsafe extern "C" fn TfLiteTensorDim(tensor: *const TfLiteTensor, dim_index: i32) -> i32 {
    let found: MinusOneOnError = ffi_boundary(|| {
        // SAFETY: NULL or a live tensor (API contract).
        let tensor = unsafe { self::tensor(tensor) }?;
        let dim = usize::try_from(dim_index)
            .ok()
            .and_then(|i| tensor.dims().get(i).copied())
            .ok_or_else(|| {
                iree_err!(
                    OutOfRange,
                    "dimension {dim_index} of a tensor of rank {}",
                    tensor.dims().len()
                )
            });
        tensor.reporter().check(dim).map(MinusOneOnError)
    });
    found.0
}

/// Elements times element size (0 for NULL).
#[no_mangle]
pub unsafe extern "C" fn TfLiteTensorByteSize(tensor: *const TfLiteTensor) -> usize {
    // SAFETY: NULL or a live tensor (API contract).
    ffi_boundary(|| Ok(unsafe { self::tensor(tensor) }?.byte_size()))
}

/// The tensor's data in its HAL buffer, owned by the interpreter: NULL
/// before `TfLiteInterpreterAllocateTensors`; for outputs it changes with
/// each invoke.
#[no_mangle]
pub unsafe extern "C" fn TfLiteTensorData(tensor: *const TfLiteTensor) -> *mut c_void {
    // SAFETY: NULL or a live tensor (API contract).
    ffi_boundary(|| Ok(unsafe { self::tensor(tensor) }?.data_ptr().cast::<c_void>()))
}

/// The tensor's name (`tfl.io.names`, or the sidecar's), owned by the
/// interpreter.
#[no_mangle]
pub unsafe extern "C" fn TfLiteTensorName(tensor: *const TfLiteTensor) -> *const c_char {
    // SAFETY: NULL or a live tensor (API contract).
    ffi_boundary(|| Ok(unsafe { self::tensor(tensor) }?.name().as_ptr()))
}

/// Scale and zero point (zeros for a tensor that is not quantized).
#[no_mangle]
pub unsafe extern "C" fn TfLiteTensorQuantizationParams(
    tensor: *const TfLiteTensor,
) -> TfLiteQuantizationParams {
    // SAFETY: NULL or a live tensor (API contract).
    ffi_boundary(|| Ok(unsafe { self::tensor(tensor) }?.quantization().into()))
}

/// Copies `input_data_size` bytes from `input_data` (borrowed for the
/// call) into the tensor; the size must be the tensor's byte size.
#[no_mangle]
pub unsafe extern "C" fn TfLiteTensorCopyFromBuffer(
    tensor: *mut TfLiteTensor,
    input_data: *const c_void,
    input_data_size: usize,
) -> TfLiteStatus {
    ffi_boundary(|| {
        // SAFETY: NULL or a live tensor (API contract).
        let tensor = unsafe { self::tensor(tensor) }?;
        let result = (|| {
            let data = arg!(input_data).non_null_ptr()?;
            // SAFETY: `input_data_size` readable bytes (API contract).
            let bytes = unsafe { std::slice::from_raw_parts(data.cast::<u8>(), input_data_size) };
            tensor.copy_from(bytes)
        })();
        status_of(tensor.reporter(), result)
    })
}

/// Copies the tensor into `output_data` (`output_data_size` bytes,
/// borrowed for the call); the size must be the tensor's byte size.
#[no_mangle]
pub unsafe extern "C" fn TfLiteTensorCopyToBuffer(
    tensor: *const TfLiteTensor,
    output_data: *mut c_void,
    output_data_size: usize,
) -> TfLiteStatus {
    ffi_boundary(|| {
        // SAFETY: NULL or a live tensor (API contract).
        let tensor = unsafe { self::tensor(tensor) }?;
        let result = (|| {
            let data = arg!(output_data).non_null_ptr()?;
            // SAFETY: `output_data_size` writable bytes (API contract).
            let bytes =
                unsafe { std::slice::from_raw_parts_mut(data.cast::<u8>(), output_data_size) };
            tensor.copy_to(bytes)
        })();
        status_of(tensor.reporter(), result)
    })
}
