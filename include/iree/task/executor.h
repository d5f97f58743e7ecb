// Executors: worker threads that run submitted task graphs.
//
// Declared by the generated header: iree_task_executor_{create, retain,
// release, trim, worker_count, event_pool, acquire_fence, submit, flush,
// donate_caller}.
#ifndef IREE_TASK_EXECUTOR_H_
#define IREE_TASK_EXECUTOR_H_

#include <stdint.h>

#include "iree/base/api.h"
#include "iree/base/internal/atomics.h"
#include "iree/base/internal/event_pool.h"
#include "iree/task/scope.h"
#include "iree/task/submission.h"
#include "iree/task/task.h"
#include "iree/task/topology.h"

#endif  // IREE_TASK_EXECUTOR_H_
