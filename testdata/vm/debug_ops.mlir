// Debug ops the reference runtime accepts: vm.trace and vm.print (no output
// from a release build: stdout stays as for a plain return) and vm.break (a
// branch when no debugger is attached).
vm.module @debug_ops {
  vm.func @test_trace_print() -> i32 {
    %a0 = vm.const.i32 5
    %a = util.optimization_barrier %a0 : i32
    %b0 = vm.const.i64 6
    %b = util.optimization_barrier %b0 : i64
    vm.trace "trace_event"(%a, %b) : i32, i64
    vm.print "print_event"(%a, %b) : i32, i64
    vm.return %a : i32
  }
  vm.export @test_trace_print
  vm.func @test_break() -> (i32, i32) {
    %a0 = vm.const.i32 5
    %a = util.optimization_barrier %a0 : i32
    vm.break ^next
  ^next:
    %b = vm.add.i32 %a, %a : i32
    vm.break ^done
  ^done:
    vm.return %a, %b : i32, i32
  }
  vm.export @test_break
}
