// Which logical processor is running the caller.
//
// Declared in iree/generated/api.h:
//   iree_cpu_query_processor_id()
//       Index of the current logical processor (0 where the platform cannot
//       tell). The thread may migrate right after the call.
//   iree_cpu_requery_processor_id(tag, processor_id)
//       Refreshes |*processor_id|, using |*tag| (zero it to start, or to
//       force a fresh query) to skip queries while a cached value is still
//       considered fresh.

#ifndef IREE_BASE_INTERNAL_CPU_H_
#define IREE_BASE_INTERNAL_CPU_H_

#include <stddef.h>

#include "iree/base/api.h"

#endif  // IREE_BASE_INTERNAL_CPU_H_
