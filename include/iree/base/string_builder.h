// iree_string_builder_t: appends strings into a growing buffer, or (with
// iree_allocator_null() and no storage) just totals the length they need.
//
//   iree_string_builder_t builder;
//   iree_string_builder_initialize(iree_allocator_system(), &builder);
//   IREE_RETURN_IF_ERROR(iree_string_builder_append_format(&builder, "%d", 4));
//   use(iree_string_builder_view(&builder));
//   iree_string_builder_deinitialize(&builder);
#ifndef IREE_BASE_STRING_BUILDER_H_
#define IREE_BASE_STRING_BUILDER_H_

#include <stdbool.h>
#include <string.h>

#include "iree/base/allocator.h"
#include "iree/base/attributes.h"
#include "iree/base/status.h"
#include "iree/base/string_view.h"

#ifdef __cplusplus
extern "C" {
#endif

// The builder type is in iree/abi/base_types.h; initialize,
// initialize_with_storage, deinitialize, buffer, size, capacity, view,
// take_storage, reserve, append_string and append_cstring are declared in
// iree/generated/api.h.

// Appends printf-style formatted text.
IREE_API_EXPORT IREE_PRINTF_ATTRIBUTE(2, 3) iree_status_t
    iree_string_builder_append_format(iree_string_builder_t* builder,
                                      const char* format, ...);

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_STRING_BUILDER_H_
