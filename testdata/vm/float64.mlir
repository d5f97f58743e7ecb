// f64 (ExtF64) arithmetic, math, comparisons and casts. Barriers keep the
// compiler from folding the operations under test.
vm.module @float64 {
  vm.func @test_arith() -> (f64, f64, f64, f64, f64, f64) {
    %a0 = vm.const.f64 7.5
    %b0 = vm.const.f64 -2.0
    %a = util.optimization_barrier %a0 : f64
    %b = util.optimization_barrier %b0 : f64
    %add = vm.add.f64 %a, %b : f64
    %sub = vm.sub.f64 %a, %b : f64
    %mul = vm.mul.f64 %a, %b : f64
    %div = vm.div.f64 %a, %b : f64
    %rem = vm.rem.f64 %a, %b : f64
    %fma = vm.fma.f64 %a, %b, %a : f64
    vm.return %add, %sub, %mul, %div, %rem, %fma : f64, f64, f64, f64, f64, f64
  }
  vm.export @test_arith
  vm.func @test_unary() -> (f64, f64, f64, f64, f64, f64, f64, f64) {
    %a0 = vm.const.f64 -2.5
    %a = util.optimization_barrier %a0 : f64
    %abs = vm.abs.f64 %a : f64
    %neg = vm.neg.f64 %a : f64
    %ceil = vm.ceil.f64 %a : f64
    %floor = vm.floor.f64 %a : f64
    %round = vm.round.f64 %a : f64
    %even = vm.round.f64.even %a : f64
    %z = vm.const.f64.zero
    %min = vm.min.f64 %a, %z : f64
    %max = vm.max.f64 %a, %z : f64
    vm.return %abs, %neg, %ceil, %floor, %round, %even, %min, %max : f64, f64, f64, f64, f64, f64, f64, f64
  }
  vm.export @test_unary
  vm.func @test_math() -> (f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64) {
    %a0 = vm.const.f64 0.5
    %b0 = vm.const.f64 2.0
    %a = util.optimization_barrier %a0 : f64
    %b = util.optimization_barrier %b0 : f64
    %0 = vm.atan.f64 %a : f64
    %1 = vm.atan2.f64 %a, %b : f64
    %2 = vm.cos.f64 %a : f64
    %3 = vm.sin.f64 %a : f64
    %4 = vm.exp.f64 %a : f64
    %5 = vm.exp2.f64 %a : f64
    %6 = vm.expm1.f64 %a : f64
    %7 = vm.log.f64 %b : f64
    %8 = vm.log10.f64 %b : f64
    %9 = vm.log1p.f64 %a : f64
    %10 = vm.log2.f64 %b : f64
    %11 = vm.pow.f64 %b, %a : f64
    %12 = vm.rsqrt.f64 %b : f64
    %13 = vm.sqrt.f64 %b : f64
    %14 = vm.tanh.f64 %a : f64
    %15 = vm.erf.f64 %a : f64
    vm.return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15 : f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64, f64
  }
  vm.export @test_math
  vm.func @test_compare() -> (i32, i32, i32, i32, i32, i32, i32, i32, i32) {
    %a0 = vm.const.f64 1.0
    %b0 = vm.const.f64 2.0
    %a = util.optimization_barrier %a0 : f64
    %b = util.optimization_barrier %b0 : f64
    %zero0 = vm.const.f64.zero
    %zero = util.optimization_barrier %zero0 : f64
    %nan = vm.div.f64 %zero, %zero : f64
    %0 = vm.cmp.eq.f64.o %a, %b : f64
    %1 = vm.cmp.eq.f64.u %a, %nan : f64
    %2 = vm.cmp.ne.f64.o %a, %b : f64
    %3 = vm.cmp.ne.f64.u %a, %nan : f64
    %4 = vm.cmp.lt.f64.o %a, %b : f64
    %5 = vm.cmp.lt.f64.u %nan, %b : f64
    %6 = vm.cmp.lte.f64.o %a, %b : f64
    %7 = vm.cmp.lte.f64.u %b, %a : f64
    %8 = vm.cmp.nan.f64 %nan : f64
    vm.return %0, %1, %2, %3, %4, %5, %6, %7, %8 : i32, i32, i32, i32, i32, i32, i32, i32, i32
  }
  vm.export @test_compare
  vm.func @test_select_switch() -> (f64, f64) {
    %a0 = vm.const.f64 1.0
    %b0 = vm.const.f64 2.0
    %a = util.optimization_barrier %a0 : f64
    %b = util.optimization_barrier %b0 : f64
    %c0 = vm.const.i32 1
    %c = util.optimization_barrier %c0 : i32
    %sel = vm.select.f64 %c, %a, %b : f64
    %sw = vm.switch.f64 %c[%a, %b] else %a : f64
    vm.return %sel, %sw : f64, f64
  }
  vm.export @test_select_switch
  vm.func @test_casts() -> (f64, f64, i64, i64, i64, f64, f64, f32) {
    %i0 = vm.const.i64 -7
    %i = util.optimization_barrier %i0 : i64
    %f0 = vm.const.f64 3.75
    %f = util.optimization_barrier %f0 : f64
    %g0 = vm.const.f32 1.5
    %g = util.optimization_barrier %g0 : f32
    %0 = vm.cast.si64.f64 %i : i64 -> f64
    %1 = vm.cast.ui64.f64 %i : i64 -> f64
    %2 = vm.cast.f64.si64 %f : f64 -> i64
    %3 = vm.cast.f64.ui64 %f : f64 -> i64
    %4 = vm.bitcast.f64.i64 %f : f64 -> i64
    %5 = vm.bitcast.i64.f64 %4 : i64 -> f64
    %6 = vm.ext.f32.f64 %g : f32 -> f64
    %7 = vm.trunc.f64.f32 %f : f64 -> f32
    vm.return %0, %1, %2, %3, %4, %5, %6, %7 : f64, f64, i64, i64, i64, f64, f64, f32
  }
  vm.export @test_casts
}
