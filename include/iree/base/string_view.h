// iree_string_view_t: a borrowed (pointer, length) string, not necessarily
// NUL-terminated. Views never own their characters.
#ifndef IREE_BASE_STRING_VIEW_H_
#define IREE_BASE_STRING_VIEW_H_

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "iree/base/attributes.h"
#include "iree/base/config.h"
#include "iree/generated/api.h"  // IWYU pragma: export

#ifdef __cplusplus
extern "C" {
#endif

// Position value meaning "not found" / "to the end".
#define IREE_STRING_VIEW_NPOS SIZE_MAX

static inline iree_string_view_t iree_string_view_empty(void) {
  iree_string_view_t view = {NULL, 0};
  return view;
}

// True for a view with no characters (NULL data or zero size).
#define iree_string_view_is_empty(sv) (((sv).data == NULL) || ((sv).size == 0))

static inline iree_string_view_t iree_make_string_view(
    const char* str, iree_host_size_t str_length) {
  iree_string_view_t view = {str, str_length};
  return view;
}

// A view of a NUL-terminated string (NULL gives the empty view).
static inline iree_string_view_t iree_make_cstring_view(const char* str) {
  iree_string_view_t view = {str, str ? strlen(str) : 0};
  return view;
}

static inline iree_string_pair_t iree_string_pair_empty(void) {
  iree_string_pair_t pair;
  pair.first = iree_string_view_empty();
  pair.second = iree_string_view_empty();
  return pair;
}

static inline iree_string_pair_t iree_make_string_pair(
    iree_string_view_t first, iree_string_view_t second) {
  iree_string_pair_t pair;
  pair.first = first;
  pair.second = second;
  return pair;
}

// A pair of views of NUL-terminated strings (NULL gives an empty view).
static inline iree_string_pair_t iree_make_cstring_pair(const char* first,
                                                        const char* second) {
  return iree_make_string_pair(iree_make_cstring_view(first),
                               iree_make_cstring_view(second));
}

// Brace initializer for a view of a string literal (length known statically).
#define iree_string_view_literal(str) \
  { (str), sizeof(str) - 1 }

#define IREE_SV(cstr) iree_make_cstring_view(cstr)
#define IREE_SVL(cstr) iree_string_view_literal(cstr)

// The exported operations (equal, compare, find_char, find_first_of,
// find_last_of, starts_with, ends_with, remove/strip/consume prefix and
// suffix, trim, substr, split, replace_char, match_pattern,
// append_to_buffer, atoi_*, atof, atod) are declared in
// iree/generated/api.h.

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_STRING_VIEW_H_
