// Self-checking functions: `pass_*` hold every expectation, `fail_*`
// break one each (tests/modules_check.rs).
func.func @pass_true() {
  %true = util.unfoldable_constant 1 : i32
  check.expect_true(%true) : i32
  return
}
func.func @pass_false() {
  %false = util.unfoldable_constant 0 : i32
  check.expect_false(%false) : i32
  return
}
func.func @pass_all_true() {
  %all_true = util.unfoldable_constant dense<[1, -1, 7, 2]> : tensor<4xi32>
  check.expect_all_true(%all_true) : tensor<4xi32>
  return
}
func.func @pass_eq() {
  %a = util.unfoldable_constant dense<[1, 2, 3, 4, 5]> : tensor<5xi32>
  %b = util.unfoldable_constant dense<[1, 2, 3, 4, 5]> : tensor<5xi32>
  check.expect_eq(%a, %b) : tensor<5xi32>
  return
}
func.func @pass_almost_eq() {
  %a = util.unfoldable_constant dense<[1.0, 2.0, 3.0, 4.0, 5.0]> : tensor<5xf32>
  %b = util.unfoldable_constant dense<[0.999999, 2.0, 3.0, 4.0, 5.0]> : tensor<5xf32>
  check.expect_almost_eq(%a, %b) : tensor<5xf32>
  return
}
func.func @pass_almost_eq_f16_tolerances() {
  %a = util.unfoldable_constant dense<[0.0, 100.0]> : tensor<2xf16>
  check.expect_almost_eq_const(%a, dense<[0.009, 99.0]> : tensor<2xf16>, atol 1.5e-2, rtol 1.5e-2) : tensor<2xf16>
  return
}
func.func @fail_true() {
  %false = util.unfoldable_constant 0 : i32
  check.expect_true(%false) : i32
  return
}
func.func @fail_all_true() {
  %some_false = util.unfoldable_constant dense<[1, 0, 3]> : tensor<3xi32>
  check.expect_all_true(%some_false) : tensor<3xi32>
  return
}
func.func @fail_eq() {
  %a = util.unfoldable_constant dense<[1, 2, 3, 4, 5]> : tensor<5xi32>
  %b = util.unfoldable_constant dense<[1, 2, 3, 4, 6]> : tensor<5xi32>
  check.expect_eq(%a, %b) : tensor<5xi32>
  return
}
func.func @fail_almost_eq() {
  %a = util.unfoldable_constant dense<[1.0, 2.0]> : tensor<2xf32>
  %b = util.unfoldable_constant dense<[1.0, 2.5]> : tensor<2xf32>
  check.expect_almost_eq(%a, %b) : tensor<2xf32>
  return
}
func.func @fail_almost_eq_f16_tolerances() {
  %a = util.unfoldable_constant dense<[0.0, 100.0]> : tensor<2xf16>
  check.expect_almost_eq_const(%a, dense<[0.009, 97.0]> : tensor<2xf16>, atol 1.5e-2, rtol 1.5e-2) : tensor<2xf16>
  return
}
