// A thread-safe pool of reusable events.
#ifndef IREE_BASE_INTERNAL_EVENT_POOL_H_
#define IREE_BASE_INTERNAL_EVENT_POOL_H_

#include "iree/base/api.h"
#include "iree/base/internal/wait_handle.h"
#include "iree/generated/api.h"

#endif  // IREE_BASE_INTERNAL_EVENT_POOL_H_
