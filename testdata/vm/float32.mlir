// f32 (ExtF32) arithmetic, math, comparisons and casts. Barriers keep the
// compiler from folding the operations under test.
vm.module @float32 {
  vm.func @test_arith() -> (f32, f32, f32, f32, f32, f32) {
    %a0 = vm.const.f32 7.5
    %b0 = vm.const.f32 -2.0
    %a = util.optimization_barrier %a0 : f32
    %b = util.optimization_barrier %b0 : f32
    %add = vm.add.f32 %a, %b : f32
    %sub = vm.sub.f32 %a, %b : f32
    %mul = vm.mul.f32 %a, %b : f32
    %div = vm.div.f32 %a, %b : f32
    %rem = vm.rem.f32 %a, %b : f32
    %fma = vm.fma.f32 %a, %b, %a : f32
    vm.return %add, %sub, %mul, %div, %rem, %fma : f32, f32, f32, f32, f32, f32
  }
  vm.export @test_arith
  vm.func @test_unary() -> (f32, f32, f32, f32, f32, f32, f32, f32) {
    %a0 = vm.const.f32 -2.5
    %a = util.optimization_barrier %a0 : f32
    %abs = vm.abs.f32 %a : f32
    %neg = vm.neg.f32 %a : f32
    %ceil = vm.ceil.f32 %a : f32
    %floor = vm.floor.f32 %a : f32
    %round = vm.round.f32 %a : f32
    %even = vm.round.f32.even %a : f32
    %z = vm.const.f32.zero
    %min = vm.min.f32 %a, %z : f32
    %max = vm.max.f32 %a, %z : f32
    vm.return %abs, %neg, %ceil, %floor, %round, %even, %min, %max : f32, f32, f32, f32, f32, f32, f32, f32
  }
  vm.export @test_unary
  vm.func @test_math() -> (f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32) {
    %a0 = vm.const.f32 0.5
    %b0 = vm.const.f32 2.0
    %a = util.optimization_barrier %a0 : f32
    %b = util.optimization_barrier %b0 : f32
    %0 = vm.atan.f32 %a : f32
    %1 = vm.atan2.f32 %a, %b : f32
    %2 = vm.cos.f32 %a : f32
    %3 = vm.sin.f32 %a : f32
    %4 = vm.exp.f32 %a : f32
    %5 = vm.exp2.f32 %a : f32
    %6 = vm.expm1.f32 %a : f32
    %7 = vm.log.f32 %b : f32
    %8 = vm.log10.f32 %b : f32
    %9 = vm.log1p.f32 %a : f32
    %10 = vm.log2.f32 %b : f32
    %11 = vm.pow.f32 %b, %a : f32
    %12 = vm.rsqrt.f32 %b : f32
    %13 = vm.sqrt.f32 %b : f32
    %14 = vm.tanh.f32 %a : f32
    %15 = vm.erf.f32 %a : f32
    vm.return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15 : f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32, f32
  }
  vm.export @test_math
  vm.func @test_compare() -> (i32, i32, i32, i32, i32, i32, i32, i32, i32) {
    %a0 = vm.const.f32 1.0
    %b0 = vm.const.f32 2.0
    %a = util.optimization_barrier %a0 : f32
    %b = util.optimization_barrier %b0 : f32
    %zero0 = vm.const.f32.zero
    %zero = util.optimization_barrier %zero0 : f32
    %nan = vm.div.f32 %zero, %zero : f32
    %0 = vm.cmp.eq.f32.o %a, %b : f32
    %1 = vm.cmp.eq.f32.u %a, %nan : f32
    %2 = vm.cmp.ne.f32.o %a, %b : f32
    %3 = vm.cmp.ne.f32.u %a, %nan : f32
    %4 = vm.cmp.lt.f32.o %a, %b : f32
    %5 = vm.cmp.lt.f32.u %nan, %b : f32
    %6 = vm.cmp.lte.f32.o %a, %b : f32
    %7 = vm.cmp.lte.f32.u %b, %a : f32
    %8 = vm.cmp.nan.f32 %nan : f32
    vm.return %0, %1, %2, %3, %4, %5, %6, %7, %8 : i32, i32, i32, i32, i32, i32, i32, i32, i32
  }
  vm.export @test_compare
  vm.func @test_select_switch() -> (f32, f32) {
    %a0 = vm.const.f32 1.0
    %b0 = vm.const.f32 2.0
    %a = util.optimization_barrier %a0 : f32
    %b = util.optimization_barrier %b0 : f32
    %c0 = vm.const.i32 1
    %c = util.optimization_barrier %c0 : i32
    %sel = vm.select.f32 %c, %a, %b : f32
    %sw = vm.switch.f32 %c[%a, %b] else %a : f32
    vm.return %sel, %sw : f32, f32
  }
  vm.export @test_select_switch
  vm.func @test_casts() -> (f32, f32, i32, i32, i32, f32, f32, f32, i64, i64) {
    %i0 = vm.const.i32 -7
    %i = util.optimization_barrier %i0 : i32
    %f0 = vm.const.f32 3.75
    %f = util.optimization_barrier %f0 : f32
    %0 = vm.cast.si32.f32 %i : i32 -> f32
    %1 = vm.cast.ui32.f32 %i : i32 -> f32
    %2 = vm.cast.f32.si32 %f : f32 -> i32
    %3 = vm.cast.f32.ui32 %f : f32 -> i32
    %4 = vm.bitcast.f32.i32 %f : f32 -> i32
    %5 = vm.bitcast.i32.f32 %4 : i32 -> f32
    %j0 = vm.const.i64 -9
    %j = util.optimization_barrier %j0 : i64
    %6 = vm.cast.si64.f32 %j : i64 -> f32
    %7 = vm.cast.ui64.f32 %j : i64 -> f32
    %8 = vm.cast.f32.si64 %f : f32 -> i64
    %9 = vm.cast.f32.ui64 %f : f32 -> i64
    vm.return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : f32, f32, i32, i32, i32, f32, f32, f32, i64, i64
  }
  vm.export @test_casts
}
