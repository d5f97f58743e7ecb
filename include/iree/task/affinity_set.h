// Worker affinity masks: bit i selects worker i.
#ifndef IREE_TASK_AFFINITY_SET_H_
#define IREE_TASK_AFFINITY_SET_H_

#include "iree/base/internal/atomics.h"
#include "iree/base/internal/math.h"
#include "iree/task/tuning.h"

#ifdef __cplusplus
extern "C" {
#endif  // __cplusplus

// Only worker |worker_index|.
static inline iree_task_affinity_set_t iree_task_affinity_for_worker(
    uint8_t worker_index) {
  return (iree_task_affinity_set_t)1 << worker_index;
}

// Workers |worker_start| (1-based, inclusive) through |worker_end|.
static inline iree_task_affinity_set_t iree_task_affinity_for_worker_range(
    uint8_t worker_start, uint8_t worker_end) {
  iree_task_affinity_set_t below_start =
      ((iree_task_affinity_set_t)1 << (worker_start - 1)) - 1;
  iree_task_affinity_set_t through_end =
      ((iree_task_affinity_set_t)1 << worker_end) - 1;
  return below_start ^ through_end;
}

// Any worker.
static inline iree_task_affinity_set_t iree_task_affinity_for_any_worker(void) {
  return UINT64_MAX;
}

#define iree_task_affinity_set_count_trailing_zeros \
  iree_math_count_trailing_zeros_u64
#define iree_task_affinity_set_count_ones iree_math_count_ones_u64
#define iree_task_affinity_set_rotr iree_math_rotr_u64

// An affinity set updated from several threads.
typedef iree_atomic_int64_t iree_atomic_task_affinity_set_t;

static inline iree_task_affinity_set_t iree_atomic_task_affinity_set_load(
    iree_atomic_task_affinity_set_t* set, iree_memory_order_t order) {
  return (iree_task_affinity_set_t)iree_atomic_load_int64(set, order);
}

static inline void iree_atomic_task_affinity_set_store(
    iree_atomic_task_affinity_set_t* set, iree_task_affinity_set_t value,
    iree_memory_order_t order) {
  iree_atomic_store_int64(set, (int64_t)value, order);
}

static inline iree_task_affinity_set_t iree_atomic_task_affinity_set_fetch_and(
    iree_atomic_task_affinity_set_t* set, iree_task_affinity_set_t value,
    iree_memory_order_t order) {
  return (iree_task_affinity_set_t)iree_atomic_fetch_and_int64(
      set, (int64_t)value, order);
}

static inline iree_task_affinity_set_t iree_atomic_task_affinity_set_fetch_or(
    iree_atomic_task_affinity_set_t* set, iree_task_affinity_set_t value,
    iree_memory_order_t order) {
  return (iree_task_affinity_set_t)iree_atomic_fetch_or_int64(
      set, (int64_t)value, order);
}

#ifdef __cplusplus
}  // extern "C"
#endif  // __cplusplus

#endif  // IREE_TASK_AFFINITY_SET_H_
