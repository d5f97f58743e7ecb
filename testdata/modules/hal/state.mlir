// Module state across calls: a mutable global returned and replaced.
util.global private mutable @state = dense<[10, 20]> : tensor<2xi32>
func.func @exchange(%arg0: tensor<2xi32>) -> tensor<2xi32> {
  %old = util.global.load @state : tensor<2xi32>
  util.global.store %arg0, @state : tensor<2xi32>
  return %old : tensor<2xi32>
}
func.func @peek() -> tensor<2xi32> {
  %0 = util.global.load @state : tensor<2xi32>
  return %0 : tensor<2xi32>
}
