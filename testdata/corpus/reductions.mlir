// Reductions: sum over the inner axis, max over the outer axis and an
// integer sum over everything.
func.func @reduce(%a: tensor<6x10xf32>, %b: tensor<5x12xi32>) -> (tensor<6xf32>, tensor<10xf32>, tensor<i32>) {
  %zero = arith.constant 0.0 : f32
  %ninf = arith.constant 0xFF800000 : f32
  %izero = arith.constant 0 : i32
  %e6 = tensor.empty() : tensor<6xf32>
  %s0 = linalg.fill ins(%zero : f32) outs(%e6 : tensor<6xf32>) -> tensor<6xf32>
  %sum = linalg.reduce ins(%a : tensor<6x10xf32>) outs(%s0 : tensor<6xf32>) dimensions = [1]
    (%x: f32, %acc: f32) {
      %r = arith.addf %x, %acc : f32
      linalg.yield %r : f32
    }
  %e10 = tensor.empty() : tensor<10xf32>
  %m0 = linalg.fill ins(%ninf : f32) outs(%e10 : tensor<10xf32>) -> tensor<10xf32>
  %max = linalg.reduce ins(%a : tensor<6x10xf32>) outs(%m0 : tensor<10xf32>) dimensions = [0]
    (%x: f32, %acc: f32) {
      %r = arith.maximumf %x, %acc : f32
      linalg.yield %r : f32
    }
  %e0 = tensor.empty() : tensor<i32>
  %i0 = linalg.fill ins(%izero : i32) outs(%e0 : tensor<i32>) -> tensor<i32>
  %total = linalg.reduce ins(%b : tensor<5x12xi32>) outs(%i0 : tensor<i32>) dimensions = [0, 1]
    (%x: i32, %acc: i32) {
      %r = arith.addi %x, %acc : i32
      linalg.yield %r : i32
    }
  return %sum, %max, %total : tensor<6xf32>, tensor<10xf32>, tensor<i32>
}
