//! Status codes and the Rust error type behind `iree_status_t`.
//!
//! Safe code returns `Result<T>`; the C layer turns an `Error` into a tagged
//! `iree_status_t` pointer (code in the low 5 bits, payload above) and back.

use std::fmt;

/// Every status code of the C API. Values match `iree_status_code_t`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum StatusCode {
    Ok = 0,
    Cancelled = 1,
    Unknown = 2,
    InvalidArgument = 3,
    DeadlineExceeded = 4,
    NotFound = 5,
    AlreadyExists = 6,
    PermissionDenied = 7,
    ResourceExhausted = 8,
    FailedPrecondition = 9,
    Aborted = 10,
    OutOfRange = 11,
    Unimplemented = 12,
    Internal = 13,
    Unavailable = 14,
    DataLoss = 15,
    Unauthenticated = 16,
    Deferred = 17,
}

/// Bits of an `iree_status_t` that hold the code; payloads are aligned past them.
pub const STATUS_CODE_MASK: usize = 0x1F;

impl StatusCode {
    /// Maps any masked code value to a code; values with no name are `Unknown`.
    pub fn from_raw(value: u32) -> StatusCode {
        use StatusCode::*;
        match value & STATUS_CODE_MASK as u32 {
            0 => Ok,
            1 => Cancelled,
            2 => Unknown,
            3 => InvalidArgument,
            4 => DeadlineExceeded,
            5 => NotFound,
            6 => AlreadyExists,
            7 => PermissionDenied,
            8 => ResourceExhausted,
            9 => FailedPrecondition,
            10 => Aborted,
            11 => OutOfRange,
            12 => Unimplemented,
            13 => Internal,
            14 => Unavailable,
            15 => DataLoss,
            16 => Unauthenticated,
            17 => Deferred,
            _ => Unknown,
        }
    }

    /// The upper-case name the C API prints (`iree_status_code_string`).
    pub fn as_str(self) -> &'static str {
        use StatusCode::*;
        match self {
            Ok => "OK",
            Cancelled => "CANCELLED",
            Unknown => "UNKNOWN",
            InvalidArgument => "INVALID_ARGUMENT",
            DeadlineExceeded => "DEADLINE_EXCEEDED",
            NotFound => "NOT_FOUND",
            AlreadyExists => "ALREADY_EXISTS",
            PermissionDenied => "PERMISSION_DENIED",
            ResourceExhausted => "RESOURCE_EXHAUSTED",
            FailedPrecondition => "FAILED_PRECONDITION",
            Aborted => "ABORTED",
            OutOfRange => "OUT_OF_RANGE",
            Unimplemented => "UNIMPLEMENTED",
            Internal => "INTERNAL",
            Unavailable => "UNAVAILABLE",
            DataLoss => "DATA_LOSS",
            Unauthenticated => "UNAUTHENTICATED",
            Deferred => "DEFERRED",
        }
    }
}

impl StatusCode {
    /// The canonical code for a POSIX `errno` value (0 is OK; unlisted
    /// values are UNKNOWN).
    pub fn from_errno(errno: i32) -> StatusCode {
        use StatusCode::*;
        match errno {
            0 => Ok,
            libc::EINVAL
            | libc::ENAMETOOLONG
            | libc::E2BIG
            | libc::EDESTADDRREQ
            | libc::EDOM
            | libc::EFAULT
            | libc::EILSEQ
            | libc::ENOPROTOOPT
            | libc::ENOSTR
            | libc::ENOTSOCK
            | libc::ENOTTY
            | libc::EPROTOTYPE
            | libc::ESPIPE => InvalidArgument,
            libc::ETIMEDOUT | libc::ETIME => DeadlineExceeded,
            libc::ENODEV | libc::ENOENT | libc::ENOMEDIUM | libc::ENXIO | libc::ESRCH => NotFound,
            libc::EEXIST | libc::EADDRNOTAVAIL | libc::EALREADY | libc::ENOTUNIQ => AlreadyExists,
            libc::EPERM | libc::EACCES | libc::ENOKEY | libc::EROFS => PermissionDenied,
            libc::ENOTEMPTY
            | libc::EISDIR
            | libc::ENOTDIR
            | libc::EADDRINUSE
            | libc::EBADF
            | libc::EBADFD
            | libc::EBUSY
            | libc::ECHILD
            | libc::EISCONN
            | libc::EISNAM
            | libc::ENOTBLK
            | libc::ENOTCONN
            | libc::EPIPE
            | libc::ESHUTDOWN
            | libc::ETXTBSY
            | libc::EUNATCH => FailedPrecondition,
            libc::ENOSPC
            | libc::EDQUOT
            | libc::EMFILE
            | libc::EMLINK
            | libc::ENFILE
            | libc::ENOBUFS
            | libc::ENODATA
            | libc::ENOMEM
            | libc::ENOSR
            | libc::EUSERS => ResourceExhausted,
            libc::ECHRNG | libc::EFBIG | libc::EOVERFLOW | libc::ERANGE => OutOfRange,
            libc::ENOPKG
            | libc::ENOSYS
            | libc::ENOTSUP
            | libc::EAFNOSUPPORT
            | libc::EPFNOSUPPORT
            | libc::EPROTONOSUPPORT
            | libc::ESOCKTNOSUPPORT
            | libc::EXDEV => Unimplemented,
            libc::EAGAIN
            | libc::ECOMM
            | libc::ECONNREFUSED
            | libc::ECONNABORTED
            | libc::ECONNRESET
            | libc::EINTR
            | libc::EHOSTDOWN
            | libc::EHOSTUNREACH
            | libc::ENETDOWN
            | libc::ENETRESET
            | libc::ENETUNREACH
            | libc::ENOLCK
            | libc::ENOLINK
            | libc::ENONET => Unavailable,
            libc::EDEADLK | libc::ESTALE => Aborted,
            libc::ECANCELED => Cancelled,
            _ => Unknown,
        }
    }
}

impl fmt::Display for StatusCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Where a status was created.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceLocation {
    pub file: String,
    pub line: u32,
}

/// The heap part of a rich status. Aligned so a pointer to it leaves the low
/// bits of `iree_status_t` free for the code.
#[derive(Clone, Debug, Default)]
#[repr(align(32))]
pub struct Payload {
    pub location: Option<SourceLocation>,
    pub message: String,
    pub annotations: Vec<String>,
}

/// A failed status: a non-OK code and an optional payload.
///
/// A code-only error (no payload) costs no allocation, which is what
/// `iree_status_from_code` produces on the C side.
#[derive(Clone)]
pub struct Error {
    code: StatusCode,
    payload: Option<Box<Payload>>,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// An error carrying only its code.
    pub fn from_code(code: StatusCode) -> Error {
        Error {
            code,
            payload: None,
        }
    }

    /// An error with a message and no source location.
    pub fn new(code: StatusCode, message: impl Into<String>) -> Error {
        Error::with_payload(
            code,
            Payload {
                location: None,
                message: message.into(),
                annotations: Vec::new(),
            },
        )
    }

    /// An error with a message and the place that raised it.
    pub fn at(code: StatusCode, file: &str, line: u32, message: impl Into<String>) -> Error {
        Error::with_payload(
            code,
            Payload {
                location: Some(SourceLocation {
                    file: file.to_owned(),
                    line,
                }),
                message: message.into(),
                annotations: Vec::new(),
            },
        )
    }

    pub fn with_payload(code: StatusCode, payload: Payload) -> Error {
        Error {
            code,
            payload: Some(Box::new(payload)),
        }
    }

    pub fn code(&self) -> StatusCode {
        self.code
    }

    pub fn payload(&self) -> Option<&Payload> {
        self.payload.as_deref()
    }

    pub fn payload_mut(&mut self) -> Option<&mut Payload> {
        self.payload.as_deref_mut()
    }

    /// The message given at creation (empty for code-only errors).
    pub fn message(&self) -> &str {
        self.payload.as_ref().map_or("", |p| p.message.as_str())
    }

    /// Adds context, as `iree_status_annotate` does; code-only errors gain a payload.
    pub fn annotate(mut self, annotation: impl Into<String>) -> Error {
        self.payload
            .get_or_insert_with(Default::default)
            .annotations
            .push(annotation.into());
        self
    }

    /// A copy keeping the code, location and message but not annotations
    /// (what `iree_status_clone` promises).
    pub fn clone_without_annotations(&self) -> Error {
        match &self.payload {
            None => Error::from_code(self.code),
            Some(p) => Error::with_payload(
                self.code,
                Payload {
                    location: p.location.clone(),
                    message: p.message.clone(),
                    annotations: Vec::new(),
                },
            ),
        }
    }

    /// Packs the error into the bits of an `iree_status_t`, giving up ownership.
    pub fn into_raw(self) -> usize {
        let code = self.code as usize;
        match self.payload {
            None => code,
            Some(payload) => Box::into_raw(payload) as usize | code,
        }
    }

    /// Rebuilds an error from `iree_status_t` bits; `None` for OK.
    ///
    /// # Safety
    /// `raw` must be 0, a bare code, or a value made by [`Error::into_raw`]
    /// that has not been rebuilt before.
    pub unsafe fn from_raw(raw: usize) -> Option<Error> {
        if raw == 0 {
            return None;
        }
        let code = StatusCode::from_raw((raw & STATUS_CODE_MASK) as u32);
        let ptr = (raw & !STATUS_CODE_MASK) as *mut Payload;
        let payload = if ptr.is_null() {
            None
        } else {
            // SAFETY: per the contract, `ptr` came from `Box::into_raw` in
            // `into_raw` and ownership returns here exactly once.
            Some(unsafe { Box::from_raw(ptr) })
        };
        Some(Error { code, payload })
    }

    /// Borrows the payload behind `iree_status_t` bits without taking ownership.
    ///
    /// # Safety
    /// As for [`Error::from_raw`], and the status must outlive `'a`.
    pub unsafe fn payload_from_raw<'a>(raw: usize) -> Option<&'a Payload> {
        let ptr = (raw & !STATUS_CODE_MASK) as *const Payload;
        // SAFETY: a non-null masked pointer is a live payload per the contract.
        unsafe { ptr.as_ref() }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Formats like upstream: `file:line: CODE; message; annotation; ...`.
impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(payload) = &self.payload else {
            return f.write_str(self.code.as_str());
        };
        if let Some(loc) = &payload.location {
            write!(f, "{}:{}: ", loc.file, loc.line)?;
        }
        f.write_str(self.code.as_str())?;
        if !payload.message.is_empty() {
            write!(f, "; {}", payload.message)?;
        }
        for annotation in &payload.annotations {
            write!(f, "; {annotation}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// Builds an [`Error`] with the Rust source location:
/// `iree_err!(InvalidArgument, "bad ordinal {}", i)`.
#[macro_export]
macro_rules! iree_err {
    ($code:ident) => {
        $crate::base::status::Error::at($crate::base::status::StatusCode::$code, file!(), line!(), "")
    };
    ($code:ident, $($fmt:tt)+) => {
        $crate::base::status::Error::at(
            $crate::base::status::StatusCode::$code, file!(), line!(), format!($($fmt)+))
    };
}

/// Returns early with an [`Error`]: `iree_bail!(OutOfRange, "index {} past {}", i, n)`.
#[macro_export]
macro_rules! iree_bail {
    ($($args:tt)+) => {
        return Err($crate::iree_err!($($args)+))
    };
}

/// Returns early with an error unless the condition holds.
#[macro_export]
macro_rules! iree_ensure {
    ($cond:expr, $($args:tt)+) => {
        if !($cond) {
            $crate::iree_bail!($($args)+);
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_round_trip_keeps_code_and_payload() {
        let err = Error::new(StatusCode::NotFound, "missing").annotate("while loading");
        let raw = err.into_raw();
        assert_eq!(raw & STATUS_CODE_MASK, StatusCode::NotFound as usize);
        // SAFETY: `raw` came from into_raw just above.
        let back = unsafe { Error::from_raw(raw) }.unwrap();
        assert_eq!(back.code(), StatusCode::NotFound);
        assert_eq!(back.to_string(), "NOT_FOUND; missing; while loading");
    }

    #[test]
    fn code_only_errors_do_not_allocate() {
        let raw = Error::from_code(StatusCode::Aborted).into_raw();
        assert_eq!(raw, StatusCode::Aborted as usize);
        // SAFETY: a bare code is a valid raw status.
        assert!(unsafe { Error::from_raw(0) }.is_none());
    }
}
