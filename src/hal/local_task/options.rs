//! How a local-task device is configured: its worker count and how long
//! idle workers spin. Defaults are process-wide (tools set them from
//! `--task_topology_group_count` and `--task_worker_spin_us`); device
//! parameters of the same names override them per device.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use crate::hal::driver::DeviceParams;
use crate::hal::local_task::workers::PoolOptions;
use crate::{iree_bail, Result};

/// Upstream's `--task_worker_spin_us` default is 0 (park at once); a short
/// spin keeps workers awake between the back-to-back dispatches of a call.
const DEFAULT_SPIN: Duration = Duration::from_micros(50);

/// The most workers a device may have (upstream's executor bound too; the
/// ABI's `max_concurrency` is a byte).
pub const MAX_WORKER_COUNT: usize = 64;

/// The parameter (and flag) naming the worker count.
pub const GROUP_COUNT_KEY: &str = "task_topology_group_count";
/// The parameter (and flag) naming the spin time in microseconds.
pub const SPIN_US_KEY: &str = "task_worker_spin_us";

/// Process-wide overrides of the defaults (`None`: built-in default).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TaskDefaults {
    /// Threads running dispatches, the issuing thread included; 0 or
    /// `None` means one per CPU the process may run on.
    pub worker_count: Option<usize>,
    pub spin: Option<Duration>,
}

static DEFAULTS: Mutex<TaskDefaults> = Mutex::new(TaskDefaults {
    worker_count: None,
    spin: None,
});

/// Sets the defaults devices created from now on use.
pub fn set_defaults(defaults: TaskDefaults) {
    *DEFAULTS.lock().unwrap_or_else(PoisonError::into_inner) = defaults;
}

pub fn defaults() -> TaskDefaults {
    *DEFAULTS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// One worker per CPU this process may use.
pub fn available_workers() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn parse_count(key: &str, value: &str) -> Result<usize> {
    match value.trim().parse::<usize>() {
        Ok(count) if count <= MAX_WORKER_COUNT => Ok(count),
        _ => iree_bail!(
            InvalidArgument,
            "{key} must be a worker count from 0 (one per CPU) to {MAX_WORKER_COUNT}, got '{value}'"
        ),
    }
}

fn parse_spin(key: &str, value: &str) -> Result<Duration> {
    match value.trim().parse::<u64>() {
        Ok(us) if us <= 1_000_000 => Ok(Duration::from_micros(us)),
        _ => iree_bail!(
            InvalidArgument,
            "{key} must be microseconds from 0 to 1000000, got '{value}'"
        ),
    }
}

impl TaskDefaults {
    /// Reads the two settings from flag values (as the tools pass them).
    pub fn from_flags(group_count: Option<&str>, spin_us: Option<&str>) -> Result<TaskDefaults> {
        Ok(TaskDefaults {
            worker_count: group_count
                .map(|v| parse_count(GROUP_COUNT_KEY, v))
                .transpose()?,
            spin: spin_us.map(|v| parse_spin(SPIN_US_KEY, v)).transpose()?,
        })
    }
}

/// The pool options for a device: `params` over the process defaults.
/// `driver` names the driver in errors.
pub fn pool_options(driver: &str, params: DeviceParams<'_>) -> Result<PoolOptions> {
    let mut settings = defaults();
    for (key, value) in params {
        match *key {
            GROUP_COUNT_KEY | "worker_count" => {
                settings.worker_count = Some(parse_count(key, value)?)
            }
            SPIN_US_KEY => settings.spin = Some(parse_spin(key, value)?),
            _ => iree_bail!(
                InvalidArgument,
                "the {driver} driver takes the device parameters {GROUP_COUNT_KEY} and {SPIN_US_KEY} (got '{key}')"
            ),
        }
    }
    let concurrency = match settings.worker_count {
        None | Some(0) => available_workers(),
        Some(count) => count,
    };
    Ok(PoolOptions {
        concurrency,
        spin: settings.spin.unwrap_or(DEFAULT_SPIN),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_override_defaults() {
        let options = pool_options("local-task", &[(GROUP_COUNT_KEY, "3")]).unwrap();
        assert_eq!(options.concurrency, 3);
        let options =
            pool_options("local-task", &[(SPIN_US_KEY, "7"), ("worker_count", "0")]).unwrap();
        assert_eq!(options.spin, Duration::from_micros(7));
        assert_eq!(options.concurrency, available_workers());
        for bad in [
            &[(GROUP_COUNT_KEY, "x")][..],
            &[(GROUP_COUNT_KEY, "100000")],
            &[(SPIN_US_KEY, "-1")],
            &[("other", "1")],
        ] {
            assert!(pool_options("local-task", bad).is_err(), "{bad:?}");
        }
        assert!(TaskDefaults::from_flags(Some("2"), Some("0")).is_ok());
        assert!(TaskDefaults::from_flags(Some("two"), None).is_err());
    }
}
