// Umbrella header of the high-level runtime API: instances, sessions and
// calls, with the base, HAL and VM APIs they use.
#ifndef IREE_RUNTIME_API_H_
#define IREE_RUNTIME_API_H_

#include "iree/base/api.h"  // IWYU pragma: export
#include "iree/hal/api.h"  // IWYU pragma: export
#include "iree/vm/api.h"  // IWYU pragma: export
#include "iree/runtime/call.h"  // IWYU pragma: export
#include "iree/runtime/instance.h"  // IWYU pragma: export
#include "iree/runtime/session.h"  // IWYU pragma: export

#endif  // IREE_RUNTIME_API_H_
