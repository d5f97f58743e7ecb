// An integer 1-D convolution (NWC/WCF) with stride 2 and dilation 3.
func.func @conv(%input: tensor<2x20x3xi32>, %filter: tensor<3x3x2xi32>) -> tensor<2x7x2xi32> {
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<2x7x2xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<2x7x2xi32>) -> tensor<2x7x2xi32>
  %0 = linalg.conv_1d_nwc_wcf {dilations = dense<3> : tensor<1xi64>, strides = dense<2> : tensor<1xi64>}
    ins(%input, %filter : tensor<2x20x3xi32>, tensor<3x3x2xi32>) outs(%init : tensor<2x7x2xi32>) -> tensor<2x7x2xi32>
  return %0 : tensor<2x7x2xi32>
}
