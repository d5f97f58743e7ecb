// vm.fail / vm.cond_fail and checks.
vm.module @failures {
  vm.func @test_cond_fail_not_taken() -> i32 {
    %c0 = vm.const.i32 0
    %c = util.optimization_barrier %c0 : i32
    %code = vm.const.i32 13
    vm.cond_fail %c, %code, "must not fire"
    %r = vm.const.i32 1
    vm.return %r : i32
  }
  vm.export @test_cond_fail_not_taken
  vm.func @fail_unconditional() {
    %code = vm.const.i32 9
    vm.fail %code, "deliberate failure"
  }
  vm.export @fail_unconditional
  vm.func @fail_cond_taken() {
    %c0 = vm.const.i32 3
    %c = util.optimization_barrier %c0 : i32
    %code = vm.const.i32 3
    vm.cond_fail %c, %code, "condition held"
    vm.return
  }
  vm.export @fail_cond_taken
  vm.func @fail_check_eq() {
    %a0 = vm.const.i32 1
    %a = util.optimization_barrier %a0 : i32
    %b = vm.const.i32 2
    vm.check.eq %a, %b, "values differ" : i32
    vm.return
  }
  vm.export @fail_check_eq
}
