// Proves the FFI panic boundary from the C side: a Rust panic raised inside
// an exported function must come back as an IREE_STATUS_INTERNAL status
// carrying the panic message, the process must keep running, and the
// library must stay usable afterwards (no poisoned global state).
#include <stdio.h>
#include <string.h>

#include "iree/base/api.h"
#include "iree/testing/runtime_hooks.h"

static int passed = 0, failed = 0;
#define CHECK(cond)                                                     \
  do {                                                                  \
    if (cond) {                                                         \
      ++passed;                                                         \
    } else {                                                            \
      ++failed;                                                         \
      fprintf(stderr, "%s:%d: CHECK(%s)\n", __FILE__, __LINE__, #cond); \
    }                                                                   \
  } while (0)

// True when the formatted status mentions |needle|.
static bool status_mentions(iree_status_t status, const char* needle) {
  char text[512];
  iree_host_size_t length = 0;
  if (!iree_status_format(status, sizeof(text), text, &length)) return false;
  if (length >= sizeof(text)) return false;
  text[length] = 0;
  return strstr(text, needle) != NULL;
}

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
  printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
