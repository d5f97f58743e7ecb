//! The bytecode interpreter: a match loop over verified bytecode.
//!
//! One [`Invocation`] runs one external call: [`Invocation::begin`] pushes the
//! entry frame, [`Invocation::run`] executes until the entry function returns
//! or something yields; after a yield, `run` again resumes where it stopped.
//! Internal calls push frames on the invocation's own [`FrameStack`](super::frame::FrameStack), so nested
//! bytecode calls do not recurse on the native stack and a yield deep inside
//! them suspends the whole chain.

mod coalesce;
pub mod code;
mod fast;
mod invert;
pub use fast::set_branch_budget;
pub mod host_interface;
mod math;
pub mod op;
pub mod opcodes;
pub mod program;
pub mod translate;

#[cfg(test)]
mod tests;

// Defined here, above every stage it runs, so that `program.rs` imports
// none of them.
impl Program {
    /// The pipeline from a loaded program to one that can run, in order:
    /// verify every function (which sizes its register frame), then
    /// translate each function and run the passes over its translation
    /// (move coalescing, loop inversion). Nothing runs before this
    /// succeeded.
    pub fn prepare(&mut self) -> Result<()> {
        let frames = crate::vm::bytecode::verifier::verify_program(self)?;
        for (f, frame) in self.functions.iter_mut().zip(frames) {
            f.i32_register_count = frame.i32s;
            f.ref_register_count = frame.refs;
        }
        self.translated = (0..self.functions.len())
            .map(|i| {
                let translate::Translation {
                    mut code,
                    block_starts,
                } = translate::translate_function(self, i as u32)?;
                let registers = self.functions[i].i32_register_count as usize;
                coalesce::coalesce_moves(&mut code, &block_starts, registers);
                invert::invert_loops(&mut code, &block_starts);
                Ok(code)
            })
            .collect::<Result<_>>()?;
        Ok(())
    }
}

use self::host_interface::{Elem, Host};
use self::program::{bank_of, Bank, Program};
use super::frame::{FrameStack, RegisterValue};
use super::isa::{self, core, f32op, f64op};
use crate::vm::cconv::Cconv;
use crate::{iree_err, Error, Result, StatusCode};

/// Mutable per-context module storage: primitive globals and ref globals.
pub struct Globals<R> {
    pub bytes: Vec<u8>,
    pub refs: Vec<R>,
}

impl<R: Default> Globals<R> {
    pub fn new(program: &Program) -> Self {
        Globals {
            bytes: vec![0; program.global_bytes as usize],
            refs: (0..program.global_ref_count)
                .map(|_| R::default())
                .collect(),
        }
    }
}

/// How a run stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The entry function returned; results are in [`Invocation::results`].
    Returned,
    /// The program yielded; call [`Invocation::run`] again to resume.
    Yielded,
}

/// What the byte-level decoder asks the main loop to do after one
/// instruction.
pub(super) enum Step {
    /// Continue with the next instruction.
    Next,
    /// Continue at this bytecode offset of the same function.
    Jump(usize),
    /// The top frame changed (call or return): resume it where it stands.
    Reload,
    /// The program yielded; the top frame's `pc` is where to resume.
    Yield,
    /// The entry function returned.
    Returned,
}

/// State of one external call into bytecode.
pub struct Invocation<R> {
    pub stack: FrameStack<R>,
    /// Results of the entry function once it returned.
    pub results: Vec<RegisterValue<R>>,
    scratch_args: Vec<RegisterValue<R>>,
    scratch_results: Vec<RegisterValue<R>>,
    scratch_segments: Vec<i32>,
    scratch_widths: Vec<u8>,
    /// What is left of this thread's branch budget for this invocation
    /// (`fast::set_branch_budget`): it carries over a yield, so a loop that
    /// yields on every turn still runs out.
    fuel: u64,
}

impl<R: Clone + Default + PartialEq> Default for Invocation<R> {
    fn default() -> Self {
        Invocation {
            stack: FrameStack::default(),
            results: Vec::new(),
            scratch_args: Vec::new(),
            scratch_results: Vec::new(),
            scratch_segments: Vec::new(),
            scratch_widths: Vec::new(),
            fuel: u64::MAX,
        }
    }
}

/// Writes one value into a frame's registers following the ABI order:
/// i32/f32 take the next register, i64/f64 the next even pair, refs the
/// next ref register.
struct ArgCursor {
    i32_reg: usize,
    ref_reg: usize,
}

/// Where an entry frame's argument registers are.
struct ArgFrame {
    i32_base: usize,
    i32_count: usize,
    ref_base: usize,
    ref_count: usize,
}

impl<R: Clone + Default + PartialEq> Invocation<R> {
    /// Pushes the entry frame of `function` with `args` in its ABI registers.
    pub fn begin(
        &mut self,
        program: &Program,
        function: u32,
        args: &[RegisterValue<R>],
    ) -> Result<()> {
        let f = program.functions.get(function as usize).ok_or_else(|| {
            iree_err!(
                InvalidArgument,
                "function ordinal {} out of range",
                function
            )
        })?;
        self.stack.clear();
        self.results.clear();
        self.fuel = fast::branch_budget();
        self.stack.push(
            function,
            f.i32_register_count as usize,
            f.ref_register_count as usize,
        )?;
        // Fields, not a copy of the frame just written (see the frames
        // loop in `fast`).
        let frame = self
            .stack
            .frames
            .last()
            .map(|f| ArgFrame {
                i32_base: f.i32_base,
                i32_count: f.i32_count,
                ref_base: f.ref_base,
                ref_count: f.ref_count,
            })
            .ok_or_else(|| iree_err!(Internal, "call pushed no frame"))?;
        let mut cur = ArgCursor {
            i32_reg: 0,
            ref_reg: 0,
        };
        for a in args {
            match a {
                RegisterValue::I32(v) => {
                    iree_ensure_reg(cur.i32_reg < frame.i32_count)?;
                    self.stack.i32s[frame.i32_base + cur.i32_reg] = *v as u32;
                    cur.i32_reg += 1;
                }
                RegisterValue::I64(v) => {
                    cur.i32_reg = (cur.i32_reg + 1) & !1;
                    iree_ensure_reg(cur.i32_reg + 2 <= frame.i32_count)?;
                    self.stack.i32s[frame.i32_base + cur.i32_reg] = *v as u32;
                    self.stack.i32s[frame.i32_base + cur.i32_reg + 1] = (*v >> 32) as u32;
                    cur.i32_reg += 2;
                }
                RegisterValue::Ref(r) => {
                    iree_ensure_reg(cur.ref_reg < frame.ref_count)?;
                    self.stack.refs[frame.ref_base + cur.ref_reg] = r.clone();
                    cur.ref_reg += 1;
                }
            }
        }
        if let Some(f) = self.stack.frames.last_mut() {
            // Skip the entry block marker; translated code starts at its
            // first instruction.
            f.pc = isa::BLOCK_MARKER_SIZE;
            f.resume_ip = 0;
        }
        Ok(())
    }

    /// Runs until the entry function returns or the program yields.
    /// On failure the stack is unwound and the error carries a backtrace.
    pub fn run<H: Host<Ref = R>>(
        &mut self,
        program: &Program,
        globals: &mut Globals<R>,
        host: &mut H,
    ) -> Result<Outcome> {
        match self.dispatch(program, globals, host) {
            Ok(o) => Ok(o),
            Err(e) => {
                let e = self.annotate_backtrace(program, e);
                self.stack.clear();
                Err(e)
            }
        }
    }

    fn annotate_backtrace(&self, program: &Program, mut e: Error) -> Error {
        if e.code() == StatusCode::Deferred {
            return e;
        }
        let top = self.stack.frames.len().saturating_sub(1);
        for (depth, fr) in self.stack.frames.iter().enumerate().rev() {
            let name = program
                .functions
                .get(fr.function as usize)
                .map(|f| f.name.as_str())
                .unwrap_or("");
            let mut line = if name.is_empty() {
                format!("at {}@{}+{:#010x}", program.module_name, fr.function, fr.pc)
            } else {
                format!("at {}.{}+{:#010x}", program.module_name, name, fr.pc)
            };
            // A caller's pc is its return address; the call is just before.
            let at = if depth == top {
                fr.pc
            } else {
                fr.pc.saturating_sub(1)
            };
            if let Some(loc) = program.location(fr.function, at) {
                line.push_str(&format!(" ({loc})"));
            }
            e = e.annotate(line);
        }
        e
    }
}

fn iree_ensure_reg(ok: bool) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(iree_err!(
            InvalidArgument,
            "argument does not fit the function's registers"
        ))
    }
}

fn null_error(what: &str) -> Error {
    iree_err!(InvalidArgument, "{} is null", what)
}

/// Reads little-endian values from the current function body. Bodies are
/// verified, so the indexing below never fails; it is still checked.
macro_rules! rd_u16 {
    ($code:ident, $pc:ident) => {{
        let v = u16::from_le_bytes([$code[$pc], $code[$pc + 1]]);
        $pc += 2;
        v
    }};
}
macro_rules! rd_count {
    ($code:ident, $pc:ident) => {{
        $pc = ($pc + 1) & !1;
        rd_u16!($code, $pc)
    }};
}
macro_rules! rd_u32 {
    ($code:ident, $pc:ident) => {{
        let v = u32::from_le_bytes([$code[$pc], $code[$pc + 1], $code[$pc + 2], $code[$pc + 3]]);
        $pc += 4;
        v
    }};
}

impl<R: Clone + Default + PartialEq> Invocation<R> {
    /// Executes the one instruction at bytecode offset `pc` of the top
    /// frame's function, decoding it from the bytecode (instructions that
    /// translation leaves as [`opcodes::SLOW`]).
    // Operand reads advance `pc` even after the last one an arm needs.
    #[allow(clippy::cognitive_complexity, unused_assignments)]
    pub(super) fn step_slow<H: Host<Ref = R>>(
        &mut self,
        program: &Program,
        globals: &mut Globals<R>,
        host: &mut H,
        pc: usize,
    ) -> Result<Step> {
        let Some(top) = self.stack.frames.last().copied() else {
            return Err(iree_err!(FailedPrecondition, "no frame to run"));
        };
        let func = top.function;
        let code: &[u8] = program.body(func);
        // Errors report the instruction that failed; calls and yields
        // overwrite this with where to resume.
        if let Some(f) = self.stack.frames.last_mut() {
            f.pc = pc;
        }
        let mut pc = pc;
        let ib = top.i32_base;
        let rb = top.ref_base;

        // Register access helpers over the current frame window.
        macro_rules! reg32 {
            () => {{
                let r = rd_u16!(code, pc) as usize;
                self.stack.i32s[ib + r]
            }};
        }
        macro_rules! reg64 {
            () => {{
                let r = rd_u16!(code, pc) as usize;
                (self.stack.i32s[ib + r] as u64) | ((self.stack.i32s[ib + r + 1] as u64) << 32)
            }};
        }
        macro_rules! out32 {
            ($v:expr) => {{
                let v: u32 = $v;
                let r = rd_u16!(code, pc) as usize;
                self.stack.i32s[ib + r] = v;
            }};
        }
        macro_rules! out64 {
            ($v:expr) => {{
                let v: u64 = $v;
                let r = rd_u16!(code, pc) as usize;
                self.stack.i32s[ib + r] = v as u32;
                self.stack.i32s[ib + r + 1] = (v >> 32) as u32;
            }};
        }
        // Returns the index of a ref register (without consuming a move).
        macro_rules! refidx {
            () => {{
                let r = rd_u16!(code, pc);
                rb + (r & isa::REF_MASK) as usize
            }};
        }
        macro_rules! set_ref_checked {
            ($dst:expr, $val:expr, $ty:expr) => {{
                let v: R = $val;
                if !H::is_null(&v) && !host.type_matches(&v, $ty) {
                    return Err(iree_err!(
                        InvalidArgument,
                        "ref type mismatch (expected type ordinal {})",
                        $ty
                    ));
                }
                self.stack.refs[$dst] = v;
            }};
        }
        macro_rules! jump {
            ($target:expr) => {{
                return Ok(Step::Jump($target as usize + isa::BLOCK_MARKER_SIZE));
            }};
        }
        macro_rules! save_pc {
            () => {{
                if let Some(f) = self.stack.frames.last_mut() {
                    f.pc = pc;
                }
            }};
        }
        macro_rules! nonnull {
            ($idx:expr, $what:expr) => {{
                let r = self.stack.refs[$idx].clone();
                if H::is_null(&r) {
                    return Err(null_error($what));
                }
                r
            }};
        }
        // Applies a branch remap list at `pc` (advancing past it).
        macro_rules! remap {
            () => {{
                let n = rd_count!(code, pc);
                for _ in 0..n {
                    let src = rd_u16!(code, pc);
                    let dst = rd_u16!(code, pc);
                    if src & isa::REF_TYPE_BIT != 0 {
                        let s = rb + (src & isa::REF_MASK) as usize;
                        let d = rb + (dst & isa::REF_MASK) as usize;
                        if s != d {
                            let v = if src & isa::REF_MOVE_BIT != 0 {
                                std::mem::take(&mut self.stack.refs[s])
                            } else {
                                self.stack.refs[s].clone()
                            };
                            self.stack.refs[d] = v;
                        }
                    } else {
                        self.stack.i32s[ib + dst as usize] = self.stack.i32s[ib + src as usize];
                    }
                }
            }};
        }
        macro_rules! skip_remap {
            () => {{
                let n = rd_count!(code, pc) as usize;
                pc += 4 * n;
            }};
        }
        macro_rules! skip_list {
            () => {{
                let n = rd_count!(code, pc) as usize;
                pc += 2 * n;
            }};
        }
        let op = code[pc];
        pc += 1;
        match op {
            core::BLOCK => {}
            core::GLOBAL_LOAD_REF | core::GLOBAL_LOAD_INDIRECT_REF => {
                let g = if op == core::GLOBAL_LOAD_REF {
                    rd_u32!(code, pc)
                } else {
                    reg32!()
                } as usize;
                if g >= globals.refs.len() {
                    return Err(iree_err!(
                        OutOfRange,
                        "global ref ordinal out of range: {} (table={})",
                        g,
                        globals.refs.len()
                    ));
                }
                let ty = rd_u32!(code, pc);
                let dst = refidx!();
                set_ref_checked!(dst, globals.refs[g].clone(), ty);
            }
            core::GLOBAL_STORE_REF | core::GLOBAL_STORE_INDIRECT_REF => {
                let g = if op == core::GLOBAL_STORE_REF {
                    rd_u32!(code, pc)
                } else {
                    reg32!()
                } as usize;
                if g >= globals.refs.len() {
                    return Err(iree_err!(
                        OutOfRange,
                        "global ref ordinal out of range: {} (table={})",
                        g,
                        globals.refs.len()
                    ));
                }
                let ty = rd_u32!(code, pc);
                let src = refidx!();
                let v = self.stack.refs[src].clone();
                if !H::is_null(&v) && !host.type_matches(&v, ty) {
                    return Err(iree_err!(
                        InvalidArgument,
                        "ref type mismatch storing global"
                    ));
                }
                globals.refs[g] = v;
            }
            core::CONST_REF_ZERO => {
                let d = refidx!();
                self.stack.refs[d] = R::default();
            }
            core::CONST_REF_RODATA => {
                let ord = rd_u32!(code, pc);
                let v = host.rodata(ord)?;
                let d = refidx!();
                self.stack.refs[d] = v;
            }

            // Lists.
            core::LIST_ALLOC => {
                let ty = rd_u32!(code, pc);
                let cap = reg32!();
                let v = host.list_alloc(ty, cap)?;
                let d = refidx!();
                self.stack.refs[d] = v;
            }
            core::LIST_RESERVE => {
                let l = refidx!();
                let l = nonnull!(l, "list");
                let cap = reg32!();
                host.list_reserve(&l, cap)?;
            }
            core::LIST_SIZE => {
                let l = refidx!();
                let l = nonnull!(l, "list");
                let n = host.list_size(&l)?;
                out32!(n);
            }
            core::LIST_RESIZE => {
                let l = refidx!();
                let l = nonnull!(l, "list");
                let n = reg32!();
                host.list_resize(&l, n)?;
            }
            core::LIST_GET_I32 | core::LIST_GET_I64 => {
                let l = refidx!();
                let l = nonnull!(l, "list");
                let i = reg32!();
                if op == core::LIST_GET_I32 {
                    let v = host.list_get_value(&l, i, Elem::I32)?;
                    out32!(v as u32);
                } else {
                    let v = host.list_get_value(&l, i, Elem::I64)?;
                    out64!(v);
                }
            }
            core::LIST_SET_I32 => {
                let l = refidx!();
                let l = nonnull!(l, "list");
                let i = reg32!();
                let v = reg32!();
                host.list_set_value(&l, i, Elem::I32, v as u64)?;
            }
            core::LIST_SET_I64 => {
                let l = refidx!();
                let l = nonnull!(l, "list");
                let i = reg32!();
                let v = reg64!();
                host.list_set_value(&l, i, Elem::I64, v)?;
            }
            core::LIST_GET_REF => {
                let l = refidx!();
                let l = nonnull!(l, "list");
                let i = reg32!();
                let ty = rd_u32!(code, pc);
                let d = refidx!();
                let mut v = host.list_get_ref(&l, i)?;
                // A mismatched element reads as null, as upstream does.
                if !H::is_null(&v) && !host.type_matches(&v, ty) {
                    v = R::default();
                }
                self.stack.refs[d] = v;
            }
            core::LIST_SET_REF => {
                let l = refidx!();
                let l = nonnull!(l, "list");
                let i = reg32!();
                let s = refidx!();
                let v = self.stack.refs[s].clone();
                host.list_set_ref(&l, i, v)?;
            }
            core::SELECT_REF => {
                let c = reg32!();
                let ty = rd_u32!(code, pc);
                let t = refidx!();
                let f = refidx!();
                let d = refidx!();
                let v = self.stack.refs[if c != 0 { t } else { f }].clone();
                set_ref_checked!(d, v, ty);
            }
            core::SWITCH_I32 => {
                let index = reg32!() as i32;
                let default = reg32!();
                let n = rd_count!(code, pc) as usize;
                let list_at = pc;
                pc += 2 * n;
                let v = if index >= 0 && (index as usize) < n {
                    let at = list_at + 2 * index as usize;
                    let r = u16::from_le_bytes([code[at], code[at + 1]]) as usize;
                    self.stack.i32s[ib + r]
                } else {
                    default
                };
                out32!(v);
            }
            core::SWITCH_I64 => {
                let index = reg32!() as i32;
                let default = reg64!();
                let n = rd_count!(code, pc) as usize;
                let list_at = pc;
                pc += 2 * n;
                let v = if index >= 0 && (index as usize) < n {
                    let at = list_at + 2 * index as usize;
                    let r = u16::from_le_bytes([code[at], code[at + 1]]) as usize;
                    (self.stack.i32s[ib + r] as u64) | ((self.stack.i32s[ib + r + 1] as u64) << 32)
                } else {
                    default
                };
                out64!(v);
            }
            core::SWITCH_REF => {
                let index = reg32!() as i32;
                let ty = rd_u32!(code, pc);
                let default = refidx!();
                let n = rd_count!(code, pc) as usize;
                let list_at = pc;
                pc += 2 * n;
                let src = if index >= 0 && (index as usize) < n {
                    let at = list_at + 2 * index as usize;
                    rb + (u16::from_le_bytes([code[at], code[at + 1]]) & isa::REF_MASK) as usize
                } else {
                    default
                };
                let d = refidx!();
                let v = self.stack.refs[src].clone();
                set_ref_checked!(d, v, ty);
            }
            core::CAST_ANY_REF => {
                let s = refidx!();
                let ty = rd_u32!(code, pc);
                let d = refidx!();
                let v = self.stack.refs[s].clone();
                if !H::is_null(&v) && !host.type_matches(&v, ty) {
                    return Err(iree_err!(InvalidArgument, "source ref type mismatch"));
                }
                self.stack.refs[d] = v;
            }
            core::ASSIGN_REF => {
                let sr = rd_u16!(code, pc);
                let s = rb + (sr & isa::REF_MASK) as usize;
                let d = refidx!();
                if s != d {
                    let v = if sr & isa::REF_MOVE_BIT != 0 {
                        std::mem::take(&mut self.stack.refs[s])
                    } else {
                        self.stack.refs[s].clone()
                    };
                    self.stack.refs[d] = v;
                }
            }
            core::DISCARD_REFS => {
                let n = rd_count!(code, pc);
                for _ in 0..n {
                    let r = rd_u16!(code, pc);
                    if r & isa::REF_TYPE_BIT != 0 {
                        self.stack.refs[rb + (r & isa::REF_MASK) as usize] = R::default();
                    }
                }
            }
            core::CMP_EQ_REF | core::CMP_NE_REF => {
                let a = refidx!();
                let b = refidx!();
                let eq = self.stack.refs[a] == self.stack.refs[b];
                out32!((if op == core::CMP_EQ_REF { eq } else { !eq }) as u32);
            }
            core::CMP_NZ_REF => {
                let a = refidx!();
                let nz = !H::is_null(&self.stack.refs[a]);
                out32!(nz as u32);
            }

            // Control flow.
            core::BREAK => {
                let t = rd_u32!(code, pc);
                remap!();
                jump!(t);
            }
            core::COND_BREAK => {
                let _c = reg32!();
                let t = rd_u32!(code, pc);
                remap!();
                jump!(t);
            }
            core::BRANCH_TABLE => {
                let index = reg32!() as i32;
                let dt = rd_u32!(code, pc);
                let default_at = (pc + 1) & !1;
                skip_remap!();
                let n = rd_u16!(code, pc) as i32;
                if index < 0 || index >= n {
                    pc = default_at;
                    remap!();
                    jump!(dt);
                } else {
                    for _ in 0..index {
                        pc += 4;
                        skip_remap!();
                    }
                    let t = rd_u32!(code, pc);
                    remap!();
                    jump!(t);
                }
            }
            core::CALL
            | core::CALL_YIELDABLE
            | core::CALL_VARIADIC
            | core::CALL_VARIADIC_YIELDABLE => {
                let callee = rd_u32!(code, pc);
                let variadic = op == core::CALL_VARIADIC || op == core::CALL_VARIADIC_YIELDABLE;
                let yieldable = op == core::CALL_YIELDABLE || op == core::CALL_VARIADIC_YIELDABLE;
                pc = (pc + 1) & !1;
                let segments_at = pc;
                if variadic {
                    skip_list!();
                    pc = (pc + 1) & !1;
                }
                let args_at = pc;
                skip_list!();
                let cont = if yieldable {
                    let t = rd_u32!(code, pc);
                    Some(t as usize + isa::BLOCK_MARKER_SIZE)
                } else {
                    None
                };
                pc = (pc + 1) & !1;
                let results_at = pc;
                skip_list!();
                let next_pc = cont.unwrap_or(pc);
                if callee & isa::IMPORT_BIT != 0 {
                    let import = callee & !isa::IMPORT_BIT;
                    self.call_import(
                        program,
                        host,
                        import,
                        code,
                        ib,
                        rb,
                        variadic.then_some(segments_at),
                        args_at,
                        results_at,
                    )?;
                    return Ok(match cont {
                        Some(at) => Step::Jump(at),
                        None => Step::Next,
                    });
                } else {
                    if variadic {
                        return Err(iree_err!(
                            FailedPrecondition,
                            "variadic calls only supported for imports"
                        ));
                    }
                    {
                        let f = self.stack.frames.last_mut().expect("frame");
                        f.pc = next_pc;
                        f.results_pc = results_at;
                    }
                    self.enter_internal(program, callee, code, ib, rb, args_at)?;
                    return Ok(Step::Reload);
                }
            }
            core::RETURN => {
                pc = (pc + 1) & !1;
                let list_at = pc;
                if self.stack.frames.len() == 1 {
                    self.leave_external(program, func, code, ib, rb, list_at);
                    self.stack.pop();
                    return Ok(Step::Returned);
                }
                self.leave_internal(program, func, code, ib, rb, list_at);
                return Ok(Step::Reload);
            }
            core::FAIL => {
                let status = reg32!();
                let n = rd_u16!(code, pc) as usize;
                let msg = String::from_utf8_lossy(&code[pc..pc + n]).into_owned();
                pc += n;
                if status != 0 {
                    return Err(Error::new(StatusCode::from_raw(status), msg));
                }
            }
            core::IMPORT_RESOLVED => {
                let callee = rd_u32!(code, pc);
                let ok = host.import_resolved(callee & !isa::IMPORT_BIT);
                out32!(ok as u32);
            }
            core::YIELD => {
                let t = rd_u32!(code, pc);
                remap!();
                pc = t as usize + isa::BLOCK_MARKER_SIZE;
                save_pc!();
                return Ok(Step::Yield);
            }
            core::TRACE | core::PRINT => {
                let n = rd_u16!(code, pc) as usize;
                pc += n;
                let count = rd_count!(code, pc);
                for _ in 0..count {
                    let r = rd_u16!(code, pc);
                    if r & (isa::REF_TYPE_BIT | isa::REF_MOVE_BIT)
                        == isa::REF_TYPE_BIT | isa::REF_MOVE_BIT
                    {
                        self.stack.refs[rb + (r & isa::REF_MASK) as usize] = R::default();
                    }
                }
            }

            // Buffers.
            core::BUFFER_ALLOC => {
                let len = reg64!();
                let align = reg32!();
                let v = host.buffer_alloc(len, align)?;
                let d = refidx!();
                self.stack.refs[d] = v;
            }
            core::BUFFER_CLONE => {
                let s = refidx!();
                let s = nonnull!(s, "source");
                let off = reg64!();
                let len = reg64!();
                let align = reg32!();
                let v = host.buffer_clone(&s, off, len, align)?;
                let d = refidx!();
                self.stack.refs[d] = v;
            }
            core::BUFFER_LENGTH => {
                let b = refidx!();
                let b = nonnull!(b, "buffer");
                let n = host.buffer_length(&b)?;
                out64!(n);
            }
            core::BUFFER_COPY => {
                let s = refidx!();
                let s = nonnull!(s, "source_buffer");
                let so = reg64!();
                let t = refidx!();
                let t = nonnull!(t, "target_buffer");
                let to = reg64!();
                let len = reg64!();
                host.buffer_copy(&s, so, &t, to, len)?;
            }
            core::BUFFER_COMPARE => {
                let a = refidx!();
                let a = nonnull!(a, "lhs_buffer");
                let ao = reg64!();
                let b = refidx!();
                let b = nonnull!(b, "rhs_buffer");
                let bo = reg64!();
                let len = reg64!();
                let eq = host.buffer_compare(&a, ao, &b, bo, len)?;
                out32!(eq as u32);
            }
            core::BUFFER_FILL_I8
            | core::BUFFER_FILL_I16
            | core::BUFFER_FILL_I32
            | core::BUFFER_FILL_I64 => {
                let b = refidx!();
                let b = nonnull!(b, "buffer");
                let off = reg64!();
                let len = reg64!();
                let (size, bits) = match op {
                    core::BUFFER_FILL_I8 => (1, reg32!() as u64),
                    core::BUFFER_FILL_I16 => (2, reg32!() as u64),
                    core::BUFFER_FILL_I32 => (4, reg32!() as u64),
                    _ => (8, reg64!()),
                };
                host.buffer_fill(&b, off, len, size, bits)?;
            }
            core::BUFFER_LOAD_I8_U
            | core::BUFFER_LOAD_I8_S
            | core::BUFFER_LOAD_I16_U
            | core::BUFFER_LOAD_I16_S
            | core::BUFFER_LOAD_I32
            | core::BUFFER_LOAD_I64 => {
                let b = refidx!();
                let b = nonnull!(b, "source_buffer");
                let off = reg64!();
                match op {
                    core::BUFFER_LOAD_I8_U => {
                        out32!(host.buffer_load(&b, off, 1)? as u8 as u32)
                    }
                    core::BUFFER_LOAD_I8_S => {
                        out32!(host.buffer_load(&b, off, 1)? as u8 as i8 as i32 as u32)
                    }
                    core::BUFFER_LOAD_I16_U => {
                        out32!(host.buffer_load(&b, off, 2)? as u16 as u32)
                    }
                    core::BUFFER_LOAD_I16_S => {
                        out32!(host.buffer_load(&b, off, 2)? as u16 as i16 as i32 as u32)
                    }
                    core::BUFFER_LOAD_I32 => out32!(host.buffer_load(&b, off, 4)? as u32),
                    _ => out64!(host.buffer_load(&b, off, 8)?),
                }
            }
            core::BUFFER_STORE_I8
            | core::BUFFER_STORE_I16
            | core::BUFFER_STORE_I32
            | core::BUFFER_STORE_I64 => {
                let b = refidx!();
                let b = nonnull!(b, "target_buffer");
                let off = reg64!();
                let (size, bits) = match op {
                    core::BUFFER_STORE_I8 => (1, reg32!() as u8 as u64),
                    core::BUFFER_STORE_I16 => (2, reg32!() as u16 as u64),
                    core::BUFFER_STORE_I32 => (4, reg32!() as u64),
                    _ => (8, reg64!()),
                };
                host.buffer_store(&b, off, size, bits)?;
            }
            core::BUFFER_HASH => {
                let b = refidx!();
                let b = nonnull!(b, "source_buffer");
                let off = reg64!();
                let len = reg64!();
                let h = host.buffer_hash(&b, off, len)?;
                out64!(h as u64);
            }

            core::PREFIX_EXT_F32 => {
                let ext = code[pc];
                pc += 1;
                match ext {
                    f32op::LIST_GET => {
                        let l = refidx!();
                        let l = nonnull!(l, "list");
                        let i = reg32!();
                        let v = host.list_get_value(&l, i, Elem::F32)?;
                        out32!(v as u32);
                    }
                    f32op::LIST_SET => {
                        let l = refidx!();
                        let l = nonnull!(l, "list");
                        let i = reg32!();
                        let v = reg32!();
                        host.list_set_value(&l, i, Elem::F32, v as u64)?;
                    }
                    f32op::SWITCH => {
                        let index = reg32!() as i32;
                        let default = reg32!();
                        let n = rd_count!(code, pc) as usize;
                        let list_at = pc;
                        pc += 2 * n;
                        let v = if index >= 0 && (index as usize) < n {
                            let at = list_at + 2 * index as usize;
                            let r = u16::from_le_bytes([code[at], code[at + 1]]) as usize;
                            self.stack.i32s[ib + r]
                        } else {
                            default
                        };
                        out32!(v);
                    }
                    f32op::BUFFER_LOAD => {
                        let b = refidx!();
                        let b = nonnull!(b, "source_buffer");
                        let off = reg64!();
                        out32!(host.buffer_load(&b, off, 4)? as u32);
                    }
                    f32op::BUFFER_STORE => {
                        let b = refidx!();
                        let b = nonnull!(b, "target_buffer");
                        let off = reg64!();
                        let v = reg32!();
                        host.buffer_store(&b, off, 4, v as u64)?;
                    }
                    f32op::BUFFER_FILL => {
                        let b = refidx!();
                        let b = nonnull!(b, "buffer");
                        let off = reg64!();
                        let len = reg64!();
                        let v = reg32!();
                        host.buffer_fill(&b, off, len, 4, v as u64)?;
                    }
                    _ => {
                        return Err(iree_err!(
                            Unimplemented,
                            "unhandled f32 opcode {:#04x}",
                            ext
                        ))
                    }
                }
            }
            core::PREFIX_EXT_F64 => {
                let ext = code[pc];
                pc += 1;
                match ext {
                    f64op::LIST_GET => {
                        let l = refidx!();
                        let l = nonnull!(l, "list");
                        let i = reg32!();
                        let v = host.list_get_value(&l, i, Elem::F64)?;
                        out64!(v);
                    }
                    f64op::LIST_SET => {
                        let l = refidx!();
                        let l = nonnull!(l, "list");
                        let i = reg32!();
                        let v = reg64!();
                        host.list_set_value(&l, i, Elem::F64, v)?;
                    }
                    f64op::SWITCH => {
                        let index = reg32!() as i32;
                        let default = reg64!();
                        let n = rd_count!(code, pc) as usize;
                        let list_at = pc;
                        pc += 2 * n;
                        let v = if index >= 0 && (index as usize) < n {
                            let at = list_at + 2 * index as usize;
                            let r = u16::from_le_bytes([code[at], code[at + 1]]) as usize;
                            (self.stack.i32s[ib + r] as u64)
                                | ((self.stack.i32s[ib + r + 1] as u64) << 32)
                        } else {
                            default
                        };
                        out64!(v);
                    }
                    f64op::BUFFER_LOAD => {
                        let b = refidx!();
                        let b = nonnull!(b, "source_buffer");
                        let off = reg64!();
                        out64!(host.buffer_load(&b, off, 8)?);
                    }
                    f64op::BUFFER_STORE => {
                        let b = refidx!();
                        let b = nonnull!(b, "target_buffer");
                        let off = reg64!();
                        let v = reg64!();
                        host.buffer_store(&b, off, 8, v)?;
                    }
                    f64op::BUFFER_FILL => {
                        let b = refidx!();
                        let b = nonnull!(b, "buffer");
                        let off = reg64!();
                        let len = reg64!();
                        let v = reg64!();
                        host.buffer_fill(&b, off, len, 8, v)?;
                    }
                    _ => {
                        return Err(iree_err!(
                            Unimplemented,
                            "unhandled f64 opcode {:#04x}",
                            ext
                        ))
                    }
                }
            }
            _ => {
                return Err(iree_err!(
                    Unimplemented,
                    "unhandled core opcode {:#04x}",
                    op
                ));
            }
        }
        Ok(Step::Next)
    }

    /// Pushes the callee frame and copies arguments from the caller's
    /// register list at `args_at` into the callee's ABI registers.
    fn enter_internal(
        &mut self,
        program: &Program,
        callee: u32,
        code: &[u8],
        ib: usize,
        rb: usize,
        args_at: usize,
    ) -> Result<()> {
        let f = program.functions.get(callee as usize).ok_or_else(|| {
            iree_err!(InvalidArgument, "function ordinal {} out of range", callee)
        })?;
        self.stack.push(
            callee,
            f.i32_register_count as usize,
            f.ref_register_count as usize,
        )?;
        let callee_frame = *self.stack.frames.last().expect("frame");
        let sig = f.cconv.as_ref().map(|c| c.args.as_slice());
        let n = u16::from_le_bytes([code[args_at], code[args_at + 1]]) as usize;
        let mut cur = ArgCursor {
            i32_reg: 0,
            ref_reg: 0,
        };
        for i in 0..n {
            let at = args_at + 2 + 2 * i;
            let src = u16::from_le_bytes([code[at], code[at + 1]]);
            if src & isa::REF_TYPE_BIT != 0 {
                let s = rb + (src & isa::REF_MASK) as usize;
                let v = if src & isa::REF_MOVE_BIT != 0 {
                    std::mem::take(&mut self.stack.refs[s])
                } else {
                    self.stack.refs[s].clone()
                };
                let d = callee_frame.ref_base + cur.ref_reg;
                cur.ref_reg += 1;
                if cur.ref_reg > callee_frame.ref_count {
                    return Err(iree_err!(InvalidArgument, "too many ref arguments"));
                }
                self.stack.refs[d] = v;
            } else {
                let wide = matches!(
                    sig.and_then(|s| s.get(i)).and_then(|&c| bank_of(c)),
                    Some(Bank::I64)
                );
                let s = ib + src as usize;
                if wide {
                    cur.i32_reg = (cur.i32_reg + 1) & !1;
                    if cur.i32_reg + 2 > callee_frame.i32_count {
                        return Err(iree_err!(InvalidArgument, "too many i32 arguments"));
                    }
                    let d = callee_frame.i32_base + cur.i32_reg;
                    self.stack.i32s[d] = self.stack.i32s[s];
                    self.stack.i32s[d + 1] = self.stack.i32s[s + 1];
                    cur.i32_reg += 2;
                } else {
                    if cur.i32_reg + 1 > callee_frame.i32_count {
                        return Err(iree_err!(InvalidArgument, "too many i32 arguments"));
                    }
                    self.stack.i32s[callee_frame.i32_base + cur.i32_reg] = self.stack.i32s[s];
                    cur.i32_reg += 1;
                }
            }
        }
        self.stack.frames.last_mut().expect("frame").pc = isa::BLOCK_MARKER_SIZE;
        Ok(())
    }

    /// Copies the callee's return registers into the caller's result
    /// registers and pops the callee.
    fn leave_internal(
        &mut self,
        program: &Program,
        func: u32,
        code: &[u8],
        ib: usize,
        rb: usize,
        list_at: usize,
    ) {
        let caller = self.stack.frames[self.stack.frames.len() - 2];
        let caller_code = program.body(caller.function);
        let sig = program.functions[func as usize]
            .cconv
            .as_ref()
            .map(|c| c.results.as_slice());
        let n = u16::from_le_bytes([code[list_at], code[list_at + 1]]) as usize;
        let dst_at = caller.results_pc;
        let dn = u16::from_le_bytes([caller_code[dst_at], caller_code[dst_at + 1]]) as usize;
        for i in 0..n.min(dn) {
            let at = list_at + 2 + 2 * i;
            let src = u16::from_le_bytes([code[at], code[at + 1]]);
            let dat = dst_at + 2 + 2 * i;
            let dst = u16::from_le_bytes([caller_code[dat], caller_code[dat + 1]]);
            if src & isa::REF_TYPE_BIT != 0 {
                let v = std::mem::take(&mut self.stack.refs[rb + (src & isa::REF_MASK) as usize]);
                self.stack.refs[caller.ref_base + (dst & isa::REF_MASK) as usize] = v;
            } else {
                let wide = matches!(
                    sig.and_then(|s| s.get(i)).and_then(|&c| bank_of(c)),
                    Some(Bank::I64)
                );
                let s = ib + src as usize;
                let d = caller.i32_base + dst as usize;
                self.stack.i32s[d] = self.stack.i32s[s];
                if wide {
                    self.stack.i32s[d + 1] = self.stack.i32s[s + 1];
                }
            }
        }
        self.stack.pop();
    }

    /// Collects the entry function's results into `self.results`.
    fn leave_external(
        &mut self,
        program: &Program,
        func: u32,
        code: &[u8],
        ib: usize,
        rb: usize,
        list_at: usize,
    ) {
        // `program` is not part of `self`: the signature can stay borrowed.
        let sig = program.functions[func as usize]
            .cconv
            .as_ref()
            .map(|c| c.results.as_slice());
        let n = u16::from_le_bytes([code[list_at], code[list_at + 1]]) as usize;
        self.results.clear();
        for i in 0..n {
            let at = list_at + 2 + 2 * i;
            let src = u16::from_le_bytes([code[at], code[at + 1]]);
            if src & isa::REF_TYPE_BIT != 0 {
                let v = std::mem::take(&mut self.stack.refs[rb + (src & isa::REF_MASK) as usize]);
                self.results.push(RegisterValue::Ref(v));
            } else {
                let wide = matches!(
                    sig.as_ref()
                        .and_then(|s| s.get(i))
                        .and_then(|&c| bank_of(c)),
                    Some(Bank::I64)
                );
                let s = ib + src as usize;
                if wide {
                    let v = (self.stack.i32s[s] as u64) | ((self.stack.i32s[s + 1] as u64) << 32);
                    self.results.push(RegisterValue::I64(v as i64));
                } else {
                    self.results
                        .push(RegisterValue::I32(self.stack.i32s[s] as i32));
                }
            }
        }
    }

    /// Marshals registers into values, calls the import, writes results.
    #[allow(clippy::too_many_arguments)]
    fn call_import<H: Host<Ref = R>>(
        &mut self,
        program: &Program,
        host: &mut H,
        import: u32,
        code: &[u8],
        ib: usize,
        rb: usize,
        segments_at: Option<usize>,
        args_at: usize,
        results_at: usize,
    ) -> Result<()> {
        let desc = callable_import(program, host, import)?;
        let empty = Cconv::default();
        let cconv = desc.cconv.as_ref().unwrap_or(&empty);
        let mut args = std::mem::take(&mut self.scratch_args);
        let mut results = std::mem::take(&mut self.scratch_results);
        let mut segments = std::mem::take(&mut self.scratch_segments);
        args.clear();
        results.clear();
        segments.clear();
        // The segment list holds the sizes themselves (one per top-level
        // argument of the callee's cconv; the compiler writes 0xFFFF for the
        // non-span ones), not registers holding them.
        if let Some(sa) = segments_at {
            let n = u16::from_le_bytes([code[sa], code[sa + 1]]) as usize;
            for i in 0..n {
                let at = sa + 2 + 2 * i;
                segments.push(u16::from_le_bytes([code[at], code[at + 1]]) as i32);
            }
        }
        // Expand the signature (spans repeated per segment size) to know the
        // width of each register in the flat argument list.
        let n = u16::from_le_bytes([code[args_at], code[args_at + 1]]) as usize;
        let mut widths = std::mem::take(&mut self.scratch_widths);
        widths.clear();
        {
            let sig = &cconv.args;
            let mut i = 0;
            let mut seg = 0;
            while i < sig.len() {
                if sig[i] == b'C' {
                    let end = sig[i..]
                        .iter()
                        .position(|&c| c == b'D')
                        .map_or(sig.len(), |p| i + p);
                    let count = segments.get(seg).copied().unwrap_or(0).max(0);
                    for _ in 0..count {
                        widths.extend_from_slice(&sig[i + 1..end]);
                    }
                    i = end + 1;
                } else {
                    widths.push(sig[i]);
                    i += 1;
                }
                seg += 1;
            }
        }
        for i in 0..n {
            let at = args_at + 2 + 2 * i;
            let src = u16::from_le_bytes([code[at], code[at + 1]]);
            if src & isa::REF_TYPE_BIT != 0 {
                args.push(RegisterValue::Ref(
                    self.stack.refs[rb + (src & isa::REF_MASK) as usize].clone(),
                ));
            } else {
                let s = ib + src as usize;
                if matches!(widths.get(i).and_then(|&c| bank_of(c)), Some(Bank::I64)) {
                    let v = (self.stack.i32s[s] as u64) | ((self.stack.i32s[s + 1] as u64) << 32);
                    args.push(RegisterValue::I64(v as i64));
                } else {
                    args.push(RegisterValue::I32(self.stack.i32s[s] as i32));
                }
            }
        }
        let status = host.call_import(
            import,
            &args,
            segments_at.map(|_| segments.as_slice()),
            &mut results,
        );
        args.clear();
        self.scratch_args = args;
        self.scratch_segments = segments;
        self.scratch_widths = widths;
        if let Err(e) = status {
            self.scratch_results = results;
            return Err(import_failure(e, &desc.name));
        }
        let dn = u16::from_le_bytes([code[results_at], code[results_at + 1]]) as usize;
        let mut stored = Ok(());
        for (i, v) in results.drain(..).enumerate().take(dn) {
            let at = results_at + 2 + 2 * i;
            let dst = u16::from_le_bytes([code[at], code[at + 1]]);
            if stored.is_ok() {
                stored = self.store_import_result(v, dst, ib, rb);
            }
        }
        results.clear();
        self.scratch_results = results;
        stored
    }

    /// The value of register `src` of the frame at (`ib`, `rb`), of
    /// [`code::value_kind`] `kind`; a ref is moved out when `take`.
    /// Out-of-range registers read as zero or null: the verifier and the
    /// translator have ruled them out.
    fn listed_value(
        &mut self,
        src: u16,
        kind: u16,
        ib: usize,
        rb: usize,
        take: bool,
    ) -> RegisterValue<R> {
        let word = |i32s: &[u32], at: usize| i32s.get(at).copied().unwrap_or(0);
        match kind {
            code::value_kind::REF => {
                let slot = self.stack.refs.get_mut(rb + (src & isa::REF_MASK) as usize);
                RegisterValue::Ref(match (slot, take) {
                    (Some(r), true) => std::mem::take(r),
                    (Some(r), false) => r.clone(),
                    (None, _) => R::default(),
                })
            }
            code::value_kind::I64 => {
                let s = ib + (src & isa::I32_MASK) as usize;
                let (lo, hi) = (word(&self.stack.i32s, s), word(&self.stack.i32s, s + 1));
                RegisterValue::I64(((lo as u64) | ((hi as u64) << 32)) as i64)
            }
            _ => RegisterValue::I32(
                word(&self.stack.i32s, ib + (src & isa::I32_MASK) as usize) as i32
            ),
        }
    }

    /// Writes one import result into register `dst` of the frame at
    /// (`ib`, `rb`).
    fn store_import_result(
        &mut self,
        v: RegisterValue<R>,
        dst: u16,
        ib: usize,
        rb: usize,
    ) -> Result<()> {
        match v {
            RegisterValue::Ref(r) => {
                if dst & isa::REF_TYPE_BIT == 0 {
                    return Err(iree_err!(
                        Internal,
                        "import returned a ref for a primitive result"
                    ));
                }
                self.stack.refs[rb + (dst & isa::REF_MASK) as usize] = r;
            }
            RegisterValue::I32(x) => {
                self.stack.i32s[ib + (dst & isa::I32_MASK) as usize] = x as u32;
            }
            RegisterValue::I64(x) => {
                let d = ib + (dst & isa::I32_MASK) as usize;
                self.stack.i32s[d] = x as u32;
                self.stack.i32s[d + 1] = (x >> 32) as u32;
            }
        }
        Ok(())
    }

    /// [`Self::call_import`] for a translated call
    /// ([`opcodes::fused::CALL_IMPORT`]): registers come from the
    /// pre-decoded `lists` of the calling function.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn call_import_listed<H: Host<Ref = R>>(
        &mut self,
        program: &Program,
        host: &mut H,
        import: u32,
        lists: &[u16],
        (args_at, results_at): (usize, usize),
        ib: usize,
        rb: usize,
    ) -> Result<()> {
        let desc = callable_import(program, host, import)?;
        let list = |at: usize, width: usize| {
            let n = lists.get(at).copied().unwrap_or(0) as usize;
            lists
                .get(at + 1..at + 1 + width * n)
                .ok_or_else(|| iree_err!(Internal, "translated register list out of range"))
        };
        let mut args = std::mem::take(&mut self.scratch_args);
        args.clear();
        for e in list(args_at, 2)?.chunks_exact(2) {
            args.push(self.listed_value(e[0], e[1], ib, rb, false));
        }
        let mut results = std::mem::take(&mut self.scratch_results);
        results.clear();
        let status = host.call_import(import, &args, None, &mut results);
        args.clear();
        self.scratch_args = args;
        if let Err(e) = status {
            self.scratch_results = results;
            return Err(import_failure(e, &desc.name));
        }
        let mut stored = list(results_at, 1).map(|_| ());
        if let Ok(dsts) = list(results_at, 1) {
            for (v, &dst) in results.drain(..).zip(dsts) {
                if stored.is_ok() {
                    stored = self.store_import_result(v, dst, ib, rb);
                }
            }
        }
        results.clear();
        self.scratch_results = results;
        stored
    }
}

/// The declaration of import `import`, which must be resolved to be called.
fn callable_import<'p, H: Host>(
    program: &'p Program,
    host: &H,
    import: u32,
) -> Result<&'p program::ImportDesc> {
    let desc = program
        .imports
        .get(import as usize)
        .ok_or_else(|| iree_err!(InvalidArgument, "import ordinal {} out of range", import))?;
    if !host.import_resolved(import) {
        return Err(iree_err!(
            NotFound,
            "optional import `{}` (ordinal {}) not resolved",
            desc.name,
            import
        ));
    }
    Ok(desc)
}

/// The error an import call returns: annotated with the import's name,
/// except `DEFERRED`, which asks the caller to wait and retry.
fn import_failure(e: Error, name: &str) -> Error {
    if e.code() == StatusCode::Deferred {
        e
    } else {
        e.annotate(format!("while calling import `{}`", name))
    }
}
