//! `tensorflow/lite/c/c_api_types.h`: status, element types and the
//! quantization parameters struct, with TFLite's values and layout.

#![allow(non_upper_case_globals)]

use crate::abi::boundary::FfiReturn;
use crate::tflite::options::Reporter;
use crate::tflite::QuantizationParams;
use crate::Error;

/// `TfLiteStatus` (a C enum: `int`).
#[repr(transparent)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TfLiteStatus(pub i32);

pub const kTfLiteOk: TfLiteStatus = TfLiteStatus(0);
pub const kTfLiteError: TfLiteStatus = TfLiteStatus(1);

/// A failed body returns `kTfLiteError`.
impl FfiReturn for TfLiteStatus {
    fn from_error(_: Error) -> Self {
        kTfLiteError
    }
}

/// `TfLiteType` (a C enum; values of `tflite::TensorType`).
pub type TfLiteType = u32;

/// `TfLiteQuantizationParams`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TfLiteQuantizationParams {
    pub scale: f32,
    pub zero_point: i32,
}

impl From<QuantizationParams> for TfLiteQuantizationParams {
    fn from(q: QuantizationParams) -> Self {
        TfLiteQuantizationParams {
            scale: q.scale,
            zero_point: q.zero_point,
        }
    }
}

/// Zero parameters for a failed call.
impl FfiReturn for TfLiteQuantizationParams {
    fn from_error(_: Error) -> Self {
        TfLiteQuantizationParams::default()
    }
}

/// `kTfLiteOk`, or the error reported through `reporter` and
/// `kTfLiteError`.
pub fn status_of(reporter: &Reporter, result: crate::Result<()>) -> crate::Result<TfLiteStatus> {
    reporter.check(result).map(|()| kTfLiteOk)
}
