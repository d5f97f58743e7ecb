// Task system topologies: the worker groups an executor is created with.
//
// iree_task_topology_t (iree/abi/task_types.h) is a fixed array of up to
// IREE_TASK_EXECUTOR_MAX_WORKER_COUNT groups in caller memory.
//
// Declared by the generated header:
//   iree_task_topology_group_initialize(group_index, out_group)
//   iree_task_topology_initialize(out_topology)       // empty
//   iree_task_topology_deinitialize(topology)
//   iree_task_topology_parse(value, out_topology)     // "N": N groups
//   iree_task_topology_format(topology, capacity, buffer, out_length)
//   iree_task_topology_group_capacity(topology)
//   iree_task_topology_group_count(topology)
//   iree_task_topology_get_group(topology, index)     // NULL out of range
//   iree_task_topology_push_group(topology, group)    // RESOURCE_EXHAUSTED
//   iree_task_topology_initialize_from_group_count(count, out_topology)
//   iree_task_topology_initialize_from_physical_cores(max, out_topology)
#ifndef IREE_TASK_TOPOLOGY_H_
#define IREE_TASK_TOPOLOGY_H_

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/base/internal/threading.h"
#include "iree/task/tuning.h"

#define IREE_TASK_TOPOLOGY_GROUP_MASK_ALL UINT64_MAX
#define IREE_TASK_TOPOLOGY_GROUP_BIT_COUNT \
  (sizeof(iree_task_topology_group_mask_t) * 8)

#endif  // IREE_TASK_TOPOLOGY_H_
