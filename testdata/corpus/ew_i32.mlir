// Integer elementwise on i32: wrapping add/mul, signed/unsigned shifts,
// signed min/max, a select, and signed division by a divisor kept nonzero.
func.func @ops(%a: tensor<4x7xi32>, %b: tensor<4x7xi32>) -> (tensor<4x7xi32>, tensor<4x7xi32>, tensor<4x7xi32>, tensor<4x7xi32>) {
  %sum = arith.addi %a, %b : tensor<4x7xi32>
  %prod = arith.muli %a, %b : tensor<4x7xi32>
  %one = arith.constant dense<1> : tensor<4x7xi32>
  %three = arith.constant dense<3> : tensor<4x7xi32>
  %sh = arith.shrsi %prod, %one : tensor<4x7xi32>
  %shu = arith.shrui %a, %three : tensor<4x7xi32>
  %mx = arith.maxsi %sh, %shu : tensor<4x7xi32>
  %mn = arith.minsi %a, %b : tensor<4x7xi32>
  %bor = arith.ori %b, %one : tensor<4x7xi32>
  %q = arith.divsi %a, %bor : tensor<4x7xi32>
  %r = arith.remsi %a, %bor : tensor<4x7xi32>
  %c = arith.cmpi sgt, %mx, %mn : tensor<4x7xi32>
  %sel = arith.select %c, %q, %r : tensor<4x7xi1>, tensor<4x7xi32>
  %x = arith.xori %sum, %mn : tensor<4x7xi32>
  return %sum, %prod, %sel, %x : tensor<4x7xi32>, tensor<4x7xi32>, tensor<4x7xi32>, tensor<4x7xi32>
}
