// Boolean tensors: logic ops on i1 and an i1 produced by a comparison.
func.func @logic(%a: tensor<16xi1>, %b: tensor<16xi1>) -> (tensor<16xi1>, tensor<16xi1>, tensor<16xi1>) {
  %x = arith.xori %a, %b : tensor<16xi1>
  %y = arith.andi %a, %b : tensor<16xi1>
  %z = arith.ori %x, %y : tensor<16xi1>
  return %x, %y, %z : tensor<16xi1>, tensor<16xi1>, tensor<16xi1>
}
func.func @less(%a: tensor<3x5xi32>, %b: tensor<3x5xi32>) -> tensor<3x5xi1> {
  %0 = arith.cmpi slt, %a, %b : tensor<3x5xi32>
  return %0 : tensor<3x5xi1>
}
