// Tests of iree/base/internal/dynamic_library.h: builds a tiny shared object
// with the system C compiler at test time, then loads it from a file and from
// memory through the C API.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "iree/base/api.h"
#include "iree/base/internal/dynamic_library.h"
#include "iree/base/internal/file_io.h"


static const char kLibrarySource[] =
    "__attribute__((visibility(\"default\"))) int times_two(int v) {\n"
    "  return v * 2;\n"
    "}\n"
    "__attribute__((visibility(\"default\"))) int plus_k = 40;\n";

// Writes the source and compiles it; returns false when no compiler works.
static bool build_library(const char* dir, char* so_path, size_t size) {
  char src_path[512], command[2048];
  snprintf(src_path, sizeof(src_path), "%s/iree_dylib_test_%d.c", dir,
           (int)getpid());
  snprintf(so_path, size, "%s/iree_dylib_test_%d.so", dir, (int)getpid());
  iree_status_t status = iree_file_write_contents(
      src_path,
      iree_make_const_byte_span(kLibrarySource, strlen(kLibrarySource)));
  if (!iree_status_is_ok(status)) {
    iree_status_free(status);
    return false;
  }
  const char* cc = getenv("CC");
  if (!cc || !cc[0]) cc = "cc";
  snprintf(command, sizeof(command),
           "%s -shared -fPIC -o '%s' '%s' >/dev/null 2>&1", cc, so_path,
           src_path);
  int rc = system(command);
  remove(src_path);
  return rc == 0;
}

static void test_with_library(const char* so_path) {
  // Load from a file and call the function.
  iree_dynamic_library_t* library = NULL;
  CHECK(status_is(iree_dynamic_library_load_from_file(
                      so_path, IREE_DYNAMIC_LIBRARY_FLAG_NONE,
                      iree_allocator_system(), &library),
                  IREE_STATUS_OK));
  CHECK(library != NULL);
  if (!library) return;
  int (*times_two)(int) = NULL;
  CHECK(status_is(iree_dynamic_library_lookup_symbol(library, "times_two",
                                                     (void**)&times_two),
                  IREE_STATUS_OK));
  CHECK(times_two && times_two(123) == 246);
  int* plus_k = NULL;
  CHECK(status_is(iree_dynamic_library_lookup_symbol(library, "plus_k",
                                                     (void**)&plus_k),
                  IREE_STATUS_OK));
  CHECK(plus_k && *plus_k == 40);
  void* missing = (void*)0x1;
  CHECK(status_is(
      iree_dynamic_library_lookup_symbol(library, "unknown", &missing),
      IREE_STATUS_NOT_FOUND));
  CHECK(missing == NULL);
  CHECK(status_is(iree_dynamic_library_lookup_symbol(library, NULL, &missing),
                  IREE_STATUS_INVALID_ARGUMENT));
  CHECK(status_is(
      iree_dynamic_library_lookup_symbol(library, "times_two", NULL),
      IREE_STATUS_INVALID_ARGUMENT));

  // Debug data attachment is accepted (no symbol store on this platform).
  CHECK(status_is(
      iree_dynamic_library_attach_symbols_from_file(library, so_path),
      IREE_STATUS_OK));
  CHECK(status_is(iree_dynamic_library_attach_symbols_from_memory(
                      library, iree_make_const_byte_span("dbg", 3)),
                  IREE_STATUS_OK));

  // Extra references keep it loaded until the last release.
  iree_dynamic_library_retain(library);
  iree_dynamic_library_release(library);
  CHECK(times_two(-4) == -8);

  // The second of several search paths wins when the first is missing.
  const char* paths[2] = {"library_that_does_not_exist.so", so_path};
  iree_dynamic_library_t* library2 = NULL;
  CHECK(status_is(iree_dynamic_library_load_from_files(
                      2, paths, IREE_DYNAMIC_LIBRARY_FLAG_NONE,
                      iree_allocator_system(), &library2),
                  IREE_STATUS_OK));
  iree_dynamic_library_release(library2);
  iree_dynamic_library_release(library);

  // Load from memory: read the image and load it from the bytes.
  iree_file_contents_t* image = NULL;
  CHECK(status_is(
      iree_file_read_contents(so_path, iree_allocator_system(), &image),
      IREE_STATUS_OK));
  if (!image) return;
  iree_dynamic_library_t* from_memory = NULL;
  CHECK(status_is(iree_dynamic_library_load_from_memory(
                      iree_make_cstring_view("in memory test"),
                      image->const_buffer, IREE_DYNAMIC_LIBRARY_FLAG_NONE,
                      iree_allocator_system(), &from_memory),
                  IREE_STATUS_OK));
  times_two = NULL;
  if (from_memory) {
    CHECK(status_is(iree_dynamic_library_lookup_symbol(
                        from_memory, "times_two", (void**)&times_two),
                    IREE_STATUS_OK));
    CHECK(times_two && times_two(21) == 42);
    iree_dynamic_library_release(from_memory);
  }
  iree_file_contents_free(image);
}

static void test_failures(void) {
  iree_dynamic_library_t* library = (iree_dynamic_library_t*)0x1;
  CHECK(status_is(iree_dynamic_library_load_from_file(
                      "library_that_does_not_exist.so",
                      IREE_DYNAMIC_LIBRARY_FLAG_NONE, iree_allocator_system(),
                      &library),
                  IREE_STATUS_NOT_FOUND));
  CHECK(library == NULL);
  CHECK(status_is(iree_dynamic_library_load_from_files(
                      0, NULL, IREE_DYNAMIC_LIBRARY_FLAG_NONE,
                      iree_allocator_system(), &library),
                  IREE_STATUS_NOT_FOUND));
  CHECK(status_is(iree_dynamic_library_load_from_files(
                      2, NULL, IREE_DYNAMIC_LIBRARY_FLAG_NONE,
                      iree_allocator_system(), &library),
                  IREE_STATUS_INVALID_ARGUMENT));
  CHECK(status_is(iree_dynamic_library_load_from_file(
                      NULL, IREE_DYNAMIC_LIBRARY_FLAG_NONE,
                      iree_allocator_system(), &library),
                  IREE_STATUS_INVALID_ARGUMENT));
  CHECK(status_is(iree_dynamic_library_load_from_file(
                      "libc.so.6", IREE_DYNAMIC_LIBRARY_FLAG_NONE,
                      iree_allocator_system(), NULL),
                  IREE_STATUS_INVALID_ARGUMENT));
  const char junk[] = "definitely not an ELF image";
  CHECK(status_is(iree_dynamic_library_load_from_memory(
                      iree_make_cstring_view("junk"),
                      iree_make_const_byte_span(junk, sizeof(junk)),
                      IREE_DYNAMIC_LIBRARY_FLAG_NONE, iree_allocator_system(),
                      &library),
                  IREE_STATUS_NOT_FOUND));
  CHECK(status_is(iree_dynamic_library_load_from_memory(
                      iree_make_cstring_view("empty"),
                      iree_make_const_byte_span(NULL, 0),
                      IREE_DYNAMIC_LIBRARY_FLAG_NONE, iree_allocator_system(),
                      &library),
                  IREE_STATUS_INVALID_ARGUMENT));
  void* fn = NULL;
  CHECK(status_is(iree_dynamic_library_lookup_symbol(NULL, "x", &fn),
                  IREE_STATUS_INVALID_ARGUMENT));
  CHECK(status_is(iree_dynamic_library_attach_symbols_from_file(NULL, "x"),
                  IREE_STATUS_INVALID_ARGUMENT));
  iree_dynamic_library_retain(NULL);
  iree_dynamic_library_release(NULL);
}

int main(void) {
  const char* dir = getenv("TMPDIR");
  if (!dir || !dir[0]) dir = "/tmp";
  char so_path[512];
  if (build_library(dir, so_path, sizeof(so_path))) {
    test_with_library(so_path);
    remove(so_path);
  } else {
    fprintf(stderr, "no working C compiler; skipping the load tests\n");
  }
  test_failures();
  return harness_finish();
}
