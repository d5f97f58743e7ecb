// TensorFlow Lite's common.h, the part an application of the C API uses:
// the array types and quantization structs with TFLite's layouts, their
// helpers (inline here), and TfLiteTypeGetName. The kernel-side structs
// (the full TfLiteTensor, TfLiteContext, TfLiteNode, TfLiteRegistration)
// are not declared: this library runs compiled modules, not TFLite
// kernels (see IREE_TFLITE_DECLARE_UNIMPLEMENTED in c_api_types.h).
#ifndef TENSORFLOW_LITE_C_COMMON_H_
#define TENSORFLOW_LITE_C_COMMON_H_

#include <stdlib.h>
#include <string.h>

#include "tensorflow/lite/c/c_api_types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct TfLiteIntArray {
  int size;
  int data[];
} TfLiteIntArray;

typedef struct TfLiteFloatArray {
  int size;
  float data[];
} TfLiteFloatArray;

typedef enum TfLiteQuantizationType {
  kTfLiteNoQuantization = 0,
  kTfLiteAffineQuantization = 1,
} TfLiteQuantizationType;

typedef struct TfLiteQuantization {
  TfLiteQuantizationType type;
  void* params;
} TfLiteQuantization;

typedef struct TfLiteAffineQuantization {
  TfLiteFloatArray* scale;
  TfLiteIntArray* zero_point;
  int32_t quantized_dimension;
} TfLiteAffineQuantization;

static inline size_t TfLiteIntArrayGetSizeInBytes(int size) {
  return sizeof(TfLiteIntArray) + sizeof(int) * (size_t)(size > 0 ? size : 0);
}

static inline TfLiteIntArray* TfLiteIntArrayCreate(int size) {
  TfLiteIntArray* array =
      (TfLiteIntArray*)malloc(TfLiteIntArrayGetSizeInBytes(size));
  if (array) array->size = size;
  return array;
}

static inline int TfLiteIntArrayEqualsArray(const TfLiteIntArray* a,
                                            int b_size, const int b_data[]) {
  if (a == NULL) return b_size == 0;
  if (a->size != b_size) return 0;
  for (int i = 0; i < a->size; ++i) {
    if (a->data[i] != b_data[i]) return 0;
  }
  return 1;
}

static inline int TfLiteIntArrayEqual(const TfLiteIntArray* a,
                                      const TfLiteIntArray* b) {
  if (a == b) return 1;
  if (a == NULL || b == NULL) return 0;
  return TfLiteIntArrayEqualsArray(a, b->size, b->data);
}

static inline TfLiteIntArray* TfLiteIntArrayCopy(const TfLiteIntArray* src) {
  if (!src) return NULL;
  TfLiteIntArray* copy = TfLiteIntArrayCreate(src->size);
  if (copy) memcpy(copy->data, src->data, sizeof(int) * (size_t)src->size);
  return copy;
}

static inline void TfLiteIntArrayFree(TfLiteIntArray* a) { free(a); }

static inline TfLiteFloatArray* TfLiteFloatArrayCreate(int size) {
  TfLiteFloatArray* array = (TfLiteFloatArray*)malloc(
      sizeof(TfLiteFloatArray) + sizeof(float) * (size_t)(size > 0 ? size : 0));
  if (array) array->size = size;
  return array;
}

static inline void TfLiteFloatArrayFree(TfLiteFloatArray* a) { free(a); }

// TFLite's name of |type|: "FLOAT32", "INT8", ... ("Unknown type" for
// other values). A static string.
TFL_CAPI_EXPORT extern const char* TfLiteTypeGetName(TfLiteType type);

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // TENSORFLOW_LITE_C_COMMON_H_
