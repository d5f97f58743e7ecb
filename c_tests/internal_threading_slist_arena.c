// Tests of iree/base/internal/{atomic_slist,arena}.h: the typed slist
// wrapper (push/pop/concat/flush in both orders, concurrent pushes) and the
// block pool and arena allocator.
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "iree/base/api.h"
#include "iree/base/internal/arena.h"
#include "iree/base/internal/atomic_slist.h"
#include "iree/base/internal/threading.h"


typedef struct {
  size_t value;  // keeps the link away from offset 0
  iree_atomic_slist_intrusive_ptr_t link;
} item_t;
IREE_TYPED_ATOMIC_SLIST_WRAPPER(item, item_t, offsetof(item_t, link))

static void test_slist_basics(void) {
  CHECK(sizeof(iree_atomic_slist_t) == 16);
  CHECK(_Alignof(iree_atomic_slist_t) == 16);
  item_t items[6];
  for (size_t i = 0; i < 6; ++i) {
    items[i].value = i;
    items[i].link = NULL;
  }
  item_slist_t list;
  item_slist_initialize(&list);
  CHECK(item_slist_pop(&list) == NULL);
  for (size_t i = 0; i < 3; ++i) item_slist_push(&list, &items[i]);
  // Span 3 -> 4 -> 5 goes in front as a block: 3 4 5 2 1 0.
  item_slist_set_next(&items[3], &items[4]);
  item_slist_set_next(&items[4], &items[5]);
  item_slist_set_next(&items[5], NULL);
  item_slist_concat(&list, &items[3], &items[5]);
  CHECK(item_slist_pop(&list) == &items[3]);
  CHECK(item_slist_pop(&list) == &items[4]);

  item_t* head = NULL;
  item_t* tail = NULL;
  CHECK(item_slist_flush(&list, IREE_ATOMIC_SLIST_FLUSH_ORDER_APPROXIMATE_LIFO,
                         &head, &tail));
  CHECK(head == &items[5] && tail == &items[0]);
  size_t expected_lifo[] = {5, 2, 1, 0};
  size_t n = 0;
  for (item_t* p = head; p; p = item_slist_get_next(p)) {
    CHECK(n < 4 && p->value == expected_lifo[n]);
    ++n;
  }
  CHECK(n == 4);
  CHECK(!item_slist_flush(&list, IREE_ATOMIC_SLIST_FLUSH_ORDER_APPROXIMATE_LIFO,
                          &head, NULL));

  for (size_t i = 0; i < 4; ++i) item_slist_push(&list, &items[i]);
  CHECK(item_slist_flush(&list, IREE_ATOMIC_SLIST_FLUSH_ORDER_APPROXIMATE_FIFO,
                         &head, &tail));
  CHECK(head == &items[0] && tail == &items[3]);
  n = 0;
  for (item_t* p = head; p; p = item_slist_get_next(p)) {
    CHECK(p->value == n);
    ++n;
  }
  CHECK(n == 4);
  item_slist_push_unsafe(&list, &items[0]);
  CHECK(item_slist_pop(&list) == &items[0]);
  item_slist_deinitialize(&list);
}

enum { kPushers = 4, kPerPusher = 5000 };
static item_t pushed[kPushers][kPerPusher];
static item_slist_t shared_list;

static int pusher(void* arg) {
  item_t* mine = (item_t*)arg;
  for (int i = 0; i < kPerPusher; ++i) item_slist_push(&shared_list, &mine[i]);
  return 0;
}

static void test_slist_concurrent(void) {
  item_slist_initialize(&shared_list);
  iree_thread_create_params_t params;
  memset(&params, 0, sizeof(params));
  iree_thread_t* threads[kPushers] = {0};
  for (int t = 0; t < kPushers; ++t) {
    CHECK(iree_status_is_ok(iree_thread_create(
        pusher, pushed[t], params, iree_allocator_system(), &threads[t])));
  }
  // Pop concurrently with the pushers until everything came through.
  size_t popped = 0;
  while (popped < (size_t)kPushers * kPerPusher) {
    item_t* p = item_slist_pop(&shared_list);
    if (p) ++popped;
  }
  for (int t = 0; t < kPushers; ++t) iree_thread_release(threads[t]);
  CHECK(popped == (size_t)kPushers * kPerPusher);
  CHECK(item_slist_pop(&shared_list) == NULL);
  item_slist_deinitialize(&shared_list);
}

static void test_arena(void) {
  iree_arena_block_pool_t pool;
  iree_arena_block_pool_initialize(1024, iree_allocator_system(), &pool);
  CHECK(pool.total_block_size == 1024);
  CHECK(pool.usable_block_size == 1024 - sizeof(iree_arena_block_t));

  iree_arena_block_t* block = NULL;
  CHECK(iree_status_is_ok(iree_arena_block_pool_acquire(&pool, &block)));
  CHECK(block != NULL);
  iree_arena_block_pool_release(&pool, block, block);
  iree_arena_block_t* again = NULL;
  CHECK(iree_status_is_ok(iree_arena_block_pool_acquire(&pool, &again)));
  CHECK(again == block);  // reused from the pool
  iree_arena_block_pool_release(&pool, again, again);

  iree_arena_allocator_t arena;
  iree_arena_initialize(&pool, &arena);
  for (int round = 0; round < 3; ++round) {
    for (size_t len = 0; len < 2000; len += 37) {
      void* ptr = NULL;
      CHECK(iree_status_is_ok(iree_arena_allocate(&arena, len, &ptr)));
      CHECK(ptr != NULL && ((uintptr_t)ptr % 16) == 0);
      memset(ptr, 0x5A, len);
    }
    CHECK(arena.used_allocation_size <= arena.total_allocation_size);
    iree_arena_reset(&arena);
    CHECK(arena.block_head == NULL && arena.allocation_head == NULL);
  }

  // Through the allocator interface: calloc zeroes, free is a no-op.
  iree_allocator_t allocator = iree_arena_allocator(&arena);
  void* zeros = NULL;
  CHECK(iree_status_is_ok(iree_allocator_malloc(allocator, 100, &zeros)));
  int all_zero = 1;
  for (int i = 0; i < 100; ++i) all_zero &= ((uint8_t*)zeros)[i] == 0;
  CHECK(all_zero);
  iree_allocator_free(allocator, zeros);

  void* ptr = NULL;
  iree_status_t status = iree_arena_allocate(NULL, 8, &ptr);
  CHECK(!iree_status_is_ok(status));
  iree_status_ignore(status);
  status = iree_arena_allocate(&arena, 8, NULL);
  CHECK(!iree_status_is_ok(status));
  iree_status_ignore(status);

  iree_arena_deinitialize(&arena);
  iree_arena_block_pool_trim(&pool);
  iree_arena_block_pool_deinitialize(&pool);
}

int main(void) {
  test_slist_basics();
  test_slist_concurrent();
  test_arena();
  return harness_finish();
}
