//! A loaded VMVX executable: its bytecode module, and dispatch, which
//! calls an entry point once per workgroup.
//!
//! Entry points take `(local_memory, constants, bindings, workgroup id
//! x/y/z, workgroup size x/y/z, workgroup count x/y/z)` (calling convention
//! `0rrriiiiiiiii_v`). The bindings are `vm.buffer`s viewing the HAL
//! buffers' memory in place. Each thread running a dispatch takes a worker
//! (a VM context of its own, a stack and local memory) from the
//! executable's pool and returns it after. Contexts are not shared between
//! threads because a call mutates its modules' states (the bytecode
//! module keeps reusable call storage there). One packed argument block is reused for every workgroup, so a
//! warm dispatch allocates only its binding list and buffer headers, never
//! per workgroup. Multi-threaded devices split a dispatch's workgroups
//! over their threads ([`ExecutableCode::dispatch_tiles`]).
//!
//! A module that keeps a view of a dispatch buffer past the dispatch (in
//! a global, say) could later reach memory that is gone: that dispatch
//! fails and the executable is poisoned, so every later dispatch of it
//! fails too instead of running the module again.

use std::ops::Range;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use crate::abi::{iree_allocator_t, iree_byte_span_t};
use crate::hal::command_buffer::ResolvedRange;
use crate::hal::executable::ExecutableParams;
use crate::hal::local::{ExecutableCode, TileWorker};
use crate::modules::hal::selection::held_module;
use crate::modules::vmvx::module::vmvx_module;
use crate::vm::buffer::{
    self as vm_buffer, Buffer as VmBuffer, ACCESS_MUTABLE, ACCESS_ORIGIN_HOST,
};
use crate::vm::bytecode::module::BytecodeModule;
use crate::vm::cconv::{self, Arg, REF_SIZE};
use crate::vm::context::Context;
use crate::vm::instance::Instance;
use crate::vm::interface::{Function, FunctionCall};
use crate::vm::invocation::invoke;
use crate::vm::list::List;
use crate::vm::module::{CModule, Linkage, Module};
use crate::vm::r#ref::Ref;
use crate::vm::stack::Stack;
use crate::vm::value::TypeDef;
use crate::{iree_bail, iree_ensure, iree_err, Result};

/// The calling convention every entry point must have.
pub const ENTRY_CCONV: &str = "0rrriiiiiiiii_v";
/// The optional export that receives the executable-level constants.
const SET_CONSTANTS: &str = "__set_constants";
/// Argument fragment of [`ENTRY_CCONV`] (3 refs, then 9 i32s).
const ENTRY_ARGS: &[u8] = b"rrriiiiiiiii";
const REF_ARGS: usize = 3;
const ENTRY_ARG_BYTES: usize = REF_ARGS * REF_SIZE + 9 * 4;
/// Most bindings and constants a dispatch may have (the CPU ABI's limits).
const MAX_BINDINGS: usize = 64;
const MAX_CONSTANTS: usize = 64;
/// Largest local memory an entry point may ask for (64 KiB pages, as the
/// CPU ABI's u16 page count allows).
const MAX_LOCAL_MEMORY: usize = 0xFFFF * 4096;

/// What the executable knows of one entry point.
#[derive(Debug)]
struct EntryPoint {
    name: String,
    function: Function,
    /// From the `binding_count` / `constant_count` reflection attributes
    /// (0 when absent, as the compiler leaves them out for none).
    binding_count: usize,
    constant_count: usize,
    local_memory_size: usize,
}

/// What one thread needs to run workgroups: a VM context (module states),
/// a stack over it and local memory.
struct Worker {
    /// Declared before `context` so the stack goes first.
    stack: Stack,
    /// Zeroed before each dispatch; `u128`s for 16-byte alignment.
    local_memory: Vec<u128>,
    /// Only kept alive here: the stack reaches it through its resolver.
    _context: Arc<Context>,
}

// SAFETY: the stack's raw pointers are its own heap segments and the
// resolver of the worker's own context, which the worker drops after the
// stack; a worker and its context are used by one thread at a time (taken
// out of the pool for a dispatch).
unsafe impl Send for Worker {}

/// A loaded VMVX executable (see the module documentation).
pub struct VmvxExecutable {
    name: String,
    entry_points: Vec<EntryPoint>,
    /// Idle workers.
    workers: Mutex<Vec<Worker>>,
    /// Why the executable may no longer run, once a dispatch found a
    /// buffer view kept past it.
    poisoned: OnceLock<String>,
    /// How each worker's context is made.
    contexts: ContextRecipe,
}

/// What a worker's context is made of.
struct ContextRecipe {
    instance: Arc<Instance>,
    module: CModule,
    imports_vmvx: bool,
    /// `__set_constants`, called on each new context with `constants`.
    set_constants: Option<Function>,
    /// The executable-level constants; kept because the buffer each
    /// context's `__set_constants` saw views them.
    constants: Vec<u32>,
    name: String,
}

impl ContextRecipe {
    fn make(&self) -> Result<Arc<Context>> {
        let allocator = iree_allocator_t::system();
        let context = Arc::new(Context::new(Arc::clone(&self.instance), 0, allocator));
        let mut modules = Vec::new();
        if self.imports_vmvx {
            modules.push(vmvx_module()?);
        }
        modules.push(self.module.clone());
        context.register_modules(&modules).map_err(|e| {
            e.annotate(format!(
                "resolving the imports of executable '{}'",
                self.name
            ))
        })?;
        if let Some(function) = self.set_constants {
            // SAFETY: `constants` lives in the executable, beyond every
            // context whose state could keep the buffer; read-only.
            let buffer = unsafe {
                view(
                    ACCESS_ORIGIN_HOST,
                    self.constants.as_ptr().cast_mut().cast(),
                    self.constants.len() * 4,
                )
            }?;
            let inputs = List::create(None, 1, allocator)?;
            let list = List::from_ref(&inputs)?;
            list.push_ref(buffer)?;
            invoke(&context, function, 0, Some(list), None, allocator).map_err(|e| {
                e.annotate(format!(
                    "setting the constants of executable '{}'",
                    self.name
                ))
            })?;
        }
        Ok(context)
    }
}

impl std::fmt::Debug for VmvxExecutable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VmvxExecutable")
            .field("name", &self.name)
            .field("entry_points", &self.entry_points)
            .finish_non_exhaustive()
    }
}

/// A reflection attribute of export `ordinal` parsed as a count.
fn count_attr(module: &BytecodeModule, ordinal: usize, key: &str) -> Result<Option<usize>> {
    for index in 0.. {
        let Ok((k, v)) = module.reflection_attr(Linkage::Export, ordinal, index) else {
            return Ok(None);
        };
        if k == key {
            return v.trim().parse::<usize>().map(Some).map_err(|_| {
                iree_err!(
                    InvalidArgument,
                    "reflection attribute '{key}' of export {ordinal} is '{v}', not a count"
                )
            });
        }
    }
    Ok(None)
}

/// A `vm.buffer` viewing `len` bytes at `ptr` without owning them.
///
/// # Safety
/// The memory must stay valid (and writable, if `access` says mutable)
/// until the last reference to the buffer goes away.
unsafe fn view(access: u32, ptr: *mut u8, len: usize) -> Result<Ref> {
    let span = iree_byte_span_t {
        data: if len == 0 { std::ptr::null_mut() } else { ptr },
        data_length: len,
    };
    // SAFETY: forwarded contract.
    unsafe { VmBuffer::wrap(access, span) }
}

/// The host address and length of a resolved binding, checked against its
/// allocation.
fn binding_span(binding: &ResolvedRange) -> Result<(*mut u8, usize)> {
    let storage = binding.buffer.storage();
    let start = binding
        .buffer
        .byte_offset()
        .checked_add(binding.offset)
        .and_then(|start| usize::try_from(start).ok());
    let length = usize::try_from(binding.length).ok();
    match (start, length) {
        (Some(start), Some(length))
            if start
                .checked_add(length)
                .is_some_and(|end| end <= storage.len()) =>
        {
            Ok((storage.as_ptr().wrapping_add(start), length))
        }
        _ => iree_bail!(
            OutOfRange,
            "binding range (offset={}, length={}) lies outside its {}-byte allocation",
            binding.offset,
            binding.length,
            storage.len()
        ),
    }
}

impl Worker {
    fn new(context: Arc<Context>, local_memory_size: usize) -> Worker {
        // SAFETY: no caller storage (heap segments only); the resolver's
        // context outlives the stack (see `Worker`).
        let stack = unsafe {
            Stack::new(
                std::ptr::null_mut(),
                0,
                0,
                context.state_resolver(),
                iree_allocator_t::system(),
            )
        };
        Worker {
            stack,
            local_memory: vec![0; local_memory_size.div_ceil(16)],
            _context: context,
        }
    }
}

impl VmvxExecutable {
    /// Loads `params.executable_data` as a bytecode module and makes its
    /// context (with the `vmvx` module, for executables that import it).
    pub fn load(instance: Arc<Instance>, params: &ExecutableParams<'_>) -> Result<VmvxExecutable> {
        iree_ensure!(
            !params.executable_data.is_empty(),
            InvalidArgument,
            "the executable data is empty"
        );
        let module = BytecodeModule::load(Arc::new(params.executable_data.to_vec()))?;
        let name = module.name().to_owned();
        let signature = module.signature();
        let imports_vmvx = (0..signature.import_function_count).any(|i| {
            module
                .function(Linkage::Import, i)
                .is_ok_and(|f| f.name.starts_with("vmvx."))
        });
        let mut entries = Vec::new();
        let mut set_constants = None;
        for ordinal in 0..signature.export_function_count {
            let info = module.function(Linkage::Export, ordinal)?;
            if info.name == SET_CONSTANTS {
                set_constants = Some(ordinal);
                continue;
            }
            if info.calling_convention != ENTRY_CCONV {
                iree_bail!(
                    InvalidArgument,
                    "entry point '{}' of executable '{name}' has calling convention '{}', not the VMVX '{ENTRY_CCONV}'",
                    info.name,
                    info.calling_convention
                );
            }
            let local_memory_size = count_attr(&module, ordinal, "local_memory")?.unwrap_or(0);
            iree_ensure!(
                local_memory_size <= MAX_LOCAL_MEMORY,
                OutOfRange,
                "entry point '{}' asks for {local_memory_size} bytes of local memory (at most {MAX_LOCAL_MEMORY})",
                info.name
            );
            entries.push((
                ordinal,
                info.name.to_owned(),
                count_attr(&module, ordinal, "binding_count")?.unwrap_or(0),
                count_attr(&module, ordinal, "constant_count")?.unwrap_or(0),
                local_memory_size,
            ));
        }
        let module = held_module(Box::new(module))?;
        let mut entry_points = Vec::with_capacity(entries.len());
        let mut max_local_memory = 0;
        for (ordinal, entry_name, binding_count, constant_count, local_memory_size) in entries {
            let (function, _, _) = module.get_function_raw(Linkage::Export.raw(), ordinal)?;
            max_local_memory = usize::max(max_local_memory, local_memory_size);
            entry_points.push(EntryPoint {
                name: entry_name,
                function,
                binding_count,
                constant_count,
                local_memory_size,
            });
        }
        let constants = params.constants.to_vec();
        let set_constants = match set_constants {
            Some(ordinal) => {
                iree_ensure!(
                    !constants.is_empty(),
                    InvalidArgument,
                    "executable '{name}' needs executable-level constants but none were given"
                );
                Some(module.get_function_raw(Linkage::Export.raw(), ordinal)?.0)
            }
            None => {
                iree_ensure!(
                    constants.is_empty(),
                    InvalidArgument,
                    "executable '{name}' takes no executable-level constants but {} were given",
                    constants.len()
                );
                None
            }
        };
        let contexts = ContextRecipe {
            instance,
            module,
            imports_vmvx,
            set_constants,
            constants,
            name: name.clone(),
        };
        // The first worker's context is made now, so a module whose imports
        // do not resolve fails to load.
        let worker = Worker::new(contexts.make()?, max_local_memory);
        Ok(VmvxExecutable {
            name,
            entry_points,
            workers: Mutex::new(vec![worker]),
            poisoned: OnceLock::new(),
            contexts,
        })
    }

    fn entry_point(&self, ordinal: u32) -> Result<&EntryPoint> {
        self.entry_points.get(ordinal as usize).ok_or_else(|| {
            iree_err!(
                OutOfRange,
                "entry point ordinal {ordinal} is out of range; VMVX executable '{}' has {} entry points",
                self.name,
                self.entry_points.len()
            )
        })
    }

    /// Checks the dispatch's counts against what the entry point declares.
    fn check_counts(
        &self,
        entry: &EntryPoint,
        constants: &[u32],
        bindings: &[ResolvedRange],
    ) -> Result<()> {
        let check = |what: &str, declared: usize, given: usize, max: usize| {
            if declared != given {
                iree_bail!(
                    InvalidArgument,
                    "entry point '{}' of VMVX executable '{}' takes {declared} {what} but the dispatch gives {given}",
                    entry.name,
                    self.name
                );
            }
            iree_ensure!(
                given <= max,
                OutOfRange,
                "a dispatch of '{}' gives {given} {what} (at most {max})",
                entry.name
            );
            Ok(())
        };
        check(
            "bindings",
            entry.binding_count,
            bindings.len(),
            MAX_BINDINGS,
        )?;
        check(
            "constants",
            entry.constant_count,
            constants.len(),
            MAX_CONSTANTS,
        )
    }

    /// Runs the workgroups `next_tile` hands out (linear indices, x
    /// fastest) with `worker`'s stack.
    fn run_workgroups(
        &self,
        entry: &EntryPoint,
        worker: &mut Worker,
        refs: [Ref; REF_ARGS],
        workgroup_count: [u32; 3],
        next_tile: &mut dyn FnMut() -> Option<Range<u64>>,
    ) -> Result<()> {
        let mut arguments = [0u8; ENTRY_ARG_BYTES];
        let mut at = 0;
        for r in refs {
            cconv::write_at(&mut arguments, &mut at, b'r', Arg::Ref(r))?;
        }
        let ids_at = at;
        let put = |arguments: &mut [u8], index: usize, value: u32| {
            let offset = ids_at + index * 4;
            arguments[offset..offset + 4].copy_from_slice(&value.to_le_bytes());
        };
        // Workgroup size 1 (as the CPU devices dispatch), then the counts.
        for (axis, &count) in workgroup_count.iter().enumerate() {
            put(&mut arguments, 3 + axis, 1);
            put(&mut arguments, 6 + axis, count);
        }
        let (count_x, count_y) = (u64::from(workgroup_count[0]), u64::from(workgroup_count[1]));
        let mut result = Ok(());
        'all: while let Some(tile) = next_tile() {
            for index in tile {
                // Each id is below its u32 count.
                let id = [
                    (index % count_x) as u32,
                    (index / count_x % count_y) as u32,
                    (index / (count_x * count_y)) as u32,
                ];
                for (axis, &value) in id.iter().enumerate() {
                    put(&mut arguments, axis, value);
                }
                let call = FunctionCall {
                    function: entry.function,
                    arguments: iree_byte_span_t {
                        data: arguments.as_mut_ptr(),
                        data_length: arguments.len(),
                    },
                    results: iree_byte_span_t::EMPTY,
                };
                if let Err(e) = worker.stack.call(&call) {
                    result = Err(e.annotate(format!(
                        "workgroup ({}, {}, {}) of entry point '{}' of VMVX executable '{}'",
                        id[0], id[1], id[2], entry.name, self.name
                    )));
                    break 'all;
                }
            }
        }
        cconv::release_refs(ENTRY_ARGS, &mut arguments);
        result
    }

    /// An idle worker, or a new one (with a new context) when every
    /// worker is busy on another thread.
    fn take_worker(&self) -> Result<Worker> {
        let idle = self
            .workers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        match idle {
            Some(worker) => Ok(worker),
            None => Ok(Worker::new(self.contexts.make()?, 0)),
        }
    }

    fn return_worker(&self, worker: Worker) {
        self.workers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(worker);
    }

    /// One thread's part of a dispatch: the workgroups `next_tile` hands
    /// out, with views of the bindings made for this thread.
    fn run(
        &self,
        ordinal: u32,
        workgroup_count: [u32; 3],
        constants: &[u32],
        bindings: &[ResolvedRange],
        next_tile: &mut dyn FnMut() -> Option<Range<u64>>,
    ) -> Result<()> {
        if let Some(why) = self.poisoned.get() {
            iree_bail!(
                FailedPrecondition,
                "VMVX executable '{}' is poisoned and runs no more dispatches: {why}",
                self.name
            );
        }
        let entry = self.entry_point(ordinal)?;
        self.check_counts(entry, constants, bindings)?;
        if workgroup_count.contains(&0) {
            return Ok(());
        }
        let allocator = iree_allocator_t::system();
        let binding_list = List::create(
            Some(TypeDef::of_ref(vm_buffer::register_type()?)),
            bindings.len(),
            allocator,
        )?;
        let list = List::from_ref(&binding_list)?;
        let mut views = Vec::with_capacity(bindings.len() + 2);
        for (index, binding) in bindings.iter().enumerate() {
            let (ptr, len) = binding_span(binding).map_err(|e| {
                e.annotate(format!(
                    "binding {index} of entry point '{}' of VMVX executable '{}'",
                    entry.name, self.name
                ))
            })?;
            // SAFETY: the resolved range holds its buffer for the whole
            // dispatch, and the range lies inside the allocation; a view
            // kept past the dispatch poisons the executable (below), so
            // the module never runs again to reach it.
            let buffer = unsafe { view(ACCESS_MUTABLE | ACCESS_ORIGIN_HOST, ptr, len) }?;
            views.push(buffer.clone());
            list.push_ref(buffer)?;
        }
        // SAFETY: `constants` outlives the dispatch; read-only.
        let constants_buffer = unsafe {
            view(
                ACCESS_ORIGIN_HOST,
                constants.as_ptr().cast_mut().cast(),
                std::mem::size_of_val(constants),
            )
        }?;
        let mut worker = self.take_worker()?;
        let words = entry.local_memory_size.div_ceil(16);
        if worker.local_memory.len() < words {
            worker.local_memory.resize(words, 0);
        }
        let local_memory = &mut worker.local_memory[..words];
        local_memory.fill(0);
        // SAFETY: the worker's memory, owned by this thread for the whole
        // dispatch and not touched by Rust while the view is in use; the
        // worker lives as long as the executable.
        let local_memory_buffer = unsafe {
            view(
                ACCESS_MUTABLE | ACCESS_ORIGIN_HOST,
                local_memory.as_mut_ptr().cast(),
                entry.local_memory_size,
            )
        };
        let local_memory_buffer = match local_memory_buffer {
            Ok(buffer) => buffer,
            Err(e) => {
                self.return_worker(worker);
                return Err(e);
            }
        };
        views.push(constants_buffer.clone());
        views.push(local_memory_buffer.clone());
        let result = self.run_workgroups(
            entry,
            &mut worker,
            [local_memory_buffer, constants_buffer, binding_list.clone()],
            workgroup_count,
            next_tile,
        );
        list.clear();
        drop(binding_list);
        self.return_worker(worker);
        let kept = views
            .iter()
            .any(|view| VmBuffer::from_ref(view).is_ok_and(|buffer| buffer.ref_count() > 1));
        if kept {
            let why = format!(
                "entry point '{}' kept a reference to a dispatch buffer beyond its dispatch",
                entry.name
            );
            let _ = self.poisoned.set(why.clone());
            result?;
            iree_bail!(
                FailedPrecondition,
                "{why} (VMVX executable '{}' is now poisoned)",
                self.name
            );
        }
        result
    }
}

impl ExecutableCode for VmvxExecutable {
    fn name(&self) -> &str {
        &self.name
    }

    fn export_names(&self) -> Vec<String> {
        self.entry_points.iter().map(|e| e.name.clone()).collect()
    }

    fn supports_tiles(&self) -> bool {
        true
    }

    fn dispatch_tiles(
        &self,
        ordinal: u32,
        workgroup_count: [u32; 3],
        constants: &[u32],
        bindings: &[ResolvedRange],
        worker: &mut TileWorker<'_>,
    ) -> Result<()> {
        self.run(
            ordinal,
            workgroup_count,
            constants,
            bindings,
            worker.next_tile,
        )
    }
}
