// compile-flags: --iree-hal-target-backends=vmvx-inline --iree-execution-model=inline-static
// Compiled with --iree-execution-model=inline-static: the kernels become
// functions of the VM module itself (vmvx-inline), and buffers come from
// the hal_inline module; nothing is loaded as an executable.
func.func @scaled_sum(%a: tensor<16xf32>, %b: tensor<16xf32>) -> (tensor<16xf32>, tensor<f32>) {
  %prod = arith.mulf %a, %b : tensor<16xf32>
  %init = arith.constant dense<0.0> : tensor<f32>
  %sum = linalg.reduce ins(%prod : tensor<16xf32>) outs(%init : tensor<f32>) dimensions = [0]
    (%x: f32, %acc: f32) {
      %s = arith.addf %x, %acc : f32
      linalg.yield %s : f32
    }
  return %prod, %sum : tensor<16xf32>, tensor<f32>
}
