//! The module interface, in Rust and in C.
//!
//! Every module the VM runs (native modules declared in C, the bytecode
//! module, modules written in Rust) is reachable two ways:
//!
//! * through the C table [`ModuleTable`] (`iree_vm_module_t`), which is the
//!   module's identity: function handles, contexts and stacks all refer to
//!   modules by their table pointer, and `begin_call` is always invoked as
//!   `table.begin_call(table.self, stack, call, result)`;
//! * through the safe Rust trait [`Module`].
//!
//! [`export_module`] (adapter a) wraps any `Module` in a heap table whose
//! `self` is the table itself, so C callers that pass `module` as `self`
//! (as C native-module code does) work. [`CModule`] (adapter b) holds a
//! reference to any C table and implements `Module` by calling through it.
//!
//! # Implementing `Module`
//! * `name`, `signature`, `function` and `lookup_function` describe the
//!   module; `function(linkage, ordinal)` returns the function's name (full
//!   `module.function` name for imports) and calling convention such as
//!   `0iI_r` (see [`crate::vm::cconv`]).
//! * `alloc_state` creates the per-context state; the VM keeps it and hands
//!   it back to `resolve_import`, `notify` and `begin_call`.
//! * `resolve_import(state, ordinal, function, cconv)` is called once per
//!   import the context could resolve (optional imports it could not find
//!   are skipped); store the handle and call it later with
//!   [`Stack::call`].
//! * `begin_call(stack, state, call)` runs an export or internal function:
//!   `call.arguments` holds the packed arguments and `call.results` has room
//!   for the packed results, both laid out by the function's cconv (unpack
//!   and pack them with [`crate::vm::cconv`]). Ref arguments are borrowed;
//!   ref results are owned by the caller. Push a frame with
//!   [`Stack::function_enter`] if the module wants to appear in backtraces.

use std::any::Any;
use std::ffi::c_void;
use std::sync::atomic::Ordering;

use crate::abi::boundary::{ffi_boundary, null_argument};
use crate::abi::iree_status_t;
use crate::abi::iree_string_view_t;
use crate::abi::{iree_allocator_t, iree_byte_span_t};
use crate::vm::bytecode::frame::RegisterValue;
use crate::vm::interface::{
    ExecutionResult, Function, FunctionCall, FunctionSignature, ModuleSignature, ModuleTable,
    SourceLocation, StackFrame, LINKAGE_EXPORT, LINKAGE_IMPORT, LINKAGE_IMPORT_OPTIONAL,
    LINKAGE_INTERNAL,
};
use crate::vm::r#ref::Ref;
use crate::vm::stack::Stack;
use crate::{iree_bail, iree_err, Result};

/// Function linkage (`iree_vm_function_linkage_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Linkage {
    Internal,
    Import,
    Export,
    ImportOptional,
}

impl Linkage {
    pub fn from_raw(raw: u32) -> Option<Linkage> {
        Some(match raw {
            LINKAGE_INTERNAL => Linkage::Internal,
            LINKAGE_IMPORT => Linkage::Import,
            LINKAGE_EXPORT => Linkage::Export,
            LINKAGE_IMPORT_OPTIONAL => Linkage::ImportOptional,
            _ => return None,
        })
    }
    pub fn raw(self) -> u32 {
        match self {
            Linkage::Internal => LINKAGE_INTERNAL,
            Linkage::Import => LINKAGE_IMPORT,
            Linkage::Export => LINKAGE_EXPORT,
            Linkage::ImportOptional => LINKAGE_IMPORT_OPTIONAL,
        }
    }
}

/// What a module says about one of its functions.
#[derive(Clone, Copy, Debug)]
pub struct FunctionInfo<'a> {
    /// Export/internal: local name. Imports: `module.function`.
    pub name: &'a str,
    /// Calling convention string, e.g. `0ii_i`; may be empty for imports.
    pub calling_convention: &'a str,
    /// The linkage reported for the function (imports may be optional).
    pub linkage: Linkage,
}

/// Per-context module state.
pub type ModuleState = Box<dyn Any + Send>;

/// One call: packed argument bytes in, room for packed results out.
pub struct Call<'a> {
    pub function: Function,
    pub arguments: &'a [u8],
    pub results: &'a mut [u8],
}

/// A VM module implemented in Rust. See the module docs for the contract.
pub trait Module: Send + Sync + 'static {
    fn name(&self) -> &str;
    fn signature(&self) -> ModuleSignature;
    fn function(&self, linkage: Linkage, ordinal: usize) -> Result<FunctionInfo<'_>>;
    /// The ordinal of the function `name` with `linkage`.
    fn lookup_function(&self, linkage: Linkage, name: &str) -> Result<usize>;
    /// Reflection attribute `index` of a function, or NOT_FOUND past the end.
    fn reflection_attr(
        &self,
        _linkage: Linkage,
        _ordinal: usize,
        _index: usize,
    ) -> Result<(&str, &str)> {
        Err(iree_err!(NotFound, "no reflection attributes"))
    }
    fn alloc_state(&self) -> Result<ModuleState>;
    fn resolve_import(
        &self,
        _state: &mut ModuleState,
        ordinal: usize,
        _function: Function,
        _calling_convention: &str,
    ) -> Result<()> {
        Err(iree_err!(OutOfRange, "module has no import {}", ordinal))
    }
    fn notify(&self, _state: &mut ModuleState, _signal: u32) -> Result<()> {
        Ok(())
    }
    fn begin_call(&self, stack: &mut Stack, state: &mut ModuleState, call: Call<'_>) -> Result<()>;
    /// Calls `function` with its arguments and results as interpreter
    /// values, for callers in this library (bytecode calling an import)
    /// that would otherwise pack them into bytes only for this module to
    /// unpack them again. The values follow the function's calling
    /// convention, as the packed bytes would; for a variadic call,
    /// `segment_sizes` gives each top-level argument's span count as the
    /// call site wrote it. `None` (the default): the module has no such
    /// path and is called through `begin_call`.
    fn begin_call_values(
        &self,
        _stack: &mut Stack,
        _state: &mut ModuleState,
        _function: Function,
        _args: &[RegisterValue<Ref>],
        _segment_sizes: Option<&[i32]>,
        _results: &mut Vec<RegisterValue<Ref>>,
    ) -> Option<Result<()>> {
        None
    }
    /// The pointer C code should see as this state (`iree_vm_module_state_t*`)
    /// when the state wraps a C object, as native modules' do. `None` (the
    /// default) lets the VM use an opaque pointer of its own.
    fn state_c_pointer(&self, _state: &ModuleState) -> Option<*mut c_void> {
        None
    }
}

/// The heap object behind a table made by [`export_module`].
#[repr(C)]
struct Exported {
    table: ModuleTable,
    module: Box<dyn Module>,
    /// False when the object lives in caller memory (`export_module_in`).
    heap: bool,
    /// States whose C identity is a pointer the module chose (see
    /// [`Module::state_c_pointer`]), keyed by that pointer.
    c_states: std::sync::Mutex<Vec<(usize, Box<ModuleState>)>>,
    /// Set once a state is put in `c_states`: until then lookups need not
    /// take its lock.
    has_c_states: std::sync::atomic::AtomicBool,
}

/// Calls `function` with interpreter values through
/// [`Module::begin_call_values`] when its module is a Rust module exported
/// by this library that takes them; `None` otherwise (a module written in
/// C, or one without the path), and the caller packs the values and uses
/// [`Stack::call`].
pub fn call_values(
    stack: &mut Stack,
    function: Function,
    args: &[RegisterValue<Ref>],
    segment_sizes: Option<&[i32]>,
    results: &mut Vec<RegisterValue<Ref>>,
) -> Option<Result<()>> {
    let table = function.module;
    if table.is_null() {
        return None;
    }
    // SAFETY: function handles name live modules (API contract), as for
    // `Stack::call`.
    let t = unsafe { &*table };
    // Only tables made by `export_module` have this entry point, and their
    // `self` is the `Exported` object. (Compared as addresses: a mismatch
    // only means the packed path is taken.)
    let ours = exported_begin_call as *const ();
    if t.begin_call.map(|f| f as *const ()) != Some(ours) {
        return None;
    }
    // SAFETY: checked just above that `self_` is an `Exported`.
    let e = unsafe { exported(t.self_) };
    let state = stack
        .query_module_state(table)
        // SAFETY: the stack resolved this state for this module.
        .and_then(|p| unsafe { state_mut(e, p) });
    match state {
        Ok(state) => {
            e.module
                .begin_call_values(stack, state, function, args, segment_sizes, results)
        }
        Err(err) => Some(Err(err)),
    }
}

/// Bytes of caller memory [`export_module_in`] needs.
pub const EXPORTED_SIZE: usize = std::mem::size_of::<Exported>();

/// Adapter (a): exposes a Rust module as a C table holding one reference.
pub fn export_module(module: Box<dyn Module>) -> *mut ModuleTable {
    let exported = Box::into_raw(Box::new(Exported {
        table: ModuleTable::empty(std::ptr::null_mut()),
        module,
        heap: true,
        c_states: Default::default(),
        has_c_states: Default::default(),
    }));
    // SAFETY: freshly allocated and exclusively ours.
    unsafe { fill_table(exported) }
}

/// Adapter (a) in caller memory of [`EXPORTED_SIZE`] bytes.
///
/// # Safety
/// `memory` must be writable for `EXPORTED_SIZE` bytes, aligned to 8, and
/// stay valid until the module's last reference is released.
pub unsafe fn export_module_in(
    memory: *mut u8,
    module: Box<dyn Module>,
) -> Result<*mut ModuleTable> {
    if memory.is_null() || !(memory as usize).is_multiple_of(std::mem::align_of::<Exported>()) {
        iree_bail!(InvalidArgument, "module storage is NULL or misaligned");
    }
    let exported = memory as *mut Exported;
    // SAFETY: forwarded contract.
    unsafe {
        exported.write(Exported {
            table: ModuleTable::empty(std::ptr::null_mut()),
            module,
            heap: false,
            c_states: Default::default(),
            has_c_states: Default::default(),
        });
        Ok(fill_table(exported))
    }
}

/// # Safety
/// `exported` must be a valid, exclusively held object.
unsafe fn fill_table(exported: *mut Exported) -> *mut ModuleTable {
    // SAFETY: freshly allocated and exclusively ours.
    unsafe {
        let table = &mut (*exported).table;
        table.self_ = exported.cast::<c_void>();
        table.destroy = Some(exported_destroy);
        table.name = Some(exported_name);
        table.signature = Some(exported_signature);
        table.get_function = Some(exported_get_function);
        table.lookup_function = Some(exported_lookup_function);
        table.resolve_source_location = Some(exported_resolve_source_location);
        table.alloc_state = Some(exported_alloc_state);
        table.free_state = Some(exported_free_state);
        table.resolve_import = Some(exported_resolve_import);
        table.notify = Some(exported_notify);
        table.begin_call = Some(exported_begin_call);
        table.resume_call = Some(exported_resume_call);
        table.get_function_reflection_attr = Some(exported_reflection_attr);
    }
    exported.cast::<ModuleTable>()
}

/// # Safety
/// `self_` must be the `self` of a table made by `export_module`.
unsafe fn exported<'a>(self_: *mut c_void) -> &'a Exported {
    // SAFETY: forwarded contract.
    unsafe { &*self_.cast_const().cast::<Exported>() }
}

/// Checks a table-callback out-pointer that may not be NULL.
fn out_ptr<T>(ptr: *mut T, name: &str) -> Result<*mut T> {
    if ptr.is_null() {
        return Err(null_argument(name));
    }
    Ok(ptr)
}

// The table entries below are C callbacks: each body runs through the one
// panic boundary (`abi::boundary::ffi_boundary`), as the exports do.

unsafe extern "C" fn exported_destroy(self_: *mut c_void) {
    ffi_boundary(|| {
        let exported = self_.cast::<Exported>();
        // SAFETY: the last reference to the table is gone; we own the object.
        unsafe {
            if (*exported).heap {
                drop(Box::from_raw(exported));
            } else {
                std::ptr::drop_in_place(exported);
            }
        }
        Ok(())
    })
}

unsafe extern "C" fn exported_name(self_: *mut c_void) -> iree_string_view_t {
    // SAFETY: table contract.
    ffi_boundary(|| {
        Ok(iree_string_view_t::of(
            unsafe { exported(self_) }.module.name(),
        ))
    })
}

unsafe extern "C" fn exported_signature(self_: *mut c_void) -> ModuleSignature {
    // SAFETY: table contract.
    ffi_boundary(|| Ok(unsafe { exported(self_) }.module.signature()))
}

unsafe extern "C" fn exported_get_function(
    self_: *mut c_void,
    linkage: u32,
    ordinal: usize,
    out_function: *mut Function,
    out_name: *mut iree_string_view_t,
    out_signature: *mut FunctionSignature,
) -> iree_status_t {
    // SAFETY: table contract, forwarded.
    ffi_boundary(|| unsafe {
        get_exported_function(
            self_,
            linkage,
            ordinal,
            out_function,
            out_name,
            out_signature,
        )
    })
}

/// The body of `exported_get_function`.
///
/// # Safety
/// `self_` is the `self` of a table made by `export_module`; out-pointers
/// are NULL or valid.
unsafe fn get_exported_function(
    self_: *mut c_void,
    linkage: u32,
    ordinal: usize,
    out_function: *mut Function,
    out_name: *mut iree_string_view_t,
    out_signature: *mut FunctionSignature,
) -> Result<()> {
    // SAFETY: table contract.
    let e = unsafe { exported(self_) };
    let linkage =
        Linkage::from_raw(linkage).ok_or_else(|| iree_err!(InvalidArgument, "bad linkage"))?;
    let info = e.module.function(linkage, ordinal)?;
    // SAFETY: out-pointers are NULL or valid (C API contract).
    unsafe {
        if let Some(f) = out_function.as_mut() {
            *f = Function {
                module: self_.cast::<ModuleTable>(),
                linkage: info.linkage.raw() as u16,
                ordinal: ordinal as u16,
            };
        }
        if let Some(n) = out_name.as_mut() {
            *n = iree_string_view_t::of(info.name);
        }
        if let Some(s) = out_signature.as_mut() {
            s.calling_convention = iree_string_view_t::of(info.calling_convention);
        }
    }
    Ok(())
}

unsafe extern "C" fn exported_lookup_function(
    self_: *mut c_void,
    linkage: u32,
    name: iree_string_view_t,
    out_function: *mut Function,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: table contract.
        let e = unsafe { exported(self_) };
        let l =
            Linkage::from_raw(linkage).ok_or_else(|| iree_err!(InvalidArgument, "bad linkage"))?;
        // SAFETY: the caller's view is valid for the call.
        let name = std::str::from_utf8(unsafe { name.as_bytes() })
            .map_err(|_| iree_err!(InvalidArgument, "function name is not UTF-8"))?;
        let ordinal = e.module.lookup_function(l, name)?;
        // SAFETY: out-pointer is NULL or valid.
        if let Some(f) = unsafe { out_function.as_mut() } {
            *f = Function {
                module: self_.cast::<ModuleTable>(),
                linkage: linkage as u16,
                ordinal: ordinal as u16,
            };
        }
        Ok(())
    })
}

unsafe extern "C" fn exported_resolve_source_location(
    _self: *mut c_void,
    _frame: *mut StackFrame,
    _out: *mut SourceLocation,
) -> iree_status_t {
    iree_status_t::from_code(crate::StatusCode::Unavailable)
}

/// State pointers handed to C are boxed `ModuleState`s.
unsafe extern "C" fn exported_alloc_state(
    self_: *mut c_void,
    _allocator: iree_allocator_t,
    out_state: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: table contract.
        let e = unsafe { exported(self_) };
        let out_state = out_ptr(out_state, "out_state")?;
        let state = e.module.alloc_state()?;
        let ptr = match e.module.state_c_pointer(&state) {
            Some(p) => {
                e.lock_states().push((p as usize, Box::new(state)));
                e.has_c_states.store(true, Ordering::Release);
                p
            }
            None => Box::into_raw(Box::new(state)).cast::<c_void>(),
        };
        // SAFETY: checked non-null; valid per contract.
        unsafe { *out_state = ptr };
        Ok(())
    })
}

impl Exported {
    fn lock_states(&self) -> std::sync::MutexGuard<'_, Vec<(usize, Box<ModuleState>)>> {
        self.c_states.lock().unwrap_or_else(|e| e.into_inner())
    }
}

unsafe extern "C" fn exported_free_state(self_: *mut c_void, state: *mut c_void) {
    ffi_boundary(|| {
        // SAFETY: table contract.
        let e = unsafe { exported(self_) };
        let mut states = e.lock_states();
        if let Some(i) = states.iter().position(|(p, _)| *p == state as usize) {
            let (_, owned) = states.swap_remove(i);
            drop(states);
            drop(owned);
        } else if !state.is_null() {
            drop(states);
            // SAFETY: other states of exported modules are boxed by
            // `exported_alloc_state`.
            drop(unsafe { Box::from_raw(state.cast::<ModuleState>()) });
        }
        Ok(())
    })
}

/// The Rust state behind a C state pointer of this module.
///
/// # Safety
/// `state` must come from `exported_alloc_state` of `e` and be unaliased.
unsafe fn state_mut<'a>(e: &Exported, state: *mut c_void) -> Result<&'a mut ModuleState> {
    let registered = if !e.has_c_states.load(Ordering::Acquire) {
        None
    } else {
        let mut states = e.lock_states();
        states
            .iter_mut()
            .find(|(p, _)| *p == state as usize)
            .map(|(_, b)| std::ptr::from_mut(b.as_mut()))
    };
    if let Some(ptr) = registered {
        // SAFETY: boxed states never move while registered.
        return Ok(unsafe { &mut *ptr });
    }
    // SAFETY: forwarded contract.
    unsafe { state.cast::<ModuleState>().as_mut() }
        .ok_or_else(|| iree_err!(FailedPrecondition, "module state is NULL"))
}

unsafe extern "C" fn exported_resolve_import(
    self_: *mut c_void,
    state: *mut c_void,
    ordinal: usize,
    function: *const Function,
    signature: *const FunctionSignature,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: table contract; pointers valid for the call.
        unsafe {
            let e = exported(self_);
            let state = state_mut(e, state)?;
            let function = *function.as_ref().ok_or_else(|| null_argument("function"))?;
            let cconv = signature
                .as_ref()
                .map(|s| String::from_utf8_lossy(s.calling_convention.as_bytes()).into_owned())
                .unwrap_or_default();
            e.module.resolve_import(state, ordinal, function, &cconv)
        }
    })
}

unsafe extern "C" fn exported_notify(
    self_: *mut c_void,
    state: *mut c_void,
    signal: u32,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: table contract.
        unsafe {
            let e = exported(self_);
            e.module.notify(state_mut(e, state)?, signal)
        }
    })
}

unsafe extern "C" fn exported_begin_call(
    self_: *mut c_void,
    stack: *mut c_void,
    call: *const FunctionCall,
    _out_result: *mut ExecutionResult,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: table contract: `stack` is a live stack made by this
        // library and `call` describes valid argument/result spans.
        unsafe {
            let stack = stack
                .cast::<Stack>()
                .as_mut()
                .ok_or_else(|| null_argument("stack"))?;
            let call = call.as_ref().ok_or_else(|| null_argument("call"))?;
            begin_exported_call(self_, stack, call)
        }
    })
}

/// The body of `exported_begin_call`.
///
/// # Safety
/// `self_` is the `self` of a table made by `export_module`, and `call`
/// describes valid argument and result spans.
unsafe fn begin_exported_call(
    self_: *mut c_void,
    stack: &mut Stack,
    call: &FunctionCall,
) -> Result<()> {
    // SAFETY: guaranteed by the caller.
    unsafe {
        let e = exported(self_);
        let state_ptr = stack.query_module_state(self_.cast::<ModuleTable>())?;
        let state = state_mut(e, state_ptr)?;
        let arguments = call.arguments.as_bytes();
        let results = call.results.as_bytes_mut();
        e.module.begin_call(
            stack,
            state,
            Call {
                function: call.function,
                arguments,
                results,
            },
        )
    }
}

/// Runs `call` on a module exported by this library without crossing its C
/// table (no indirect call and no second panic boundary: the caller is
/// Rust already); `None` when `table` was made elsewhere.
pub(crate) fn call_exported_directly(
    stack: &mut Stack,
    table: &ModuleTable,
    call: &FunctionCall,
) -> Option<Result<()>> {
    let ours = exported_begin_call as *const ();
    if table.begin_call.map(|f| f as *const ()) != Some(ours) {
        return None;
    }
    // SAFETY: the table is ours (checked above), so `self_` is an
    // `Exported`; the caller passes a call with valid spans, as for the
    // table entry.
    Some(unsafe { begin_exported_call(table.self_, stack, call) })
}

unsafe extern "C" fn exported_resume_call(
    _self: *mut c_void,
    _stack: *mut c_void,
    _out_result: *mut ExecutionResult,
) -> iree_status_t {
    iree_err!(Unimplemented, "resuming calls is not supported").into()
}

unsafe extern "C" fn exported_reflection_attr(
    self_: *mut c_void,
    linkage: u32,
    ordinal: usize,
    index: usize,
    key: *mut iree_string_view_t,
    value: *mut iree_string_view_t,
) -> iree_status_t {
    ffi_boundary(|| {
        // SAFETY: table contract.
        let e = unsafe { exported(self_) };
        let l =
            Linkage::from_raw(linkage).ok_or_else(|| iree_err!(InvalidArgument, "bad linkage"))?;
        let (k, v) = e.module.reflection_attr(l, ordinal, index)?;
        // SAFETY: out-pointers NULL or valid.
        unsafe {
            if let Some(key) = key.as_mut() {
                *key = iree_string_view_t::of(k);
            }
            if let Some(value) = value.as_mut() {
                *value = iree_string_view_t::of(v);
            }
        }
        Ok(())
    })
}

/// Adapter (b): a counted reference to any C module table.
pub struct CModule {
    table: *mut ModuleTable,
}

// SAFETY: module tables are required to be thread-safe by the C API.
unsafe impl Send for CModule {}
// SAFETY: as above.
unsafe impl Sync for CModule {}

/// A C module's state pointer, owned by the module.
pub struct CState(pub *mut c_void);
// SAFETY: module state is only touched by calls the VM serializes.
unsafe impl Send for CState {}

impl CModule {
    /// Takes a new reference to `table`.
    ///
    /// # Safety
    /// `table` must be a live module table.
    pub unsafe fn retain(table: *mut ModuleTable) -> Result<CModule> {
        if table.is_null() {
            iree_bail!(InvalidArgument, "module is NULL");
        }
        // SAFETY: forwarded contract.
        unsafe { module_retain(table) };
        Ok(CModule { table })
    }

    pub fn table(&self) -> *mut ModuleTable {
        self.table
    }

    fn t(&self) -> &ModuleTable {
        // SAFETY: we hold a reference, so the table is live.
        unsafe { &*self.table }
    }

    /// The raw state pointer this module allocates.
    pub fn alloc_raw_state(&self, allocator: iree_allocator_t) -> Result<*mut c_void> {
        let mut state = std::ptr::null_mut();
        if let Some(alloc) = self.t().alloc_state {
            // SAFETY: calling the module's entry with its own `self`.
            unsafe { (alloc(self.t().self_, allocator, &mut state)).into_result() }?;
        }
        Ok(state)
    }

    // The state pointer is opaque here: it is only handed back to the module.
    #[allow(clippy::not_unsafe_ptr_arg_deref)]
    pub fn free_raw_state(&self, state: *mut c_void) {
        if let Some(free) = self.t().free_state {
            // SAFETY: freeing a state this module allocated.
            unsafe { free(self.t().self_, state) };
        }
    }

    // The state pointer is opaque here: it is only handed back to the module.
    #[allow(clippy::not_unsafe_ptr_arg_deref)]
    pub fn resolve_raw_import(
        &self,
        state: *mut c_void,
        ordinal: usize,
        function: &Function,
        signature: &FunctionSignature,
    ) -> Result<()> {
        match self.t().resolve_import {
            // SAFETY: module entry with its own `self`; pointers are locals.
            Some(f) => unsafe {
                (f(self.t().self_, state, ordinal, function, signature)).into_result()
            },
            None => Err(iree_err!(Unimplemented, "module cannot resolve imports")),
        }
    }

    // The state pointer is opaque here: it is only handed back to the module.
    #[allow(clippy::not_unsafe_ptr_arg_deref)]
    pub fn notify_raw(&self, state: *mut c_void, signal: u32) -> Result<()> {
        match self.t().notify {
            // SAFETY: module entry with its own `self`.
            Some(f) => unsafe { (f(self.t().self_, state, signal)).into_result() },
            None => Ok(()),
        }
    }

    /// Function handle, name and calling convention of a function.
    pub fn get_function_raw(
        &self,
        linkage: u32,
        ordinal: usize,
    ) -> Result<(Function, iree_string_view_t, iree_string_view_t)> {
        let Some(get) = self.t().get_function else {
            iree_bail!(Unimplemented, "module cannot enumerate functions");
        };
        let mut f = Function::NULL;
        let mut name = iree_string_view_t::EMPTY;
        let mut sig = FunctionSignature {
            calling_convention: iree_string_view_t::EMPTY,
        };
        if get as *const () == exported_get_function as *const () {
            // A module of this library, called from Rust: skip the table's
            // panic boundary (this path is on every invocation).
            // SAFETY: the table is ours, so `self_` is an `Exported`;
            // out-pointers are locals.
            unsafe {
                get_exported_function(
                    self.t().self_,
                    linkage,
                    ordinal,
                    &mut f,
                    &mut name,
                    &mut sig,
                )
            }?;
            return Ok((f, name, sig.calling_convention));
        }
        // SAFETY: module entry with its own `self`; out-pointers are locals.
        unsafe {
            (get(
                self.t().self_,
                linkage,
                ordinal,
                &mut f,
                &mut name,
                &mut sig,
            ))
            .into_result()
        }?;
        Ok((f, name, sig.calling_convention))
    }

    pub fn lookup_function_raw(&self, linkage: u32, name: &[u8]) -> Result<Function> {
        let Some(lookup) = self.t().lookup_function else {
            iree_bail!(Unimplemented, "module cannot look up functions");
        };
        let mut f = Function::NULL;
        let view = iree_string_view_t::of(name);
        // SAFETY: module entry with its own `self`; `view` outlives the call.
        unsafe { (lookup(self.t().self_, linkage, view, &mut f)).into_result() }?;
        Ok(f)
    }

    pub fn name_bytes(&self) -> &[u8] {
        match self.t().name {
            // SAFETY: modules return names valid for their lifetime.
            Some(f) => unsafe { f(self.t().self_).as_bytes() },
            None => b"",
        }
    }
}

impl Clone for CModule {
    fn clone(&self) -> Self {
        // SAFETY: we hold a reference, so the table is live.
        unsafe { module_retain(self.table) };
        CModule { table: self.table }
    }
}

impl Drop for CModule {
    fn drop(&mut self) {
        // SAFETY: we give up the reference we hold.
        unsafe { module_release(self.table) };
    }
}

fn view_str(v: iree_string_view_t) -> &'static str {
    // SAFETY: module strings live as long as the module; callers of the
    // `Module` impl below only keep them while they hold the module.
    std::str::from_utf8(unsafe { v.as_bytes() }).unwrap_or("")
}

impl Module for CModule {
    fn name(&self) -> &str {
        std::str::from_utf8(self.name_bytes()).unwrap_or("")
    }
    fn signature(&self) -> ModuleSignature {
        match self.t().signature {
            // SAFETY: module entry with its own `self`.
            Some(f) => unsafe { f(self.t().self_) },
            None => ModuleSignature::default(),
        }
    }
    fn function(&self, linkage: Linkage, ordinal: usize) -> Result<FunctionInfo<'_>> {
        let (f, name, cconv) = self.get_function_raw(linkage.raw(), ordinal)?;
        Ok(FunctionInfo {
            name: view_str(name),
            calling_convention: view_str(cconv),
            linkage: Linkage::from_raw(f.linkage as u32).unwrap_or(linkage),
        })
    }
    fn lookup_function(&self, linkage: Linkage, name: &str) -> Result<usize> {
        Ok(self
            .lookup_function_raw(linkage.raw(), name.as_bytes())?
            .ordinal as usize)
    }
    fn alloc_state(&self) -> Result<ModuleState> {
        Ok(Box::new(CState(
            self.alloc_raw_state(iree_allocator_t::system())?,
        )))
    }
    fn resolve_import(
        &self,
        state: &mut ModuleState,
        ordinal: usize,
        function: Function,
        cconv: &str,
    ) -> Result<()> {
        let state = state
            .downcast_ref::<CState>()
            .ok_or_else(|| iree_err!(InvalidArgument, "foreign module state"))?;
        let sig = FunctionSignature {
            calling_convention: iree_string_view_t::of(cconv),
        };
        self.resolve_raw_import(state.0, ordinal, &function, &sig)
    }
    fn notify(&self, state: &mut ModuleState, signal: u32) -> Result<()> {
        let state = state
            .downcast_ref::<CState>()
            .ok_or_else(|| iree_err!(InvalidArgument, "foreign module state"))?;
        self.notify_raw(state.0, signal)
    }
    fn begin_call(
        &self,
        stack: &mut Stack,
        _state: &mut ModuleState,
        call: Call<'_>,
    ) -> Result<()> {
        // The C module resolves its own state through the stack.
        let raw = FunctionCall {
            function: call.function,
            arguments: iree_byte_span_t {
                data: call.arguments.as_ptr() as *mut u8,
                data_length: call.arguments.len(),
            },
            results: iree_byte_span_t {
                data: call.results.as_mut_ptr(),
                data_length: call.results.len(),
            },
        };
        stack.call(&raw)
    }
}

/// Adds a reference to a module table (NULL ignored).
///
/// # Safety
/// `table` must be NULL or live.
pub unsafe fn module_retain(table: *mut ModuleTable) {
    // SAFETY: forwarded contract.
    if let Some(t) = unsafe { table.as_ref() } {
        t.ref_count.fetch_add(1, Ordering::Relaxed);
    }
}

/// Drops a reference, destroying the module on the last one.
///
/// # Safety
/// `table` must be NULL or live, and the caller gives up one reference.
pub unsafe fn module_release(table: *mut ModuleTable) {
    // SAFETY: forwarded contract.
    let Some(t) = (unsafe { table.as_ref() }) else {
        return;
    };
    if t.ref_count.fetch_sub(1, Ordering::AcqRel) == 1 {
        if let Some(destroy) = t.destroy {
            // SAFETY: last reference; the module frees itself.
            unsafe { destroy(t.self_) };
        }
    }
}
