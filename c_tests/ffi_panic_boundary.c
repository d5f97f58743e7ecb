// Proves the FFI panic boundary from the C side: a Rust panic raised inside
// an exported function must come back as an IREE_STATUS_INTERNAL status
// carrying the panic message, the process must keep running, and the
// library must stay usable afterwards (no poisoned global state).
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "iree/base/api.h"
#include "iree/testing/runtime_hooks.h"


static void test_panic_becomes_internal(void) {
  iree_status_t status = iree_runtime_testing_panic("deliberate test panic");
  CHECK(!iree_status_is_ok(status));
  CHECK(iree_status_code(status) == IREE_STATUS_INTERNAL);
  CHECK(status_mentions(status, "deliberate test panic"));
  iree_status_free(status);
}

static void test_null_message(void) {
  iree_status_t status = iree_runtime_testing_panic(NULL);
  CHECK(iree_status_code(status) == IREE_STATUS_INTERNAL);
  iree_status_free(status);
}

static void test_repeated_panics_leave_library_usable(void) {
  for (int i = 0; i < 16; ++i) {
    iree_status_t status = iree_runtime_testing_panic("again");
    CHECK(iree_status_code(status) == IREE_STATUS_INTERNAL);
    iree_status_free(status);
  }
  // An ordinary call after the panics still behaves normally.
  iree_status_t status = iree_make_status(IREE_STATUS_NOT_FOUND, "after %d", 16);
  CHECK(iree_status_code(status) == IREE_STATUS_NOT_FOUND);
  CHECK(status_mentions(status, "after 16"));
  iree_status_free(status);
}

int main(void) {
  test_panic_becomes_internal();
  test_null_message();
  test_repeated_panics_leave_library_usable();
  return harness_finish();
}
