// TensorFlow Lite's c_api_experimental.h, the part this library
// implements: variable reset, NNAPI (accepted, ignored) and interpreters
// "with selected ops" (the same as TfLiteInterpreterCreate: a compiled
// module needs no op resolver). Op registration (AddBuiltinOp,
// AddCustomOp, SetOpResolver) is not available.
#ifndef TENSORFLOW_LITE_C_C_API_EXPERIMENTAL_H_
#define TENSORFLOW_LITE_C_C_API_EXPERIMENTAL_H_

#include "tensorflow/lite/c/c_api.h"
#include "tensorflow/lite/c/common.h"

#ifdef __cplusplus
extern "C" {
#endif

// The model's variables (state kept across invokes) start over; input
// shapes and data are kept.
TFL_CAPI_EXPORT extern TfLiteStatus TfLiteInterpreterResetVariableTensors(
    TfLiteInterpreter* interpreter);

// Accepted and ignored.
TFL_CAPI_EXPORT extern void TfLiteInterpreterOptionsSetUseNNAPI(
    TfLiteInterpreterOptions* options, bool enable);

TFL_CAPI_EXPORT extern TfLiteInterpreter* TfLiteInterpreterCreateWithSelectedOps(
    const TfLiteModel* model, const TfLiteInterpreterOptions* options);

#if defined(IREE_TFLITE_DECLARE_UNIMPLEMENTED)
// Not in this library (see c_api_types.h).
TFL_CAPI_EXPORT extern void TfLiteInterpreterOptionsSetEnableDelegateFallback(
    TfLiteInterpreterOptions* options, bool enable);
TFL_CAPI_EXPORT extern void TfLiteSetAllowBufferHandleOutput(
    const TfLiteInterpreter* interpreter, bool allow_buffer_handle_output);
#endif  // IREE_TFLITE_DECLARE_UNIMPLEMENTED

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // TENSORFLOW_LITE_C_C_API_EXPERIMENTAL_H_
