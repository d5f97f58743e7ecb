// Timeline semaphores: a 64-bit payload that only moves forward, signalled
// and waited on by host threads and device queues.
//
// iree_hal_semaphore_create gives the caller one reference (release it with
// iree_hal_semaphore_release). A failed semaphore keeps its first failure:
// query and signal return it from then on, waits end with
// IREE_STATUS_ABORTED and query reports IREE_HAL_SEMAPHORE_FAILURE_VALUE.
// Semaphores implemented in C are not supported by these functions.
#ifndef IREE_HAL_SEMAPHORE_H_
#define IREE_HAL_SEMAPHORE_H_

#include <stdbool.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/resource.h"

// The payload a failed semaphore reports; no signal may reach it.
#define IREE_HAL_SEMAPHORE_FAILURE_VALUE UINT64_MAX

#endif  // IREE_HAL_SEMAPHORE_H_
