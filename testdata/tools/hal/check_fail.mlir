// Self-checking tests, one of which fails.
func.func @passes() {
  %a = util.unfoldable_constant dense<[1, 2, 3, 4]> : tensor<4xi32>
  %b = arith.addi %a, %a : tensor<4xi32>
  check.expect_eq_const(%b, dense<[2, 4, 6, 8]> : tensor<4xi32>) : tensor<4xi32>
  return
}
func.func @fails() {
  %a = util.unfoldable_constant dense<[1, 2, 3, 4]> : tensor<4xi32>
  %b = arith.muli %a, %a : tensor<4xi32>
  check.expect_eq_const(%b, dense<[1, 4, 9, 15]> : tensor<4xi32>) : tensor<4xi32>
  return
}
