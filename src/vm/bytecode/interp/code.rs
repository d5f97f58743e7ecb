//! The translated form of a function ([`Translated`], made of [`Inst`]s)
//! and what the passes after translation need to know about its
//! instructions. The translator (`translate.rs`) writes this form, the
//! loop passes (`coalesce.rs`, `invert.rs`) rewrite it and the dispatch
//! loop (`fast.rs`) runs it; this file imports none of them.

use super::op::Op;
use super::opcodes::EXT_OPS;
use crate::vm::bytecode::isa::{self, core, Field};
use crate::{iree_err, Result};

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
    /// Register lists of calls and returns (see [`value_kind`]).
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
pub fn register_only(layout: &[Field]) -> bool {
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

/// How many instructions the fused sequence headed by `op` takes (the
/// head, any second condition instruction, the branch); `None` when `op`
/// is not a fused condition head.
pub fn fused_length(op: Op) -> Option<usize> {
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
pub fn operand_layout(op: Op) -> Option<&'static [Field]> {
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
pub fn inline_moves(moves: &[(u16, u16)], target: u32) -> Option<Inst> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vm::bytecode::interp::opcodes::{
        fused, BINARY_BINARY_THEN_BRANCH, BINARY_THEN_BRANCH, BRANCH_MOVES, COND_BRANCH_FUSED, SLOW,
    };

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
