//! Loop inversion: a branch to a block that only tests a condition runs a
//! copy of the test instead.
//!
//! Compiled loops test their condition in a block of its own (`cmp`,
//! perhaps `xor`, `cond_br`) that the body's back edge jumps to, so every
//! iteration dispatches the jump and then the fused test. Replacing a
//! move-free `vm.br` to such a block with a copy of the block's fused test
//! saves the jump's dispatch; the copy branches to the same places.

use super::code::{fused_length, joined, Inst, Translated};
use super::op::Op;

/// The fused test starting at `target`, when that is all its block holds
/// (the instruction after it starts a block, or ends the function).
fn test_at<'a>(insts: &'a [Inst], target: usize, block_starts: &[usize]) -> Option<&'a [Inst]> {
    let n = fused_length(insts.get(target)?.op)?;
    let test = insts.get(target..target + n)?;
    let end = target + n;
    let whole_block = end == insts.len() || block_starts.binary_search(&end).is_ok();
    (test.last()?.op == Op::COND_BRANCH_FUSED && whole_block).then_some(test)
}

/// Replaces every move-free unconditional branch to a condition-only
/// block with a copy of its test. `block_starts` is sorted.
pub fn invert_loops(tf: &mut Translated, block_starts: &[usize]) {
    let copies: Vec<Option<&[Inst]>> = tf
        .insts
        .iter()
        .map(|inst| {
            (inst.op == Op::BRANCH && inst.regs[3] == 0)
                .then(|| test_at(&tf.insts, inst.imm as usize, block_starts))
                .flatten()
        })
        .collect();
    if copies.iter().all(Option::is_none) {
        return;
    }
    let mut insts = Vec::with_capacity(tf.insts.len() + copies.len());
    let mut pcs = Vec::with_capacity(insts.capacity());
    // Where each old instruction went.
    let mut moved = Vec::with_capacity(tf.insts.len());
    for (i, copy) in copies.iter().enumerate() {
        moved.push(insts.len());
        let pc = tf.pcs.get(i).copied().unwrap_or(0);
        match copy {
            Some(test) => {
                insts.extend_from_slice(test);
                // The copy stands for the branch: errors and resumption
                // see the branch's bytecode offset, which keeps `pcs`
                // non-decreasing.
                pcs.resize(pcs.len() + test.len(), pc);
            }
            None => {
                insts.push(tf.insts[i]);
                pcs.push(pc);
            }
        }
    }
    let at = |old: usize| moved.get(old).copied().unwrap_or(old) as u32;
    for inst in &mut insts {
        match inst.op {
            Op::COND_BRANCH_FUSED => {
                inst.imm = at(inst.imm as usize);
                let f = at(joined(inst.regs[1], inst.regs[2]));
                inst.regs[1] = f as u16;
                inst.regs[2] = (f >> 16) as u16;
            }
            Op::BRANCH
            | Op::BRANCH_MOVES
            | Op::COND_BRANCH
            | Op::BR_MOVE
            | Op::BR_MOVE_W
            | Op::BR_MOVE_MOVE
            | Op::BR_MOVE_MOVE_W
            | Op::BR_MOVE_W_MOVE
            | Op::BR_MOVE_W_MOVE_W => inst.imm = at(inst.imm as usize),
            _ => {}
        }
    }
    tf.insts = insts;
    tf.pcs = pcs;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inst(op: Op, regs: [u16; 4], imm: u32) -> Inst {
        Inst { op, regs, imm }
    }

    #[test]
    fn a_back_edge_runs_a_copy_of_the_loop_test() {
        // ^bb0 (0): br ^bb1
        // ^bb1 (1): %r2 = cmp.lt %r0, %r1; %r2 = xor %r2, %r3;
        //           cond_br %r2, ^bb3, ^bb2
        // ^bb2 (4): %r0 = add %r0, %r3; br ^bb1
        // ^bb3 (6): return
        let mut tf = Translated {
            insts: vec![
                inst(Op::BRANCH, [0; 4], 1),
                inst(Op::CMP_LT_S_XOR_BRANCH, [0, 1, 2, 0], 0),
                inst(Op::XOR_I32, [2, 3, 2, 0], 0),
                inst(Op::COND_BRANCH_FUSED, [2, 4, 0, 0], 6),
                inst(Op::ADD_I32, [0, 3, 0, 0], 0),
                inst(Op::BRANCH, [0; 4], 1),
                inst(Op::RETURN, [0; 4], 0),
            ],
            pcs: vec![0, 10, 20, 30, 40, 50, 60],
            ..Translated::default()
        };
        invert_loops(&mut tf, &[0, 1, 4, 6]);
        let ops: Vec<Op> = tf.insts.iter().map(|i| i.op).collect();
        let test = [Op::CMP_LT_S_XOR_BRANCH, Op::XOR_I32, Op::COND_BRANCH_FUSED];
        let mut want = test.to_vec();
        want.extend(test);
        want.push(Op::ADD_I32);
        want.extend(test);
        want.push(Op::RETURN);
        assert_eq!(ops, want);
        // Every copy branches to the moved blocks: the body at 6, the
        // return at 10.
        for at in [2, 5, 9] {
            let b = tf.insts[at];
            assert_eq!((b.imm, joined(b.regs[1], b.regs[2])), (10, 6), "{at}");
        }
        // A copy carries the offset of the branch it replaced.
        assert_eq!(tf.pcs, vec![0, 0, 0, 10, 20, 30, 40, 50, 50, 50, 60]);
    }

    #[test]
    fn a_branch_that_moves_or_a_longer_block_is_kept() {
        let insts = vec![
            inst(Op::BR_MOVE, [5, 6, 0, 0], 2),
            inst(Op::BRANCH, [0; 4], 4),
            inst(Op::CMP_EQ_BRANCH, [0, 1, 2, 0], 0),
            inst(Op::COND_BRANCH_FUSED, [2, 0, 0, 0], 0),
            // Not a block of its own: the test is followed by more code.
            inst(Op::CMP_EQ_BRANCH, [0, 1, 2, 0], 0),
            inst(Op::COND_BRANCH_FUSED, [2, 0, 0, 0], 0),
            inst(Op::ADD_I32, [0, 1, 2, 0], 0),
        ];
        let mut tf = Translated {
            insts: insts.clone(),
            pcs: (0..7).collect(),
            ..Translated::default()
        };
        invert_loops(&mut tf, &[0, 2, 4]);
        assert_eq!(tf.insts, insts);
    }
}
