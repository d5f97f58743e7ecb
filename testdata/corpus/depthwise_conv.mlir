// Depthwise NHWC conv (one filter per channel) with padding and stride 2.
func.func @depthwise(%input: tensor<1x8x8x6xf32>, %filter: tensor<3x3x6xf32>) -> tensor<1x4x4x6xf32> {
  %zero = arith.constant 0.0 : f32
  %padded = tensor.pad %input low[0, 1, 1, 0] high[0, 0, 0, 0] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x8x8x6xf32> to tensor<1x9x9x6xf32>
  %e = tensor.empty() : tensor<1x4x4x6xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x4x6xf32>) -> tensor<1x4x4x6xf32>
  %0 = linalg.depthwise_conv_2d_nhwc_hwc {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
    ins(%padded, %filter : tensor<1x9x9x6xf32>, tensor<3x3x6xf32>) outs(%init : tensor<1x4x4x6xf32>) -> tensor<1x4x4x6xf32>
  return %0 : tensor<1x4x4x6xf32>
}
