// A .tflite file given straight to TfLiteModelCreateFromFile: with the
// pinned toolchain of the repository's .venv (IREE_TFLITE_CONVERTER,
// IREE_COMPILE) the model is converted and compiled for the host CPU into
// a cache folder (IREE_TFLITE_CACHE_DIR, here under TMPDIR), with its tensor
// sidecar read from the flatbuffer; it then runs within 1e-4 of LiteRT,
// and a second load finds the cache entry instead of compiling again. The
// int8 streaming model (state variables, whose TOSA bytecode the compiler
// cannot read, so the library compiles the converter's text form) keeps
// its state over six calls, each output equal to LiteRT's.
// Without the toolchain the test says so and checks nothing.
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>

#include "harness.h"
#include "tensorflow/lite/c/c_api.h"

#define TOOLS IREE_C_TESTS_TESTDATA_DIR "/../.venv/bin"
#define MODEL IREE_C_TESTS_TESTDATA_DIR "/tflite/hand_recrop.tflite"
#define DATA IREE_C_TESTS_TESTDATA_DIR "/tflite_capi/data/hand_recrop.0."

static void print_report(void* user_data, const char* format, va_list args) {
  (void)user_data;
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
}

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

static int count_modules(const char* dir) {
  DIR* d = opendir(dir);
  if (!d) return 0;
  int count = 0;
  for (struct dirent* e = readdir(d); e; e = readdir(d)) {
    size_t n = strlen(e->d_name);
    if (n > 5 && strcmp(e->d_name + n - 5, ".vmfb") == 0) ++count;
  }
  closedir(d);
  return count;
}

static void run_once(void) {
  TfLiteModel* model =
      TfLiteModelCreateFromFileWithErrorReporter(MODEL, print_report, NULL);
  CHECK(model != NULL);
  if (!model) return;
  TfLiteInterpreter* interpreter = TfLiteInterpreterCreate(model, NULL);
  TfLiteModelDelete(model);
  CHECK(interpreter != NULL);
  if (!interpreter) return;
  // Names, types and shapes come from the .tflite itself.
  TfLiteTensor* input = TfLiteInterpreterGetInputTensor(interpreter, 0);
  CHECK(strcmp(TfLiteTensorName(input), "input_1") == 0);
  CHECK(TfLiteTensorType(input) == kTfLiteFloat32);
  CHECK(TfLiteTensorNumDims(input) == 4 && TfLiteTensorDim(input, 1) == 256);
  CHECK(TfLiteInterpreterAllocateTensors(interpreter) == kTfLiteOk);
  size_t size = 0, expected_size = 0;
  void* data = read_file(DATA "in0.bin", &size);
  float* litert = (float*)read_file(DATA "out0.litert.bin", &expected_size);
  CHECK(data && litert && size == TfLiteTensorByteSize(input));
  if (data && litert) {
    CHECK(TfLiteTensorCopyFromBuffer(input, data, size) == kTfLiteOk);
    CHECK(TfLiteInterpreterInvoke(interpreter) == kTfLiteOk);
    const TfLiteTensor* output =
        TfLiteInterpreterGetOutputTensor(interpreter, 0);
    CHECK(strcmp(TfLiteTensorName(output), "output_crop") == 0);
    CHECK(TfLiteTensorByteSize(output) == expected_size);
    const float* ours = (const float*)TfLiteTensorData(output);
    for (size_t i = 0; i < expected_size / 4; ++i) {
      double bound = 1e-4 * fmax(1.0, fabs((double)litert[i]));
      CHECK(fabs((double)ours[i] - (double)litert[i]) <= bound);
    }
  }
  free(data);
  free(litert);
  TfLiteInterpreterDelete(interpreter);
}

#define STATEFUL_MODEL IREE_C_TESTS_TESTDATA_DIR "/tflite/okay_nabu.tflite"
#define STATEFUL_DATA IREE_C_TESTS_TESTDATA_DIR "/tflite_capi/data/okay_nabu."

static void run_stateful(void) {
  TfLiteModel* model = TfLiteModelCreateFromFileWithErrorReporter(
      STATEFUL_MODEL, print_report, NULL);
  CHECK(model != NULL);
  if (!model) return;
  TfLiteInterpreter* interpreter = TfLiteInterpreterCreate(model, NULL);
  TfLiteModelDelete(model);
  CHECK(interpreter != NULL);
  if (!interpreter) return;
  TfLiteTensor* input = TfLiteInterpreterGetInputTensor(interpreter, 0);
  CHECK(TfLiteTensorType(input) == kTfLiteInt8);
  CHECK(TfLiteInterpreterAllocateTensors(interpreter) == kTfLiteOk);
  for (int call = 0; call < 6; ++call) {
    char path[4096];
    size_t size = 0, expected_size = 0;
    snprintf(path, sizeof(path), STATEFUL_DATA "%d.in0.bin", call);
    void* data = read_file(path, &size);
    snprintf(path, sizeof(path), STATEFUL_DATA "%d.out0.litert.bin", call);
    unsigned char* litert = (unsigned char*)read_file(path, &expected_size);
    CHECK(data && litert && size == TfLiteTensorByteSize(input));
    if (data && litert) {
      CHECK(TfLiteTensorCopyFromBuffer(input, data, size) == kTfLiteOk);
      CHECK(TfLiteInterpreterInvoke(interpreter) == kTfLiteOk);
      const TfLiteTensor* output =
          TfLiteInterpreterGetOutputTensor(interpreter, 0);
      CHECK(TfLiteTensorType(output) == kTfLiteUInt8);
      CHECK(TfLiteTensorByteSize(output) == expected_size);
      CHECK(memcmp(TfLiteTensorData(output), litert, expected_size) == 0);
    }
    free(data);
    free(litert);
  }
  TfLiteInterpreterDelete(interpreter);
}

int main(void) {
  struct stat st;
  if (stat(TOOLS "/iree-compile", &st) != 0 ||
      stat(TOOLS "/tosa-converter-for-tflite", &st) != 0) {
    printf("no toolchain in %s (tools/setup_toolchain.sh): skipped\n", TOOLS);
    return 0;
  }
  setenv("IREE_TFLITE_CONVERTER", TOOLS "/tosa-converter-for-tflite", 1);
  setenv("IREE_COMPILE", TOOLS "/iree-compile", 1);
  char cache[4096];
  const char* tmp = getenv("TMPDIR");
  snprintf(cache, sizeof(cache), "%s/tflite-cache", tmp ? tmp : "/tmp");
  setenv("IREE_TFLITE_CACHE_DIR", cache, 1);
  // A native run and a valgrind run share the folder: entries of the
  // other run may already be there.
  run_once();
  int cached = count_modules(cache);
  CHECK(cached == 1 || cached == 2);
  // The second load reuses the cached module.
  run_once();
  CHECK(count_modules(cache) == cached);
  run_stateful();
  CHECK(count_modules(cache) == 2);
  return harness_finish();
}
