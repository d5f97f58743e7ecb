// vm.cond_break as iree-compile 3.13 encodes it: without its condition
// operand, so the reference verifier rejects this module at load ("bytecode
// data overrun"; debug.expected has no blocks) and so must ours.
// assembled.vmasm has a correctly encoded vm.cond_break; debug_ops.mlir has
// vm.trace, vm.print and vm.break, which the compiler encodes correctly.
vm.module @debug {
  vm.func @test_cond_break() -> i32 {
    %a0 = vm.const.i32 5
    %a = util.optimization_barrier %a0 : i32
    %c = vm.cmp.nz.i32 %a : i32
    vm.cond_break %c, ^done
  ^done:
    vm.return %a : i32
  }
  vm.export @test_cond_break
}
