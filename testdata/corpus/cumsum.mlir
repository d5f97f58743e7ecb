// A prefix sum along the inner axis as a generic with a reduction
// dimension: output (i, j) sums the inputs (i, k) for k <= j.
func.func @cumsum(%a: tensor<4x12xi32>) -> tensor<4x12xi32> {
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<4x12xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<4x12xi32>) -> tensor<4x12xi32>
  %0 = linalg.generic {indexing_maps = [affine_map<(i, j, k) -> (i, k)>, affine_map<(i, j, k) -> (i, j)>],
                       iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a : tensor<4x12xi32>) outs(%init : tensor<4x12xi32>) {
  ^bb0(%x: i32, %acc: i32):
    %j = linalg.index 1 : index
    %k = linalg.index 2 : index
    %take = arith.cmpi ule, %k, %j : index
    %add = arith.select %take, %x, %zero : i32
    %r = arith.addi %acc, %add : i32
    linalg.yield %r : i32
  } -> tensor<4x12xi32>
  return %0 : tensor<4x12xi32>
}
