// A tensor global updated through a dispatch on every call: the state is
// multiplied by the input (a running matrix product).
util.global private mutable @state = dense<[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]> : tensor<3x3xf32>
func.func @step(%m: tensor<3x3xf32>) -> tensor<3x3xf32> {
  %s = util.global.load @state : tensor<3x3xf32>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<3x3xf32>) -> tensor<3x3xf32>
  %p = linalg.matmul ins(%s, %m : tensor<3x3xf32>, tensor<3x3xf32>) outs(%init : tensor<3x3xf32>) -> tensor<3x3xf32>
  util.global.store %p, @state : tensor<3x3xf32>
  return %p : tensor<3x3xf32>
}
func.func @peek() -> tensor<3x3xf32> {
  %s = util.global.load @state : tensor<3x3xf32>
  return %s : tensor<3x3xf32>
}
