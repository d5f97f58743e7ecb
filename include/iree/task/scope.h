// Scopes: a group of tasks that shares a failure status and can be waited
// on until idle (no fence of the scope outstanding).
//
// Declared by the generated header: iree_task_scope_{initialize,
// deinitialize, name, consume_statistics, has_failed, consume_status, abort,
// fail, begin, end, is_idle, wait_idle}.
#ifndef IREE_TASK_SCOPE_H_
#define IREE_TASK_SCOPE_H_

#include <stdbool.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/base/internal/atomics.h"
#include "iree/base/internal/synchronization.h"
#include "iree/base/tracing.h"
#include "iree/task/task.h"

#endif  // IREE_TASK_SCOPE_H_
