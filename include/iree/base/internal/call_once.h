// One-time initialization shared by every thread (C11 call_once for
// platforms that lack <threads.h>).

#ifndef IREE_BASE_INTERNAL_CALL_ONCE_H_
#define IREE_BASE_INTERNAL_CALL_ONCE_H_

#include <stddef.h>

#include "iree/base/api.h"

#ifdef __cplusplus
extern "C" {
#endif

// Initial value of an iree_once_flag (defined in iree/abi/threading_types.h):
//   static iree_once_flag flag = IREE_ONCE_FLAG_INIT;
#define IREE_ONCE_FLAG_INIT 0

// Declared by the generated header:
//   // Runs |func| the first time any thread passes |flag|; every call
//   // returns only after that run has finished (and sees its effects).
//   void iree_call_once(iree_once_flag* flag, void (*func)(void));

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_INTERNAL_CALL_ONCE_H_
