//! `iree/base/loop_sync.h`: a single-threaded loop that queues work and runs
//! it when drained. Runnable operations wait in a bounded FIFO; waits sit in
//! a list whose native handles are multi-waited through one wait set. Each
//! operation belongs to a scope; an error in a scope goes to the scope's
//! handler and aborts the scope's other operations.

use std::cell::{Cell, RefCell};
use std::ffi::c_void;

use crate::base::internal::wait_handle::{kind, Primitive, WaitSet, WAIT_SET_MAX_CAPACITY};
use crate::base::loop_sync::{sync_limits, DELAY_SLOP_NS};
use crate::base::r#loop::BoundedQueue;
use crate::base::status::{Error, Result, StatusCode};
use crate::base::time::{self, TIME_INFINITE_FUTURE, TIME_INFINITE_PAST};
use crate::capi::base::allocator::iree_allocator_t;
use crate::capi::base::r#loop::{
    iree_loop_callback_t, iree_loop_command_t, iree_loop_dispatch_params_t, iree_loop_t,
    run_workgroups, LoopOp,
};
use crate::capi::base::status::iree_status_t;
use crate::capi::base::time::{iree_time_t, iree_timeout_t};
use crate::capi::base::wait_handle::handle_from_wait_source;
use crate::capi::base::wait_source::{self, iree_wait_source_t, UNEXPORTABLE_POLL_NS};
use crate::capi::handle::{self, Boxed, Castable};

/// Sizes of a synchronous loop.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct iree_loop_sync_options_t {
    /// Runnable operations that may be queued at once (rounded up to a power
    /// of two; one slot stays unused).
    pub max_queue_depth: usize,
    /// Wait operations that may be pending at once (one slot stays unused).
    pub max_wait_count: usize,
}

/// Receives errors raised by a scope's operations (and owns the status).
pub type iree_loop_sync_error_fn_t =
    Option<unsafe extern "C" fn(user_data: *mut c_void, status: iree_status_t)>;

/// A scope of work within a synchronous loop.
#[repr(C)]
#[derive(Debug)]
pub struct iree_loop_sync_scope_t {
    /// The loop the scope's work runs on.
    pub loop_sync: *mut iree_loop_sync_t,
    /// Operations of the scope that have not completed; 0 when idle.
    pub pending_count: i32,
    /// Optional error handler.
    pub error_fn: iree_loop_sync_error_fn_t,
    pub error_user_data: *mut c_void,
}

/// Opaque handle to a [`LoopSync`].
pub struct iree_loop_sync_t {
    _private: [u8; 0],
}

impl Castable for iree_loop_sync_t {
    type Ownership = Boxed;
    type RustType = LoopSync;
}

type ScopePtr = *mut iree_loop_sync_scope_t;

/// Adjusts a scope's pending count.
///
/// # Safety
/// `scope` must be a live scope.
unsafe fn adjust_pending(scope: ScopePtr, delta: i32) {
    // SAFETY: forwarded contract; the loop is single-threaded.
    unsafe { (*scope).pending_count += delta };
}

/// A runnable operation.
enum RunKind {
    /// A callback with the status it receives (owned until issued).
    Call(iree_loop_callback_t, iree_status_t),
    Dispatch(iree_loop_dispatch_params_t),
}

struct RunOp {
    scope: ScopePtr,
    kind: RunKind,
}

impl RunOp {
    fn callback(&self) -> iree_loop_callback_t {
        match &self.kind {
            RunKind::Call(callback, _) => *callback,
            RunKind::Dispatch(p) => p.callback,
        }
    }
}

/// One wait source of a pending wait and how it is being watched.
struct WaitEntry {
    source: iree_wait_source_t,
    /// The primitive inserted in the wait set for it, if any.
    registered: Option<Primitive>,
    /// No primitive could be had: the loop polls it.
    polled: bool,
    /// Seen resolved (wait-all only).
    resolved: bool,
}

enum WaitKind {
    Until,
    One(WaitEntry),
    Any(Vec<WaitEntry>),
    All(Vec<WaitEntry>),
}

struct WaitOp {
    scope: ScopePtr,
    callback: iree_loop_callback_t,
    deadline_ns: iree_time_t,
    kind: WaitKind,
}

impl WaitOp {
    fn entries_mut(&mut self) -> &mut [WaitEntry] {
        match &mut self.kind {
            WaitKind::Until => &mut [],
            WaitKind::One(e) => std::slice::from_mut(e),
            WaitKind::Any(v) | WaitKind::All(v) => v,
        }
    }
}

/// Pending waits and the wait set holding their primitives.
struct WaitList {
    ops: Vec<WaitOp>,
    limit: usize,
    set: WaitSet,
}

impl WaitList {
    fn unregister_op(&mut self, op: &mut WaitOp) {
        for entry in op.entries_mut() {
            if let Some(p) = entry.registered.take() {
                self.set.erase(p, None);
            }
        }
    }

    /// Finds a primitive for the entry and adds it to the set.
    ///
    /// # Safety
    /// The entry's source must be a valid wait source.
    unsafe fn register(&mut self, entry: &mut WaitEntry) -> Result<()> {
        let source = entry.source;
        if source.is_immediate() || source.is_delay() {
            // Immediate sources resolve on the next scan and delays only bound
            // the sleep; neither needs a handle.
            return Ok(());
        }
        let primitive = match handle_from_wait_source(&source) {
            Some(p) => Some(p),
            // SAFETY: forwarded contract.
            None => unsafe { wait_source::export(source, kind::ANY) }.ok(),
        };
        match primitive {
            Some(p) if !p.is_immediate() && p.read_fd().is_some() => {
                self.set.insert(p)?;
                entry.registered = Some(p);
            }
            _ => entry.polled = true,
        }
        Ok(())
    }
}

/// What a scan concluded about one wait.
enum Scan {
    Pending,
    Done(Result<()>),
}

/// The synchronous loop behind an `iree_loop_sync_t*`.
pub struct LoopSync {
    run: RefCell<BoundedQueue<RunOp>>,
    waits: RefCell<WaitList>,
    shutting_down: Cell<bool>,
}

fn deadline_exceeded() -> Error {
    Error::from_code(StatusCode::DeadlineExceeded)
}

fn aborted() -> iree_status_t {
    Error::from_code(StatusCode::Aborted).into()
}

/// Queries a source during a scan: resolved, pending or failed.
///
/// # Safety
/// `source` must be a valid wait source.
unsafe fn query(source: iree_wait_source_t) -> Result<bool> {
    // SAFETY: forwarded contract.
    match unsafe { wait_source::query(source) }? {
        StatusCode::Ok => Ok(true),
        StatusCode::Deferred => Ok(false),
        failed => Err(Error::from_code(failed)),
    }
}

impl LoopSync {
    fn new(options: iree_loop_sync_options_t) -> Result<LoopSync> {
        let limits = sync_limits(options.max_queue_depth, options.max_wait_count)?;
        // Waits may carry several sources each, so the set gets headroom.
        let set_capacity = (limits.wait_limit.max(8) * 8).min(WAIT_SET_MAX_CAPACITY - 1);
        Ok(LoopSync {
            run: RefCell::new(BoundedQueue::new(limits.run_limit)),
            waits: RefCell::new(WaitList {
                ops: Vec::with_capacity(limits.wait_limit),
                limit: limits.wait_limit,
                set: WaitSet::new(set_capacity)?,
            }),
            shutting_down: Cell::new(false),
        })
    }

    /// # Safety
    /// `op.scope` must be a live scope.
    unsafe fn push_run(&self, op: RunOp) -> std::result::Result<(), (Error, RunOp)> {
        let mut run = self.run.borrow_mut();
        if run.len() >= run.limit() {
            let err = crate::iree_err!(
                ResourceExhausted,
                "run queue capacity {} exceeded; reduce the amount of concurrent work or use a full loop",
                run.limit()
            );
            return Err((err, op));
        }
        let scope = op.scope;
        if let Err(err) = run.push(op) {
            // Unreachable: the length was checked above.
            drop(err);
        }
        // SAFETY: forwarded contract.
        unsafe { adjust_pending(scope, 1) };
        Ok(())
    }

    /// # Safety
    /// `scope` must be live and the op's sources valid until it completes.
    unsafe fn push_wait(&self, scope: ScopePtr, op: LoopOp) -> Result<()> {
        let (callback, deadline_ns, kind) = match op {
            LoopOp::WaitUntil(p) => (p.callback, p.deadline_ns, WaitKind::Until),
            LoopOp::WaitOne(p) => (
                p.callback,
                p.deadline_ns,
                WaitKind::One(entry(p.wait_source)),
            ),
            LoopOp::WaitAny(p) | LoopOp::WaitAll(p) => {
                crate::iree_ensure!(
                    p.count == 0 || !p.wait_sources.is_null(),
                    InvalidArgument,
                    "wait_sources is NULL with count {}",
                    p.count
                );
                let sources: &[iree_wait_source_t] = if p.count == 0 {
                    &[]
                } else {
                    // SAFETY: the enqueuer keeps `count` sources live.
                    unsafe { std::slice::from_raw_parts(p.wait_sources, p.count) }
                };
                let entries = sources.iter().map(|s| entry(*s)).collect();
                let kind = if matches!(op, LoopOp::WaitAny(_)) {
                    WaitKind::Any(entries)
                } else {
                    WaitKind::All(entries)
                };
                (p.callback, p.deadline_ns, kind)
            }
            _ => crate::iree_bail!(Internal, "not a wait operation"),
        };
        let mut waits = self.waits.borrow_mut();
        crate::iree_ensure!(
            waits.ops.len() < waits.limit,
            ResourceExhausted,
            "wait list capacity {} reached",
            waits.limit
        );
        let mut op = WaitOp {
            scope,
            callback,
            deadline_ns,
            kind,
        };
        let mut failure = None;
        for entry in op.entries_mut() {
            // SAFETY: forwarded contract.
            if let Err(err) = unsafe { waits.register(entry) } {
                failure = Some(err);
                break;
            }
        }
        if let Some(err) = failure {
            waits.unregister_op(&mut op);
            return Err(err);
        }
        waits.ops.push(op);
        // SAFETY: forwarded contract.
        unsafe { adjust_pending(scope, 1) };
        Ok(())
    }

    /// Checks every wait, moving finished ones to the run queue. Returns the
    /// earliest time a pending wait needs attention (the infinite past if
    /// something finished, so the caller runs it before sleeping).
    ///
    /// # Safety
    /// All queued scopes, callbacks and sources must be valid.
    unsafe fn scan(&self) -> iree_time_t {
        let now = time::now();
        let mut earliest = TIME_INFINITE_FUTURE;
        let mut finished = Vec::new();
        {
            let mut waits = self.waits.borrow_mut();
            let mut i = 0;
            while i < waits.ops.len() {
                // SAFETY: forwarded contract.
                let outcome = unsafe { scan_one(&mut waits, i, now, &mut earliest) };
                match outcome {
                    Scan::Pending => i += 1,
                    Scan::Done(result) => {
                        let mut op = waits.ops.swap_remove(i);
                        waits.unregister_op(&mut op);
                        finished.push((op, result));
                    }
                }
            }
        }
        if !finished.is_empty() {
            earliest = TIME_INFINITE_PAST;
        }
        for (op, result) in finished {
            // SAFETY: forwarded contract.
            unsafe {
                adjust_pending(op.scope, -1);
                let run_op = RunOp {
                    scope: op.scope,
                    kind: RunKind::Call(op.callback, result.into()),
                };
                if let Err((_, run_op)) = self.push_run(run_op) {
                    // No room to queue the completion: issue it right away so
                    // the callback is never lost.
                    self.execute(run_op);
                }
            }
        }
        earliest
    }

    /// Sleeps until a registered handle signals or `deadline_ns` passes.
    fn commit(&self, deadline_ns: iree_time_t) {
        let mut waits = self.waits.borrow_mut();
        let polled = waits
            .ops
            .iter_mut()
            .any(|op| op.entries_mut().iter().any(|e| e.polled && !e.resolved));
        let now = time::now();
        let mut until = deadline_ns;
        if polled {
            until = until.min(now.saturating_add(UNEXPORTABLE_POLL_NS));
        }
        if waits.set.is_empty() {
            drop(waits);
            // Never sleep forever with nothing that could wake us.
            time::wait_until(until.min(now.saturating_add(1_000_000_000)));
        } else {
            // Errors (a handle closed under us, ...) surface on the next scan
            // when the source itself is queried.
            let _ = waits.set.wait_any(until);
        }
    }

    /// Runs one runnable operation.
    ///
    /// # Safety
    /// The op's scope and callbacks must be valid.
    unsafe fn execute(&self, op: RunOp) {
        let scope = op.scope;
        let loop_ = iree_loop_t {
            self_: scope as *mut c_void,
            ctl: Some(iree_loop_sync_ctl),
        };
        // SAFETY: forwarded contract; statuses are owned.
        let outcome = unsafe {
            match op.kind {
                RunKind::Call(callback, status) => callback.call(loop_, status),
                RunKind::Dispatch(p) => {
                    let workgroups = run_workgroups(loop_, &p);
                    p.callback.call(loop_, workgroups)
                }
            }
        };
        if !outcome.is_ok() {
            // SAFETY: forwarded contract.
            unsafe { self.emit_error(scope, outcome) };
        }
    }

    /// Hands an error to the scope's handler and aborts the scope's work.
    ///
    /// # Safety
    /// `scope` must be live; `status` is owned.
    unsafe fn emit_error(&self, scope: ScopePtr, status: iree_status_t) {
        // SAFETY: forwarded contract.
        unsafe {
            match (*scope).error_fn {
                Some(f) => f((*scope).error_user_data, status),
                None => drop(status.into_result()),
            }
            self.abort(Some(scope));
        }
    }

    /// Aborts the work of one scope (or all work for `None`), issuing each
    /// callback with ABORTED and a null loop.
    ///
    /// # Safety
    /// The affected scopes and callbacks must be valid.
    unsafe fn abort(&self, scope: Option<ScopePtr>) {
        let matches = |s: ScopePtr| scope.is_none_or(|want| want == s);
        let waits: Vec<WaitOp> = {
            let mut list = self.waits.borrow_mut();
            let mut taken = Vec::new();
            let mut i = 0;
            while i < list.ops.len() {
                if matches(list.ops[i].scope) {
                    let mut op = list.ops.swap_remove(i);
                    list.unregister_op(&mut op);
                    taken.push(op);
                } else {
                    i += 1;
                }
            }
            taken
        };
        let runs = self.run.borrow_mut().take_matching(|op| matches(op.scope));
        // SAFETY (both loops): forwarded contract; statuses are owned.
        for op in waits {
            unsafe {
                adjust_pending(op.scope, -1);
                drop(
                    op.callback
                        .call(iree_loop_t::null(), aborted())
                        .into_result(),
                );
            }
        }
        for op in runs {
            let callback = op.callback();
            unsafe {
                adjust_pending(op.scope, -1);
                if let RunKind::Call(_, status) = op.kind {
                    drop(status.into_result());
                }
                drop(callback.call(iree_loop_t::null(), aborted()).into_result());
            }
        }
    }

    /// Runs work until `scope` (or the whole loop) is idle or the deadline
    /// passes.
    ///
    /// # Safety
    /// All queued scopes, callbacks and sources must be valid.
    unsafe fn drain(&self, scope: Option<ScopePtr>, deadline_ns: iree_time_t) -> Result<()> {
        loop {
            if let Some(s) = scope {
                // SAFETY: forwarded contract.
                if unsafe { (*s).pending_count } <= 0 {
                    break;
                }
            }
            let next = self.run.borrow_mut().pop();
            if let Some(op) = next {
                // SAFETY: forwarded contract.
                unsafe {
                    adjust_pending(op.scope, -1);
                    self.execute(op);
                }
            } else {
                if self.waits.borrow().ops.is_empty() {
                    break;
                }
                // SAFETY: forwarded contract.
                let earliest = unsafe { self.scan() };
                if earliest != TIME_INFINITE_PAST {
                    self.commit(earliest.min(deadline_ns));
                }
            }
            if time::now() >= deadline_ns {
                let idle = self.run.borrow().is_empty() && self.waits.borrow().ops.is_empty();
                let scope_idle = scope.is_some_and(|s| {
                    // SAFETY: forwarded contract.
                    unsafe { (*s).pending_count <= 0 }
                });
                if idle || scope_idle {
                    break;
                }
                return Err(deadline_exceeded());
            }
        }
        Ok(())
    }
}

fn entry(source: iree_wait_source_t) -> WaitEntry {
    WaitEntry {
        source,
        registered: None,
        polled: false,
        resolved: false,
    }
}

/// Scans wait `i` of the list.
///
/// # Safety
/// The op's sources must be valid.
unsafe fn scan_one(
    waits: &mut WaitList,
    i: usize,
    now: iree_time_t,
    earliest: &mut iree_time_t,
) -> Scan {
    let deadline_ns = waits.ops[i].deadline_ns;
    let expired = deadline_ns <= now;
    // A pending wait wants a look again at its deadline or at a delay's end.
    let mut wake_at = deadline_ns;
    let result = match &mut waits.ops[i].kind {
        WaitKind::Until => {
            if deadline_ns <= now.saturating_add(DELAY_SLOP_NS) {
                Scan::Done(Ok(()))
            } else {
                Scan::Pending
            }
        }
        WaitKind::One(e) => {
            // SAFETY: forwarded contract.
            match unsafe { query(e.source) } {
                Ok(true) => Scan::Done(Ok(())),
                Err(err) => Scan::Done(Err(err)),
                Ok(false) if expired => Scan::Done(Err(deadline_exceeded())),
                Ok(false) => {
                    if e.source.is_delay() {
                        wake_at = wake_at.min(e.source.data() as iree_time_t);
                    }
                    Scan::Pending
                }
            }
        }
        WaitKind::Any(entries) => {
            let mut outcome = None;
            for e in entries.iter() {
                // SAFETY: forwarded contract.
                match unsafe { query(e.source) } {
                    Ok(true) => outcome = Some(Ok(())),
                    Err(err) => outcome = Some(Err(err)),
                    Ok(false) => {
                        if e.source.is_delay() {
                            wake_at = wake_at.min(e.source.data() as iree_time_t);
                        }
                        continue;
                    }
                }
                break;
            }
            match outcome {
                Some(result) => Scan::Done(result),
                None if expired => Scan::Done(Err(deadline_exceeded())),
                None => Scan::Pending,
            }
        }
        WaitKind::All(entries) => {
            let mut outcome = None;
            for e in entries.iter_mut() {
                if e.resolved {
                    continue;
                }
                // SAFETY: forwarded contract.
                match unsafe { query(e.source) } {
                    Ok(true) => e.resolved = true,
                    Err(err) => {
                        outcome = Some(Err(err));
                        break;
                    }
                    Ok(false) => {
                        if e.source.is_delay() {
                            wake_at = wake_at.min(e.source.data() as iree_time_t);
                        }
                    }
                }
            }
            let all_done = entries.iter().all(|e| e.resolved);
            match outcome {
                Some(result) => Scan::Done(result),
                None if all_done => Scan::Done(Ok(())),
                None if expired => Scan::Done(Err(deadline_exceeded())),
                None => Scan::Pending,
            }
        }
    };
    // Resolved wait-all entries leave the wait set so the next sleep only
    // watches what is still pending.
    if let WaitKind::All(entries) = &mut waits.ops[i].kind {
        let stale: Vec<Primitive> = entries
            .iter_mut()
            .filter(|e| e.resolved)
            .filter_map(|e| e.registered.take())
            .collect();
        for p in stale {
            waits.set.erase(p, None);
        }
    }
    if matches!(result, Scan::Pending) {
        *earliest = (*earliest).min(wake_at);
    }
    result
}

/// Allocates a synchronous loop.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_sync_allocate(
    options: iree_loop_sync_options_t,
    allocator: iree_allocator_t,
    out_loop_sync: *mut *mut iree_loop_sync_t,
) -> iree_status_t {
    ffi_boundary! {
        // Host memory comes from the Rust allocator.
        let _ = allocator;
        if out_loop_sync.is_null() {
            return crate::iree_err!(InvalidArgument, "out_loop_sync is NULL").into();
        }
        // SAFETY: checked non-NULL.
        unsafe { out_loop_sync.write(std::ptr::null_mut()) };
        match LoopSync::new(options) {
            Ok(loop_sync) => {
                // SAFETY: checked non-NULL.
                unsafe { out_loop_sync.write(handle::box_into_ptr(loop_sync)) };
                iree_status_t::OK
            }
            Err(err) => err.into(),
        }
    }
}

/// Frees a loop, aborting everything still pending (NULL is ignored).
#[no_mangle]
pub unsafe extern "C" fn iree_loop_sync_free(loop_sync: *mut iree_loop_sync_t) {
    ffi_boundary! {
        // SAFETY: `loop_sync` is NULL or a live loop from iree_loop_sync_allocate.
        if let Some(inner) = unsafe { handle::try_ref(loop_sync) } {
            inner.shutting_down.set(true);
            // SAFETY: pending work's scopes and callbacks are still valid.
            unsafe { inner.abort(None) };
        }
        // SAFETY: not used again by contract.
        drop(unsafe { handle::box_from_ptr(loop_sync) });
    }
}

/// Runs the loop until all scopes are idle or the timeout elapses.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_sync_wait_idle(
    loop_sync: *mut iree_loop_sync_t,
    timeout: iree_timeout_t,
) -> iree_status_t {
    ffi_boundary! {
        // SAFETY: `loop_sync` is NULL or a live loop.
        let Some(inner) = (unsafe { handle::try_ref(loop_sync) }) else {
            return crate::iree_err!(InvalidArgument, "loop_sync is NULL").into();
        };
        // SAFETY: queued work is valid by the loop's contract.
        unsafe { inner.drain(None, timeout.as_deadline_ns()) }.into()
    }
}

/// Initializes a scope that schedules work on `loop_sync`.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_sync_scope_initialize(
    loop_sync: *mut iree_loop_sync_t,
    error_fn: iree_loop_sync_error_fn_t,
    error_user_data: *mut c_void,
    out_scope: *mut iree_loop_sync_scope_t,
) {
    ffi_boundary! {
        if out_scope.is_null() {
            return;
        }
        // SAFETY: the caller provides writable storage (checked non-NULL).
        unsafe {
            out_scope.write(iree_loop_sync_scope_t {
                loop_sync,
                pending_count: 0,
                error_fn,
                error_user_data,
            })
        };
    }
}

/// Aborts any work still pending in the scope.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_sync_scope_deinitialize(scope: *mut iree_loop_sync_scope_t) {
    ffi_boundary! {
        if scope.is_null() {
            return;
        }
        // SAFETY: `scope` is a live scope (checked non-NULL) whose loop is NULL or live.
        unsafe {
            if let Some(inner) = handle::try_ref((*scope).loop_sync) {
                inner.abort(Some(scope));
            }
        }
    }
}

/// Control function of loops from `iree_loop_sync_scope`: `self` is the scope.
#[no_mangle]
pub unsafe extern "C" fn iree_loop_sync_ctl(
    self_: *mut c_void,
    command: iree_loop_command_t,
    params: *const c_void,
    inout_ptr: *mut *mut c_void,
) -> iree_status_t {
    ffi_boundary! {
        let _ = inout_ptr;
        let scope = self_ as ScopePtr;
        // SAFETY: `self_` is the scope given to iree_loop_sync_scope (or NULL).
        let Some(scope_ref) = (unsafe { scope.as_ref() }) else {
            return crate::iree_err!(InvalidArgument, "loop scope is NULL").into();
        };
        // SAFETY: the scope's loop is NULL or live.
        let Some(inner) = (unsafe { handle::try_ref(scope_ref.loop_sync) }) else {
            return crate::iree_err!(InvalidArgument, "loop scope has no loop").into();
        };
        if inner.shutting_down.get() {
            return crate::iree_err!(FailedPrecondition, "new work cannot be enqueued while the loop is shutting down").into();
        }
        if command == crate::base::r#loop::command::DRAIN {
            if params.is_null() {
                return crate::iree_err!(InvalidArgument, "drain has NULL params").into();
            }
            // SAFETY: DRAIN takes iree_loop_drain_params_t (checked non-NULL).
            let deadline_ns = unsafe { (*(params as *const crate::capi::base::r#loop::iree_loop_drain_params_t)).deadline_ns };
            // SAFETY: queued work is valid by the loop's contract.
            return unsafe { inner.drain(Some(scope), deadline_ns) }.into();
        }
        // SAFETY: the caller passes the params struct for `command`.
        let op = match unsafe { LoopOp::read(command, params) } {
            Ok(Some(op)) => op,
            Ok(None) => return iree_status_t::OK,
            Err(err) => return err.into(),
        };
        // SAFETY (below): the scope is live and the op's callbacks/sources
        // stay valid until issued, per the loop contract.
        match op {
            LoopOp::Call(p) => match unsafe {
                inner.push_run(RunOp { scope, kind: RunKind::Call(p.callback, iree_status_t::OK) })
            } {
                Ok(()) => iree_status_t::OK,
                Err((err, _)) => err.into(),
            },
            LoopOp::Dispatch(p) => match unsafe {
                inner.push_run(RunOp { scope, kind: RunKind::Dispatch(p) })
            } {
                Ok(()) => iree_status_t::OK,
                Err((err, _)) => err.into(),
            },
            wait => unsafe { inner.push_wait(scope, wait) }.into(),
        }
    }
}
