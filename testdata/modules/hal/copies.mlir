// Slices and concatenation that lower to buffer copies, not dispatches.
func.func @slice_rows(%arg0: tensor<4x3xi32>) -> tensor<2x3xi32> {
  %0 = tensor.extract_slice %arg0[1, 0] [2, 3] [1, 1] : tensor<4x3xi32> to tensor<2x3xi32>
  return %0 : tensor<2x3xi32>
}
func.func @concat(%a: tensor<2xf32>, %b: tensor<3xf32>) -> tensor<5xf32> {
  %0 = tensor.concat dim(0) %a, %b : (tensor<2xf32>, tensor<3xf32>) -> tensor<5xf32>
  return %0 : tensor<5xf32>
}
func.func @update_rows(%dst: tensor<4x2xi8>, %src: tensor<1x2xi8>) -> tensor<4x2xi8> {
  %0 = tensor.insert_slice %src into %dst[2, 0] [1, 2] [1, 1] : tensor<1x2xi8> into tensor<4x2xi8>
  return %0 : tensor<4x2xi8>
}
