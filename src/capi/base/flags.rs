//! `iree/base/internal/flags.h`: the process-wide flag registry.
//!
//! C code registers flags (usually from static initializers made by
//! `IREE_FLAG`) with a pointer to the variable holding the value; parsing
//! writes straight into those variables. Two flags are built in: `--help`
//! (prints every flag) and `--flagfile=<path>` (reads more flags, one per
//! line). String values are copied into memory the registry keeps for the
//! life of the process, so flag variables may keep pointing at them.

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::sync::{Mutex, MutexGuard};

use crate::base::flags as syntax;
use crate::base::status::Error;
use crate::capi::base::status::iree_status_t;
use crate::capi::base::string_view::{c_str_bytes, iree_string_view_t};
use crate::capi::boundary::ffi_boundary;
use crate::{iree_bail, iree_err, Result};

/// `iree_flag_type_t` (enum in `iree/abi/base_types.h`).
/// cbindgen:ignore
pub type iree_flag_type_t = u32;
const FLAG_TYPE_CALLBACK: u32 = 1;
const FLAG_TYPE_BOOL: u32 = 2;
const FLAG_TYPE_INT32: u32 = 3;
const FLAG_TYPE_INT64: u32 = 4;
const FLAG_TYPE_FLOAT: u32 = 5;
const FLAG_TYPE_DOUBLE: u32 = 6;
const FLAG_TYPE_STRING: u32 = 7;

/// `iree_flags_parse_mode_t` bits.
/// cbindgen:ignore
pub type iree_flags_parse_mode_t = u32;
const PARSE_MODE_UNDEFINED_OK: u32 = 1 << 0;
const PARSE_MODE_CONTINUE_AFTER_HELP: u32 = 1 << 1;

/// `iree_flag_dump_mode_t` bits.
/// cbindgen:ignore
pub type iree_flag_dump_mode_t = u32;
const DUMP_MODE_VERBOSE: u32 = 1 << 0;

/// `iree_flag_parse_callback_fn_t`.
/// cbindgen:ignore
pub type iree_flag_parse_callback_fn_t = Option<
    unsafe extern "C" fn(
        flag_name: iree_string_view_t,
        storage: *mut c_void,
        value: iree_string_view_t,
    ) -> iree_status_t,
>;

/// `iree_flag_print_callback_fn_t`.
/// cbindgen:ignore
pub type iree_flag_print_callback_fn_t = Option<
    unsafe extern "C" fn(
        flag_name: iree_string_view_t,
        storage: *mut c_void,
        file: *mut libc::FILE,
    ),
>;

#[derive(Clone, Copy)]
enum Kind {
    Typed(u32),
    Callback(
        unsafe extern "C" fn(iree_string_view_t, *mut c_void, iree_string_view_t) -> iree_status_t,
        iree_flag_print_callback_fn_t,
    ),
    Help,
    FlagFile,
}

#[derive(Clone)]
struct Flag {
    file: String,
    line: i32,
    kind: Kind,
    storage: *mut c_void,
    name: Vec<u8>,
    description: Vec<u8>,
}

struct Registry {
    flags: Vec<Flag>,
    program_name: Option<CString>,
    usage: Option<CString>,
    /// Backing memory of every string value handed out (never freed).
    retained: Vec<CString>,
}

// SAFETY: the raw pointers are C flag variables and callback state whose
// owners promise (API contract) they live for the process and are only
// written by the parser; the mutex serializes all registry access.
unsafe impl Send for Registry {}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    flags: Vec::new(),
    program_name: None,
    usage: None,
    retained: Vec::new(),
});

fn registry() -> MutexGuard<'static, Registry> {
    let mut guard = REGISTRY.lock().unwrap_or_else(|e| e.into_inner());
    if !guard.flags.iter().any(|f| matches!(f.kind, Kind::Help)) {
        let builtin = |name: &str, kind, description: &str| Flag {
            file: file!().to_owned(),
            line: 0,
            kind,
            storage: std::ptr::null_mut(),
            name: name.as_bytes().to_vec(),
            description: description.as_bytes().to_vec(),
        };
        guard.flags.push(builtin(
            "help",
            Kind::Help,
            "Displays command line usage information.",
        ));
        guard.flags.push(builtin(
            "flagfile",
            Kind::FlagFile,
            "Parses a newline-separated list of flags from a file.\nFlags are parsed at the point where the flagfile is specified\nand following flags may override the parsed values.",
        ));
    }
    guard
}

fn lookup(name: &[u8]) -> Option<Flag> {
    registry().flags.iter().find(|f| f.name == name).cloned()
}

/// Keeps a NUL-terminated copy of `bytes` alive for the process.
fn retain_cstring(bytes: &[u8]) -> *const c_char {
    let owned = CString::new(
        bytes
            .iter()
            .copied()
            .filter(|&b| b != 0)
            .collect::<Vec<u8>>(),
    )
    .unwrap_or_default();
    let ptr = owned.as_ptr();
    registry().retained.push(owned);
    ptr
}

/// Stores `value` into the flag (or runs its callback / built-in action).
fn apply(flag: &Flag, value: &[u8]) -> Result<()> {
    match flag.kind {
        Kind::Help => {
            print_help();
            Ok(())
        }
        Kind::FlagFile => parse_flagfile(&flag.name, value),
        Kind::Callback(parse, _) => {
            let name = iree_string_view_t {
                data: flag.name.as_ptr().cast::<c_char>(),
                size: flag.name.len(),
            };
            let data = retain_cstring(value);
            let value = iree_string_view_t {
                data,
                size: value.len(),
            };
            // SAFETY: the callback and storage were registered together for
            // this flag; both views outlive the call.
            let status = unsafe { parse(name, flag.storage, value) };
            // SAFETY: the callback hands us its status.
            unsafe { status.into_result() }
        }
        Kind::Typed(ty) => {
            let storage = flag.storage;
            // SAFETY: the registered storage is a live variable of the C type
            // named by the flag type (API contract).
            unsafe {
                match ty {
                    FLAG_TYPE_BOOL => *storage.cast::<bool>() = syntax::parse_bool(value),
                    FLAG_TYPE_INT32 => *storage.cast::<i32>() = syntax::parse_decimal_i32(value),
                    FLAG_TYPE_INT64 => *storage.cast::<i64>() = syntax::parse_decimal(value),
                    FLAG_TYPE_FLOAT => *storage.cast::<f32>() = syntax::parse_float(value) as f32,
                    FLAG_TYPE_DOUBLE => *storage.cast::<f64>() = syntax::parse_float(value),
                    FLAG_TYPE_STRING => {
                        *storage.cast::<*const c_char>() =
                            retain_cstring(syntax::strip_quotes(value))
                    }
                    other => {
                        return Err(iree_err!(FailedPrecondition, "invalid flag type {other}"))
                    }
                }
            }
            Ok(())
        }
    }
}

fn parse_flagfile(flag_name: &[u8], path: &[u8]) -> Result<()> {
    if path.is_empty() {
        return Err(iree_err!(
            InvalidArgument,
            "--{}= requires a file path",
            String::from_utf8_lossy(flag_name)
        ));
    }
    let path_text = String::from_utf8_lossy(path).into_owned();
    let contents = std::fs::read(&path_text).map_err(|e| {
        let code = crate::base::status::StatusCode::from_errno(e.raw_os_error().unwrap_or(0));
        let code = if code == crate::StatusCode::Ok {
            crate::StatusCode::Unknown
        } else {
            code
        };
        Error::new(code, format!("failed to open file '{path_text}'"))
            .annotate("while trying to parse flagfile")
    })?;
    let entries = syntax::flagfile_entries(&contents)
        .map_err(|e| e.annotate(format!("in flagfile '{path_text}'")))?;
    for (line, name, value) in entries {
        let Some(flag) = lookup(name) else {
            return Err(iree_err!(
                InvalidArgument,
                "{path_text}:{line}: flag '{}' not recognized",
                String::from_utf8_lossy(name)
            ));
        };
        apply(&flag, value).map_err(|e| {
            e.annotate(format!(
                "{path_text}:{line}: while parsing flag '{}'",
                String::from_utf8_lossy(name)
            ))
        })?;
    }
    Ok(())
}

/// Writes bytes to a C stream.
///
/// # Safety
/// `file` must be an open stream.
unsafe fn write_file(file: *mut libc::FILE, text: &[u8]) {
    // SAFETY: forwarded contract.
    unsafe { libc::fwrite(text.as_ptr().cast::<c_void>(), 1, text.len(), file) };
}

/// `%g` rendering, as C prints floating-point flag values.
fn format_g(value: f64) -> String {
    let mut buffer = [0u8; 64];
    // SAFETY: snprintf writes at most buffer.len() bytes incl. the NUL.
    let n = unsafe {
        libc::snprintf(
            buffer.as_mut_ptr().cast::<c_char>(),
            buffer.len(),
            c"%g".as_ptr(),
            value,
        )
    };
    String::from_utf8_lossy(&buffer[..usize::try_from(n).unwrap_or(0).min(buffer.len() - 1)])
        .into_owned()
}

/// Prints one flag as `--name=value` (callback flags print themselves).
///
/// # Safety
/// `file` must be an open stream.
unsafe fn print_flag(file: *mut libc::FILE, flag: &Flag) {
    let name = String::from_utf8_lossy(&flag.name);
    let text = match flag.kind {
        Kind::Help => format!("# --{name}\n"),
        Kind::FlagFile => format!("# --{name}=[path]\n"),
        Kind::Callback(_, print) => {
            if let Some(print) = print {
                let view = iree_string_view_t {
                    data: flag.name.as_ptr().cast::<c_char>(),
                    size: flag.name.len(),
                };
                // SAFETY: callback registered with this storage; open stream.
                unsafe { print(view, flag.storage, file) };
            }
            return;
        }
        Kind::Typed(ty) => {
            // SAFETY: storage is a live variable of the flag's C type.
            let value = unsafe {
                match ty {
                    FLAG_TYPE_BOOL => (*flag.storage.cast::<bool>()).to_string(),
                    FLAG_TYPE_INT32 => (*flag.storage.cast::<i32>()).to_string(),
                    FLAG_TYPE_INT64 => (*flag.storage.cast::<i64>()).to_string(),
                    FLAG_TYPE_FLOAT => format_g(f64::from(*flag.storage.cast::<f32>())),
                    FLAG_TYPE_DOUBLE => format_g(*flag.storage.cast::<f64>()),
                    FLAG_TYPE_STRING => {
                        let s = *flag.storage.cast::<*const c_char>();
                        let s = String::from_utf8_lossy(c_str_bytes(s).unwrap_or(b""));
                        format!("\"{s}\"")
                    }
                    _ => "<INVALID>".to_owned(),
                }
            };
            format!("--{name}={value}\n")
        }
    };
    // SAFETY: forwarded contract.
    unsafe { write_file(file, text.as_bytes()) };
}

/// Every flag, ordered by defining file and line.
fn sorted_flags() -> Vec<Flag> {
    let mut flags = registry().flags.clone();
    flags.sort_by(|a, b| (a.file.as_str(), a.line).cmp(&(b.file.as_str(), b.line)));
    flags
}

/// # Safety
/// `file` must be an open stream.
unsafe fn dump(mode: iree_flag_dump_mode_t, file: *mut libc::FILE) {
    let verbose = mode & DUMP_MODE_VERBOSE != 0;
    let mut last_file: Option<String> = None;
    for flag in sorted_flags() {
        if verbose {
            let mut header = String::new();
            if last_file.is_some() {
                header.push('\n');
            }
            if last_file.as_deref() != Some(flag.file.as_str()) {
                let rule = "# ===----------------------------------------------------------------------===\n";
                header.push_str(rule);
                header.push_str(&format!("# Flags in {}:{}\n", flag.file, flag.line));
                header.push_str(rule);
                header.push('\n');
                last_file = Some(flag.file.clone());
            }
            for line in flag
                .description
                .split(|&b| b == b'\n')
                .filter(|l| !l.is_empty())
            {
                header.push_str(&format!("# {}\n", String::from_utf8_lossy(line)));
            }
            // SAFETY: forwarded contract.
            unsafe { write_file(file, header.as_bytes()) };
        }
        // SAFETY: forwarded contract.
        unsafe { print_flag(file, &flag) };
    }
}

fn print_help() {
    let (program, usage) = {
        let reg = registry();
        (
            reg.program_name
                .as_ref()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default(),
            reg.usage.as_ref().map(|s| s.to_string_lossy().into_owned()),
        )
    };
    let rule = "# ============================================================================\n";
    let mut text = format!("{rule}# IREE: {program}\n{rule}\n");
    if let Some(usage) = usage {
        text.push_str(&usage);
        text.push('\n');
    }
    // SAFETY: the C stdout stream is always open; flush Rust's first so the
    // two buffers do not interleave.
    unsafe {
        let stdout = stdout_stream();
        write_file(stdout, text.as_bytes());
        dump(DUMP_MODE_VERBOSE, stdout);
        write_file(stdout, b"\n");
        libc::fflush(stdout);
    }
}

/// The C library's `stdout` stream.
fn stdout_stream() -> *mut libc::FILE {
    extern "C" {
        static mut stdout: *mut libc::FILE;
    }
    // SAFETY: reading the C library's stream pointer, set up before main.
    unsafe { stdout }
}

fn stderr_stream() -> *mut libc::FILE {
    extern "C" {
        static mut stderr: *mut libc::FILE;
    }
    // SAFETY: reading the C library's stream pointer, set up before main.
    unsafe { stderr }
}

/// Registers a flag and returns its ordinal (-1 when the registration is
/// invalid: empty name, missing storage for a typed flag, missing parse
/// callback for a callback flag, or an unknown type). `name`, `description`
/// and `file` are copied; `storage` (the caller's, typed by `type_`) is
/// kept and must stay live for the process, as must the callbacks.
#[no_mangle]
pub unsafe extern "C" fn iree_flag_register(
    file: *const c_char,
    line: c_int,
    type_: iree_flag_type_t,
    storage: *mut c_void,
    parse_callback: iree_flag_parse_callback_fn_t,
    print_callback: iree_flag_print_callback_fn_t,
    name: iree_string_view_t,
    description: iree_string_view_t,
) -> c_int {
    ffi_boundary(|| {
        // SAFETY: views and the file name are live (API contract).
        let (name, description) =
            unsafe { (name.as_bytes().to_vec(), description.as_bytes().to_vec()) };
        // SAFETY: NULL or a NUL-terminated string (API contract).
        let file =
            String::from_utf8_lossy(unsafe { c_str_bytes(file) }.unwrap_or(b"")).into_owned();
        let kind = match type_ {
            FLAG_TYPE_CALLBACK => match parse_callback {
                Some(parse) => Kind::Callback(parse, print_callback),
                None => return Ok(-1),
            },
            FLAG_TYPE_BOOL..=FLAG_TYPE_STRING if !storage.is_null() => Kind::Typed(type_),
            _ => return Ok(-1),
        };
        if name.is_empty() {
            return Ok(-1);
        }
        let mut reg = registry();
        reg.flags.push(Flag {
            file,
            line,
            kind,
            storage,
            name,
            description,
        });
        c_int::try_from(reg.flags.len() - 1)
            .map_err(|_| iree_err!(ResourceExhausted, "too many flags"))
    })
}

/// Sets the program name and usage text --help prints; both (NULL clears
/// them) are copied.
#[no_mangle]
pub unsafe extern "C" fn iree_flags_set_usage(program_name: *const c_char, usage: *const c_char) {
    ffi_boundary(|| {
        // SAFETY: NULL or NUL-terminated strings (API contract).
        let copy =
            |s: *const c_char| (!s.is_null()).then(|| unsafe { CStr::from_ptr(s) }.to_owned());
        let mut reg = registry();
        reg.program_name = copy(program_name);
        reg.usage = copy(usage);
        Ok(())
    })
}

/// Parses and removes `--name[=value]` arguments, leaving the program name
/// and positional arguments in the caller's `argv` (NULL-terminated; the
/// strings stay the caller's, string flags keep pointers to copies) and
/// their count in `*argc`. Unknown flags fail with
/// IREE_STATUS_INVALID_ARGUMENT unless the mode allows them (they then stay
/// in place). `--help` prints the flags and exits unless the mode continues
/// after it (it then stays in place). NULL `argc`/`argv` parse nothing.
#[no_mangle]
pub unsafe extern "C" fn iree_flags_parse(
    mode: iree_flags_parse_mode_t,
    argc: *mut c_int,
    argv: *mut *mut *mut c_char,
) -> iree_status_t {
    ffi_boundary(|| {
        if argc.is_null() || argv.is_null() {
            return Ok(());
        }
        // SAFETY: checked non-null; argc/argv describe the caller's argument
        // vector (API contract).
        let (mut count, args) = unsafe { (usize::try_from(*argc).unwrap_or(0), *argv) };
        if count == 0 || args.is_null() {
            return Ok(());
        }
        let mut index = 1;
        while index < count {
            // SAFETY: index < count entries of argv.
            let arg = unsafe { *args.add(index) };
            if arg.is_null() {
                index += 1;
                continue;
            }
            // SAFETY: argv entries are NUL-terminated strings.
            let bytes = unsafe { CStr::from_ptr(arg) }.to_bytes();
            let Some((name, value)) = syntax::split_flag_argument(bytes) else {
                index += 1;
                continue;
            };
            let Some(flag) = lookup(name) else {
                if mode & PARSE_MODE_UNDEFINED_OK != 0 {
                    index += 1;
                    continue;
                }
                iree_bail!(
                    InvalidArgument,
                    "flag '{}' not recognized",
                    String::from_utf8_lossy(name)
                );
            };
            apply(&flag, value)?;
            if matches!(flag.kind, Kind::Help) {
                if mode & PARSE_MODE_CONTINUE_AFTER_HELP != 0 {
                    index += 1;
                    continue;
                }
                // SAFETY: exiting the process as --help requests.
                unsafe { libc::exit(0) };
            }
            // Splice the flag out of argv.
            // SAFETY: shifting within the first `count` entries.
            unsafe {
                std::ptr::copy(args.add(index + 1), args.add(index), count - index - 1);
                *args.add(count - 1) = std::ptr::null_mut();
            }
            count -= 1;
        }
        // SAFETY: checked non-null; `count` only shrank from a c_int.
        unsafe { *argc = c_int::try_from(count).unwrap_or(c_int::MAX) };
        Ok(())
    })
}

/// As iree_flags_parse, but prints the error and exits the process with
/// EXIT_FAILURE when parsing fails.
#[no_mangle]
pub unsafe extern "C" fn iree_flags_parse_checked(
    mode: iree_flags_parse_mode_t,
    argc: *mut c_int,
    argv: *mut *mut *mut c_char,
) {
    ffi_boundary(|| {
        // SAFETY: forwarded contract.
        let status = unsafe { iree_flags_parse(mode, argc, argv) };
        if status.is_ok() {
            return Ok(());
        }
        let stderr = stderr_stream();
        // SAFETY: stderr is open; the status is ours to print and free.
        unsafe {
            write_file(stderr, b"FLAGS ERROR: ");
            crate::capi::base::status::iree_status_fprint(stderr, status);
            crate::capi::base::status::iree_status_free(status);
            libc::exit(libc::EXIT_FAILURE);
        }
    })
}

/// Prints every flag with its current value to `file` (borrowed for the
/// call; with descriptions and file headers in verbose mode). NULL `file`
/// prints nothing.
#[no_mangle]
pub unsafe extern "C" fn iree_flags_dump(mode: iree_flag_dump_mode_t, file: *mut libc::FILE) {
    ffi_boundary(|| {
        if !file.is_null() {
            // SAFETY: an open stream (API contract).
            unsafe { dump(mode, file) }
        }
        Ok(())
    })
}
