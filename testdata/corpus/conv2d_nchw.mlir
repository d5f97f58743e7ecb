// NCHW conv, batch 2, stride 1, no padding, plus a bias add.
func.func @conv(%input: tensor<2x3x6x6xf32>, %filter: tensor<5x3x3x3xf32>, %bias: tensor<5xf32>) -> tensor<2x5x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x5x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x5x4x4xf32>) -> tensor<2x5x4x4xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
    ins(%input, %filter : tensor<2x3x6x6xf32>, tensor<5x3x3x3xf32>) outs(%init : tensor<2x5x4x4xf32>) -> tensor<2x5x4x4xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (c)>, affine_map<(n, c, h, w) -> (n, c, h, w)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      ins(%0, %bias : tensor<2x5x4x4xf32>, tensor<5xf32>) outs(%e : tensor<2x5x4x4xf32>) {
  ^bb0(%x: f32, %b: f32, %o: f32):
    %s = arith.addf %x, %b : f32
    linalg.yield %s : f32
  } -> tensor<2x5x4x4xf32>
  return %1 : tensor<2x5x4x4xf32>
}
