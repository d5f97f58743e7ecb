// Float elementwise on f32: arithmetic, transcendental functions and a
// comparison-driven select.
func.func @ops(%a: tensor<3x8xf32>, %b: tensor<3x8xf32>) -> (tensor<3x8xf32>, tensor<3x8xf32>, tensor<3x8xf32>) {
  %sum = arith.addf %a, %b : tensor<3x8xf32>
  %prod = arith.mulf %a, %b : tensor<3x8xf32>
  %q = arith.divf %sum, %prod : tensor<3x8xf32>
  %e = math.exp %a : tensor<3x8xf32>
  %t = math.tanh %b : tensor<3x8xf32>
  %abs = math.absf %b : tensor<3x8xf32>
  %s = math.sqrt %abs : tensor<3x8xf32>
  %c = arith.cmpf olt, %a, %b : tensor<3x8xf32>
  %sel = arith.select %c, %e, %t : tensor<3x8xi1>, tensor<3x8xf32>
  %out = arith.subf %sel, %s : tensor<3x8xf32>
  %m = arith.maximumf %q, %out : tensor<3x8xf32>
  return %sum, %out, %m : tensor<3x8xf32>, tensor<3x8xf32>, tensor<3x8xf32>
}
