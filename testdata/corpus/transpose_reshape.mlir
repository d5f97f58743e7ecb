// Transpose, then collapse and expand the result into a new shape.
func.func @transpose(%a: tensor<2x3x5xi32>) -> tensor<5x2x3xi32> {
  %e = tensor.empty() : tensor<5x2x3xi32>
  %0 = linalg.transpose ins(%a : tensor<2x3x5xi32>) outs(%e : tensor<5x2x3xi32>) permutation = [2, 0, 1]
  return %0 : tensor<5x2x3xi32>
}
func.func @reshape(%a: tensor<4x6xf32>) -> tensor<3x8xf32> {
  %e = tensor.empty() : tensor<6x4xf32>
  %t = linalg.transpose ins(%a : tensor<4x6xf32>) outs(%e : tensor<6x4xf32>) permutation = [1, 0]
  %flat = tensor.collapse_shape %t [[0, 1]] : tensor<6x4xf32> into tensor<24xf32>
  %r = tensor.expand_shape %flat [[0, 1]] output_shape [3, 8] : tensor<24xf32> into tensor<3x8xf32>
  return %r : tensor<3x8xf32>
}
