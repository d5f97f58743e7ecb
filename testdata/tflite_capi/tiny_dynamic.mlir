// A small program for the TFLite C API tests (tools/gen-tflite-capi-testdata.sh
// compiles it with the TFLite bindings): four inputs and three outputs of
// float32, int32 and uint8 (quantized, per the sidecar), and a dynamic
// leading dimension that ResizeInputTensor changes.
func.func @main(%a: tensor<?x4xf32> {ml_program.identifier = "a"},
                %b: tensor<?x4xf32> {ml_program.identifier = "b"},
                %c: tensor<3xi32> {ml_program.identifier = "counts"},
                %q: tensor<2xi8> {ml_program.identifier = "q"})
    -> (tensor<?x4xf32> {ml_program.identifier = "sum"},
        tensor<3xi32> {ml_program.identifier = "squares"},
        tensor<2xi8> {ml_program.identifier = "q_plus_one"}) {
  %s = arith.addf %a, %b : tensor<?x4xf32>
  %sq = arith.muli %c, %c : tensor<3xi32>
  %one = arith.constant dense<1> : tensor<2xi8>
  %q1 = arith.addi %q, %one : tensor<2xi8>
  return %s, %sq, %q1 : tensor<?x4xf32>, tensor<3xi32>, tensor<2xi8>
}
