//! Static checks run on every function before any of it executes.
//!
//! After [`verify_program`] succeeds the interpreter can decode every
//! instruction without running off the end of a body, every register ordinal
//! indexes inside its frame's window, every branch lands on a block marker and
//! every ordinal (function, import, type, rodata, global) is in range. The
//! interpreter still uses checked indexing; verification just means those
//! checks never fire.
//!
//! Register ordinals are checked against
//! [`FunctionDesc::register_limits`](super::interp::program::FunctionDesc::register_limits)
//! (the reference's power-of-two banks), but a frame only needs the
//! registers the body names and the arguments occupy: the verifier, which
//! sees every register operand, reports those as each function's frame
//! size. Registers nothing names can never be read or written, so frames
//! of that size behave exactly like the larger ones, and a call to a
//! function that declares no refs pushes and pops no ref slots.

use std::cell::Cell;

use super::interp::program::{bank_of, Bank, Program, RegisterCounts};
use super::isa::{self, core, Field};
use crate::vm::cconv::Cconv;
use crate::{iree_err, Result};

/// Verifies all functions of `program` and returns each one's frame size:
/// the registers its body names and its arguments occupy, at least its
/// declared counts.
pub fn verify_program(program: &Program) -> Result<Vec<RegisterCounts>> {
    let mut frames = Vec::with_capacity(program.functions.len());
    for (i, f) in program.functions.iter().enumerate() {
        let end = f.offset.checked_add(f.length);
        if end.is_none_or(|e| e > program.bytecode.len()) {
            return Err(iree_err!(
                InvalidArgument,
                "function {} bytecode range {}+{} outside of {} bytes",
                i,
                f.offset,
                f.length,
                program.bytecode.len()
            ));
        }
        let frame = verify_function(program, i as u32).map_err(|e| {
            e.annotate(format!(
                "while verifying {}",
                function_label(program, i as u32)
            ))
        })?;
        frames.push(frame);
    }
    Ok(frames)
}

fn function_label(program: &Program, ordinal: u32) -> String {
    match program.functions.get(ordinal as usize) {
        Some(f) if !f.name.is_empty() => format!("{}.{}", program.module_name, f.name),
        _ => format!("{}@{}", program.module_name, ordinal),
    }
}

struct Ctx<'a> {
    code: &'a [u8],
    pc: usize,
    /// What register ordinals may be named.
    limits: RegisterCounts,
    /// One past the highest i32-bank word and ref register named so far.
    named_i32s: Cell<usize>,
    named_refs: Cell<usize>,
}

impl Ctx<'_> {
    fn err(&self, msg: impl std::fmt::Display) -> crate::Error {
        iree_err!(InvalidArgument, "bytecode offset {:#x}: {}", self.pc, msg)
    }
    fn u16(&mut self) -> Result<u16> {
        let v =
            isa::read_u16(self.code, self.pc).ok_or_else(|| self.err("truncated u16 operand"))?;
        self.pc += 2;
        Ok(v)
    }
    fn u32(&mut self) -> Result<u32> {
        let v =
            isa::read_u32(self.code, self.pc).ok_or_else(|| self.err("truncated u32 operand"))?;
        self.pc += 4;
        Ok(v)
    }
    fn skip(&mut self, n: usize) -> Result<()> {
        if self.pc + n > self.code.len() {
            return Err(self.err("truncated operand"));
        }
        self.pc += n;
        Ok(())
    }
    /// Checks one register operand and notes it as named.
    fn reg(&self, reg: u16, bank: Bank) -> Result<()> {
        let i32s = self.limits.i32s as usize;
        let refs = self.limits.refs as usize;
        match bank {
            Bank::I32 | Bank::I64 => {
                if reg & isa::REF_TYPE_BIT != 0 {
                    return Err(
                        self.err(format!("register {reg:#x} is a ref, expected a primitive"))
                    );
                }
                let width = if bank == Bank::I64 { 2 } else { 1 };
                let end = reg as usize + width;
                if end > i32s {
                    return Err(self.err(format!(
                        "register {reg} out of range ({i32s} i32 registers)"
                    )));
                }
                self.named_i32s.set(self.named_i32s.get().max(end));
            }
            Bank::Ref => {
                if reg & isa::REF_TYPE_BIT == 0 {
                    return Err(self.err(format!("register {reg:#x} is not a ref")));
                }
                let ordinal = (reg & isa::REF_MASK) as usize;
                if ordinal >= refs {
                    return Err(self.err(format!(
                        "ref register {ordinal} out of range ({refs} ref registers)"
                    )));
                }
                self.named_refs.set(self.named_refs.get().max(ordinal + 1));
            }
        }
        Ok(())
    }
    /// A register of either bank; i32-bank registers are checked as i32.
    fn any_reg(&self, reg: u16) -> Result<()> {
        if reg & isa::REF_TYPE_BIT != 0 {
            self.reg(reg, Bank::Ref)
        } else {
            self.reg(reg, Bank::I32)
        }
    }
    /// Register lists and remap lists start on a 2-byte boundary.
    fn align(&mut self) {
        self.pc = (self.pc + 1) & !1;
    }
    fn list(&mut self, bank: Option<Bank>) -> Result<Vec<u16>> {
        self.align();
        let n = self.u16()? as usize;
        let mut regs = Vec::with_capacity(n);
        for _ in 0..n {
            let r = self.u16()?;
            match bank {
                Some(b) => self.reg(r, b)?,
                None => self.any_reg(r)?,
            }
            regs.push(r);
        }
        Ok(regs)
    }
    /// A `u16` count plus that many `u16` values that are not registers.
    fn u16_list(&mut self) -> Result<Vec<u16>> {
        self.align();
        let n = self.u16()? as usize;
        (0..n).map(|_| self.u16()).collect()
    }
    fn remap(&mut self) -> Result<()> {
        self.align();
        let n = self.u16()?;
        for _ in 0..n {
            let src = self.u16()?;
            let dst = self.u16()?;
            self.any_reg(src)?;
            self.any_reg(dst)?;
            if (src & isa::REF_TYPE_BIT) != (dst & isa::REF_TYPE_BIT) {
                return Err(self.err("branch operand remaps between register banks"));
            }
        }
        Ok(())
    }
}

/// Checks a register list against a signature part (`args` or `results`).
fn check_against_cconv(ctx: &Ctx, regs: &[u16], sig: &[u8], what: &str) -> Result<()> {
    if sig.contains(&b'C') {
        return Ok(()); // variadic: checked against segment sizes at run time
    }
    if regs.len() != sig.len() {
        return Err(ctx.err(format!(
            "{what}: {} registers for a signature of {}",
            regs.len(),
            sig.len()
        )));
    }
    for (&r, &c) in regs.iter().zip(sig) {
        let bank = bank_of(c).ok_or_else(|| ctx.err(format!("{what}: bad signature char")))?;
        ctx.reg(r, bank)?;
    }
    Ok(())
}

fn callee_cconv(program: &Program, ordinal: u32) -> Option<&Cconv> {
    if ordinal & isa::IMPORT_BIT != 0 {
        program
            .imports
            .get((ordinal & !isa::IMPORT_BIT) as usize)?
            .cconv
            .as_ref()
    } else {
        program.functions.get(ordinal as usize)?.cconv.as_ref()
    }
}

/// The i32 and ref registers a function's arguments occupy: i32/f32 one
/// each, i64/f64 the next even pair, refs one ref register each.
fn argument_registers(args: &[u8]) -> (usize, usize) {
    let (mut i32s, mut refs) = (0, 0);
    for &c in args {
        match bank_of(c) {
            Some(Bank::I32) => i32s += 1,
            Some(Bank::I64) => i32s = ((i32s + 1) & !1) + 2,
            Some(Bank::Ref) => refs += 1,
            None => {}
        }
    }
    (i32s, refs)
}

/// Verifies one function and returns its frame size (see the module
/// comment).
fn verify_function(program: &Program, ordinal: u32) -> Result<RegisterCounts> {
    let f = &program.functions[ordinal as usize];
    let code = program.body(ordinal);
    let limits = f.register_limits()?;
    let (arg_i32s, arg_refs) = f
        .cconv
        .as_ref()
        .map_or((0, 0), |cc| argument_registers(&cc.args));
    if arg_i32s > limits.i32s as usize || arg_refs > limits.refs as usize {
        return Err(iree_err!(
            InvalidArgument,
            "insufficient register storage for function arguments ({} i32 and {} ref \
             registers, the arguments need {} and {})",
            limits.i32s,
            limits.refs,
            arg_i32s,
            arg_refs
        ));
    }
    let mut ctx = Ctx {
        code,
        pc: 0,
        limits,
        named_i32s: Cell::new(arg_i32s.max(f.i32_register_count as usize)),
        named_refs: Cell::new(arg_refs.max(f.ref_register_count as usize)),
    };
    if code.first() != Some(&core::BLOCK) {
        return Err(ctx.err("function body does not start with a block marker"));
    }
    let mut block_starts = Vec::new();
    let mut targets: Vec<(usize, u32)> = Vec::new();
    let mut last_was_terminator = true;
    while ctx.pc < code.len() {
        let start = ctx.pc;
        let op = code[ctx.pc];
        ctx.pc += 1;
        if op == core::BLOCK {
            if !last_was_terminator {
                // Fall-through into a block is legal for ops like vm.fail
                // with a zero status; the marker is a no-op at run time.
            }
            block_starts.push(start);
            last_was_terminator = false;
            continue;
        }
        if last_was_terminator {
            // Nothing can reach it: the reference rejects it too.
            ctx.pc = start;
            return Err(ctx.err("op is not in a block (it follows a terminator)"));
        }
        let (prefix, op, layout) = match op {
            core::PREFIX_EXT_F32 | core::PREFIX_EXT_F64 => {
                let ext = *code
                    .get(ctx.pc)
                    .ok_or_else(|| ctx.err("truncated prefix"))?;
                ctx.pc += 1;
                let layout = if op == core::PREFIX_EXT_F32 {
                    isa::f32_layout(ext)
                } else {
                    isa::f64_layout(ext)
                };
                (Some(op), ext, layout)
            }
            _ => (None, op, isa::core_layout(op)),
        };
        let layout = layout.ok_or_else(|| {
            ctx.pc = start;
            ctx.err(format!(
                "unknown opcode {:#04x}{}",
                op,
                if prefix.is_some() { " (extension)" } else { "" }
            ))
        })?;
        let mut lists: Vec<Vec<u16>> = Vec::new();
        let mut func_attr = None;
        for field in layout {
            match *field {
                Field::R32 | Field::W32 => {
                    let r = ctx.u16()?;
                    ctx.reg(r, Bank::I32)?;
                }
                Field::R64 | Field::W64 => {
                    let r = ctx.u16()?;
                    ctx.reg(r, Bank::I64)?;
                }
                Field::RRef | Field::WRef => {
                    let r = ctx.u16()?;
                    ctx.reg(r, Bank::Ref)?;
                }
                Field::Imm32 => ctx.skip(4)?,
                Field::Imm64 => ctx.skip(8)?,
                Field::GlobalOffset(width) => {
                    let off = ctx.u32()? as u64;
                    if off + width as u64 > program.global_bytes as u64 {
                        return Err(ctx.err(format!(
                            "global byte offset {off} out of range ({} bytes)",
                            program.global_bytes
                        )));
                    }
                }
                Field::GlobalRef => {
                    let g = ctx.u32()?;
                    if g >= program.global_ref_count {
                        return Err(ctx.err(format!("ref global {g} out of range")));
                    }
                }
                Field::Rodata => {
                    let r = ctx.u32()?;
                    if r >= program.rodata_count {
                        return Err(ctx.err(format!("rodata ordinal {r} out of range")));
                    }
                }
                Field::Type => {
                    let t = ctx.u32()?;
                    if t >= program.type_count {
                        return Err(ctx.err(format!("type ordinal {t} out of range")));
                    }
                }
                Field::Func => {
                    let fo = ctx.u32()?;
                    let ok = if fo & isa::IMPORT_BIT != 0 {
                        ((fo & !isa::IMPORT_BIT) as usize) < program.imports.len()
                    } else {
                        (fo as usize) < program.functions.len()
                    };
                    if !ok {
                        return Err(ctx.err(format!("function ordinal {fo:#x} out of range")));
                    }
                    func_attr = Some(fo);
                }
                Field::Str => {
                    let n = ctx.u16()? as usize;
                    ctx.skip(n)?;
                    if std::str::from_utf8(&code[ctx.pc - n..ctx.pc]).is_err() {
                        return Err(ctx.err("string attribute is not UTF-8"));
                    }
                }
                Field::Target => {
                    let t = ctx.u32()?;
                    targets.push((start, t));
                }
                Field::Remap => ctx.remap()?,
                Field::List | Field::Results => lists.push(ctx.list(None)?),
                // A variadic call's first list holds segment sizes, not
                // registers (checked against the arguments at run time).
                Field::List32
                    if prefix.is_none()
                        && lists.is_empty()
                        && matches!(op, core::CALL_VARIADIC | core::CALL_VARIADIC_YIELDABLE) =>
                {
                    lists.push(ctx.u16_list()?)
                }
                Field::List32 => lists.push(ctx.list(Some(Bank::I32))?),
                Field::List64 => lists.push(ctx.list(Some(Bank::I64))?),
                Field::ListRef => lists.push(ctx.list(Some(Bank::Ref))?),
                Field::Cases => {
                    let n = ctx.u16()?;
                    for _ in 0..n {
                        let t = ctx.u32()?;
                        targets.push((start, t));
                        ctx.remap()?;
                    }
                }
            }
        }
        // Signature checks for calls and returns.
        if prefix.is_none() {
            let saved = ctx.pc;
            ctx.pc = start;
            match op {
                core::CALL | core::CALL_YIELDABLE => {
                    let fo = func_attr.unwrap_or(0);
                    if let Some(cc) = callee_cconv(program, fo) {
                        check_against_cconv(&ctx, &lists[0], &cc.args, "call arguments")?;
                        check_against_cconv(&ctx, &lists[1], &cc.results, "call results")?;
                    }
                }
                core::CALL_VARIADIC | core::CALL_VARIADIC_YIELDABLE => {
                    let fo = func_attr.unwrap_or(0);
                    if fo & isa::IMPORT_BIT == 0 {
                        return Err(ctx.err("variadic calls are only supported to imports"));
                    }
                    if let Some(cc) = callee_cconv(program, fo) {
                        check_against_cconv(&ctx, &lists[2], &cc.results, "call results")?;
                    }
                }
                core::RETURN => {
                    if let Some(cc) = &f.cconv {
                        check_against_cconv(&ctx, &lists[0], &cc.results, "return values")?;
                    }
                }
                _ => {}
            }
            ctx.pc = saved;
        }
        last_was_terminator = isa::is_terminator(prefix, op);
    }
    if !last_was_terminator {
        ctx.pc = code.len();
        return Err(ctx.err("function body does not end with a terminator"));
    }
    if f.block_count != 0 && block_starts.len() != f.block_count as usize {
        return Err(iree_err!(
            InvalidArgument,
            "function declares {} blocks but its body has {}",
            f.block_count,
            block_starts.len()
        ));
    }
    for (at, t) in targets {
        if block_starts.binary_search(&(t as usize)).is_err() {
            ctx.pc = at;
            return Err(ctx.err(format!("branch target {t:#x} is not a block start")));
        }
    }
    // Both are within the limits, which are u16 counts.
    Ok(RegisterCounts {
        i32s: ctx.named_i32s.get() as u16,
        refs: ctx.named_refs.get() as u16,
    })
}
