// Tasks: caller-owned units of work linked into a graph by completion tasks
// and barriers (layouts in iree/abi/task_types.h).
//
// A task runs once its pending_dependency_count is zero. When it finishes
// its cleanup function (if any) is called with IREE_STATUS_OK, or with
// IREE_STATUS_ABORTED when the task failed or was skipped because its scope
// had failed; the first failure is kept on the scope.
//
// Declared by the generated header: iree_task_initialize,
// iree_task_set_cleanup_fn, iree_task_set_completion_task,
// iree_task_is_ready, iree_task_discard, and the *_initialize functions of
// each task kind (nop, call, barrier, fence, wait, dispatch, dispatch shard).
#ifndef IREE_TASK_TASK_H_
#define IREE_TASK_TASK_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/base/internal/atomic_slist.h"
#include "iree/base/internal/atomics.h"
#include "iree/base/internal/cpu.h"
#include "iree/base/internal/synchronization.h"
#include "iree/task/affinity_set.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

// Bundles |fn| and |user_context| for iree_task_call_initialize.
static inline iree_task_call_closure_t iree_task_make_call_closure(
    iree_task_call_closure_fn_t fn, void* user_context) {
  iree_task_call_closure_t closure;
  closure.fn = fn;
  closure.user_context = user_context;
  return closure;
}

// Bundles |fn| and |user_context| for iree_task_dispatch_initialize.
static inline iree_task_dispatch_closure_t iree_task_make_dispatch_closure(
    iree_task_dispatch_closure_fn_t fn, void* user_context) {
  iree_task_dispatch_closure_t closure;
  closure.fn = fn;
  closure.user_context = user_context;
  return closure;
}

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_TASK_TASK_H_
