// i32 arithmetic, bitwise and shift instructions.
vm.module @arith_i32 {
  vm.func @test_basic() -> (i32, i32, i32, i32, i32) {
    %a_c = vm.const.i32 17
    %a = util.optimization_barrier %a_c : i32
    %b_c = vm.const.i32 5
    %b = util.optimization_barrier %b_c : i32
    %add = vm.add.i32 %a, %b : i32
    %sub = vm.sub.i32 %a, %b : i32
    %mul = vm.mul.i32 %a, %b : i32
    %fma = vm.fma.i32 %a, %b, %a : i32
    %neg_c = vm.const.i32 -9
    %neg = util.optimization_barrier %neg_c : i32
    %abs = vm.abs.i32 %neg : i32
    vm.return %add, %sub, %mul, %fma, %abs : i32, i32, i32, i32, i32
  }
  vm.export @test_basic
  vm.func @test_div_rem() -> (i32, i32, i32, i32) {
    %a_c = vm.const.i32 -17
    %a = util.optimization_barrier %a_c : i32
    %b_c = vm.const.i32 5
    %b = util.optimization_barrier %b_c : i32
    %ds = vm.div.i32.s %a, %b : i32
    %du = vm.div.i32.u %a, %b : i32
    %rs = vm.rem.i32.s %a, %b : i32
    %ru = vm.rem.i32.u %a, %b : i32
    vm.return %ds, %du, %rs, %ru : i32, i32, i32, i32
  }
  vm.export @test_div_rem
  vm.func @test_min_max() -> (i32, i32, i32, i32) {
    %a_c = vm.const.i32 -3
    %a = util.optimization_barrier %a_c : i32
    %b_c = vm.const.i32 4
    %b = util.optimization_barrier %b_c : i32
    %mins = vm.min.i32.s %a, %b : i32
    %minu = vm.min.i32.u %a, %b : i32
    %maxs = vm.max.i32.s %a, %b : i32
    %maxu = vm.max.i32.u %a, %b : i32
    vm.return %mins, %minu, %maxs, %maxu : i32, i32, i32, i32
  }
  vm.export @test_min_max
  vm.func @test_bitwise() -> (i32, i32, i32, i32, i32) {
    %a_c = vm.const.i32 0x0F0F
    %a = util.optimization_barrier %a_c : i32
    %b_c = vm.const.i32 0x00FF
    %b = util.optimization_barrier %b_c : i32
    %not = vm.not.i32 %a : i32
    %and = vm.and.i32 %a, %b : i32
    %or = vm.or.i32 %a, %b : i32
    %xor = vm.xor.i32 %a, %b : i32
    %ctlz = vm.ctlz.i32 %b : i32
    vm.return %not, %and, %or, %xor, %ctlz : i32, i32, i32, i32, i32
  }
  vm.export @test_bitwise
  vm.func @test_shifts() -> (i32, i32, i32) {
    %a_c = vm.const.i32 -256
    %a = util.optimization_barrier %a_c : i32
    %s_c = vm.const.i32 4
    %s = util.optimization_barrier %s_c : i32
    %shl = vm.shl.i32 %a, %s : i32
    %shrs = vm.shr.i32.s %a, %s : i32
    %shru = vm.shr.i32.u %a, %s : i32
    vm.return %shl, %shrs, %shru : i32, i32, i32
  }
  vm.export @test_shifts
  vm.func @test_args(%x: i32, %y: i32) -> i32 {
    %r = vm.mul.i32 %x, %y : i32
    vm.return %r : i32
  }
  vm.export @test_args
}
