//! `iree/base/internal/threading.h` core: OS threads with names, priority
//! classes, processor affinity and suspended creation, joined when dropped.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use crate::base::internal::synchronization::{Notification, ALL_WAITERS, DEADLINE_NEVER};
use crate::{iree_err, Result};

/// Scheduling hint, least to most urgent (`iree_thread_priority_class_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(i32)]
pub enum PriorityClass {
    Lowest = -2,
    Low = -1,
    Normal = 0,
    High = 1,
    Highest = 2,
}

impl PriorityClass {
    /// Maps a C value; anything out of range is clamped to the nearest class.
    pub fn from_raw(value: i32) -> PriorityClass {
        match value {
            i32::MIN..=-2 => PriorityClass::Lowest,
            -1 => PriorityClass::Low,
            0 => PriorityClass::Normal,
            1 => PriorityClass::High,
            _ => PriorityClass::Highest,
        }
    }
}

/// The most urgent of `base` and every active override: a thread runs at the
/// highest priority anyone currently asks for.
pub fn effective_priority(
    base: PriorityClass,
    overrides: impl IntoIterator<Item = PriorityClass>,
) -> PriorityClass {
    overrides.into_iter().fold(base, PriorityClass::max)
}

/// Preferred processor (`iree_thread_affinity_t` unpacked).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Affinity {
    /// False means "any processor": nothing is changed.
    pub specified: bool,
    /// Also allow the SMT sibling at `id + 1`.
    pub smt: bool,
    pub group: u32,
    pub id: u32,
}

/// How to create a thread (`iree_thread_create_params_t` unpacked).
#[derive(Clone, Debug)]
pub struct ThreadParams {
    pub name: String,
    /// Zero for the platform default.
    pub stack_size: usize,
    pub create_suspended: bool,
    pub priority_class: PriorityClass,
    pub affinity: Affinity,
}

impl Default for ThreadParams {
    fn default() -> Self {
        ThreadParams {
            name: String::new(),
            stack_size: 0,
            create_suspended: false,
            priority_class: PriorityClass::Normal,
            affinity: Affinity::default(),
        }
    }
}

/// Longest thread name Linux keeps (16 bytes with the NUL).
const MAX_NAME_BYTES: usize = 15;

/// Cuts a name at the first NUL and to the kernel's limit, on a character
/// boundary.
fn os_thread_name(name: &str) -> String {
    let name = name.split('\0').next().unwrap_or_default();
    let mut end = name.len().min(MAX_NAME_BYTES);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    name[..end].to_owned()
}

/// Holds a new thread before its body until resumed.
struct StartGate {
    suspended: AtomicBool,
    resumed: Notification,
}

impl StartGate {
    fn wait_until_resumed(&self) {
        self.resumed
            .await_condition(|| !self.suspended.load(Ordering::Acquire), DEADLINE_NEVER);
    }

    fn resume(&self) {
        if self.suspended.swap(false, Ordering::AcqRel) {
            self.resumed.post(ALL_WAITERS);
        }
    }
}

/// A running (or suspended) OS thread. Dropping it resumes the thread if it
/// is still suspended and waits for it to finish, unless the drop happens on
/// that thread itself, which then just detaches.
pub struct Thread {
    handle: Option<JoinHandle<()>>,
    pthread: libc::pthread_t,
    gate: Arc<StartGate>,
}

impl Thread {
    /// Starts a thread that runs `body` (after `resume` if created
    /// suspended), then applies the priority and affinity in `params`.
    pub fn spawn(params: &ThreadParams, body: impl FnOnce() + Send + 'static) -> Result<Thread> {
        let gate = Arc::new(StartGate {
            suspended: AtomicBool::new(params.create_suspended),
            resumed: Notification::new(),
        });
        let mut builder = std::thread::Builder::new();
        let name = os_thread_name(&params.name);
        if !name.is_empty() {
            builder = builder.name(name);
        }
        if params.stack_size != 0 {
            builder = builder.stack_size(params.stack_size);
        }
        let thread_gate = gate.clone();
        let handle = builder
            .spawn(move || {
                thread_gate.wait_until_resumed();
                drop(thread_gate);
                body();
            })
            .map_err(|e| iree_err!(Internal, "thread creation failed: {e}"))?;
        let pthread = std::os::unix::thread::JoinHandleExt::as_pthread_t(&handle);
        let thread = Thread {
            handle: Some(handle),
            pthread,
            gate,
        };
        if params.priority_class != PriorityClass::Normal {
            thread.set_priority_class(params.priority_class);
        }
        thread.request_affinity(params.affinity);
        Ok(thread)
    }

    /// The platform thread ID (the pthread_t), never zero for a live thread.
    pub fn id(&self) -> usize {
        self.pthread as usize
    }

    /// Lets a suspended thread run its body; no effect otherwise.
    pub fn resume(&self) {
        self.gate.resume();
    }

    /// Moves the thread within the scheduling range of its current policy
    /// (a no-op for policies with a single level, such as SCHED_OTHER).
    pub fn set_priority_class(&self, class: PriorityClass) {
        let mut policy: libc::c_int = 0;
        // SAFETY: an all-zero sched_param is a valid value of the C struct.
        let mut param: libc::sched_param = unsafe { std::mem::zeroed() };
        // SAFETY: `pthread` is joinable (we hold its JoinHandle) so the ID is
        // valid; both out-pointers refer to locals.
        if unsafe { libc::pthread_getschedparam(self.pthread, &mut policy, &mut param) } != 0 {
            return;
        }
        // SAFETY: plain queries on a policy value the OS just returned.
        let (min, max) = unsafe {
            (
                libc::sched_get_priority_min(policy),
                libc::sched_get_priority_max(policy),
            )
        };
        if min < 0 || max < min {
            return;
        }
        let normal = min + (max - min) / 2;
        param.sched_priority = match class {
            PriorityClass::Lowest => min,
            PriorityClass::Low => min + (normal - min) / 2,
            PriorityClass::Normal => normal,
            PriorityClass::High => normal + (max - normal) / 2,
            PriorityClass::Highest => max,
        };
        // A refusal (e.g. missing privileges) leaves the thread as it was:
        // priorities are hints.
        // SAFETY: valid thread ID as above; `param` is a local.
        unsafe { libc::pthread_setschedparam(self.pthread, policy, &param) };
    }

    /// Pins the thread to the requested processor (and its SMT sibling).
    /// Out-of-range processors and refusals are ignored: affinity is a hint.
    pub fn request_affinity(&self, affinity: Affinity) {
        if !affinity.specified {
            return;
        }
        let cpu_limit = 8 * std::mem::size_of::<libc::cpu_set_t>();
        let id = affinity.id as usize;
        if id >= cpu_limit {
            return;
        }
        // SAFETY: an all-zero cpu_set_t is the empty set.
        let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        // SAFETY: both indices were checked against the set's bit count.
        unsafe {
            libc::CPU_SET(id, &mut set);
            if affinity.smt && id + 1 < cpu_limit {
                libc::CPU_SET(id + 1, &mut set);
            }
        }
        // SAFETY: valid joinable thread ID; `set` is a local of the size passed.
        unsafe {
            libc::pthread_setaffinity_np(self.pthread, std::mem::size_of::<libc::cpu_set_t>(), &set)
        };
    }
}

impl Drop for Thread {
    fn drop(&mut self) {
        self.gate.resume();
        if let Some(handle) = self.handle.take() {
            if handle.thread().id() == std::thread::current().id() {
                // Joining ourselves would deadlock: detach instead.
                drop(handle);
            } else {
                let _ = handle.join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicI32;
    use std::time::Duration;

    #[test]
    fn runs_body_and_joins_on_drop() {
        let value = Arc::new(AtomicI32::new(0));
        let v = value.clone();
        let t = Thread::spawn(&ThreadParams::default(), move || {
            std::thread::sleep(Duration::from_millis(10));
            v.store(1, Ordering::Release);
        })
        .unwrap();
        assert_ne!(t.id(), 0);
        drop(t);
        assert_eq!(value.load(Ordering::Acquire), 1);
    }

    #[test]
    fn suspended_thread_waits_for_resume() {
        let value = Arc::new(AtomicI32::new(0));
        let v = value.clone();
        let params = ThreadParams {
            name: "suspended-worker-with-long-name".into(),
            create_suspended: true,
            priority_class: PriorityClass::High,
            affinity: Affinity {
                specified: true,
                id: 0,
                ..Affinity::default()
            },
            ..ThreadParams::default()
        };
        let t = Thread::spawn(&params, move || {
            v.store(1, Ordering::Release);
        })
        .unwrap();
        std::thread::sleep(Duration::from_millis(50));
        assert_eq!(value.load(Ordering::Acquire), 0);
        t.resume();
        drop(t);
        assert_eq!(value.load(Ordering::Acquire), 1);
    }

    #[test]
    fn dropping_suspended_thread_runs_it() {
        let value = Arc::new(AtomicI32::new(0));
        let v = value.clone();
        let params = ThreadParams {
            create_suspended: true,
            ..ThreadParams::default()
        };
        let t = Thread::spawn(&params, move || v.store(7, Ordering::Release)).unwrap();
        drop(t);
        assert_eq!(value.load(Ordering::Acquire), 7);
    }

    #[test]
    fn names_are_cut_for_the_kernel() {
        assert_eq!(os_thread_name("abc\0def"), "abc");
        assert_eq!(os_thread_name("0123456789abcdefXYZ"), "0123456789abcde");
        assert_eq!(os_thread_name("ééééééééé").len(), 14);
    }

    #[test]
    fn effective_priority_is_the_max() {
        use PriorityClass::*;
        assert_eq!(effective_priority(Normal, []), Normal);
        assert_eq!(effective_priority(Normal, [Low, High]), High);
        assert_eq!(effective_priority(Low, [Lowest]), Low);
        assert_eq!(PriorityClass::from_raw(99), Highest);
        assert_eq!(PriorityClass::from_raw(-7), Lowest);
    }
}
