// The IREE base C API: statuses, allocators, strings, time, waits and loops.
//
// Conventions shared by the whole runtime API:
// * Objects returned by *_create / *_copy belong to the caller, who releases
//   them; objects returned by accessors are borrowed (retain to keep them).
// * Functions producing text take (capacity, buffer, out_length): call with
//   a zero capacity and NULL buffer to learn the length, then again with
//   length + 1 bytes; a too-small buffer gives IREE_STATUS_OUT_OF_RANGE.
// * When loading the library dynamically, call iree_api_version_check first.
#ifndef IREE_BASE_API_H_
#define IREE_BASE_API_H_

#include "iree/base/alignment.h"       // IWYU pragma: export
#include "iree/base/allocator.h"       // IWYU pragma: export
#include "iree/base/assert.h"          // IWYU pragma: export
#include "iree/base/attributes.h"      // IWYU pragma: export
#include "iree/base/bitfield.h"        // IWYU pragma: export
#include "iree/base/config.h"          // IWYU pragma: export
#include "iree/base/loop.h"            // IWYU pragma: export
#include "iree/base/loop_inline.h"     // IWYU pragma: export
#include "iree/base/status.h"          // IWYU pragma: export
#include "iree/base/string_builder.h"  // IWYU pragma: export
#include "iree/base/string_view.h"     // IWYU pragma: export
#include "iree/base/time.h"            // IWYU pragma: export
#include "iree/base/wait_source.h"     // IWYU pragma: export

// Marks declarations whose shape may still change.
#define IREE_API_UNSTABLE

// iree_api_version_t is in iree/abi/base_types.h. iree_api_version_check
// (declared in iree/generated/api.h) stores the library's version and fails
// with IREE_STATUS_OUT_OF_RANGE when it differs from the caller's.

#endif  // IREE_BASE_API_H_
