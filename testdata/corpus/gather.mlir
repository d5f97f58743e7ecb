// Gather rows of a table by index (indices clamped into range, so any
// input is valid).
func.func @gather(%table: tensor<10x6xf32>, %indices: tensor<7xi32>) -> tensor<7x6xf32> {
  %e = tensor.empty() : tensor<7x6xf32>
  %0 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%indices : tensor<7xi32>) outs(%e : tensor<7x6xf32>) {
  ^bb0(%idx: i32, %o: f32):
    %lo = arith.constant 0 : i32
    %hi = arith.constant 9 : i32
    %c0 = arith.maxsi %idx, %lo : i32
    %c1 = arith.minsi %c0, %hi : i32
    %row = arith.index_cast %c1 : i32 to index
    %col = linalg.index 1 : index
    %v = tensor.extract %table[%row, %col] : tensor<10x6xf32>
    linalg.yield %v : f32
  } -> tensor<7x6xf32>
  return %0 : tensor<7x6xf32>
}
