// Submissions: the root tasks handed to an executor in one go.
//
// Declared by the generated header: iree_task_submission_{initialize,
// reset, discard, is_empty, enqueue, enqueue_list}.
#ifndef IREE_TASK_SUBMISSION_H_
#define IREE_TASK_SUBMISSION_H_

#include <stdbool.h>

#include "iree/base/api.h"
#include "iree/task/list.h"
#include "iree/task/task.h"

#endif  // IREE_TASK_SUBMISSION_H_
