//! The invocation stack (`iree_vm_stack_t`): a chain of frames, each a
//! C-visible `iree_vm_stack_frame_t` followed by `frame_size` bytes of
//! module-private storage.
//!
//! Frames are carved first out of caller-provided storage, then out of
//! extra segments allocated as the stack deepens. Segments never move, so
//! a frame pointer stays valid until its frame is left. The total is capped
//! at [`MAX_SIZE`] bytes; going past it is `RESOURCE_EXHAUSTED`.

use std::ffi::c_void;
use std::fmt::Write as _;

use crate::abi::iree_allocator_t;
use crate::abi::iree_string_view_t;
use crate::base::internal::math::align_up;
use crate::vm::interface::{
    ExecutionResult, FrameCleanupFn, Function, FunctionCall, ModuleTable, StackFrame,
    StateResolver, FRAME_EXTERNAL, LINKAGE_EXPORT,
};
use crate::{iree_bail, iree_ensure, Result};

pub const DEFAULT_SIZE: usize = 8 * 1024;
pub const MIN_SIZE: usize = 1024;
pub const MAX_SIZE: usize = 1024 * 1024;
/// `IREE_VM_INVOCATION_FLAG_TRACE_EXECUTION`.
pub const FLAG_TRACE_EXECUTION: u32 = 1;

const ALIGN: usize = 16;
/// Bytes of a frame header, rounded up to the frame alignment.
const HEADER_BYTES: usize = std::mem::size_of::<StackFrame>().div_ceil(ALIGN) * ALIGN;
const MIN_SEGMENT: usize = 64 * 1024;

struct Segment {
    base: *mut u8,
    size: usize,
    used: usize,
    /// Heap segments own their memory; the first may be caller storage.
    owned: Option<Vec<u128>>,
}

#[derive(Clone, Copy)]
struct FrameRecord {
    frame: *mut StackFrame,
    cleanup: Option<FrameCleanupFn>,
    frame_type: u32,
    // Sizes and offsets are below `MAX_SIZE` (and segment counts far
    // below it), so 32 bits keep the record at 32 bytes.
    segment: u32,
    previous_used: u32,
    bytes: u32,
}

const EMPTY_RECORD: FrameRecord = FrameRecord {
    frame: std::ptr::null_mut(),
    cleanup: None,
    frame_type: 0,
    segment: 0,
    previous_used: 0,
    bytes: 0,
};

/// Frames kept inline before [`FrameList`] spills to the heap: shallow
/// call chains (the common case) never allocate.
const INLINE_FRAMES: usize = 4;

/// The frame records of a stack, innermost last.
struct FrameList {
    inline: [FrameRecord; INLINE_FRAMES],
    spill: Vec<FrameRecord>,
    len: usize,
}

impl FrameList {
    #[inline]
    fn new() -> FrameList {
        FrameList {
            inline: [EMPTY_RECORD; INLINE_FRAMES],
            spill: Vec::new(),
            len: 0,
        }
    }
    fn len(&self) -> usize {
        self.len
    }
    fn is_empty(&self) -> bool {
        self.len == 0
    }
    fn get(&self, i: usize) -> Option<&FrameRecord> {
        if i >= self.len {
            None
        } else if i < INLINE_FRAMES {
            Some(&self.inline[i])
        } else {
            self.spill.get(i - INLINE_FRAMES)
        }
    }
    fn last(&self) -> Option<&FrameRecord> {
        self.len.checked_sub(1).and_then(|i| self.get(i))
    }
    fn push(&mut self, record: FrameRecord) {
        if self.len < INLINE_FRAMES {
            self.inline[self.len] = record;
        } else {
            self.spill.push(record);
        }
        self.len += 1;
    }
    fn pop(&mut self) -> Option<FrameRecord> {
        let i = self.len.checked_sub(1)?;
        self.len = i;
        if i < INLINE_FRAMES {
            Some(self.inline[i])
        } else {
            self.spill.pop()
        }
    }
}

/// One invocation stack.
pub struct Stack {
    flags: u32,
    resolver: StateResolver,
    allocator: iree_allocator_t,
    /// Segment 0: the caller's storage (empty when there is none).
    first: Segment,
    /// Segments 1..: heap segments, in order.
    segments: Vec<Segment>,
    frames: FrameList,
    bytes_in_use: usize,
    /// The last module whose state was resolved, and that state.
    /// The two most recently resolved modules and their states, newest
    /// first (a module calling another's imports alternates between two).
    cached: [(*mut ModuleTable, *mut c_void); 2],
}

impl Stack {
    /// A stack carving frames from `storage` first (may be NULL/empty).
    ///
    /// # Safety
    /// `storage` must be NULL or valid for writes of `len` bytes until the
    /// stack is dropped.
    #[inline]
    pub unsafe fn new(
        storage: *mut u8,
        len: usize,
        flags: u32,
        resolver: StateResolver,
        allocator: iree_allocator_t,
    ) -> Stack {
        let mut first = Segment {
            base: std::ptr::null_mut(),
            size: 0,
            used: 0,
            owned: None,
        };
        if !storage.is_null() {
            let start = storage.align_offset(ALIGN);
            if start < len {
                // SAFETY: `start < len`, inside the caller's storage.
                first.base = unsafe { storage.add(start) };
                first.size = len - start;
            }
        }
        Stack {
            flags,
            resolver,
            allocator,
            first,
            segments: Vec::new(),
            frames: FrameList::new(),
            bytes_in_use: 0,
            cached: [(std::ptr::null_mut(), std::ptr::null_mut()); 2],
        }
    }

    pub fn flags(&self) -> u32 {
        self.flags
    }
    pub fn allocator(&self) -> iree_allocator_t {
        self.allocator
    }
    pub fn depth(&self) -> usize {
        self.frames.len()
    }

    pub fn current_frame(&self) -> Option<*mut StackFrame> {
        self.frames.last().map(|f| f.frame)
    }

    pub fn parent_frame(&self) -> Option<*mut StackFrame> {
        let n = self.frames.len();
        n.checked_sub(2)
            .and_then(|i| self.frames.get(i))
            .map(|f| f.frame)
    }

    /// The type of the top frame.
    pub fn current_frame_type(&self) -> Option<u32> {
        self.frames.last().map(|f| f.frame_type)
    }

    /// Puts a state the caller already knows `module` has in this context
    /// at the front of the lookup cache, so the next query for it needs no
    /// resolver call.
    pub fn remember_module_state(&mut self, module: *mut ModuleTable, state: *mut c_void) {
        if module.is_null() || self.cached[0].0 == module {
            return;
        }
        self.cached = [(module, state), self.cached[0]];
    }

    /// Resolves the state a module has in this stack's context, caching the
    /// most recent answers (entering the same modules repeatedly is common).
    // `module` is only an identity handed to the resolver, never dereferenced.
    #[allow(clippy::not_unsafe_ptr_arg_deref)]
    pub fn query_module_state(&mut self, module: *mut ModuleTable) -> Result<*mut c_void> {
        if !module.is_null() {
            if module == self.cached[0].0 {
                return Ok(self.cached[0].1);
            }
            if module == self.cached[1].0 {
                self.cached.swap(0, 1);
                return Ok(self.cached[0].1);
            }
        }
        let state = match crate::vm::context::resolve_state_directly(&self.resolver, module) {
            Some(resolved) => resolved?,
            None => self.query_resolver(module)?,
        };
        self.cached = [(module, state), self.cached[0]];
        Ok(state)
    }

    /// Asks a resolver supplied from C.
    fn query_resolver(&mut self, module: *mut ModuleTable) -> Result<*mut c_void> {
        let Some(query) = self.resolver.query_module_state else {
            iree_bail!(FailedPrecondition, "stack has no state resolver");
        };
        let mut state: *mut c_void = std::ptr::null_mut();
        // SAFETY: the resolver is the caller-supplied callback pair.
        let status = unsafe { query(self.resolver.self_, module, &mut state) };
        // SAFETY: the resolver returns statuses of this library.
        unsafe { status.into_result() }?;
        Ok(state)
    }

    /// Segment `index`: 0 is the caller storage, then the heap segments.
    fn segment_mut(&mut self, index: usize) -> &mut Segment {
        match index.checked_sub(1) {
            None => &mut self.first,
            Some(i) => &mut self.segments[i],
        }
    }

    fn carve(&mut self, bytes: usize) -> Result<(usize, usize, *mut u8)> {
        if self.bytes_in_use + bytes > MAX_SIZE {
            iree_bail!(
                ResourceExhausted,
                "VM stack exhausted: {} bytes in use, {} more requested (max {})",
                self.bytes_in_use,
                bytes,
                MAX_SIZE
            );
        }
        let fits = |s: &Segment| s.size - s.used >= bytes;
        let last = self.segments.last().unwrap_or(&self.first);
        let index = if fits(last) {
            self.segments.len()
        } else {
            // Unused trailing heap segments are too small: replace them.
            while self
                .segments
                .last()
                .is_some_and(|s| s.used == 0 && s.owned.is_some())
            {
                self.segments.pop();
            }
            let size = bytes.max(MIN_SEGMENT);
            let mut memory = vec![0u128; size.div_ceil(16)];
            let base = memory.as_mut_ptr() as *mut u8;
            self.segments.push(Segment {
                base,
                size,
                used: 0,
                owned: Some(memory),
            });
            self.segments.len()
        };
        let segment = self.segment_mut(index);
        let previous_used = segment.used;
        // SAFETY: `used + bytes <= size`, inside the segment.
        let ptr = unsafe { segment.base.add(segment.used) };
        segment.used += bytes;
        self.bytes_in_use += bytes;
        Ok((index, previous_used, ptr))
    }

    /// Pushes a frame for `function` with `frame_size` bytes of storage
    /// (zeroed) and returns it. Non-external frames get their module state.
    pub fn function_enter(
        &mut self,
        function: &Function,
        frame_type: u32,
        frame_size: usize,
        cleanup: Option<FrameCleanupFn>,
    ) -> Result<*mut StackFrame> {
        let module_state = if frame_type != FRAME_EXTERNAL && !function.module.is_null() {
            self.query_module_state(function.module)?
        } else {
            std::ptr::null_mut()
        };
        let bytes = HEADER_BYTES
            .checked_add(align_up(frame_size, ALIGN))
            .ok_or_else(|| crate::iree_err!(ResourceExhausted, "frame too large"))?;
        let (segment, previous_used, ptr) = self.carve(bytes)?;
        let depth = self.frames.len() as i32;
        let frame = ptr as *mut StackFrame;
        // SAFETY: `ptr` is 16-byte aligned with `bytes` writable bytes
        // (`HEADER_BYTES` of them for the header, the rest the storage).
        unsafe {
            // Zeroed in two parts so the fixed-size header clears inline.
            std::ptr::write_bytes(ptr, 0, HEADER_BYTES);
            if bytes > HEADER_BYTES {
                std::ptr::write_bytes(ptr.add(HEADER_BYTES), 0, bytes - HEADER_BYTES);
            }
            frame.write(StackFrame {
                function: *function,
                module_state,
                pc: 0,
                depth,
            });
        }
        self.frames.push(FrameRecord {
            frame,
            cleanup,
            frame_type,
            segment: segment as u32,
            previous_used: previous_used as u32,
            bytes: bytes as u32,
        });
        Ok(frame)
    }

    /// Pops the top frame, running its cleanup callback.
    pub fn function_leave(&mut self) -> Result<()> {
        let Some(record) = self.frames.pop() else {
            iree_bail!(FailedPrecondition, "unbalanced stack leave: no frames");
        };
        if let Some(cleanup) = record.cleanup {
            // SAFETY: the frame is still carved; the callback was supplied
            // with it by the module that entered it.
            unsafe { cleanup(record.frame) };
        }
        self.segment_mut(record.segment as usize).used = record.previous_used as usize;
        self.bytes_in_use -= record.bytes as usize;
        Ok(())
    }

    /// The raw pointer handed to C as `iree_vm_stack_t*`.
    pub fn as_raw(&mut self) -> *mut c_void {
        self as *mut Stack as *mut c_void
    }

    /// Calls `call.function` through its module's `begin_call` entry.
    pub fn call(&mut self, call: &FunctionCall) -> Result<()> {
        let module = call.function.module;
        iree_ensure!(
            !module.is_null(),
            InvalidArgument,
            "call to a null function"
        );
        // SAFETY: function handles name live modules (API contract).
        let table = unsafe { &*module };
        if let Some(done) = crate::vm::module::call_exported_directly(self, table, call) {
            return done;
        }
        let Some(begin_call) = table.begin_call else {
            iree_bail!(Unimplemented, "module does not implement begin_call");
        };
        let mut result = ExecutionResult::default();
        // SAFETY: calling the module's own entry point with its `self`.
        let status = unsafe { begin_call(table.self_, self.as_raw(), call, &mut result) };
        // SAFETY: modules return statuses of this library.
        unsafe { status.into_result() }
    }

    /// One line per frame, innermost first: `[i] module.function`.
    pub fn format_backtrace(&self) -> String {
        let mut out = String::new();
        let records = (0..self.frames.len())
            .rev()
            .filter_map(|i| self.frames.get(i));
        for (i, record) in records.enumerate() {
            // SAFETY: carved frames stay valid while recorded.
            let frame = unsafe { &*record.frame };
            let _ = write!(out, "\n[{i:>2}] ");
            if record.frame_type == FRAME_EXTERNAL || frame.function.module.is_null() {
                out.push_str("<external>");
                continue;
            }
            let (module_name, function_name) = describe(&frame.function);
            let _ = write!(out, "{module_name}.{function_name}");
            if frame.pc != 0 {
                let _ = write!(out, "@{}", frame.pc);
            }
        }
        out
    }
}

/// Best-effort names of a function for diagnostics.
fn describe(function: &Function) -> (String, String) {
    // SAFETY: frames hold live module handles (API contract).
    let table = unsafe { &*function.module };
    // SAFETY: calling the module's own entry points with its `self`; modules
    // return views valid for their lifetime.
    let module_name = table
        .name
        .map(|f| unsafe { f(table.self_).to_string_lossy() });
    let mut function_name = None;
    if let Some(get) = table.get_function {
        let mut out_fn = Function::NULL;
        let mut name = iree_string_view_t::EMPTY;
        // SAFETY: as above; out-pointers are valid locals.
        let status = unsafe {
            get(
                table.self_,
                function.linkage as u32,
                function.ordinal as usize,
                &mut out_fn,
                &mut name,
                std::ptr::null_mut(),
            )
        };
        // SAFETY: module statuses come from this library.
        if unsafe { status.into_result() }.is_ok() {
            // SAFETY: as for the module name.
            function_name = Some(unsafe { name.to_string_lossy() });
        }
    }
    let _ = LINKAGE_EXPORT;
    (
        module_name.unwrap_or_else(|| "<module>".into()),
        function_name.unwrap_or_else(|| format!("<function {}>", function.ordinal)),
    )
}

impl Drop for Stack {
    fn drop(&mut self) {
        while !self.frames.is_empty() {
            let _ = self.function_leave();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::abi::iree_status_t;

    unsafe extern "C" fn resolver(
        _: *mut c_void,
        m: *mut ModuleTable,
        out: *mut *mut c_void,
    ) -> iree_status_t {
        // SAFETY: out is valid (stack contract).
        unsafe { *out = (m as usize + 100) as *mut c_void };
        iree_status_t::OK
    }

    #[test]
    fn frames_and_overflow() {
        let mut storage = [0u8; 2048];
        let r = StateResolver {
            self_: std::ptr::null_mut(),
            query_module_state: Some(resolver),
        };
        // SAFETY: storage outlives the stack.
        let mut stack = unsafe {
            Stack::new(
                storage.as_mut_ptr(),
                storage.len(),
                0,
                r,
                iree_allocator_t::null(),
            )
        };
        let f = Function {
            // Never dereferenced: the resolver above adds 100 to it.
            module: std::ptr::without_provenance_mut::<ModuleTable>(1),
            linkage: 0,
            ordinal: 3,
        };
        let a = stack.function_enter(&f, 1, 10, None).unwrap();
        // SAFETY: the frame is live.
        assert_eq!(unsafe { (*a).module_state } as usize, 101);
        let mut n = 1;
        loop {
            match stack.function_enter(&f, 1, 100, None) {
                Ok(_) => n += 1,
                Err(e) => {
                    assert_eq!(e.code(), crate::StatusCode::ResourceExhausted);
                    break;
                }
            }
        }
        assert!(n > 1000);
        assert_eq!(stack.depth(), n);
        for _ in 0..n {
            stack.function_leave().unwrap();
        }
        assert!(stack.function_leave().is_err());
    }
}
