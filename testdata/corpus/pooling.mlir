// Max and sum pooling (NHWC, 3x3 window, stride 2) over the same input.
func.func @pool(%input: tensor<2x9x9x3xf32>) -> (tensor<2x4x4x3xf32>, tensor<2x4x4x3xf32>) {
  %ninf = arith.constant 0xFF800000 : f32
  %zero = arith.constant 0.0 : f32
  %window = tensor.empty() : tensor<3x3xf32>
  %e = tensor.empty() : tensor<2x4x4x3xf32>
  %minit = linalg.fill ins(%ninf : f32) outs(%e : tensor<2x4x4x3xf32>) -> tensor<2x4x4x3xf32>
  %max = linalg.pooling_nhwc_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%input, %window : tensor<2x9x9x3xf32>, tensor<3x3xf32>) outs(%minit : tensor<2x4x4x3xf32>) -> tensor<2x4x4x3xf32>
  %sinit = linalg.fill ins(%zero : f32) outs(%e : tensor<2x4x4x3xf32>) -> tensor<2x4x4x3xf32>
  %sum = linalg.pooling_nhwc_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%input, %window : tensor<2x9x9x3xf32>, tensor<3x3xf32>) outs(%sinit : tensor<2x4x4x3xf32>) -> tensor<2x4x4x3xf32>
  return %max, %sum : tensor<2x4x4x3xf32>, tensor<2x4x4x3xf32>
}
