//! `iree-run-module`: loads modules into one VM context, runs one exported
//! function with inputs from the command line and prints its results the
//! way the reference tool does (`EXEC @fn`, then `result[i]: ...`).
//! Failures print the status to stderr and exit with 1.

use std::io::{Read, Write};

use crate::buffer_views::{self, TensorReader};
use crate::flags::{self, Kind, Spec};
use crate::outputs;
use crate::session::{self, Function, Session};
use crate::variants;
use iree_runtime::vm::list::List;
use iree_runtime::vm::r#ref::Ref;
use iree_runtime::{iree_bail, iree_err, Error, Result};

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
        help: "A function input, one per flag in order, typed by the function signature: a scalar (`5`, `1.5`), `(null)`, a tensor (`2x2xf32=[1 2][3 4]`, `4xi32=7`), `@file.npy` (its first array) or `+file.npy` (the next array of the file read last).",
    },
    Spec {
        name: "print_statistics",
        kind: Kind::Bool,
        help: "Prints runtime statistics to stderr on exit (nothing to report without a HAL device).",
    },
    Spec {
        name: "device",
        kind: Kind::List,
        help: "A HAL device URI (`local-sync`); repeatable, offered to the program in order. Programs using the HAL get `local-sync` when none is given.",
    },
    Spec {
        name: "output_max_element_count",
        kind: Kind::Value,
        help: "The most elements of a buffer view printed; the rest are elided as `...` (default 1024).",
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
        help: "Where each result goes, one flag per result: `` (skip), `-` (stdout), `@file` (write), `+file` (append); `.npy` files get a NumPy header.",
    },
    Spec {
        name: "expected_output",
        kind: Kind::List,
        help: "An expected result, one per flag in order; the results are compared with them instead of printed.",
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
        Ok(true) => 0,
        Ok(false) => 1,
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

/// `--output_max_element_count=` (the reference's default when absent).
pub fn max_element_count(parsed: &flags::Parsed) -> Result<usize> {
    match parsed.value("output_max_element_count") {
        None => Ok(buffer_views::DEFAULT_MAX_ELEMENT_COUNT),
        Some(v) => v.trim().parse().map_err(|_| {
            iree_err!(
                InvalidArgument,
                "invalid --output_max_element_count `{}`",
                v
            )
        }),
    }
}

/// Loads the --module= list in order and creates their context (with the
/// hal module over the --device= devices when a module uses the HAL).
pub fn load_modules(parsed: &flags::Parsed, stdin: &mut dyn Read) -> Result<Session> {
    check_unimplemented(parsed, &["parameters"])?;
    let paths = parsed.list("module");
    if paths.is_empty() {
        iree_bail!(
            InvalidArgument,
            "no user module specified; use --module=file.vmfb to load from a file or --module=- to load from stdin"
        );
    }
    let mut loaded = Vec::with_capacity(paths.len());
    for path in paths {
        let module = read_module(path, stdin)
            .and_then(session::load_module)
            .map_err(|e| {
                e.annotate(format!("loading bytecode module at '{path}'"))
                    .annotate("loading modules and dependencies")
            })?;
        loaded.push(module);
    }
    Session::new(loaded, parsed.list("device")).map_err(|e| e.annotate("creating VM context"))
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

pub(crate) fn read_module(path: &str, stdin: &mut dyn Read) -> Result<Vec<u8>> {
    if path == "-" {
        let mut bytes = Vec::new();
        stdin
            .read_to_end(&mut bytes)
            .map_err(|e| iree_err!(Unavailable, "reading module from stdin: {}", e))?;
        return Ok(bytes);
    }
    std::fs::read(path).map_err(|_| iree_err!(NotFound, "failed to open file '{}'", path))
}

/// A reader of tensor values allocating from the session's device, when
/// the session has one.
pub fn tensor_reader(session: &Session) -> Option<TensorReader> {
    session.device_allocator().ok().map(TensorReader::new)
}

/// Parses --input= values against the function's argument types into a new
/// VM list. Fewer inputs than arguments is left for `invoke` to report.
pub fn parse_inputs(session: &Session, function: &Function, inputs: &[String]) -> Result<Ref> {
    let types = function.arg_types();
    let list_ref = Session::new_list(inputs.len())?;
    let list = List::from_ref(&list_ref)?;
    let mut tensors = tensor_reader(session);
    for (i, raw) in inputs.iter().enumerate() {
        let Some(&c) = types.get(i) else {
            return Err(
                iree_err!(InvalidArgument, "function expected fewer input values")
                    .annotate(format!("parsing input `{}`", raw.trim())),
            );
        };
        list.push_variant(variants::parse_input(c, raw, tensors.as_mut())?)?;
    }
    Ok(list_ref)
}

fn run(parsed: &flags::Parsed, stdin: &mut dyn Read, out: &mut dyn Write) -> Result<bool> {
    let (session, function) =
        create_context(parsed, stdin).map_err(|e| e.annotate("creating run context"))?;
    // As the reference, failures past this point name the function's
    // source-level signature.
    run_function(parsed, &session, &function, out).map_err(|e| match &function.declaration {
        Some(declaration) => e.annotate(format!("`{declaration}`")),
        None => e,
    })
}

fn run_function(
    parsed: &flags::Parsed,
    session: &Session,
    function: &Function,
    out: &mut dyn Write,
) -> Result<bool> {
    let max_elements = max_element_count(parsed)?;
    let inputs = parse_inputs(session, function, parsed.list("input"))
        .map_err(|e| e.annotate("parsing function inputs"))?;
    let io = |e: std::io::Error| iree_err!(DataLoss, "writing output: {}", e);
    writeln!(out, "EXEC @{}", function.name).map_err(io)?;
    let outputs_ref = Session::new_list(8)?;
    let outputs = List::from_ref(&outputs_ref)?;
    session
        .invoke(function, List::from_ref(&inputs)?, outputs)
        .map_err(|e| e.annotate(format!("invoking function '{}'", function.name)))?;
    let expected = parsed.list("expected_output");
    let specs = parsed.list("output");
    let ok = if !expected.is_empty() {
        let mut tensors = tensor_reader(session);
        outputs::check_expected(
            outputs,
            function.result_types(),
            expected,
            tensors.as_mut(),
            max_elements,
            out,
        )
        .map_err(|e| e.annotate("parsing expected function outputs"))
        .map_err(|e| e.annotate("processing function outputs"))?
    } else if !specs.is_empty() {
        outputs::write_results(outputs, specs, max_elements, out)
            .map_err(|e| e.annotate("outputting results"))
            .map_err(|e| e.annotate("processing function outputs"))?;
        true
    } else {
        outputs::print_results(outputs, max_elements, out)?;
        true
    };
    out.flush().map_err(io)?;
    Ok(ok)
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
    fn local_task_runs_like_local_sync() {
        let module = format!(
            "--module={}/testdata/tools/hal/arith.vmfb",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
        );
        let inputs = ["--input=2x2xf32=[1 2][3 4]", "--input=2x2xf32=[5 6][7 8]"];
        let run = |device: &str| {
            let mut args = vec![module.as_str(), "--function=add", device];
            args.extend(inputs);
            run_cli(&args)
        };
        let (rc, sync_out, err) = run("--device=local-sync");
        assert_eq!(rc, 0, "{err}");
        let (rc, task_out, err) = run("--device=local-task");
        assert_eq!(rc, 0, "{err}");
        assert_eq!(task_out, sync_out);
        assert!(task_out.contains("[6 8][10 12]"), "{task_out}");
    }

    fn vm_module(name: &str) -> String {
        format!(
            "--module={}/testdata/vm/{name}.vmfb",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
        )
    }

    #[test]
    fn dependencies_must_load_first() {
        // Text as the reference prints it for the same command.
        let (rc, out, err) = run_cli(&[&vm_module("calls"), "--function=test_import_call"]);
        assert_eq!((rc, out.as_str()), (1, ""));
        assert!(
            err.contains("NOT_FOUND; required module 'callee' not available in the build (modules must be registered in order with dependent modules following those they depend upon); resolving dependencies for 'calls'; creating VM context; creating run context"),
            "{err}"
        );
        let (rc, out, err) = run_cli(&[
            &vm_module("calls_callee"),
            &vm_module("calls"),
            "--function=test_import_call",
        ]);
        assert_eq!(rc, 0, "{err}");
        assert!(
            out.starts_with("EXEC @test_import_call\nresult[0]: i32="),
            "{out}"
        );
    }

    #[test]
    fn module_from_stdin() {
        let bytes = std::fs::read(format!(
            "{}/testdata/vm/arith_i32.vmfb",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../..")
        ))
        .unwrap();
        let args: Vec<String> = [
            "--module=-",
            "--function=test_args",
            "--input=6",
            "--input=7",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let rc = main(&args, &mut bytes.as_slice(), &mut out, &mut err);
        assert_eq!(rc, 0);
        assert_eq!(out, b"EXEC @test_args\nresult[0]: i32=42\n");
    }

    #[test]
    fn help() {
        let (rc, out, _) = run_cli(&["--help"]);
        assert_eq!(rc, 0);
        assert!(out.contains("--module="));
    }

    #[test]
    fn input_parsing_by_signature() {
        use iree_runtime::vm::value::{Value, Variant};
        let f = Function {
            handle: iree_runtime::vm::interface::Function::NULL,
            name: "f".into(),
            cconv: "0iIfFr_i".into(),
            declaration: None,
        };
        let inputs: Vec<String> = ["5", " 0x10 ", "1.5", "2.25", "(null)"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let session = Session::new(Vec::new(), &[]).unwrap();
        let list_ref = parse_inputs(&session, &f, &inputs).unwrap();
        let list = List::from_ref(&list_ref).unwrap();
        let got: Vec<Variant> = (0..list.size())
            .map(|i| list.get_variant(i).unwrap())
            .collect();
        assert_eq!(
            got,
            vec![
                Variant::Value(Value::I32(5)),
                Variant::Value(Value::I64(16)),
                Variant::Value(Value::F32(1.5)),
                Variant::Value(Value::F64(2.25)),
                Variant::Empty,
            ]
        );
        let too_many: Vec<String> = ["1", "2", "3", "4", "(null)", "6"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let e = parse_inputs(&session, &f, &too_many).unwrap_err();
        assert_eq!(e.message(), "function expected fewer input values");
        assert!(e.to_string().ends_with("parsing input `6`"), "{e}");
        let e = parse_inputs(&session, &f, &["i32=5".to_string()]).unwrap_err();
        assert_eq!(e.message(), "parsing value `i32=5` as i32");
        let e = parse_inputs(&session, &f, &["  ".to_string()]).unwrap_err();
        assert_eq!(e.message(), "no value specified for input");
    }
}
