// The checks every c_tests/*.c program uses. Each test file is one program:
// it includes this header once, runs its checks, and ends main with
// `return harness_finish();`, which prints the tally and exits non-zero
// when any check failed (tests/c_tests.rs runs the programs).
//
// A failed check prints its file, line and expression and the run goes on,
// so one run reports every failure. The counters are atomic because some
// tests check from several threads.
#ifndef IREE_C_TESTS_HARNESS_H_
#define IREE_C_TESTS_HARNESS_H_

#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "iree/base/api.h"
#include "iree/vm/api.h"

static atomic_int harness_passed = 0;
static atomic_int harness_failed = 0;

// Records whether |cond| holds.
#define CHECK(cond)                                                     \
  do {                                                                  \
    if (cond) {                                                         \
      ++harness_passed;                                                 \
    } else {                                                            \
      ++harness_failed;                                                 \
      fprintf(stderr, "%s:%d: CHECK(%s)\n", __FILE__, __LINE__, #cond); \
    }                                                                   \
  } while (0)

// Checks that |expr| returns an OK status; prints and frees any other.
#define CHECK_OK(expr)                       \
  do {                                       \
    iree_status_t check_ok_ = (expr);        \
    CHECK(iree_status_is_ok(check_ok_));     \
    if (!iree_status_is_ok(check_ok_)) {     \
      iree_status_fprint(stderr, check_ok_); \
      iree_status_ignore(check_ok_);         \
    }                                        \
  } while (0)

// Checks that |expr| returns a status with |code|; frees it.
#define CHECK_CODE(code, expr) CHECK(status_is((expr), (code)))

// Whether |status| has |code|; consumes the status.
static inline bool status_is(iree_status_t status, iree_status_code_t code) {
  bool matches = iree_status_code(status) == code;
  iree_status_ignore(status);
  return matches;
}

// Whether the formatted |status| contains |needle| (the status is kept).
static inline bool status_mentions(iree_status_t status, const char* needle) {
  char text[2048];
  iree_host_size_t length = 0;
  if (!iree_status_format(status, sizeof(text), text, &length)) return false;
  if (length >= sizeof(text)) return false;
  text[length] = 0;
  if (strstr(text, needle)) return true;
  fprintf(stderr, "status `%s` lacks `%s`\n", text, needle);
  return false;
}

// Whether |status| has |code| and its text contains every string of the
// NULL-terminated |needles|; consumes the status. Use status_matches.
static inline bool harness_status_matches(iree_status_t status,
                                          iree_status_code_t code,
                                          const char* const* needles) {
  bool ok = iree_status_code(status) == code;
  if (!ok) {
    fprintf(stderr, "status code %s, expected %s\n",
            iree_status_code_string(iree_status_code(status)),
            iree_status_code_string(code));
  }
  for (; *needles; ++needles) ok = status_mentions(status, *needles) && ok;
  iree_status_ignore(status);
  return ok;
}
#define status_matches(status, code, ...)    \
  harness_status_matches((status), (code), \
                         (const char* const[]){__VA_ARGS__, NULL})

// Whether |view| holds exactly the characters of |expected|.
static inline bool view_is(iree_string_view_t view, const char* expected) {
  return iree_string_view_equal(view, iree_make_cstring_view(expected));
}

//===----------------------------------------------------------------------===//
// VM setup: an instance with one context, and calls by name
//===----------------------------------------------------------------------===//

typedef struct {
  iree_vm_instance_t* instance;
  iree_vm_context_t* context;
} vm_setup_t;

// Creates an instance and a context over |modules| (registered in order; the
// context retains them). On failure both are released and left NULL.
static inline iree_status_t vm_setup(iree_vm_module_t** modules,
                                     iree_host_size_t module_count,
                                     vm_setup_t* out_setup) {
  out_setup->instance = NULL;
  out_setup->context = NULL;
  IREE_RETURN_IF_ERROR(
      iree_vm_instance_create(iree_allocator_system(), &out_setup->instance));
  iree_status_t status = iree_vm_context_create_with_modules(
      out_setup->instance, IREE_VM_CONTEXT_FLAG_NONE, modules, module_count,
      iree_allocator_system(), &out_setup->context);
  if (!iree_status_is_ok(status)) {
    iree_vm_instance_release(out_setup->instance);
    out_setup->instance = NULL;
  }
  return status;
}

static inline void vm_teardown(vm_setup_t* setup) {
  iree_vm_context_release(setup->context);
  iree_vm_instance_release(setup->instance);
  setup->context = NULL;
  setup->instance = NULL;
}

// Resolves the fully qualified |name| ("module.function") in |context| and
// invokes it with the |argc| values of |args| (no input list when there are
// none). Stores the first result, if the function returned any, in
// *out_result; leaves it untouched otherwise.
static inline iree_status_t call_values(iree_vm_context_t* context,
                                        const char* name, iree_host_size_t argc,
                                        const iree_vm_value_t* args,
                                        iree_vm_value_t* out_result) {
  iree_vm_function_t function;
  IREE_RETURN_IF_ERROR(iree_vm_context_resolve_function(
      context, iree_make_cstring_view(name), &function));
  iree_vm_list_t* inputs = NULL;
  iree_vm_list_t* outputs = NULL;
  iree_status_t status = iree_ok_status();
  if (argc > 0) {
    status = iree_vm_list_create(NULL, argc, iree_allocator_system(), &inputs);
  }
  for (iree_host_size_t i = 0; i < argc && iree_status_is_ok(status); ++i) {
    status = iree_vm_list_push_value(inputs, &args[i]);
  }
  if (iree_status_is_ok(status)) {
    status = iree_vm_list_create(NULL, 4, iree_allocator_system(), &outputs);
  }
  if (iree_status_is_ok(status)) {
    status = iree_vm_invoke(context, function, IREE_VM_INVOCATION_FLAG_NONE,
                            NULL, inputs, outputs, iree_allocator_system());
  }
  if (iree_status_is_ok(status) && iree_vm_list_size(outputs) > 0) {
    status = iree_vm_list_get_value(outputs, 0, out_result);
  }
  iree_vm_list_release(inputs);
  iree_vm_list_release(outputs);
  return status;
}

// call_values with i32 arguments and an i32 first result; a result of
// another type is an error.
static inline iree_status_t call_i32(iree_vm_context_t* context,
                                     const char* name, iree_host_size_t argc,
                                     const int32_t* argv, int32_t* out_result) {
  iree_vm_value_t args[8];
  memset(args, 0, sizeof(args));
  if (argc > 8) {
    return iree_make_status(IREE_STATUS_OUT_OF_RANGE,
                            "call_i32 takes at most 8 arguments");
  }
  for (iree_host_size_t i = 0; i < argc; ++i) {
    args[i] = iree_vm_value_make_i32(argv[i]);
  }
  iree_vm_value_t result;
  memset(&result, 0, sizeof(result));
  IREE_RETURN_IF_ERROR(call_values(context, name, argc, args, &result));
  if (result.type == IREE_VM_VALUE_TYPE_NONE) return iree_ok_status();
  if (result.type != IREE_VM_VALUE_TYPE_I32) {
    return iree_make_status(IREE_STATUS_FAILED_PRECONDITION,
                            "%s returned a value of type %d, not i32", name,
                            (int)result.type);
  }
  *out_result = result.i32;
  return iree_ok_status();
}

//===----------------------------------------------------------------------===//

// Prints the tally; main's exit code (non-zero when a check failed).
static inline int harness_finish(void) {
  printf("%d passed, %d failed\n", (int)harness_passed, (int)harness_failed);
  return harness_failed == 0 ? 0 : 1;
}

#endif  // IREE_C_TESTS_HARNESS_H_
