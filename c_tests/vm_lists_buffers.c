// Lists, buffers and C-defined ref types through the public VM API.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "iree/base/api.h"
#include "iree/vm/api.h"


// A C ref type.
typedef struct point_t {
  iree_vm_ref_object_t ref_object;
  int x, y;
} point_t;
static int points_alive = 0;
static void point_destroy(void* ptr) {
  --points_alive;
  free(ptr);
}
static iree_vm_ref_type_descriptor_t point_descriptor;
static iree_vm_ref_t make_point(int x, int y) {
  point_t* p = (point_t*)malloc(sizeof(*p));
  p->ref_object.counter = 1;
  p->x = x;
  p->y = y;
  ++points_alive;
  iree_vm_ref_t ref = {0};
  iree_status_t status = iree_vm_ref_wrap_assign(p, point_descriptor.type, &ref);
  CHECK(iree_status_is_ok(status));
  return ref;
}

static void test_ref_types(void) {
  CHECK_OK(iree_vm_register_builtin_types());
  memset(&point_descriptor, 0, sizeof(point_descriptor));
  point_descriptor.destroy = point_destroy;
  point_descriptor.offsetof_counter = offsetof(point_t, ref_object.counter);
  point_descriptor.type_name = iree_make_cstring_view("test.point");
  CHECK_OK(iree_vm_ref_register_type(&point_descriptor));
  CHECK(point_descriptor.type != IREE_VM_REF_TYPE_NULL);
  CHECK(iree_vm_ref_lookup_registered_type(
            iree_make_cstring_view("test.point")) == &point_descriptor);
  CHECK(iree_string_view_equal(iree_vm_ref_type_name(point_descriptor.type),
                               iree_make_cstring_view("test.point")));
  CHECK(iree_vm_ref_lookup_registered_type(iree_make_cstring_view("vm.list")) !=
        NULL);

  iree_vm_ref_t a = make_point(1, 2);
  iree_vm_ref_t b = {0};
  iree_vm_ref_retain(&a, &b);
  CHECK(iree_vm_ref_equal(&a, &b));
  CHECK(((point_t*)a.ptr)->ref_object.counter == 2);
  iree_vm_ref_release(&a);
  CHECK(iree_vm_ref_is_null(&a));
  CHECK(points_alive == 1);
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_vm_ref_check(b, iree_vm_list_type_id()));
  CHECK_OK(iree_vm_ref_check(b, point_descriptor.type));
  iree_vm_ref_release(&b);
  CHECK(points_alive == 0);

  int dummy = 0;
  iree_vm_ref_t bad = {0};
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_vm_ref_wrap_assign(&dummy, 0x123456, &bad));
}

static void test_value_list(void) {
  iree_vm_type_def_t i16 = iree_vm_type_def_make_value_type(IREE_VM_VALUE_TYPE_I16);
  iree_vm_list_t* list = NULL;
  CHECK_OK(iree_vm_list_create(&i16, 2, iree_allocator_system(), &list));
  CHECK(iree_vm_list_capacity(list) >= 2);
  for (int i = 0; i < 100; ++i) {
    iree_vm_value_t v = iree_vm_value_make_i32(i * 1000);
    CHECK_OK(iree_vm_list_push_value(list, &v));
  }
  CHECK(iree_vm_list_size(list) == 100);
  iree_vm_value_t v;
  CHECK_OK(iree_vm_list_get_value(list, 3, &v));
  CHECK(v.type == IREE_VM_VALUE_TYPE_I16 && v.i16 == 3000);
  CHECK_OK(iree_vm_list_get_value_as(list, 50, IREE_VM_VALUE_TYPE_I64, &v));
  CHECK(v.type == IREE_VM_VALUE_TYPE_I64 && v.i64 == (int16_t)50000);
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE, iree_vm_list_get_value(list, 100, &v));
  iree_vm_ref_t r = {0};
  CHECK_CODE(IREE_STATUS_FAILED_PRECONDITION,
             iree_vm_list_get_ref_retain(list, 0, &r));
  iree_vm_variant_t var = iree_vm_variant_empty();
  CHECK_OK(iree_vm_list_get_variant(list, 1, &var));
  CHECK(iree_vm_variant_is_value(var) && var.i16 == 1000);
  CHECK_OK(iree_vm_list_resize(list, 1));
  CHECK(iree_vm_list_size(list) == 1);
  iree_vm_type_def_t t;
  CHECK_OK(iree_vm_list_element_type(list, &t));
  CHECK(t.value_type == IREE_VM_VALUE_TYPE_I16);
  iree_vm_list_release(list);
}

static void test_ref_and_variant_lists(void) {
  iree_vm_type_def_t pt = iree_vm_type_def_make_ref_type(point_descriptor.type);
  iree_vm_list_t* points = NULL;
  CHECK_OK(iree_vm_list_create(&pt, 0, iree_allocator_system(), &points));
  for (int i = 0; i < 3; ++i) {
    iree_vm_ref_t p = make_point(i, -i);
    CHECK_OK(iree_vm_list_push_ref_move(points, &p));
    CHECK(p.ptr == NULL);
  }
  CHECK(points_alive == 3);
  // Type mismatch leaves the source untouched.
  iree_vm_list_t* other = NULL;
  CHECK_OK(iree_vm_list_create(NULL, 0, iree_allocator_system(), &other));
  iree_vm_ref_t other_ref = iree_vm_list_move_ref(other);
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_vm_list_push_ref_move(points, &other_ref));
  CHECK(other_ref.ptr == other);
  CHECK(iree_vm_list_size(points) == 3);

  point_t* p1 = (point_t*)iree_vm_list_get_ref_deref(points, 1, &point_descriptor);
  CHECK(p1 && p1->x == 1);
  iree_vm_ref_t front = {0};
  CHECK_OK(iree_vm_list_pop_front_ref_move(points, &front));
  CHECK(((point_t*)front.ptr)->x == 0);
  iree_vm_ref_release(&front);
  CHECK(points_alive == 2);

  // A variant list holding values, a point and the typed list itself.
  // (other_ref keeps the caller's reference to `other`.)
  iree_vm_value_t f = iree_vm_value_make_f32(2.5f);
  CHECK_OK(iree_vm_list_push_value(other, &f));
  iree_vm_ref_t pts = iree_vm_list_retain_ref(points);
  CHECK_OK(iree_vm_list_push_ref_retain(other, &pts));
  iree_vm_ref_release(&pts);
  iree_vm_variant_t var = iree_vm_variant_empty();
  CHECK_OK(iree_vm_list_get_variant(other, 0, &var));
  CHECK(var.type.value_type == IREE_VM_VALUE_TYPE_F32 && var.f32 == 2.5f);
  CHECK_OK(iree_vm_list_get_variant(other, 1, &var));
  CHECK(iree_vm_variant_is_ref(var) && iree_vm_list_isa(var.ref));
  CHECK(iree_vm_list_deref(var.ref) == points);
  iree_vm_variant_t copy = iree_vm_variant_empty();
  copy.type = iree_vm_type_def_make_value_type(IREE_VM_VALUE_TYPE_I64);
  copy.i64 = -9;
  CHECK_OK(iree_vm_list_push_variant(other, &copy));
  iree_vm_value_t v;
  CHECK_OK(iree_vm_list_get_value(other, 2, &v));
  CHECK(v.i64 == -9);

  iree_vm_list_release(points);  // still held by `other`
  CHECK(points_alive == 2);
  iree_vm_ref_release(&other_ref);
  CHECK(points_alive == 0);
}

static void test_in_place_list(void) {
  iree_vm_type_def_t i32 = iree_vm_type_def_make_value_type(IREE_VM_VALUE_TYPE_I32);
  iree_host_size_t size = iree_vm_list_storage_size(&i32, 8);
  void* storage = aligned_alloc(16, (size + 15) & ~(size_t)15);
  iree_vm_list_t* list = NULL;
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_vm_list_initialize(iree_make_byte_span(storage, 4), &i32, 8,
                                     &list));
  CHECK_OK(iree_vm_list_initialize(iree_make_byte_span(storage, size), &i32, 8,
                                   &list));
  iree_vm_value_t v = iree_vm_value_make_i32(11);
  CHECK_OK(iree_vm_list_push_value(list, &v));
  CHECK(iree_vm_list_size(list) == 1);
  iree_vm_list_deinitialize(list);
  free(storage);
}

static int frees_seen = 0;
static iree_status_t counting_ctl(void* self, iree_allocator_command_t command,
                                  const void* params, void** inout_ptr) {
  (void)self, (void)params, (void)inout_ptr;
  if (command == IREE_ALLOCATOR_COMMAND_FREE) ++frees_seen;
  return iree_ok_status();
}

static void test_buffers(void) {
  CHECK_OK(iree_vm_register_builtin_types());
  iree_vm_buffer_t* rw = NULL;
  CHECK_OK(iree_vm_buffer_create(IREE_VM_BUFFER_ACCESS_MUTABLE, 16,
                                 iree_allocator_system(), &rw));
  CHECK(iree_vm_buffer_length(rw) == 16);
  iree_byte_span_t data = iree_vm_buffer_data(rw);
  CHECK(data.data_length == 16 && data.data[0] == 0 && data.data[15] == 0);

  uint32_t word = 0xA1B2C3D4u;
  CHECK_OK(iree_vm_buffer_fill_elements(rw, 4, 2, 4, &word));
  uint32_t out[2] = {0, 0};
  CHECK_OK(iree_vm_buffer_read_elements(rw, 4, out, 2, 4));
  CHECK(out[0] == word && out[1] == word);
  CHECK_CODE(IREE_STATUS_OUT_OF_RANGE,
             iree_vm_buffer_read_elements(rw, 12, out, 2, 4));
  CHECK_CODE(IREE_STATUS_INVALID_ARGUMENT,
             iree_vm_buffer_fill_elements(rw, 0, 1, 3, &word));
  CHECK_OK(iree_vm_buffer_fill_bytes(rw, 0, 4, 0x7F));
  uint16_t halves[2] = {1, 2};
  CHECK_OK(iree_vm_buffer_write_elements(halves, rw, 12, 2, 2));

  iree_vm_buffer_t* ro = NULL;
  CHECK_OK(iree_vm_buffer_clone(IREE_VM_BUFFER_ACCESS_ORIGIN_HOST, rw, 4, 8,
                                iree_allocator_system(), &ro));
  CHECK(iree_vm_buffer_length(ro) == 8);
  bool equal = false;
  CHECK_OK(iree_vm_buffer_compare_bytes(rw, 4, ro, 0, 8, &equal));
  CHECK(equal);
  CHECK_OK(iree_vm_buffer_compare_bytes(rw, 0, ro, 0, 4, &equal));
  CHECK(!equal);
  CHECK_CODE(IREE_STATUS_PERMISSION_DENIED,
             iree_vm_buffer_fill_bytes(ro, 0, 1, 0));
  CHECK_CODE(IREE_STATUS_PERMISSION_DENIED,
             iree_vm_buffer_copy_bytes(rw, 0, ro, 0, 4));
  CHECK_OK(iree_vm_buffer_copy_bytes(ro, 0, rw, 0, 4));
  CHECK(iree_vm_buffer_data(rw).data[0] == 0xD4);

  // Buffers travel as refs.
  iree_vm_ref_t ref = iree_vm_buffer_retain_ref(ro);
  CHECK(iree_vm_buffer_isa(ref));
  iree_vm_buffer_t* back = NULL;
  CHECK_OK(iree_vm_buffer_check_deref(ref, &back));
  CHECK(back == ro);
  CHECK(iree_vm_list_deref(ref) == NULL);
  iree_vm_ref_release(&ref);
  iree_vm_buffer_release(ro);
  iree_vm_buffer_release(rw);

  // Initialized in place over caller memory; deinit frees through the allocator.
  char text[] = "hello";
  iree_allocator_t counting = {NULL, counting_ctl};
  iree_vm_buffer_t local;
  iree_vm_buffer_initialize(IREE_VM_BUFFER_ACCESS_ORIGIN_HOST,
                            iree_make_byte_span(text, 5), counting, &local);
  CHECK(iree_string_view_equal(iree_vm_buffer_as_string(&local),
                               iree_make_cstring_view("hello")));
  iree_vm_buffer_deinitialize(&local);
  CHECK(frees_seen == 1);
}

int main(void) {
  test_ref_types();
  test_value_list();
  test_ref_and_variant_lists();
  test_in_place_list();
  test_buffers();
  return harness_finish();
}
