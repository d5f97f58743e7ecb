// vm.yield (resumable execution).
vm.module @yield {
  vm.func @test_yield() -> i32 {
    %a0 = vm.const.i32 11
    %a = util.optimization_barrier %a0 : i32
    vm.yield ^resume(%a : i32)
  ^resume(%b: i32):
    vm.yield ^done
  ^done:
    vm.return %b : i32
  }
  vm.export @test_yield
}
