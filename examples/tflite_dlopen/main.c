// The TFLite example of examples/tflite_hello with the library loaded at
// run time: every TfLite* function of tensorflow/lite/c/c_api.h,
// c_api_experimental.h and common.h is resolved with dlsym (as a host that
// picks its TFLite implementation at run time does), and the model runs
// through those pointers only. The headers supply the types; nothing here
// links against the library.
//
// Usage: tflite_dlopen path/to/libiree_runtime.so model.vmfb [input0.bin ...]
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "tensorflow/lite/c/c_api.h"
#include "tensorflow/lite/c/c_api_experimental.h"
#include "tensorflow/lite/c/common.h"

// Every function of the headers, as X(name).
#define TFLITE_FUNCTIONS(X)                       \
  X(TfLiteVersion)                                \
  X(TfLiteSchemaVersion)                          \
  X(TfLiteTypeGetName)                            \
  X(TfLiteModelCreate)                            \
  X(TfLiteModelCreateWithErrorReporter)           \
  X(TfLiteModelCreateFromFile)                    \
  X(TfLiteModelCreateFromFileWithErrorReporter)   \
  X(TfLiteModelDelete)                            \
  X(TfLiteInterpreterOptionsCreate)               \
  X(TfLiteInterpreterOptionsCopy)                 \
  X(TfLiteInterpreterOptionsDelete)               \
  X(TfLiteInterpreterOptionsSetNumThreads)        \
  X(TfLiteInterpreterOptionsAddDelegate)          \
  X(TfLiteInterpreterOptionsSetErrorReporter)     \
  X(TfLiteInterpreterOptionsSetUseNNAPI)          \
  X(TfLiteInterpreterCreate)                      \
  X(TfLiteInterpreterCreateWithSelectedOps)       \
  X(TfLiteInterpreterDelete)                      \
  X(TfLiteInterpreterGetInputTensorCount)         \
  X(TfLiteInterpreterGetInputTensor)              \
  X(TfLiteInterpreterResizeInputTensor)           \
  X(TfLiteInterpreterAllocateTensors)             \
  X(TfLiteInterpreterInvoke)                      \
  X(TfLiteInterpreterGetOutputTensorCount)        \
  X(TfLiteInterpreterGetOutputTensor)             \
  X(TfLiteInterpreterResetVariableTensors)        \
  X(TfLiteTensorType)                             \
  X(TfLiteTensorNumDims)                          \
  X(TfLiteTensorDim)                              \
  X(TfLiteTensorByteSize)                         \
  X(TfLiteTensorData)                             \
  X(TfLiteTensorName)                             \
  X(TfLiteTensorQuantizationParams)               \
  X(TfLiteTensorCopyFromBuffer)                   \
  X(TfLiteTensorCopyToBuffer)

// A table of pointers typed from the header declarations.
#define DECLARE_POINTER(name) __typeof__(&name) name;
static struct {
  TFLITE_FUNCTIONS(DECLARE_POINTER)
} tfl;

static void report(void* user_data, const char* format, va_list args) {
  (void)user_data;
  fprintf(stderr, "tflite error: ");
  vfprintf(stderr, format, args);
  fputc('\n', stderr);
}

static int read_input(const char* path, void* data, size_t size) {
  FILE* f = fopen(path, "rb");
  if (!f) return 0;
  size_t got = fread(data, 1, size, f);
  fclose(f);
  return got == size;
}

int main(int argc, char** argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s libiree_runtime.so model.vmfb [inputs...]\n",
            argv[0]);
    return 2;
  }
  void* library = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    fprintf(stderr, "dlopen(%s) failed: %s\n", argv[1], dlerror());
    return 1;
  }
  int missing = 0, resolved = 0;
  // POSIX guarantees that dlsym results convert to function pointers.
#define RESOLVE(name)                                      \
  *(void**)(&tfl.name) = dlsym(library, #name);            \
  if (tfl.name) {                                          \
    ++resolved;                                            \
  } else {                                                 \
    fprintf(stderr, "missing symbol %s\n", #name);         \
    ++missing;                                             \
  }
  TFLITE_FUNCTIONS(RESOLVE)
  printf("resolved %d TfLite functions, %d missing\n", resolved, missing);
  if (missing) return 1;
  printf("TensorFlow Lite C API %s (schema %d)\n", tfl.TfLiteVersion(),
         tfl.TfLiteSchemaVersion());

  TfLiteModel* model =
      tfl.TfLiteModelCreateFromFileWithErrorReporter(argv[2], report, NULL);
  if (!model) return 1;
  TfLiteInterpreterOptions* options = tfl.TfLiteInterpreterOptionsCreate();
  TfLiteInterpreterOptions* copy = tfl.TfLiteInterpreterOptionsCopy(options);
  tfl.TfLiteInterpreterOptionsDelete(options);
  tfl.TfLiteInterpreterOptionsSetNumThreads(copy, 1);
  tfl.TfLiteInterpreterOptionsSetErrorReporter(copy, report, NULL);
  tfl.TfLiteInterpreterOptionsAddDelegate(copy, NULL);
  tfl.TfLiteInterpreterOptionsSetUseNNAPI(copy, false);
  TfLiteInterpreter* interpreter = tfl.TfLiteInterpreterCreate(model, copy);
  tfl.TfLiteInterpreterOptionsDelete(copy);
  tfl.TfLiteModelDelete(model);
  if (!interpreter) return 1;
  int status = 1;
  if (tfl.TfLiteInterpreterAllocateTensors(interpreter) != kTfLiteOk) goto done;
  for (int i = 0; i < tfl.TfLiteInterpreterGetInputTensorCount(interpreter);
       ++i) {
    TfLiteTensor* input = tfl.TfLiteInterpreterGetInputTensor(interpreter, i);
    size_t size = tfl.TfLiteTensorByteSize(input);
    void* data = calloc(1, size ? size : 1);
    int ok = i + 3 >= argc || read_input(argv[i + 3], data, size);
    if (ok) ok = tfl.TfLiteTensorCopyFromBuffer(input, data, size) == kTfLiteOk;
    free(data);
    if (!ok) goto done;
  }
  if (tfl.TfLiteInterpreterInvoke(interpreter) != kTfLiteOk) goto done;
  for (int i = 0; i < tfl.TfLiteInterpreterGetOutputTensorCount(interpreter);
       ++i) {
    const TfLiteTensor* output =
        tfl.TfLiteInterpreterGetOutputTensor(interpreter, i);
    printf("output '%s': %s [", tfl.TfLiteTensorName(output),
           tfl.TfLiteTypeGetName(tfl.TfLiteTensorType(output)));
    for (int d = 0; d < tfl.TfLiteTensorNumDims(output); ++d) {
      printf(d ? "x%d" : "%d", tfl.TfLiteTensorDim(output, d));
    }
    printf("]\n");
    if (tfl.TfLiteTensorType(output) == kTfLiteFloat32) {
      size_t count = tfl.TfLiteTensorByteSize(output) / sizeof(float);
      float* values = (float*)malloc(count * sizeof(float) + 1);
      tfl.TfLiteTensorCopyToBuffer(output, values, count * sizeof(float));
      for (size_t k = 0; k < count && k < 8; ++k) printf(" %.9g", values[k]);
      printf("\n");
      free(values);
    }
  }
  if (tfl.TfLiteInterpreterResetVariableTensors(interpreter) != kTfLiteOk) {
    goto done;
  }
  status = 0;
done:
  tfl.TfLiteInterpreterDelete(interpreter);
  dlclose(library);
  return status;
}
