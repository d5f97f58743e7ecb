// Pieces shared by thread implementations: the priority override list and a
// bounded string copy. Exposed for tests; not a stable API.

#ifndef IREE_BASE_INTERNAL_THREADING_IMPL_H_
#define IREE_BASE_INTERNAL_THREADING_IMPL_H_

// Units including this first get the GNU extensions of the posix headers.
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif

#include <assert.h>
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "iree/base/api.h"
#include "iree/base/internal/synchronization.h"
#include "iree/base/internal/threading.h"

#ifdef __cplusplus
extern "C" {
#endif

// Active priority overrides of one thread. The thread runs at the highest of
// |base_priority_class| and every override in the list; |set_priority_fn| is
// called (with |mutex| held) only when that maximum changes.
struct iree_thread_override_list_t {
  iree_thread_set_priority_fn_t set_priority_fn;
  iree_thread_priority_class_t base_priority_class;
  iree_allocator_t allocator;
  iree_slim_mutex_t mutex;
  iree_thread_priority_class_t current_priority_class;
  iree_thread_override_t* head;
};

// Declared by the generated header:
//   // Copies at most |count| bytes of |src| plus a NUL into |dest|; returns
//   // 0, EINVAL (bad arguments) or ERANGE (does not fit in |destsz|).
//   int iree_strncpy_s(char* dest, size_t destsz, const char* src,
//                      size_t count);
//   void iree_thread_override_list_initialize(
//       iree_thread_set_priority_fn_t set_priority_fn,
//       iree_thread_priority_class_t base_priority_class,
//       iree_allocator_t allocator, iree_thread_override_list_t* out_list);
//   void iree_thread_override_list_deinitialize(
//       iree_thread_override_list_t* list);
//   iree_thread_override_t* iree_thread_override_list_add(
//       iree_thread_override_list_t* list, iree_thread_t* thread,
//       iree_thread_priority_class_t priority_class);
//   void iree_thread_override_remove_self(iree_thread_override_t* override_);

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_INTERNAL_THREADING_IMPL_H_
