// Module imported by calls.mlir (loaded first with --module).
vm.module @callee {
  vm.func @add(%a: i32, %b: i32) -> i32 {
    %r = vm.add.i32 %a, %b : i32
    vm.return %r : i32
  }
  vm.export @add
  vm.func @fail_inner() {
    %c = vm.const.i32 5
    vm.fail %c, "failed inside callee"
  }
  vm.export @fail_inner
}
