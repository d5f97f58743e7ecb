// Functions that hand their tensors back unchanged or reinterpret their
// shape: no dispatch, only buffer views, asserts and fences.
func.func @identity(%arg0: tensor<4xf32>) -> tensor<4xf32> {
  return %arg0 : tensor<4xf32>
}
func.func @swap(%a: tensor<2xf32>, %b: tensor<3xi8>) -> (tensor<3xi8>, tensor<2xf32>) {
  return %b, %a : tensor<3xi8>, tensor<2xf32>
}
func.func @scalar(%arg0: tensor<i64>) -> tensor<i64> {
  return %arg0 : tensor<i64>
}
func.func @expand(%arg0: tensor<6xi32>) -> tensor<2x3xi32> {
  %0 = tensor.expand_shape %arg0 [[0, 1]] output_shape [2, 3] : tensor<6xi32> into tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}
func.func @collapse(%arg0: tensor<2x2x3xf16>) -> tensor<12xf16> {
  %0 = tensor.collapse_shape %arg0 [[0, 1, 2]] : tensor<2x2x3xf16> into tensor<12xf16>
  return %0 : tensor<12xf16>
}
func.func @dynamic(%arg0: tensor<?x3xi16>) -> tensor<?x3xi16> {
  return %arg0 : tensor<?x3xi16>
}
func.func @dynamic_collapse(%arg0: tensor<?x4xf32>) -> tensor<?xf32> {
  %0 = tensor.collapse_shape %arg0 [[0, 1]] : tensor<?x4xf32> into tensor<?xf32>
  return %0 : tensor<?xf32>
}
