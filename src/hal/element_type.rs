//! Element types, numerical types and encodings of buffer contents.
//!
//! An element type is IREE's 32-bit code: the numerical type in the top byte
//! and the bit width in the low byte (`iree_hal_element_type_t`). The seeds'
//! values are kept, and the 3.13 additions (booleans, complex floats, the
//! 8-bit float formats) use their upstream codes, which do not collide.
//! Names are the text form the reference tools print (`f32`, `si8`, `ui16`,
//! `bf16`, `i1` for booleans, `cf64` for complex floats, `*8` for opaque).

use std::fmt;

use crate::{iree_bail, iree_err, Result};

/// How the bits of an element are interpreted (`iree_hal_numerical_type_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct NumericalType(pub u8);

impl NumericalType {
    pub const UNKNOWN: NumericalType = NumericalType(0x00);
    pub const INTEGER: NumericalType = NumericalType(0x10);
    pub const INTEGER_SIGNED: NumericalType = NumericalType(0x11);
    pub const INTEGER_UNSIGNED: NumericalType = NumericalType(0x12);
    /// Stored as an integer; only the lowest bit is meaningful.
    pub const BOOLEAN: NumericalType = NumericalType(0x13);
    pub const FLOAT: NumericalType = NumericalType(0x20);
    pub const FLOAT_IEEE: NumericalType = NumericalType(0x21);
    /// bfloat16 semantics.
    pub const FLOAT_BRAIN: NumericalType = NumericalType(0x22);
    /// A (real, imaginary) pair of IEEE floats.
    pub const FLOAT_COMPLEX: NumericalType = NumericalType(0x23);
    pub const FLOAT_8_E5M2: NumericalType = NumericalType(0x24);
    pub const FLOAT_8_E4M3_FN: NumericalType = NumericalType(0x25);
    pub const FLOAT_8_E5M2_FNUZ: NumericalType = NumericalType(0x26);
    pub const FLOAT_8_E4M3_FNUZ: NumericalType = NumericalType(0x27);
    pub const FLOAT_8_E8M0_FNU: NumericalType = NumericalType(0x28);

    fn has_all(self, bits: NumericalType) -> bool {
        self.0 & bits.0 == bits.0
    }
}

/// An element type code (`iree_hal_element_type_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ElementType(pub u32);

impl ElementType {
    pub const NONE: ElementType = ElementType::new(NumericalType::UNKNOWN, 0);
    pub const OPAQUE_8: ElementType = ElementType::new(NumericalType::UNKNOWN, 8);
    pub const OPAQUE_16: ElementType = ElementType::new(NumericalType::UNKNOWN, 16);
    pub const OPAQUE_32: ElementType = ElementType::new(NumericalType::UNKNOWN, 32);
    pub const OPAQUE_64: ElementType = ElementType::new(NumericalType::UNKNOWN, 64);
    pub const BOOL_8: ElementType = ElementType::new(NumericalType::BOOLEAN, 8);
    pub const INT_4: ElementType = ElementType::new(NumericalType::INTEGER, 4);
    pub const SINT_4: ElementType = ElementType::new(NumericalType::INTEGER_SIGNED, 4);
    pub const UINT_4: ElementType = ElementType::new(NumericalType::INTEGER_UNSIGNED, 4);
    pub const INT_8: ElementType = ElementType::new(NumericalType::INTEGER, 8);
    pub const SINT_8: ElementType = ElementType::new(NumericalType::INTEGER_SIGNED, 8);
    pub const UINT_8: ElementType = ElementType::new(NumericalType::INTEGER_UNSIGNED, 8);
    pub const INT_16: ElementType = ElementType::new(NumericalType::INTEGER, 16);
    pub const SINT_16: ElementType = ElementType::new(NumericalType::INTEGER_SIGNED, 16);
    pub const UINT_16: ElementType = ElementType::new(NumericalType::INTEGER_UNSIGNED, 16);
    pub const INT_32: ElementType = ElementType::new(NumericalType::INTEGER, 32);
    pub const SINT_32: ElementType = ElementType::new(NumericalType::INTEGER_SIGNED, 32);
    pub const UINT_32: ElementType = ElementType::new(NumericalType::INTEGER_UNSIGNED, 32);
    pub const INT_64: ElementType = ElementType::new(NumericalType::INTEGER, 64);
    pub const SINT_64: ElementType = ElementType::new(NumericalType::INTEGER_SIGNED, 64);
    pub const UINT_64: ElementType = ElementType::new(NumericalType::INTEGER_UNSIGNED, 64);
    pub const FLOAT_16: ElementType = ElementType::new(NumericalType::FLOAT_IEEE, 16);
    pub const FLOAT_32: ElementType = ElementType::new(NumericalType::FLOAT_IEEE, 32);
    pub const FLOAT_64: ElementType = ElementType::new(NumericalType::FLOAT_IEEE, 64);
    pub const BFLOAT_16: ElementType = ElementType::new(NumericalType::FLOAT_BRAIN, 16);
    pub const COMPLEX_FLOAT_64: ElementType = ElementType::new(NumericalType::FLOAT_COMPLEX, 64);
    pub const COMPLEX_FLOAT_128: ElementType = ElementType::new(NumericalType::FLOAT_COMPLEX, 128);
    pub const FLOAT_8_E5M2: ElementType = ElementType::new(NumericalType::FLOAT_8_E5M2, 8);
    pub const FLOAT_8_E4M3_FN: ElementType = ElementType::new(NumericalType::FLOAT_8_E4M3_FN, 8);
    pub const FLOAT_8_E5M2_FNUZ: ElementType =
        ElementType::new(NumericalType::FLOAT_8_E5M2_FNUZ, 8);
    pub const FLOAT_8_E4M3_FNUZ: ElementType =
        ElementType::new(NumericalType::FLOAT_8_E4M3_FNUZ, 8);
    pub const FLOAT_8_E8M0_FNU: ElementType = ElementType::new(NumericalType::FLOAT_8_E8M0_FNU, 8);

    /// `iree_hal_make_element_type`.
    pub const fn new(numerical_type: NumericalType, bit_count: u8) -> ElementType {
        ElementType(((numerical_type.0 as u32) << 24) | bit_count as u32)
    }

    pub fn numerical_type(self) -> NumericalType {
        NumericalType((self.0 >> 24) as u8)
    }

    /// Bits per element (the low byte of the code).
    pub fn bit_count(self) -> u32 {
        self.0 & 0xFF
    }

    pub fn is_opaque(self) -> bool {
        self.numerical_type() == NumericalType::UNKNOWN
    }

    pub fn is_integer(self) -> bool {
        self.numerical_type().has_all(NumericalType::INTEGER)
    }

    pub fn is_boolean(self) -> bool {
        self.numerical_type().has_all(NumericalType::BOOLEAN)
    }

    pub fn is_float(self) -> bool {
        self.numerical_type().has_all(NumericalType::FLOAT)
    }

    pub fn is_complex_float(self) -> bool {
        self.numerical_type().has_all(NumericalType::FLOAT_COMPLEX)
    }

    pub fn is_byte_aligned(self) -> bool {
        self.bit_count().is_multiple_of(8)
    }

    /// Bytes one element occupies when stored unpacked (sub-byte types round
    /// up to one byte): `iree_hal_element_dense_byte_count`.
    pub fn dense_byte_count(self) -> usize {
        self.bit_count().div_ceil(8) as usize
    }

    /// Bytes `element_count` densely packed elements occupy (two i4 per byte);
    /// `None` when the count overflows.
    pub fn packed_byte_count(self, element_count: u64) -> Option<u64> {
        element_count
            .checked_mul(u64::from(self.bit_count()))
            .map(|bits| bits.div_ceil(8))
    }

    /// Parses the text form (`f32`, `ui8`, `i1`, `cf64`, `*16`, `x8`, `f8E5M2`).
    pub fn parse(text: &[u8]) -> Result<ElementType> {
        let special = [
            (&b"i1"[..], ElementType::BOOL_8),
            (b"f8E5M2", ElementType::FLOAT_8_E5M2),
            (b"f8E4M3FN", ElementType::FLOAT_8_E4M3_FN),
            (b"f8E5M2FNUZ", ElementType::FLOAT_8_E5M2_FNUZ),
            (b"f8E4M3FNUZ", ElementType::FLOAT_8_E4M3_FNUZ),
            (b"f8E8M0FNU", ElementType::FLOAT_8_E8M0_FNU),
        ];
        if let Some((_, ty)) = special.iter().find(|(name, _)| *name == text) {
            return Ok(*ty);
        }
        // Order matters: `i` is tried before `si`/`ui`, `f` before `bf`/`cf`,
        // as the reference does.
        let prefixes = [
            (&b"i"[..], NumericalType::INTEGER),
            (b"si", NumericalType::INTEGER_SIGNED),
            (b"ui", NumericalType::INTEGER_UNSIGNED),
            (b"f", NumericalType::FLOAT_IEEE),
            (b"bf", NumericalType::FLOAT_BRAIN),
            (b"cf", NumericalType::FLOAT_COMPLEX),
            (b"x", NumericalType::UNKNOWN),
            (b"*", NumericalType::UNKNOWN),
        ];
        let Some((prefix, numerical_type)) = prefixes.iter().find(|(p, _)| text.starts_with(p))
        else {
            iree_bail!(
                InvalidArgument,
                "unhandled element type prefix in '{}'",
                String::from_utf8_lossy(text)
            );
        };
        let bits = crate::hal::text_number::parse_u32(&text[prefix.len()..])
            .filter(|&b| b <= 0xFF)
            .ok_or_else(|| {
                iree_err!(
                    InvalidArgument,
                    "out of range bit count in '{}'",
                    String::from_utf8_lossy(text)
                )
            })?;
        Ok(ElementType::new(*numerical_type, bits as u8))
    }

    /// The text form, as the reference prints it.
    pub fn name(self) -> String {
        self.to_string()
    }
}

impl fmt::Display for ElementType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let special = match *self {
            ElementType::FLOAT_8_E5M2 => Some("f8E5M2"),
            ElementType::FLOAT_8_E4M3_FN => Some("f8E4M3FN"),
            ElementType::FLOAT_8_E5M2_FNUZ => Some("f8E5M2FNUZ"),
            ElementType::FLOAT_8_E4M3_FNUZ => Some("f8E4M3FNUZ"),
            ElementType::FLOAT_8_E8M0_FNU => Some("f8E8M0FNU"),
            _ => None,
        };
        if let Some(name) = special {
            return f.write_str(name);
        }
        let (prefix, bits) = match self.numerical_type() {
            // Booleans print as `i1` whatever their storage width.
            NumericalType::BOOLEAN => ("i", 1),
            NumericalType::INTEGER => ("i", self.bit_count()),
            NumericalType::INTEGER_SIGNED => ("si", self.bit_count()),
            NumericalType::INTEGER_UNSIGNED => ("ui", self.bit_count()),
            NumericalType::FLOAT_IEEE => ("f", self.bit_count()),
            NumericalType::FLOAT_BRAIN => ("bf", self.bit_count()),
            NumericalType::FLOAT_COMPLEX => ("cf", self.bit_count()),
            _ => ("*", self.bit_count()),
        };
        write!(f, "{prefix}{bits}")
    }
}

/// How elements are laid out in a buffer (`iree_hal_encoding_type_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct EncodingType(pub u32);

impl EncodingType {
    pub const OPAQUE: EncodingType = EncodingType(0);
    /// Dense, row-major (C order), as numpy lays arrays out.
    pub const DENSE_ROW_MAJOR: EncodingType = EncodingType(1);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_match_the_c_enum() {
        assert_eq!(ElementType::NONE.0, 0);
        assert_eq!(ElementType::OPAQUE_8.0, 0x0000_0008);
        assert_eq!(ElementType::INT_8.0, 0x1000_0008);
        assert_eq!(ElementType::SINT_32.0, 0x1100_0020);
        assert_eq!(ElementType::UINT_64.0, 0x1200_0040);
        assert_eq!(ElementType::BOOL_8.0, 0x1300_0008);
        assert_eq!(ElementType::FLOAT_32.0, 0x2100_0020);
        assert_eq!(ElementType::BFLOAT_16.0, 0x2200_0010);
        assert_eq!(ElementType::COMPLEX_FLOAT_128.0, 0x2300_0080);
        assert_eq!(ElementType::FLOAT_8_E8M0_FNU.0, 0x2800_0008);
    }

    #[test]
    fn sizes_and_classes() {
        assert_eq!(ElementType::INT_4.dense_byte_count(), 1);
        assert!(!ElementType::INT_4.is_byte_aligned());
        assert_eq!(ElementType::INT_4.packed_byte_count(3), Some(2));
        assert_eq!(ElementType::FLOAT_32.packed_byte_count(3), Some(12));
        assert_eq!(ElementType::FLOAT_32.packed_byte_count(u64::MAX), None);
        assert_eq!(ElementType::COMPLEX_FLOAT_64.dense_byte_count(), 8);
        assert!(ElementType::BOOL_8.is_integer() && ElementType::BOOL_8.is_boolean());
        assert!(ElementType::SINT_8.is_integer() && !ElementType::SINT_8.is_boolean());
        assert!(ElementType::COMPLEX_FLOAT_64.is_float());
        assert!(ElementType::OPAQUE_16.is_opaque());
        assert_eq!(ElementType::NONE.dense_byte_count(), 0);
    }

    #[test]
    fn names_round_trip() {
        for (ty, name) in [
            (ElementType::INT_8, "i8"),
            (ElementType::SINT_8, "si8"),
            (ElementType::UINT_16, "ui16"),
            (ElementType::FLOAT_32, "f32"),
            (ElementType::FLOAT_16, "f16"),
            (ElementType::BFLOAT_16, "bf16"),
            (ElementType::OPAQUE_64, "*64"),
            (ElementType::BOOL_8, "i1"),
            (ElementType::COMPLEX_FLOAT_64, "cf64"),
            (ElementType::FLOAT_8_E4M3_FNUZ, "f8E4M3FNUZ"),
            (ElementType::INT_4, "i4"),
        ] {
            assert_eq!(ty.to_string(), name);
            assert_eq!(ElementType::parse(name.as_bytes()).unwrap(), ty, "{name}");
        }
        assert_eq!(ElementType::parse(b"x64").unwrap(), ElementType::OPAQUE_64);
        assert_eq!(
            ElementType::parse(b"f4").unwrap(),
            ElementType::new(NumericalType::FLOAT_IEEE, 4)
        );
        assert_eq!(
            ElementType::new(NumericalType(0x77), 8).to_string(),
            "*8",
            "unknown numerical types print as opaque"
        );
    }

    #[test]
    fn rejects_bad_names() {
        for bad in [&b""[..], b"1", b"*1234", b"q8", b"i", b"i256", b"f-1"] {
            assert!(ElementType::parse(bad).is_err(), "{bad:?}");
        }
    }
}
