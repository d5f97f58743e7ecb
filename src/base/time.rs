//! `iree/base/time.h` core: wall-clock time in unix nanoseconds, timeouts
//! (absolute deadlines or relative durations) and sleeping until a deadline.

use std::time::{Duration as StdDuration, SystemTime, UNIX_EPOCH};

/// Nanoseconds since the unix epoch.
pub type Time = i64;
/// Relative nanoseconds.
pub type Duration = i64;

/// A deadline that has always passed: waits on it only poll.
pub const TIME_INFINITE_PAST: Time = i64::MIN;
/// A deadline that never comes: waits on it block until satisfied.
pub const TIME_INFINITE_FUTURE: Time = i64::MAX;
/// A zero duration: waits poll.
pub const DURATION_ZERO: Duration = 0;
/// An endless duration: waits block until satisfied.
pub const DURATION_INFINITE: Duration = i64::MAX;

const NANOS_PER_MILLI: i64 = 1_000_000;

/// The current wall-clock time. Not monotonic: callers comparing times must
/// tolerate it stepping backwards.
pub fn now() -> Time {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_nanos()).unwrap_or(TIME_INFINITE_FUTURE - 1),
        // A clock set before 1970 gives a negative time rather than a panic.
        Err(before) => -i64::try_from(before.duration().as_nanos()).unwrap_or(i64::MAX - 1),
    }
}

/// Turns a relative timeout into a deadline; zero and infinite map to the
/// infinite past and future without reading the clock.
pub fn relative_timeout_to_deadline_ns(timeout_ns: Duration) -> Time {
    match timeout_ns {
        DURATION_ZERO => TIME_INFINITE_PAST,
        DURATION_INFINITE => TIME_INFINITE_FUTURE,
        // Saturate so huge durations become "never" rather than wrapping.
        _ => now().saturating_add(timeout_ns),
    }
}

/// Nanoseconds left until `deadline_ns` (zero once it has passed).
pub fn absolute_deadline_to_timeout_ns(deadline_ns: Time) -> Duration {
    match deadline_ns {
        TIME_INFINITE_PAST => DURATION_ZERO,
        TIME_INFINITE_FUTURE => DURATION_INFINITE,
        _ => deadline_ns.saturating_sub(now()).max(0),
    }
}

/// Milliseconds left until `deadline_ns`, rounded up so that a deadline a
/// nanosecond away still waits; `u32::MAX` for never.
pub fn absolute_deadline_to_timeout_ms(deadline_ns: Time) -> u32 {
    match deadline_ns {
        TIME_INFINITE_PAST => 0,
        TIME_INFINITE_FUTURE => u32::MAX,
        _ => {
            let left = deadline_ns.saturating_sub(now());
            if left <= 0 {
                return 0;
            }
            let ms = (left - 1) / NANOS_PER_MILLI + 1;
            u32::try_from(ms).unwrap_or(u32::MAX)
        }
    }
}

/// A timeout: an absolute deadline or a duration from when it is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Timeout {
    Absolute(Time),
    Relative(Duration),
}

impl Timeout {
    /// A timeout that has already expired (a poll).
    pub const fn immediate() -> Timeout {
        Timeout::Absolute(TIME_INFINITE_PAST)
    }

    /// A timeout that never expires.
    pub const fn infinite() -> Timeout {
        Timeout::Absolute(TIME_INFINITE_FUTURE)
    }

    /// A relative timeout in milliseconds (infinite stays infinite).
    pub fn from_ms(ms: Duration) -> Timeout {
        if ms == DURATION_INFINITE {
            Timeout::Relative(DURATION_INFINITE)
        } else {
            Timeout::Relative(ms.saturating_mul(NANOS_PER_MILLI))
        }
    }

    pub fn is_immediate(self) -> bool {
        match self {
            Timeout::Absolute(t) => t == TIME_INFINITE_PAST,
            Timeout::Relative(d) => d == DURATION_ZERO,
        }
    }

    pub fn is_infinite(self) -> bool {
        match self {
            Timeout::Absolute(t) => t == TIME_INFINITE_FUTURE,
            Timeout::Relative(d) => d == DURATION_INFINITE,
        }
    }

    /// The deadline this timeout stands for if applied now.
    pub fn as_deadline_ns(self) -> Time {
        match self {
            Timeout::Absolute(t) => t,
            Timeout::Relative(d) => relative_timeout_to_deadline_ns(d),
        }
    }

    /// The earlier of two timeouts, as a deadline.
    pub fn min(self, other: Timeout) -> Timeout {
        Timeout::Absolute(self.as_deadline_ns().min(other.as_deadline_ns()))
    }
}

/// Sleeps until `deadline_ns` (or a little later). Returns false for an
/// infinite deadline, which could never be reached, and true otherwise.
pub fn wait_until(deadline_ns: Time) -> bool {
    match deadline_ns {
        TIME_INFINITE_FUTURE => return false,
        TIME_INFINITE_PAST => return true,
        _ => {}
    }
    // Sleep in relative steps against the absolute deadline so that early
    // wakes and clock adjustments cannot cut the wait short.
    loop {
        let left = deadline_ns.saturating_sub(now());
        if left <= 0 {
            return true;
        }
        std::thread::sleep(StdDuration::from_nanos(left as u64));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn now_is_after_2020() {
        assert!(now() > 1_577_836_800 * 1_000_000_000);
    }

    #[test]
    fn special_values_need_no_clock() {
        assert_eq!(relative_timeout_to_deadline_ns(0), TIME_INFINITE_PAST);
        assert_eq!(
            relative_timeout_to_deadline_ns(DURATION_INFINITE),
            TIME_INFINITE_FUTURE
        );
        assert_eq!(absolute_deadline_to_timeout_ns(TIME_INFINITE_PAST), 0);
        assert_eq!(
            absolute_deadline_to_timeout_ns(TIME_INFINITE_FUTURE),
            DURATION_INFINITE
        );
        assert_eq!(absolute_deadline_to_timeout_ms(TIME_INFINITE_PAST), 0);
        assert_eq!(
            absolute_deadline_to_timeout_ms(TIME_INFINITE_FUTURE),
            u32::MAX
        );
    }

    #[test]
    fn conversions_round_and_clamp() {
        assert_eq!(absolute_deadline_to_timeout_ns(now() - 1_000_000), 0);
        assert_eq!(absolute_deadline_to_timeout_ms(now() - 1_000_000), 0);
        // A deadline just ahead rounds up to a whole millisecond.
        let ms = absolute_deadline_to_timeout_ms(now() + 10);
        assert!(ms <= 1);
        let ms = absolute_deadline_to_timeout_ms(now() + 5_000 * NANOS_PER_MILLI);
        assert!((4_990..=5_000).contains(&ms));
        let d = relative_timeout_to_deadline_ns(i64::MAX - 1);
        assert_eq!(d, i64::MAX);
    }

    #[test]
    fn timeouts() {
        assert!(Timeout::immediate().is_immediate());
        assert!(Timeout::Relative(0).is_immediate());
        assert!(Timeout::infinite().is_infinite());
        assert!(Timeout::from_ms(DURATION_INFINITE).is_infinite());
        assert_eq!(Timeout::from_ms(3), Timeout::Relative(3_000_000));
        let min = Timeout::infinite().min(Timeout::Absolute(5));
        assert_eq!(min, Timeout::Absolute(5));
        let rel = Timeout::Relative(1_000_000_000).as_deadline_ns();
        assert!(rel > now());
    }

    #[test]
    fn wait_until_sleeps_to_deadline() {
        assert!(!wait_until(TIME_INFINITE_FUTURE));
        assert!(wait_until(TIME_INFINITE_PAST));
        let start = now();
        assert!(wait_until(start + 20 * NANOS_PER_MILLI));
        assert!(now() - start >= 20 * NANOS_PER_MILLI);
    }
}
