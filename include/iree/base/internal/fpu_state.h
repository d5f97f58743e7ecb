// Per-thread floating-point unit modes, set for a scope and restored:
//
//   iree_fpu_state_t state =
//       iree_fpu_state_push(IREE_FPU_STATE_FLAG_FLUSH_DENORMALS_TO_ZERO);
//   ... denormals flush to zero on this thread ...
//   iree_fpu_state_pop(state);
//
// iree_fpu_state_push / iree_fpu_state_pop are declared in
// iree/generated/api.h and the flag bits in iree/abi/platform_types.h.
// Changing the mode can stall the pipeline, so push around large chunks of
// work rather than per operation.

#ifndef IREE_BASE_INTERNAL_FPU_STATE_H_
#define IREE_BASE_INTERNAL_FPU_STATE_H_

#include <stddef.h>
#include <stdint.h>

#include "iree/base/api.h"

#endif  // IREE_BASE_INTERNAL_FPU_STATE_H_
