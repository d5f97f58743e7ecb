// Says hello through a few calls of the base API: the API version check,
// statuses, the system allocator and string views. Exits non-zero if any of
// them misbehaves, so it doubles as an install smoke test.
#include <stdio.h>
#include <string.h>

#include "iree/base/api.h"

// Prints |status| (if not OK) and frees it; returns true when it was OK.
static bool report(const char* what, iree_status_t status) {
  if (iree_status_is_ok(status)) return true;
  char text[256];
  iree_host_size_t length = 0;
  if (!iree_status_format(status, sizeof(text), text, &length) ||
      length >= sizeof(text)) {
    strcpy(text, iree_status_code_string(iree_status_code(status)));
  } else {
    text[length] = 0;
  }
  fprintf(stderr, "%s failed: %s\n", what, text);
  iree_status_free(status);
  return false;
}

int main(void) {
  int failures = 0;

  iree_api_version_t version = IREE_API_VERSION_LATEST;
  if (!report("iree_api_version_check",
              iree_api_version_check(IREE_API_VERSION_LATEST, &version))) {
    ++failures;
  }

  // Statuses carry a code and a formatted message.
  iree_status_t status =
      iree_make_status(IREE_STATUS_NOT_FOUND, "no greeting for '%s'", "world");
  if (iree_status_code(status) != IREE_STATUS_NOT_FOUND) ++failures;
  printf("status code name: %s\n",
         iree_status_code_string(iree_status_code(status)));
  iree_status_ignore(status);

  // Memory comes from (and goes back to) the system allocator.
  iree_allocator_t allocator = iree_allocator_system();
  char* greeting = NULL;
  if (report("iree_allocator_malloc",
             iree_allocator_malloc(allocator, 32, (void**)&greeting))) {
    snprintf(greeting, 32, "hello, world");
  } else {
    ++failures;
  }

  // String views: split "hello, world" at the comma without copying.
  iree_string_view_t lhs = iree_string_view_empty();
  iree_string_view_t rhs = iree_string_view_empty();
  if (greeting) {
    iree_string_view_t view = iree_make_cstring_view(greeting);
    if (iree_string_view_split(view, ',', &lhs, &rhs) != 5) ++failures;
    if (!iree_string_view_equal(lhs, iree_make_cstring_view("hello"))) {
      ++failures;
    }
    printf("%.*s from the IREE runtime (%.*s)\n", (int)lhs.size, lhs.data,
           (int)rhs.size, rhs.data);
  }
  iree_allocator_free(allocator, greeting);

  printf("%s\n", failures == 0 ? "all good" : "something went wrong");
  return failures == 0 ? 0 : 1;
}
