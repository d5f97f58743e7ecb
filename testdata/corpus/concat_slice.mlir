// Concatenation along an axis and a strided slice.
func.func @concat(%a: tensor<2x3xf16>, %b: tensor<4x3xf16>) -> tensor<6x3xf16> {
  %0 = tensor.concat dim(0) %a, %b : (tensor<2x3xf16>, tensor<4x3xf16>) -> tensor<6x3xf16>
  return %0 : tensor<6x3xf16>
}
func.func @slice(%a: tensor<9x8xi16>) -> tensor<3x3xi16> {
  %0 = tensor.extract_slice %a[1, 2] [3, 3] [3, 2] : tensor<9x8xi16> to tensor<3x3xi16>
  return %0 : tensor<3x3xi16>
}
