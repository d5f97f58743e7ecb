// Integer elementwise on i64: wrapping add/mul, signed/unsigned shifts,
// signed min/max, a select, and signed division by a divisor kept nonzero.
func.func @ops(%a: tensor<4x7xi64>, %b: tensor<4x7xi64>) -> (tensor<4x7xi64>, tensor<4x7xi64>, tensor<4x7xi64>, tensor<4x7xi64>) {
  %sum = arith.addi %a, %b : tensor<4x7xi64>
  %prod = arith.muli %a, %b : tensor<4x7xi64>
  %one = arith.constant dense<1> : tensor<4x7xi64>
  %three = arith.constant dense<3> : tensor<4x7xi64>
  %sh = arith.shrsi %prod, %one : tensor<4x7xi64>
  %shu = arith.shrui %a, %three : tensor<4x7xi64>
  %mx = arith.maxsi %sh, %shu : tensor<4x7xi64>
  %mn = arith.minsi %a, %b : tensor<4x7xi64>
  %bor = arith.ori %b, %one : tensor<4x7xi64>
  %q = arith.divsi %a, %bor : tensor<4x7xi64>
  %r = arith.remsi %a, %bor : tensor<4x7xi64>
  %c = arith.cmpi sgt, %mx, %mn : tensor<4x7xi64>
  %sel = arith.select %c, %q, %r : tensor<4x7xi1>, tensor<4x7xi64>
  %x = arith.xori %sum, %mn : tensor<4x7xi64>
  return %sum, %prod, %sel, %x : tensor<4x7xi64>, tensor<4x7xi64>, tensor<4x7xi64>, tensor<4x7xi64>
}
