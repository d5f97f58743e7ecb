//! The VM bytecode instruction set (bytecode version 17.0, as emitted by
//! iree-compile 3.13): opcode numbers for the core set and the f32/f64
//! extension sets, and the operand layout of every instruction.
//!
//! Layout facts the decoder relies on (all little-endian, no padding):
//! - an instruction is one opcode byte; extension ops are a prefix byte
//!   (`0xE0` f32, `0xE1` f64) followed by the extension opcode byte;
//! - a register operand is a `u16`; ref registers carry [`REF_TYPE_BIT`] and
//!   may carry [`REF_MOVE_BIT`] ("the value dies here, move it");
//! - i64/f64 values occupy two consecutive 32-bit registers starting at the
//!   encoded ordinal;
//! - attributes are `u32` (function/global/rodata ordinals, type ids, branch
//!   targets), `i32`/`i64`/`f32`/`f64` immediates, or strings as a `u16`
//!   length plus bytes;
//! - register lists are a `u16` count plus that many `u16` registers; branch
//!   remap lists are a `u16` count plus `(src, dst)` register pairs;
//! - every basic block starts with a one-byte [`core::BLOCK`] marker and a
//!   branch target is the byte offset of that marker within the function.

/// Set on a register ordinal that names the ref bank.
pub const REF_TYPE_BIT: u16 = 0x8000;
/// Set on a ref register whose value is consumed (moved) by the instruction.
pub const REF_MOVE_BIT: u16 = 0x4000;
/// Ordinal bits of a ref register.
pub const REF_MASK: u16 = 0x3FFF;
/// Ordinal bits of an i32 register.
pub const I32_MASK: u16 = 0x7FFF;
/// High bit of a function ordinal marks an import.
pub const IMPORT_BIT: u32 = 0x8000_0000;
/// Size of the block marker that starts every block.
pub const BLOCK_MARKER_SIZE: usize = 1;
/// Bytecode version this ISA describes (major, minor).
pub const BYTECODE_VERSION: (u16, u16) = (17, 0);

/// Core opcodes.
pub mod core {
    pub const GLOBAL_LOAD_I32: u8 = 0x00;
    pub const GLOBAL_STORE_I32: u8 = 0x01;
    pub const GLOBAL_LOAD_INDIRECT_I32: u8 = 0x02;
    pub const GLOBAL_STORE_INDIRECT_I32: u8 = 0x03;
    pub const GLOBAL_LOAD_I64: u8 = 0x04;
    pub const GLOBAL_STORE_I64: u8 = 0x05;
    pub const GLOBAL_LOAD_INDIRECT_I64: u8 = 0x06;
    pub const GLOBAL_STORE_INDIRECT_I64: u8 = 0x07;
    pub const GLOBAL_LOAD_REF: u8 = 0x08;
    pub const GLOBAL_STORE_REF: u8 = 0x09;
    pub const GLOBAL_LOAD_INDIRECT_REF: u8 = 0x0A;
    pub const GLOBAL_STORE_INDIRECT_REF: u8 = 0x0B;
    pub const CONST_I32_ZERO: u8 = 0x0C;
    pub const CONST_I32: u8 = 0x0D;
    pub const CONST_I64_ZERO: u8 = 0x0E;
    pub const CONST_I64: u8 = 0x0F;
    pub const CONST_REF_ZERO: u8 = 0x10;
    pub const CONST_REF_RODATA: u8 = 0x11;
    pub const LIST_ALLOC: u8 = 0x12;
    pub const LIST_RESERVE: u8 = 0x13;
    pub const LIST_SIZE: u8 = 0x14;
    pub const LIST_RESIZE: u8 = 0x15;
    pub const LIST_GET_I32: u8 = 0x16;
    pub const LIST_SET_I32: u8 = 0x17;
    pub const LIST_GET_I64: u8 = 0x18;
    pub const LIST_SET_I64: u8 = 0x19;
    pub const LIST_GET_REF: u8 = 0x1A;
    pub const LIST_SET_REF: u8 = 0x1B;
    pub const SELECT_I32: u8 = 0x1C;
    pub const SELECT_I64: u8 = 0x1D;
    pub const SELECT_REF: u8 = 0x1E;
    pub const SWITCH_I32: u8 = 0x1F;
    pub const SWITCH_I64: u8 = 0x20;
    pub const SWITCH_REF: u8 = 0x21;
    pub const ADD_I32: u8 = 0x22;
    pub const SUB_I32: u8 = 0x23;
    pub const MUL_I32: u8 = 0x24;
    pub const DIV_I32_S: u8 = 0x25;
    pub const DIV_I32_U: u8 = 0x26;
    pub const REM_I32_S: u8 = 0x27;
    pub const REM_I32_U: u8 = 0x28;
    pub const FMA_I32: u8 = 0x29;
    pub const ADD_I64: u8 = 0x2A;
    pub const SUB_I64: u8 = 0x2B;
    pub const MUL_I64: u8 = 0x2C;
    pub const DIV_I64_S: u8 = 0x2D;
    pub const DIV_I64_U: u8 = 0x2E;
    pub const REM_I64_S: u8 = 0x2F;
    pub const REM_I64_U: u8 = 0x30;
    pub const FMA_I64: u8 = 0x31;
    pub const NOT_I32: u8 = 0x32;
    pub const AND_I32: u8 = 0x33;
    pub const OR_I32: u8 = 0x34;
    pub const XOR_I32: u8 = 0x35;
    pub const NOT_I64: u8 = 0x36;
    pub const AND_I64: u8 = 0x37;
    pub const OR_I64: u8 = 0x38;
    pub const XOR_I64: u8 = 0x39;
    pub const SHL_I32: u8 = 0x3A;
    pub const SHR_I32_S: u8 = 0x3B;
    pub const SHR_I32_U: u8 = 0x3C;
    pub const SHL_I64: u8 = 0x3D;
    pub const SHR_I64_S: u8 = 0x3E;
    pub const SHR_I64_U: u8 = 0x3F;
    pub const TRUNC_I32_I8: u8 = 0x40;
    pub const TRUNC_I32_I16: u8 = 0x41;
    pub const TRUNC_I64_I32: u8 = 0x42;
    pub const EXT_I8_I32_S: u8 = 0x43;
    pub const EXT_I8_I32_U: u8 = 0x44;
    pub const EXT_I16_I32_S: u8 = 0x45;
    pub const EXT_I16_I32_U: u8 = 0x46;
    pub const EXT_I32_I64_S: u8 = 0x47;
    pub const EXT_I32_I64_U: u8 = 0x48;
    pub const CMP_EQ_I32: u8 = 0x49;
    pub const CMP_NE_I32: u8 = 0x4A;
    pub const CMP_LT_I32_S: u8 = 0x4B;
    pub const CMP_LT_I32_U: u8 = 0x4C;
    pub const CMP_NZ_I32: u8 = 0x4D;
    pub const CMP_EQ_I64: u8 = 0x4E;
    pub const CMP_NE_I64: u8 = 0x4F;
    pub const CMP_LT_I64_S: u8 = 0x50;
    pub const CMP_LT_I64_U: u8 = 0x51;
    pub const CMP_NZ_I64: u8 = 0x52;
    pub const CMP_EQ_REF: u8 = 0x53;
    pub const CMP_NE_REF: u8 = 0x54;
    pub const CMP_NZ_REF: u8 = 0x55;
    pub const BRANCH: u8 = 0x56;
    pub const COND_BRANCH: u8 = 0x57;
    pub const CALL: u8 = 0x58;
    pub const CALL_VARIADIC: u8 = 0x59;
    pub const RETURN: u8 = 0x5A;
    pub const FAIL: u8 = 0x5B;
    pub const IMPORT_RESOLVED: u8 = 0x5C;
    pub const YIELD: u8 = 0x5D;
    pub const TRACE: u8 = 0x5E;
    pub const PRINT: u8 = 0x5F;
    pub const COND_BREAK: u8 = 0x60;
    pub const BREAK: u8 = 0x61;
    pub const BUFFER_LOAD_I8_U: u8 = 0x62;
    pub const BUFFER_LOAD_I8_S: u8 = 0x63;
    pub const BUFFER_LOAD_I16_U: u8 = 0x64;
    pub const BUFFER_LOAD_I16_S: u8 = 0x65;
    pub const BUFFER_LOAD_I32: u8 = 0x66;
    pub const BUFFER_LOAD_I64: u8 = 0x67;
    pub const BUFFER_STORE_I8: u8 = 0x68;
    pub const BUFFER_STORE_I16: u8 = 0x69;
    pub const BUFFER_STORE_I32: u8 = 0x6A;
    pub const BUFFER_STORE_I64: u8 = 0x6B;
    pub const BUFFER_ALLOC: u8 = 0x6C;
    pub const BUFFER_CLONE: u8 = 0x6D;
    pub const BUFFER_LENGTH: u8 = 0x6E;
    pub const BUFFER_COPY: u8 = 0x6F;
    pub const BUFFER_COMPARE: u8 = 0x70;
    pub const BUFFER_FILL_I8: u8 = 0x71;
    pub const BUFFER_FILL_I16: u8 = 0x72;
    pub const BUFFER_FILL_I32: u8 = 0x73;
    pub const BUFFER_FILL_I64: u8 = 0x74;
    pub const CTLZ_I32: u8 = 0x75;
    pub const CTLZ_I64: u8 = 0x76;
    pub const ABS_I32: u8 = 0x77;
    pub const ABS_I64: u8 = 0x78;
    pub const BLOCK: u8 = 0x79;
    pub const MIN_I32_S: u8 = 0x7A;
    pub const MIN_I32_U: u8 = 0x7B;
    pub const MAX_I32_S: u8 = 0x7C;
    pub const MAX_I32_U: u8 = 0x7D;
    pub const MIN_I64_S: u8 = 0x7E;
    pub const MIN_I64_U: u8 = 0x7F;
    pub const MAX_I64_S: u8 = 0x80;
    pub const MAX_I64_U: u8 = 0x81;
    pub const CAST_ANY_REF: u8 = 0x82;
    pub const BRANCH_TABLE: u8 = 0x83;
    pub const BUFFER_HASH: u8 = 0x84;
    pub const DISCARD_REFS: u8 = 0x85;
    pub const ASSIGN_REF: u8 = 0x86;
    pub const CALL_YIELDABLE: u8 = 0x87;
    pub const CALL_VARIADIC_YIELDABLE: u8 = 0x88;
    pub const PREFIX_EXT_F32: u8 = 0xE0;
    pub const PREFIX_EXT_F64: u8 = 0xE1;
}

/// Opcodes following the f32 prefix.
pub mod f32op {
    pub const GLOBAL_LOAD: u8 = 0x00;
    pub const GLOBAL_STORE: u8 = 0x01;
    pub const GLOBAL_LOAD_INDIRECT: u8 = 0x02;
    pub const GLOBAL_STORE_INDIRECT: u8 = 0x03;
    pub const CONST_ZERO: u8 = 0x04;
    pub const CONST: u8 = 0x05;
    pub const LIST_GET: u8 = 0x06;
    pub const LIST_SET: u8 = 0x07;
    pub const SELECT: u8 = 0x08;
    pub const SWITCH: u8 = 0x09;
    pub const ADD: u8 = 0x0A;
    pub const SUB: u8 = 0x0B;
    pub const MUL: u8 = 0x0C;
    pub const DIV: u8 = 0x0D;
    pub const REM: u8 = 0x0E;
    pub const FMA: u8 = 0x0F;
    pub const ABS: u8 = 0x10;
    pub const NEG: u8 = 0x11;
    pub const CEIL: u8 = 0x12;
    pub const FLOOR: u8 = 0x13;
    pub const CAST_SI32: u8 = 0x14;
    pub const CAST_UI32: u8 = 0x15;
    pub const CAST_TO_SI32: u8 = 0x16;
    pub const CAST_TO_UI32: u8 = 0x17;
    pub const BITCAST_FROM_I32: u8 = 0x18;
    pub const BITCAST_TO_I32: u8 = 0x19;
    pub const ATAN: u8 = 0x1A;
    pub const ATAN2: u8 = 0x1B;
    pub const COS: u8 = 0x1C;
    pub const SIN: u8 = 0x1D;
    pub const EXP: u8 = 0x1E;
    pub const EXP2: u8 = 0x1F;
    pub const EXPM1: u8 = 0x20;
    pub const LOG: u8 = 0x21;
    pub const LOG10: u8 = 0x22;
    pub const LOG1P: u8 = 0x23;
    pub const LOG2: u8 = 0x24;
    pub const POW: u8 = 0x25;
    pub const RSQRT: u8 = 0x26;
    pub const SQRT: u8 = 0x27;
    pub const TANH: u8 = 0x28;
    pub const ERF: u8 = 0x29;
    pub const CMP_EQ_O: u8 = 0x2A;
    pub const CMP_EQ_U: u8 = 0x2B;
    pub const CMP_NE_O: u8 = 0x2C;
    pub const CMP_NE_U: u8 = 0x2D;
    pub const CMP_LT_O: u8 = 0x2E;
    pub const CMP_LT_U: u8 = 0x2F;
    pub const CMP_LTE_O: u8 = 0x30;
    pub const CMP_LTE_U: u8 = 0x31;
    pub const CMP_NAN: u8 = 0x32;
    pub const BUFFER_LOAD: u8 = 0x33;
    pub const BUFFER_STORE: u8 = 0x34;
    pub const BUFFER_FILL: u8 = 0x35;
    pub const ROUND: u8 = 0x36;
    pub const MIN: u8 = 0x37;
    pub const MAX: u8 = 0x38;
    pub const ROUND_EVEN: u8 = 0x39;
    pub const CAST_TO_SI64: u8 = 0x3A;
    pub const CAST_TO_UI64: u8 = 0x3B;
    pub const CAST_SI64: u8 = 0x3C;
    pub const CAST_UI64: u8 = 0x3D;
}

/// Opcodes following the f64 prefix.
pub mod f64op {
    pub const GLOBAL_LOAD: u8 = 0x00;
    pub const GLOBAL_STORE: u8 = 0x01;
    pub const GLOBAL_LOAD_INDIRECT: u8 = 0x02;
    pub const GLOBAL_STORE_INDIRECT: u8 = 0x03;
    pub const CONST_ZERO: u8 = 0x04;
    pub const CONST: u8 = 0x05;
    pub const LIST_GET: u8 = 0x06;
    pub const LIST_SET: u8 = 0x07;
    pub const SELECT: u8 = 0x08;
    pub const SWITCH: u8 = 0x09;
    pub const ADD: u8 = 0x0A;
    pub const SUB: u8 = 0x0B;
    pub const MUL: u8 = 0x0C;
    pub const DIV: u8 = 0x0D;
    pub const REM: u8 = 0x0E;
    pub const FMA: u8 = 0x0F;
    pub const ABS: u8 = 0x10;
    pub const NEG: u8 = 0x11;
    pub const CEIL: u8 = 0x12;
    pub const FLOOR: u8 = 0x13;
    pub const TRUNC_TO_F32: u8 = 0x14;
    pub const EXT_FROM_F32: u8 = 0x15;
    pub const CAST_SI32: u8 = 0x16;
    pub const CAST_UI32: u8 = 0x17;
    pub const CAST_TO_SI32: u8 = 0x18;
    pub const CAST_TO_UI32: u8 = 0x19;
    pub const CAST_SI64: u8 = 0x1A;
    pub const CAST_UI64: u8 = 0x1B;
    pub const CAST_TO_SI64: u8 = 0x1C;
    pub const CAST_TO_UI64: u8 = 0x1D;
    pub const BITCAST_FROM_I64: u8 = 0x1E;
    pub const BITCAST_TO_I64: u8 = 0x1F;
    pub const ATAN: u8 = 0x20;
    pub const ATAN2: u8 = 0x21;
    pub const COS: u8 = 0x22;
    pub const SIN: u8 = 0x23;
    pub const EXP: u8 = 0x24;
    pub const EXP2: u8 = 0x25;
    pub const EXPM1: u8 = 0x26;
    pub const LOG: u8 = 0x27;
    pub const LOG10: u8 = 0x28;
    pub const LOG1P: u8 = 0x29;
    pub const LOG2: u8 = 0x2A;
    pub const POW: u8 = 0x2B;
    pub const RSQRT: u8 = 0x2C;
    pub const SQRT: u8 = 0x2D;
    pub const TANH: u8 = 0x2E;
    pub const ERF: u8 = 0x2F;
    pub const CMP_EQ_O: u8 = 0x30;
    pub const CMP_EQ_U: u8 = 0x31;
    pub const CMP_NE_O: u8 = 0x32;
    pub const CMP_NE_U: u8 = 0x33;
    pub const CMP_LT_O: u8 = 0x34;
    pub const CMP_LT_U: u8 = 0x35;
    pub const CMP_LTE_O: u8 = 0x36;
    pub const CMP_LTE_U: u8 = 0x37;
    pub const CMP_NAN: u8 = 0x38;
    pub const BUFFER_LOAD: u8 = 0x39;
    pub const BUFFER_STORE: u8 = 0x3A;
    pub const BUFFER_FILL: u8 = 0x3B;
    pub const ROUND: u8 = 0x3C;
    pub const MIN: u8 = 0x3D;
    pub const MAX: u8 = 0x3E;
    pub const ROUND_EVEN: u8 = 0x3F;
}

/// One operand slot of an instruction, in encoding order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// A 32-bit register read (i32 or f32).
    R32,
    /// A 64-bit register pair read (i64 or f64).
    R64,
    /// A ref register read (move bit allowed).
    RRef,
    /// A 32-bit register written.
    W32,
    /// A 64-bit register pair written.
    W64,
    /// A ref register written.
    WRef,
    /// 4-byte immediate (i32 / f32 constant).
    Imm32,
    /// 8-byte immediate (i64 / f64 constant).
    Imm64,
    /// Byte offset into the module's primitive global storage.
    GlobalOffset(u8),
    /// Ordinal into the module's ref global table.
    GlobalRef,
    /// Rodata segment ordinal.
    Rodata,
    /// Function ordinal (high bit: import).
    Func,
    /// Type table ordinal.
    Type,
    /// `u16` length + UTF-8 bytes.
    Str,
    /// Block-start offset within the function.
    Target,
    /// Branch remap list (`u16` count + pairs).
    Remap,
    /// Register list of any bank (`u16` count + registers).
    List,
    /// Register list of 32-bit registers.
    List32,
    /// Register list of 64-bit registers.
    List64,
    /// Register list of ref registers.
    ListRef,
    /// Register list written by a call.
    Results,
    /// br_table: `u16` case count then that many (target, remap) pairs.
    Cases,
}

use Field::*;

const UN32: &[Field] = &[R32, W32];
const BIN32: &[Field] = &[R32, R32, W32];
const TER32: &[Field] = &[R32, R32, R32, W32];
const UN64: &[Field] = &[R64, W64];
const BIN64: &[Field] = &[R64, R64, W64];
const TER64: &[Field] = &[R64, R64, R64, W64];
const SHIFT64: &[Field] = &[R64, R32, W64];
const CMP64: &[Field] = &[R64, R64, W32];
const NZ64: &[Field] = &[R64, W32];
const W32_ONLY: &[Field] = &[W32];
const W64_ONLY: &[Field] = &[W64];
const CONV_32_64: &[Field] = &[R32, W64];
const CONV_64_32: &[Field] = &[R64, W32];
const LIST_GET32: &[Field] = &[RRef, R32, W32];
const LIST_SET32: &[Field] = &[RRef, R32, R32];
const LIST_GET64: &[Field] = &[RRef, R32, W64];
const LIST_SET64: &[Field] = &[RRef, R32, R64];
const SEL32: &[Field] = &[R32, R32, R32, W32];
const SEL64: &[Field] = &[R32, R64, R64, W64];
const SW32: &[Field] = &[R32, R32, List32, W32];
const SW64: &[Field] = &[R32, R64, List64, W64];
const BUF_LOAD32: &[Field] = &[RRef, R64, W32];
const BUF_LOAD64: &[Field] = &[RRef, R64, W64];
const BUF_STORE32: &[Field] = &[RRef, R64, R32];
const BUF_STORE64: &[Field] = &[RRef, R64, R64];
const BUF_FILL32: &[Field] = &[RRef, R64, R64, R32];
const BUF_FILL64: &[Field] = &[RRef, R64, R64, R64];
const BRANCH_FIELDS: &[Field] = &[Target, Remap];

/// Operand layout of a core opcode; `None` for unassigned opcodes and the
/// two prefixes (see [`f32_layout`], [`f64_layout`]).
pub fn core_layout(op: u8) -> Option<&'static [Field]> {
    use self::core::*;
    Some(match op {
        GLOBAL_LOAD_I32 => &[GlobalOffset(4), W32],
        GLOBAL_STORE_I32 => &[GlobalOffset(4), R32],
        GLOBAL_LOAD_INDIRECT_I32 => &[R32, W32],
        GLOBAL_STORE_INDIRECT_I32 => &[R32, R32],
        GLOBAL_LOAD_I64 => &[GlobalOffset(8), W64],
        GLOBAL_STORE_I64 => &[GlobalOffset(8), R64],
        GLOBAL_LOAD_INDIRECT_I64 => &[R32, W64],
        GLOBAL_STORE_INDIRECT_I64 => &[R32, R64],
        GLOBAL_LOAD_REF => &[GlobalRef, Type, WRef],
        GLOBAL_STORE_REF => &[GlobalRef, Type, RRef],
        GLOBAL_LOAD_INDIRECT_REF => &[R32, Type, WRef],
        GLOBAL_STORE_INDIRECT_REF => &[R32, Type, RRef],
        CONST_I32_ZERO => W32_ONLY,
        CONST_I32 => &[Imm32, W32],
        CONST_I64_ZERO => W64_ONLY,
        CONST_I64 => &[Imm64, W64],
        CONST_REF_ZERO => &[WRef],
        CONST_REF_RODATA => &[Rodata, WRef],
        LIST_ALLOC => &[Type, R32, WRef],
        LIST_RESERVE => &[RRef, R32],
        LIST_SIZE => &[RRef, W32],
        LIST_RESIZE => &[RRef, R32],
        LIST_GET_I32 => LIST_GET32,
        LIST_SET_I32 => LIST_SET32,
        LIST_GET_I64 => LIST_GET64,
        LIST_SET_I64 => LIST_SET64,
        LIST_GET_REF => &[RRef, R32, Type, WRef],
        LIST_SET_REF => &[RRef, R32, RRef],
        SELECT_I32 => SEL32,
        SELECT_I64 => SEL64,
        SELECT_REF => &[R32, Type, RRef, RRef, WRef],
        SWITCH_I32 => SW32,
        SWITCH_I64 => SW64,
        SWITCH_REF => &[R32, Type, RRef, ListRef, WRef],
        ADD_I32 | SUB_I32 | MUL_I32 | DIV_I32_S | DIV_I32_U | REM_I32_S | REM_I32_U | AND_I32
        | OR_I32 | XOR_I32 | MIN_I32_S | MIN_I32_U | MAX_I32_S | MAX_I32_U | SHL_I32
        | SHR_I32_S | SHR_I32_U | CMP_EQ_I32 | CMP_NE_I32 | CMP_LT_I32_S | CMP_LT_I32_U => BIN32,
        FMA_I32 => TER32,
        ADD_I64 | SUB_I64 | MUL_I64 | DIV_I64_S | DIV_I64_U | REM_I64_S | REM_I64_U | AND_I64
        | OR_I64 | XOR_I64 | MIN_I64_S | MIN_I64_U | MAX_I64_S | MAX_I64_U => BIN64,
        FMA_I64 => TER64,
        NOT_I32 | TRUNC_I32_I8 | TRUNC_I32_I16 | EXT_I8_I32_S | EXT_I8_I32_U | EXT_I16_I32_S
        | EXT_I16_I32_U | CMP_NZ_I32 | CTLZ_I32 | ABS_I32 => UN32,
        NOT_I64 | CTLZ_I64 | ABS_I64 => UN64,
        SHL_I64 | SHR_I64_S | SHR_I64_U => SHIFT64,
        TRUNC_I64_I32 => CONV_64_32,
        EXT_I32_I64_S | EXT_I32_I64_U => CONV_32_64,
        CMP_EQ_I64 | CMP_NE_I64 | CMP_LT_I64_S | CMP_LT_I64_U => CMP64,
        CMP_NZ_I64 => NZ64,
        CMP_EQ_REF | CMP_NE_REF => &[RRef, RRef, W32],
        CMP_NZ_REF => &[RRef, W32],
        BRANCH | YIELD | BREAK => BRANCH_FIELDS,
        COND_BRANCH => &[R32, Target, Remap, Target, Remap],
        CALL => &[Func, List, Results],
        CALL_VARIADIC => &[Func, List32, List, Results],
        CALL_YIELDABLE => &[Func, List, Target, Results],
        CALL_VARIADIC_YIELDABLE => &[Func, List32, List, Target, Results],
        RETURN => &[List],
        FAIL => &[R32, Str],
        IMPORT_RESOLVED => &[Func, W32],
        TRACE | PRINT => &[Str, List],
        COND_BREAK => &[R32, Target, Remap],
        BUFFER_LOAD_I8_U | BUFFER_LOAD_I8_S | BUFFER_LOAD_I16_U | BUFFER_LOAD_I16_S
        | BUFFER_LOAD_I32 => BUF_LOAD32,
        BUFFER_LOAD_I64 => BUF_LOAD64,
        BUFFER_STORE_I8 | BUFFER_STORE_I16 | BUFFER_STORE_I32 => BUF_STORE32,
        BUFFER_STORE_I64 => BUF_STORE64,
        BUFFER_ALLOC => &[R64, R32, WRef],
        BUFFER_CLONE => &[RRef, R64, R64, R32, WRef],
        BUFFER_LENGTH => &[RRef, W64],
        BUFFER_COPY => &[RRef, R64, RRef, R64, R64],
        BUFFER_COMPARE => &[RRef, R64, RRef, R64, R64, W32],
        BUFFER_FILL_I8 | BUFFER_FILL_I16 | BUFFER_FILL_I32 => BUF_FILL32,
        BUFFER_FILL_I64 => BUF_FILL64,
        BUFFER_HASH => &[RRef, R64, R64, W64],
        BLOCK => &[],
        CAST_ANY_REF => &[RRef, Type, WRef],
        BRANCH_TABLE => &[R32, Target, Remap, Cases],
        DISCARD_REFS => &[List],
        ASSIGN_REF => &[RRef, WRef],
        _ => return None,
    })
}

/// Operand layout of an f32 extension opcode.
pub fn f32_layout(op: u8) -> Option<&'static [Field]> {
    use self::f32op::*;
    Some(match op {
        GLOBAL_LOAD => &[GlobalOffset(4), W32],
        GLOBAL_STORE => &[GlobalOffset(4), R32],
        GLOBAL_LOAD_INDIRECT => &[R32, W32],
        GLOBAL_STORE_INDIRECT => &[R32, R32],
        CONST_ZERO => W32_ONLY,
        CONST => &[Imm32, W32],
        LIST_GET => LIST_GET32,
        LIST_SET => LIST_SET32,
        SELECT => SEL32,
        SWITCH => SW32,
        ADD | SUB | MUL | DIV | REM | ATAN2 | POW | MIN | MAX | CMP_EQ_O | CMP_EQ_U | CMP_NE_O
        | CMP_NE_U | CMP_LT_O | CMP_LT_U | CMP_LTE_O | CMP_LTE_U => BIN32,
        FMA => TER32,
        ABS | NEG | CEIL | FLOOR | ROUND | ROUND_EVEN | ATAN | COS | SIN | EXP | EXP2 | EXPM1
        | LOG | LOG10 | LOG1P | LOG2 | RSQRT | SQRT | TANH | ERF | CMP_NAN | CAST_SI32
        | CAST_UI32 | CAST_TO_SI32 | CAST_TO_UI32 | BITCAST_FROM_I32 | BITCAST_TO_I32 => UN32,
        CAST_TO_SI64 | CAST_TO_UI64 => CONV_32_64,
        CAST_SI64 | CAST_UI64 => CONV_64_32,
        BUFFER_LOAD => BUF_LOAD32,
        BUFFER_STORE => BUF_STORE32,
        BUFFER_FILL => BUF_FILL32,
        _ => return None,
    })
}

/// Operand layout of an f64 extension opcode.
pub fn f64_layout(op: u8) -> Option<&'static [Field]> {
    use self::f64op::*;
    Some(match op {
        GLOBAL_LOAD => &[GlobalOffset(8), W64],
        GLOBAL_STORE => &[GlobalOffset(8), R64],
        GLOBAL_LOAD_INDIRECT => &[R32, W64],
        GLOBAL_STORE_INDIRECT => &[R32, R64],
        CONST_ZERO => W64_ONLY,
        CONST => &[Imm64, W64],
        LIST_GET => LIST_GET64,
        LIST_SET => LIST_SET64,
        SELECT => SEL64,
        SWITCH => SW64,
        ADD | SUB | MUL | DIV | REM | ATAN2 | POW | MIN | MAX => BIN64,
        CMP_EQ_O | CMP_EQ_U | CMP_NE_O | CMP_NE_U | CMP_LT_O | CMP_LT_U | CMP_LTE_O | CMP_LTE_U => {
            CMP64
        }
        FMA => TER64,
        ABS | NEG | CEIL | FLOOR | ROUND | ROUND_EVEN | ATAN | COS | SIN | EXP | EXP2 | EXPM1
        | LOG | LOG10 | LOG1P | LOG2 | RSQRT | SQRT | TANH | ERF | CAST_SI64 | CAST_UI64
        | CAST_TO_SI64 | CAST_TO_UI64 | BITCAST_FROM_I64 | BITCAST_TO_I64 => UN64,
        CMP_NAN => NZ64,
        TRUNC_TO_F32 | CAST_TO_SI32 | CAST_TO_UI32 => CONV_64_32,
        EXT_FROM_F32 | CAST_SI32 | CAST_UI32 => CONV_32_64,
        BUFFER_LOAD => BUF_LOAD64,
        BUFFER_STORE => BUF_STORE64,
        BUFFER_FILL => BUF_FILL64,
        _ => return None,
    })
}

/// Whether an instruction ends its block (no fall-through to the next op).
pub fn is_terminator(prefix: Option<u8>, op: u8) -> bool {
    use self::core::*;
    prefix.is_none()
        && matches!(
            op,
            BRANCH
                | COND_BRANCH
                | RETURN
                | FAIL
                | YIELD
                | BREAK
                | COND_BREAK
                | BRANCH_TABLE
                | CALL_YIELDABLE
                | CALL_VARIADIC_YIELDABLE
        )
}

/// Little-endian readers over bytecode; `None` when past the end.
#[inline(always)]
pub fn read_u16(code: &[u8], at: usize) -> Option<u16> {
    let b = code.get(at..at + 2)?;
    Some(u16::from_le_bytes([b[0], b[1]]))
}

#[inline(always)]
pub fn read_u32(code: &[u8], at: usize) -> Option<u32> {
    let b = code.get(at..at + 4)?;
    Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

#[inline(always)]
pub fn read_u64(code: &[u8], at: usize) -> Option<u64> {
    let b = code.get(at..at + 8)?;
    let mut a = [0u8; 8];
    a.copy_from_slice(b);
    Some(u64::from_le_bytes(a))
}
