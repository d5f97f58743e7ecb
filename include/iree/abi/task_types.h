// C types of the task system (iree/task: topology, task, list, submission,
// scope, executor) for the generated header.
//
// Tasks, scopes, submissions and topologies live in memory the caller owns
// (often the stack), linked intrusively, so their layouts are fixed here and
// the Rust side (src/capi/task/) mirrors them field for field and checks
// sizes and offsets at compile time.
#ifndef IREE_ABI_TASK_TYPES_H_
#define IREE_ABI_TASK_TYPES_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iree/abi/base_types.h"
#include "iree/abi/loop_types.h"
#include "iree/abi/platform_types.h"
#include "iree/abi/threading_types.h"
#include "iree/base/alignment.h"
#include "iree/base/internal/atomics.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

//===----------------------------------------------------------------------===//
// tuning.h
//===----------------------------------------------------------------------===//

// Workers are selected with 64-bit masks, so an executor has at most 64.
#define IREE_TASK_EXECUTOR_MAX_WORKER_COUNT (64)

//===----------------------------------------------------------------------===//
// affinity_set.h
//===----------------------------------------------------------------------===//

// One bit per worker index: the workers a task may run on.
typedef uint64_t iree_task_affinity_set_t;

//===----------------------------------------------------------------------===//
// topology.h
//===----------------------------------------------------------------------===//

// Bit i set: group i shares some cache level with the group holding the mask.
typedef uint64_t iree_task_topology_group_mask_t;

// One worker of an executor and where it prefers to run.
typedef struct iree_task_topology_group_t {
  // This group's index (and bit in iree_task_topology_group_mask_t).
  uint8_t group_index;
  // NUL-terminated worker name for logs and tracing.
  char name[15];
  // Logical processor the group was derived from.
  uint32_t processor_index;
  // Affinity requested for the group's worker thread.
  iree_thread_affinity_t ideal_thread_affinity;
  // Groups that constructively share caches with this one.
  iree_task_topology_group_mask_t constructive_sharing_mask;
} iree_task_topology_group_t;

// The set of workers an executor is created with: a fixed-capacity array the
// caller owns.
typedef struct iree_task_topology_t {
  iree_host_size_t group_count;
  iree_task_topology_group_t groups[IREE_TASK_EXECUTOR_MAX_WORKER_COUNT];
} iree_task_topology_t;

//===----------------------------------------------------------------------===//
// task.h
//===----------------------------------------------------------------------===//

typedef struct iree_task_t iree_task_t;
typedef struct iree_task_list_t iree_task_list_t;
typedef struct iree_task_scope_t iree_task_scope_t;
typedef struct iree_task_submission_t iree_task_submission_t;
// Pools are internal to the runtime; tasks from caller memory have none.
typedef struct iree_task_pool_t iree_task_pool_t;
// Executors are reference counted and opaque.
typedef struct iree_task_executor_t iree_task_executor_t;

// What a task does when it runs (iree_task_t::type).
enum iree_task_type_bits_t {
  IREE_TASK_TYPE_NOP = 0u,
  IREE_TASK_TYPE_CALL = 1u,
  IREE_TASK_TYPE_BARRIER = 2u,
  IREE_TASK_TYPE_FENCE = 3u,
  IREE_TASK_TYPE_WAIT = 4u,
  IREE_TASK_TYPE_DISPATCH = 5u,
  IREE_TASK_TYPE_DISPATCH_SHARD = 6u,
};
typedef uint8_t iree_task_type_t;

// State bits of a task (iree_task_t::flags).
enum iree_task_flag_bits_t {
  IREE_TASK_FLAG_NONE = 0u,
  // Wait: one of a group of waits sharing a cancellation flag (wait-any).
  IREE_TASK_FLAG_WAIT_ANY = 1u << 0,
  // Wait: handed to the executor's waiter.
  IREE_TASK_FLAG_WAIT_EXPORTED = 1u << 1,
  // Wait: resolved; may retire.
  IREE_TASK_FLAG_WAIT_COMPLETED = 1u << 2,
  // Dispatch: workgroup_count.ptr is read when the dispatch is issued.
  IREE_TASK_FLAG_DISPATCH_INDIRECT = 1u << 3,
  // Dispatch: issued; the next time it is ready it retires.
  IREE_TASK_FLAG_DISPATCH_RETIRE = 1u << 4,
  // A dependency failed: the task is skipped when it becomes ready.
  IREE_TASK_FLAG_ABORTED = 1u << 5,
};
typedef uint16_t iree_task_flags_t;

// Called once when a task is done: IREE_STATUS_OK after it ran, or
// IREE_STATUS_ABORTED when it failed or was skipped. The task memory may be
// released by the callee.
typedef void(IREE_API_PTR* iree_task_cleanup_fn_t)(
    iree_task_t* task, iree_status_code_t status_code);

// The header every task starts with. The link sits at offset 0.
struct iree_alignas(iree_max_align_t) iree_task_t {
  // Intrusive link used by lists and submissions.
  iree_task_t* next_task;
  // Scope whose failures this task reports to and is aborted by.
  iree_task_scope_t* scope;
  // Optional; see iree_task_cleanup_fn_t.
  iree_task_cleanup_fn_t cleanup_fn;
  // Task whose pending_dependency_count this one holds a count of.
  iree_task_t* completion_task;
  // Workers the task may run on.
  iree_task_affinity_set_t affinity_set;
  // Tasks that still have to finish before this one may run.
  iree_atomic_int32_t pending_dependency_count;
  // Pool the task returns to after cleanup (NULL for caller memory).
  iree_task_pool_t* pool;
  iree_task_type_t type;
  iree_task_flags_t flags;
};

// A task that does nothing; useful to join several tasks.
typedef iree_alignas(iree_max_align_t) struct {
  iree_task_t header;
} iree_task_nop_t;

typedef iree_status_t(IREE_API_PTR* iree_task_call_closure_fn_t)(
    void* user_context, iree_task_t* task,
    iree_task_submission_t* pending_submission);

// A function and its context run by a call task.
typedef struct iree_task_call_closure_t {
  iree_task_call_closure_fn_t fn;
  void* user_context;
} iree_task_call_closure_t;

// Runs a closure on a worker. The closure may enqueue nested tasks into
// the pending submission; if they name the call as their completion task
// the call runs again once they are all done.
typedef iree_alignas(iree_max_align_t) struct {
  iree_task_t header;
  iree_task_call_closure_t closure;
  // First failure of the closure, kept until the call retires.
  iree_atomic_intptr_t status;
} iree_task_call_t;

// Fans out: once it runs, every dependent task loses one pending count.
typedef iree_alignas(iree_max_align_t) struct {
  iree_task_t header;
  iree_host_size_t dependent_task_count;
  iree_task_t* const* dependent_tasks;
} iree_task_barrier_t;

// Ends one submission of its scope and signals an optional primitive.
typedef iree_alignas(iree_max_align_t) struct {
  iree_task_t header;
  iree_wait_primitive_t signal_handle;
} iree_task_fence_t;

// Waits for a wait source (or a delay) before letting dependents run.
typedef iree_alignas(iree_max_align_t) struct {
  iree_task_t header;
  iree_wait_source_t wait_source;
  // Past this time the wait fails with IREE_STATUS_DEADLINE_EXCEEDED.
  iree_time_t deadline_ns;
  // Wait-any groups: set once any member resolves, ending the others.
  iree_atomic_int32_t* cancellation_flag;
} iree_task_wait_t;

// Per-dispatch counters (none are kept yet).
typedef struct iree_task_dispatch_statistics_t {
  iree_atomic_int32_t reserved;
} iree_task_dispatch_statistics_t;

typedef struct iree_task_tile_storage_t {
  uint32_t reserved;
} iree_task_tile_storage_t;

// What a dispatch closure is told about the tile it runs.
typedef iree_alignas(iree_max_align_t) struct {
  uint32_t workgroup_xyz[3];
  uint32_t workgroup_size[3];
  uint32_t workgroup_count[3];
  iree_cpu_processor_id_t processor_id;
  // Scratch memory of the running worker, local_memory_size bytes.
  iree_byte_span_t local_memory;
  iree_task_dispatch_statistics_t* statistics;
} iree_task_tile_context_t;

typedef struct iree_task_dispatch_t iree_task_dispatch_t;

typedef iree_status_t(IREE_API_PTR* iree_task_dispatch_closure_fn_t)(
    void* user_context, const iree_task_tile_context_t* tile_context,
    iree_task_submission_t* pending_submission);

// A function and its context run once per tile of a dispatch.
typedef struct iree_task_dispatch_closure_t {
  iree_task_dispatch_closure_fn_t fn;
  void* user_context;
} iree_task_dispatch_closure_t;

// Runs a closure over a 3D grid of workgroups, spread over the workers.
typedef iree_alignas(iree_max_align_t) struct iree_task_dispatch_t {
  iree_task_t header;
  iree_task_dispatch_closure_t closure;
  uint32_t workgroup_size[3];
  // Direct counts, or (IREE_TASK_FLAG_DISPATCH_INDIRECT) a pointer to them.
  union {
    uint32_t value[3];
    const uint32_t* ptr;
  } workgroup_count;
  // Bytes of worker scratch memory each tile needs.
  uint32_t local_memory_size;
  // First failure of any tile.
  iree_atomic_intptr_t status;
  iree_task_dispatch_statistics_t statistics;
  uint32_t tile_count;
  uint32_t tiles_per_reservation;
  // Next tile to hand out.
  iree_atomic_int32_t tile_index;
} iree_task_dispatch_t;

// One worker's share of a dispatch; its completion task is the dispatch.
typedef iree_alignas(iree_max_align_t) struct {
  iree_task_t header;
} iree_task_dispatch_shard_t;

//===----------------------------------------------------------------------===//
// list.h, submission.h
//===----------------------------------------------------------------------===//

// A singly-linked list through iree_task_t::next_task, for one thread.
struct iree_task_list_t {
  iree_task_t* head;
  iree_task_t* tail;
};

// Tasks ready to run now and waits that are not resolved yet.
struct iree_task_submission_t {
  iree_task_list_t ready_list;
  iree_task_list_t waiting_list;
};

//===----------------------------------------------------------------------===//
// scope.h
//===----------------------------------------------------------------------===//

// Groups tasks for failure reporting and idle waits. Fences count as
// outstanding submissions from their initialization until they retire.
struct iree_task_scope_t {
  // NUL-terminated, truncated to 15 characters.
  char name[16];
  // The first failure of any task in the scope (0 while none failed).
  iree_atomic_intptr_t permanent_status;
  iree_task_dispatch_statistics_t dispatch_statistics;
  iree_slim_mutex_t mutex;
  // Fences not yet retired; guarded by mutex.
  uint32_t pending_submissions;
  // Posted when pending_submissions reaches zero.
  iree_notification_t idle_notification;
};

//===----------------------------------------------------------------------===//
// executor.h
//===----------------------------------------------------------------------===//

enum iree_task_scheduling_mode_bits_t {
  IREE_TASK_SCHEDULING_MODE_RESERVED = 0u,
  // Start worker threads on first use instead of at creation.
  IREE_TASK_SCHEDULING_MODE_DEFER_WORKER_STARTUP = 1u << 0,
};
typedef uint32_t iree_task_scheduling_mode_t;

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_ABI_TASK_TYPES_H_
