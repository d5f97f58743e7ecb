// i64 arithmetic, bitwise and shift instructions. Constants pass through
// optimization barriers so the ops under test survive constant folding.
vm.module @arith_i64 {
  vm.func @test_basic() -> (i64, i64, i64, i64, i64) {
    %a0 = vm.const.i64 17179869184
    %b0 = vm.const.i64 -5
    %a = util.optimization_barrier %a0 : i64
    %b = util.optimization_barrier %b0 : i64
    %add = vm.add.i64 %a, %b : i64
    %sub = vm.sub.i64 %a, %b : i64
    %mul = vm.mul.i64 %a, %b : i64
    %fma = vm.fma.i64 %a, %b, %a : i64
    %abs = vm.abs.i64 %b : i64
    vm.return %add, %sub, %mul, %fma, %abs : i64, i64, i64, i64, i64
  }
  vm.export @test_basic
  vm.func @test_div_rem() -> (i64, i64, i64, i64) {
    %a0 = vm.const.i64 -17179869189
    %b0 = vm.const.i64 7
    %a = util.optimization_barrier %a0 : i64
    %b = util.optimization_barrier %b0 : i64
    %ds = vm.div.i64.s %a, %b : i64
    %du = vm.div.i64.u %a, %b : i64
    %rs = vm.rem.i64.s %a, %b : i64
    %ru = vm.rem.i64.u %a, %b : i64
    vm.return %ds, %du, %rs, %ru : i64, i64, i64, i64
  }
  vm.export @test_div_rem
  vm.func @test_min_max() -> (i64, i64, i64, i64) {
    %a0 = vm.const.i64 -3
    %b0 = vm.const.i64 4
    %a = util.optimization_barrier %a0 : i64
    %b = util.optimization_barrier %b0 : i64
    %mins = vm.min.i64.s %a, %b : i64
    %minu = vm.min.i64.u %a, %b : i64
    %maxs = vm.max.i64.s %a, %b : i64
    %maxu = vm.max.i64.u %a, %b : i64
    vm.return %mins, %minu, %maxs, %maxu : i64, i64, i64, i64
  }
  vm.export @test_min_max
  vm.func @test_bitwise() -> (i64, i64, i64, i64, i64) {
    %a0 = vm.const.i64 0x0F0F0F0F0F
    %b0 = vm.const.i64 0xFF000000FF
    %a = util.optimization_barrier %a0 : i64
    %b = util.optimization_barrier %b0 : i64
    %not = vm.not.i64 %a : i64
    %and = vm.and.i64 %a, %b : i64
    %or = vm.or.i64 %a, %b : i64
    %xor = vm.xor.i64 %a, %b : i64
    %ctlz = vm.ctlz.i64 %b : i64
    vm.return %not, %and, %or, %xor, %ctlz : i64, i64, i64, i64, i64
  }
  vm.export @test_bitwise
  vm.func @test_shifts() -> (i64, i64, i64) {
    %a0 = vm.const.i64 -1099511627776
    %s0 = vm.const.i32 12
    %a = util.optimization_barrier %a0 : i64
    %s = util.optimization_barrier %s0 : i32
    %shl = vm.shl.i64 %a, %s : i64
    %shrs = vm.shr.i64.s %a, %s : i64
    %shru = vm.shr.i64.u %a, %s : i64
    vm.return %shl, %shrs, %shru : i64, i64, i64
  }
  vm.export @test_shifts
}
