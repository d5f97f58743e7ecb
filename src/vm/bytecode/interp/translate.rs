//! Translation of verified bytecode into fixed-width instructions.
//!
//! The byte-level encoding is compact but slow to decode: every operand is
//! an unaligned `u16` read. After verification each function is translated
//! once into [`Inst`]s whose operands are already decoded, whose branch
//! targets are instruction indices and whose branch remaps sit in a side
//! table. Register-only instructions (arithmetic, comparisons, constants,
//! primitive globals, selects), branches, internal calls and returns run
//! from this form directly; a remap-free conditional branch is fused with
//! the instructions computing its condition. Every other instruction
//! becomes [`SLOW`] and is executed from the original bytecode by the
//! general decoder.

use super::op::Op;
use super::program::{bank_of, Bank, Program};
use crate::vm::bytecode::isa::{self, core, f32op, f64op, Field};
use crate::{iree_err, Result};

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
    /// list and `regs[2..4]` the result list in [`super::Translated::lists`].
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
const EXT_OPS: &[(u8, u8, u8)] = &[
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
fn ext_opcode(prefix: u8, ext: u8) -> Option<u8> {
    let t = EXT_OPCODES[(prefix == core::PREFIX_EXT_F64) as usize][ext as usize];
    (t != 0).then_some(t)
}

/// One translated instruction.
///
/// `regs` holds the register operands in the order of the instruction's
/// layout (inputs, then outputs). `imm` holds the 32-bit immediate or global
/// byte offset, an index into [`Translated::wide`] for 64-bit immediates,
/// the target instruction of a branch, or the bytecode offset of a
/// [`SLOW`] instruction. Branches keep their remap range in `regs[1..3]`
/// (start, low and high halves) and `regs[3]` (count); a conditional branch
/// keeps its condition register in `regs[0]` and is followed by an
/// unconditional branch for the false edge.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Inst {
    pub op: Op,
    pub regs: [u16; 4],
    pub imm: u32,
}

impl Inst {
    pub fn remap_range(&self) -> std::ops::Range<usize> {
        let start = joined(self.regs[1], self.regs[2]);
        start..start + self.regs[3] as usize
    }
}

/// One translated function.
#[derive(Clone, Debug, Default)]
pub struct Translated {
    pub insts: Vec<Inst>,
    /// Bytecode offset each instruction came from (non-decreasing).
    pub pcs: Vec<u32>,
    /// `(source, destination)` register pairs of branch remaps.
    pub remaps: Vec<(u16, u16)>,
    /// 64-bit immediates.
    pub wide: Vec<u64>,
    /// Register lists of calls and returns (see [`ValueKind`]).
    pub lists: Vec<u16>,
}

/// How a value crosses a call boundary, as stored in [`Translated::lists`].
///
/// A call's argument list is a count followed by `(source register, kind,
/// callee register)` triples; its result list a count followed by
/// destination registers; a return's list a count followed by `(source
/// register, kind)` pairs. Registers keep their bank and move bits.
pub mod value_kind {
    pub const I32: u16 = 0;
    pub const I64: u16 = 1;
    pub const REF: u16 = 2;
}

/// Splits a `u32` into the two `u16` halves stored in [`Inst::regs`].
fn halves(v: usize) -> Result<[u16; 2]> {
    let v = u32::try_from(v)
        .map_err(|_| iree_err!(ResourceExhausted, "function too large to translate"))?;
    Ok([v as u16, (v >> 16) as u16])
}

/// Joins two `u16` halves of [`Inst::regs`].
pub fn joined(lo: u16, hi: u16) -> usize {
    (lo as usize) | ((hi as usize) << 16)
}

impl Translated {
    /// Index of the first instruction at or after bytecode offset `pc`.
    /// Block markers are not translated (they do nothing), so a branch to
    /// a block lands on its first instruction, or on the next block's when
    /// it is empty.
    pub fn index_of(&self, pc: usize) -> Result<usize> {
        let i = self.pcs.partition_point(|&p| (p as usize) < pc);
        if i < self.pcs.len() {
            Ok(i)
        } else {
            Err(iree_err!(
                InvalidArgument,
                "bytecode offset {:#x} is past the last instruction",
                pc
            ))
        }
    }
}

/// Whether an operand layout is made only of register and immediate fields,
/// so the instruction can be decoded once into an [`Inst`].
fn register_only(layout: &[Field]) -> bool {
    let mut regs = 0;
    let mut imms = 0;
    for f in layout {
        match f {
            Field::R32 | Field::W32 | Field::R64 | Field::W64 => regs += 1,
            Field::Imm32 | Field::Imm64 | Field::GlobalOffset(_) => imms += 1,
            _ => return false,
        }
    }
    regs <= 4 && imms <= 1
}

struct Reader<'a> {
    code: &'a [u8],
    pc: usize,
}

impl Reader<'_> {
    fn truncated(&self) -> crate::Error {
        iree_err!(
            InvalidArgument,
            "bytecode offset {:#x}: truncated instruction",
            self.pc
        )
    }
    fn u8(&mut self) -> Result<u8> {
        let v = *self.code.get(self.pc).ok_or_else(|| self.truncated())?;
        self.pc += 1;
        Ok(v)
    }
    fn u16(&mut self) -> Result<u16> {
        let v = isa::read_u16(self.code, self.pc).ok_or_else(|| self.truncated())?;
        self.pc += 2;
        Ok(v)
    }
    fn u32(&mut self) -> Result<u32> {
        let v = isa::read_u32(self.code, self.pc).ok_or_else(|| self.truncated())?;
        self.pc += 4;
        Ok(v)
    }
    fn u64(&mut self) -> Result<u64> {
        let v = isa::read_u64(self.code, self.pc).ok_or_else(|| self.truncated())?;
        self.pc += 8;
        Ok(v)
    }
    fn align(&mut self) {
        self.pc = (self.pc + 1) & !1;
    }
    /// Skips one operand of any field kind (for [`SLOW`] instructions).
    fn skip(&mut self, field: &Field) -> Result<()> {
        match field {
            Field::R32 | Field::W32 | Field::R64 | Field::W64 | Field::RRef | Field::WRef => {
                self.u16()?;
            }
            Field::Imm32
            | Field::GlobalOffset(_)
            | Field::GlobalRef
            | Field::Rodata
            | Field::Type
            | Field::Func
            | Field::Target => {
                self.u32()?;
            }
            Field::Imm64 => {
                self.u64()?;
            }
            Field::Str => {
                let n = self.u16()? as usize;
                self.advance(n)?;
            }
            Field::Remap => {
                self.align();
                let n = self.u16()? as usize;
                self.advance(4 * n)?;
            }
            Field::List | Field::List32 | Field::List64 | Field::ListRef | Field::Results => {
                self.align();
                let n = self.u16()? as usize;
                self.advance(2 * n)?;
            }
            Field::Cases => {
                let n = self.u16()?;
                for _ in 0..n {
                    self.u32()?;
                    self.skip(&Field::Remap)?;
                }
            }
        }
        Ok(())
    }
    fn advance(&mut self, n: usize) -> Result<()> {
        if self.pc + n > self.code.len() {
            return Err(self.truncated());
        }
        self.pc += n;
        Ok(())
    }
    /// Reads a remap list into `remaps`, returning its (start, count).
    fn remap(&mut self, remaps: &mut Vec<(u16, u16)>) -> Result<(usize, usize)> {
        self.align();
        let n = self.u16()? as usize;
        let start = remaps.len();
        for _ in 0..n {
            let src = self.u16()?;
            let dst = self.u16()?;
            remaps.push((src, dst));
        }
        Ok((start, n))
    }
}

fn branch(op: Op, cond: u16, target: u32, (start, count): (usize, usize)) -> Result<Inst> {
    let [lo, hi] = halves(start)?;
    Ok(Inst {
        op,
        regs: [cond, lo, hi, len_u16(count)?],
        // Resolved to an instruction index once all instructions are known.
        imm: target,
    })
}

/// Translates one verified function.
pub fn translate_function(program: &Program, ordinal: u32) -> Result<Translated> {
    let code = program
        .functions
        .get(ordinal as usize)
        .and_then(|f| {
            program
                .bytecode
                .get(f.offset..f.offset.checked_add(f.length)?)
        })
        .ok_or_else(|| iree_err!(InvalidArgument, "function {} has no body", ordinal))?;
    let mut out = Translated::default();
    let mut r = Reader { code, pc: 0 };
    // Indices of branch instructions whose `imm` is still a bytecode target.
    let mut unresolved = Vec::new();
    // Index of the first instruction of the block being translated.
    let mut block_first = 0;
    let mut block_starts = Vec::new();
    // Fused conditional branches and their false-edge targets.
    let mut fused = Vec::new();
    let mut fused_false = Vec::new();
    while r.pc < code.len() {
        let start = r.pc;
        let op = r.u8()?;
        if op == core::BLOCK {
            block_first = out.insts.len();
            block_starts.push(block_first);
            continue;
        }
        let (prefix, ext, layout) = match op {
            core::PREFIX_EXT_F32 => {
                let ext = r.u8()?;
                (Some(op), ext, isa::f32_layout(ext))
            }
            core::PREFIX_EXT_F64 => {
                let ext = r.u8()?;
                (Some(op), ext, isa::f64_layout(ext))
            }
            _ => (None, op, isa::core_layout(op)),
        };
        let layout = layout.ok_or_else(|| {
            iree_err!(
                InvalidArgument,
                "bytecode offset {:#x}: unknown opcode {:#04x}",
                start,
                ext
            )
        })?;
        let pc = u32::try_from(start)
            .map_err(|_| iree_err!(ResourceExhausted, "function too large to translate"))?;
        let fast_op = match prefix {
            None => Some(op),
            Some(p) => ext_opcode(p, ext),
        };
        if prefix.is_none() && op == core::BRANCH {
            let target = r.u32()?;
            let remap = r.remap(&mut out.remaps)?;
            let moves_only = out.remaps[remap.0..]
                .iter()
                .all(|&(src, _)| src & isa::REF_TYPE_BIT == 0);
            unresolved.push(out.insts.len());
            let inline = (remap.1 > 0 && moves_only)
                .then(|| inline_moves(&out.remaps[remap.0..], target))
                .flatten();
            if let Some(inst) = inline {
                out.remaps.truncate(remap.0);
                out.insts.push(inst);
            } else {
                let op = if remap.1 > 0 && moves_only {
                    Op::BRANCH_MOVES
                } else {
                    Op::BRANCH
                };
                out.insts.push(branch(op, 0, target, remap)?);
            }
            out.pcs.push(pc);
        } else if prefix.is_none() && op == core::COND_BRANCH {
            let cond = r.u16()? & isa::I32_MASK;
            let t = r.u32()?;
            let t_remap = r.remap(&mut out.remaps)?;
            let f = r.u32()?;
            let f_remap = r.remap(&mut out.remaps)?;
            if t_remap.1 == 0 && f_remap.1 == 0 {
                fuse_condition(&mut out.insts, block_first, cond);
                // Both targets are resolved below.
                fused.push(out.insts.len());
                out.insts.push(Inst {
                    op: Op::COND_BRANCH_FUSED,
                    regs: [cond, 0, 0, 0],
                    imm: t,
                });
                fused_false.push(f);
                out.pcs.push(pc);
            } else {
                unresolved.push(out.insts.len());
                out.insts.push(branch(Op::COND_BRANCH, cond, t, t_remap)?);
                unresolved.push(out.insts.len());
                out.insts.push(branch(Op::BRANCH, 0, f, f_remap)?);
                out.pcs.extend([pc, pc]);
            }
        } else if let Some(inst) = (prefix.is_none() && op == core::CALL)
            .then(|| translate_call(program, &mut r, &mut out.lists))
            .transpose()?
        {
            out.insts.push(inst.unwrap_or(Inst {
                op: Op::SLOW,
                imm: pc,
                ..Inst::default()
            }));
            out.pcs.push(pc);
        } else if prefix.is_none() && op == core::RETURN {
            let results = program.functions[ordinal as usize]
                .cconv
                .as_ref()
                .map(|c| c.results.as_slice());
            let regs = list(&mut r)?;
            let at = push_kinded_list(&mut out.lists, &regs, results)?;
            out.insts.push(Inst {
                op: Op::RETURN,
                regs: [at[0], at[1], 0, 0],
                imm: pc,
            });
            out.pcs.push(pc);
        } else if let (true, Some(fast_op)) = (register_only(layout), fast_op.and_then(Op::from_u8))
        {
            let mut inst = Inst {
                op: fast_op,
                ..Inst::default()
            };
            let mut n = 0;
            for field in layout {
                match field {
                    Field::R32 | Field::W32 | Field::R64 | Field::W64 => {
                        inst.regs[n] = r.u16()? & isa::I32_MASK;
                        n += 1;
                    }
                    Field::Imm64 => {
                        inst.imm = out.wide.len() as u32;
                        out.wide.push(r.u64()?);
                    }
                    _ => inst.imm = r.u32()?,
                }
            }
            out.insts.push(inst);
            out.pcs.push(pc);
        } else {
            for field in layout {
                r.skip(field)?;
            }
            out.insts.push(Inst {
                op: Op::SLOW,
                imm: pc,
                ..Inst::default()
            });
            out.pcs.push(pc);
        }
    }
    for i in unresolved {
        // A target names a block marker; execution starts right after it.
        let target = out.insts[i].imm as usize + isa::BLOCK_MARKER_SIZE;
        let index = out.index_of(target)?;
        out.insts[i].imm = index as u32;
    }
    for (i, f) in fused.into_iter().zip(fused_false) {
        let t = out.index_of(out.insts[i].imm as usize + isa::BLOCK_MARKER_SIZE)?;
        let f = out.index_of(f as usize + isa::BLOCK_MARKER_SIZE)?;
        out.insts[i].imm = t as u32;
        out.insts[i].regs[1] = f as u16;
        out.insts[i].regs[2] = (f >> 16) as u16;
    }
    let registers = program.functions[ordinal as usize].i32_register_count as usize;
    super::coalesce::coalesce_moves(&mut out, &block_starts, registers);
    super::invert::invert_loops(&mut out, &block_starts);
    Ok(out)
}

/// How many instructions the fused sequence headed by `op` takes (the
/// head, any second condition instruction, the branch); `None` when `op`
/// is not a fused condition head.
pub(super) fn fused_length(op: Op) -> Option<usize> {
    Some(match op {
        Op::BINARY_THEN_BRANCH
        | Op::CMP_EQ_BRANCH
        | Op::CMP_NE_BRANCH
        | Op::CMP_LT_S_BRANCH
        | Op::CMP_LT_U_BRANCH => 2,
        Op::BINARY_BINARY_THEN_BRANCH
        | Op::CMP_EQ_XOR_BRANCH
        | Op::CMP_NE_XOR_BRANCH
        | Op::CMP_LT_S_XOR_BRANCH
        | Op::CMP_LT_U_XOR_BRANCH => 3,
        _ => return None,
    })
}

/// The operand layout of a register-only translated instruction (a fused
/// condition head has its binary instruction's); `None` for every other
/// kind.
pub(super) fn operand_layout(op: Op) -> Option<&'static [Field]> {
    use Field::{R32, W32};
    if fused_length(op).is_some() {
        return Some(&[R32, R32, W32]);
    }
    let value = op as u8;
    let layout = match EXT_OPS.iter().find(|&&(_, _, t)| t == value) {
        Some(&(core::PREFIX_EXT_F64, ext, _)) => isa::f64_layout(ext),
        Some(&(_, ext, _)) => isa::f32_layout(ext),
        None => isa::core_layout(value),
    }?;
    register_only(layout).then_some(layout)
}

/// A `vm.br` whose remaps are the 32-bit `moves`, as one of the
/// [`fused`] `BR_MOVE*` instructions, when they come to at most two
/// moves once the two halves of a register pair are taken as one 64-bit
/// move. Moves run in order, as the remap list does; halves are joined
/// only when the first half's write cannot change the second half's read.
pub(super) fn inline_moves(moves: &[(u16, u16)], target: u32) -> Option<Inst> {
    let mut joined: Vec<(u16, u16, bool)> = Vec::with_capacity(2);
    let mut i = 0;
    while i < moves.len() {
        let (s, d) = moves[i];
        let wide = s < isa::I32_MASK
            && d < isa::I32_MASK
            && moves.get(i + 1) == Some(&(s + 1, d + 1))
            && d != s + 1;
        joined.push((s, d, wide));
        i += if wide { 2 } else { 1 };
        if joined.len() > 2 {
            return None;
        }
    }
    let (op, regs) = match joined[..] {
        [(s, d, w)] => (if w { Op::BR_MOVE_W } else { Op::BR_MOVE }, [s, d, 0, 0]),
        [(s0, d0, w0), (s1, d1, w1)] => (
            match (w0, w1) {
                (false, false) => Op::BR_MOVE_MOVE,
                (false, true) => Op::BR_MOVE_MOVE_W,
                (true, false) => Op::BR_MOVE_W_MOVE,
                (true, true) => Op::BR_MOVE_W_MOVE_W,
            },
            [s0, d0, s1, d1],
        ),
        _ => return None,
    };
    Some(Inst {
        op,
        regs,
        // Resolved to an instruction index once all instructions are known.
        imm: target,
    })
}

/// Makes the condition instructions just before a remap-free conditional
/// branch (in the same block, computing its condition) run with it.
fn fuse_condition(insts: &mut [Inst], block_first: usize, cond: u16) {
    let n = insts.len();
    let fusable = |i: usize, dst: Option<u16>| {
        i >= block_first
            && is_condition_op(insts[i].op as u8)
            && dst.is_none_or(|d| insts[i].regs[2] == d)
    };
    if n < 1 || !fusable(n - 1, Some(cond)) {
        return;
    }
    let head = if n >= 2 && fusable(n - 2, None) {
        n - 2
    } else {
        n - 1
    };
    let kind = insts[head].op as u8;
    let second = (head != n - 1).then(|| insts[n - 1].op as u8);
    let specialized = match (kind, second) {
        (core::CMP_EQ_I32, None) => Some(Op::CMP_EQ_BRANCH),
        (core::CMP_NE_I32, None) => Some(Op::CMP_NE_BRANCH),
        (core::CMP_LT_I32_S, None) => Some(Op::CMP_LT_S_BRANCH),
        (core::CMP_LT_I32_U, None) => Some(Op::CMP_LT_U_BRANCH),
        (core::CMP_EQ_I32, Some(core::XOR_I32)) => Some(Op::CMP_EQ_XOR_BRANCH),
        (core::CMP_NE_I32, Some(core::XOR_I32)) => Some(Op::CMP_NE_XOR_BRANCH),
        (core::CMP_LT_I32_S, Some(core::XOR_I32)) => Some(Op::CMP_LT_S_XOR_BRANCH),
        (core::CMP_LT_I32_U, Some(core::XOR_I32)) => Some(Op::CMP_LT_U_XOR_BRANCH),
        _ => None,
    };
    insts[head].op = match specialized {
        Some(op) => op,
        None => {
            insts[head].regs[3] = kind as u16;
            if second.is_none() {
                Op::BINARY_THEN_BRANCH
            } else {
                Op::BINARY_BINARY_THEN_BRANCH
            }
        }
    };
}

fn len_u16(n: usize) -> Result<u16> {
    u16::try_from(n).map_err(|_| iree_err!(ResourceExhausted, "register list too long"))
}

/// Reads a register list (`u16` count and registers, 2-byte aligned).
fn list(r: &mut Reader) -> Result<Vec<u16>> {
    r.align();
    let n = r.u16()? as usize;
    (0..n).map(|_| r.u16()).collect()
}

/// Appends a count and `(register, kind)` pairs to `lists`, the kinds from
/// the signature characters `sig` (see [`value_kind`]); returns where the
/// list starts, split into halves.
fn push_kinded_list(lists: &mut Vec<u16>, regs: &[u16], sig: Option<&[u8]>) -> Result<[u16; 2]> {
    let at = halves(lists.len())?;
    lists.push(len_u16(regs.len())?);
    for (i, &reg) in regs.iter().enumerate() {
        lists.extend([reg, kind_of(reg, sig.and_then(|s| s.get(i)).copied())]);
    }
    Ok(at)
}

/// The [`value_kind`] of a register given its signature character.
fn kind_of(reg: u16, sig: Option<u8>) -> u16 {
    if reg & isa::REF_TYPE_BIT != 0 {
        value_kind::REF
    } else if matches!(sig.and_then(bank_of), Some(Bank::I64)) {
        value_kind::I64
    } else {
        value_kind::I32
    }
}

/// Translates a `vm.call` to an internal function: the argument list with
/// each argument's place in the callee's registers (as the byte decoder's
/// call places them), and the result list. Returns `None` (leave it to the
/// byte decoder) for arguments that do not fit the callee. Calls of imports
/// become [`fused::CALL_IMPORT`].
fn translate_call(program: &Program, r: &mut Reader, lists: &mut Vec<u16>) -> Result<Option<Inst>> {
    let callee = r.u32()?;
    let args = list(r)?;
    let results = list(r)?;
    if callee & isa::IMPORT_BIT != 0 {
        return translate_import_call(program, callee & !isa::IMPORT_BIT, &args, &results, lists);
    }
    let Some(f) = program.functions.get(callee as usize) else {
        return Ok(None);
    };
    let sig = f.cconv.as_ref().map(|c| c.args.as_slice());
    let mut placed = Vec::with_capacity(args.len());
    let (mut next_i32, mut next_ref) = (0usize, 0usize);
    for (i, &src) in args.iter().enumerate() {
        let kind = kind_of(src, sig.and_then(|s| s.get(i)).copied());
        let dst = match kind {
            value_kind::REF => {
                next_ref += 1;
                if next_ref > f.ref_register_count as usize {
                    return Ok(None);
                }
                next_ref - 1
            }
            value_kind::I64 => {
                next_i32 = (next_i32 + 1) & !1;
                next_i32 += 2;
                if next_i32 > f.i32_register_count as usize {
                    return Ok(None);
                }
                next_i32 - 2
            }
            _ => {
                next_i32 += 1;
                if next_i32 > f.i32_register_count as usize {
                    return Ok(None);
                }
                next_i32 - 1
            }
        };
        placed.push((src, kind, dst as u16));
    }
    let args_at = halves(lists.len())?;
    lists.push(len_u16(placed.len())?);
    for (src, kind, dst) in placed {
        lists.extend([src, kind, dst]);
    }
    let results_at = halves(lists.len())?;
    lists.push(len_u16(results.len())?);
    lists.extend(&results);
    Ok(Some(Inst {
        op: Op::CALL,
        regs: [args_at[0], args_at[1], results_at[0], results_at[1]],
        imm: callee,
    }))
}

/// A `vm.call` of import `import`: the argument list as `(register,
/// kind)` pairs (kinds from the import's calling convention) and the result
/// list as registers. `None` for an import with spans in its convention,
/// which only variadic calls pass.
fn translate_import_call(
    program: &Program,
    import: u32,
    args: &[u16],
    results: &[u16],
    lists: &mut Vec<u16>,
) -> Result<Option<Inst>> {
    let Some(desc) = program.imports.get(import as usize) else {
        return Ok(None);
    };
    let sig = desc.cconv.as_ref().map(|c| c.args.as_slice());
    if sig.is_some_and(|s| s.contains(&b'C')) {
        return Ok(None);
    }
    let args_at = push_kinded_list(lists, args, sig)?;
    let results_at = halves(lists.len())?;
    lists.push(len_u16(results.len())?);
    lists.extend(results);
    Ok(Some(Inst {
        op: Op::CALL_IMPORT,
        regs: [args_at[0], args_at[1], results_at[0], results_at[1]],
        imm: import,
    }))
}

/// Translates every function of a verified program.
pub fn translate_program(program: &Program) -> Result<Vec<Translated>> {
    (0..program.functions.len() as u32)
        .map(|i| translate_function(program, i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn superinstructions_take_opcodes_no_translated_instruction_uses() {
        let mut seen = std::collections::HashSet::new();
        for op in fused::ALL {
            assert!(seen.insert(op), "{op:#04x} listed twice");
            let layout = isa::core_layout(op).expect("a core opcode value");
            assert!(
                !register_only(layout),
                "{op:#04x} is a register-only core op"
            );
            assert!(
                ![core::BRANCH, core::COND_BRANCH, core::CALL, core::RETURN].contains(&op),
                "{op:#04x} is translated as itself"
            );
            assert!(
                EXT_OPS.iter().all(|&(_, _, t)| t != op),
                "{op:#04x} is an ext op"
            );
            assert!(![
                SLOW,
                COND_BRANCH_FUSED,
                BRANCH_MOVES,
                BINARY_THEN_BRANCH,
                BINARY_BINARY_THEN_BRANCH
            ]
            .contains(&op));
        }
    }

    #[test]
    fn register_pair_moves_join_only_when_order_does_not_matter() {
        // An i64 block argument: both halves move as one.
        let i = inline_moves(&[(10, 6), (11, 7), (9, 5)], 3).unwrap();
        assert_eq!(
            (i.op, i.regs, i.imm),
            (Op::BR_MOVE_W_MOVE, [10, 6, 9, 5], 3)
        );
        // The first half's destination is the second half's source: the
        // second move must see the first one's write, so they stay apart.
        let i = inline_moves(&[(4, 5), (5, 6)], 0).unwrap();
        assert_eq!((i.op, i.regs), (Op::BR_MOVE_MOVE, [4, 5, 5, 6]));
        let i = inline_moves(&[(2, 8), (3, 9)], 0).unwrap();
        assert_eq!((i.op, i.regs), (Op::BR_MOVE_W, [2, 8, 0, 0]));
        // More than two moves keep the general form.
        assert_eq!(inline_moves(&[(1, 2), (3, 4), (5, 7)], 0), None);
        assert_eq!(inline_moves(&[(1, 2), (3, 4), (6, 8), (7, 9)], 0), None);
    }
}
