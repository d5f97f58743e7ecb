//! Tensor element types (`TfLiteType`, with TFLite's values) and affine
//! quantization parameters (`TfLiteQuantizationParams`).

use crate::{iree_bail, Result};

/// `TfLiteType`: the values of TFLite's `c_api_types.h`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum TensorType {
    NoType = 0,
    Float32 = 1,
    Int32 = 2,
    UInt8 = 3,
    Int64 = 4,
    String = 5,
    Bool = 6,
    Int16 = 7,
    Complex64 = 8,
    Int8 = 9,
    Float16 = 10,
    Float64 = 11,
    Complex128 = 12,
    UInt64 = 13,
    Resource = 14,
    Variant = 15,
    UInt32 = 16,
    UInt16 = 17,
    Int4 = 18,
    BFloat16 = 19,
}

/// The types a tensor of an IREE module can have, with their names as the
/// sidecar file (and LiteRT's numpy dtypes) spell them.
const NAMED: &[(TensorType, &str, usize)] = &[
    (TensorType::Float32, "float32", 4),
    (TensorType::Int32, "int32", 4),
    (TensorType::UInt8, "uint8", 1),
    (TensorType::Int64, "int64", 8),
    (TensorType::Bool, "bool", 1),
    (TensorType::Int16, "int16", 2),
    (TensorType::Complex64, "complex64", 8),
    (TensorType::Int8, "int8", 1),
    (TensorType::Float16, "float16", 2),
    (TensorType::Float64, "float64", 8),
    (TensorType::Complex128, "complex128", 16),
    (TensorType::UInt64, "uint64", 8),
    (TensorType::UInt32, "uint32", 4),
    (TensorType::UInt16, "uint16", 2),
    (TensorType::BFloat16, "bfloat16", 2),
];

impl TensorType {
    /// The type named `name` (`float32`, `int8`, ...). Types whose
    /// elements are not whole bytes of plain data (strings, resources,
    /// variants, int4) are not supported.
    pub fn parse(name: &str) -> Result<TensorType> {
        match NAMED.iter().find(|(_, n, _)| *n == name) {
            Some((t, _, _)) => Ok(*t),
            None => iree_bail!(
                Unimplemented,
                "tensor element type '{name}' is not supported (supported: {})",
                NAMED
                    .iter()
                    .map(|(_, n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    pub fn name(self) -> &'static str {
        NAMED
            .iter()
            .find(|(t, _, _)| *t == self)
            .map_or("unsupported", |(_, n, _)| n)
    }

    /// Bytes per element.
    pub fn size(self) -> usize {
        NAMED
            .iter()
            .find(|(t, _, _)| *t == self)
            .map_or(0, |(_, _, s)| *s)
    }
}

/// `TfLiteQuantizationParams`: `real = scale * (quantized - zero_point)`;
/// zero for tensors that are not quantized.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct QuantizationParams {
    pub scale: f32,
    pub zero_point: i32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_sizes_follow_the_type() {
        for (t, name, size) in NAMED {
            assert_eq!(TensorType::parse(name).unwrap(), *t);
            assert_eq!(t.name(), *name);
            assert_eq!(t.size(), *size);
        }
        assert!(TensorType::parse("string").is_err());
        assert_eq!(TensorType::Int8 as u32, 9);
        assert_eq!(TensorType::UInt8 as u32, 3);
    }
}
