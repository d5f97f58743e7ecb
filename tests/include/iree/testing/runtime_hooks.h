// Test hooks of the Rust runtime. Not part of the upstream IREE API: only
// the project's own tests use them, and applications should not.
//
// iree_runtime_testing_panic(message)
//     Raises a Rust panic inside the library's FFI boundary on purpose. The
//     boundary catches it, so the call returns (never unwinds into C) an
//     IREE_STATUS_INTERNAL status whose message contains |message| (a
//     NUL-terminated string; NULL picks a default text). The caller owns the
//     status and frees it with iree_status_free. Such deliberate panics print
//     nothing on stderr; any other panic still reports as usual.

#ifndef IREE_TESTING_RUNTIME_HOOKS_H_
#define IREE_TESTING_RUNTIME_HOOKS_H_

#include "iree/base/api.h"

#ifdef __cplusplus
extern "C" {
#endif

iree_status_t iree_runtime_testing_panic(const char* message);

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_TESTING_RUNTIME_HOOKS_H_
