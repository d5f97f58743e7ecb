// Tests of iree/base/internal/file_io.h and file_path.h through the C API.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "iree/base/api.h"
#include "iree/base/internal/file_io.h"
#include "iree/base/internal/file_path.h"


static void temp_path(char* buffer, size_t size, const char* name) {
  const char* dir = getenv("TMPDIR");
  if (!dir || !dir[0]) dir = "/tmp";
  snprintf(buffer, size, "%s/iree_c_platform_%d_%s", dir, (int)getpid(), name);
}

static void test_read_write(void) {
  char path[512];
  temp_path(path, sizeof(path), "contents.bin");
  remove(path);
  CHECK(status_is(iree_file_exists(path), IREE_STATUS_NOT_FOUND));

  const char payload[] = "line one\nline\0two";  // includes an inner NUL
  CHECK(status_is(iree_file_write_contents(
                      path, iree_make_const_byte_span(payload, sizeof(payload))),
                  IREE_STATUS_OK));
  CHECK(status_is(iree_file_exists(path), IREE_STATUS_OK));

  iree_file_contents_t* contents = NULL;
  CHECK(status_is(
      iree_file_read_contents(path, iree_allocator_system(), &contents),
      IREE_STATUS_OK));
  CHECK(contents != NULL);
  if (contents) {
    CHECK(contents->const_buffer.data_length == sizeof(payload));
    CHECK(memcmp(contents->const_buffer.data, payload, sizeof(payload)) == 0);
    CHECK(contents->buffer.data[contents->buffer.data_length] == 0);
    CHECK(((uintptr_t)contents->buffer.data % 4096) == 0);

    // The deallocator only frees the contents' own buffer.
    iree_allocator_t deallocator = iree_file_contents_deallocator(contents);
    void* wrong = (void*)payload;
    CHECK(status_is(deallocator.ctl(deallocator.self,
                                    IREE_ALLOCATOR_COMMAND_FREE, NULL, &wrong),
                    IREE_STATUS_INVALID_ARGUMENT));
    void* fake = NULL;
    iree_allocator_alloc_params_t params = {16};
    CHECK(status_is(deallocator.ctl(deallocator.self,
                                    IREE_ALLOCATOR_COMMAND_MALLOC, &params,
                                    &fake),
                    IREE_STATUS_FAILED_PRECONDITION));
    iree_allocator_free(deallocator, contents->buffer.data);  // frees all
  }

  // Overwrite with empty contents.
  CHECK(status_is(iree_file_write_contents(path, iree_make_const_byte_span(NULL, 0)),
                  IREE_STATUS_OK));
  contents = NULL;
  CHECK(status_is(
      iree_file_read_contents(path, iree_allocator_system(), &contents),
      IREE_STATUS_OK));
  CHECK(contents && contents->buffer.data_length == 0 &&
        contents->buffer.data[0] == 0);
  iree_file_contents_free(contents);
  iree_file_contents_free(NULL);
  remove(path);

  // Failure paths.
  contents = (iree_file_contents_t*)0x1;
  CHECK(status_is(
      iree_file_read_contents(path, iree_allocator_system(), &contents),
      IREE_STATUS_NOT_FOUND));
  CHECK(contents == NULL);
  CHECK(status_is(iree_file_read_contents(NULL, iree_allocator_system(),
                                          &contents),
                  IREE_STATUS_INVALID_ARGUMENT));
  CHECK(status_is(iree_file_read_contents(path, iree_allocator_system(), NULL),
                  IREE_STATUS_INVALID_ARGUMENT));
  CHECK(status_is(iree_file_exists(NULL), IREE_STATUS_INVALID_ARGUMENT));
  CHECK(status_is(iree_file_write_contents(NULL, iree_make_const_byte_span(
                                                     "x", 1)),
                  IREE_STATUS_INVALID_ARGUMENT));
  CHECK(status_is(iree_file_write_contents(path, iree_make_const_byte_span(
                                                     NULL, 4)),
                  IREE_STATUS_INVALID_ARGUMENT));
  CHECK(status_is(iree_file_write_contents("/nonexistent_dir_iree/x",
                                           iree_make_const_byte_span("x", 1)),
                  IREE_STATUS_NOT_FOUND));
  // An allocator without a control function cannot allocate
  // (INVALID_ARGUMENT, as iree_allocator_malloc reports it).
  char self_path[512];
  temp_path(self_path, sizeof(self_path), "null_alloc");
  iree_status_ignore(
      iree_file_write_contents(self_path, iree_make_const_byte_span("ab", 2)));
  contents = NULL;
  CHECK(status_is(
      iree_file_read_contents(self_path, iree_allocator_null(), &contents),
      IREE_STATUS_INVALID_ARGUMENT));
  CHECK(contents == NULL);
  remove(self_path);
}

static char* canonicalize(const char* input, char* buffer) {
  size_t length = strlen(input);
  memcpy(buffer, input, length + 1);
  size_t new_length = iree_file_path_canonicalize(buffer, length);
  return buffer[new_length] == 0 ? buffer : NULL;
}

static bool join_is(const char* lhs, const char* rhs, const char* expected) {
  char* joined = NULL;
  iree_status_t status = iree_file_path_join(
      iree_make_cstring_view(lhs), iree_make_cstring_view(rhs),
      iree_allocator_system(), &joined);
  bool ok = iree_status_is_ok(status) && joined && !strcmp(joined, expected);
  iree_status_free(status);
  iree_allocator_free(iree_allocator_system(), joined);
  return ok;
}


static void test_paths(void) {
  char buffer[64];
  CHECK(!strcmp(canonicalize("", buffer), ""));
  CHECK(!strcmp(canonicalize("a////b", buffer), "a/b"));
  CHECK(!strcmp(canonicalize("//a//", buffer), "/a/"));
  CHECK(!strcmp(canonicalize("/", buffer), "/"));
  CHECK(iree_file_path_canonicalize(NULL, 4) == 0);

  CHECK(join_is("", "", ""));
  CHECK(join_is("foo", "", "foo"));
  CHECK(join_is("", "bar", "bar"));
  CHECK(join_is("foo", "bar", "foo/bar"));
  CHECK(join_is("/foo/", "/bar/", "/foo/bar/"));
  CHECK(join_is("foo//", "bar", "foo//bar"));
  char* out = (char*)0x1;
  CHECK(status_is(iree_file_path_join(iree_make_string_view(NULL, 3),
                                      iree_make_cstring_view("x"),
                                      iree_allocator_system(), &out),
                  IREE_STATUS_INVALID_ARGUMENT));
  CHECK(out == NULL);
  CHECK(status_is(iree_file_path_join(iree_make_cstring_view("a"),
                                      iree_make_cstring_view("b"),
                                      iree_allocator_system(), NULL),
                  IREE_STATUS_INVALID_ARGUMENT));

  const char* path = "/usr/lib/libfoo.so.1";
  iree_string_view_t dirname, basename;
  iree_file_path_split(iree_make_cstring_view(path), &dirname, &basename);
  CHECK(view_is(dirname, "/usr/lib"));
  CHECK(view_is(basename, "libfoo.so.1"));
  CHECK(basename.data == path + 9);  // views point into the input
  iree_file_path_split(iree_make_cstring_view(path), NULL, NULL);
  CHECK(view_is(iree_file_path_dirname(iree_make_cstring_view("/foo")), "/"));
  CHECK(view_is(iree_file_path_dirname(iree_make_cstring_view("foo")), ""));
  CHECK(view_is(iree_file_path_dirname(iree_make_cstring_view("foo//")), "foo/"));
  CHECK(view_is(iree_file_path_basename(iree_make_cstring_view("foo/")), ""));
  CHECK(view_is(iree_file_path_basename(iree_make_string_view(NULL, 0)), ""));

  iree_string_view_t stem, extension;
  iree_file_path_split_basename(iree_make_cstring_view(path), &stem,
                                &extension);
  CHECK(view_is(stem, "libfoo.so"));
  CHECK(view_is(extension, "1"));
  CHECK(view_is(iree_file_path_stem(iree_make_cstring_view("a.b/c")), "c"));
  CHECK(view_is(iree_file_path_stem(iree_make_cstring_view("..bar")), "."));
  CHECK(view_is(iree_file_path_extension(iree_make_cstring_view("foo.")), ""));
  CHECK(view_is(iree_file_path_extension(iree_make_cstring_view(".bar")),
                "bar"));
  // A view claiming bytes at NULL is treated as empty rather than read.
  CHECK(iree_file_path_extension(iree_make_string_view(NULL, 10)).size == 0);
}

int main(void) {
  test_read_write();
  test_paths();
  return harness_finish();
}
