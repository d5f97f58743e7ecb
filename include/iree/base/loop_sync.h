// A single-threaded loop that queues work and runs it when drained (by
// iree_loop_drain on a scope or iree_loop_sync_wait_idle). Work belongs to
// scopes; an error in a scope goes to its handler and aborts its other work.
#ifndef IREE_BASE_LOOP_SYNC_H_
#define IREE_BASE_LOOP_SYNC_H_

#include "iree/base/api.h"
#include "iree/generated/api.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

// A loop that schedules work against |scope|, which must stay valid until
// all of that work has completed.
static inline iree_loop_t iree_loop_sync_scope(iree_loop_sync_scope_t* scope) {
  iree_loop_t loop = {scope, iree_loop_sync_ctl};
  return loop;
}

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_BASE_LOOP_SYNC_H_
