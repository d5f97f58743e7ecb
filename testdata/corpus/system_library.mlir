// compile-flags: --iree-llvmcpu-link-embedded=false
// Compiled with --iree-llvmcpu-link-embedded=false: the executables are
// host shared libraries loaded by the system-library loader.
func.func @matmul_relu(%a: tensor<6x10xf32>, %b: tensor<10x7xf32>) -> tensor<6x7xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<6x7xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<6x7xf32>) -> tensor<6x7xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<6x10xf32>, tensor<10x7xf32>) outs(%init : tensor<6x7xf32>) -> tensor<6x7xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%0 : tensor<6x7xf32>) outs(%e : tensor<6x7xf32>) {
  ^bb0(%v: f32, %o: f32):
    %m = arith.maximumf %v, %zero : f32
    linalg.yield %m : f32
  } -> tensor<6x7xf32>
  return %1 : tensor<6x7xf32>
}
func.func @add_i64(%a: tensor<9xi64>, %b: tensor<9xi64>) -> tensor<9xi64> {
  %0 = arith.addi %a, %b : tensor<9xi64>
  return %0 : tensor<9xi64>
}
