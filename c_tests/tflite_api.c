// The TFLite C API (tensorflow/lite/c/c_api.h) over the tiny test program
// testdata/tflite_capi/tiny_dynamic.vmfb (four inputs, three outputs;
// float32, int32 and quantized uint8; a dynamic leading dimension): names,
// types, quantization, byte sizes, static and dynamic shapes (resize,
// allocate, invoke, outputs follow), copies and their size checks
// (kTfLiteError through the error reporter), invoke before
// AllocateTensors, bad model files (NULL model, message reported), options
// and model deleted right after creating the interpreter, and
// create/invoke/delete churn without memory growth.
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "tensorflow/lite/c/c_api.h"
#include "tensorflow/lite/c/c_api_experimental.h"
#include "tensorflow/lite/c/common.h"

#define TINY IREE_C_TESTS_TESTDATA_DIR "/tflite_capi/tiny_dynamic.vmfb"

typedef struct {
  int count;
  char last[1024];
} reports_t;

static void record_report(void* user_data, const char* format, va_list args) {
  reports_t* reports = (reports_t*)user_data;
  vsnprintf(reports->last, sizeof(reports->last), format, args);
  ++reports->count;
}

static bool reported(reports_t* reports, const char* needle) {
  bool found = reports->count > 0 && strstr(reports->last, needle) != NULL;
  if (!found) fprintf(stderr, "last report: '%s'\n", reports->last);
  reports->count = 0;
  reports->last[0] = 0;
  return found;
}

static TfLiteInterpreter* create_tiny(reports_t* reports) {
  TfLiteModel* model = TfLiteModelCreateFromFile(TINY);
  CHECK(model != NULL);
  TfLiteInterpreterOptions* options = TfLiteInterpreterOptionsCreate();
  TfLiteInterpreterOptionsSetNumThreads(options, 1);
  TfLiteInterpreterOptionsSetErrorReporter(options, record_report, reports);
  TfLiteInterpreterOptionsAddDelegate(options, NULL);
  TfLiteInterpreterOptionsSetUseNNAPI(options, true);
  TfLiteInterpreter* interpreter = TfLiteInterpreterCreate(model, options);
  // Neither is needed once the interpreter exists.
  TfLiteInterpreterOptionsDelete(options);
  TfLiteModelDelete(model);
  CHECK(interpreter != NULL);
  return interpreter;
}

static void test_signature(void) {
  reports_t reports = {0};
  TfLiteInterpreter* interpreter = create_tiny(&reports);
  CHECK(TfLiteInterpreterGetInputTensorCount(interpreter) == 4);
  CHECK(TfLiteInterpreterGetOutputTensorCount(interpreter) == 3);
  const char* input_names[] = {"a", "b", "counts", "q"};
  const TfLiteType input_types[] = {kTfLiteFloat32, kTfLiteFloat32,
                                    kTfLiteInt32, kTfLiteUInt8};
  for (int i = 0; i < 4; ++i) {
    const TfLiteTensor* t = TfLiteInterpreterGetInputTensor(interpreter, i);
    CHECK(strcmp(TfLiteTensorName(t), input_names[i]) == 0);
    CHECK(TfLiteTensorType(t) == input_types[i]);
  }
  const char* output_names[] = {"sum", "squares", "q_plus_one"};
  for (int i = 0; i < 3; ++i) {
    const TfLiteTensor* t = TfLiteInterpreterGetOutputTensor(interpreter, i);
    CHECK(strcmp(TfLiteTensorName(t), output_names[i]) == 0);
  }
  const TfLiteTensor* q = TfLiteInterpreterGetInputTensor(interpreter, 3);
  TfLiteQuantizationParams qp = TfLiteTensorQuantizationParams(q);
  CHECK(qp.scale == 0.5f && qp.zero_point == 128);
  CHECK(strcmp(TfLiteTypeGetName(TfLiteTensorType(q)), "UINT8") == 0);
  const TfLiteTensor* counts = TfLiteInterpreterGetInputTensor(interpreter, 2);
  qp = TfLiteTensorQuantizationParams(counts);
  CHECK(qp.scale == 0.0f && qp.zero_point == 0);
  CHECK(TfLiteTensorNumDims(counts) == 1 && TfLiteTensorDim(counts, 0) == 3);
  CHECK(TfLiteTensorByteSize(counts) == 12);
  CHECK(TfLiteTensorByteSize(q) == 2);
  CHECK(TfLiteTensorDim(counts, 1) == -1);
  CHECK(reported(&reports, "dimension 1"));
  // Out of range tensors: NULL, reported.
  CHECK(TfLiteInterpreterGetInputTensor(interpreter, 4) == NULL);
  CHECK(reported(&reports, "out of range"));
  CHECK(TfLiteInterpreterGetOutputTensor(interpreter, -1) == NULL);
  CHECK(reported(&reports, "negative"));
  // No data before AllocateTensors; invoking fails.
  CHECK(TfLiteTensorData(counts) == NULL);
  CHECK(TfLiteInterpreterInvoke(interpreter) == kTfLiteError);
  CHECK(reported(&reports, "AllocateTensors"));
  TfLiteInterpreterDelete(interpreter);
}

static void fill_f32(float* data, int n, float scale) {
  for (int i = 0; i < n; ++i) data[i] = scale * (float)i;
}

static void test_dynamic_shapes(void) {
  reports_t reports = {0};
  TfLiteInterpreter* interpreter = create_tiny(&reports);
  for (int rows = 1; rows <= 6; rows += 5) {
    int dims[2] = {rows, 4};
    CHECK(TfLiteInterpreterResizeInputTensor(interpreter, 0, dims, 2) ==
          kTfLiteOk);
    CHECK(TfLiteInterpreterResizeInputTensor(interpreter, 1, dims, 2) ==
          kTfLiteOk);
    if (rows > 1) {
      // Resized but not allocated: not ready.
      CHECK(TfLiteInterpreterInvoke(interpreter) == kTfLiteError);
      CHECK(reported(&reports, "AllocateTensors"));
    }
    CHECK(TfLiteInterpreterAllocateTensors(interpreter) == kTfLiteOk);
    TfLiteTensor* a = TfLiteInterpreterGetInputTensor(interpreter, 0);
    TfLiteTensor* b = TfLiteInterpreterGetInputTensor(interpreter, 1);
    CHECK(TfLiteTensorNumDims(a) == 2 && TfLiteTensorDim(a, 0) == rows);
    CHECK(TfLiteTensorByteSize(a) == (size_t)rows * 16);
    const TfLiteTensor* sum = TfLiteInterpreterGetOutputTensor(interpreter, 0);
    CHECK(TfLiteTensorDim(sum, 0) == rows && TfLiteTensorDim(sum, 1) == 4);
    CHECK(TfLiteTensorByteSize(sum) == (size_t)rows * 16);

    float av[24], bv[24], out[24];
    fill_f32(av, rows * 4, 1.0f);
    fill_f32(bv, rows * 4, 0.25f);
    CHECK(TfLiteTensorCopyFromBuffer(a, av, rows * 16) == kTfLiteOk);
    // The data pointer is the tensor's buffer: writing it is an input.
    memcpy(TfLiteTensorData(b), bv, rows * 16);
    int32_t counts[3] = {3, -4, 46341};
    CHECK(TfLiteTensorCopyFromBuffer(
              TfLiteInterpreterGetInputTensor(interpreter, 2), counts,
              sizeof(counts)) == kTfLiteOk);
    uint8_t q[2] = {7, 255};
    CHECK(TfLiteTensorCopyFromBuffer(
              TfLiteInterpreterGetInputTensor(interpreter, 3), q, 2) ==
          kTfLiteOk);
    CHECK(TfLiteInterpreterInvoke(interpreter) == kTfLiteOk);
    sum = TfLiteInterpreterGetOutputTensor(interpreter, 0);
    CHECK(TfLiteTensorCopyToBuffer(sum, out, rows * 16) == kTfLiteOk);
    bool sums_ok = true;
    for (int i = 0; i < rows * 4; ++i) sums_ok &= out[i] == av[i] + bv[i];
    CHECK(sums_ok);
    CHECK(memcmp(TfLiteTensorData(sum), out, rows * 16) == 0);
    int32_t squares[3];
    CHECK(TfLiteTensorCopyToBuffer(
              TfLiteInterpreterGetOutputTensor(interpreter, 1), squares,
              sizeof(squares)) == kTfLiteOk);
    CHECK(squares[0] == 9 && squares[1] == 16 &&
          squares[2] == (int32_t)(46341u * 46341u));
    const TfLiteTensor* q1 = TfLiteInterpreterGetOutputTensor(interpreter, 2);
    CHECK(TfLiteTensorType(q1) == kTfLiteUInt8);
    const uint8_t* q1v = (const uint8_t*)TfLiteTensorData(q1);
    CHECK(q1v[0] == 8 && q1v[1] == 0);
  }
  // Static dimensions and ranks do not change.
  int bad_rank[3] = {2, 4, 1};
  CHECK(TfLiteInterpreterResizeInputTensor(interpreter, 0, bad_rank, 3) ==
        kTfLiteError);
  CHECK(reported(&reports, "rank"));
  int five[1] = {5};
  CHECK(TfLiteInterpreterResizeInputTensor(interpreter, 2, five, 1) ==
        kTfLiteError);
  CHECK(reported(&reports, "static"));
  int negative[2] = {-2, 4};
  CHECK(TfLiteInterpreterResizeInputTensor(interpreter, 0, negative, 2) ==
        kTfLiteError);
  CHECK(reported(&reports, "negative"));
  CHECK(TfLiteInterpreterResizeInputTensor(interpreter, 9, five, 1) ==
        kTfLiteError);
  CHECK(reported(&reports, "out of range"));
  TfLiteInterpreterDelete(interpreter);
}

static void test_copy_size_mismatch(void) {
  reports_t reports = {0};
  TfLiteInterpreter* interpreter = create_tiny(&reports);
  CHECK(TfLiteInterpreterAllocateTensors(interpreter) == kTfLiteOk);
  TfLiteTensor* counts = TfLiteInterpreterGetInputTensor(interpreter, 2);
  int32_t values[4] = {1, 2, 3, 4};
  CHECK(TfLiteTensorCopyFromBuffer(counts, values, sizeof(values)) ==
        kTfLiteError);
  CHECK(reported(&reports, "16 bytes"));
  CHECK(TfLiteTensorCopyFromBuffer(counts, values, 4) == kTfLiteError);
  CHECK(reported(&reports, "12"));
  CHECK(TfLiteTensorCopyFromBuffer(counts, NULL, 12) == kTfLiteError);
  CHECK(reported(&reports, "input_data"));
  CHECK(TfLiteTensorCopyFromBuffer(counts, values, 12) == kTfLiteOk);
  CHECK(reports.count == 0);
  const TfLiteTensor* squares = TfLiteInterpreterGetOutputTensor(interpreter, 1);
  CHECK(TfLiteTensorCopyToBuffer(squares, values, 8) == kTfLiteError);
  CHECK(reported(&reports, "12"));
  TfLiteInterpreterDelete(interpreter);
}

// Writes |size| bytes of |data| to a new scratch file; returns its path.
static char* scratch_file(const void* data, size_t size) {
  const char* dir = getenv("TMPDIR");
  static char path[4096];
  snprintf(path, sizeof(path), "%s/tflite_XXXXXX", dir ? dir : "/tmp");
  int fd = mkstemp(path);
  CHECK(fd >= 0);
  CHECK(write(fd, data, size) == (ssize_t)size);
  close(fd);
  return path;
}

static void test_bad_models(void) {
  reports_t reports = {0};
  // Missing file.
  CHECK(TfLiteModelCreateFromFileWithErrorReporter(
            "/nonexistent/model.vmfb", record_report, &reports) == NULL);
  CHECK(reported(&reports, "/nonexistent/model.vmfb"));
  // Truncated module.
  FILE* f = fopen(TINY, "rb");
  CHECK(f != NULL);
  char head[200];
  CHECK(fread(head, 1, sizeof(head), f) == sizeof(head));
  fclose(f);
  char* path = scratch_file(head, sizeof(head));
  CHECK(TfLiteModelCreateFromFileWithErrorReporter(path, record_report,
                                                   &reports) == NULL);
  CHECK(reported(&reports, "not a valid IREE bytecode module"));
  unlink(path);
  // Not a model at all, from a file and from memory.
  const char text[] = "this is not a model";
  path = scratch_file(text, sizeof(text));
  CHECK(TfLiteModelCreateFromFileWithErrorReporter(path, record_report,
                                                   &reports) == NULL);
  CHECK(reported(&reports, "not a valid IREE bytecode module"));
  unlink(path);
  CHECK(TfLiteModelCreateWithErrorReporter(text, sizeof(text), record_report,
                                           &reports) == NULL);
  CHECK(reported(&reports, "not a valid IREE bytecode module"));
  CHECK(TfLiteModelCreateWithErrorReporter(head, 0, record_report, &reports) ==
        NULL);
  CHECK(reports.count == 1);
  reports.count = 0;
  // A .tflite flatbuffer without a toolchain: says what is missing and how
  // to precompile (c_tests/tflite_from_tflite.c has the toolchain).
  setenv("IREE_TFLITE_CONVERTER", "/nonexistent/tosa-converter-for-tflite", 1);
  CHECK(TfLiteModelCreateFromFileWithErrorReporter(
            IREE_C_TESTS_TESTDATA_DIR "/tflite/hand_recrop.tflite",
            record_report, &reports) == NULL);
  CHECK(strstr(reports.last, "tosa-converter-for-tflite (IREE_TFLITE_CONVERTER)") != NULL);
  CHECK(reported(&reports, "--iree-tflite-bindings-support"));
  unsetenv("IREE_TFLITE_CONVERTER");
  // A module without the TFLite bindings.
  CHECK(TfLiteModelCreateFromFileWithErrorReporter(
            IREE_C_TESTS_TESTDATA_DIR "/tflite/hand_recrop.vmfb", record_report,
            &reports) == NULL);
  CHECK(reported(&reports, "_tflite_main"));
  // NULL arguments fail without crashing.
  CHECK(TfLiteModelCreate(NULL, 10) == NULL);
  CHECK(TfLiteInterpreterCreate(NULL, NULL) == NULL);
  CHECK(TfLiteTensorByteSize(NULL) == 0);
  CHECK(TfLiteTensorNumDims(NULL) == -1);
  TfLiteModelDelete(NULL);
  TfLiteInterpreterDelete(NULL);
  TfLiteInterpreterOptionsDelete(NULL);
}

static void test_model_from_memory(void) {
  FILE* f = fopen(TINY, "rb");
  CHECK(f != NULL);
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fseek(f, 0, SEEK_SET);
  char* bytes = (char*)malloc((size_t)size);
  CHECK(fread(bytes, 1, (size_t)size, f) == (size_t)size);
  fclose(f);
  TfLiteModel* model = TfLiteModelCreate(bytes, (size_t)size);
  free(bytes);  // The model keeps its own copy.
  CHECK(model != NULL);
  TfLiteInterpreter* interpreter = TfLiteInterpreterCreateWithSelectedOps(model, NULL);
  TfLiteModelDelete(model);
  CHECK(interpreter != NULL);
  // No sidecar from memory: every tensor is float32.
  CHECK(TfLiteTensorType(TfLiteInterpreterGetInputTensor(interpreter, 2)) ==
        kTfLiteFloat32);
  CHECK(TfLiteInterpreterResetVariableTensors(interpreter) == kTfLiteOk);
  TfLiteInterpreterDelete(interpreter);
}

static long resident_kib(void) {
  FILE* f = fopen("/proc/self/statm", "r");
  long pages = 0, resident = 0;
  if (f) {
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    fclose(f);
  }
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static void churn(int times) {
  for (int i = 0; i < times; ++i) {
    reports_t reports = {0};
    TfLiteInterpreter* interpreter = create_tiny(&reports);
    if (!interpreter) {
      fprintf(stderr, "churn %d: %s\n", i, reports.last);
      return;
    }
    CHECK(TfLiteInterpreterAllocateTensors(interpreter) == kTfLiteOk);
    int32_t counts[3] = {i, 1, 2};
    TfLiteTensorCopyFromBuffer(TfLiteInterpreterGetInputTensor(interpreter, 2),
                               counts, sizeof(counts));
    CHECK(TfLiteInterpreterInvoke(interpreter) == kTfLiteOk);
    int32_t squares[3] = {0};
    TfLiteTensorCopyToBuffer(TfLiteInterpreterGetOutputTensor(interpreter, 1),
                             squares, sizeof(squares));
    CHECK(squares[0] == i * i);
    TfLiteInterpreterDelete(interpreter);
  }
}

static void test_churn(void) {
  // Under valgrind (20-50 times slower) fewer rounds, and valgrind checks
  // leaks itself: its own memory makes resident sizes meaningless.
  const char* preload = getenv("LD_PRELOAD");
  bool valgrind = preload && strstr(preload, "valgrind");
  churn(valgrind ? 20 : 100);
  long before = resident_kib();
  churn(valgrind ? 100 : 1000);
  long growth = valgrind ? 0 : resident_kib() - before;
  if (growth > 4096) fprintf(stderr, "resident memory grew %ld KiB\n", growth);
  CHECK(growth <= 4096);
}

int main(void) {
  CHECK(strlen(TfLiteVersion()) > 0 && TfLiteSchemaVersion() == 3);
  test_signature();
  test_dynamic_shapes();
  test_copy_size_mismatch();
  test_bad_models();
  test_model_from_memory();
  test_churn();
  return harness_finish();
}
