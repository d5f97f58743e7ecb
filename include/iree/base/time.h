// Time in unix nanoseconds, timeouts (deadlines or durations) and sleeping.
#ifndef IREE_BASE_TIME_H_
#define IREE_BASE_TIME_H_

#include <stdbool.h>
#include <stdint.h>

#include "iree/generated/api.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

// A deadline that has always passed: waits given it only poll.
#define IREE_TIME_INFINITE_PAST INT64_MIN
// A deadline that never arrives: waits given it block until satisfied.
#define IREE_TIME_INFINITE_FUTURE INT64_MAX
// A zero duration: waits given it only poll.
#define IREE_DURATION_ZERO 0
// An endless duration: waits given it block until satisfied.
#define IREE_DURATION_INFINITE INT64_MAX

// A timeout that has already expired, turning waits into polls.
static inline iree_timeout_t iree_immediate_timeout(void) {
  iree_timeout_t timeout = {IREE_TIMEOUT_ABSOLUTE, IREE_TIME_INFINITE_PAST};
  return timeout;
}

// True when |timeout| only polls.
static inline bool iree_timeout_is_immediate(iree_timeout_t timeout) {
  if (timeout.type == IREE_TIMEOUT_ABSOLUTE) {
    return timeout.nanos == IREE_TIME_INFINITE_PAST;
  }
  return timeout.nanos == IREE_DURATION_ZERO;
}

// A timeout that never expires.
static inline iree_timeout_t iree_infinite_timeout(void) {
  iree_timeout_t timeout = {IREE_TIMEOUT_ABSOLUTE, IREE_TIME_INFINITE_FUTURE};
  return timeout;
}

// True when |timeout| never expires.
static inline bool iree_timeout_is_infinite(iree_timeout_t timeout) {
  if (timeout.type == IREE_TIMEOUT_ABSOLUTE) {
    return timeout.nanos == IREE_TIME_INFINITE_FUTURE;
  }
  return timeout.nanos == IREE_DURATION_INFINITE;
}

// An absolute timeout at |deadline_ns|.
static inline iree_timeout_t iree_make_deadline(iree_time_t deadline_ns) {
  iree_timeout_t timeout = {IREE_TIMEOUT_ABSOLUTE, deadline_ns};
  return timeout;
}

// A relative timeout of |timeout_ns| nanoseconds.
static inline iree_timeout_t iree_make_timeout_ns(iree_duration_t timeout_ns) {
  iree_timeout_t timeout = {IREE_TIMEOUT_RELATIVE, timeout_ns};
  return timeout;
}

// A relative timeout of |timeout_ms| milliseconds (infinite stays infinite).
static inline iree_timeout_t iree_make_timeout_ms(iree_duration_t timeout_ms) {
  iree_timeout_t timeout;
  timeout.type = IREE_TIMEOUT_RELATIVE;
  timeout.nanos = timeout_ms == IREE_DURATION_INFINITE ? IREE_DURATION_INFINITE
                                                       : timeout_ms * 1000000;
  return timeout;
}

// Turns a relative |timeout| into a deadline measured from now, in place.
// Deadlines do not drift when a call passes a timeout through several steps.
static inline void iree_convert_timeout_to_absolute(iree_timeout_t* timeout) {
  if (timeout->type != IREE_TIMEOUT_ABSOLUTE) {
    timeout->nanos = iree_relative_timeout_to_deadline_ns(timeout->nanos);
    timeout->type = IREE_TIMEOUT_ABSOLUTE;
  }
}

// The deadline |timeout| stands for if applied now.
static inline iree_time_t iree_timeout_as_deadline_ns(iree_timeout_t timeout) {
  if (timeout.type == IREE_TIMEOUT_ABSOLUTE) return timeout.nanos;
  return iree_relative_timeout_to_deadline_ns(timeout.nanos);
}

// The earlier of two timeouts, as a deadline.
static inline iree_timeout_t iree_timeout_min(iree_timeout_t lhs,
                                              iree_timeout_t rhs) {
  iree_time_t a = iree_timeout_as_deadline_ns(lhs);
  iree_time_t b = iree_timeout_as_deadline_ns(rhs);
  return iree_make_deadline(a < b ? a : b);
}

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_BASE_TIME_H_
