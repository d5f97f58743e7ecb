// Stand-in for the seeds' runtime/testdata/simple_mul.mlir while the CPU
// executables are not on main: the same signature and full name
// (`module.simple_mul`), so the demo flows run unchanged, but it needs no
// dispatch. It returns the first two elements of %lhs followed by the last
// two of %rhs (buffer copies on the device queue). The device target names
// no executable format, so `__init` only asks the device for `local*`.
module attributes {stream.affinity.default = #hal.device.affinity<@device>} {
  util.global private @device = #hal.device.target<"local"> : !hal.device
  func.func @simple_mul(%lhs: tensor<4xf32>, %rhs: tensor<4xf32>) -> tensor<4xf32> {
    %head = tensor.extract_slice %lhs[0] [2] [1] : tensor<4xf32> to tensor<2xf32>
    %tail = tensor.extract_slice %rhs[2] [2] [1] : tensor<4xf32> to tensor<2xf32>
    %0 = tensor.concat dim(0) %head, %tail : (tensor<2xf32>, tensor<2xf32>) -> tensor<4xf32>
    return %0 : tensor<4xf32>
  }
}
