// Exercises iree/base/string_view.h, string_builder.h and bitfield.h.
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "iree/base/api.h"


int main(void) {
  // Comparisons and searches.
  iree_string_view_t abc = IREE_SV("abcabc");
  CHECK(iree_string_view_equal(IREE_SV(""), iree_string_view_empty()));
  CHECK(iree_string_view_compare(IREE_SV("ab"), IREE_SV("abc")) < 0);
  CHECK(iree_string_view_compare(IREE_SV("b"), IREE_SV("abc")) > 0);
  CHECK(iree_string_view_compare(IREE_SV("abc"), IREE_SV("abc")) == 0);
  CHECK(iree_string_view_find_char(abc, 'c', 3) == 5);
  CHECK(iree_string_view_find_char(abc, 'c', 99) == IREE_STRING_VIEW_NPOS);
  CHECK(iree_string_view_find_first_of(abc, IREE_SV("cb"), 0) == 1);
  CHECK(iree_string_view_find_last_of(abc, IREE_SV("ab"), IREE_STRING_VIEW_NPOS) == 4);
  CHECK(iree_string_view_find_last_of(abc, IREE_SV("x"), 3) == IREE_STRING_VIEW_NPOS);
  CHECK(iree_string_view_starts_with(abc, IREE_SV("abc")));
  CHECK(!iree_string_view_starts_with(abc, IREE_SV("")));
  CHECK(iree_string_view_ends_with(abc, IREE_SV("cabc")));

  // Slicing; results point into the original characters.
  CHECK(view_is(iree_string_view_remove_prefix(abc, 2), "cabc"));
  CHECK(iree_string_view_remove_prefix(abc, 2).data == abc.data + 2);
  CHECK(iree_string_view_is_empty(iree_string_view_remove_prefix(abc, 6)));
  CHECK(view_is(iree_string_view_remove_suffix(abc, 2), "abca"));
  CHECK(view_is(iree_string_view_strip_prefix(abc, IREE_SV("ab")), "cabc"));
  CHECK(view_is(iree_string_view_strip_suffix(abc, IREE_SV("x")), "abcabc"));
  iree_string_view_t v = abc;
  CHECK(iree_string_view_consume_prefix(&v, IREE_SV("abc")) && view_is(v, "abc"));
  CHECK(!iree_string_view_consume_suffix(&v, IREE_SV("x")));
  CHECK(!iree_string_view_consume_prefix(NULL, IREE_SV("x")));
  CHECK(view_is(iree_string_view_trim(IREE_SV("  a b \t\n")), "a b"));
  CHECK(iree_string_view_is_empty(iree_string_view_trim(IREE_SV("   "))));
  CHECK(view_is(iree_string_view_substr(abc, 1, 2), "bc"));
  CHECK(view_is(iree_string_view_substr(abc, 4, IREE_STRING_VIEW_NPOS), "bc"));
  CHECK(iree_string_view_is_empty(iree_string_view_substr(abc, 10, 2)));

  iree_string_view_t lhs, rhs;
  CHECK(iree_string_view_split(IREE_SV("key=value=x"), '=', &lhs, &rhs) == 3);
  CHECK(view_is(lhs, "key") && view_is(rhs, "value=x"));
  CHECK(iree_string_view_split(IREE_SV("novalue"), '=', &lhs, &rhs) == -1);
  CHECK(view_is(lhs, "novalue") && iree_string_view_is_empty(rhs));
  CHECK(iree_string_view_split(IREE_SV("a=b"), '=', NULL, NULL) == 1);

  char mutable_text[] = "a-b-c";
  iree_string_view_replace_char(iree_make_cstring_view(mutable_text), '-', '_');
  CHECK(strcmp(mutable_text, "a_b_c") == 0);

  CHECK(iree_string_view_match_pattern(IREE_SV("foo-123-bar"), IREE_SV("foo-*-bar")));
  CHECK(iree_string_view_match_pattern(IREE_SV("foo-101"), IREE_SV("foo-10?")));
  CHECK(!iree_string_view_match_pattern(IREE_SV("foo-1011"), IREE_SV("foo-10?")));

  char copy_buffer[16];
  iree_string_view_t copied;
  CHECK(iree_string_view_append_to_buffer(IREE_SV("hello"), &copied, copy_buffer) == 5);
  CHECK(copied.data == copy_buffer && view_is(copied, "hello"));

  // Number parsing.
  int32_t i32 = 0;
  uint32_t u32 = 0;
  int64_t i64 = 0;
  uint64_t u64 = 0;
  float f32 = 0;
  double f64 = 0;
  CHECK(iree_string_view_atoi_int32(IREE_SV("-123"), &i32) && i32 == -123);
  CHECK(iree_string_view_atoi_int32(IREE_SV("0x10"), &i32) && i32 == 16);
  CHECK(!iree_string_view_atoi_int32(IREE_SV("abc"), &i32));
  CHECK(!iree_string_view_atoi_int32(IREE_SV("99999999999"), &i32));
  CHECK(iree_string_view_atoi_uint32(IREE_SV("4294967295"), &u32) && u32 == 4294967295u);
  CHECK(iree_string_view_atoi_int64(IREE_SV("-9223372036854775808"), &i64) &&
        i64 == INT64_MIN);
  CHECK(iree_string_view_atoi_uint64(IREE_SV("18446744073709551615"), &u64) &&
        u64 == UINT64_MAX);
  CHECK(iree_string_view_atof(IREE_SV("1.5"), &f32) && f32 == 1.5f);
  CHECK(iree_string_view_atod(IREE_SV("-2.25e1"), &f64) && f64 == -22.5);
  CHECK(!iree_string_view_atod(IREE_SV("x"), &f64));
  CHECK(!iree_string_view_atoi_int32(IREE_SV("1"), NULL));

  // Growing builder.
  iree_string_builder_t builder;
  iree_string_builder_initialize(iree_allocator_system(), &builder);
  CHECK(iree_string_builder_buffer(&builder) == NULL);
  CHECK(iree_status_is_ok(iree_string_builder_append_cstring(&builder, "abc")));
  CHECK(iree_status_is_ok(iree_string_builder_append_string(&builder, IREE_SV("def"))));
  CHECK(iree_status_is_ok(iree_string_builder_append_format(&builder, "-%d-%s-%.1f", 42, "x", 0.5)));
  CHECK(strcmp(iree_string_builder_buffer(&builder), "abcdef-42-x-0.5") == 0);
  CHECK(iree_string_builder_size(&builder) == 15);
  CHECK(iree_string_builder_capacity(&builder) >= 16);
  for (int i = 0; i < 100; ++i) {
    IREE_CHECK_OK(iree_string_builder_append_format(&builder, "%04d", i));
  }
  CHECK(iree_string_builder_size(&builder) == 415);
  char* taken = iree_string_builder_take_storage(&builder);
  CHECK(taken != NULL && strncmp(taken, "abcdef", 6) == 0);
  CHECK(iree_string_builder_size(&builder) == 0);
  iree_allocator_free(iree_allocator_system(), taken);
  iree_string_builder_deinitialize(&builder);

  // Size-only builder.
  iree_string_builder_initialize(iree_allocator_null(), &builder);
  CHECK(iree_status_is_ok(iree_string_builder_append_format(&builder, "%d", 12345)));
  CHECK(iree_status_is_ok(iree_string_builder_append_cstring(&builder, "ab")));
  CHECK(iree_string_builder_size(&builder) == 7 && iree_string_builder_buffer(&builder) == NULL);
  CHECK(iree_string_builder_take_storage(&builder) == NULL);
  iree_string_builder_deinitialize(&builder);

  // Fixed storage: overflow fails and leaves the contents alone.
  char storage[8];
  iree_string_builder_initialize_with_storage(storage, sizeof(storage), &builder);
  CHECK(iree_status_is_ok(iree_string_builder_append_cstring(&builder, "1234567")));
  iree_status_t status = iree_string_builder_append_cstring(&builder, "8");
  CHECK(iree_status_is_resource_exhausted(status));
  iree_status_ignore(status);
  CHECK(strcmp(storage, "1234567") == 0);
  iree_string_builder_deinitialize(&builder);

  // Bad arguments.
  CHECK(iree_status_consume_code(iree_string_builder_append_cstring(NULL, "x")) ==
        IREE_STATUS_INVALID_ARGUMENT);
  iree_string_builder_initialize(iree_allocator_system(), &builder);
  CHECK(iree_status_consume_code(iree_string_builder_append_cstring(&builder, NULL)) ==
        IREE_STATUS_INVALID_ARGUMENT);
  iree_string_builder_deinitialize(&builder);

  // Bitfields.
  static const iree_bitfield_string_mapping_t mappings[] = {
      {0x3, IREE_SVL("AB")},
      {0x1, IREE_SVL("A")},
      {0x2, IREE_SVL("B")},
      {0x4, IREE_SVL("C")},
  };
  iree_bitfield_string_temp_t temp;
  CHECK(view_is(iree_bitfield_format_inline(0x7, mappings, 4, &temp), "AB|C"));
  CHECK(view_is(iree_bitfield_format_inline(0x5, mappings, 4, &temp), "A|C"));
  CHECK(view_is(iree_bitfield_format_inline(0x31, mappings, 4, &temp), "A|30h"));
  CHECK(iree_string_view_is_empty(iree_bitfield_format_inline(0, mappings, 4, &temp)));
  CHECK(view_is(iree_bitfield_format_inline(0x1, NULL, 4, &temp), "(error)"));
  iree_string_builder_initialize(iree_allocator_system(), &builder);
  CHECK(iree_status_is_ok(iree_bitfield_format(0x6, mappings, 4, &builder)));
  CHECK(view_is(iree_string_builder_view(&builder), "B|C"));
  iree_string_builder_deinitialize(&builder);
  CHECK(iree_status_consume_code(iree_bitfield_format(1, mappings, 4, NULL)) ==
        IREE_STATUS_INVALID_ARGUMENT);

  return harness_finish();
}
