// Runtime sessions: one VM context over one HAL device, with the builtin
// hal module registered first and user modules appended in order (from a
// module, from memory, from a mapped file, or from stdin: the last is an
// IREE 3.13 addition). The session retains its instance and device.
#ifndef IREE_RUNTIME_SESSION_H_
#define IREE_RUNTIME_SESSION_H_

#include <stdint.h>

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/api.h"
#include "iree/vm/api.h"

// Bits of iree_runtime_session_builtins_t: which builtin modules a session
// registers (any bit registers hal, the only builtin).
enum iree_runtime_session_builtins_bits_t {
  IREE_RUNTIME_SESSION_BUILTIN_ALL = UINT64_MAX,
};

#endif  // IREE_RUNTIME_SESSION_H_
