// Several dispatches with temporaries between them: matmul, bias + relu,
// transpose, a second matmul and a reduction.
func.func @pipeline(%x: tensor<5x8xf32>, %w1: tensor<8x12xf32>, %b1: tensor<12xf32>, %w2: tensor<5x4xf32>) -> (tensor<12x4xf32>, tensor<12xf32>) {
  %zero = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<5x12xf32>
  %i1 = linalg.fill ins(%zero : f32) outs(%e1 : tensor<5x12xf32>) -> tensor<5x12xf32>
  %h = linalg.matmul ins(%x, %w1 : tensor<5x8xf32>, tensor<8x12xf32>) outs(%i1 : tensor<5x12xf32>) -> tensor<5x12xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%h, %b1 : tensor<5x12xf32>, tensor<12xf32>) outs(%e1 : tensor<5x12xf32>) {
  ^bb0(%v: f32, %b: f32, %o: f32):
    %s = arith.addf %v, %b : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<5x12xf32>
  %et = tensor.empty() : tensor<12x5xf32>
  %t = linalg.transpose ins(%r : tensor<5x12xf32>) outs(%et : tensor<12x5xf32>) permutation = [1, 0]
  %e2 = tensor.empty() : tensor<12x4xf32>
  %i2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<12x4xf32>) -> tensor<12x4xf32>
  %y = linalg.matmul ins(%t, %w2 : tensor<12x5xf32>, tensor<5x4xf32>) outs(%i2 : tensor<12x4xf32>) -> tensor<12x4xf32>
  %e3 = tensor.empty() : tensor<12xf32>
  %i3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<12xf32>) -> tensor<12xf32>
  %sum = linalg.reduce ins(%y : tensor<12x4xf32>) outs(%i3 : tensor<12xf32>) dimensions = [1]
    (%a: f32, %acc: f32) {
      %q = arith.addf %a, %acc : f32
      linalg.yield %q : f32
    }
  return %y, %sum : tensor<12x4xf32>, tensor<12xf32>
}
