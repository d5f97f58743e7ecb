// Loads the runtime at run time with dlopen, as plugin hosts and language
// bindings do, and calls it only through pointers found with dlsym. The
// headers supply the types; nothing here links against the library.
//
// Usage: dlopen_hello [path/to/libiree_runtime.so]
// (default: "libiree_runtime.so.0" from the loader's search path).
#include <dlfcn.h>
#include <stdio.h>

#include "iree/base/api.h"

typedef iree_status_t (*version_check_fn)(iree_api_version_t,
                                          iree_api_version_t*);
typedef const char* (*code_string_fn)(iree_status_code_t);
typedef void (*status_free_fn)(iree_status_t);
typedef bool (*string_view_equal_fn)(iree_string_view_t, iree_string_view_t);
typedef iree_status_t (*testing_panic_fn)(const char*);

// Looks up |name| or reports it and counts a failure.
static void* lookup(void* library, const char* name, int* failures) {
  void* symbol = dlsym(library, name);
  if (!symbol) {
    fprintf(stderr, "missing symbol %s: %s\n", name, dlerror());
    ++*failures;
  }
  return symbol;
}

int main(int argc, char** argv) {
  const char* path = argc > 1 ? argv[1] : "libiree_runtime.so.0";
  void* library = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    fprintf(stderr, "dlopen(%s) failed: %s\n", path, dlerror());
    return 1;
  }
  int failures = 0;
  // POSIX guarantees that dlsym results convert to function pointers.
  version_check_fn version_check = (version_check_fn)lookup(
      library, "iree_api_version_check", &failures);
  code_string_fn code_string = (code_string_fn)lookup(
      library, "iree_status_code_string", &failures);
  status_free_fn status_free =
      (status_free_fn)lookup(library, "iree_status_free", &failures);
  string_view_equal_fn string_view_equal = (string_view_equal_fn)
      lookup(library, "iree_string_view_equal", &failures);
  // Only present in this runtime (a test hook), so optional.
  testing_panic_fn testing_panic =
      (testing_panic_fn)dlsym(library, "iree_runtime_testing_panic");
  if (failures) {
    dlclose(library);
    return 1;
  }

  iree_api_version_t actual = IREE_API_VERSION_LATEST;
  iree_status_t status = version_check(IREE_API_VERSION_LATEST, &actual);
  printf("api version check: %s (version %d)\n",
         code_string(iree_status_code(status)), (int)actual);
  if (!iree_status_is_ok(status)) ++failures;
  status_free(status);

  iree_string_view_t a = {"dlopen", 6};
  iree_string_view_t b = {"dlopen!", 6};
  if (!string_view_equal(a, b)) ++failures;

  if (testing_panic) {
    // A panic inside the library must come back as a status, even when the
    // library was loaded this way.
    status = testing_panic("from dlopen_hello");
    printf("deliberate panic came back as: %s\n",
           code_string(iree_status_code(status)));
    if (iree_status_code(status) != IREE_STATUS_INTERNAL) ++failures;
    status_free(status);
  }

  dlclose(library);
  printf("%s\n", failures == 0 ? "all good" : "something went wrong");
  return failures == 0 ? 0 : 1;
}
