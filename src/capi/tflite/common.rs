//! `common.h` and `c_api.h`'s version functions: what this library
//! exports of them (the rest of `common.h` is types and inline helpers).

use std::ffi::c_char;

use crate::capi::boundary::ffi_boundary;
use crate::capi::tflite::types::TfLiteType;
use crate::tflite::TensorType;

/// The TensorFlow Lite version whose C API this is, with this library's
/// name (a static string).
#[no_mangle]
pub extern "C" fn TfLiteVersion() -> *const c_char {
    c"2.16.1-iree-runtime-rs".as_ptr()
}

/// The TFLite flatbuffer schema version the API is written against.
#[no_mangle]
pub extern "C" fn TfLiteSchemaVersion() -> i32 {
    3
}

/// TFLite's name of `type` ("FLOAT32", "INT8", ...; "Unknown type" for
/// values it does not have), a static string.
#[no_mangle]
pub extern "C" fn TfLiteTypeGetName(r#type: TfLiteType) -> *const c_char {
    ffi_boundary(|| {
        let name = match r#type {
            0 => c"NOTYPE",
            1 => c"FLOAT32",
            2 => c"INT32",
            3 => c"UINT8",
            4 => c"INT64",
            5 => c"STRING",
            6 => c"BOOL",
            7 => c"INT16",
            8 => c"COMPLEX64",
            9 => c"INT8",
            10 => c"FLOAT16",
            11 => c"FLOAT64",
            12 => c"COMPLEX128",
            13 => c"UINT64",
            14 => c"RESOURCE",
            15 => c"VARIANT",
            16 => c"UINT32",
            17 => c"UINT16",
            18 => c"INT4",
            19 => c"BFLOAT16",
            _ => c"Unknown type",
        };
        debug_assert_eq!(TensorType::Int8 as u32, 9);
        Ok(name.as_ptr())
    })
}
