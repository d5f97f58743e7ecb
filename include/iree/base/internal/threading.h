// OS threads: creation with a name, priority class, processor affinity and
// optional suspended start; reference counted, joined on final release.

#ifndef IREE_BASE_INTERNAL_THREADING_H_
#define IREE_BASE_INTERNAL_THREADING_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "iree/base/api.h"

#ifdef __cplusplus
extern "C" {
#endif

// How to create a thread. Zero-filling the whole struct gives the defaults:
// unnamed, platform stack size, running at once, normal priority, any CPU.
struct iree_thread_create_params_t {
  // Name shown by debuggers and tools (at most 15 bytes are kept).
  iree_string_view_t name;
  // Stack size in bytes; 0 for the platform default.
  size_t stack_size;
  // When set the thread exists but does not call its entry function until
  // iree_thread_resume (or its final release).
  bool create_suspended;
  // Starting priority class; overrides can raise it later.
  iree_thread_priority_class_t priority_class;
  // Starting processor affinity; see iree_thread_request_affinity.
  iree_thread_affinity_t initial_affinity;
};

// Declared by the generated header:
//   void iree_thread_affinity_set_any(iree_thread_affinity_t* out_affinity);
//   // Starts a thread calling |entry(entry_arg)|. The caller gets one
//   // reference; |entry_arg| must stay valid until the thread is done with
//   // it.
//   iree_status_t iree_thread_create(iree_thread_entry_t entry,
//                                    void* entry_arg,
//                                    iree_thread_create_params_t params,
//                                    iree_allocator_t allocator,
//                                    iree_thread_t** out_thread);
//   void iree_thread_retain(iree_thread_t* thread);
//   // The last release resumes a suspended thread and waits for it to exit.
//   void iree_thread_release(iree_thread_t* thread);
//   uintptr_t iree_thread_id(iree_thread_t* thread);
//   // The thread runs at the highest of its base class and every override
//   // still active; end each override with iree_thread_override_end.
//   iree_thread_override_t* iree_thread_priority_class_override_begin(
//       iree_thread_t* thread, iree_thread_priority_class_t priority_class);
//   void iree_thread_override_end(iree_thread_override_t* override_token);
//   // A hint: re-request when the CPU configuration may have changed.
//   void iree_thread_request_affinity(iree_thread_t* thread,
//                                     iree_thread_affinity_t affinity);
//   void iree_thread_resume(iree_thread_t* thread);

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_INTERNAL_THREADING_H_
