//! Contexts: an ordered set of modules, each with its state, imports
//! resolved against the modules registered before it (by full name
//! `module.function` and calling convention; optional imports may stay
//! unresolved).

use std::ffi::c_void;
use std::sync::atomic::{AtomicIsize, AtomicPtr, Ordering};
use std::sync::{Arc, Mutex};

use crate::abi::boundary::{ffi_boundary, null_argument};
use crate::abi::iree_allocator_t;
use crate::abi::iree_status_t;
use crate::abi::iree_string_view_t;
use crate::vm::instance::Instance;
use crate::vm::interface::{
    Function, FunctionSignature, ModuleTable, StateResolver, LINKAGE_EXPORT,
    LINKAGE_IMPORT_OPTIONAL,
};
use crate::vm::module::CModule;
use crate::{iree_bail, iree_ensure, iree_err, Result};

/// `IREE_VM_CONTEXT_FLAG_TRACE_EXECUTION`.
pub const FLAG_TRACE_EXECUTION: u32 = 1;

struct Entry {
    module: CModule,
    state: *mut c_void,
}

struct Inner {
    entries: Vec<Entry>,
    frozen: bool,
}

/// A VM context.
pub struct Context {
    id: isize,
    flags: u32,
    allocator: iree_allocator_t,
    _instance: Arc<Instance>,
    inner: Mutex<Inner>,
    /// The states of the first [`FAST_STATES`] modules, found without the
    /// lock: every invocation looks states up, and the lock's two atomic
    /// read-modify-writes cost more than the search. A slot is written once,
    /// under the lock and after its registration succeeded (so it is never
    /// rolled back), state first and module second; a state lives as long
    /// as the context.
    fast_states: [(AtomicPtr<ModuleTable>, AtomicPtr<c_void>); FAST_STATES],
}

/// See [`Context::fast_states`].
const FAST_STATES: usize = 8;

// SAFETY: module states are opaque pointers only used through the modules,
// which the C API requires to be thread-safe; the list is behind a mutex.
unsafe impl Send for Context {}
// SAFETY: as above.
unsafe impl Sync for Context {}

static NEXT_ID: AtomicIsize = AtomicIsize::new(1);

fn bytes_str(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

impl Context {
    pub fn new(instance: Arc<Instance>, flags: u32, allocator: iree_allocator_t) -> Context {
        Context {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            flags,
            allocator,
            _instance: instance,
            inner: Mutex::new(Inner {
                entries: Vec::new(),
                frozen: false,
            }),
            fast_states: std::array::from_fn(|_| {
                (
                    AtomicPtr::new(std::ptr::null_mut()),
                    AtomicPtr::new(std::ptr::null_mut()),
                )
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn id(&self) -> isize {
        self.id
    }
    pub fn flags(&self) -> u32 {
        self.flags
    }

    pub fn freeze(&self) {
        self.lock().frozen = true;
    }

    /// Registers modules in order: allocates each one's state, then
    /// resolves its imports. On failure the context is left unchanged.
    pub fn register_modules(&self, modules: &[CModule]) -> Result<()> {
        let mut inner = self.lock();
        iree_ensure!(
            !inner.frozen,
            FailedPrecondition,
            "context is frozen; cannot register modules"
        );
        let first_new = inner.entries.len();
        let mut result = Ok(());
        for module in modules {
            if inner
                .entries
                .iter()
                .any(|e| e.module.table() == module.table())
            {
                continue;
            }
            let state = match module.alloc_raw_state(self.allocator) {
                Ok(s) => s,
                Err(e) => {
                    result = Err(e.annotate(format!(
                        "allocating state of module '{}'",
                        bytes_str(module.name_bytes())
                    )));
                    break;
                }
            };
            inner.entries.push(Entry {
                module: module.clone(),
                state,
            });
            let index = inner.entries.len() - 1;
            if let Err(e) = resolve_imports(&inner.entries, index) {
                result = Err(e);
                break;
            }
        }
        if result.is_err() {
            let failed: Vec<Entry> = inner.entries.drain(first_new..).collect();
            drop(inner);
            for entry in failed.into_iter().rev() {
                entry.module.free_raw_state(entry.state);
            }
        } else {
            for (entry, slot) in inner.entries.iter().zip(&self.fast_states).skip(first_new) {
                slot.1.store(entry.state, Ordering::Release);
                slot.0.store(entry.module.table(), Ordering::Release);
            }
        }
        result
    }

    /// The state `module` has in this context.
    pub fn resolve_module_state(&self, module: *mut ModuleTable) -> Result<*mut c_void> {
        for (table, state) in &self.fast_states {
            let t = table.load(Ordering::Acquire);
            if t.is_null() {
                break;
            }
            if t == module {
                return Ok(state.load(Ordering::Acquire));
            }
        }
        let inner = self.lock();
        inner
            .entries
            .iter()
            .find(|e| e.module.table() == module)
            .map(|e| e.state)
            .ok_or_else(|| iree_err!(NotFound, "module not registered with this context"))
    }

    /// Finds an export by full name `module.function` (later modules win).
    pub fn resolve_function(&self, full_name: &[u8]) -> Result<Function> {
        let inner = self.lock();
        find_export(&inner.entries, inner.entries.len(), full_name)
            .map(|(f, _)| f)
            .ok_or_else(|| {
                iree_err!(
                    NotFound,
                    "function '{}' not found in context",
                    bytes_str(full_name)
                )
            })
    }

    pub fn notify(&self, signal: u32) -> Result<()> {
        let inner = self.lock();
        for e in &inner.entries {
            e.module.notify_raw(e.state, signal)?;
        }
        Ok(())
    }

    /// The modules registered, in order (new references).
    pub fn modules(&self) -> Vec<CModule> {
        self.lock()
            .entries
            .iter()
            .map(|e| e.module.clone())
            .collect()
    }

    /// A state resolver bound to this context (valid while it lives).
    pub fn state_resolver(&self) -> StateResolver {
        StateResolver {
            self_: std::ptr::from_ref(self).cast_mut().cast::<c_void>(),
            query_module_state: Some(query_module_state),
        }
    }
}

unsafe extern "C" fn query_module_state(
    resolver: *mut c_void,
    module: *mut ModuleTable,
    out_state: *mut *mut c_void,
) -> iree_status_t {
    // A C callback: the body runs through the one panic boundary.
    ffi_boundary(|| {
        if out_state.is_null() {
            return Err(null_argument("out_state"));
        }
        // SAFETY: resolvers made by `state_resolver` point at a live context.
        let context = unsafe { &*resolver.cast_const().cast::<Context>() };
        let state = context.resolve_module_state(module)?;
        // SAFETY: checked non-null; valid per the resolver contract.
        unsafe { *out_state = state };
        Ok(())
    })
}

/// Resolves `module`'s state without crossing the C callback when
/// `resolver` was made by [`Context::state_resolver`] (a Rust caller needs
/// no second panic boundary); `None` for a resolver supplied from C.
pub(crate) fn resolve_state_directly(
    resolver: &StateResolver,
    module: *mut ModuleTable,
) -> Option<Result<*mut c_void>> {
    let ours = query_module_state as *const ();
    if resolver.query_module_state.map(|f| f as *const ()) != Some(ours) {
        return None;
    }
    // SAFETY: resolvers made by `state_resolver` point at a live context.
    let context = unsafe { &*resolver.self_.cast_const().cast::<Context>() };
    Some(context.resolve_module_state(module))
}

/// Looks `module.function` up among `entries[..limit]`, newest first;
/// returns the function and its calling convention.
fn find_export(
    entries: &[Entry],
    limit: usize,
    full_name: &[u8],
) -> Option<(Function, iree_string_view_t)> {
    let dot = full_name.iter().position(|&c| c == b'.')?;
    let (module_name, function_name) = (&full_name[..dot], &full_name[dot + 1..]);
    for e in entries[..limit].iter().rev() {
        if e.module.name_bytes() != module_name {
            continue;
        }
        if let Ok(f) = e.module.lookup_function_raw(LINKAGE_EXPORT, function_name) {
            let cconv = e
                .module
                .get_function_raw(LINKAGE_EXPORT, f.ordinal as usize)
                .map(|(_, _, c)| c)
                .unwrap_or(iree_string_view_t::EMPTY);
            return Some((f, cconv));
        }
    }
    None
}

fn resolve_imports(entries: &[Entry], index: usize) -> Result<()> {
    let entry = &entries[index];
    let module = &entry.module;
    let Some(signature_fn) = (
        // SAFETY: the module is live while registered.
        unsafe { &*module.table() }
    )
    .signature
    else {
        return Ok(());
    };
    // SAFETY: module entry with its own `self`.
    let signature = unsafe { signature_fn((*module.table()).self_) };
    for ordinal in 0..signature.import_function_count {
        let (import, name, import_cconv) =
            module.get_function_raw(crate::vm::interface::LINKAGE_IMPORT, ordinal)?;
        // SAFETY: module strings are valid while the module lives.
        let (name_bytes, want) = unsafe { (name.as_bytes(), import_cconv.as_bytes()) };
        let optional = import.linkage as u32 == LINKAGE_IMPORT_OPTIONAL;
        match find_export(entries, index, name_bytes) {
            Some((function, cconv)) => {
                // SAFETY: as above.
                let have = unsafe { cconv.as_bytes() };
                if !want.is_empty() && !have.is_empty() && want != have {
                    iree_bail!(
                        Internal,
                        "import '{}' signature mismatch: module '{}' expects '{}' but the export is '{}'",
                        bytes_str(name_bytes),
                        bytes_str(module.name_bytes()),
                        bytes_str(want),
                        bytes_str(have)
                    );
                }
                let sig = FunctionSignature {
                    calling_convention: cconv,
                };
                module
                    .resolve_raw_import(entry.state, ordinal, &function, &sig)
                    .map_err(|e| {
                        e.annotate(format!("resolving import '{}'", bytes_str(name_bytes)))
                    })?;
            }
            None if optional => {}
            None => iree_bail!(
                NotFound,
                "required import '{}' of module '{}' not found in the context",
                bytes_str(name_bytes),
                bytes_str(module.name_bytes())
            ),
        }
    }
    Ok(())
}

impl Drop for Context {
    fn drop(&mut self) {
        let inner = self.inner.get_mut().unwrap_or_else(|e| e.into_inner());
        while let Some(entry) = inner.entries.pop() {
            entry.module.free_raw_state(entry.state);
        }
    }
}
