// The TensorFlow Lite C API (TFLite 2.x c_api.h) over IREE modules: a
// model is a .vmfb compiled with `iree-compile
// --iree-native-bindings-support=false --iree-tflite-bindings-support`
// (tools/gen-tflite-capi-testdata.sh shows the conversion from .tflite),
// optionally with a `<file>.tensors.tsv` sidecar giving each tensor's
// element type, quantization and static shape. Ownership is TFLite's:
// each Create is paired with its Delete; tensors belong to their
// interpreter. Errors return kTfLiteError / NULL and are reported through
// the error reporter (the options', else the model's, else stderr).
#ifndef TENSORFLOW_LITE_C_C_API_H_
#define TENSORFLOW_LITE_C_C_API_H_

#include <stdarg.h>

#include "tensorflow/lite/c/c_api_types.h"
#include "tensorflow/lite/c/common.h"

#ifdef __cplusplus
extern "C" {
#endif

// The TFLite version whose API this is, with this library's name.
TFL_CAPI_EXPORT extern const char* TfLiteVersion(void);

// The TFLite schema version (3).
TFL_CAPI_EXPORT extern int TfLiteSchemaVersion(void);

// --- Models --------------------------------------------------------------

// A model from |model_size| bytes of .vmfb at |model_data| (copied: the
// caller may free them afterwards). No sidecar: tensors are float32. A
// .tflite flatbuffer is compiled as TfLiteModelCreateFromFile does.
// NULL on failure (reported on stderr).
TFL_CAPI_EXPORT extern TfLiteModel* TfLiteModelCreate(const void* model_data,
                                                       size_t model_size);

// As TfLiteModelCreate, reporting to |reporter| with |user_data|; the
// message arrives as |format| (no conversions left in it).
TFL_CAPI_EXPORT extern TfLiteModel* TfLiteModelCreateWithErrorReporter(
    const void* model_data, size_t model_size,
    void (*reporter)(void* user_data, const char* format, va_list args),
    void* user_data);

// A model from the .vmfb file at |model_path|, mapped (not copied), with
// the sidecar `<model_path>.tensors.tsv` when there is one. A .tflite file
// is converted and compiled for the host CPU on first use and cached on
// disk (tosa-converter-for-tflite and iree-compile from
// IREE_TFLITE_CONVERTER / IREE_COMPILE or PATH; cache in
// IREE_TFLITE_CACHE_DIR, else ~/.cache/iree-runtime/tflite); without those
// tools it gives NULL with a message naming what is missing and how to
// precompile.
TFL_CAPI_EXPORT extern TfLiteModel* TfLiteModelCreateFromFile(
    const char* model_path);

TFL_CAPI_EXPORT extern TfLiteModel* TfLiteModelCreateFromFileWithErrorReporter(
    const char* model_path,
    void (*reporter)(void* user_data, const char* format, va_list args),
    void* user_data);

// Deletes a model; interpreters made from it keep what they need.
TFL_CAPI_EXPORT extern void TfLiteModelDelete(TfLiteModel* model);

// --- Interpreter options -------------------------------------------------

TFL_CAPI_EXPORT extern TfLiteInterpreterOptions* TfLiteInterpreterOptionsCreate(
    void);

TFL_CAPI_EXPORT extern TfLiteInterpreterOptions* TfLiteInterpreterOptionsCopy(
    const TfLiteInterpreterOptions* from);

TFL_CAPI_EXPORT extern void TfLiteInterpreterOptionsDelete(
    TfLiteInterpreterOptions* options);

// 1 (and the default, -1) runs on the local-sync device; n > 1 runs on
// local-task with exactly n workers, the calling thread among them (at most
// 64), when the library has that driver, local-sync otherwise.
TFL_CAPI_EXPORT extern void TfLiteInterpreterOptionsSetNumThreads(
    TfLiteInterpreterOptions* options, int32_t num_threads);

// Accepted and ignored: a compiled module has nothing to delegate.
TFL_CAPI_EXPORT extern void TfLiteInterpreterOptionsAddDelegate(
    TfLiteInterpreterOptions* options, TfLiteOpaqueDelegate* delegate);

// Every error of interpreters made with |options| (and their tensors)
// goes to |reporter|; the message is |format| (no conversions left).
TFL_CAPI_EXPORT extern void TfLiteInterpreterOptionsSetErrorReporter(
    TfLiteInterpreterOptions* options,
    void (*reporter)(void* user_data, const char* format, va_list args),
    void* user_data);

// --- Interpreter ---------------------------------------------------------

// Neither |model| nor |optional_options| (NULL: defaults) is kept.
TFL_CAPI_EXPORT extern TfLiteInterpreter* TfLiteInterpreterCreate(
    const TfLiteModel* model, const TfLiteInterpreterOptions* optional_options);

TFL_CAPI_EXPORT extern void TfLiteInterpreterDelete(
    TfLiteInterpreter* interpreter);

TFL_CAPI_EXPORT extern int32_t TfLiteInterpreterGetInputTensorCount(
    const TfLiteInterpreter* interpreter);

// Owned by the interpreter.
TFL_CAPI_EXPORT extern TfLiteTensor* TfLiteInterpreterGetInputTensor(
    const TfLiteInterpreter* interpreter, int32_t input_index);

// Only dimensions the module left dynamic may change; takes effect at the
// next TfLiteInterpreterAllocateTensors (outputs' shapes follow).
TFL_CAPI_EXPORT extern TfLiteStatus TfLiteInterpreterResizeInputTensor(
    TfLiteInterpreter* interpreter, int32_t input_index, const int* input_dims,
    int32_t input_dims_size);

TFL_CAPI_EXPORT extern TfLiteStatus TfLiteInterpreterAllocateTensors(
    TfLiteInterpreter* interpreter);

// kTfLiteError before TfLiteInterpreterAllocateTensors.
TFL_CAPI_EXPORT extern TfLiteStatus TfLiteInterpreterInvoke(
    TfLiteInterpreter* interpreter);

TFL_CAPI_EXPORT extern int32_t TfLiteInterpreterGetOutputTensorCount(
    const TfLiteInterpreter* interpreter);

// Owned by the interpreter; its data pointer changes with each invoke.
TFL_CAPI_EXPORT extern const TfLiteTensor* TfLiteInterpreterGetOutputTensor(
    const TfLiteInterpreter* interpreter, int32_t output_index);

// --- Tensors -------------------------------------------------------------

TFL_CAPI_EXPORT extern TfLiteType TfLiteTensorType(const TfLiteTensor* tensor);

TFL_CAPI_EXPORT extern int32_t TfLiteTensorNumDims(const TfLiteTensor* tensor);

TFL_CAPI_EXPORT extern int32_t TfLiteTensorDim(const TfLiteTensor* tensor,
                                               int32_t dim_index);

TFL_CAPI_EXPORT extern size_t TfLiteTensorByteSize(const TfLiteTensor* tensor);

// The data in the tensor's HAL buffer; NULL before AllocateTensors.
TFL_CAPI_EXPORT extern void* TfLiteTensorData(const TfLiteTensor* tensor);

TFL_CAPI_EXPORT extern const char* TfLiteTensorName(const TfLiteTensor* tensor);

TFL_CAPI_EXPORT extern TfLiteQuantizationParams TfLiteTensorQuantizationParams(
    const TfLiteTensor* tensor);

// |input_data_size| must be the tensor's byte size.
TFL_CAPI_EXPORT extern TfLiteStatus TfLiteTensorCopyFromBuffer(
    TfLiteTensor* tensor, const void* input_data, size_t input_data_size);

// |output_data_size| must be the tensor's byte size.
TFL_CAPI_EXPORT extern TfLiteStatus TfLiteTensorCopyToBuffer(
    const TfLiteTensor* output_tensor, void* output_data,
    size_t output_data_size);

#if defined(IREE_TFLITE_DECLARE_UNIMPLEMENTED)
// Not in this library (see c_api_types.h).
TFL_CAPI_EXPORT extern void TfLiteInterpreterOptionsEnableCancellation(
    TfLiteInterpreterOptions* options, bool enable);
TFL_CAPI_EXPORT extern TfLiteStatus TfLiteInterpreterCancel(
    const TfLiteInterpreter* interpreter);
TFL_CAPI_EXPORT extern int32_t TfLiteInterpreterGetSignatureCount(
    const TfLiteInterpreter* interpreter);
#endif  // IREE_TFLITE_DECLARE_UNIMPLEMENTED

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // TENSORFLOW_LITE_C_C_API_H_
