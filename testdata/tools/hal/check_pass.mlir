// Self-checking tests that all pass.
func.func @add_matches() {
  %a = util.unfoldable_constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %b = arith.addf %a, %a : tensor<3xf32>
  check.expect_almost_eq_const(%b, dense<[2.0, 4.0, 6.0]> : tensor<3xf32>) : tensor<3xf32>
  return
}
func.func @mul_matches() {
  %a = util.unfoldable_constant dense<[1, 2, 3, 4]> : tensor<4xi32>
  %b = arith.muli %a, %a : tensor<4xi32>
  check.expect_eq_const(%b, dense<[1, 4, 9, 16]> : tensor<4xi32>) : tensor<4xi32>
  return
}
