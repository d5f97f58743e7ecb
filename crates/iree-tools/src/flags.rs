//! Command-line flags in the reference tools' dialect: `--name=value` (one
//! or two leading dashes), bare `--name` for booleans (or an empty value),
//! repeatable list flags, `--flagfile=path` with one flag per line (`#`
//! comments), and an error for names no tool declares. Words that are not
//! flags are ignored, as the reference tools ignore them.

use std::collections::BTreeMap;

use iree_runtime::{iree_bail, iree_err, Result};

/// How a declared flag takes values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `--name` means true; `--name=false|0|no` false.
    Bool,
    /// Last occurrence wins.
    Value,
    /// Every occurrence is kept, in order.
    List,
}

/// A declared flag.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    pub name: &'static str,
    pub kind: Kind,
    pub help: &'static str,
}

/// Parsed flags: for each name seen, its values in command-line order.
#[derive(Clone, Debug, Default)]
pub struct Parsed {
    values: BTreeMap<String, Vec<String>>,
}

impl Parsed {
    pub fn list(&self, name: &str) -> &[String] {
        self.values.get(name).map(Vec::as_slice).unwrap_or(&[])
    }
    pub fn value(&self, name: &str) -> Option<&str> {
        self.list(name).last().map(String::as_str)
    }
    pub fn is_set(&self, name: &str) -> bool {
        self.values.contains_key(name)
    }
    pub fn bool(&self, name: &str) -> bool {
        match self.value(name) {
            Some(v) => !matches!(v, "false" | "0" | "no" | "off"),
            None => false,
        }
    }
}

/// Flags that every tool understands.
pub const COMMON: &[Spec] = &[
    Spec {
        name: "help",
        kind: Kind::Bool,
        help: "Prints this usage text.",
    },
    Spec {
        name: "flagfile",
        kind: Kind::List,
        help: "Reads more flags, one per line, from a file.",
    },
];

/// Flags of the reference build that configure things this runtime does not
/// have (GPU drivers, task topology, replay capture). They are accepted so
/// scripts written for the reference keep working, and have no effect
/// (except `task_topology_group_count` and `task_worker_spin_us`, which
/// configure local-task devices; see `devices::configure_from_flags`).
pub const ACCEPTED_IGNORED: &[&str] = &[
    "agents_md",
    "module_mode",
    "trace_execution",
    "device_lead_allocator",
    "device_replay_output",
    "device_replay_file_policy",
    "device_replay_file_validation",
    "device_allocator",
    "device_profiling_mode",
    "device_profiling_output",
    "device_profiling_filter_function",
    "device_profiling_flush_interval_ms",
    "print_device_statistics",
    "device_capture_tool",
    "device_capture_file",
    "device_capture_label",
    "parameter_mode",
    "expected_f16_threshold",
    "expected_f32_threshold",
    "expected_f64_threshold",
    "expected_bf16_threshold",
    "expected_rtol",
    "equality_mode",
    "task_abort_on_failure",
    "task_worker_spin_us",
    "task_worker_stack_size",
    "task_worker_local_memory",
    "task_topology_mode",
    "task_topology_group_count",
    "task_topology_nodes",
    "task_topology_max_group_count",
    "task_topology_performance_level",
    "task_topology_distribution",
];

fn find<'a>(specs: &'a [&'a [Spec]], name: &str) -> Option<&'a Spec> {
    specs.iter().flat_map(|s| s.iter()).find(|s| s.name == name)
}

/// Parses `args` (without the program name) against `specs`.
pub fn parse(args: &[String], specs: &[&[Spec]]) -> Result<Parsed> {
    let mut parsed = Parsed::default();
    parse_into(args, specs, &mut parsed, 0)?;
    crate::devices::configure_from_flags(&parsed)?;
    Ok(parsed)
}

fn parse_into(args: &[String], specs: &[&[Spec]], out: &mut Parsed, depth: u32) -> Result<()> {
    for arg in args {
        let Some(body) = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-')) else {
            continue;
        };
        if body.is_empty() {
            continue;
        }
        let (name, value) = match body.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (body, None),
        };
        if name == "flagfile" {
            let path = value.unwrap_or("");
            if depth > 8 {
                iree_bail!(InvalidArgument, "flagfile `{}` nests too deeply", path);
            }
            let text = std::fs::read_to_string(path)
                .map_err(|e| iree_err!(NotFound, "failed to read flagfile `{}`: {}", path, e))?;
            let lines: Vec<String> = text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_owned)
                .collect();
            parse_into(&lines, specs, out, depth + 1)?;
            continue;
        }
        let kind = match find(specs, name) {
            Some(spec) => spec.kind,
            None if ACCEPTED_IGNORED.contains(&name) => Kind::Value,
            None => iree_bail!(InvalidArgument, "flag '{}' not recognized", name),
        };
        let value = match (kind, value) {
            (_, Some(v)) => v.to_owned(),
            (Kind::Bool, None) => "true".to_owned(),
            (_, None) => String::new(),
        };
        let slot = out.values.entry(name.to_owned()).or_default();
        if kind != Kind::List {
            slot.clear();
        }
        slot.push(value);
    }
    Ok(())
}

/// Usage text listing `specs`.
pub fn usage(tool: &str, about: &str, specs: &[&[Spec]]) -> String {
    let mut s = format!("# {tool}\n\n{about}\n\n");
    for spec in specs.iter().flat_map(|s| s.iter()) {
        let form = match spec.kind {
            Kind::Bool => format!("--{}=false", spec.name),
            Kind::Value => format!("--{}=...", spec.name),
            Kind::List => format!("--{}=... (repeatable)", spec.name),
        };
        s.push_str(&format!("# {}\n{}\n\n", spec.help, form));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPECS: &[Spec] = &[
        Spec {
            name: "module",
            kind: Kind::List,
            help: "",
        },
        Spec {
            name: "function",
            kind: Kind::Value,
            help: "",
        },
        Spec {
            name: "print_statistics",
            kind: Kind::Bool,
            help: "",
        },
    ];

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn forms() {
        let p = parse(
            &args(&[
                "--module=a.vmfb",
                "positional",
                "-module=b.vmfb",
                "--function=f",
                "--function=g",
                "--print_statistics",
                "--module",
            ]),
            &[COMMON, SPECS],
        )
        .unwrap();
        assert_eq!(p.list("module"), ["a.vmfb", "b.vmfb", ""]);
        assert_eq!(p.value("function"), Some("g"));
        assert!(p.bool("print_statistics"));
        assert!(!p.bool("help"));
    }

    #[test]
    fn bool_values() {
        let p = parse(&args(&["--print_statistics=false"]), &[SPECS]).unwrap();
        assert!(p.is_set("print_statistics"));
        assert!(!p.bool("print_statistics"));
    }

    #[test]
    fn unknown_flag_is_an_error() {
        let e = parse(&args(&["--bogus_flag"]), &[SPECS]).unwrap_err();
        assert_eq!(e.code(), iree_runtime::StatusCode::InvalidArgument);
        assert_eq!(e.message(), "flag 'bogus_flag' not recognized");
        assert!(parse(&args(&["--task_topology_mode=x"]), &[SPECS]).is_ok());
    }

    #[test]
    fn flagfile() {
        let path = std::env::temp_dir().join(format!("h9_flagfile_{}", std::process::id()));
        std::fs::write(&path, "# comment\n--module=x.vmfb\n\n--function=f\n").unwrap();
        let p = parse(
            &args(&[&format!("--flagfile={}", path.display()), "--function=g"]),
            &[COMMON, SPECS],
        )
        .unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(p.list("module"), ["x.vmfb"]);
        assert_eq!(p.value("function"), Some("g"));
        let e = parse(&args(&["--flagfile=/nonexistent/h9"]), &[SPECS]).unwrap_err();
        assert_eq!(e.code(), iree_runtime::StatusCode::NotFound);
    }
}
