// Integer elementwise on i16: wrapping add/mul, signed/unsigned shifts,
// signed min/max, a select, and signed division by a divisor kept nonzero.
func.func @ops(%a: tensor<4x7xi16>, %b: tensor<4x7xi16>) -> (tensor<4x7xi16>, tensor<4x7xi16>, tensor<4x7xi16>, tensor<4x7xi16>) {
  %sum = arith.addi %a, %b : tensor<4x7xi16>
  %prod = arith.muli %a, %b : tensor<4x7xi16>
  %one = arith.constant dense<1> : tensor<4x7xi16>
  %three = arith.constant dense<3> : tensor<4x7xi16>
  %sh = arith.shrsi %prod, %one : tensor<4x7xi16>
  %shu = arith.shrui %a, %three : tensor<4x7xi16>
  %mx = arith.maxsi %sh, %shu : tensor<4x7xi16>
  %mn = arith.minsi %a, %b : tensor<4x7xi16>
  %bor = arith.ori %b, %one : tensor<4x7xi16>
  %q = arith.divsi %a, %bor : tensor<4x7xi16>
  %r = arith.remsi %a, %bor : tensor<4x7xi16>
  %c = arith.cmpi sgt, %mx, %mn : tensor<4x7xi16>
  %sel = arith.select %c, %q, %r : tensor<4x7xi1>, tensor<4x7xi16>
  %x = arith.xori %sum, %mn : tensor<4x7xi16>
  return %sum, %prod, %sel, %x : tensor<4x7xi16>, tensor<4x7xi16>, tensor<4x7xi16>, tensor<4x7xi16>
}
