// The runtime demo's program: an elementwise multiply of two 4xf32 tensors,
// one llvm-cpu dispatch (embedded ELF for x86-64-v3) on the `local` device.
// Its full name for callers is `module.simple_mul`.
func.func @simple_mul(%lhs: tensor<4xf32>, %rhs: tensor<4xf32>) -> tensor<4xf32> {
  %0 = arith.mulf %lhs, %rhs : tensor<4xf32>
  return %0 : tensor<4xf32>
}
