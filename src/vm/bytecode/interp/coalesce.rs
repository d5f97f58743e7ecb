//! Coalescing of branch moves into the instructions that feed them.
//!
//! The compiler passes block arguments as register moves on the branch, so
//! a loop body computes each loop-carried value into a scratch register and
//! the back edge copies it into the block argument's register: one more
//! dispatch-free but memory-bound store and load on the loop's critical
//! path. Where it is safe, translation renames the scratch register to the
//! argument's register from the instruction that computes it up to the
//! branch, and drops the move.
//!
//! A move `s -> d` on an unconditional branch `J` is coalesced when the last
//! instruction `W` writing `s` before `J` is in `J`'s block, everything
//! between them is a register-only instruction, nothing between them reads
//! or writes `d` (nor reads part of `s`), no other move of `J` touches `s`
//! or `d`, and `s` is dead where `J` goes. Then `W` writes `d`, the reads of
//! `s` between them read `d`, and `J` does not move. Liveness is of 32-bit
//! register slots over the translated function's blocks; what the analysis
//! does not understand (an instruction left to the byte decoder) reads every
//! register, so nothing is ever dropped on its behalf.

use super::code::{
    fused_length, inline_moves, joined, operand_layout, value_kind, Inst, Translated,
};
use super::op::Op;
use crate::vm::bytecode::isa::{self, Field};

/// Functions whose liveness pass would touch more 64-bit words than this
/// (instructions times register words) keep their moves: a bound on
/// translation time for huge or hostile functions, far above compiled
/// loops.
const MAX_PASS_WORK: usize = 1 << 22;
/// Liveness settles in a few passes over the blocks in reverse (about the
/// loop nesting depth); a function that needs more keeps its moves.
const MAX_PASSES: usize = 16;
/// Branches with more moves than this are left alone (each coalesced move
/// rescans the others).
const MAX_MOVES: usize = 32;

/// Live 32-bit register slots.
#[derive(Clone, Default, PartialEq, Eq, Debug)]
struct Live {
    /// Every slot (what an instruction the analysis does not model reads).
    all: bool,
    words: Vec<u64>,
}

impl Live {
    fn insert(&mut self, slot: u16) {
        if self.all {
            return;
        }
        let (w, b) = (slot as usize / 64, slot % 64);
        if w >= self.words.len() {
            self.words.resize(w + 1, 0);
        }
        self.words[w] |= 1 << b;
    }
    fn remove(&mut self, slot: u16) {
        // Removing from "every slot" is not representable; staying live is
        // the safe direction.
        if let Some(w) = self.words.get_mut(slot as usize / 64) {
            *w &= !(1 << (slot % 64));
        }
    }
    fn contains(&self, slot: u16) -> bool {
        self.all
            || self
                .words
                .get(slot as usize / 64)
                .is_some_and(|w| w & (1 << (slot % 64)) != 0)
    }
    fn union_with(&mut self, other: &Live) {
        if other.all {
            self.all = true;
        }
        if self.words.len() < other.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        for (w, o) in self.words.iter_mut().zip(&other.words) {
            *w |= o;
        }
    }
}

/// A register operand: its first slot and how many slots it spans.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Operand {
    reg: u16,
    width: u16,
}

impl Operand {
    fn slots(self) -> impl Iterator<Item = u16> {
        (0..self.width).map(move |i| self.reg.wrapping_add(i))
    }
    fn overlaps(self, other: Operand) -> bool {
        let (a, b) = (self.reg as u32, other.reg as u32);
        a < b + other.width as u32 && b < a + self.width as u32
    }
}

/// One register access of a register-only instruction: where it sits in
/// [`Inst::regs`] and whether it writes.
#[derive(Clone, Copy, Debug)]
struct Access {
    index: usize,
    operand: Operand,
    write: bool,
}

/// The register accesses of a register-only instruction, or `None` for any
/// other kind.
fn accesses(inst: &Inst) -> Option<Vec<Access>> {
    let layout = operand_layout(inst.op)?;
    let mut out = Vec::with_capacity(4);
    for field in layout {
        let (width, write) = match field {
            Field::R32 => (1, false),
            Field::R64 => (2, false),
            Field::W32 => (1, true),
            Field::W64 => (2, true),
            _ => continue,
        };
        let index = out.len();
        let reg = *inst.regs.get(index)?;
        out.push(Access {
            index,
            operand: Operand { reg, width },
            write,
        });
    }
    Some(out)
}

/// The 32-bit slot moves of a branch that only moves registers, in the
/// order they run.
fn slot_moves(inst: &Inst, remaps: &[(u16, u16)]) -> Option<Vec<(u16, u16)>> {
    let r = inst.regs;
    let pair = |s: u16, d: u16, wide: bool| {
        let mut v = vec![(s, d)];
        if wide {
            v.push((s.wrapping_add(1), d.wrapping_add(1)));
        }
        v
    };
    let two = |w0: bool, w1: bool| {
        let mut v = pair(r[0], r[1], w0);
        v.extend(pair(r[2], r[3], w1));
        v
    };
    Some(match inst.op {
        Op::BR_MOVE => pair(r[0], r[1], false),
        Op::BR_MOVE_W => pair(r[0], r[1], true),
        Op::BR_MOVE_MOVE => two(false, false),
        Op::BR_MOVE_MOVE_W => two(false, true),
        Op::BR_MOVE_W_MOVE => two(true, false),
        Op::BR_MOVE_W_MOVE_W => two(true, true),
        Op::BRANCH_MOVES => remaps.get(inst.remap_range())?.to_vec(),
        _ => return None,
    })
}

/// The 32-bit moves of a translated branch's remap list (refs are not
/// tracked).
fn remap_moves(inst: &Inst, remaps: &[(u16, u16)]) -> Vec<(u16, u16)> {
    if inst.regs[3] == 0 {
        return Vec::new();
    }
    remaps
        .get(inst.remap_range())
        .unwrap_or(&[])
        .iter()
        .copied()
        .filter(|&(s, _)| s & isa::REF_TYPE_BIT == 0)
        .collect()
}

/// Control flow and register reads of one instruction, for liveness.
struct Flow {
    /// Reads every register: nothing is known about it.
    reads_all: bool,
    reads: Vec<Operand>,
    writes: Vec<Operand>,
    falls_through: bool,
    /// Branch targets and the 32-bit moves made on the way.
    edges: Vec<(usize, Vec<(u16, u16)>)>,
}

/// Reads of a `(register, kind)` list in [`Translated::lists`] whose
/// entries are `stride` long (2 for returns and import arguments, 3 for
/// call arguments).
fn listed_reads(lists: &[u16], at: usize, stride: usize) -> Option<Vec<Operand>> {
    let count = *lists.get(at)? as usize;
    let entries = lists.get(at + 1..at + 1 + count.checked_mul(stride)?)?;
    Some(
        entries
            .chunks(stride)
            .filter_map(|e| match e[1] {
                value_kind::I32 => Some(Operand {
                    reg: e[0] & isa::I32_MASK,
                    width: 1,
                }),
                value_kind::I64 => Some(Operand {
                    reg: e[0] & isa::I32_MASK,
                    width: 2,
                }),
                _ => None,
            })
            .collect(),
    )
}

fn flow(inst: &Inst, tf: &Translated) -> Flow {
    let unknown = Flow {
        reads_all: true,
        reads: Vec::new(),
        writes: Vec::new(),
        falls_through: true,
        edges: Vec::new(),
    };
    let mut f = Flow {
        reads_all: false,
        reads: Vec::new(),
        writes: Vec::new(),
        falls_through: false,
        edges: Vec::new(),
    };
    let target = inst.imm as usize;
    match inst.op {
        Op::BRANCH => f.edges.push((target, remap_moves(inst, &tf.remaps))),
        Op::COND_BRANCH => {
            f.reads.push(Operand {
                reg: inst.regs[0],
                width: 1,
            });
            f.edges.push((target, remap_moves(inst, &tf.remaps)));
            f.falls_through = true;
        }
        Op::COND_BRANCH_FUSED => {
            f.reads.push(Operand {
                reg: inst.regs[0],
                width: 1,
            });
            f.edges.push((target, Vec::new()));
            f.edges
                .push((joined(inst.regs[1], inst.regs[2]), Vec::new()));
        }
        Op::CALL | Op::CALL_IMPORT | Op::RETURN => {
            let at = joined(inst.regs[0], inst.regs[1]);
            let stride = if inst.op == Op::CALL { 3 } else { 2 };
            let Some(reads) = listed_reads(&tf.lists, at, stride) else {
                return unknown;
            };
            f.reads = reads;
            // Results are not counted as writes: fewer kills only keeps
            // more registers live.
            f.falls_through = inst.op != Op::RETURN;
        }
        _ => {
            if let Some(moves) = slot_moves(inst, &tf.remaps) {
                f.edges.push((target, moves));
            } else if let Some(acc) = accesses(inst) {
                for a in acc {
                    if a.write {
                        f.writes.push(a.operand);
                    } else {
                        f.reads.push(a.operand);
                    }
                }
                f.falls_through = true;
            } else {
                return unknown;
            }
        }
    }
    f
}

/// Blocks of a translated function: sorted start indices, the first 0.
struct Blocks {
    starts: Vec<usize>,
    len: usize,
}

impl Blocks {
    fn of(&self, index: usize) -> usize {
        self.starts.partition_point(|&s| s <= index) - 1
    }
    fn range(&self, block: usize) -> std::ops::Range<usize> {
        let end = self.starts.get(block + 1).copied().unwrap_or(self.len);
        self.starts[block]..end
    }
}

/// Registers live on entry to each block, or `None` when a branch leaves
/// the function or the analysis does not settle in [`MAX_PASSES`].
fn liveness(tf: &Translated, blocks: &Blocks, flows: &[Flow]) -> Option<Vec<Live>> {
    let n = blocks.starts.len();
    let mut live_in = vec![Live::default(); n];
    for _ in 0..MAX_PASSES {
        let mut changed = false;
        for b in (0..n).rev() {
            let range = blocks.range(b);
            let mut live = Live::default();
            for i in range.clone().rev() {
                let f = &flows[i];
                let mut after = Live::default();
                if f.falls_through {
                    if i + 1 == range.end {
                        if let Some(next) = live_in.get(b + 1) {
                            after.union_with(next);
                        }
                    } else {
                        after.union_with(&live);
                    }
                }
                for (target, moves) in &f.edges {
                    if *target >= tf.insts.len() {
                        return None;
                    }
                    let mut e = live_in[blocks.of(*target)].clone();
                    for &(s, d) in moves.iter().rev() {
                        e.remove(d);
                        e.insert(s);
                    }
                    after.union_with(&e);
                }
                for w in &f.writes {
                    w.slots().for_each(|s| after.remove(s));
                }
                for r in &f.reads {
                    r.slots().for_each(|s| after.insert(s));
                }
                if f.reads_all {
                    after.all = true;
                }
                live = after;
            }
            if live != live_in[b] {
                live_in[b] = live;
                changed = true;
            }
        }
        if !changed {
            return Some(live_in);
        }
    }
    None
}

/// Coalesces what it can of the moves of every register-moving branch in
/// `tf`. `block_starts` are the indices of the function's blocks' first
/// instructions (every place execution can enter other than by falling
/// through); `register_slots` is the function's 32-bit register count.
pub fn coalesce_moves(tf: &mut Translated, block_starts: &[usize], register_slots: usize) {
    let candidates: Vec<usize> = (0..tf.insts.len())
        .filter(|&i| slot_moves(&tf.insts[i], &tf.remaps).is_some())
        .collect();
    if candidates.is_empty() {
        return;
    }
    let mut starts: Vec<usize> = block_starts
        .iter()
        .copied()
        .filter(|&s| s < tf.insts.len())
        .collect();
    starts.push(0);
    starts.sort_unstable();
    starts.dedup();
    let blocks = Blocks {
        starts,
        len: tf.insts.len(),
    };
    let words = register_slots.div_ceil(64).max(1);
    if tf.insts.len().saturating_mul(words) > MAX_PASS_WORK {
        return;
    }
    let flows: Vec<Flow> = tf.insts.iter().map(|i| flow(i, tf)).collect();
    let Some(live_in) = liveness(tf, &blocks, &flows) else {
        return;
    };
    for j in candidates {
        let block = blocks.of(j);
        let first = blocks.starts[block];
        let target = tf.insts[j].imm as usize;
        let Some(live_at_target) = live_in.get(blocks.of(target.min(tf.insts.len() - 1))) else {
            continue;
        };
        coalesce_branch(tf, j, first, live_at_target);
    }
}

/// One coalesced move group: the instruction that computes it, the new
/// register, and the reads to rename.
struct Rename {
    writer: usize,
    writer_index: usize,
    to: u16,
    reads: Vec<(usize, usize)>,
    moves: Vec<(u16, u16)>,
}

/// Coalesces the moves of branch `j` (in the block starting at `first`)
/// one group at a time, then re-encodes the branch with what is left.
fn coalesce_branch(tf: &mut Translated, j: usize, first: usize, live_at_target: &Live) {
    let Some(mut moves) = slot_moves(&tf.insts[j], &tf.remaps) else {
        return;
    };
    if moves.len() > MAX_MOVES {
        return;
    }
    let before = moves.len();
    let mut i = 0;
    while i < moves.len() {
        let Some(rename) = plan(tf, j, first, &moves, moves[i], live_at_target) else {
            i += 1;
            continue;
        };
        tf.insts[rename.writer].regs[rename.writer_index] = rename.to;
        for &(k, index) in &rename.reads {
            tf.insts[k].regs[index] = rename.to;
        }
        moves.retain(|m| !rename.moves.contains(m));
        i = 0;
    }
    if moves.len() == before {
        return;
    }
    let inst = tf.insts[j];
    let target = inst.imm;
    tf.insts[j] = if moves.is_empty() {
        Inst {
            op: Op::BRANCH,
            regs: [0; 4],
            imm: target,
        }
    } else if let Some(inline) = inline_moves(&moves, target) {
        inline
    } else {
        // Still a general list (only BRANCH_MOVES has more than two
        // groups): the rest fits in place of the old one.
        let range = inst.remap_range();
        for (slot, m) in tf.remaps[range].iter_mut().zip(&moves) {
            *slot = *m;
        }
        let mut kept = inst;
        kept.regs[3] = moves.len() as u16;
        kept
    };
}

/// Whether the move `(s, d)` of branch `j` can be coalesced, with the
/// group of moves it belongs to, and how.
fn plan(
    tf: &Translated,
    j: usize,
    first: usize,
    moves: &[(u16, u16)],
    (s, d): (u16, u16),
    live_at_target: &Live,
) -> Option<Rename> {
    // The last writer of `s` before the branch, within the block.
    let mut k = j;
    let (writer, write) = loop {
        if k <= first {
            return None;
        }
        k -= 1;
        // A fused condition head ends its block with the branch after it,
        // so it never sits between a value and an unconditional branch.
        if fused_length(tf.insts[k].op).is_some() {
            return None;
        }
        let acc = accesses(&tf.insts[k])?;
        let slot = Operand { reg: s, width: 1 };
        if let Some(w) = acc.iter().find(|a| a.write && a.operand.overlaps(slot)) {
            break (k, *w);
        }
    };
    let src = write.operand;
    let offset = s.checked_sub(src.reg)?;
    let dst = Operand {
        reg: d.checked_sub(offset)?,
        width: src.width,
    };
    if src.overlaps(dst) || u32::from(dst.reg) + u32::from(dst.width) > u32::from(isa::I32_MASK) {
        return None;
    }
    // The whole value moves, slot by slot, and nothing else in the branch
    // touches either place.
    let group: Vec<(u16, u16)> = src.slots().zip(dst.slots()).collect();
    if !group.iter().all(|m| moves.contains(m)) {
        return None;
    }
    for &(ms, md) in moves {
        if group.contains(&(ms, md)) {
            continue;
        }
        for r in [ms, md] {
            let one = Operand { reg: r, width: 1 };
            if one.overlaps(src) || one.overlaps(dst) {
                return None;
            }
        }
    }
    if src.slots().any(|slot| live_at_target.contains(slot)) {
        return None;
    }
    // The writer's other writes must leave `dst` alone.
    let writer_acc = accesses(&tf.insts[writer])?;
    if writer_acc
        .iter()
        .any(|a| a.write && a.index != write.index && a.operand.overlaps(dst))
    {
        return None;
    }
    let mut reads = Vec::new();
    for k in writer + 1..j {
        let acc = accesses(&tf.insts[k])?;
        if fused_length(tf.insts[k].op).is_some() {
            return None;
        }
        for a in acc {
            if a.operand.overlaps(dst) {
                return None;
            }
            if a.operand.overlaps(src) {
                if a.write || a.operand != src {
                    return None;
                }
                reads.push((k, a.index));
            }
        }
    }
    Some(Rename {
        writer,
        writer_index: write.index,
        to: dst.reg,
        reads,
        moves: group,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inst(op: Op, regs: [u16; 4], imm: u32) -> Inst {
        Inst { op, regs, imm }
    }

    fn translated(insts: Vec<Inst>) -> Translated {
        Translated {
            pcs: (0..insts.len() as u32).collect(),
            insts,
            ..Translated::default()
        }
    }

    /// `^bb0: cond_br %r9, ^bb1, ^bb2` / `^bb1: body..., br ^bb0` /
    /// `^bb2: return %r3`: the body's block starts at 1, the exit at
    /// `exit`.
    fn looped(body: Vec<Inst>) -> (Translated, Vec<usize>) {
        let exit = body.len() + 1;
        let mut insts = vec![inst(Op::COND_BRANCH_FUSED, [9, exit as u16, 0, 0], 1)];
        insts.extend(body);
        insts.push(inst(Op::RETURN, [0, 0, 0, 0], 0));
        let mut tf = translated(insts);
        // The return's list: one i32, register 3.
        tf.lists = vec![1, 3, value_kind::I32];
        (tf, vec![0, 1, exit])
    }

    #[test]
    fn a_loop_carried_value_is_computed_in_place() {
        let (mut tf, blocks) = looped(vec![
            inst(Op::ADD_I32, [3, 1, 2, 0], 0),
            inst(Op::MUL_I32, [2, 2, 4, 0], 0),
            inst(Op::BR_MOVE, [2, 3, 0, 0], 0),
        ]);
        coalesce_moves(&mut tf, &blocks, 16);
        // The sum goes straight to %r3 and the product reads it there.
        assert_eq!(tf.insts[1].regs, [3, 1, 3, 0]);
        assert_eq!(tf.insts[2].regs, [3, 3, 4, 0]);
        assert_eq!(tf.insts[3].op, Op::BRANCH);
        assert_eq!(tf.insts[3].regs[3], 0);
    }

    #[test]
    fn a_pair_moves_as_one_64_bit_value() {
        let (mut tf, blocks) = looped(vec![
            inst(Op::ADD_I64, [6, 10, 4, 0], 0),
            inst(Op::BR_MOVE_W_MOVE, [4, 6, 1, 3], 0),
        ]);
        coalesce_moves(&mut tf, &blocks, 16);
        assert_eq!(tf.insts[1].regs, [6, 10, 6, 0]);
        // %r1 has no writer in the block: that move stays.
        assert_eq!(tf.insts[2].op, Op::BR_MOVE);
        assert_eq!(tf.insts[2].regs, [1, 3, 0, 0]);
    }

    #[test]
    fn moves_stay_where_renaming_would_change_a_value() {
        let cases: Vec<(&str, Vec<Inst>)> = vec![
            (
                // %r3's old value is read after the sum is computed.
                "destination read in between",
                vec![
                    inst(Op::ADD_I32, [3, 1, 2, 0], 0),
                    inst(Op::MUL_I32, [3, 3, 4, 0], 0),
                    inst(Op::BR_MOVE, [2, 3, 0, 0], 0),
                ],
            ),
            (
                // The condition register %r9 is read at the loop head, so
                // the scratch value must stay in it.
                "source live at the target",
                vec![
                    inst(Op::ADD_I32, [3, 1, 9, 0], 0),
                    inst(Op::BR_MOVE, [9, 3, 0, 0], 0),
                ],
            ),
            (
                "instruction the analysis cannot see into",
                vec![
                    inst(Op::ADD_I32, [3, 1, 2, 0], 0),
                    inst(Op::SLOW, [0; 4], 0),
                    inst(Op::BR_MOVE, [2, 3, 0, 0], 0),
                ],
            ),
            (
                // Half of a 64-bit result moves: renaming would split it.
                "part of a wider value",
                vec![
                    inst(Op::ADD_I64, [6, 10, 4, 0], 0),
                    inst(Op::BR_MOVE, [4, 3, 0, 0], 0),
                ],
            ),
            (
                // Another move of the same branch reads the source.
                "source moved twice",
                vec![
                    inst(Op::ADD_I32, [3, 1, 2, 0], 0),
                    inst(Op::BR_MOVE_MOVE, [2, 3, 2, 5], 0),
                ],
            ),
        ];
        for (why, body) in cases {
            let (mut tf, blocks) = looped(body);
            let before = tf.insts.clone();
            coalesce_moves(&mut tf, &blocks, 16);
            assert_eq!(tf.insts, before, "{why}");
        }
    }
}
