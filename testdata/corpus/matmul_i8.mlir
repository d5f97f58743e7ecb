// An i8 x i8 -> i32 matmul (sign-extending inputs).
func.func @matmul(%a: tensor<6x16xi8>, %b: tensor<16x9xi8>) -> tensor<6x9xi32> {
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<6x9xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<6x9xi32>) -> tensor<6x9xi32>
  %0 = linalg.matmul ins(%a, %b : tensor<6x16xi8>, tensor<16x9xi8>) outs(%init : tensor<6x9xi32>) -> tensor<6x9xi32>
  return %0 : tensor<6x9xi32>
}
