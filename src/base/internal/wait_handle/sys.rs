//! The raw syscalls behind wait handles (eventfd, pipes, ppoll), kept in
//! one place so every `unsafe` block of the wait layer sits here.

use std::os::fd::RawFd;

use crate::base::status::{Error, Result, StatusCode};
use crate::base::time::{self, Time, TIME_INFINITE_FUTURE, TIME_INFINITE_PAST};

/// Maps an errno from a failed syscall to a status code.
fn code_from_errno(errno: i32) -> StatusCode {
    match errno {
        libc::EINVAL | libc::EBADF => StatusCode::InvalidArgument,
        libc::ENOMEM | libc::EMFILE | libc::ENFILE | libc::ENOSPC => StatusCode::ResourceExhausted,
        libc::EPERM | libc::EACCES => StatusCode::PermissionDenied,
        libc::EAGAIN => StatusCode::Unavailable,
        libc::ENOSYS => StatusCode::Unimplemented,
        _ => StatusCode::Internal,
    }
}

fn last_errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

fn errno_error(what: &str, errno: i32) -> Error {
    Error::at(
        code_from_errno(errno),
        file!(),
        line!(),
        format!("{what} failed (errno {errno})"),
    )
}

/// Creates a non-blocking, close-on-exec eventfd holding `initial`.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub fn eventfd(initial: u32) -> Result<RawFd> {
    // SAFETY: eventfd takes plain integers and returns a new fd or -1.
    let fd = unsafe { libc::eventfd(initial, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) };
    if fd < 0 {
        return Err(errno_error("eventfd", last_errno()));
    }
    Ok(fd)
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub fn eventfd(_initial: u32) -> Result<RawFd> {
    Err(crate::iree_err!(
        Unimplemented,
        "eventfd is not available on this platform"
    ))
}

/// Creates a non-blocking, close-on-exec pipe: (read end, write end).
pub fn pipe() -> Result<(RawFd, RawFd)> {
    let mut fds: [libc::c_int; 2] = [-1, -1];
    // SAFETY: `fds` is a valid array of two ints for pipe2 to fill.
    let rv = unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) };
    if rv < 0 {
        return Err(errno_error("pipe2", last_errno()));
    }
    Ok((fds[0], fds[1]))
}

/// Closes an fd; errors (already closed, ...) are not load-bearing.
pub fn close(fd: RawFd) {
    if fd < 0 {
        return;
    }
    // SAFETY: closing an integer fd has no memory-safety requirements; the
    // caller owns the fd. EINTR is not retried as the fd is released anyway.
    unsafe { libc::close(fd) };
}

/// Outcome of a non-blocking read or write.
pub enum Io {
    Done,
    WouldBlock,
}

/// Writes `bytes` to a non-blocking fd, retrying on EINTR.
pub fn write(fd: RawFd, bytes: &[u8]) -> Result<Io> {
    loop {
        // SAFETY: `bytes` is a live buffer of `bytes.len()` bytes.
        let rv = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
        if rv >= 0 {
            return Ok(Io::Done);
        }
        match last_errno() {
            libc::EINTR => continue,
            libc::EAGAIN => return Ok(Io::WouldBlock),
            errno => return Err(errno_error("write", errno)),
        }
    }
}

/// Reads into `buf` from a non-blocking fd, retrying on EINTR.
pub fn read(fd: RawFd, buf: &mut [u8]) -> Result<Io> {
    loop {
        // SAFETY: `buf` is a live, writable buffer of `buf.len()` bytes.
        let rv = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if rv > 0 {
            return Ok(Io::Done);
        }
        if rv == 0 {
            // End of file: a pipe whose writer is gone holds nothing more.
            return Ok(Io::WouldBlock);
        }
        match last_errno() {
            libc::EINTR => continue,
            libc::EAGAIN => return Ok(Io::WouldBlock),
            errno => return Err(errno_error("read", errno)),
        }
    }
}

/// Polls `fds` for readability until `deadline_ns`; returns how many have
/// events (0 on timeout). Retries on EINTR with the time that is left.
pub fn poll(fds: &mut [libc::pollfd], deadline_ns: Time) -> Result<usize> {
    loop {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        let tmo: *const libc::timespec = match deadline_ns {
            TIME_INFINITE_FUTURE => std::ptr::null(),
            TIME_INFINITE_PAST => &ts,
            _ => {
                let left = deadline_ns.saturating_sub(time::now()).max(0);
                ts.tv_sec = (left / 1_000_000_000) as libc::time_t;
                ts.tv_nsec = (left % 1_000_000_000) as libc::c_long;
                &ts
            }
        };
        // SAFETY: `fds` is a live slice of pollfd and `tmo` is NULL or points
        // at `ts`, which outlives the call; no signal mask is passed.
        let rv = unsafe {
            libc::ppoll(
                fds.as_mut_ptr(),
                fds.len() as libc::nfds_t,
                tmo,
                std::ptr::null(),
            )
        };
        if rv >= 0 {
            return Ok(rv as usize);
        }
        match last_errno() {
            libc::EINTR => continue,
            errno => return Err(errno_error("ppoll", errno)),
        }
    }
}
