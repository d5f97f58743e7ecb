// Runtime calls: a caller-owned iree_runtime_call_t holding a session
// reference, a function and its input and output lists, reused across
// invocations (iree_runtime_call_reset empties the lists) and released by
// iree_runtime_call_deinitialize.
#ifndef IREE_RUNTIME_CALL_H_
#define IREE_RUNTIME_CALL_H_

#include <stdint.h>

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/api.h"
#include "iree/vm/api.h"

// Bits of iree_runtime_call_flags_t (none are defined yet).
enum iree_runtime_call_flag_bits_t {
  IREE_RUNTIME_CALL_FLAG_RESERVED = 0u,
};

#endif  // IREE_RUNTIME_CALL_H_
