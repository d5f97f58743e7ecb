// Integer max pooling with dilation 2 on i8.
func.func @pool(%input: tensor<1x10x10x2xi8>) -> tensor<1x3x3x2xi8> {
  %min = arith.constant -128 : i8
  %window = tensor.empty() : tensor<2x2xi8>
  %e = tensor.empty() : tensor<1x3x3x2xi8>
  %init = linalg.fill ins(%min : i8) outs(%e : tensor<1x3x3x2xi8>) -> tensor<1x3x3x2xi8>
  %max = linalg.pooling_nhwc_max {dilations = dense<2> : tensor<2xi64>, strides = dense<3> : tensor<2xi64>}
    ins(%input, %window : tensor<1x10x10x2xi8>, tensor<2x2xi8>) outs(%init : tensor<1x3x3x2xi8>) -> tensor<1x3x3x2xi8>
  return %max : tensor<1x3x3x2xi8>
}
