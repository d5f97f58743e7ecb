// Runs a model through the TensorFlow Lite C API, unchanged TFLite code
// linked against libiree_runtime: the model is a .vmfb compiled with the
// TFLite bindings (tools/gen-tflite-capi-testdata.sh), its inputs are read
// from raw files (or filled with zeros), and every output is printed.
//
// Usage: tflite_hello model.vmfb [input0.bin ...]
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tensorflow/lite/c/c_api.h"

static void report(void* user_data, const char* format, va_list args) {
  (void)user_data;
  fprintf(stderr, "tflite error: ");
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
}

// Reads exactly |size| bytes of |path| into |data|.
static int read_input(const char* path, void* data, size_t size) {
  FILE* f = fopen(path, "rb");
  if (!f) {
    fprintf(stderr, "cannot open %s\n", path);
    return 0;
  }
  size_t got = fread(data, 1, size, f);
  int extra = fgetc(f) != EOF;
  fclose(f);
  if (got != size || extra) {
    fprintf(stderr, "%s does not hold %zu bytes\n", path, size);
    return 0;
  }
  return 1;
}

static void print_tensor(const char* what, const TfLiteTensor* tensor) {
  printf("%s '%s': %s [", what, TfLiteTensorName(tensor),
         TfLiteTypeGetName(TfLiteTensorType(tensor)));
  for (int d = 0; d < TfLiteTensorNumDims(tensor); ++d) {
    printf(d ? "x%d" : "%d", TfLiteTensorDim(tensor, d));
  }
  TfLiteQuantizationParams q = TfLiteTensorQuantizationParams(tensor);
  printf("] scale %g zero point %d\n", q.scale, q.zero_point);
}

static void print_values(const TfLiteTensor* tensor) {
  const void* data = TfLiteTensorData(tensor);
  size_t bytes = TfLiteTensorByteSize(tensor);
  size_t shown = 0;
  switch (TfLiteTensorType(tensor)) {
    case kTfLiteFloat32:
      for (size_t i = 0; i < bytes / 4 && shown < 8; ++i, ++shown) {
        printf(" %.9g", ((const float*)data)[i]);
      }
      break;
    case kTfLiteUInt8:
      for (size_t i = 0; i < bytes && shown < 8; ++i, ++shown) {
        printf(" %u", ((const unsigned char*)data)[i]);
      }
      break;
    case kTfLiteInt8:
      for (size_t i = 0; i < bytes && shown < 8; ++i, ++shown) {
        printf(" %d", ((const signed char*)data)[i]);
      }
      break;
    default:
      printf(" (%zu bytes)", bytes);
      break;
  }
  printf("\n");
}

int main(int argc, char** argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s model.vmfb [input0.bin ...]\n", argv[0]);
    return 2;
  }
  printf("TensorFlow Lite C API %s\n", TfLiteVersion());
  TfLiteModel* model =
      TfLiteModelCreateFromFileWithErrorReporter(argv[1], report, NULL);
  if (!model) return 1;
  TfLiteInterpreterOptions* options = TfLiteInterpreterOptionsCreate();
  TfLiteInterpreterOptionsSetNumThreads(options, 2);
  TfLiteInterpreterOptionsSetErrorReporter(options, report, NULL);
  TfLiteInterpreter* interpreter = TfLiteInterpreterCreate(model, options);
  TfLiteInterpreterOptionsDelete(options);
  TfLiteModelDelete(model);
  if (!interpreter) return 1;
  int status = 1;
  if (TfLiteInterpreterAllocateTensors(interpreter) != kTfLiteOk) goto done;
  for (int i = 0; i < TfLiteInterpreterGetInputTensorCount(interpreter); ++i) {
    TfLiteTensor* input = TfLiteInterpreterGetInputTensor(interpreter, i);
    print_tensor("input", input);
    size_t size = TfLiteTensorByteSize(input);
    void* data = calloc(1, size ? size : 1);
    int ok = i + 2 >= argc || read_input(argv[i + 2], data, size);
    if (ok) ok = TfLiteTensorCopyFromBuffer(input, data, size) == kTfLiteOk;
    free(data);
    if (!ok) goto done;
  }
  if (TfLiteInterpreterInvoke(interpreter) != kTfLiteOk) goto done;
  for (int i = 0; i < TfLiteInterpreterGetOutputTensorCount(interpreter);
       ++i) {
    const TfLiteTensor* output =
        TfLiteInterpreterGetOutputTensor(interpreter, i);
    print_tensor("output", output);
    print_values(output);
  }
  status = 0;
done:
  TfLiteInterpreterDelete(interpreter);
  return status;
}
