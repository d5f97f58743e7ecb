// The task system in one include, plus executor creation from the
// process-wide task settings (iree_task_executor_create_from_flags, declared
// by the generated header).
#ifndef IREE_TASK_API_H_
#define IREE_TASK_API_H_

#include "iree/base/api.h"
#include "iree/task/executor.h"  // IWYU pragma: export
#include "iree/task/topology.h"  // IWYU pragma: export

#endif  // IREE_TASK_API_H_
