//! `iree/base/internal/wait_handle.h` core: native wait primitives (eventfd,
//! pipe), manual-reset events built on them, and wait sets that multi-wait
//! with `ppoll`.

mod sys;

use std::os::fd::RawFd;

use crate::base::status::{Error, Result, StatusCode};
use crate::base::time::Time;

/// Primitive kind numbers, as in `iree_wait_primitive_type_t`.
pub mod kind {
    pub const NONE: u8 = 0;
    pub const EVENT_FD: u8 = 1;
    pub const SYNC_FILE: u8 = 2;
    pub const PIPE: u8 = 3;
    pub const WIN32_HANDLE: u8 = 4;
    pub const LOCAL_FUTEX: u8 = 5;
    pub const ANY: u8 = 0xFF;
}

/// A native wait primitive. Plain data: it does not own its fds (see
/// [`Event`] for an owner that closes them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Primitive {
    /// Resolves immediately.
    None,
    EventFd(RawFd),
    SyncFile(RawFd),
    Pipe {
        read: RawFd,
        write: RawFd,
    },
    /// A kind this platform cannot wait on, kept bit for bit.
    Unsupported {
        kind: u8,
        bits: u64,
    },
}

/// A status for "not signaled before the deadline"; code-only so polling
/// loops allocate nothing.
pub fn deadline_exceeded() -> Error {
    Error::from_code(StatusCode::DeadlineExceeded)
}

impl Primitive {
    /// The kind number of this primitive.
    pub fn kind(self) -> u8 {
        match self {
            Primitive::None => kind::NONE,
            Primitive::EventFd(_) => kind::EVENT_FD,
            Primitive::SyncFile(_) => kind::SYNC_FILE,
            Primitive::Pipe { .. } => kind::PIPE,
            Primitive::Unsupported { kind, .. } => kind,
        }
    }

    pub fn is_immediate(self) -> bool {
        self == Primitive::None
    }

    /// The fd to poll for readability, if this kind has one.
    pub fn read_fd(self) -> Option<RawFd> {
        match self {
            Primitive::EventFd(fd) | Primitive::SyncFile(fd) => Some(fd),
            Primitive::Pipe { read, .. } => Some(read),
            Primitive::None | Primitive::Unsupported { .. } => None,
        }
    }

    /// Creates the platform's preferred primitive (an eventfd on Linux, a
    /// pipe elsewhere), signaled or not.
    pub fn create_native(initial_state: bool) -> Result<Primitive> {
        if cfg!(any(target_os = "linux", target_os = "android")) {
            Ok(Primitive::EventFd(sys::eventfd(u32::from(initial_state))?))
        } else {
            Primitive::create_pipe(initial_state)
        }
    }

    /// Creates a pipe-backed primitive, signaled or not.
    pub fn create_pipe(initial_state: bool) -> Result<Primitive> {
        let (read, write) = sys::pipe()?;
        let primitive = Primitive::Pipe { read, write };
        if initial_state {
            if let Err(err) = primitive.signal() {
                primitive.close();
                return Err(err);
            }
        }
        Ok(primitive)
    }

    /// Closes the fds behind the primitive.
    pub fn close(self) {
        match self {
            Primitive::EventFd(fd) | Primitive::SyncFile(fd) => sys::close(fd),
            Primitive::Pipe { read, write } => {
                sys::close(read);
                sys::close(write);
            }
            Primitive::None | Primitive::Unsupported { .. } => {}
        }
    }

    /// Signals the primitive, waking its waiters. Signaling a signaled
    /// primitive is fine.
    pub fn signal(self) -> Result<()> {
        match self {
            Primitive::None => Ok(()),
            Primitive::EventFd(fd) => sys::write(fd, &1u64.to_ne_bytes()).map(|_| ()),
            // A full pipe is already as signaled as it gets.
            Primitive::Pipe { write, .. } => sys::write(write, b"\n").map(|_| ()),
            _ => Err(crate::iree_err!(
                Unimplemented,
                "cannot signal wait primitives of type {}",
                self.kind()
            )),
        }
    }

    /// Consumes one pending signal without blocking; `DEADLINE_EXCEEDED`
    /// when none was pending.
    pub fn read_once(self) -> Result<()> {
        if self.is_immediate() {
            return Ok(());
        }
        // Primitives wrapped from callers may be blocking fds: only read once
        // poll says a signal is pending so a reset never blocks.
        if let Some(fd) = self.read_fd() {
            let mut fds = [pollfd(fd)];
            if sys::poll(&mut fds, crate::base::time::TIME_INFINITE_PAST)? == 0
                || !resolve_revents(fds[0].revents)?
            {
                return Err(deadline_exceeded());
            }
        }
        let outcome = match self {
            Primitive::None => return Ok(()),
            Primitive::EventFd(fd) => sys::read(fd, &mut [0u8; 8])?,
            Primitive::Pipe { read, .. } => sys::read(read, &mut [0u8; 1])?,
            _ => {
                return Err(crate::iree_err!(
                    Unimplemented,
                    "cannot read wait primitives of type {}",
                    self.kind()
                ))
            }
        };
        match outcome {
            sys::Io::Done => Ok(()),
            sys::Io::WouldBlock => Err(deadline_exceeded()),
        }
    }

    /// Drains every pending signal so the primitive reads as unsignaled.
    pub fn clear(self) -> Result<()> {
        if self.is_immediate() {
            return Ok(());
        }
        loop {
            match self.read_once() {
                Ok(()) => continue,
                Err(err) if err.code() == StatusCode::DeadlineExceeded => return Ok(()),
                Err(err) => return Err(err),
            }
        }
    }

    /// Waits until the primitive is signaled or `deadline_ns` passes.
    pub fn wait(self, deadline_ns: Time) -> Result<()> {
        if self.is_immediate() {
            return Ok(());
        }
        let Some(fd) = self.read_fd() else {
            return Err(crate::iree_err!(
                Unimplemented,
                "cannot wait on wait primitives of type {}",
                self.kind()
            ));
        };
        let mut fds = [pollfd(fd)];
        if sys::poll(&mut fds, deadline_ns)? == 0 {
            return Err(deadline_exceeded());
        }
        match resolve_revents(fds[0].revents)? {
            true => Ok(()),
            false => Err(deadline_exceeded()),
        }
    }
}

fn pollfd(fd: RawFd) -> libc::pollfd {
    libc::pollfd {
        fd,
        events: libc::POLLIN | libc::POLLPRI,
        revents: 0,
    }
}

/// Whether poll events mean "signaled"; error events become statuses.
fn resolve_revents(revents: libc::c_short) -> Result<bool> {
    if revents & libc::POLLIN != 0 {
        Ok(true)
    } else if revents & libc::POLLNVAL != 0 {
        Err(crate::iree_err!(
            InvalidArgument,
            "POLLNVAL: fd is not open"
        ))
    } else if revents & libc::POLLERR != 0 {
        Err(crate::iree_err!(Internal, "POLLERR on fd"))
    } else if revents & libc::POLLHUP != 0 {
        Err(crate::iree_err!(Cancelled, "POLLHUP on fd"))
    } else {
        Ok(false)
    }
}

/// A manual-reset event that owns its primitive and closes it on drop.
#[derive(Debug)]
pub struct Event {
    primitive: Primitive,
}

impl Event {
    pub fn new(initial_state: bool) -> Result<Event> {
        Ok(Event {
            primitive: Primitive::create_native(initial_state)?,
        })
    }

    pub fn primitive(&self) -> Primitive {
        self.primitive
    }

    /// Gives up ownership without closing.
    pub fn into_primitive(self) -> Primitive {
        let primitive = self.primitive;
        std::mem::forget(self);
        primitive
    }

    /// Signals the event; it stays signaled until [`Event::reset`].
    pub fn set(&self) -> Result<()> {
        self.primitive.signal()
    }

    pub fn reset(&self) -> Result<()> {
        self.primitive.clear()
    }

    pub fn wait(&self, deadline_ns: Time) -> Result<()> {
        self.primitive.wait(deadline_ns)
    }
}

impl Drop for Event {
    fn drop(&mut self) {
        self.primitive.close();
    }
}

/// Sets of this many handles or more are refused as unreasonable.
pub const WAIT_SET_MAX_CAPACITY: usize = u16::MAX as usize;

/// Which handle woke an [`WaitSet::wait_any`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wake {
    /// Slot of the handle in the set; a hint for a following erase.
    pub index: usize,
    pub primitive: Primitive,
}

/// A reusable set of primitives to wait on together. Inserting a primitive
/// twice needs two erases to remove it. Immediate primitives count as
/// always signaled.
#[derive(Debug)]
pub struct WaitSet {
    capacity: usize,
    handles: Vec<Primitive>,
    immediate_count: usize,
    scratch: Vec<libc::pollfd>,
}

impl WaitSet {
    pub fn new(capacity: usize) -> Result<WaitSet> {
        crate::iree_ensure!(
            capacity < WAIT_SET_MAX_CAPACITY,
            InvalidArgument,
            "wait set capacity of {capacity} is unreasonably large"
        );
        Ok(WaitSet {
            capacity,
            handles: Vec::with_capacity(capacity),
            immediate_count: 0,
            scratch: Vec::with_capacity(capacity),
        })
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn len(&self) -> usize {
        self.handles.len() + self.immediate_count
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn insert(&mut self, primitive: Primitive) -> Result<()> {
        crate::iree_ensure!(
            self.len() < self.capacity,
            ResourceExhausted,
            "wait set capacity {} reached",
            self.capacity
        );
        if primitive.is_immediate() {
            self.immediate_count += 1;
            return Ok(());
        }
        crate::iree_ensure!(
            primitive.read_fd().is_some(),
            Unimplemented,
            "wait primitives of type {} cannot be waited on here",
            primitive.kind()
        );
        self.handles.push(primitive);
        Ok(())
    }

    /// Removes one instance of `primitive`; `index_hint` (from a [`Wake`])
    /// skips the search when it still points at it. Absent handles are ignored.
    pub fn erase(&mut self, primitive: Primitive, index_hint: Option<usize>) {
        if primitive.is_immediate() {
            self.immediate_count = self.immediate_count.saturating_sub(1);
            return;
        }
        let index = match index_hint {
            Some(i) if self.handles.get(i) == Some(&primitive) => Some(i),
            _ => self.handles.iter().position(|h| *h == primitive),
        };
        if let Some(i) = index {
            self.handles.swap_remove(i);
        }
    }

    pub fn clear(&mut self) {
        self.handles.clear();
        self.immediate_count = 0;
    }

    /// Waits until every handle has been signaled (at some point during the
    /// call) or the deadline passes. An empty set succeeds at once.
    pub fn wait_all(&mut self, deadline_ns: Time) -> Result<()> {
        self.scratch.clear();
        self.scratch
            .extend(self.handles.iter().filter_map(|h| h.read_fd()).map(pollfd));
        while !self.scratch.is_empty() {
            if sys::poll(&mut self.scratch, deadline_ns)? == 0 {
                return Err(deadline_exceeded());
            }
            let mut failure = None;
            self.scratch.retain(|p| match resolve_revents(p.revents) {
                Ok(signaled) => !signaled,
                Err(err) => {
                    failure.get_or_insert(err);
                    false
                }
            });
            if let Some(err) = failure {
                return Err(err);
            }
            for p in &mut self.scratch {
                p.revents = 0;
            }
        }
        Ok(())
    }

    /// Waits until any handle is signaled or the deadline passes. Returns
    /// `None` for an empty set (no wait happens) or a wake by an immediate
    /// handle.
    pub fn wait_any(&mut self, deadline_ns: Time) -> Result<Option<Wake>> {
        if self.immediate_count > 0 || self.handles.is_empty() {
            return Ok(None);
        }
        self.scratch.clear();
        self.scratch
            .extend(self.handles.iter().filter_map(|h| h.read_fd()).map(pollfd));
        if sys::poll(&mut self.scratch, deadline_ns)? == 0 {
            return Err(deadline_exceeded());
        }
        for (index, p) in self.scratch.iter().enumerate() {
            if resolve_revents(p.revents)? {
                return Ok(Some(Wake {
                    index,
                    primitive: self.handles[index],
                }));
            }
        }
        Err(deadline_exceeded())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::time::{now, TIME_INFINITE_FUTURE, TIME_INFINITE_PAST};

    fn is_deadline(r: Result<impl std::fmt::Debug>) -> bool {
        matches!(r, Err(e) if e.code() == StatusCode::DeadlineExceeded)
    }

    #[test]
    fn event_set_reset_wait() {
        let ev = Event::new(false).unwrap();
        assert!(is_deadline(ev.wait(TIME_INFINITE_PAST)));
        ev.set().unwrap();
        ev.set().unwrap();
        ev.wait(TIME_INFINITE_PAST).unwrap();
        ev.wait(TIME_INFINITE_PAST).unwrap();
        ev.reset().unwrap();
        ev.reset().unwrap();
        assert!(is_deadline(ev.wait(now() + 1_000_000)));
        let signaled = Event::new(true).unwrap();
        signaled.wait(TIME_INFINITE_FUTURE).unwrap();
    }

    #[test]
    fn pipes_work_like_events() {
        let p = Primitive::create_pipe(false).unwrap();
        assert!(is_deadline(p.wait(TIME_INFINITE_PAST)));
        p.signal().unwrap();
        p.signal().unwrap();
        p.wait(TIME_INFINITE_PAST).unwrap();
        p.clear().unwrap();
        assert!(is_deadline(p.wait(TIME_INFINITE_PAST)));
        p.close();
        let q = Primitive::create_pipe(true).unwrap();
        q.wait(TIME_INFINITE_PAST).unwrap();
        q.close();
    }

    #[test]
    fn immediate_and_unsupported() {
        Primitive::None.wait(TIME_INFINITE_PAST).unwrap();
        Primitive::None.signal().unwrap();
        Primitive::None.clear().unwrap();
        let odd = Primitive::Unsupported { kind: 4, bits: 7 };
        assert_eq!(
            odd.wait(TIME_INFINITE_PAST).unwrap_err().code(),
            StatusCode::Unimplemented
        );
        let mut set = WaitSet::new(4).unwrap();
        assert!(set.insert(odd).is_err());
    }

    #[test]
    fn wait_set_any_all_and_duplicates() {
        assert_eq!(
            WaitSet::new(1 << 20).unwrap_err().code(),
            StatusCode::InvalidArgument
        );
        let unset = Event::new(false).unwrap();
        let set_ev = Event::new(true).unwrap();
        let mut set = WaitSet::new(8).unwrap();
        assert!(set.is_empty());
        assert_eq!(set.wait_any(TIME_INFINITE_PAST).unwrap(), None);
        set.wait_all(TIME_INFINITE_PAST).unwrap();

        set.insert(unset.primitive()).unwrap();
        for _ in 0..3 {
            set.insert(set_ev.primitive()).unwrap();
        }
        assert!(is_deadline(set.wait_all(TIME_INFINITE_PAST)));
        for _ in 0..3 {
            let wake = set.wait_any(TIME_INFINITE_PAST).unwrap().unwrap();
            assert_eq!(wake.primitive, set_ev.primitive());
            set.erase(wake.primitive, Some(wake.index));
        }
        assert!(is_deadline(set.wait_any(now() + 1_000_000)));
        set.erase(unset.primitive(), None);
        assert!(set.is_empty());

        // Capacity is enforced.
        let mut small = WaitSet::new(1).unwrap();
        small.insert(unset.primitive()).unwrap();
        assert_eq!(
            small.insert(unset.primitive()).unwrap_err().code(),
            StatusCode::ResourceExhausted
        );
    }

    #[test]
    fn wait_any_wakes_from_another_thread() {
        let ev = std::sync::Arc::new(Event::new(false).unwrap());
        let other = Event::new(false).unwrap();
        let mut set = WaitSet::new(4).unwrap();
        set.insert(other.primitive()).unwrap();
        set.insert(ev.primitive()).unwrap();
        let ev2 = ev.clone();
        let t = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            ev2.set().unwrap();
        });
        let wake = set.wait_any(now() + 10_000_000_000).unwrap().unwrap();
        assert_eq!(wake.primitive, ev.primitive());
        t.join().unwrap();
        set.wait_all(TIME_INFINITE_PAST).unwrap_err();
        other.set().unwrap();
        set.wait_all(now() + 10_000_000_000).unwrap();
    }
}
