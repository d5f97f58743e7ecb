// Compile-time limits of the task system.
#ifndef IREE_TASK_TUNING_H_
#define IREE_TASK_TUNING_H_

#include "iree/abi/task_types.h"  // IREE_TASK_EXECUTOR_MAX_WORKER_COUNT

// Most tiles one dispatch shard claims at a time from a large grid.
#define IREE_TASK_DISPATCH_MAX_TILES_PER_SHARD_RESERVATION (8)

// Events an executor keeps idle in its event pool.
#define IREE_TASK_EXECUTOR_EVENT_POOL_CAPACITY 64

// Most root waits an executor polls at once (kept for source compatibility;
// this runtime has no fixed bound).
#define IREE_TASK_EXECUTOR_MAX_OUTSTANDING_WAITS (64 - 1)

#endif  // IREE_TASK_TUNING_H_
