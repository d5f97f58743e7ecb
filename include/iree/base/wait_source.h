// Wait primitives (native handles) and wait sources (objects that resolve at
// some future point, driven through a control function).
#ifndef IREE_BASE_WAIT_SOURCE_H_
#define IREE_BASE_WAIT_SOURCE_H_

#include "iree/base/status.h"
#include "iree/base/time.h"
#include "iree/generated/api.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

// A primitive of |type| holding |value|.
static inline iree_wait_primitive_t iree_make_wait_primitive(
    iree_wait_primitive_type_t type, iree_wait_primitive_value_t value) {
  iree_wait_primitive_t primitive;
  primitive.type = type;
  primitive.value = value;
  return primitive;
}

// A primitive that resolves as soon as it is waited on.
static inline iree_wait_primitive_t iree_wait_primitive_immediate(void) {
  iree_wait_primitive_value_t value;
  value.local_futex = NULL;
  return iree_make_wait_primitive(IREE_WAIT_PRIMITIVE_TYPE_NONE, value);
}

// True when |wait_primitive| is the empty, already-resolved primitive.
static inline bool iree_wait_primitive_is_immediate(
    iree_wait_primitive_t wait_primitive) {
  return wait_primitive.type == IREE_WAIT_PRIMITIVE_TYPE_NONE;
}

// A wait source that is already resolved.
static inline iree_wait_source_t iree_wait_source_immediate(void) {
  iree_wait_source_t source;
  source.storage[0] = 0;
  source.storage[1] = 0;
  source.ctl = NULL;
  return source;
}

// True when |wait_source| is already resolved (it has no control function).
static inline bool iree_wait_source_is_immediate(
    iree_wait_source_t wait_source) {
  return wait_source.ctl == NULL;
}

// A wait source that resolves once the clock reaches |deadline_ns|.
// It cannot be exported to a native primitive.
static inline iree_wait_source_t iree_wait_source_delay(
    iree_time_t deadline_ns) {
  iree_wait_source_t source;
  source.self = NULL;
  source.data = (uint64_t)deadline_ns;
  source.ctl = iree_wait_source_delay_ctl;
  return source;
}

// True when |wait_source| is a delay from iree_wait_source_delay.
static inline bool iree_wait_source_is_delay(iree_wait_source_t wait_source) {
  return wait_source.ctl == iree_wait_source_delay_ctl;
}

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_BASE_WAIT_SOURCE_H_
