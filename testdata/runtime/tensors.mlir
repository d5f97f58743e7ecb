// Programs over tensors that need no dispatch (buffer views, copies,
// queue allocations and fences only), for the runtime API and the tools.
// The device target names no executable format, so `__init` only asks
// the device for `local*`.
module attributes {stream.affinity.default = #hal.device.affinity<@device>} {
  util.global private @device = #hal.device.target<"local"> : !hal.device
  util.global private mutable @counter = dense<0> : tensor<2xi32>
  func.func @identity(%arg0: tensor<4xf32>) -> tensor<4xf32> {
    return %arg0 : tensor<4xf32>
  }
  func.func @swap(%a: tensor<2xf32>, %b: tensor<3xi8>) -> (tensor<3xi8>, tensor<2xf32>) {
    return %b, %a : tensor<3xi8>, tensor<2xf32>
  }
  func.func @scalar(%arg0: tensor<i64>) -> tensor<i64> {
    return %arg0 : tensor<i64>
  }
  func.func @expand(%arg0: tensor<6xi32>) -> tensor<2x3xi32> {
    %0 = tensor.expand_shape %arg0 [[0, 1]] output_shape [2, 3] : tensor<6xi32> into tensor<2x3xi32>
    return %0 : tensor<2x3xi32>
  }
  func.func @collapse(%arg0: tensor<2x2x3xf16>) -> tensor<12xf16> {
    %0 = tensor.collapse_shape %arg0 [[0, 1, 2]] : tensor<2x2x3xf16> into tensor<12xf16>
    return %0 : tensor<12xf16>
  }
  func.func @dynamic(%arg0: tensor<?x3xi16>) -> tensor<?x3xi16> {
    return %arg0 : tensor<?x3xi16>
  }
  func.func @slice_rows(%arg0: tensor<4x3xi32>) -> tensor<2x3xi32> {
    %0 = tensor.extract_slice %arg0[1, 0] [2, 3] [1, 1] : tensor<4x3xi32> to tensor<2x3xi32>
    return %0 : tensor<2x3xi32>
  }
  func.func @concat(%a: tensor<2xf32>, %b: tensor<3xf32>) -> tensor<5xf32> {
    %0 = tensor.concat dim(0) %a, %b : (tensor<2xf32>, tensor<3xf32>) -> tensor<5xf32>
    return %0 : tensor<5xf32>
  }
  func.func @update_rows(%dst: tensor<4x2xi8>, %src: tensor<1x2xi8>) -> tensor<4x2xi8> {
    %0 = tensor.insert_slice %src into %dst[2, 0] [1, 2] [1, 1] : tensor<1x2xi8> into tensor<4x2xi8>
    return %0 : tensor<4x2xi8>
  }
  func.func @wide(%a: tensor<2xf64>, %b: tensor<2xbf16>) -> (tensor<2xbf16>, tensor<2xf64>) {
    return %b, %a : tensor<2xbf16>, tensor<2xf64>
  }
  func.func @mixed(%n: i32, %t: tensor<3xi32>, %x: f32) -> (f32, tensor<3xi32>, i32) {
    return %x, %t, %n : f32, tensor<3xi32>, i32
  }
  // State across calls: stores the argument and returns what was stored.
  func.func @exchange(%arg0: tensor<2xi32>) -> tensor<2xi32> {
    %old = util.global.load @counter : tensor<2xi32>
    util.global.store %arg0, @counter : tensor<2xi32>
    return %old : tensor<2xi32>
  }
}
