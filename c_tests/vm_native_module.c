// A native module written in C against the public VM API, registered in a
// context and called through iree_vm_invoke: imports, module state,
// reflection attributes, refs crossing the call and error propagation.
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "iree/base/api.h"
#include "iree/vm/api.h"

//===----------------------------------------------------------------------===//
// "math": exports mul(ii)->i, sum64(II)->I and fail(i)->i.
//===----------------------------------------------------------------------===//

typedef iree_status_t (*i32x2_i32_fn)(iree_vm_stack_t*, void*, void*, int32_t,
                                      int32_t, int32_t*);
static iree_status_t shim_ii_i(iree_vm_stack_t* stack,
                               const iree_vm_function_call_t* call,
                               iree_vm_native_function_target_t target,
                               void* module, void* state,
                               iree_vm_execution_result_t* out_result) {
  (void)out_result;
  int32_t a, b, r = 0;
  if (call->arguments.data_length < 8 || call->results.data_length < 4) {
    return iree_make_status(IREE_STATUS_INVALID_ARGUMENT, "bad buffers");
  }
  memcpy(&a, call->arguments.data, 4);
  memcpy(&b, call->arguments.data + 4, 4);
  IREE_RETURN_IF_ERROR(((i32x2_i32_fn)target)(stack, module, state, a, b, &r));
  memcpy(call->results.data, &r, 4);
  return iree_ok_status();
}

typedef iree_status_t (*i64x2_i64_fn)(iree_vm_stack_t*, void*, void*, int64_t,
                                      int64_t, int64_t*);
static iree_status_t shim_II_I(iree_vm_stack_t* stack,
                               const iree_vm_function_call_t* call,
                               iree_vm_native_function_target_t target,
                               void* module, void* state,
                               iree_vm_execution_result_t* out_result) {
  (void)out_result;
  int64_t a, b, r = 0;
  memcpy(&a, call->arguments.data, 8);
  memcpy(&b, call->arguments.data + 8, 8);
  IREE_RETURN_IF_ERROR(((i64x2_i64_fn)target)(stack, module, state, a, b, &r));
  memcpy(call->results.data, &r, 8);
  return iree_ok_status();
}

static iree_status_t math_mul(iree_vm_stack_t* stack, void* module,
                              void* state, int32_t a, int32_t b, int32_t* r) {
  (void)stack, (void)module, (void)state;
  *r = a * b;
  return iree_ok_status();
}
static iree_status_t math_fail(iree_vm_stack_t* stack, void* module,
                               void* state, int32_t a, int32_t b, int32_t* r) {
  (void)stack, (void)module, (void)state, (void)b, (void)r;
  return iree_make_status(IREE_STATUS_ABORTED, "asked to fail with %d", a);
}
static iree_status_t math_sum64(iree_vm_stack_t* stack, void* module,
                                void* state, int64_t a, int64_t b, int64_t* r) {
  (void)stack, (void)module, (void)state;
  *r = a + b;
  return iree_ok_status();
}

static const iree_vm_reflection_attr_t math_mul_attrs[] = {
    {{"kind", 4}, {"binary", 6}},
    {{"commutative", 11}, {"yes", 3}},
};
static const iree_vm_native_export_descriptor_t math_exports[] = {
    {{"mul", 3}, {"0ii_i", 5}, 2, math_mul_attrs},
    {{"sum64", 5}, {"0II_I", 5}, 0, NULL},
    {{"fail", 4}, {"0ii_i", 5}, 0, NULL},
};
static const iree_vm_native_function_ptr_t math_functions[] = {
    {shim_ii_i, (iree_vm_native_function_target_t)math_mul},
    {shim_II_I, (iree_vm_native_function_target_t)math_sum64},
    {shim_ii_i, (iree_vm_native_function_target_t)math_fail},
};
static const iree_vm_native_module_descriptor_t math_descriptor = {
    {"math", 4}, 0, NULL, 3, math_exports, 3, math_functions, 0, NULL,
};

static iree_status_t math_create(iree_vm_module_t** out_module) {
  iree_vm_module_t interface;
  IREE_RETURN_IF_ERROR(iree_vm_module_initialize(&interface, NULL));
  return iree_vm_native_module_create(&interface, &math_descriptor,
                                      iree_allocator_system(), out_module);
}

//===----------------------------------------------------------------------===//
// "app": imports math.mul (required) and math.missing (optional); keeps a
// per-context call counter; square(i)->i calls math.mul through its import;
// has_missing()->i reports whether the optional import was resolved.
//===----------------------------------------------------------------------===//

typedef struct app_state_t {
  iree_allocator_t allocator;
  iree_vm_function_t imports[2];
  int calls;
} app_state_t;

static int app_destroyed = 0;
static int app_self_token = 42;

static void app_destroy(void* self) {
  if (self == &app_self_token) ++app_destroyed;
}
static iree_status_t app_alloc_state(void* self, iree_allocator_t allocator,
                                     iree_vm_module_state_t** out_state) {
  (void)self;
  app_state_t* state = NULL;
  IREE_RETURN_IF_ERROR(
      iree_allocator_malloc(allocator, sizeof(*state), (void**)&state));
  memset(state, 0, sizeof(*state));
  state->allocator = allocator;
  *out_state = (iree_vm_module_state_t*)state;
  return iree_ok_status();
}
static void app_free_state(void* self, iree_vm_module_state_t* module_state) {
  (void)self;
  app_state_t* state = (app_state_t*)module_state;
  iree_allocator_free(state->allocator, state);
}
static iree_status_t app_resolve_import(
    void* self, iree_vm_module_state_t* module_state, iree_host_size_t ordinal,
    const iree_vm_function_t* function,
    const iree_vm_function_signature_t* signature) {
  (void)self, (void)signature;
  app_state_t* state = (app_state_t*)module_state;
  if (ordinal >= 2) {
    return iree_make_status(IREE_STATUS_OUT_OF_RANGE, "bad import");
  }
  state->imports[ordinal] = *function;
  return iree_ok_status();
}

typedef iree_status_t (*i32_i32_fn)(iree_vm_stack_t*, void*, void*, int32_t,
                                    int32_t*);
static iree_status_t shim_i_i(iree_vm_stack_t* stack,
                              const iree_vm_function_call_t* call,
                              iree_vm_native_function_target_t target,
                              void* module, void* state,
                              iree_vm_execution_result_t* out_result) {
  (void)out_result;
  int32_t a = 0, r = 0;
  if (call->arguments.data_length >= 4) memcpy(&a, call->arguments.data, 4);
  IREE_RETURN_IF_ERROR(((i32_i32_fn)target)(stack, module, state, a, &r));
  memcpy(call->results.data, &r, 4);
  return iree_ok_status();
}

static iree_status_t app_square(iree_vm_stack_t* stack, void* module,
                                void* module_state, int32_t a, int32_t* r) {
  app_state_t* state = (app_state_t*)module_state;
  if (module != &app_self_token) {
    return iree_make_status(IREE_STATUS_INTERNAL, "wrong module self");
  }
  ++state->calls;
  int32_t args[2] = {a, a};
  iree_vm_function_call_t call;
  call.function = state->imports[0];
  call.arguments = iree_make_byte_span(args, sizeof(args));
  call.results = iree_make_byte_span(r, sizeof(*r));
  iree_vm_execution_result_t result;
  memset(&result, 0, sizeof(result));
  iree_vm_module_t* callee = call.function.module;
  return callee->begin_call(callee, stack, &call, &result);
}

static iree_status_t app_has_missing(iree_vm_stack_t* stack, void* module,
                                     void* module_state, int32_t a,
                                     int32_t* r) {
  (void)stack, (void)module, (void)a;
  app_state_t* state = (app_state_t*)module_state;
  *r = iree_vm_function_is_null(state->imports[1]) ? 0 : 1;
  return iree_ok_status();
}

static iree_status_t app_calls(iree_vm_stack_t* stack, void* module,
                               void* module_state, int32_t a, int32_t* r) {
  (void)stack, (void)module, (void)a;
  *r = ((app_state_t*)module_state)->calls;
  return iree_ok_status();
}

static const iree_vm_native_import_descriptor_t app_imports[] = {
    {IREE_VM_NATIVE_IMPORT_REQUIRED, {"math.mul", 8}},
    {IREE_VM_NATIVE_IMPORT_OPTIONAL, {"math.missing", 12}},
};
static const iree_vm_native_export_descriptor_t app_exports[] = {
    {{"square", 6}, {"0i_i", 4}, 0, NULL},
    {{"has_missing", 11}, {"0v_i", 4}, 0, NULL},
    {{"calls", 5}, {"0v_i", 4}, 0, NULL},
};
static const iree_vm_native_function_ptr_t app_functions[] = {
    {shim_i_i, (iree_vm_native_function_target_t)app_square},
    {shim_i_i, (iree_vm_native_function_target_t)app_has_missing},
    {shim_i_i, (iree_vm_native_function_target_t)app_calls},
};
static const iree_vm_native_module_descriptor_t app_descriptor = {
    {"app", 3}, 2, app_imports, 3, app_exports, 3, app_functions, 0, NULL,
};

static iree_status_t app_create(iree_vm_module_t** out_module) {
  iree_vm_module_t interface;
  IREE_RETURN_IF_ERROR(iree_vm_module_initialize(&interface, &app_self_token));
  interface.destroy = app_destroy;
  interface.alloc_state = app_alloc_state;
  interface.free_state = app_free_state;
  interface.resolve_import = app_resolve_import;
  return iree_vm_native_module_create(&interface, &app_descriptor,
                                      iree_allocator_system(), out_module);
}

//===----------------------------------------------------------------------===//

static void test_invoke(void) {
  iree_vm_module_t* math = NULL;
  iree_vm_module_t* app = NULL;
  CHECK_OK(math_create(&math));
  CHECK_OK(app_create(&app));
  if (!math || !app) return;
  CHECK(iree_string_view_equal(iree_vm_module_name(math),
                               iree_make_cstring_view("math")));
  iree_vm_module_signature_t sig = iree_vm_module_signature(app);
  CHECK(sig.import_function_count == 2 && sig.export_function_count == 3);

  iree_vm_module_t* modules[2] = {math, app};
  vm_setup_t vm;
  CHECK_OK(vm_setup(modules, 2, &vm));
  iree_vm_module_release(math);
  iree_vm_module_release(app);
  if (!vm.context) return;
  iree_vm_context_t* context = vm.context;
  CHECK(app_destroyed == 0);

  // Registering app alone fails: its required import is missing.
  iree_vm_context_t* lone = NULL;
  CHECK_CODE(IREE_STATUS_NOT_FOUND,
             iree_vm_context_create_with_modules(
                 vm.instance, IREE_VM_CONTEXT_FLAG_NONE, &app, 1,
                 iree_allocator_system(), &lone));
  CHECK(lone == NULL);

  int32_t args[2] = {6, 7};
  int32_t result = -1;
  CHECK_OK(call_i32(context, "math.mul", 2, args, &result));
  CHECK(result == 42);
  CHECK_OK(call_i32(context, "app.square", 1, args, &result));
  CHECK(result == 36);
  CHECK_OK(call_i32(context, "app.square", 1, args + 1, &result));
  CHECK(result == 49);
  CHECK_OK(call_i32(context, "app.calls", 0, NULL, &result));
  CHECK(result == 2);
  CHECK_OK(call_i32(context, "app.has_missing", 0, NULL, &result));
  CHECK(result == 0);
  CHECK_CODE(IREE_STATUS_ABORTED,
             call_i32(context, "math.fail", 2, args, &result));
  CHECK_CODE(IREE_STATUS_NOT_FOUND,
             call_i32(context, "app.nope", 0, NULL, &result));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,  // wrong arity
             call_i32(context, "math.mul", 1, args, &result));

  // 64-bit arguments and results; the i32 is widened to i64.
  iree_vm_value_t sum_args[2] = {iree_vm_value_make_i64(1ll << 40),
                                 iree_vm_value_make_i32(5)};
  iree_vm_value_t r;
  memset(&r, 0, sizeof(r));
  CHECK_OK(call_values(context, "math.sum64", 2, sum_args, &r));
  CHECK(r.type == IREE_VM_VALUE_TYPE_I64 && r.i64 == (1ll << 40) + 5);

  // Function metadata and reflection.
  iree_vm_function_t mul;
  CHECK_OK(iree_vm_context_resolve_function(
      context, iree_make_cstring_view("math.mul"), &mul));
  CHECK(iree_string_view_equal(iree_vm_function_name(&mul),
                               iree_make_cstring_view("mul")));
  iree_vm_function_signature_t fsig = iree_vm_function_signature(&mul);
  CHECK(iree_string_view_equal(fsig.calling_convention,
                               iree_make_cstring_view("0ii_i")));
  iree_host_size_t nargs = 0, nresults = 0;
  CHECK_OK(iree_vm_function_call_count_arguments_and_results(&fsig, &nargs,
                                                             &nresults));
  CHECK(nargs == 2 && nresults == 1);
  CHECK(iree_string_view_equal(
      iree_vm_function_reflection_attr(&mul, iree_make_cstring_view("kind")),
      iree_make_cstring_view("binary")));
  CHECK(iree_string_view_is_empty(
      iree_vm_function_reflection_attr(&mul, iree_make_cstring_view("nope"))));
  iree_string_view_t key, value;
  CHECK_OK(iree_vm_get_function_reflection_attr(mul, 1, &key, &value));
  CHECK(iree_string_view_equal(key, iree_make_cstring_view("commutative")));
  CHECK_CODE(IREE_STATUS_NOT_FOUND,
             iree_vm_get_function_reflection_attr(mul, 2, &key, &value));

  iree_vm_module_state_t* state = NULL;
  CHECK_OK(iree_vm_context_resolve_module_state(context, modules[1], &state));
  CHECK(state != NULL && ((app_state_t*)state)->calls == 2);

  CHECK_OK(iree_vm_context_freeze(context));
  CHECK_CODE(IREE_STATUS_FAILED_PRECONDITION,
             iree_vm_context_register_modules(context, modules, 1));

  vm_teardown(&vm);
  CHECK(app_destroyed == 1);
}

static void test_cconv_helpers(void) {
  CHECK(iree_vm_function_call_is_variadic_cconv(iree_make_cstring_view("0iCiD_i")));
  CHECK(!iree_vm_function_call_is_variadic_cconv(iree_make_cstring_view("0ii_i")));
  iree_vm_function_signature_t sig = {iree_make_cstring_view("0rIf_Fi")};
  iree_string_view_t args, results;
  CHECK_OK(iree_vm_function_call_get_cconv_fragments(&sig, &args, &results));
  CHECK(iree_string_view_equal(args, iree_make_cstring_view("rIf")));
  CHECK(iree_string_view_equal(results, iree_make_cstring_view("Fi")));
  iree_host_size_t size = 0;
  CHECK_OK(iree_vm_function_call_compute_cconv_fragment_size(args, NULL, &size));
  CHECK(size == sizeof(iree_vm_ref_t) + 8 + 4);
}

static iree_status_t null_state_resolver(void* self, iree_vm_module_t* module,
                                         iree_vm_module_state_t** out_state) {
  (void)self, (void)module;
  *out_state = NULL;
  return iree_ok_status();
}

static int cleanups = 0;
static void count_cleanup(iree_vm_stack_frame_t* frame) {
  (void)frame;
  ++cleanups;
}

static void test_stack_backtrace(void) {
  iree_vm_module_t* math = NULL;
  CHECK_OK(math_create(&math));
  iree_vm_state_resolver_t resolver = {NULL, null_state_resolver};
  iree_vm_stack_t* stack = NULL;
  CHECK_OK(iree_vm_stack_allocate(IREE_VM_INVOCATION_FLAG_NONE, resolver,
                                  iree_allocator_system(), &stack));
  iree_vm_function_t mul;
  CHECK_OK(iree_vm_module_lookup_function_by_name(
      math, IREE_VM_FUNCTION_LINKAGE_EXPORT, iree_make_cstring_view("mul"),
      &mul));
  iree_vm_stack_frame_t* frame = NULL;
  CHECK_OK(iree_vm_stack_function_enter(stack, &mul, IREE_VM_STACK_FRAME_NATIVE,
                                        64, count_cleanup, &frame));
  CHECK(frame && frame->depth == 0 && frame->function.ordinal == 0);
  memset(iree_vm_stack_frame_storage(frame), 0xAB, 64);
  iree_string_builder_t builder;
  iree_string_builder_initialize(iree_allocator_system(), &builder);
  CHECK_OK(iree_vm_stack_format_backtrace(stack, &builder));
  iree_string_view_t text = iree_string_builder_view(&builder);
  CHECK(iree_string_view_find_first_of(text, iree_make_cstring_view("m"), 0) !=
        IREE_STRING_VIEW_NPOS);
  CHECK(strstr(iree_string_builder_buffer(&builder), "math.mul") != NULL);
  iree_string_builder_deinitialize(&builder);
  iree_status_t annotated = iree_vm_stack_annotate_backtrace(
      stack, iree_make_status(IREE_STATUS_DATA_LOSS, "boom"));
  CHECK(iree_status_code(annotated) == IREE_STATUS_DATA_LOSS);
  iree_status_ignore(annotated);
  iree_vm_stack_free(stack);  // leaves the open frame, running its cleanup
  CHECK(cleanups == 1);
  iree_vm_module_release(math);
}

int main(void) {
  test_invoke();
  test_stack_backtrace();
  test_cconv_helpers();
  return harness_finish();
}
