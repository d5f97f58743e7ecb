// Float elementwise on f16: arithmetic, transcendental functions and a
// comparison-driven select.
func.func @ops(%a: tensor<3x8xf16>, %b: tensor<3x8xf16>) -> (tensor<3x8xf16>, tensor<3x8xf16>, tensor<3x8xf16>) {
  %sum = arith.addf %a, %b : tensor<3x8xf16>
  %prod = arith.mulf %a, %b : tensor<3x8xf16>
  %q = arith.divf %sum, %prod : tensor<3x8xf16>
  %e = math.exp %a : tensor<3x8xf16>
  %t = math.tanh %b : tensor<3x8xf16>
  %abs = math.absf %b : tensor<3x8xf16>
  %s = math.sqrt %abs : tensor<3x8xf16>
  %c = arith.cmpf olt, %a, %b : tensor<3x8xf16>
  %sel = arith.select %c, %e, %t : tensor<3x8xi1>, tensor<3x8xf16>
  %out = arith.subf %sel, %s : tensor<3x8xf16>
  %m = arith.maximumf %q, %out : tensor<3x8xf16>
  return %sum, %out, %m : tensor<3x8xf16>, tensor<3x8xf16>, tensor<3x8xf16>
}
