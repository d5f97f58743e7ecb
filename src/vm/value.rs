//! Primitive values, type definitions and variants (`iree/vm/value.h`,
//! `iree/vm/type_def.h`), with the `repr(C)` forms C reads and writes.

use crate::vm::r#ref::{RawRef, Ref, RefType, REF_TYPE_NULL};

/// `iree_vm_value_type_t`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum ValueType {
    None = 0,
    I8 = 1,
    I16 = 2,
    I32 = 3,
    I64 = 4,
    F32 = 5,
    F64 = 6,
}

impl ValueType {
    pub fn from_raw(raw: u32) -> Option<ValueType> {
        Some(match raw {
            0 => ValueType::None,
            1 => ValueType::I8,
            2 => ValueType::I16,
            3 => ValueType::I32,
            4 => ValueType::I64,
            5 => ValueType::F32,
            6 => ValueType::F64,
            _ => return None,
        })
    }

    /// Bytes one element of this type occupies in a packed array.
    pub fn size(self) -> usize {
        match self {
            ValueType::None => 0,
            ValueType::I8 => 1,
            ValueType::I16 => 2,
            ValueType::I32 | ValueType::F32 => 4,
            ValueType::I64 | ValueType::F64 => 8,
        }
    }
}

/// A primitive value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Value {
    I8(i8),
    I16(i16),
    I32(i32),
    I64(i64),
    F32(f32),
    F64(f64),
}

impl Value {
    pub fn value_type(&self) -> ValueType {
        match self {
            Value::I8(_) => ValueType::I8,
            Value::I16(_) => ValueType::I16,
            Value::I32(_) => ValueType::I32,
            Value::I64(_) => ValueType::I64,
            Value::F32(_) => ValueType::F32,
            Value::F64(_) => ValueType::F64,
        }
    }

    /// The little-endian storage bits as C's union holds them.
    pub fn bits(&self) -> u64 {
        match *self {
            Value::I8(v) => v as u8 as u64,
            Value::I16(v) => v as u16 as u64,
            Value::I32(v) => v as u32 as u64,
            Value::I64(v) => v as u64,
            Value::F32(v) => v.to_bits() as u64,
            Value::F64(v) => v.to_bits(),
        }
    }

    /// Rebuilds a value from union storage bits; `None` for NONE/unknown.
    pub fn from_bits(ty: ValueType, bits: u64) -> Option<Value> {
        Some(match ty {
            ValueType::None => return None,
            ValueType::I8 => Value::I8(bits as u8 as i8),
            ValueType::I16 => Value::I16(bits as u16 as i16),
            ValueType::I32 => Value::I32(bits as u32 as i32),
            ValueType::I64 => Value::I64(bits as i64),
            ValueType::F32 => Value::F32(f32::from_bits(bits as u32)),
            ValueType::F64 => Value::F64(f64::from_bits(bits)),
        })
    }

    fn as_i64(&self) -> Option<i64> {
        match *self {
            Value::I8(v) => Some(v as i64),
            Value::I16(v) => Some(v as i64),
            Value::I32(v) => Some(v as i64),
            Value::I64(v) => Some(v),
            _ => None,
        }
    }

    /// Converts between value types the way lists do: integers widen (sign
    /// extended) or truncate; any other pairing yields zero of the target.
    pub fn convert(self, target: ValueType) -> Option<Value> {
        if target == self.value_type() {
            return Some(self);
        }
        let int = self.as_i64();
        Some(match target {
            ValueType::None => return None,
            ValueType::I8 => Value::I8(int.unwrap_or(0) as i8),
            ValueType::I16 => Value::I16(int.unwrap_or(0) as i16),
            ValueType::I32 => Value::I32(int.unwrap_or(0) as i32),
            ValueType::I64 => Value::I64(int.unwrap_or(0)),
            ValueType::F32 => Value::F32(0.0),
            ValueType::F64 => Value::F64(0.0),
        })
    }
}

/// `iree_vm_type_def_t`: `value_type:8, ref_type:24` in one word.
#[repr(transparent)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TypeDef(pub u32);

impl TypeDef {
    pub const VARIANT: TypeDef = TypeDef(0);

    pub fn value(ty: ValueType) -> TypeDef {
        TypeDef(ty as u32)
    }
    pub fn of_ref(ty: RefType) -> TypeDef {
        TypeDef((ty & 0x00FF_FFFF) << 8)
    }
    pub fn value_type_raw(&self) -> u32 {
        self.0 & 0xFF
    }
    pub fn value_type(&self) -> ValueType {
        ValueType::from_raw(self.value_type_raw()).unwrap_or(ValueType::None)
    }
    pub fn ref_type(&self) -> RefType {
        self.0 >> 8
    }
    pub fn is_value(&self) -> bool {
        self.value_type_raw() != 0
    }
    pub fn is_ref(&self) -> bool {
        self.ref_type() != REF_TYPE_NULL
    }
    pub fn is_variant(&self) -> bool {
        !self.is_value() && !self.is_ref()
    }
}

/// A value, a ref or nothing.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Variant {
    #[default]
    Empty,
    Value(Value),
    Ref(Ref),
}

impl Variant {
    pub fn type_def(&self) -> TypeDef {
        match self {
            Variant::Empty => TypeDef::VARIANT,
            Variant::Value(v) => TypeDef::value(v.value_type()),
            Variant::Ref(r) => TypeDef::of_ref(r.type_id()),
        }
    }
}

/// `iree_vm_value_t`: type tag then 8 bytes of union storage.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct ValueRaw {
    pub type_: u32,
    pub storage: u64,
}

impl ValueRaw {
    pub fn from_value(v: Option<Value>) -> ValueRaw {
        match v {
            None => ValueRaw::default(),
            Some(v) => ValueRaw {
                type_: v.value_type() as u32,
                storage: v.bits(),
            },
        }
    }
    pub fn to_value(&self) -> Option<Value> {
        Value::from_bits(ValueType::from_raw(self.type_)?, self.storage)
    }
}

/// `iree_vm_variant_t`: a type def then 16 bytes of union storage (a value
/// in the first 8 bytes, or a whole `iree_vm_ref_t`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct VariantRaw {
    pub type_: TypeDef,
    pub storage: [u64; 2],
}

impl VariantRaw {
    pub fn ref_raw(&self) -> RawRef {
        RawRef {
            ptr: self.storage[0] as usize as *mut std::ffi::c_void,
            bits: self.storage[1] as u32,
        }
    }
    pub fn from_ref_raw(r: RawRef) -> VariantRaw {
        VariantRaw {
            type_: TypeDef::of_ref(r.type_id()),
            storage: [r.ptr as usize as u64, r.bits as u64],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_match_c() {
        assert_eq!(std::mem::size_of::<ValueRaw>(), 16);
        assert_eq!(std::mem::size_of::<VariantRaw>(), 24);
        assert_eq!(std::mem::size_of::<RawRef>(), 16);
    }

    #[test]
    fn conversions() {
        assert_eq!(Value::I32(-1).convert(ValueType::I64), Some(Value::I64(-1)));
        assert_eq!(
            Value::I64(0x1_0000_0002).convert(ValueType::I32),
            Some(Value::I32(2))
        );
        assert_eq!(Value::F32(1.5).convert(ValueType::I32), Some(Value::I32(0)));
        let t = TypeDef::of_ref(5);
        assert!(t.is_ref() && !t.is_value());
        assert!(TypeDef::VARIANT.is_variant());
    }
}
