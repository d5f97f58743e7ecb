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

use super::code::{inline_moves, register_only, value_kind, Inst, Translated};
use super::op::Op;
use super::opcodes::{ext_opcode, is_condition_op};
use super::program::{bank_of, Bank, Program};
use crate::vm::bytecode::isa::{self, core, Field};
use crate::{iree_err, Result};

/// Splits a `u32` into the two `u16` halves stored in [`Inst::regs`].
fn halves(v: usize) -> Result<[u16; 2]> {
    let v = u32::try_from(v)
        .map_err(|_| iree_err!(ResourceExhausted, "function too large to translate"))?;
    Ok([v as u16, (v >> 16) as u16])
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

/// One function as translation leaves it, before the passes that rewrite
/// it (`coalesce.rs`, `invert.rs`), which need to know where its blocks
/// begin.
pub struct Translation {
    pub code: Translated,
    /// Index of the first instruction of every block, ascending.
    pub block_starts: Vec<usize>,
}

/// Translates one verified function.
pub fn translate_function(program: &Program, ordinal: u32) -> Result<Translation> {
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
    Ok(Translation {
        code: out,
        block_starts,
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
