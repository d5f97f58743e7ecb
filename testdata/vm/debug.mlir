// Debug-only ops: trace, print, break, cond_break.
vm.module @debug {
  vm.func @test_debug_ops() -> i32 {
    %a0 = vm.const.i32 5
    %a = util.optimization_barrier %a0 : i32
    vm.trace "trace_event"(%a) : i32
    vm.print "print_event"(%a) : i32
    %c = vm.cmp.nz.i32 %a : i32
    vm.cond_break %c, ^next
  ^next:
    vm.break ^done
  ^done:
    vm.return %a : i32
  }
  vm.export @test_debug_ops
}
