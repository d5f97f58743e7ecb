// stablehlo.gather: pick 2-element slices of a 1-D operand by start index.
func.func @gather(%operand: tensor<12xi32>, %starts: tensor<5x1xi32>) -> tensor<5x2xi32> {
  %0 = "stablehlo.gather"(%operand, %starts) {
    dimension_numbers = #stablehlo.gather<offset_dims = [1], collapsed_slice_dims = [], start_index_map = [0], index_vector_dim = 1>,
    slice_sizes = array<i64: 2>,
    indices_are_sorted = false
  } : (tensor<12xi32>, tensor<5x1xi32>) -> tensor<5x2xi32>
  return %0 : tensor<5x2xi32>
}
