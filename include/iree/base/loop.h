// Loops: a stackless event system that runs queued callbacks, grid
// dispatches and waits. A loop is an object plus one control function, so
// implementations can live outside this library.
#ifndef IREE_BASE_LOOP_H_
#define IREE_BASE_LOOP_H_

#include <inttypes.h>

#include "iree/base/allocator.h"
#include "iree/base/status.h"
#include "iree/base/time.h"
#include "iree/base/wait_source.h"
#include "iree/generated/api.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

// A loop that accepts no work; enqueuing on it fails.
static inline iree_loop_t iree_loop_null(void) {
  iree_loop_t loop = {NULL, NULL};
  return loop;
}

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_BASE_LOOP_H_
