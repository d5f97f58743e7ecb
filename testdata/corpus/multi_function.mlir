// compile-flags: --iree-input-demote-f64-to-f32=false
// Several exported functions in one module, one calling another.
func.func @add(%a: tensor<8xi32>, %b: tensor<8xi32>) -> tensor<8xi32> {
  %0 = arith.addi %a, %b : tensor<8xi32>
  return %0 : tensor<8xi32>
}
func.func @square(%a: tensor<8xf32>) -> tensor<8xf32> {
  %0 = arith.mulf %a, %a : tensor<8xf32>
  return %0 : tensor<8xf32>
}
func.func @add_twice(%a: tensor<8xi32>, %b: tensor<8xi32>) -> (tensor<8xi32>, tensor<8xi32>) {
  %0 = call @add(%a, %b) : (tensor<8xi32>, tensor<8xi32>) -> tensor<8xi32>
  %1 = call @add(%0, %b) : (tensor<8xi32>, tensor<8xi32>) -> tensor<8xi32>
  return %0, %1 : tensor<8xi32>, tensor<8xi32>
}
func.func @neg(%a: tensor<2x2xf64>) -> tensor<2x2xf64> {
  %0 = arith.negf %a : tensor<2x2xf64>
  return %0 : tensor<2x2xf64>
}
