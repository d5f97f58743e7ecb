// Tests of iree/base/internal/fpu_state.h and cpu.h.
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "iree/base/api.h"
#include "iree/base/internal/cpu.h"
#include "iree/base/internal/fpu_state.h"


static float scaled(float value, float factor) {
  volatile float v = value;
  volatile float f = factor;
  return v * f;
}

// Valgrind does not emulate flush-to-zero, so the arithmetic checks only
// hold on real hardware; it announces itself through LD_PRELOAD.
static bool hardware_fpu(void) {
#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__)
  const char* preload = getenv("LD_PRELOAD");
  return !(preload && strstr(preload, "vgpreload"));
#else
  return false;
#endif
}

static void test_fpu(void) {
  const bool hw = hardware_fpu();
  CHECK(scaled(1.0f, 1e-39f) != 0.0f);  // denormals on by default
  iree_fpu_state_t state =
      iree_fpu_state_push(IREE_FPU_STATE_FLAG_FLUSH_DENORMALS_TO_ZERO);
  if (hw) {
    CHECK(scaled(1.0f, 1e-39f) == 0.0f);
    CHECK(state.previous_value != state.current_value);
  }
  // Nested default push leaves denormals on, and pops restore in order.
  iree_fpu_state_t inner = iree_fpu_state_push(IREE_FPU_STATE_DEFAULT);
  CHECK(scaled(1.0f, 1e-39f) != 0.0f);
  iree_fpu_state_pop(inner);
  if (hw) CHECK(scaled(1.0f, 1e-39f) == 0.0f);
  iree_fpu_state_pop(state);
  CHECK(scaled(1.0f, 1e-39f) != 0.0f);
}

static void test_cpu(void) {
  iree_cpu_processor_id_t id = iree_cpu_query_processor_id();
  CHECK(id < 65536);
  iree_cpu_processor_tag_t tag = 0;
  iree_cpu_processor_id_t requeried = 0xFFFFFFFFu;
  iree_cpu_requery_processor_id(&tag, &requeried);
  CHECK(requeried < 65536);
  iree_cpu_requery_processor_id(NULL, &requeried);  // ignored, no crash
  iree_cpu_requery_processor_id(&tag, NULL);
}

int main(void) {
  test_fpu();
  test_cpu();
  return harness_finish();
}
