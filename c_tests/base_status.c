// Exercises iree/base/status.h and iree_api_version_check through the C API.
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "iree/base/api.h"


// Formats |status| into |buffer| (without consuming it).
static const char* text_of(iree_status_t status, char* buffer, size_t size) {
  iree_host_size_t length = 0;
  if (!iree_status_format(status, size, buffer, &length)) return "(format failed)";
  return buffer;
}

static iree_status_t fail_with(iree_status_code_t code) {
  return iree_make_status(code, "inner %d", 7);
}

static iree_status_t propagate(iree_status_code_t code) {
  IREE_RETURN_IF_ERROR(fail_with(code), "outer %s", "context");
  return iree_ok_status();
}

static iree_status_t propagate_plain(iree_status_t status) {
  IREE_RETURN_IF_ERROR(status);
  return iree_ok_status();
}

static int cleanup_count = 0;
static iree_status_t propagate_with_cleanup(iree_status_t status) {
  IREE_RETURN_AND_EVAL_IF_ERROR(++cleanup_count, status, "cleaned");
  return iree_ok_status();
}

int main(void) {
  char buffer[512];

  // OK is NULL and allocates nothing.
  iree_status_t ok = iree_ok_status();
  CHECK(ok == NULL);
  CHECK(iree_status_is_ok(ok));
  CHECK(iree_status_allocate(IREE_STATUS_OK, __FILE__, 1, IREE_SV("x")) == NULL);
  CHECK(strcmp(text_of(ok, buffer, sizeof(buffer)), "OK") == 0);

  // Every code round-trips through the bits and has a name.
  for (int code = 1; code <= IREE_STATUS_DEFERRED; ++code) {
    iree_status_t s = iree_make_status((iree_status_code_t)code);
    CHECK(iree_status_code(s) == (iree_status_code_t)code);
    CHECK(strlen(iree_status_code_string((iree_status_code_t)code)) > 0);
    CHECK(iree_status_consume_code(s) == (iree_status_code_t)code);
  }
  CHECK(strcmp(iree_status_code_string(IREE_STATUS_DATA_LOSS), "DATA_LOSS") == 0);
  CHECK(strcmp(iree_status_code_string((iree_status_code_t)30), "") == 0);
  CHECK(iree_status_is_not_found(iree_status_from_code(IREE_STATUS_NOT_FOUND)));

  // Rich statuses carry location, message and annotations.
  iree_status_t s = iree_make_status(IREE_STATUS_INVALID_ARGUMENT, "bad %s %d", "value", 42);
  CHECK(iree_status_is_invalid_argument(s));
  text_of(s, buffer, sizeof(buffer));
  CHECK(strstr(buffer, "base_status.c:") != NULL);
  CHECK(strstr(buffer, "INVALID_ARGUMENT; bad value 42") != NULL);
  s = iree_status_annotate(s, IREE_SV("first note"));
  s = iree_status_annotate_f(s, "note %u", 2u);
  text_of(s, buffer, sizeof(buffer));
  CHECK(strstr(buffer, "bad value 42; first note; note 2") != NULL);

  // Length queries and truncation.
  iree_host_size_t length = 0;
  CHECK(iree_status_format(s, 0, NULL, &length));
  CHECK(length == strlen(buffer));
  char small[8];
  CHECK(iree_status_format(s, sizeof(small), small, &length));
  CHECK(strlen(small) == sizeof(small) - 1);
  CHECK(!iree_status_format(s, 0, NULL, NULL));

  // Clone keeps code, location and message but not annotations.
  iree_status_t c = iree_status_clone(s);
  CHECK(iree_status_code(c) == IREE_STATUS_INVALID_ARGUMENT);
  text_of(c, buffer, sizeof(buffer));
  CHECK(strstr(buffer, "bad value 42") != NULL);
  CHECK(strstr(buffer, "first note") == NULL);
  iree_status_free(c);
  CHECK(iree_status_clone(iree_ok_status()) == NULL);

  // to_string allocates from the given allocator.
  iree_allocator_t allocator = iree_allocator_system();
  char* str = NULL;
  CHECK(iree_status_to_string(s, &allocator, &str, &length));
  CHECK(str != NULL && strlen(str) == length);
  iree_allocator_free(allocator, str);
  CHECK(!iree_status_to_string(s, NULL, &str, &length));
  iree_status_ignore(s);

  // Plain-message form does not interpret % signs.
  s = iree_make_status(IREE_STATUS_INTERNAL, "100% literal");
  text_of(s, buffer, sizeof(buffer));
  CHECK(strstr(buffer, "INTERNAL; 100% literal") != NULL);
  iree_status_free(s);

  // Explicit locations.
  s = iree_make_status_with_location("somewhere.c", 12, IREE_STATUS_ABORTED, "x");
  text_of(s, buffer, sizeof(buffer));
  CHECK(strncmp(buffer, "somewhere.c:12: ABORTED; x", 26) == 0);
  iree_status_free(s);

  // Propagation macros.
  s = propagate(IREE_STATUS_NOT_FOUND);
  text_of(s, buffer, sizeof(buffer));
  CHECK(iree_status_is_not_found(s));
  CHECK(strstr(buffer, "inner 7; outer context") != NULL);
  iree_status_free(s);
  CHECK(iree_status_is_ok(propagate_plain(iree_ok_status())));
  s = propagate_plain(iree_status_from_code(IREE_STATUS_CANCELLED));
  CHECK(s == iree_status_from_code(IREE_STATUS_CANCELLED));
  s = propagate_with_cleanup(iree_make_status(IREE_STATUS_UNAVAILABLE));
  CHECK(cleanup_count == 1 && iree_status_is_unavailable(s));
  text_of(s, buffer, sizeof(buffer));
  CHECK(strstr(buffer, "UNAVAILABLE; cleaned") != NULL);
  iree_status_free(s);
  IREE_IGNORE_ERROR(fail_with(IREE_STATUS_UNKNOWN));
  IREE_CHECK_OK(iree_ok_status());

  // Annotating a code-only status gives it a message; OK stays OK.
  s = iree_status_annotate(iree_status_from_code(IREE_STATUS_DATA_LOSS), IREE_SV("lost"));
  text_of(s, buffer, sizeof(buffer));
  CHECK(strcmp(buffer, "DATA_LOSS; lost") == 0);
  iree_status_free(s);
  CHECK(iree_status_annotate(iree_ok_status(), IREE_SV("x")) == NULL);
  CHECK(iree_status_annotate_f(iree_ok_status(), "%d", 1) == NULL);

  // Join keeps the first failure.
  s = iree_status_join(iree_make_status(IREE_STATUS_ABORTED),
                       iree_make_status(IREE_STATUS_INTERNAL));
  CHECK(iree_status_is_aborted(s));
  iree_status_free(s);
  s = iree_status_join(iree_ok_status(), iree_make_status(IREE_STATUS_INTERNAL));
  CHECK(iree_status_is_internal(s));
  iree_status_free(s);

  // errno mapping.
  CHECK(iree_status_code_from_errno(0) == IREE_STATUS_OK);
  CHECK(iree_status_code_from_errno(ENOENT) == IREE_STATUS_NOT_FOUND);
  CHECK(iree_status_code_from_errno(ENOMEM) == IREE_STATUS_RESOURCE_EXHAUSTED);
  CHECK(iree_status_code_from_errno(EINVAL) == IREE_STATUS_INVALID_ARGUMENT);
  CHECK(iree_status_code_from_errno(-12345) == IREE_STATUS_UNKNOWN);

  // Many format arguments, including floating point (stack-passed varargs).
  s = iree_make_status(IREE_STATUS_OUT_OF_RANGE, "%d %d %d %d %d %d %d %.1f %.2f %s", 1, 2, 3,
                       4, 5, 6, 7, 1.5, 2.25, "end");
  text_of(s, buffer, sizeof(buffer));
  CHECK(strstr(buffer, "1 2 3 4 5 6 7 1.5 2.25 end") != NULL);
  iree_status_free(s);

  // API version check.
  iree_api_version_t actual = (iree_api_version_t)99;
  CHECK(iree_status_is_ok(iree_api_version_check(IREE_API_VERSION_LATEST, &actual)));
  CHECK(actual == IREE_API_VERSION_LATEST);
  CHECK(iree_status_consume_code(iree_api_version_check(
            (iree_api_version_t)1, &actual)) == IREE_STATUS_OUT_OF_RANGE);
  CHECK(iree_status_consume_code(iree_api_version_check(IREE_API_VERSION_LATEST, NULL)) ==
        IREE_STATUS_INVALID_ARGUMENT);

  return harness_finish();
}
