// compile-flags: --iree-execution-model=inline-dynamic
// Compiled with --iree-execution-model=inline-dynamic: the program uses
// the hal_inline and hal_loader modules instead of the full hal module.
func.func @mul_add(%a: tensor<8xf32>, %b: tensor<8xf32>) -> tensor<8xf32> {
  %0 = arith.mulf %a, %b : tensor<8xf32>
  %1 = arith.addf %0, %b : tensor<8xf32>
  return %1 : tensor<8xf32>
}
