// Executable caches: declared in iree/generated/api.h; this header adds the
// caching mode bits. No executable format can be prepared yet (no loaders).
#ifndef IREE_HAL_EXECUTABLE_CACHE_H_
#define IREE_HAL_EXECUTABLE_CACHE_H_

#include "iree/base/api.h"
#include "iree/generated/api.h"
#include "iree/hal/resource.h"

#ifdef __cplusplus
extern "C" {
#endif

enum iree_hal_executable_caching_mode_bits_t {
  IREE_HAL_EXECUTABLE_CACHING_MODE_ALIAS_PROVIDED_DATA = 1u << 0,
  IREE_HAL_EXECUTABLE_CACHING_MODE_ALLOW_PERSISTENT_CACHING = 1u << 1,
  IREE_HAL_EXECUTABLE_CACHING_MODE_ALLOW_OPTIMIZATION = 1u << 2,
  IREE_HAL_EXECUTABLE_CACHING_MODE_ENABLE_DEBUGGING = 1u << 3,
  IREE_HAL_EXECUTABLE_CACHING_MODE_ENABLE_COVERAGE = 1u << 4,
  IREE_HAL_EXECUTABLE_CACHING_MODE_ENABLE_PROFILING = 1u << 5,
  IREE_HAL_EXECUTABLE_CACHING_MODE_DISABLE_VERIFICATION = 1u << 6,
};

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_HAL_EXECUTABLE_CACHE_H_
