//! The values of translated opcodes that have no bytecode counterpart, and
//! where the register-only f32 and f64 extension instructions go in the one
//! dispatch table: the translator writes them, [`super::op::Op`] names
//! them, and the passes after translation read them. Below every other
//! interpreter file (it needs only the instruction set).

use crate::vm::bytecode::isa::{core, f32op, f64op};

/// Opcode of an instruction left to the general decoder; `imm` is its
/// bytecode offset. Unassigned in the core opcode space.
pub const SLOW: u8 = 0xFE;
/// A conditional branch without operand remaps on either edge: `regs[0]`
/// is the condition, `imm` the target if it is non-zero and `regs[1..3]`
/// (low and high halves) the target if it is zero. Unassigned in the core
/// opcode space.
/// (It takes the highest opcode value so that the main loop's dispatch
/// table spans every value and needs no range check.)
pub const COND_BRANCH_FUSED: u8 = 0xFF;
/// A 32-bit binary instruction (its opcode in `regs[3]`, see
/// [`is_condition_op`]) whose result is the condition of the
/// [`COND_BRANCH_FUSED`] that follows: both run in one dispatch. Takes the
/// value of the f32 prefix, which never starts a translated instruction.
pub const BINARY_THEN_BRANCH: u8 = core::PREFIX_EXT_F32;
/// The same with one more condition instruction between: this one, then
/// the binary instruction that follows, then the [`COND_BRANCH_FUSED`]
/// after it (as `vm.cmp.gte` lowers to `cmp.lt` and `xor`). Takes the value
/// of the f64 prefix.
pub const BINARY_BINARY_THEN_BRANCH: u8 = core::PREFIX_EXT_F64;

/// 32-bit binary instructions that can head a fused branch.
pub fn is_condition_op(op: u8) -> bool {
    matches!(
        op,
        core::CMP_EQ_I32
            | core::CMP_NE_I32
            | core::CMP_LT_I32_S
            | core::CMP_LT_I32_U
            | core::XOR_I32
            | core::AND_I32
            | core::OR_I32
    )
}

/// An unconditional branch whose remaps all move 32-bit registers (no
/// refs), laid out like a translated `vm.br`. Unassigned in the core
/// opcode space.
pub const BRANCH_MOVES: u8 = 0xFD;

/// Superinstructions: translated opcodes with no bytecode counterpart,
/// each doing the work of a common run of instructions in one dispatch.
/// They take the values of the `vm.buffer.*` instructions, which operate
/// on refs and so never run translated (a test checks it).
pub mod fused {
    /// `vm.br` whose remaps are one 32-bit move, `regs[0]` to `regs[1]`;
    /// `imm` is the target.
    pub const BR_MOVE: u8 = 0x62;
    /// The same with a 64-bit move (a register pair).
    pub const BR_MOVE_W: u8 = 0x63;
    /// `vm.br` whose remaps are two moves, `regs[0]` to `regs[1]` then
    /// `regs[2]` to `regs[3]`; a `W` marks a 64-bit one.
    pub const BR_MOVE_MOVE: u8 = 0x64;
    pub const BR_MOVE_MOVE_W: u8 = 0x65;
    pub const BR_MOVE_W_MOVE: u8 = 0x66;
    pub const BR_MOVE_W_MOVE_W: u8 = 0x67;
    /// A 32-bit comparison (operands as translated) whose result is the
    /// condition of the [`super::COND_BRANCH_FUSED`] that follows.
    pub const CMP_EQ_BRANCH: u8 = 0x68;
    pub const CMP_NE_BRANCH: u8 = 0x69;
    pub const CMP_LT_S_BRANCH: u8 = 0x6A;
    pub const CMP_LT_U_BRANCH: u8 = 0x6B;
    /// The same comparison, then the `vm.xor.i32` that follows it, whose
    /// result is the branch condition: `vm.cmp.gte`, `vm.cmp.lte` and
    /// friends lower to this.
    pub const CMP_EQ_XOR_BRANCH: u8 = 0x6C;
    pub const CMP_NE_XOR_BRANCH: u8 = 0x6D;
    pub const CMP_LT_S_XOR_BRANCH: u8 = 0x6E;
    pub const CMP_LT_U_XOR_BRANCH: u8 = 0x6F;
    /// `vm.call` of an import with a plain calling convention: `imm` is the
    /// import ordinal, `regs[0..2]` (low and high halves) the argument
    /// list and `regs[2..4]` the result list in [`super::super::code::Translated::lists`].
    pub const CALL_IMPORT: u8 = 0x70;

    /// Every superinstruction opcode.
    pub const ALL: [u8; 15] = [
        CALL_IMPORT,
        BR_MOVE,
        BR_MOVE_W,
        BR_MOVE_MOVE,
        BR_MOVE_MOVE_W,
        BR_MOVE_W_MOVE,
        BR_MOVE_W_MOVE_W,
        CMP_EQ_BRANCH,
        CMP_NE_BRANCH,
        CMP_LT_S_BRANCH,
        CMP_LT_U_BRANCH,
        CMP_EQ_XOR_BRANCH,
        CMP_NE_XOR_BRANCH,
        CMP_LT_S_XOR_BRANCH,
        CMP_LT_U_XOR_BRANCH,
    ];
}

/// Translated opcodes of the register-only f32 and f64 extension
/// instructions. They take core opcode values no core instruction uses, so
/// the main loop dispatches every instruction through one table.
pub mod ext_op {
    pub const F32_GLOBAL_LOAD: u8 = 0x89;
    pub const F32_GLOBAL_STORE: u8 = 0x8a;
    pub const F32_GLOBAL_LOAD_INDIRECT: u8 = 0x8b;
    pub const F32_GLOBAL_STORE_INDIRECT: u8 = 0x8c;
    pub const F32_CONST_ZERO: u8 = 0x8d;
    pub const F32_CONST: u8 = 0x8e;
    pub const F32_SELECT: u8 = 0x8f;
    pub const F32_ADD: u8 = 0x90;
    pub const F32_SUB: u8 = 0x91;
    pub const F32_MUL: u8 = 0x92;
    pub const F32_DIV: u8 = 0x93;
    pub const F32_REM: u8 = 0x94;
    pub const F32_FMA: u8 = 0x95;
    pub const F32_ABS: u8 = 0x96;
    pub const F32_NEG: u8 = 0x97;
    pub const F32_CEIL: u8 = 0x98;
    pub const F32_FLOOR: u8 = 0x99;
    pub const F32_CAST_SI32: u8 = 0x9a;
    pub const F32_CAST_UI32: u8 = 0x9b;
    pub const F32_CAST_TO_SI32: u8 = 0x9c;
    pub const F32_CAST_TO_UI32: u8 = 0x9d;
    pub const F32_BITCAST_FROM_I32: u8 = 0x9e;
    pub const F32_BITCAST_TO_I32: u8 = 0x9f;
    pub const F32_ATAN: u8 = 0xa0;
    pub const F32_ATAN2: u8 = 0xa1;
    pub const F32_COS: u8 = 0xa2;
    pub const F32_SIN: u8 = 0xa3;
    pub const F32_EXP: u8 = 0xa4;
    pub const F32_EXP2: u8 = 0xa5;
    pub const F32_EXPM1: u8 = 0xa6;
    pub const F32_LOG: u8 = 0xa7;
    pub const F32_LOG10: u8 = 0xa8;
    pub const F32_LOG1P: u8 = 0xa9;
    pub const F32_LOG2: u8 = 0xaa;
    pub const F32_POW: u8 = 0xab;
    pub const F32_RSQRT: u8 = 0xac;
    pub const F32_SQRT: u8 = 0xad;
    pub const F32_TANH: u8 = 0xae;
    pub const F32_ERF: u8 = 0xaf;
    pub const F32_CMP_EQ_O: u8 = 0xb0;
    pub const F32_CMP_EQ_U: u8 = 0xb1;
    pub const F32_CMP_NE_O: u8 = 0xb2;
    pub const F32_CMP_NE_U: u8 = 0xb3;
    pub const F32_CMP_LT_O: u8 = 0xb4;
    pub const F32_CMP_LT_U: u8 = 0xb5;
    pub const F32_CMP_LTE_O: u8 = 0xb6;
    pub const F32_CMP_LTE_U: u8 = 0xb7;
    pub const F32_CMP_NAN: u8 = 0xb8;
    pub const F32_ROUND: u8 = 0xb9;
    pub const F32_MIN: u8 = 0xba;
    pub const F32_MAX: u8 = 0xbb;
    pub const F32_ROUND_EVEN: u8 = 0xbc;
    pub const F32_CAST_TO_SI64: u8 = 0xbd;
    pub const F32_CAST_TO_UI64: u8 = 0xbe;
    pub const F32_CAST_SI64: u8 = 0xbf;
    pub const F32_CAST_UI64: u8 = 0xc0;
    pub const F64_GLOBAL_LOAD: u8 = 0xc1;
    pub const F64_GLOBAL_STORE: u8 = 0xc2;
    pub const F64_GLOBAL_LOAD_INDIRECT: u8 = 0xc3;
    pub const F64_GLOBAL_STORE_INDIRECT: u8 = 0xc4;
    pub const F64_CONST_ZERO: u8 = 0xc5;
    pub const F64_CONST: u8 = 0xc6;
    pub const F64_SELECT: u8 = 0xc7;
    pub const F64_ADD: u8 = 0xc8;
    pub const F64_SUB: u8 = 0xc9;
    pub const F64_MUL: u8 = 0xca;
    pub const F64_DIV: u8 = 0xcb;
    pub const F64_REM: u8 = 0xcc;
    pub const F64_FMA: u8 = 0xcd;
    pub const F64_ABS: u8 = 0xce;
    pub const F64_NEG: u8 = 0xcf;
    pub const F64_CEIL: u8 = 0xd0;
    pub const F64_FLOOR: u8 = 0xd1;
    pub const F64_TRUNC_TO_F32: u8 = 0xd2;
    pub const F64_EXT_FROM_F32: u8 = 0xd3;
    pub const F64_CAST_SI32: u8 = 0xd4;
    pub const F64_CAST_UI32: u8 = 0xd5;
    pub const F64_CAST_TO_SI32: u8 = 0xd6;
    pub const F64_CAST_TO_UI32: u8 = 0xd7;
    pub const F64_CAST_SI64: u8 = 0xd8;
    pub const F64_CAST_UI64: u8 = 0xd9;
    pub const F64_CAST_TO_SI64: u8 = 0xda;
    pub const F64_CAST_TO_UI64: u8 = 0xdb;
    pub const F64_BITCAST_FROM_I64: u8 = 0xdc;
    pub const F64_BITCAST_TO_I64: u8 = 0xdd;
    pub const F64_ATAN: u8 = 0xde;
    pub const F64_ATAN2: u8 = 0xdf;
    pub const F64_COS: u8 = 0xe2;
    pub const F64_SIN: u8 = 0xe3;
    pub const F64_EXP: u8 = 0xe4;
    pub const F64_EXP2: u8 = 0xe5;
    pub const F64_EXPM1: u8 = 0xe6;
    pub const F64_LOG: u8 = 0xe7;
    pub const F64_LOG10: u8 = 0xe8;
    pub const F64_LOG1P: u8 = 0xe9;
    pub const F64_LOG2: u8 = 0xea;
    pub const F64_POW: u8 = 0xeb;
    pub const F64_RSQRT: u8 = 0xec;
    pub const F64_SQRT: u8 = 0xed;
    pub const F64_TANH: u8 = 0xee;
    pub const F64_ERF: u8 = 0xef;
    pub const F64_CMP_EQ_O: u8 = 0xf0;
    pub const F64_CMP_EQ_U: u8 = 0xf1;
    pub const F64_CMP_NE_O: u8 = 0xf2;
    pub const F64_CMP_NE_U: u8 = 0xf3;
    pub const F64_CMP_LT_O: u8 = 0xf4;
    pub const F64_CMP_LT_U: u8 = 0xf5;
    pub const F64_CMP_LTE_O: u8 = 0xf6;
    pub const F64_CMP_LTE_U: u8 = 0xf7;
    pub const F64_CMP_NAN: u8 = 0xf8;
    pub const F64_ROUND: u8 = 0xf9;
    pub const F64_MIN: u8 = 0xfa;
    pub const F64_MAX: u8 = 0xfb;
    pub const F64_ROUND_EVEN: u8 = 0xfc;
}

/// `(prefix, extension opcode, translated opcode)` of every entry in
/// [`ext_op`].
pub const EXT_OPS: &[(u8, u8, u8)] = &[
    (
        core::PREFIX_EXT_F32,
        f32op::GLOBAL_LOAD,
        ext_op::F32_GLOBAL_LOAD,
    ),
    (
        core::PREFIX_EXT_F32,
        f32op::GLOBAL_STORE,
        ext_op::F32_GLOBAL_STORE,
    ),
    (
        core::PREFIX_EXT_F32,
        f32op::GLOBAL_LOAD_INDIRECT,
        ext_op::F32_GLOBAL_LOAD_INDIRECT,
    ),
    (
        core::PREFIX_EXT_F32,
        f32op::GLOBAL_STORE_INDIRECT,
        ext_op::F32_GLOBAL_STORE_INDIRECT,
    ),
    (
        core::PREFIX_EXT_F32,
        f32op::CONST_ZERO,
        ext_op::F32_CONST_ZERO,
    ),
    (core::PREFIX_EXT_F32, f32op::CONST, ext_op::F32_CONST),
    (core::PREFIX_EXT_F32, f32op::SELECT, ext_op::F32_SELECT),
    (core::PREFIX_EXT_F32, f32op::ADD, ext_op::F32_ADD),
    (core::PREFIX_EXT_F32, f32op::SUB, ext_op::F32_SUB),
    (core::PREFIX_EXT_F32, f32op::MUL, ext_op::F32_MUL),
    (core::PREFIX_EXT_F32, f32op::DIV, ext_op::F32_DIV),
    (core::PREFIX_EXT_F32, f32op::REM, ext_op::F32_REM),
    (core::PREFIX_EXT_F32, f32op::FMA, ext_op::F32_FMA),
    (core::PREFIX_EXT_F32, f32op::ABS, ext_op::F32_ABS),
    (core::PREFIX_EXT_F32, f32op::NEG, ext_op::F32_NEG),
    (core::PREFIX_EXT_F32, f32op::CEIL, ext_op::F32_CEIL),
    (core::PREFIX_EXT_F32, f32op::FLOOR, ext_op::F32_FLOOR),
    (
        core::PREFIX_EXT_F32,
        f32op::CAST_SI32,
        ext_op::F32_CAST_SI32,
    ),
    (
        core::PREFIX_EXT_F32,
        f32op::CAST_UI32,
        ext_op::F32_CAST_UI32,
    ),
    (
        core::PREFIX_EXT_F32,
        f32op::CAST_TO_SI32,
        ext_op::F32_CAST_TO_SI32,
    ),
    (
        core::PREFIX_EXT_F32,
        f32op::CAST_TO_UI32,
        ext_op::F32_CAST_TO_UI32,
    ),
    (
        core::PREFIX_EXT_F32,
        f32op::BITCAST_FROM_I32,
        ext_op::F32_BITCAST_FROM_I32,
    ),
    (
        core::PREFIX_EXT_F32,
        f32op::BITCAST_TO_I32,
        ext_op::F32_BITCAST_TO_I32,
    ),
    (core::PREFIX_EXT_F32, f32op::ATAN, ext_op::F32_ATAN),
    (core::PREFIX_EXT_F32, f32op::ATAN2, ext_op::F32_ATAN2),
    (core::PREFIX_EXT_F32, f32op::COS, ext_op::F32_COS),
    (core::PREFIX_EXT_F32, f32op::SIN, ext_op::F32_SIN),
    (core::PREFIX_EXT_F32, f32op::EXP, ext_op::F32_EXP),
    (core::PREFIX_EXT_F32, f32op::EXP2, ext_op::F32_EXP2),
    (core::PREFIX_EXT_F32, f32op::EXPM1, ext_op::F32_EXPM1),
    (core::PREFIX_EXT_F32, f32op::LOG, ext_op::F32_LOG),
    (core::PREFIX_EXT_F32, f32op::LOG10, ext_op::F32_LOG10),
    (core::PREFIX_EXT_F32, f32op::LOG1P, ext_op::F32_LOG1P),
    (core::PREFIX_EXT_F32, f32op::LOG2, ext_op::F32_LOG2),
    (core::PREFIX_EXT_F32, f32op::POW, ext_op::F32_POW),
    (core::PREFIX_EXT_F32, f32op::RSQRT, ext_op::F32_RSQRT),
    (core::PREFIX_EXT_F32, f32op::SQRT, ext_op::F32_SQRT),
    (core::PREFIX_EXT_F32, f32op::TANH, ext_op::F32_TANH),
    (core::PREFIX_EXT_F32, f32op::ERF, ext_op::F32_ERF),
    (core::PREFIX_EXT_F32, f32op::CMP_EQ_O, ext_op::F32_CMP_EQ_O),
    (core::PREFIX_EXT_F32, f32op::CMP_EQ_U, ext_op::F32_CMP_EQ_U),
    (core::PREFIX_EXT_F32, f32op::CMP_NE_O, ext_op::F32_CMP_NE_O),
    (core::PREFIX_EXT_F32, f32op::CMP_NE_U, ext_op::F32_CMP_NE_U),
    (core::PREFIX_EXT_F32, f32op::CMP_LT_O, ext_op::F32_CMP_LT_O),
    (core::PREFIX_EXT_F32, f32op::CMP_LT_U, ext_op::F32_CMP_LT_U),
    (
        core::PREFIX_EXT_F32,
        f32op::CMP_LTE_O,
        ext_op::F32_CMP_LTE_O,
    ),
    (
        core::PREFIX_EXT_F32,
        f32op::CMP_LTE_U,
        ext_op::F32_CMP_LTE_U,
    ),
    (core::PREFIX_EXT_F32, f32op::CMP_NAN, ext_op::F32_CMP_NAN),
    (core::PREFIX_EXT_F32, f32op::ROUND, ext_op::F32_ROUND),
    (core::PREFIX_EXT_F32, f32op::MIN, ext_op::F32_MIN),
    (core::PREFIX_EXT_F32, f32op::MAX, ext_op::F32_MAX),
    (
        core::PREFIX_EXT_F32,
        f32op::ROUND_EVEN,
        ext_op::F32_ROUND_EVEN,
    ),
    (
        core::PREFIX_EXT_F32,
        f32op::CAST_TO_SI64,
        ext_op::F32_CAST_TO_SI64,
    ),
    (
        core::PREFIX_EXT_F32,
        f32op::CAST_TO_UI64,
        ext_op::F32_CAST_TO_UI64,
    ),
    (
        core::PREFIX_EXT_F32,
        f32op::CAST_SI64,
        ext_op::F32_CAST_SI64,
    ),
    (
        core::PREFIX_EXT_F32,
        f32op::CAST_UI64,
        ext_op::F32_CAST_UI64,
    ),
    (
        core::PREFIX_EXT_F64,
        f64op::GLOBAL_LOAD,
        ext_op::F64_GLOBAL_LOAD,
    ),
    (
        core::PREFIX_EXT_F64,
        f64op::GLOBAL_STORE,
        ext_op::F64_GLOBAL_STORE,
    ),
    (
        core::PREFIX_EXT_F64,
        f64op::GLOBAL_LOAD_INDIRECT,
        ext_op::F64_GLOBAL_LOAD_INDIRECT,
    ),
    (
        core::PREFIX_EXT_F64,
        f64op::GLOBAL_STORE_INDIRECT,
        ext_op::F64_GLOBAL_STORE_INDIRECT,
    ),
    (
        core::PREFIX_EXT_F64,
        f64op::CONST_ZERO,
        ext_op::F64_CONST_ZERO,
    ),
    (core::PREFIX_EXT_F64, f64op::CONST, ext_op::F64_CONST),
    (core::PREFIX_EXT_F64, f64op::SELECT, ext_op::F64_SELECT),
    (core::PREFIX_EXT_F64, f64op::ADD, ext_op::F64_ADD),
    (core::PREFIX_EXT_F64, f64op::SUB, ext_op::F64_SUB),
    (core::PREFIX_EXT_F64, f64op::MUL, ext_op::F64_MUL),
    (core::PREFIX_EXT_F64, f64op::DIV, ext_op::F64_DIV),
    (core::PREFIX_EXT_F64, f64op::REM, ext_op::F64_REM),
    (core::PREFIX_EXT_F64, f64op::FMA, ext_op::F64_FMA),
    (core::PREFIX_EXT_F64, f64op::ABS, ext_op::F64_ABS),
    (core::PREFIX_EXT_F64, f64op::NEG, ext_op::F64_NEG),
    (core::PREFIX_EXT_F64, f64op::CEIL, ext_op::F64_CEIL),
    (core::PREFIX_EXT_F64, f64op::FLOOR, ext_op::F64_FLOOR),
    (
        core::PREFIX_EXT_F64,
        f64op::TRUNC_TO_F32,
        ext_op::F64_TRUNC_TO_F32,
    ),
    (
        core::PREFIX_EXT_F64,
        f64op::EXT_FROM_F32,
        ext_op::F64_EXT_FROM_F32,
    ),
    (
        core::PREFIX_EXT_F64,
        f64op::CAST_SI32,
        ext_op::F64_CAST_SI32,
    ),
    (
        core::PREFIX_EXT_F64,
        f64op::CAST_UI32,
        ext_op::F64_CAST_UI32,
    ),
    (
        core::PREFIX_EXT_F64,
        f64op::CAST_TO_SI32,
        ext_op::F64_CAST_TO_SI32,
    ),
    (
        core::PREFIX_EXT_F64,
        f64op::CAST_TO_UI32,
        ext_op::F64_CAST_TO_UI32,
    ),
    (
        core::PREFIX_EXT_F64,
        f64op::CAST_SI64,
        ext_op::F64_CAST_SI64,
    ),
    (
        core::PREFIX_EXT_F64,
        f64op::CAST_UI64,
        ext_op::F64_CAST_UI64,
    ),
    (
        core::PREFIX_EXT_F64,
        f64op::CAST_TO_SI64,
        ext_op::F64_CAST_TO_SI64,
    ),
    (
        core::PREFIX_EXT_F64,
        f64op::CAST_TO_UI64,
        ext_op::F64_CAST_TO_UI64,
    ),
    (
        core::PREFIX_EXT_F64,
        f64op::BITCAST_FROM_I64,
        ext_op::F64_BITCAST_FROM_I64,
    ),
    (
        core::PREFIX_EXT_F64,
        f64op::BITCAST_TO_I64,
        ext_op::F64_BITCAST_TO_I64,
    ),
    (core::PREFIX_EXT_F64, f64op::ATAN, ext_op::F64_ATAN),
    (core::PREFIX_EXT_F64, f64op::ATAN2, ext_op::F64_ATAN2),
    (core::PREFIX_EXT_F64, f64op::COS, ext_op::F64_COS),
    (core::PREFIX_EXT_F64, f64op::SIN, ext_op::F64_SIN),
    (core::PREFIX_EXT_F64, f64op::EXP, ext_op::F64_EXP),
    (core::PREFIX_EXT_F64, f64op::EXP2, ext_op::F64_EXP2),
    (core::PREFIX_EXT_F64, f64op::EXPM1, ext_op::F64_EXPM1),
    (core::PREFIX_EXT_F64, f64op::LOG, ext_op::F64_LOG),
    (core::PREFIX_EXT_F64, f64op::LOG10, ext_op::F64_LOG10),
    (core::PREFIX_EXT_F64, f64op::LOG1P, ext_op::F64_LOG1P),
    (core::PREFIX_EXT_F64, f64op::LOG2, ext_op::F64_LOG2),
    (core::PREFIX_EXT_F64, f64op::POW, ext_op::F64_POW),
    (core::PREFIX_EXT_F64, f64op::RSQRT, ext_op::F64_RSQRT),
    (core::PREFIX_EXT_F64, f64op::SQRT, ext_op::F64_SQRT),
    (core::PREFIX_EXT_F64, f64op::TANH, ext_op::F64_TANH),
    (core::PREFIX_EXT_F64, f64op::ERF, ext_op::F64_ERF),
    (core::PREFIX_EXT_F64, f64op::CMP_EQ_O, ext_op::F64_CMP_EQ_O),
    (core::PREFIX_EXT_F64, f64op::CMP_EQ_U, ext_op::F64_CMP_EQ_U),
    (core::PREFIX_EXT_F64, f64op::CMP_NE_O, ext_op::F64_CMP_NE_O),
    (core::PREFIX_EXT_F64, f64op::CMP_NE_U, ext_op::F64_CMP_NE_U),
    (core::PREFIX_EXT_F64, f64op::CMP_LT_O, ext_op::F64_CMP_LT_O),
    (core::PREFIX_EXT_F64, f64op::CMP_LT_U, ext_op::F64_CMP_LT_U),
    (
        core::PREFIX_EXT_F64,
        f64op::CMP_LTE_O,
        ext_op::F64_CMP_LTE_O,
    ),
    (
        core::PREFIX_EXT_F64,
        f64op::CMP_LTE_U,
        ext_op::F64_CMP_LTE_U,
    ),
    (core::PREFIX_EXT_F64, f64op::CMP_NAN, ext_op::F64_CMP_NAN),
    (core::PREFIX_EXT_F64, f64op::ROUND, ext_op::F64_ROUND),
    (core::PREFIX_EXT_F64, f64op::MIN, ext_op::F64_MIN),
    (core::PREFIX_EXT_F64, f64op::MAX, ext_op::F64_MAX),
    (
        core::PREFIX_EXT_F64,
        f64op::ROUND_EVEN,
        ext_op::F64_ROUND_EVEN,
    ),
];

/// [`EXT_OPS`] indexed by prefix (f32, f64) and extension opcode, built at
/// compile time so translation looks each instruction up directly; 0 (a
/// core opcode, never a translated extension one) marks "not translated".
const EXT_OPCODES: [[u8; 256]; 2] = {
    let mut table = [[0u8; 256]; 2];
    let mut i = 0;
    while i < EXT_OPS.len() {
        let (prefix, ext, translated) = EXT_OPS[i];
        table[(prefix == core::PREFIX_EXT_F64) as usize][ext as usize] = translated;
        i += 1;
    }
    table
};

/// Translated opcode of a register-only extension instruction.
pub fn ext_opcode(prefix: u8, ext: u8) -> Option<u8> {
    let t = EXT_OPCODES[(prefix == core::PREFIX_EXT_F64) as usize][ext as usize];
    (t != 0).then_some(t)
}
