//! `iree-run-module`: loads modules, runs one exported function with inputs
//! from the command line and prints its results the way the reference tool
//! does (`EXEC @fn`, then `result[i]: type=value`). Failures print the
//! status to stderr and exit with 1.

use std::io::{Read, Write};

use crate::tools::flags::{self, Kind, Spec};
use crate::tools::scalar::{self, Scalar};
use crate::tools::vm_runner::{Function, Session};
use crate::{iree_bail, iree_err, Error, Result};

/// Flags shared by the run and benchmark tools.
pub const CONTEXT_FLAGS: &[Spec] = &[
    Spec {
        name: "module",
        kind: Kind::List,
        help: "A VM module to load: a .vmfb path or `-` for stdin. Modules load in flag order; imports resolve against modules loaded earlier.",
    },
    Spec {
        name: "function",
        kind: Kind::Value,
        help: "Name of the exported function of the last --module= to run.",
    },
    Spec {
        name: "input",
        kind: Kind::List,
        help: "A function input, one per flag in order; scalars only for now (e.g. `5`, `1.5`), typed by the function signature.",
    },
    Spec {
        name: "print_statistics",
        kind: Kind::Bool,
        help: "Prints runtime statistics to stderr on exit (nothing to report without a HAL device).",
    },
    Spec {
        name: "device",
        kind: Kind::List,
        help: "HAL device to use (not implemented yet).",
    },
    Spec {
        name: "parameters",
        kind: Kind::List,
        help: "Parameter file to provide (not implemented yet).",
    },
];

const RUN_FLAGS: &[Spec] = &[
    Spec {
        name: "output",
        kind: Kind::List,
        help: "How to handle each output (not implemented yet; results print to stdout).",
    },
    Spec {
        name: "expected_output",
        kind: Kind::List,
        help: "An expected output to compare against (not implemented yet).",
    },
];

/// Outcome of a CLI run: exit code plus what went to each stream.
pub type ExitCode = i32;

/// Entry point of the binary; returns the process exit code.
pub fn main(
    args: &[String],
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> ExitCode {
    let specs: &[&[Spec]] = &[flags::COMMON, CONTEXT_FLAGS, RUN_FLAGS];
    let parsed = match flags::parse(args, specs) {
        Ok(p) => p,
        Err(e) => return flags_error(err, &e),
    };
    if parsed.bool("help") {
        let _ = out.write_all(
            flags::usage("iree-run-module", "Runs a compiled IREE module.", specs).as_bytes(),
        );
        return 0;
    }
    match run(&parsed, stdin, out) {
        Ok(()) => 0,
        Err(e) => {
            let _ = out.flush();
            let _ = writeln!(err, "{e}");
            1
        }
    }
}

pub fn flags_error(err: &mut dyn Write, e: &Error) -> ExitCode {
    let _ = writeln!(err, "FLAGS ERROR: (╯°□°)╯︵👻");
    let _ = writeln!(err, "{e}");
    1
}

/// Rejects flags whose features do not exist yet, rather than ignoring them.
pub fn check_unimplemented(parsed: &flags::Parsed, names: &[&str]) -> Result<()> {
    for name in names {
        if parsed.list(name).iter().any(|v| !v.is_empty()) {
            iree_bail!(
                Unimplemented,
                "--{}= is not supported yet by this runtime (no HAL devices or parameters)",
                name
            );
        }
    }
    Ok(())
}

/// Loads the --module= list in order.
pub fn load_modules(parsed: &flags::Parsed, stdin: &mut dyn Read) -> Result<Session> {
    check_unimplemented(parsed, &["device", "parameters"])?;
    let modules = parsed.list("module");
    if modules.is_empty() {
        iree_bail!(
            InvalidArgument,
            "no user module specified; use --module=file.vmfb to load from a file or --module=- to load from stdin"
        );
    }
    let mut session = Session::new();
    for path in modules {
        read_module(path, stdin)
            .and_then(|bytes| session.load(&bytes))
            .map_err(|e| {
                e.annotate(format!("loading bytecode module at '{path}'"))
                    .annotate("loading modules and dependencies")
            })?;
    }
    Ok(session)
}

/// Loads the --module= list and finds the --function= to run.
pub fn create_context(parsed: &flags::Parsed, stdin: &mut dyn Read) -> Result<(Session, Function)> {
    let session = load_modules(parsed, stdin)?;
    let name = match parsed.value("function").filter(|f| !f.is_empty()) {
        Some(f) => f.to_owned(),
        None => {
            let exports = session.user_exports();
            match exports.as_slice() {
                [only] => only.clone(),
                [] => iree_bail!(NotFound, "no exported functions found in the module"),
                _ => iree_bail!(
                    InvalidArgument,
                    "more than one exported function present; --function= must be specified explicitly"
                ),
            }
        }
    };
    let function = session
        .lookup(&name)
        .map_err(|e| e.annotate(format!("looking up function '{name}'")))?;
    Ok((session, function))
}

fn read_module(path: &str, stdin: &mut dyn Read) -> Result<Vec<u8>> {
    if path == "-" {
        let mut bytes = Vec::new();
        stdin
            .read_to_end(&mut bytes)
            .map_err(|e| iree_err!(Unavailable, "reading module from stdin: {}", e))?;
        return Ok(bytes);
    }
    std::fs::read(path).map_err(|_| iree_err!(NotFound, "failed to open file '{}'", path))
}

/// Parses --input= values against the function's argument types.
pub fn parse_inputs(function: &Function, inputs: &[String]) -> Result<Vec<Scalar>> {
    let mut values = Vec::with_capacity(inputs.len());
    for (i, raw) in inputs.iter().enumerate() {
        let text = raw.trim();
        let annotate = |e: Error| e.annotate(format!("parsing input `{text}`"));
        if text.is_empty() {
            return Err(annotate(iree_err!(
                InvalidArgument,
                "no value specified for input"
            )));
        }
        if text.starts_with('@') || text.starts_with('+') {
            return Err(annotate(iree_err!(
                Unimplemented,
                "reading inputs from files is not supported yet"
            )));
        }
        let Some(&c) = function.cconv.args.get(i) else {
            return Err(annotate(iree_err!(
                InvalidArgument,
                "function expected fewer input values"
            )));
        };
        values.push(scalar::parse_as(c, text).map_err(annotate)?);
    }
    Ok(values)
}

fn run(parsed: &flags::Parsed, stdin: &mut dyn Read, out: &mut dyn Write) -> Result<()> {
    check_unimplemented(parsed, &["output", "expected_output"])?;
    let (mut session, function) =
        create_context(parsed, stdin).map_err(|e| e.annotate("creating run context"))?;
    let inputs = parse_inputs(&function, parsed.list("input"))
        .map_err(|e| e.annotate("parsing function inputs"))?;
    let io = |e: std::io::Error| iree_err!(DataLoss, "writing output: {}", e);
    writeln!(out, "EXEC @{}", function.name).map_err(io)?;
    let results = session
        .invoke(&function, &inputs)
        .map_err(|e| e.annotate(format!("invoking function '{}'", function.name)))?;
    for (i, r) in results.iter().enumerate() {
        writeln!(out, "result[{i}]: {}", r.display()).map_err(io)?;
    }
    out.flush().map_err(io)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run_cli(args: &[&str]) -> (i32, String, String) {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let rc = main(&args, &mut std::io::empty(), &mut out, &mut err);
        (
            rc,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    #[test]
    fn no_module() {
        let (rc, out, err) = run_cli(&["--function=f"]);
        assert_eq!(rc, 1);
        assert_eq!(out, "");
        assert!(
            err.contains("INVALID_ARGUMENT; no user module specified"),
            "{err}"
        );
        assert!(err.trim_end().ends_with("; creating run context"), "{err}");
    }

    #[test]
    fn unknown_flag() {
        let (rc, _, err) = run_cli(&["--bogus"]);
        assert_eq!(rc, 1);
        assert!(err.contains("flag 'bogus' not recognized"), "{err}");
    }

    #[test]
    fn missing_file() {
        let (rc, _, err) = run_cli(&["--module=/nonexistent/x.vmfb"]);
        assert_eq!(rc, 1);
        assert!(
            err.contains("NOT_FOUND; failed to open file '/nonexistent/x.vmfb'"),
            "{err}"
        );
    }

    #[test]
    fn device_is_unimplemented() {
        let (rc, _, err) = run_cli(&["--module=x", "--device=local-sync"]);
        assert_eq!(rc, 1);
        assert!(err.contains("UNIMPLEMENTED"), "{err}");
    }

    #[test]
    fn help() {
        let (rc, out, _) = run_cli(&["--help"]);
        assert_eq!(rc, 0);
        assert!(out.contains("--module="));
    }

    #[test]
    fn input_parsing_by_signature() {
        let f = Function {
            module: 0,
            ordinal: 0,
            name: "f".into(),
            cconv: crate::vm::bytecode::interp::program::Cconv::parse("0iIfF_i").unwrap(),
        };
        let inputs: Vec<String> = ["5", " 0x10 ", "1.5", "2.25"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            parse_inputs(&f, &inputs).unwrap(),
            vec![
                Scalar::I32(5),
                Scalar::I64(16),
                Scalar::F32(1.5),
                Scalar::F64(2.25)
            ]
        );
        let too_many: Vec<String> = ["1", "2", "3", "4", "5"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let e = parse_inputs(&f, &too_many).unwrap_err();
        assert_eq!(e.message(), "function expected fewer input values");
        let e = parse_inputs(&f, &["i32=5".to_string()]).unwrap_err();
        assert_eq!(e.message(), "parsing value `i32=5` as i32");
        let e = parse_inputs(&f, &["  ".to_string()]).unwrap_err();
        assert_eq!(e.message(), "no value specified for input");
    }
}
