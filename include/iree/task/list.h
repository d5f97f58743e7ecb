// Intrusive task lists for one thread, linked through iree_task_t::next_task
// (iree_task_list_t in iree/abi/task_types.h).
//
// Declared by the generated header: iree_task_list_{initialize, move,
// discard, is_empty, calculate_size, front, back, push_back, push_front,
// pop_front, erase, prepend, append, reverse, split}.
//
// The lock-free iree_atomic_task_slist_t of the upstream header is not
// provided.
#ifndef IREE_TASK_LIST_H_
#define IREE_TASK_LIST_H_

#include <stdbool.h>
#include <stddef.h>

#include "iree/base/api.h"
#include "iree/task/task.h"

#endif  // IREE_TASK_LIST_H_
