// compile-flags: --iree-input-demote-f64-to-f32=false
// Float elementwise on f64: arithmetic, transcendental functions and a
// comparison-driven select.
func.func @ops(%a: tensor<3x8xf64>, %b: tensor<3x8xf64>) -> (tensor<3x8xf64>, tensor<3x8xf64>, tensor<3x8xf64>) {
  %sum = arith.addf %a, %b : tensor<3x8xf64>
  %prod = arith.mulf %a, %b : tensor<3x8xf64>
  %q = arith.divf %sum, %prod : tensor<3x8xf64>
  %e = math.exp %a : tensor<3x8xf64>
  %t = arith.negf %b : tensor<3x8xf64>
  %abs = math.absf %b : tensor<3x8xf64>
  %s = math.sqrt %abs : tensor<3x8xf64>
  %c = arith.cmpf olt, %a, %b : tensor<3x8xf64>
  %sel = arith.select %c, %e, %t : tensor<3x8xi1>, tensor<3x8xf64>
  %out = arith.subf %sel, %s : tensor<3x8xf64>
  %m = arith.maximumf %q, %out : tensor<3x8xf64>
  return %sum, %out, %m : tensor<3x8xf64>, tensor<3x8xf64>, tensor<3x8xf64>
}
