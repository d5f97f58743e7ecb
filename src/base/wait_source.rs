//! `iree/base/wait_source.h` core: the behavior of delay wait sources (the
//! generic dispatch through control functions lives in the C layer, as wait
//! sources are C callback objects).

use crate::base::status::{Error, Result, StatusCode};
use crate::base::time::{self, Time};

/// Whether a delay until `deadline_ns` has elapsed: `Ok` or `Deferred`.
pub fn delay_query(deadline_ns: Time) -> StatusCode {
    if time::now() >= deadline_ns {
        StatusCode::Ok
    } else {
        StatusCode::Deferred
    }
}

/// Waits for a delay until `delay_deadline_ns`, giving up at
/// `timeout_deadline_ns` with `DEADLINE_EXCEEDED`.
pub fn delay_wait(delay_deadline_ns: Time, timeout_deadline_ns: Time) -> Result<()> {
    if timeout_deadline_ns > delay_deadline_ns {
        // The delay ends first: a plain sleep does it.
        if time::wait_until(delay_deadline_ns) {
            return Ok(());
        }
        return Err(Error::from_code(StatusCode::Deferred));
    }
    time::wait_until(timeout_deadline_ns);
    if time::now() >= delay_deadline_ns {
        Ok(())
    } else {
        Err(Error::from_code(StatusCode::DeadlineExceeded))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::base::time::{now, TIME_INFINITE_FUTURE, TIME_INFINITE_PAST};

    #[test]
    fn delays_resolve_after_their_deadline() {
        assert_eq!(delay_query(TIME_INFINITE_PAST), StatusCode::Ok);
        assert_eq!(delay_query(TIME_INFINITE_FUTURE), StatusCode::Deferred);
        let deadline = now() + 5_000_000;
        delay_wait(deadline, TIME_INFINITE_FUTURE).unwrap();
        assert_eq!(delay_query(deadline), StatusCode::Ok);
        let far = now() + 60_000_000_000;
        assert_eq!(
            delay_wait(far, TIME_INFINITE_PAST).unwrap_err().code(),
            StatusCode::DeadlineExceeded
        );
        assert_eq!(
            delay_wait(far, now() + 1_000_000).unwrap_err().code(),
            StatusCode::DeadlineExceeded
        );
    }
}
