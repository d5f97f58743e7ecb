// A mutable scalar global counting calls, and a tensor global that
// accumulates every input it is given: state carried across calls.
util.global private mutable @count = 0 : i32
util.global private mutable @total = dense<0.0> : tensor<6xf32>
func.func @accumulate(%x: tensor<6xf32>) -> (tensor<6xf32>, tensor<i32>) {
  %c = util.global.load @count : i32
  %one = arith.constant 1 : i32
  %n = arith.addi %c, %one : i32
  util.global.store %n, @count : i32
  %t = util.global.load @total : tensor<6xf32>
  %s = arith.addf %t, %x : tensor<6xf32>
  util.global.store %s, @total : tensor<6xf32>
  %nt = tensor.from_elements %n : tensor<i32>
  return %s, %nt : tensor<6xf32>, tensor<i32>
}
