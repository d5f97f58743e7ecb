// Times TfLiteInterpreterInvoke through the TFLite C API (ours, linked
// against libiree_runtime) for tools/bench_tflite.sh: loads the model (a
// .vmfb with its sidecar, or a .tflite compiled on first use), fills the
// inputs from raw files (zeros when none is given), runs `warmup` invokes,
// then prints the wall time of each of `iterations` invokes in
// microseconds on one line, and writes the outputs of the last invoke to
// OUT_PREFIX.outN.bin when OUT_PREFIX is set and not empty (the script
// checks them).
//
// Usage: bench_tflite_driver MODEL THREADS WARMUP ITERATIONS [input.bin ...]
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tensorflow/lite/c/c_api.h"

static void report(void* user_data, const char* format, va_list args) {
  (void)user_data;
  fprintf(stderr, "tflite error: ");
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
}

static double now_us(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static int fill_input(TfLiteTensor* input, const char* path) {
  size_t size = TfLiteTensorByteSize(input);
  void* data = calloc(1, size ? size : 1);
  int ok = 1;
  if (path) {
    FILE* f = fopen(path, "rb");
    ok = f && fread(data, 1, size, f) == size && fgetc(f) == EOF;
    if (f) fclose(f);
    if (!ok) fprintf(stderr, "%s does not hold %zu bytes\n", path, size);
  }
  if (ok) ok = TfLiteTensorCopyFromBuffer(input, data, size) == kTfLiteOk;
  free(data);
  return ok;
}

static int write_outputs(TfLiteInterpreter* interpreter, const char* prefix) {
  for (int i = 0; i < TfLiteInterpreterGetOutputTensorCount(interpreter); ++i) {
    const TfLiteTensor* output = TfLiteInterpreterGetOutputTensor(interpreter, i);
    char path[4096];
    snprintf(path, sizeof path, "%s.out%d.bin", prefix, i);
    FILE* f = fopen(path, "wb");
    size_t size = TfLiteTensorByteSize(output);
    int ok = f && fwrite(TfLiteTensorData(output), 1, size, f) == size;
    if (f) fclose(f);
    if (!ok) {
      fprintf(stderr, "cannot write %s\n", path);
      return 0;
    }
  }
  return 1;
}

int main(int argc, char** argv) {
  if (argc < 5) {
    fprintf(stderr,
            "usage: %s MODEL THREADS WARMUP ITERATIONS [input.bin ...]\n",
            argv[0]);
    return 2;
  }
  int threads = atoi(argv[2]), warmup = atoi(argv[3]), iterations = atoi(argv[4]);
  TfLiteModel* model =
      TfLiteModelCreateFromFileWithErrorReporter(argv[1], report, NULL);
  if (!model) return 1;
  TfLiteInterpreterOptions* options = TfLiteInterpreterOptionsCreate();
  TfLiteInterpreterOptionsSetNumThreads(options, threads);
  TfLiteInterpreterOptionsSetErrorReporter(options, report, NULL);
  TfLiteInterpreter* interpreter = TfLiteInterpreterCreate(model, options);
  TfLiteInterpreterOptionsDelete(options);
  TfLiteModelDelete(model);
  if (!interpreter) return 1;
  int status = 1;
  if (TfLiteInterpreterAllocateTensors(interpreter) != kTfLiteOk) goto done;
  for (int i = 0; i < TfLiteInterpreterGetInputTensorCount(interpreter); ++i) {
    const char* path = i + 5 < argc ? argv[i + 5] : NULL;
    if (!fill_input(TfLiteInterpreterGetInputTensor(interpreter, i), path)) goto done;
  }
  for (int i = 0; i < warmup; ++i) {
    if (TfLiteInterpreterInvoke(interpreter) != kTfLiteOk) goto done;
  }
  for (int i = 0; i < iterations; ++i) {
    double start = now_us();
    if (TfLiteInterpreterInvoke(interpreter) != kTfLiteOk) goto done;
    printf(i ? " %.1f" : "%.1f", now_us() - start);
  }
  printf("\n");
  const char* prefix = getenv("OUT_PREFIX");
  if (prefix && *prefix && !write_outputs(interpreter, prefix)) goto done;
  status = 0;
done:
  TfLiteInterpreterDelete(interpreter);
  return status;
}
