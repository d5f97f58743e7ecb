// compile-flags: --iree-input-demote-f64-to-f32=false
// Conversions between element types: widen, narrow, int<->float.
func.func @convert(%a: tensor<10xf32>, %b: tensor<10xi32>) -> (tensor<10xi8>, tensor<10xf16>, tensor<10xf64>, tensor<10xi64>, tensor<10xf32>, tensor<10xi16>) {
  %0 = arith.fptosi %a : tensor<10xf32> to tensor<10xi8>
  %1 = arith.truncf %a : tensor<10xf32> to tensor<10xf16>
  %2 = arith.extf %a : tensor<10xf32> to tensor<10xf64>
  %3 = arith.extsi %b : tensor<10xi32> to tensor<10xi64>
  %4 = arith.sitofp %b : tensor<10xi32> to tensor<10xf32>
  %5 = arith.trunci %b : tensor<10xi32> to tensor<10xi16>
  return %0, %1, %2, %3, %4, %5 : tensor<10xi8>, tensor<10xf16>, tensor<10xf64>, tensor<10xi64>, tensor<10xf32>, tensor<10xi16>
}
