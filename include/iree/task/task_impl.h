// Entry points that finish tasks outside an executor (for tests and custom
// schedulers): iree_task_nop_retire, iree_task_call_execute,
// iree_task_barrier_retire and iree_task_fence_retire, declared by the
// generated header. Tasks that become ready are added to the given pending
// submission.
#ifndef IREE_TASK_TASK_IMPL_H_
#define IREE_TASK_TASK_IMPL_H_

#include "iree/task/list.h"
#include "iree/task/submission.h"
#include "iree/task/task.h"

#endif  // IREE_TASK_TASK_IMPL_H_
