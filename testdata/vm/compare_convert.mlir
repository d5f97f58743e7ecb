// Constants, integer comparisons, selects, truncations and extensions.
vm.module @compare_convert {
  vm.rodata private @blob dense<[1, 2, 3]> : tensor<3xi8>
  vm.func @test_constants() -> (i32, i64, i32, i64, i32) {
    %z = vm.const.i32.zero
    %zl = vm.const.i64.zero
    %a = vm.const.i32 -123456
    %b = vm.const.i64 1234567890123
    %r0 = vm.const.ref.zero : !vm.buffer
    %r = util.optimization_barrier %r0 : !vm.buffer
    %isnull = vm.cmp.nz.ref %r : !vm.buffer
    vm.return %z, %zl, %a, %b, %isnull : i32, i64, i32, i64, i32
  }
  vm.export @test_constants
  vm.func @test_cmp_i32() -> (i32, i32, i32, i32, i32, i32, i32, i32, i32, i32) {
    %a0 = vm.const.i32 -1
    %b0 = vm.const.i32 2
    %a = util.optimization_barrier %a0 : i32
    %b = util.optimization_barrier %b0 : i32
    %0 = vm.cmp.eq.i32 %a, %b : i32
    %1 = vm.cmp.ne.i32 %a, %b : i32
    %2 = vm.cmp.lt.i32.s %a, %b : i32
    %3 = vm.cmp.lt.i32.u %a, %b : i32
    %4 = vm.cmp.lte.i32.s %a, %b : i32
    %5 = vm.cmp.lte.i32.u %a, %b : i32
    %6 = vm.cmp.gt.i32.s %a, %b : i32
    %7 = vm.cmp.gt.i32.u %a, %b : i32
    %8 = vm.cmp.gte.i32.s %a, %b : i32
    %9 = vm.cmp.nz.i32 %a : i32
    vm.return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : i32, i32, i32, i32, i32, i32, i32, i32, i32, i32
  }
  vm.export @test_cmp_i32
  vm.func @test_cmp_i64() -> (i32, i32, i32, i32, i32, i32, i32) {
    %a0 = vm.const.i64 -1
    %b0 = vm.const.i64 8589934592
    %a = util.optimization_barrier %a0 : i64
    %b = util.optimization_barrier %b0 : i64
    %0 = vm.cmp.eq.i64 %a, %b : i64
    %1 = vm.cmp.ne.i64 %a, %b : i64
    %2 = vm.cmp.lt.i64.s %a, %b : i64
    %3 = vm.cmp.lt.i64.u %a, %b : i64
    %4 = vm.cmp.gt.i64.s %a, %b : i64
    %5 = vm.cmp.gte.i64.u %a, %b : i64
    %6 = vm.cmp.nz.i64 %b : i64
    vm.return %0, %1, %2, %3, %4, %5, %6 : i32, i32, i32, i32, i32, i32, i32
  }
  vm.export @test_cmp_i64
  vm.func @test_refs() -> (i32, i32, i32, i32, i64) {
    %a0 = vm.const.ref.rodata @blob : !vm.buffer
    %a = util.optimization_barrier %a0 : !vm.buffer
    %n0 = vm.const.ref.zero : !vm.buffer
    %n = util.optimization_barrier %n0 : !vm.buffer
    %0 = vm.cmp.eq.ref %a, %n : !vm.buffer
    %1 = vm.cmp.ne.ref %a, %n : !vm.buffer
    %2 = vm.cmp.nz.ref %a : !vm.buffer
    %c0 = vm.const.i32 0
    %c = util.optimization_barrier %c0 : i32
    %sel = vm.select.ref %c, %a, %n : !vm.buffer
    %3 = vm.cmp.nz.ref %sel : !vm.buffer
    %sw = vm.switch.ref %c[%a, %n] else %n : !vm.buffer
    %len = vm.buffer.length %sw : !vm.buffer -> i64
    vm.return %0, %1, %2, %3, %len : i32, i32, i32, i32, i64
  }
  vm.export @test_refs
  vm.func @test_select_switch() -> (i32, i64, i32, i64) {
    %c0 = vm.const.i32 2
    %c = util.optimization_barrier %c0 : i32
    %a0 = vm.const.i32 10
    %a = util.optimization_barrier %a0 : i32
    %b0 = vm.const.i32 20
    %b = util.optimization_barrier %b0 : i32
    %x0 = vm.const.i64 30
    %x = util.optimization_barrier %x0 : i64
    %y0 = vm.const.i64 40
    %y = util.optimization_barrier %y0 : i64
    %0 = vm.select.i32 %c, %a, %b : i32
    %1 = vm.select.i64 %c, %x, %y : i64
    %2 = vm.switch.i32 %c[%a, %b, %a] else %b : i32
    %3 = vm.switch.i64 %c[%x, %y] else %x : i64
    vm.return %0, %1, %2, %3 : i32, i64, i32, i64
  }
  vm.export @test_select_switch
  vm.func @test_trunc_ext() -> (i32, i32, i32, i32, i32, i32, i32, i64, i64) {
    %a0 = vm.const.i32 0x1234F6F7
    %a = util.optimization_barrier %a0 : i32
    %l0 = vm.const.i64 0x7FFFFFFF80000001
    %l = util.optimization_barrier %l0 : i64
    %t8 = vm.trunc.i32.i8 %a : i32 -> i32
    %t16 = vm.trunc.i32.i16 %a : i32 -> i32
    %t32 = vm.trunc.i64.i32 %l : i64 -> i32
    %e8s = vm.ext.i8.i32.s %a : i32 -> i32
    %e8u = vm.ext.i8.i32.u %a : i32 -> i32
    %e16s = vm.ext.i16.i32.s %a : i32 -> i32
    %e16u = vm.ext.i16.i32.u %a : i32 -> i32
    %e32s = vm.ext.i32.i64.s %t32 : i32 -> i64
    %e32u = vm.ext.i32.i64.u %t32 : i32 -> i64
    vm.return %t8, %t16, %t32, %e8s, %e8u, %e16s, %e16u, %e32s, %e32u : i32, i32, i32, i32, i32, i32, i32, i64, i64
  }
  vm.export @test_trunc_ext
}
