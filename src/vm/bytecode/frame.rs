//! Call frames and the register file of a bytecode invocation.
//!
//! All frames of one invocation share two growable arrays (32-bit words and
//! refs); a frame owns a window of each. Vectors are only grown, never
//! shrunk, so steady-state calls allocate nothing.

/// A value crossing a call boundary (arguments/results of imports and of
/// the entry function). 32-bit floats travel as their bits in `I32`, like
/// the registers that hold them; the same for f64 in `I64`.
#[derive(Clone, Debug, PartialEq)]
pub enum RegisterValue<R> {
    I32(i32),
    I64(i64),
    Ref(R),
}

impl<R> RegisterValue<R> {
    pub fn i32(&self) -> Option<i32> {
        match self {
            RegisterValue::I32(v) => Some(*v),
            _ => None,
        }
    }
    pub fn i64(&self) -> Option<i64> {
        match self {
            RegisterValue::I64(v) => Some(*v),
            _ => None,
        }
    }
}

/// Words of 32-bit register storage reserved from each frame's base: every
/// `u16` ordinal plus the high half of a 64-bit pair, so register operands
/// index a frame's window without bounds checks.
pub const REGISTER_WINDOW: usize = u16::MAX as usize + 2;

/// [`Frame::resume_ip`] and [`Frame::results_list`] when not set.
pub const UNSET: u32 = u32::MAX;

/// One active bytecode function.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    /// Internal function ordinal.
    pub function: u32,
    /// Offset within the function's bytecode of the next instruction to run
    /// (for a caller: where execution continues after the callee returns).
    pub pc: usize,
    /// Offset of the caller-side results list the callee's return fills
    /// (only meaningful while this frame has a callee).
    pub results_pc: usize,
    /// First word of this frame's 32-bit register window.
    pub i32_base: usize,
    pub i32_count: usize,
    /// First slot of this frame's ref register window.
    pub ref_base: usize,
    pub ref_count: usize,
    /// Translated instruction to continue at: set by a call made from
    /// translated code (where to resume when the callee returns), and by
    /// the dispatch loop when it hands the frame back to the frames loop
    /// after an import call or a byte-decoded instruction; the frames loop
    /// takes it ([`UNSET`] otherwise).
    pub resume_ip: u32,
    /// Where the callee's results go: an entry of the caller's translated
    /// register lists ([`UNSET`] when only `results_pc` describes it).
    pub results_list: u32,
}

/// The frames and register storage of one invocation (not the VM API's
/// [`crate::vm::stack::Stack`], which holds an invocation of any module).
pub struct FrameStack<R> {
    pub frames: Vec<Frame>,
    pub i32s: Vec<u32>,
    pub refs: Vec<R>,
    /// Deepest allowed frame count; exceeding it is RESOURCE_EXHAUSTED.
    pub max_depth: usize,
}

impl<R: Default> Default for FrameStack<R> {
    fn default() -> Self {
        FrameStack {
            frames: Vec::new(),
            i32s: Vec::new(),
            refs: Vec::new(),
            max_depth: 4096,
        }
    }
}

impl<R: Default> FrameStack<R> {
    /// Pushes a frame with zeroed i32 registers and null refs.
    pub fn push(&mut self, function: u32, i32_count: usize, ref_count: usize) -> crate::Result<()> {
        if self.frames.len() >= self.max_depth {
            crate::iree_bail!(
                ResourceExhausted,
                "VM stack overflow ({} frames)",
                self.frames.len()
            );
        }
        let (i32_base, ref_base) = match self.frames.last() {
            Some(f) => (f.i32_base + f.i32_count, f.ref_base + f.ref_count),
            None => (0, 0),
        };
        // Round i32 windows to an even base so 64-bit pairs stay aligned the
        // way the C runtime aligns them (not needed for correctness here).
        let i32_base = (i32_base + 1) & !1;
        let need = i32_base + i32_count.max(REGISTER_WINDOW);
        if self.i32s.len() < need {
            self.i32s.resize(need, 0);
        }
        self.i32s[i32_base..i32_base + i32_count].fill(0);
        let need_refs = ref_base + ref_count;
        if self.refs.len() < need_refs {
            self.refs.resize_with(need_refs, R::default);
        }
        self.frames.push(Frame {
            function,
            pc: 0,
            results_pc: 0,
            i32_base,
            i32_count,
            ref_base,
            ref_count,
            resume_ip: UNSET,
            results_list: UNSET,
        });
        Ok(())
    }

    /// Pops the top frame, releasing every ref it still holds.
    pub fn pop(&mut self) {
        if let Some(f) = self.frames.pop() {
            for r in &mut self.refs[f.ref_base..f.ref_base + f.ref_count] {
                *r = R::default();
            }
        }
    }

    /// Drops all frames (and their refs).
    pub fn clear(&mut self) {
        while !self.frames.is_empty() {
            self.pop();
        }
    }
}
