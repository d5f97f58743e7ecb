// The smallest HAL program: one 4-element dispatch. Its time is almost all
// per-call overhead (VM call, buffer views, command buffer, queue submit).
func.func @add4(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  %0 = arith.addf %a, %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}
