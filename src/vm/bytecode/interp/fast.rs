//! The main interpreter loop, over translated instructions.
//!
//! Register-only instructions, branches, internal calls and returns run
//! here from their decoded form; the frame's 32-bit registers are viewed as
//! a fixed-size window (see [`REGISTER_WINDOW`]) that any `u16` register
//! ordinal indexes without a bounds check. Everything else is handed to [`Invocation::step_slow`],
//! which decodes it from the bytecode, and calls, returns and yields come
//! back here as a change of the top frame.

use super::code::{joined, value_kind, Inst, Translated};
use super::host_interface::Host;
use super::math;
use super::op::Op;
use super::program::Program;
use super::{Globals, Invocation, Outcome, Step};
use crate::vm::bytecode::frame::REGISTER_WINDOW;
use crate::vm::bytecode::frame::{FrameStack, UNSET};
use crate::vm::bytecode::isa::{self, core};
use crate::{iree_err, Result};

type Window = [u32; REGISTER_WINDOW];

thread_local! {
    /// Branches, calls and yields one invocation on this thread may take,
    /// over all its resumptions, before it fails with `DEADLINE_EXCEEDED`
    /// (each invocation starts from it when it begins); `u64::MAX`, the
    /// default, is no limit. Only harnesses that run untrusted modules to
    /// completion set it (the fuzz target): the VM has no instruction
    /// budget of its own.
    static BRANCH_BUDGET: std::cell::Cell<u64> = const { std::cell::Cell::new(u64::MAX) };
}

/// This thread's [`BRANCH_BUDGET`], which each invocation starts from.
pub(super) fn branch_budget() -> u64 {
    BRANCH_BUDGET.with(|b| b.get())
}

/// Sets this thread's [`BRANCH_BUDGET`] (`None`: no limit).
pub fn set_branch_budget(limit: Option<u64>) {
    BRANCH_BUDGET.with(|b| b.set(limit.unwrap_or(u64::MAX).max(1)));
}

/// The register window of a frame whose 32-bit registers start at `base`.
fn window(i32s: &mut [u32], base: usize) -> Result<&mut Window> {
    i32s.get_mut(base..base + REGISTER_WINDOW)
        .and_then(|w| <&mut Window>::try_from(w).ok())
        .ok_or_else(|| iree_err!(Internal, "frame register window outside the register file"))
}

impl<R: Clone + Default + PartialEq> Invocation<R> {
    /// Runs until the entry function returns or the program yields.
    // Operand cursors advance past an instruction's last operand.
    #[allow(clippy::cognitive_complexity, unused_assignments)]
    pub(super) fn dispatch<H: Host<Ref = R>>(
        &mut self,
        program: &Program,
        globals: &mut Globals<R>,
        host: &mut H,
    ) -> Result<Outcome> {
        let budget = branch_budget();
        let mut fuel = self.fuel.max(1);
        'frames: loop {
            // Fields are read one by one: copying the whole frame would load
            // them wide, over the narrow stores a call or return has just
            // made to it, and stall on store forwarding.
            let Some(top) = self.stack.frames.last_mut() else {
                return Err(iree_err!(FailedPrecondition, "no frame to run"));
            };
            let (function, pc, rb, ib) = (top.function, top.pc, top.ref_base, top.i32_base);
            let resume_ip = std::mem::replace(&mut top.resume_ip, UNSET);
            let tf = program.translated.get(function as usize).ok_or_else(|| {
                iree_err!(
                    FailedPrecondition,
                    "function {} has not been translated",
                    function
                )
            })?;
            // Everything that changes the frame or may move the register
            // file (calls, returns, imports, the byte decoder) comes back
            // here, so inside the loop the function, its instructions and
            // the register window never change and only `ip` is carried
            // from one instruction to the next: that keeps the dispatch's
            // register allocation from depending on the rest of the loop.
            // Kept apart from `tf` so the loop holds the slice in registers.
            let insts: &[Inst] = &tf.insts;
            let mut ip = if resume_ip != UNSET {
                // A call made from translated code returned, or an import
                // call or a byte-decoded instruction finished.
                resume_ip as usize
            } else if pc == 0 {
                0
            } else {
                tf.index_of(pc)?
            };
            let regs = window(&mut self.stack.i32s, ib)?;
            loop {
                let Some(inst) = insts.get(ip) else {
                    return Err(iree_err!(
                        Internal,
                        "execution ran past the end of a function"
                    ));
                };
                let op = inst.op;
                ip += 1;
                // Operands are consumed in layout order, as the byte decoder
                // reads them; `k` is a constant in every arm after inlining.
                let mut k = 0usize;
                macro_rules! next_reg {
                    () => {{
                        let r = inst.regs[k] as usize;
                        k += 1;
                        r
                    }};
                }
                macro_rules! reg32 {
                    () => {{
                        let r = next_reg!();
                        regs[r]
                    }};
                }
                macro_rules! reg64 {
                    () => {{
                        let r = next_reg!();
                        load64(regs, r)
                    }};
                }
                macro_rules! regf32 {
                    () => {
                        f32::from_bits(reg32!())
                    };
                }
                macro_rules! regf64 {
                    () => {
                        f64::from_bits(reg64!())
                    };
                }
                macro_rules! out32 {
                    ($v:expr) => {{
                        let v: u32 = $v;
                        let r = next_reg!();
                        regs[r] = v;
                    }};
                }
                macro_rules! out64 {
                    ($v:expr) => {{
                        let v: u64 = $v;
                        let r = next_reg!();
                        store64(regs, r, v);
                    }};
                }
                // The immediate of this instruction (the byte decoder's
                // `rd_u32!`/`rd_u64!` reads, already done by translation).
                macro_rules! rd_u32 {
                    ($code:ident, $pc:ident) => {
                        inst.imm
                    };
                }
                macro_rules! rd_u64 {
                    ($code:ident, $pc:ident) => {
                        match tf.wide.get(inst.imm as usize) {
                            Some(&v) => v,
                            None => {
                                save_pc!();
                                return Err(iree_err!(Internal, "missing 64-bit immediate"));
                            }
                        }
                    };
                }
                // Records the bytecode offset of this instruction (`ip` is
                // past it until an arm changes it, after any failure).
                macro_rules! save_pc {
                    () => {{
                        if let (Some(f), Some(&pc)) =
                            (self.stack.frames.last_mut(), tf.pcs.get(ip.wrapping_sub(1)))
                        {
                            f.pc = pc as usize;
                        }
                    }};
                }
                // Goes back to the frames loop, which continues this frame
                // at instruction `$ip`.
                macro_rules! resume_at {
                    ($ip:expr) => {{
                        let next = $ip as u32;
                        if let Some(f) = self.stack.frames.last_mut() {
                            f.resume_ip = next;
                        }
                        continue 'frames;
                    }};
                }
                // Every loop passes a branch or a call.
                macro_rules! burn {
                    () => {{
                        fuel -= 1;
                        if fuel == 0 {
                            save_pc!();
                            return Err(iree_err!(
                                DeadlineExceeded,
                                "branch budget of {} exhausted",
                                budget
                            ));
                        }
                    }};
                }
                // A branch whose remaps are moves held in `regs` (one or
                // two, each 64-bit when its flag is set).
                macro_rules! jump_moves {
                    ($($wide:expr),+) => {{
                        burn!();
                        let mut m = 0;
                        $(
                            move_registers(regs, inst.regs[m], inst.regs[m + 1], $wide);
                            m += 2;
                        )+
                        ip = inst.imm as usize;
                    }};
                }
                // A 32-bit comparison and the fused conditional branch
                // after it.
                macro_rules! cmp_branch {
                    ($f:expr) => {{
                        let a = reg32!();
                        let b = reg32!();
                        #[allow(clippy::redundant_closure_call)]
                        let c = ($f)(a, b) as u32;
                        out32!(c);
                        let Some(branch) = insts.get(ip) else {
                            return Err(iree_err!(Internal, "fused branch without its branch"));
                        };
                        burn!();
                        ip = branch_target(branch, c);
                    }};
                }
                // The same with the `vm.xor.i32` between them.
                macro_rules! cmp_xor_branch {
                    ($f:expr) => {{
                        let a = reg32!();
                        let b = reg32!();
                        #[allow(clippy::redundant_closure_call)]
                        let c = ($f)(a, b) as u32;
                        out32!(c);
                        let (Some(x), Some(branch)) = (insts.get(ip), insts.get(ip + 1)) else {
                            return Err(iree_err!(Internal, "fused branch without its branch"));
                        };
                        let v = regs[x.regs[0] as usize] ^ regs[x.regs[1] as usize];
                        regs[x.regs[2] as usize] = v;
                        burn!();
                        ip = branch_target(branch, v);
                    }};
                }
                macro_rules! bin32 {
                    ($f:expr) => {{
                        let a = reg32!() as i32;
                        let b = reg32!() as i32;
                        #[allow(clippy::redundant_closure_call)]
                        let v: i32 = ($f)(a, b);
                        out32!(v as u32);
                    }};
                }
                macro_rules! bin64 {
                    ($f:expr) => {{
                        let a = reg64!() as i64;
                        let b = reg64!() as i64;
                        #[allow(clippy::redundant_closure_call)]
                        let v: i64 = ($f)(a, b);
                        out64!(v as u64);
                    }};
                }
                macro_rules! bin32_nz {
                    ($f:expr) => {{
                        let a = reg32!() as i32;
                        let b = reg32!() as i32;
                        if b == 0 {
                            save_pc!();
                            return Err(math::div_by_zero());
                        }
                        #[allow(clippy::redundant_closure_call)]
                        let v: i32 = ($f)(a, b);
                        out32!(v as u32);
                    }};
                }
                macro_rules! bin64_nz {
                    ($f:expr) => {{
                        let a = reg64!() as i64;
                        let b = reg64!() as i64;
                        if b == 0 {
                            save_pc!();
                            return Err(math::div_by_zero());
                        }
                        #[allow(clippy::redundant_closure_call)]
                        let v: i64 = ($f)(a, b);
                        out64!(v as u64);
                    }};
                }
                macro_rules! cmp64 {
                    ($f:expr) => {{
                        let a = reg64!() as i64;
                        let b = reg64!() as i64;
                        #[allow(clippy::redundant_closure_call)]
                        let v: bool = ($f)(a, b);
                        out32!(v as u32);
                    }};
                }
                macro_rules! un32 {
                    ($f:expr) => {{
                        let a = reg32!() as i32;
                        #[allow(clippy::redundant_closure_call)]
                        let v: i32 = ($f)(a);
                        out32!(v as u32);
                    }};
                }
                macro_rules! un64 {
                    ($f:expr) => {{
                        let a = reg64!() as i64;
                        #[allow(clippy::redundant_closure_call)]
                        let v: i64 = ($f)(a);
                        out64!(v as u64);
                    }};
                }
                macro_rules! binf32 {
                    ($f:expr) => {{
                        let a = regf32!();
                        let b = regf32!();
                        #[allow(clippy::redundant_closure_call)]
                        let v: f32 = ($f)(a, b);
                        out32!(v.to_bits());
                    }};
                }
                macro_rules! unf32 {
                    ($f:expr) => {{
                        let a = regf32!();
                        #[allow(clippy::redundant_closure_call)]
                        let v: f32 = ($f)(a);
                        out32!(v.to_bits());
                    }};
                }
                macro_rules! cmpf32 {
                    ($f:expr) => {{
                        let a = regf32!();
                        let b = regf32!();
                        #[allow(clippy::redundant_closure_call)]
                        let v: bool = ($f)(a, b);
                        out32!(v as u32);
                    }};
                }
                macro_rules! binf64 {
                    ($f:expr) => {{
                        let a = regf64!();
                        let b = regf64!();
                        #[allow(clippy::redundant_closure_call)]
                        let v: f64 = ($f)(a, b);
                        out64!(v.to_bits());
                    }};
                }
                macro_rules! unf64 {
                    ($f:expr) => {{
                        let a = regf64!();
                        #[allow(clippy::redundant_closure_call)]
                        let v: f64 = ($f)(a);
                        out64!(v.to_bits());
                    }};
                }
                macro_rules! cmpf64 {
                    ($f:expr) => {{
                        let a = regf64!();
                        let b = regf64!();
                        #[allow(clippy::redundant_closure_call)]
                        let v: bool = ($f)(a, b);
                        out32!(v as u32);
                    }};
                }
                macro_rules! global_check {
                    ($off:expr, $w:expr) => {{
                        let off = $off as usize;
                        if off
                            .checked_add($w)
                            .map_or(true, |e| e > globals.bytes.len())
                        {
                            save_pc!();
                            return Err(iree_err!(
                                OutOfRange,
                                "global byte_offset out of range: {} (rwdata={})",
                                off,
                                globals.bytes.len()
                            ));
                        }
                        off
                    }};
                }
                macro_rules! gload32 {
                    ($off:expr) => {{
                        let o = global_check!($off, 4);
                        u32::from_le_bytes(globals.bytes[o..o + 4].try_into().expect("4 bytes"))
                    }};
                }
                macro_rules! gload64 {
                    ($off:expr) => {{
                        let o = global_check!($off, 8);
                        u64::from_le_bytes(globals.bytes[o..o + 8].try_into().expect("8 bytes"))
                    }};
                }
                macro_rules! gstore32 {
                    ($off:expr, $v:expr) => {{
                        let o = global_check!($off, 4);
                        let v: u32 = $v;
                        globals.bytes[o..o + 4].copy_from_slice(&v.to_le_bytes());
                    }};
                }
                macro_rules! gstore64 {
                    ($off:expr, $v:expr) => {{
                        let o = global_check!($off, 8);
                        let v: u64 = $v;
                        globals.bytes[o..o + 8].copy_from_slice(&v.to_le_bytes());
                    }};
                }

                match op {
                    // Globals.
                    Op::GLOBAL_LOAD_I32 => {
                        let off = rd_u32!(code, pc);
                        out32!(gload32!(off));
                    }
                    Op::GLOBAL_STORE_I32 => {
                        let off = rd_u32!(code, pc);
                        let v = reg32!();
                        gstore32!(off, v);
                    }
                    Op::GLOBAL_LOAD_INDIRECT_I32 => {
                        let off = reg32!();
                        out32!(gload32!(off));
                    }
                    Op::GLOBAL_STORE_INDIRECT_I32 => {
                        let off = reg32!();
                        let v = reg32!();
                        gstore32!(off, v);
                    }
                    Op::GLOBAL_LOAD_I64 => {
                        let off = rd_u32!(code, pc);
                        out64!(gload64!(off));
                    }
                    Op::GLOBAL_STORE_I64 => {
                        let off = rd_u32!(code, pc);
                        let v = reg64!();
                        gstore64!(off, v);
                    }
                    Op::GLOBAL_LOAD_INDIRECT_I64 => {
                        let off = reg32!();
                        out64!(gload64!(off));
                    }
                    Op::GLOBAL_STORE_INDIRECT_I64 => {
                        let off = reg32!();
                        let v = reg64!();
                        gstore64!(off, v);
                    }

                    // Constants.
                    Op::CONST_I32_ZERO => out32!(0),
                    Op::CONST_I32 => {
                        let v = rd_u32!(code, pc);
                        out32!(v);
                    }
                    Op::CONST_I64_ZERO => out64!(0),
                    Op::CONST_I64 => {
                        let v = rd_u64!(code, pc);
                        out64!(v);
                    }

                    // Conditional assignment.
                    Op::SELECT_I32 => {
                        let c = reg32!();
                        let t = reg32!();
                        let f = reg32!();
                        out32!(if c != 0 { t } else { f });
                    }
                    Op::SELECT_I64 => {
                        let c = reg32!();
                        let t = reg64!();
                        let f = reg64!();
                        out64!(if c != 0 { t } else { f });
                    }

                    // Integer arithmetic.
                    Op::ADD_I32 => bin32!(|a: i32, b: i32| a.wrapping_add(b)),
                    Op::SUB_I32 => bin32!(|a: i32, b: i32| a.wrapping_sub(b)),
                    Op::MUL_I32 => bin32!(|a: i32, b: i32| a.wrapping_mul(b)),
                    Op::DIV_I32_S => bin32_nz!(|a: i32, b: i32| a.wrapping_div(b)),
                    Op::DIV_I32_U => bin32_nz!(|a: i32, b: i32| ((a as u32) / (b as u32)) as i32),
                    Op::REM_I32_S => bin32_nz!(|a: i32, b: i32| a.wrapping_rem(b)),
                    Op::REM_I32_U => bin32_nz!(|a: i32, b: i32| ((a as u32) % (b as u32)) as i32),
                    Op::FMA_I32 => {
                        let a = reg32!() as i32;
                        let b = reg32!() as i32;
                        let c = reg32!() as i32;
                        out32!(a.wrapping_mul(b).wrapping_add(c) as u32);
                    }
                    Op::ABS_I32 => un32!(|a: i32| a.wrapping_abs()),
                    Op::MIN_I32_S => bin32!(|a: i32, b: i32| a.min(b)),
                    Op::MIN_I32_U => bin32!(|a: i32, b: i32| (a as u32).min(b as u32) as i32),
                    Op::MAX_I32_S => bin32!(|a: i32, b: i32| a.max(b)),
                    Op::MAX_I32_U => bin32!(|a: i32, b: i32| (a as u32).max(b as u32) as i32),
                    Op::NOT_I32 => un32!(|a: i32| !a),
                    Op::AND_I32 => bin32!(|a: i32, b: i32| a & b),
                    Op::OR_I32 => bin32!(|a: i32, b: i32| a | b),
                    Op::XOR_I32 => bin32!(|a: i32, b: i32| a ^ b),
                    Op::CTLZ_I32 => un32!(|a: i32| a.leading_zeros() as i32),
                    Op::ADD_I64 => bin64!(|a: i64, b: i64| a.wrapping_add(b)),
                    Op::SUB_I64 => bin64!(|a: i64, b: i64| a.wrapping_sub(b)),
                    Op::MUL_I64 => bin64!(|a: i64, b: i64| a.wrapping_mul(b)),
                    Op::DIV_I64_S => bin64_nz!(|a: i64, b: i64| a.wrapping_div(b)),
                    Op::DIV_I64_U => bin64_nz!(|a: i64, b: i64| ((a as u64) / (b as u64)) as i64),
                    Op::REM_I64_S => bin64_nz!(|a: i64, b: i64| a.wrapping_rem(b)),
                    Op::REM_I64_U => bin64_nz!(|a: i64, b: i64| ((a as u64) % (b as u64)) as i64),
                    Op::FMA_I64 => {
                        let a = reg64!() as i64;
                        let b = reg64!() as i64;
                        let c = reg64!() as i64;
                        out64!(a.wrapping_mul(b).wrapping_add(c) as u64);
                    }
                    Op::ABS_I64 => un64!(|a: i64| a.wrapping_abs()),
                    Op::MIN_I64_S => bin64!(|a: i64, b: i64| a.min(b)),
                    Op::MIN_I64_U => bin64!(|a: i64, b: i64| (a as u64).min(b as u64) as i64),
                    Op::MAX_I64_S => bin64!(|a: i64, b: i64| a.max(b)),
                    Op::MAX_I64_U => bin64!(|a: i64, b: i64| (a as u64).max(b as u64) as i64),
                    Op::NOT_I64 => un64!(|a: i64| !a),
                    Op::AND_I64 => bin64!(|a: i64, b: i64| a & b),
                    Op::OR_I64 => bin64!(|a: i64, b: i64| a | b),
                    Op::XOR_I64 => bin64!(|a: i64, b: i64| a ^ b),
                    Op::CTLZ_I64 => un64!(|a: i64| a.leading_zeros() as i64),

                    // Shifts: the amount is masked to the operand width.
                    Op::SHL_I32 => bin32!(|a: i32, b: i32| a.wrapping_shl((b & 31) as u32)),
                    Op::SHR_I32_S => bin32!(|a: i32, b: i32| a >> (b & 31)),
                    Op::SHR_I32_U => bin32!(|a: i32, b: i32| ((a as u32) >> (b & 31)) as i32),
                    Op::SHL_I64 | Op::SHR_I64_S | Op::SHR_I64_U => {
                        let a = reg64!();
                        let amount = (reg32!() & 63) as u64;
                        let v = match op {
                            Op::SHL_I64 => a << amount,
                            Op::SHR_I64_S => ((a as i64) >> amount) as u64,
                            _ => a >> amount,
                        };
                        out64!(v);
                    }

                    // Conversions.
                    Op::TRUNC_I32_I8 => un32!(|a: i32| (a as u8) as i32),
                    Op::TRUNC_I32_I16 => un32!(|a: i32| (a as u16) as i32),
                    Op::EXT_I8_I32_S => un32!(|a: i32| (a as i8) as i32),
                    Op::EXT_I8_I32_U => un32!(|a: i32| (a as u8) as i32),
                    Op::EXT_I16_I32_S => un32!(|a: i32| (a as i16) as i32),
                    Op::EXT_I16_I32_U => un32!(|a: i32| (a as u16) as i32),
                    Op::TRUNC_I64_I32 => {
                        let v = reg64!();
                        out32!(v as u32);
                    }
                    Op::EXT_I32_I64_S => {
                        let v = reg32!() as i32;
                        out64!(v as i64 as u64);
                    }
                    Op::EXT_I32_I64_U => {
                        let v = reg32!();
                        out64!(v as u64);
                    }

                    // Comparisons.
                    Op::CMP_EQ_I32 => bin32!(|a: i32, b: i32| (a == b) as i32),
                    Op::CMP_NE_I32 => bin32!(|a: i32, b: i32| (a != b) as i32),
                    Op::CMP_LT_I32_S => bin32!(|a: i32, b: i32| (a < b) as i32),
                    Op::CMP_LT_I32_U => bin32!(|a: i32, b: i32| ((a as u32) < (b as u32)) as i32),
                    Op::CMP_NZ_I32 => un32!(|a: i32| (a != 0) as i32),
                    Op::CMP_EQ_I64 => cmp64!(|a: i64, b: i64| a == b),
                    Op::CMP_NE_I64 => cmp64!(|a: i64, b: i64| a != b),
                    Op::CMP_LT_I64_S => cmp64!(|a: i64, b: i64| a < b),
                    Op::CMP_LT_I64_U => cmp64!(|a: i64, b: i64| (a as u64) < (b as u64)),
                    Op::CMP_NZ_I64 => {
                        let v = reg64!();
                        out32!((v != 0) as u32);
                    }
                    Op::BRANCH => {
                        burn!();
                        if inst.regs[3] != 0 {
                            remap(tf, inst, regs, &mut self.stack.refs, rb);
                        }
                        ip = inst.imm as usize;
                    }
                    Op::BRANCH_MOVES => {
                        burn!();
                        if let Some(pairs) = tf.remaps.get(inst.remap_range()) {
                            for &(src, dst) in pairs {
                                regs[dst as usize] = regs[src as usize];
                            }
                        }
                        ip = inst.imm as usize;
                    }
                    Op::BR_MOVE => jump_moves!(false),
                    Op::BR_MOVE_W => jump_moves!(true),
                    Op::BR_MOVE_MOVE => jump_moves!(false, false),
                    Op::BR_MOVE_MOVE_W => jump_moves!(false, true),
                    Op::BR_MOVE_W_MOVE => jump_moves!(true, false),
                    Op::BR_MOVE_W_MOVE_W => jump_moves!(true, true),
                    Op::CMP_EQ_BRANCH => cmp_branch!(|a: u32, b: u32| a == b),
                    Op::CMP_NE_BRANCH => cmp_branch!(|a: u32, b: u32| a != b),
                    Op::CMP_LT_S_BRANCH => cmp_branch!(|a: u32, b: u32| (a as i32) < (b as i32)),
                    Op::CMP_LT_U_BRANCH => cmp_branch!(|a: u32, b: u32| a < b),
                    Op::CMP_EQ_XOR_BRANCH => cmp_xor_branch!(|a: u32, b: u32| a == b),
                    Op::CMP_NE_XOR_BRANCH => cmp_xor_branch!(|a: u32, b: u32| a != b),
                    Op::CMP_LT_S_XOR_BRANCH => {
                        cmp_xor_branch!(|a: u32, b: u32| (a as i32) < (b as i32))
                    }
                    Op::CMP_LT_U_XOR_BRANCH => cmp_xor_branch!(|a: u32, b: u32| a < b),
                    Op::BINARY_THEN_BRANCH => {
                        let v = condition(inst, regs, inst.regs[3] as u8);
                        let Some(branch) = insts.get(ip) else {
                            return Err(iree_err!(Internal, "fused branch without its branch"));
                        };
                        burn!();
                        ip = branch_target(branch, v);
                    }
                    Op::BINARY_BINARY_THEN_BRANCH => {
                        condition(inst, regs, inst.regs[3] as u8);
                        let (Some(second), Some(branch)) = (insts.get(ip), insts.get(ip + 1))
                        else {
                            return Err(iree_err!(Internal, "fused branch without its branch"));
                        };
                        let v = condition(second, regs, second.op as u8);
                        burn!();
                        ip = branch_target(branch, v);
                    }
                    Op::COND_BRANCH_FUSED => {
                        burn!();
                        ip = branch_target(inst, regs[inst.regs[0] as usize]);
                    }
                    Op::COND_BRANCH => {
                        burn!();
                        // The false edge is the unconditional branch
                        // that follows.
                        if regs[inst.regs[0] as usize] != 0 {
                            remap(tf, inst, regs, &mut self.stack.refs, rb);
                            ip = inst.imm as usize;
                        }
                    }
                    Op::CALL => {
                        burn!();
                        let callee = inst.imm;
                        let Some(f) = program.functions.get(callee as usize) else {
                            save_pc!();
                            return Err(iree_err!(
                                InvalidArgument,
                                "function ordinal {} out of range",
                                callee
                            ));
                        };
                        let next_pc = tf.pcs.get(ip).copied().unwrap_or(0) as usize;
                        if let Some(caller) = self.stack.frames.last_mut() {
                            caller.pc = next_pc;
                            caller.resume_ip = ip as u32;
                            caller.results_list = joined(inst.regs[2], inst.regs[3]) as u32;
                        }
                        if let Err(e) = self.stack.push(
                            callee,
                            f.i32_register_count as usize,
                            f.ref_register_count as usize,
                        ) {
                            save_pc!();
                            return Err(e);
                        }
                        let Some(callee_bases) =
                            self.stack.frames.last().map(|f| (f.i32_base, f.ref_base))
                        else {
                            return Err(iree_err!(Internal, "call pushed no frame"));
                        };
                        let args = joined(inst.regs[0], inst.regs[1]);
                        pass_values(&mut self.stack, &tf.lists, args, (ib, rb), callee_bases);
                        continue 'frames;
                    }
                    Op::RETURN => {
                        let depth = self.stack.frames.len();
                        if depth == 1 {
                            // The entry function: results leave the VM.
                            let list = joined(inst.regs[0], inst.regs[1]);
                            self.leave_translated(&tf.lists, list, ib, rb);
                            self.stack.pop();
                            return Ok(Outcome::Returned);
                        }
                        // Fields one by one, as in the frames loop.
                        let caller = depth.checked_sub(2).map(|i| {
                            let c = &self.stack.frames[i];
                            (
                                c.function,
                                c.results_list,
                                c.resume_ip,
                                c.i32_base,
                                c.ref_base,
                            )
                        });
                        let (function, results_list, caller_bases) = match caller {
                            Some((function, results_list, resume_ip, cib, crb))
                                if results_list != UNSET && resume_ip != UNSET =>
                            {
                                (function, results_list, (cib, crb))
                            }
                            // A caller suspended by the byte decoder: it
                            // knows where results go.
                            _ => {
                                let step =
                                    self.step_slow(program, globals, host, inst.imm as usize)?;
                                match step {
                                    Step::Returned => return Ok(Outcome::Returned),
                                    _ => continue 'frames,
                                }
                            }
                        };
                        let Some(caller_tf) = program.translated.get(function as usize) else {
                            return Err(iree_err!(
                                FailedPrecondition,
                                "function {} has not been translated",
                                function
                            ));
                        };
                        return_values(
                            &mut self.stack,
                            &tf.lists,
                            joined(inst.regs[0], inst.regs[1]),
                            &caller_tf.lists,
                            results_list as usize,
                            (ib, rb),
                            caller_bases,
                        );
                        self.stack.pop();
                        // The caller resumes at its `resume_ip`.
                        if let Some(c) = self.stack.frames.last_mut() {
                            c.results_list = UNSET;
                        }
                        continue 'frames;
                    }
                    Op::CALL_IMPORT => {
                        burn!();
                        // Backtraces and errors name the call.
                        save_pc!();
                        let lists = (
                            joined(inst.regs[0], inst.regs[1]),
                            joined(inst.regs[2], inst.regs[3]),
                        );
                        self.call_import_listed(program, host, inst.imm, &tf.lists, lists, ib, rb)?;
                        resume_at!(ip);
                    }
                    Op::SLOW => {
                        let step = self.step_slow(program, globals, host, inst.imm as usize)?;
                        match step {
                            Step::Next => resume_at!(ip),
                            Step::Jump(pc) => {
                                burn!();
                                resume_at!(tf.index_of(pc)?);
                            }
                            Step::Reload => continue 'frames,
                            Step::Yield => {
                                // A yield counts as a branch, and the rest
                                // of the budget waits for the resumption.
                                burn!();
                                self.fuel = fuel;
                                return Ok(Outcome::Yielded);
                            }
                            Step::Returned => return Ok(Outcome::Returned),
                        }
                    }
                    Op::F32_GLOBAL_LOAD => {
                        let off = rd_u32!(code, pc);
                        out32!(gload32!(off));
                    }
                    Op::F32_GLOBAL_STORE => {
                        let off = rd_u32!(code, pc);
                        let v = reg32!();
                        gstore32!(off, v);
                    }
                    Op::F32_GLOBAL_LOAD_INDIRECT => {
                        let off = reg32!();
                        out32!(gload32!(off));
                    }
                    Op::F32_GLOBAL_STORE_INDIRECT => {
                        let off = reg32!();
                        let v = reg32!();
                        gstore32!(off, v);
                    }
                    Op::F32_CONST_ZERO => out32!(0),
                    Op::F32_CONST => {
                        let v = rd_u32!(code, pc);
                        out32!(v);
                    }
                    Op::F32_SELECT => {
                        let c = reg32!();
                        let t = reg32!();
                        let f = reg32!();
                        out32!(if c != 0 { t } else { f });
                    }
                    Op::F32_ADD => binf32!(|a: f32, b: f32| a + b),
                    Op::F32_SUB => binf32!(|a: f32, b: f32| a - b),
                    Op::F32_MUL => binf32!(|a: f32, b: f32| a * b),
                    Op::F32_DIV => binf32!(|a: f32, b: f32| a / b),
                    Op::F32_REM => binf32!(math::remainder_f32),
                    Op::F32_FMA => {
                        let a = regf32!();
                        let b = regf32!();
                        let c = regf32!();
                        out32!(math::fma_f32(a, b, c).to_bits());
                    }
                    Op::F32_ABS => unf32!(|a: f32| a.abs()),
                    Op::F32_NEG => unf32!(|a: f32| -a),
                    Op::F32_CEIL => unf32!(|a: f32| a.ceil()),
                    Op::F32_FLOOR => unf32!(|a: f32| a.floor()),
                    Op::F32_ROUND => unf32!(|a: f32| a.round()),
                    Op::F32_ROUND_EVEN => unf32!(|a: f32| a.round_ties_even()),
                    Op::F32_MIN => binf32!(math::min_f32),
                    Op::F32_MAX => binf32!(math::max_f32),
                    Op::F32_ATAN => unf32!(|a: f32| a.atan()),
                    Op::F32_ATAN2 => binf32!(|a: f32, b: f32| a.atan2(b)),
                    Op::F32_COS => unf32!(|a: f32| a.cos()),
                    Op::F32_SIN => unf32!(|a: f32| a.sin()),
                    Op::F32_EXP => unf32!(|a: f32| a.exp()),
                    Op::F32_EXP2 => unf32!(|a: f32| a.exp2()),
                    Op::F32_EXPM1 => unf32!(|a: f32| a.exp_m1()),
                    Op::F32_LOG => unf32!(|a: f32| a.ln()),
                    Op::F32_LOG10 => unf32!(|a: f32| a.log10()),
                    Op::F32_LOG1P => unf32!(|a: f32| a.ln_1p()),
                    Op::F32_LOG2 => unf32!(|a: f32| a.log2()),
                    Op::F32_POW => binf32!(|a: f32, b: f32| a.powf(b)),
                    Op::F32_RSQRT => unf32!(|a: f32| 1.0f32 / a.sqrt()),
                    Op::F32_SQRT => unf32!(|a: f32| a.sqrt()),
                    Op::F32_TANH => unf32!(|a: f32| a.tanh()),
                    Op::F32_ERF => unf32!(math::erf_f32),
                    Op::F32_CAST_SI32 => {
                        let v = reg32!() as i32;
                        out32!((v as f32).to_bits());
                    }
                    Op::F32_CAST_UI32 => {
                        let v = reg32!();
                        out32!((v as f32).to_bits());
                    }
                    Op::F32_CAST_TO_SI32 => {
                        let v = regf32!();
                        out32!(math::lround(v as f64) as u32);
                    }
                    Op::F32_CAST_TO_UI32 => {
                        let v = regf32!();
                        out32!(math::lround(v as f64) as u32);
                    }
                    Op::F32_CAST_TO_SI64 => {
                        let v = regf32!();
                        out64!(math::lround(v as f64) as u64);
                    }
                    Op::F32_CAST_TO_UI64 => {
                        let v = regf32!();
                        out64!(math::cast_f32_to_ui64(v));
                    }
                    Op::F32_CAST_SI64 => {
                        let v = reg64!() as i64;
                        out32!((v as f32).to_bits());
                    }
                    Op::F32_CAST_UI64 => {
                        let v = reg64!();
                        out32!((v as f32).to_bits());
                    }
                    Op::F32_BITCAST_FROM_I32 | Op::F32_BITCAST_TO_I32 => {
                        let v = reg32!();
                        out32!(v);
                    }
                    Op::F32_CMP_EQ_O => cmpf32!(|a: f32, b: f32| a == b),
                    Op::F32_CMP_EQ_U => {
                        cmpf32!(|a: f32, b: f32| a.is_nan() || b.is_nan() || a == b)
                    }
                    Op::F32_CMP_NE_O => cmpf32!(|a: f32, b: f32| a != b),
                    Op::F32_CMP_NE_U => {
                        cmpf32!(|a: f32, b: f32| a.is_nan() || b.is_nan() || a != b)
                    }
                    Op::F32_CMP_LT_O => cmpf32!(|a: f32, b: f32| a < b),
                    Op::F32_CMP_LT_U => {
                        cmpf32!(|a: f32, b: f32| a.is_nan() || b.is_nan() || a < b)
                    }
                    Op::F32_CMP_LTE_O => cmpf32!(|a: f32, b: f32| a <= b),
                    Op::F32_CMP_LTE_U => {
                        cmpf32!(|a: f32, b: f32| a.is_nan() || b.is_nan() || a <= b)
                    }
                    Op::F32_CMP_NAN => {
                        let a = regf32!();
                        out32!(a.is_nan() as u32);
                    }
                    Op::F64_GLOBAL_LOAD => {
                        let off = rd_u32!(code, pc);
                        out64!(gload64!(off));
                    }
                    Op::F64_GLOBAL_STORE => {
                        let off = rd_u32!(code, pc);
                        let v = reg64!();
                        gstore64!(off, v);
                    }
                    Op::F64_GLOBAL_LOAD_INDIRECT => {
                        let off = reg32!();
                        out64!(gload64!(off));
                    }
                    Op::F64_GLOBAL_STORE_INDIRECT => {
                        let off = reg32!();
                        let v = reg64!();
                        gstore64!(off, v);
                    }
                    Op::F64_CONST_ZERO => out64!(0),
                    Op::F64_CONST => {
                        let v = rd_u64!(code, pc);
                        out64!(v);
                    }
                    Op::F64_SELECT => {
                        let c = reg32!();
                        let t = reg64!();
                        let f = reg64!();
                        out64!(if c != 0 { t } else { f });
                    }
                    Op::F64_ADD => binf64!(|a: f64, b: f64| a + b),
                    Op::F64_SUB => binf64!(|a: f64, b: f64| a - b),
                    Op::F64_MUL => binf64!(|a: f64, b: f64| a * b),
                    Op::F64_DIV => binf64!(|a: f64, b: f64| a / b),
                    Op::F64_REM => binf64!(math::remainder_f64),
                    Op::F64_FMA => {
                        let a = regf64!();
                        let b = regf64!();
                        let c = regf64!();
                        out64!(math::fma_f64(a, b, c).to_bits());
                    }
                    Op::F64_ABS => unf64!(|a: f64| a.abs()),
                    Op::F64_NEG => unf64!(|a: f64| -a),
                    Op::F64_CEIL => unf64!(|a: f64| a.ceil()),
                    Op::F64_FLOOR => unf64!(|a: f64| a.floor()),
                    Op::F64_ROUND => unf64!(|a: f64| a.round()),
                    Op::F64_ROUND_EVEN => unf64!(|a: f64| a.round_ties_even()),
                    Op::F64_MIN => binf64!(math::min_f64),
                    Op::F64_MAX => binf64!(math::max_f64),
                    Op::F64_ATAN => unf64!(|a: f64| a.atan()),
                    Op::F64_ATAN2 => binf64!(|a: f64, b: f64| a.atan2(b)),
                    Op::F64_COS => unf64!(|a: f64| a.cos()),
                    Op::F64_SIN => unf64!(|a: f64| a.sin()),
                    Op::F64_EXP => unf64!(|a: f64| a.exp()),
                    Op::F64_EXP2 => unf64!(|a: f64| a.exp2()),
                    Op::F64_EXPM1 => unf64!(|a: f64| a.exp_m1()),
                    Op::F64_LOG => unf64!(|a: f64| a.ln()),
                    Op::F64_LOG10 => unf64!(|a: f64| a.log10()),
                    Op::F64_LOG1P => unf64!(|a: f64| a.ln_1p()),
                    Op::F64_LOG2 => unf64!(|a: f64| a.log2()),
                    Op::F64_POW => binf64!(|a: f64, b: f64| a.powf(b)),
                    Op::F64_RSQRT => unf64!(|a: f64| 1.0f64 / a.sqrt()),
                    Op::F64_SQRT => unf64!(|a: f64| a.sqrt()),
                    Op::F64_TANH => unf64!(|a: f64| a.tanh()),
                    Op::F64_ERF => unf64!(math::erf_f64),
                    Op::F64_TRUNC_TO_F32 => {
                        let v = regf64!();
                        out32!((v as f32).to_bits());
                    }
                    Op::F64_EXT_FROM_F32 => {
                        let v = regf32!();
                        out64!((v as f64).to_bits());
                    }
                    Op::F64_CAST_SI32 => {
                        let v = reg32!() as i32;
                        out64!((v as f64).to_bits());
                    }
                    Op::F64_CAST_UI32 => {
                        let v = reg32!();
                        out64!((v as f64).to_bits());
                    }
                    Op::F64_CAST_TO_SI32 | Op::F64_CAST_TO_UI32 => {
                        let v = regf64!();
                        out32!(math::cast_f64_to_i32(v));
                    }
                    Op::F64_CAST_SI64 => {
                        let v = reg64!() as i64;
                        out64!((v as f64).to_bits());
                    }
                    Op::F64_CAST_UI64 => {
                        let v = reg64!();
                        out64!((v as f64).to_bits());
                    }
                    Op::F64_CAST_TO_SI64 | Op::F64_CAST_TO_UI64 => {
                        let v = regf64!();
                        out64!(math::lround(v) as u64);
                    }
                    Op::F64_BITCAST_FROM_I64 | Op::F64_BITCAST_TO_I64 => {
                        let v = reg64!();
                        out64!(v);
                    }
                    Op::F64_CMP_NAN => {
                        let a = regf64!();
                        out32!(a.is_nan() as u32);
                    }
                    Op::F64_CMP_EQ_O => cmpf64!(|a: f64, b: f64| a == b),
                    Op::F64_CMP_EQ_U => {
                        cmpf64!(|a: f64, b: f64| a.is_nan() || b.is_nan() || a == b)
                    }
                    Op::F64_CMP_NE_O => cmpf64!(|a: f64, b: f64| a != b),
                    Op::F64_CMP_NE_U => {
                        cmpf64!(|a: f64, b: f64| a.is_nan() || b.is_nan() || a != b)
                    }
                    Op::F64_CMP_LT_O => cmpf64!(|a: f64, b: f64| a < b),
                    Op::F64_CMP_LT_U => {
                        cmpf64!(|a: f64, b: f64| a.is_nan() || b.is_nan() || a < b)
                    }
                    Op::F64_CMP_LTE_O => cmpf64!(|a: f64, b: f64| a <= b),
                    Op::F64_CMP_LTE_U => {
                        cmpf64!(|a: f64, b: f64| a.is_nan() || b.is_nan() || a <= b)
                    }
                }
            }
        }
    }
}

impl<R: Clone + Default + PartialEq> Invocation<R> {
    /// Moves the values of a translated return list (see
    /// [`Translated::lists`]) of the frame at (`ib`, `rb`) into
    /// `self.results`.
    fn leave_translated(&mut self, lists: &[u16], at: usize, ib: usize, rb: usize) {
        self.results.clear();
        let n = lists.get(at).copied().unwrap_or(0) as usize;
        let Some(entries) = lists.get(at + 1..at + 1 + 2 * n) else {
            return;
        };
        for e in entries.chunks_exact(2) {
            let v = self.listed_value(e[0], e[1], ib, rb, true);
            self.results.push(v);
        }
    }
}

/// Copies register `s` into `d`, or the pair at `s` into the pair at `d`
/// when `wide`.
#[inline(always)]
fn move_registers(regs: &mut Window, s: u16, d: u16, wide: bool) {
    if wide {
        let v = load64(regs, s as usize);
        store64(regs, d as usize, v);
    } else {
        regs[d as usize] = regs[s as usize];
    }
}

/// The 64-bit value in registers `r` (low half) and `r + 1`, read as one
/// 8-byte load. `r` is a `u16` register ordinal, so `r + 1` is in the
/// window.
#[inline(always)]
fn load64(regs: &Window, r: usize) -> u64 {
    let pair: &[u32; 2] = regs[r..r + 2].try_into().expect("two registers");
    if cfg!(target_endian = "little") {
        u64::from_le_bytes(*bytemuck::cast_ref::<[u32; 2], [u8; 8]>(pair))
    } else {
        (pair[0] as u64) | ((pair[1] as u64) << 32)
    }
}

/// Writes a 64-bit value into registers `r` and `r + 1` as one 8-byte
/// store: two 4-byte stores read back by an 8-byte load (the next i64
/// instruction) would stall on store forwarding.
#[inline(always)]
fn store64(regs: &mut Window, r: usize, v: u64) {
    let pair: &mut [u32; 2] = (&mut regs[r..r + 2]).try_into().expect("two registers");
    if cfg!(target_endian = "little") {
        *bytemuck::cast_mut::<[u32; 2], [u8; 8]>(pair) = v.to_le_bytes();
    } else {
        *pair = [v as u32, (v >> 32) as u32];
    }
}

/// Runs a condition instruction ([`is_condition_op`]) of kind `op`: writes
/// its result and returns it.
#[inline(always)]
fn condition(inst: &Inst, regs: &mut Window, op: u8) -> u32 {
    let a = regs[inst.regs[0] as usize];
    let b = regs[inst.regs[1] as usize];
    let v = match op {
        core::CMP_EQ_I32 => (a == b) as u32,
        core::CMP_NE_I32 => (a != b) as u32,
        core::CMP_LT_I32_S => ((a as i32) < (b as i32)) as u32,
        core::CMP_LT_I32_U => (a < b) as u32,
        core::XOR_I32 => a ^ b,
        core::AND_I32 => a & b,
        _ => a | b,
    };
    regs[inst.regs[2] as usize] = v;
    v
}

/// Where a [`COND_BRANCH_FUSED`] goes for condition value `v`.
#[inline(always)]
fn branch_target(branch: &Inst, v: u32) -> usize {
    if v != 0 {
        branch.imm as usize
    } else {
        joined(branch.regs[1], branch.regs[2])
    }
}

/// Copies ref slot `s` into slot `d`, or moves it out when `take`.
fn transfer_ref<R: Clone + Default>(refs: &mut [R], s: usize, d: usize, take: bool) {
    let v = if take {
        refs.get_mut(s).map(std::mem::take)
    } else {
        refs.get(s).cloned()
    };
    if let (Some(v), Some(slot)) = (v, refs.get_mut(d)) {
        *slot = v;
    }
}

/// Applies the remap list of a translated branch.
fn remap<R: Clone + Default>(
    tf: &Translated,
    inst: &Inst,
    regs: &mut Window,
    refs: &mut [R],
    rb: usize,
) {
    let Some(pairs) = tf.remaps.get(inst.remap_range()) else {
        return;
    };
    for &(src, dst) in pairs {
        if src & isa::REF_TYPE_BIT != 0 {
            let s = rb + (src & isa::REF_MASK) as usize;
            let d = rb + (dst & isa::REF_MASK) as usize;
            if s != d {
                transfer_ref(refs, s, d, src & isa::REF_MOVE_BIT != 0);
            }
        } else {
            regs[dst as usize] = regs[src as usize];
        }
    }
}

/// Moves one value between two frames' registers (`from`/`to` are the
/// frames' i32 and ref bases). Out-of-range registers are skipped: the
/// verifier and the translator have already ruled them out.
fn move_value<R: Clone + Default>(
    stack: &mut FrameStack<R>,
    kind: u16,
    src: u16,
    dst: u16,
    from: (usize, usize),
    to: (usize, usize),
    take: bool,
) {
    match kind {
        value_kind::REF => {
            let s = from.1 + (src & isa::REF_MASK) as usize;
            let d = to.1 + (dst & isa::REF_MASK) as usize;
            transfer_ref(&mut stack.refs, s, d, take || src & isa::REF_MOVE_BIT != 0);
        }
        value_kind::I64 => {
            let s = from.0 + (src & isa::I32_MASK) as usize;
            let d = to.0 + (dst & isa::I32_MASK) as usize;
            let v = stack.i32s.get(s..s + 2).map(|p| [p[0], p[1]]);
            if let (Some(v), Some(slot)) = (v, stack.i32s.get_mut(d..d + 2)) {
                slot.copy_from_slice(&v);
            }
        }
        _ => {
            let s = from.0 + (src & isa::I32_MASK) as usize;
            let d = to.0 + (dst & isa::I32_MASK) as usize;
            let v = stack.i32s.get(s).copied();
            if let (Some(v), Some(slot)) = (v, stack.i32s.get_mut(d)) {
                *slot = v;
            }
        }
    }
}

/// Copies a translated call's arguments into the callee's registers.
fn pass_values<R: Clone + Default>(
    stack: &mut FrameStack<R>,
    lists: &[u16],
    at: usize,
    caller: (usize, usize),
    callee: (usize, usize),
) {
    let n = lists.get(at).copied().unwrap_or(0) as usize;
    let Some(entries) = lists.get(at + 1..at + 1 + 3 * n) else {
        return;
    };
    for e in entries.chunks_exact(3) {
        move_value(stack, e[1], e[0], e[2], caller, callee, false);
    }
}

/// Copies a translated return's values into the caller's result registers.
fn return_values<R: Clone + Default>(
    stack: &mut FrameStack<R>,
    callee_lists: &[u16],
    src_at: usize,
    caller_lists: &[u16],
    dst_at: usize,
    callee: (usize, usize),
    caller: (usize, usize),
) {
    let n = callee_lists.get(src_at).copied().unwrap_or(0) as usize;
    let dn = caller_lists.get(dst_at).copied().unwrap_or(0) as usize;
    let (Some(srcs), Some(dsts)) = (
        callee_lists.get(src_at + 1..src_at + 1 + 2 * n),
        caller_lists.get(dst_at + 1..dst_at + 1 + dn),
    ) else {
        return;
    };
    for (src, &dst) in srcs.chunks_exact(2).zip(dsts) {
        move_value(stack, src[1], src[0], dst, callee, caller, true);
    }
}
