// Batched matmul with an accumulator passed in.
func.func @batch_matmul(%a: tensor<3x4x6xf32>, %b: tensor<3x6x5xf32>, %c: tensor<3x4x5xf32>) -> tensor<3x4x5xf32> {
  %0 = linalg.batch_matmul ins(%a, %b : tensor<3x4x6xf32>, tensor<3x6x5xf32>) outs(%c : tensor<3x4x5xf32>) -> tensor<3x4x5xf32>
  return %0 : tensor<3x4x5xf32>
}
