// Debug-only assertions. With NDEBUG the conditions are still parsed (so the
// variables they name count as used) but never evaluated; do not put side
// effects in them.
#ifndef IREE_BASE_ASSERT_H_
#define IREE_BASE_ASSERT_H_

#include <assert.h>

#include "iree/base/config.h"

#if defined(NDEBUG)
#define IREE_ASSERT(condition, ...) \
  while (0 && (condition)) {        \
  }
#define _IREE_ASSERT_CMP(x, op, y, ...)    \
  while (0 && ((void)(x), (void)(y), 0)) { \
  }
#else
#define IREE_ASSERT(condition, ...) assert(condition)
#define _IREE_ASSERT_CMP(x, op, y, ...) IREE_ASSERT(((x)op(y)), __VA_ARGS__)
#endif  // NDEBUG

#define IREE_ASSERT_ARGUMENT(name) IREE_ASSERT(name)
#define IREE_ASSERT_TRUE(expr, ...) IREE_ASSERT(!!(expr), __VA_ARGS__)
#define IREE_ASSERT_FALSE(expr, ...) IREE_ASSERT(!(expr), __VA_ARGS__)
#define IREE_ASSERT_UNREACHABLE(...) IREE_ASSERT(0, __VA_ARGS__)
#define IREE_ASSERT_EQ(x, y, ...) _IREE_ASSERT_CMP(x, ==, y, __VA_ARGS__)
#define IREE_ASSERT_NE(x, y, ...) _IREE_ASSERT_CMP(x, !=, y, __VA_ARGS__)
#define IREE_ASSERT_LE(x, y, ...) _IREE_ASSERT_CMP(x, <=, y, __VA_ARGS__)
#define IREE_ASSERT_LT(x, y, ...) _IREE_ASSERT_CMP(x, <, y, __VA_ARGS__)
#define IREE_ASSERT_GE(x, y, ...) _IREE_ASSERT_CMP(x, >=, y, __VA_ARGS__)
#define IREE_ASSERT_GT(x, y, ...) _IREE_ASSERT_CMP(x, >, y, __VA_ARGS__)

#endif  // IREE_BASE_ASSERT_H_
