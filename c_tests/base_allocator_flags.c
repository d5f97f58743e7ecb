// Exercises iree/base/allocator.h (system, null and custom allocators,
// aligned blocks) and iree/base/internal/flags.h (registration, parsing,
// flag files, dumping).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "iree/base/api.h"
#include "iree/base/internal/flags.h"


// A custom allocator that counts the commands it sees.
typedef struct {
  int commands[4];
  int live;
} counting_state_t;

static iree_status_t counting_ctl(void* self, iree_allocator_command_t command,
                                  const void* params, void** inout_ptr) {
  counting_state_t* state = (counting_state_t*)self;
  state->commands[command]++;
  if (command == IREE_ALLOCATOR_COMMAND_FREE) {
    free(*inout_ptr);
    --state->live;
    return iree_ok_status();
  }
  iree_host_size_t n = ((const iree_allocator_alloc_params_t*)params)->byte_length;
  if (n > 4096) return iree_make_status(IREE_STATUS_RESOURCE_EXHAUSTED, "too big");
  void* p = command == IREE_ALLOCATOR_COMMAND_REALLOC ? realloc(*inout_ptr, n)
            : command == IREE_ALLOCATOR_COMMAND_CALLOC ? calloc(1, n)
                                                       : malloc(n);
  if (command != IREE_ALLOCATOR_COMMAND_REALLOC || !*inout_ptr) ++state->live;
  *inout_ptr = p;
  return iree_ok_status();
}

IREE_FLAG(bool, test_bool, false, "A boolean.");
IREE_FLAG(int32_t, test_int32, 123, "An int32.");
IREE_FLAG(int64_t, test_int64, 555, "An int64.");
IREE_FLAG(float, test_float, 1.0f, "A float.");
IREE_FLAG(double, test_double, 2.0, "A double.");
IREE_FLAG(string, test_string, "default", "A string.");

static int callback_storage = 0;
static iree_status_t parse_counter(iree_string_view_t name, void* storage,
                                   iree_string_view_t value) {
  if (iree_string_view_equal(value, IREE_SV("fail"))) {
    return iree_make_status(IREE_STATUS_INTERNAL, "callback refused");
  }
  int32_t n = 0;
  iree_string_view_atoi_int32(value, &n);
  *(int*)storage += n;
  return iree_ok_status();
}
static void print_counter(iree_string_view_t name, void* storage, FILE* file) {
  fprintf(file, "--%.*s=%d\n", (int)name.size, name.data, *(int*)storage);
}
IREE_FLAG_CALLBACK(parse_counter, print_counter, &callback_storage, test_callback,
                   "A callback flag.");

static void test_allocators(void) {
  iree_allocator_t system = iree_allocator_system();
  void* p = NULL;
  CHECK(iree_status_is_ok(iree_allocator_malloc(system, 64, &p)));
  CHECK(p != NULL && ((uint8_t*)p)[0] == 0 && ((uint8_t*)p)[63] == 0);
  memset(p, 7, 64);
  CHECK(iree_status_is_ok(iree_allocator_realloc(system, 128, &p)));
  CHECK(((uint8_t*)p)[63] == 7);
  void* c = NULL;
  CHECK(iree_status_is_ok(iree_allocator_clone(system, iree_make_const_byte_span(p, 64), &c)));
  CHECK(memcmp(c, p, 64) == 0);
  iree_allocator_free(system, c);
  iree_allocator_free(system, p);
  iree_allocator_free(system, NULL);
  CHECK(iree_status_is_ok(iree_allocator_malloc_uninitialized(system, 8, &p)));
  iree_allocator_free(system, p);

  // Bad arguments.
  CHECK(iree_status_consume_code(iree_allocator_malloc(system, 0, &p)) ==
        IREE_STATUS_INVALID_ARGUMENT);
  CHECK(iree_status_consume_code(iree_allocator_malloc(system, 8, NULL)) ==
        IREE_STATUS_INVALID_ARGUMENT);
  CHECK(iree_status_consume_code(iree_allocator_malloc(iree_allocator_null(), 8, &p)) ==
        IREE_STATUS_INVALID_ARGUMENT);
  CHECK(iree_status_consume_code(iree_allocator_realloc(system, 8, NULL)) ==
        IREE_STATUS_INVALID_ARGUMENT);
  CHECK(iree_status_consume_code(iree_allocator_system_ctl(NULL, IREE_ALLOCATOR_COMMAND_MALLOC,
                                                           NULL, &p)) ==
        IREE_STATUS_INVALID_ARGUMENT);
  CHECK(iree_status_consume_code(iree_allocator_system_ctl(
            NULL, (iree_allocator_command_t)42, NULL, &p)) == IREE_STATUS_UNIMPLEMENTED);
  CHECK(iree_allocator_is_null(iree_allocator_null()));
  iree_allocator_free(iree_allocator_null(), (void*)&p);  // ignored

  // Custom allocator sees the documented commands.
  counting_state_t state = {{0}, 0};
  iree_allocator_t counting = {&state, counting_ctl};
  CHECK(iree_status_is_ok(iree_allocator_malloc(counting, 16, &p)));
  CHECK(state.commands[IREE_ALLOCATOR_COMMAND_CALLOC] == 1);
  CHECK(iree_status_is_ok(iree_allocator_realloc(counting, 32, &p)));
  CHECK(state.commands[IREE_ALLOCATOR_COMMAND_REALLOC] == 1);
  iree_allocator_free(counting, p);
  CHECK(state.commands[IREE_ALLOCATOR_COMMAND_FREE] == 1 && state.live == 0);
  iree_status_t status = iree_allocator_malloc(counting, 10000, &p);
  CHECK(iree_status_is_resource_exhausted(status));
  iree_status_ignore(status);

  // Aligned blocks, including offsets and moves on realloc.
  for (iree_host_size_t alignment = 16; alignment <= 4096; alignment *= 4) {
    void* a = NULL;
    CHECK(iree_status_is_ok(iree_allocator_malloc_aligned(system, 100, alignment, 8, &a)));
    CHECK((((uintptr_t)a + 8) & (alignment - 1)) == 0);
    memset(a, 0x5A, 100);
    CHECK(iree_status_is_ok(iree_allocator_realloc_aligned(system, 5000, alignment, 8, &a)));
    CHECK((((uintptr_t)a + 8) & (alignment - 1)) == 0);
    CHECK(((uint8_t*)a)[0] == 0x5A && ((uint8_t*)a)[99] == 0x5A);
    iree_allocator_free_aligned(system, a);
  }
  void* a = NULL;
  CHECK(iree_status_consume_code(iree_allocator_malloc_aligned(system, 8, 24, 0, &a)) ==
        IREE_STATUS_INVALID_ARGUMENT);
  CHECK(iree_status_is_ok(iree_allocator_malloc_aligned(counting, 8, 64, 0, &a)));
  iree_allocator_free_aligned(counting, a);
  CHECK(state.live == 0);
  iree_allocator_free_aligned(system, NULL);
}

static void test_flags(void) {
  char arg0[] = "program", arg1[] = "--test_bool", arg2[] = "positional",
       arg3[] = "--test_int32=-42", arg4[] = "--test_int64=9223372036854775807",
       arg5[] = "--test_float=1.25", arg6[] = "--test_string=\"with spaces\"",
       arg7[] = "--test_callback=2", arg8[] = "--test_callback=3", arg9[] = "--test_double=0.5";
  char* args[] = {arg0, arg1, arg2, arg3, arg4, arg5, arg6, arg7, arg8, arg9, NULL};
  int argc = 10;
  char** argv = args;
  CHECK(iree_status_is_ok(iree_flags_parse(IREE_FLAGS_PARSE_MODE_DEFAULT, &argc, &argv)));
  CHECK(argc == 2 && strcmp(argv[1], "positional") == 0 && argv[2] == NULL);
  CHECK(FLAG_test_bool == true);
  CHECK(FLAG_test_int32 == -42);
  CHECK(FLAG_test_int64 == INT64_MAX);
  CHECK(FLAG_test_float == 1.25f);
  CHECK(FLAG_test_double == 0.5);
  CHECK(strcmp(FLAG_test_string, "with spaces") == 0);
  CHECK(callback_storage == 5);

  // Unknown flags fail unless allowed (then they stay in argv).
  char u0[] = "program", u1[] = "--no_such_flag=1", u2[] = "--test_bool=false";
  char* uargs[] = {u0, u1, u2, NULL};
  argc = 3;
  argv = uargs;
  iree_status_t status = iree_flags_parse(IREE_FLAGS_PARSE_MODE_DEFAULT, &argc, &argv);
  CHECK(iree_status_is_invalid_argument(status));
  iree_status_ignore(status);
  argc = 3;
  CHECK(iree_status_is_ok(iree_flags_parse(IREE_FLAGS_PARSE_MODE_UNDEFINED_OK, &argc, &argv)));
  CHECK(argc == 2 && strcmp(argv[1], "--no_such_flag=1") == 0);
  CHECK(FLAG_test_bool == false);

  // Callback errors propagate.
  char c0[] = "program", c1[] = "--test_callback=fail";
  char* cargs[] = {c0, c1, NULL};
  argc = 2;
  argv = cargs;
  status = iree_flags_parse(IREE_FLAGS_PARSE_MODE_DEFAULT, &argc, &argv);
  CHECK(iree_status_is_internal(status));
  iree_status_ignore(status);

  // Flag files.
  const char* path = "base_allocator_flags_test.flags";
  FILE* f = fopen(path, "w");
  if (f) {
    fputs("# comment\n\n  --test_int32=77\n// another\n--test_string=from file\n", f);
    fclose(f);
  }
  char flagfile_arg[128];
  snprintf(flagfile_arg, sizeof(flagfile_arg), "--flagfile=%s", path);
  char f0[] = "program";
  char* fargs[] = {f0, flagfile_arg, NULL};
  argc = 2;
  argv = fargs;
  CHECK(iree_status_is_ok(iree_flags_parse(IREE_FLAGS_PARSE_MODE_DEFAULT, &argc, &argv)));
  CHECK(FLAG_test_int32 == 77 && strcmp(FLAG_test_string, "from file") == 0);
  remove(path);
  char missing[] = "--flagfile=/nonexistent/dir/flags.txt";
  char* margs[] = {f0, missing, NULL};
  argc = 2;
  argv = margs;
  status = iree_flags_parse(IREE_FLAGS_PARSE_MODE_DEFAULT, &argc, &argv);
  CHECK(iree_status_is_not_found(status));
  iree_status_ignore(status);

  // NULL arguments are fine (nothing to parse).
  CHECK(iree_status_is_ok(iree_flags_parse(IREE_FLAGS_PARSE_MODE_DEFAULT, NULL, NULL)));
  CHECK(iree_flag_register(__FILE__, __LINE__, IREE_FLAG_TYPE_int32_t, NULL, NULL, NULL,
                           IREE_SV("x"), IREE_SV("")) == -1);

  // Dumping prints every flag with its value.
  FILE* out = tmpfile();
  if (out) {
    iree_flags_dump(IREE_FLAG_DUMP_MODE_VERBOSE, out);
    long size = ftell(out);
    char* text = (char*)calloc(1, (size_t)size + 1);
    rewind(out);
    size_t n = fread(text, 1, (size_t)size, out);
    text[n] = 0;
    CHECK(strstr(text, "--test_int32=77") != NULL);
    CHECK(strstr(text, "--test_float=1.25") != NULL);
    CHECK(strstr(text, "--test_string=\"from file\"") != NULL);
    CHECK(strstr(text, "--test_callback=5") != NULL);
    CHECK(strstr(text, "# A boolean.") != NULL);
    CHECK(strstr(text, "# --help") != NULL);
    free(text);
    fclose(out);
  }
}

int main(void) {
  test_allocators();
  test_flags();
  return harness_finish();
}
