// Real models through the TFLite C API (testdata/tflite_capi, made by
// tools/gen-tflite-capi-testdata.sh from the .tflite files of
// testdata/tflite): each model's calls run in one interpreter (the
// streaming wake-word model keeps state across them), with 1 and with 2
// threads. Every output must equal the reference iree-run-module's bytes
// (*.iree.bin) and, for float outputs, be within 1e-4 * max(1, |litert|)
// of LiteRT's (*.litert.bin); quantized outputs print how many elements
// differ from LiteRT's and by how much.
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "tensorflow/lite/c/c_api.h"

#define DIR IREE_C_TESTS_TESTDATA_DIR "/tflite_capi"

static void print_report(void* user_data, const char* format, va_list args) {
  (void)user_data;
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
}

// Reads the file at |path| into a new buffer (caller frees); NULL if absent.
static void* read_file(const char* path, size_t* size) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long length = ftell(f);
  fseek(f, 0, SEEK_SET);
  void* data = malloc(length > 0 ? (size_t)length : 1);
  *size = fread(data, 1, (size_t)length, f);
  fclose(f);
  return data;
}

static void compare_with_litert(const char* label, const TfLiteTensor* output,
                                const void* litert, size_t size) {
  if (TfLiteTensorType(output) == kTfLiteFloat32) {
    const float* ours = (const float*)TfLiteTensorData(output);
    const float* theirs = (const float*)litert;
    size_t count = size / sizeof(float), outside = 0;
    double max_diff = 0;
    for (size_t i = 0; i < count; ++i) {
      double diff = fabs((double)ours[i] - (double)theirs[i]);
      double bound = 1e-4 * fmax(1.0, fabs((double)theirs[i]));
      if (diff > bound) ++outside;
      if (diff > max_diff) max_diff = diff;
    }
    printf("%s: %zu of %zu elements outside 1e-4 of LiteRT (max |diff| %.3g)\n",
           label, outside, count, max_diff);
    CHECK(outside == 0);
  } else {
    const uint8_t* ours = (const uint8_t*)TfLiteTensorData(output);
    const uint8_t* theirs = (const uint8_t*)litert;
    size_t differ = 0;
    int max_diff = 0;
    for (size_t i = 0; i < size; ++i) {
      int diff = abs((int)ours[i] - (int)theirs[i]);
      if (diff) ++differ;
      if (diff > max_diff) max_diff = diff;
    }
    printf("%s (%s): %zu of %zu elements differ from LiteRT, by at most %d\n",
           label, TfLiteTypeGetName(TfLiteTensorType(output)), differ, size,
           max_diff);
  }
}

static void run_model(const char* name, int calls, int threads) {
  char path[2048];
  snprintf(path, sizeof(path), DIR "/%s.vmfb", name);
  TfLiteModel* model = TfLiteModelCreateFromFile(path);
  CHECK(model != NULL);
  if (!model) return;
  TfLiteInterpreterOptions* options = TfLiteInterpreterOptionsCreate();
  TfLiteInterpreterOptionsSetNumThreads(options, threads);
  TfLiteInterpreterOptionsSetErrorReporter(options, print_report, NULL);
  TfLiteInterpreter* interpreter = TfLiteInterpreterCreate(model, options);
  TfLiteInterpreterOptionsDelete(options);
  TfLiteModelDelete(model);
  CHECK(interpreter != NULL);
  if (!interpreter) return;
  CHECK(TfLiteInterpreterAllocateTensors(interpreter) == kTfLiteOk);
  if (strcmp(name, "okay_nabu") == 0) {
    // The int8-quantized model: types and quantization from the sidecar.
    const TfLiteTensor* in = TfLiteInterpreterGetInputTensor(interpreter, 0);
    TfLiteQuantizationParams q = TfLiteTensorQuantizationParams(in);
    CHECK(TfLiteTensorType(in) == kTfLiteInt8);
    CHECK(q.zero_point == -128 && fabsf(q.scale - 0.10196078f) < 1e-7f);
    CHECK(TfLiteTensorNumDims(in) == 3 && TfLiteTensorDim(in, 2) == 40);
    const TfLiteTensor* out = TfLiteInterpreterGetOutputTensor(interpreter, 0);
    q = TfLiteTensorQuantizationParams(out);
    CHECK(TfLiteTensorType(out) == kTfLiteUInt8);
    CHECK(q.zero_point == 0 && q.scale == 0.00390625f);
  }
  int inputs = TfLiteInterpreterGetInputTensorCount(interpreter);
  int outputs = TfLiteInterpreterGetOutputTensorCount(interpreter);
  for (int call = 0; call < calls; ++call) {
    for (int i = 0; i < inputs; ++i) {
      snprintf(path, sizeof(path), DIR "/data/%s.%d.in%d.bin", name, call, i);
      size_t size = 0;
      void* data = read_file(path, &size);
      CHECK(data != NULL);
      TfLiteTensor* input = TfLiteInterpreterGetInputTensor(interpreter, i);
      CHECK(TfLiteTensorByteSize(input) == size);
      CHECK(TfLiteTensorCopyFromBuffer(input, data, size) == kTfLiteOk);
      free(data);
    }
    CHECK(TfLiteInterpreterInvoke(interpreter) == kTfLiteOk);
    for (int i = 0; i < outputs; ++i) {
      const TfLiteTensor* output =
          TfLiteInterpreterGetOutputTensor(interpreter, i);
      char label[1024];
      snprintf(label, sizeof(label), "%s (%d threads) call %d output %d '%s'",
               name, threads, call, i, TfLiteTensorName(output));
      size_t size = 0, litert_size = 0;
      snprintf(path, sizeof(path), DIR "/data/%s.%d.out%d.iree.bin", name,
               call, i);
      void* reference = read_file(path, &size);
      snprintf(path, sizeof(path), DIR "/data/%s.%d.out%d.litert.bin", name,
               call, i);
      void* litert = read_file(path, &litert_size);
      CHECK(reference && litert);
      CHECK(TfLiteTensorByteSize(output) == size && size == litert_size);
      if (reference && litert && TfLiteTensorByteSize(output) == size) {
        bool same = memcmp(TfLiteTensorData(output), reference, size) == 0;
        if (!same) fprintf(stderr, "%s: differs from the reference\n", label);
        CHECK(same);
        compare_with_litert(label, output, litert, size);
      }
      free(reference);
      free(litert);
    }
  }
  TfLiteInterpreterDelete(interpreter);
}

int main(void) {
  size_t size = 0;
  char* manifest = (char*)read_file(DIR "/models.tsv", &size);
  CHECK(manifest != NULL);
  if (!manifest) return harness_finish();
  manifest = (char*)realloc(manifest, size + 1);
  manifest[size] = 0;
  int models = 0;
  for (char* line = strtok(manifest, "\n"); line; line = strtok(NULL, "\n")) {
    if (line[0] == '#') continue;
    char name[256];
    int calls = 0;
    if (sscanf(line, "%255s %d", name, &calls) != 2) continue;
    for (int threads = 1; threads <= 2; ++threads) {
      run_model(name, calls, threads);
    }
    ++models;
  }
  free(manifest);
  CHECK(models >= 3);
  return harness_finish();
}
