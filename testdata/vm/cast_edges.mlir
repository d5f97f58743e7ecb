// Float-to-integer casts at the edges of their ranges (NaN, infinities,
// values at and above 2^63 and 2^64, negatives), as the reference runtime
// computes them (src/vm/bytecode/interp/math.rs says how). Inputs are bit
// patterns behind barriers so nothing is constant-folded.
vm.module @cast_edges {
  // vm.cast.f32.ui64 of: 2^64-2^40, 2^63, 2^63+2^40, 1.5*2^63, 2^64, inf, -inf, nan, -2.5, -2^63, -2^64, 2.5, 2^62, 2^32+512.
  vm.func @test_f32_to_ui64() -> (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) {
    %c0 = vm.const.i32 1602224127
    %b0 = util.optimization_barrier %c0 : i32
    %f0 = vm.bitcast.i32.f32 %b0 : i32 -> f32
    %r0 = vm.cast.f32.ui64 %f0 : f32 -> i64
    %c1 = vm.const.i32 1593835520
    %b1 = util.optimization_barrier %c1 : i32
    %f1 = vm.bitcast.i32.f32 %b1 : i32 -> f32
    %r1 = vm.cast.f32.ui64 %f1 : f32 -> i64
    %c2 = vm.const.i32 1593835521
    %b2 = util.optimization_barrier %c2 : i32
    %f2 = vm.bitcast.i32.f32 %b2 : i32 -> f32
    %r2 = vm.cast.f32.ui64 %f2 : f32 -> i64
    %c3 = vm.const.i32 1598029824
    %b3 = util.optimization_barrier %c3 : i32
    %f3 = vm.bitcast.i32.f32 %b3 : i32 -> f32
    %r3 = vm.cast.f32.ui64 %f3 : f32 -> i64
    %c4 = vm.const.i32 1602224128
    %b4 = util.optimization_barrier %c4 : i32
    %f4 = vm.bitcast.i32.f32 %b4 : i32 -> f32
    %r4 = vm.cast.f32.ui64 %f4 : f32 -> i64
    %c5 = vm.const.i32 2139095040
    %b5 = util.optimization_barrier %c5 : i32
    %f5 = vm.bitcast.i32.f32 %b5 : i32 -> f32
    %r5 = vm.cast.f32.ui64 %f5 : f32 -> i64
    %c6 = vm.const.i32 -8388608
    %b6 = util.optimization_barrier %c6 : i32
    %f6 = vm.bitcast.i32.f32 %b6 : i32 -> f32
    %r6 = vm.cast.f32.ui64 %f6 : f32 -> i64
    %c7 = vm.const.i32 2143289344
    %b7 = util.optimization_barrier %c7 : i32
    %f7 = vm.bitcast.i32.f32 %b7 : i32 -> f32
    %r7 = vm.cast.f32.ui64 %f7 : f32 -> i64
    %c8 = vm.const.i32 -1071644672
    %b8 = util.optimization_barrier %c8 : i32
    %f8 = vm.bitcast.i32.f32 %b8 : i32 -> f32
    %r8 = vm.cast.f32.ui64 %f8 : f32 -> i64
    %c9 = vm.const.i32 -553648128
    %b9 = util.optimization_barrier %c9 : i32
    %f9 = vm.bitcast.i32.f32 %b9 : i32 -> f32
    %r9 = vm.cast.f32.ui64 %f9 : f32 -> i64
    %c10 = vm.const.i32 -545259520
    %b10 = util.optimization_barrier %c10 : i32
    %f10 = vm.bitcast.i32.f32 %b10 : i32 -> f32
    %r10 = vm.cast.f32.ui64 %f10 : f32 -> i64
    %c11 = vm.const.i32 1075838976
    %b11 = util.optimization_barrier %c11 : i32
    %f11 = vm.bitcast.i32.f32 %b11 : i32 -> f32
    %r11 = vm.cast.f32.ui64 %f11 : f32 -> i64
    %c12 = vm.const.i32 1585446912
    %b12 = util.optimization_barrier %c12 : i32
    %f12 = vm.bitcast.i32.f32 %b12 : i32 -> f32
    %r12 = vm.cast.f32.ui64 %f12 : f32 -> i64
    %c13 = vm.const.i32 1333788673
    %b13 = util.optimization_barrier %c13 : i32
    %f13 = vm.bitcast.i32.f32 %b13 : i32 -> f32
    %r13 = vm.cast.f32.ui64 %f13 : f32 -> i64
    vm.return %r0, %r1, %r2, %r3, %r4, %r5, %r6, %r7, %r8, %r9, %r10, %r11, %r12, %r13 : i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64
  }
  vm.export @test_f32_to_ui64
  // vm.cast.f32.si64 of: 2^64-2^40, 2^63, 2^63+2^40, 1.5*2^63, 2^64, inf, -inf, nan, -2.5, -2^63, -2^64, 2.5, 2^62, 2^32+512.
  vm.func @test_f32_to_si64() -> (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) {
    %c0 = vm.const.i32 1602224127
    %b0 = util.optimization_barrier %c0 : i32
    %f0 = vm.bitcast.i32.f32 %b0 : i32 -> f32
    %r0 = vm.cast.f32.si64 %f0 : f32 -> i64
    %c1 = vm.const.i32 1593835520
    %b1 = util.optimization_barrier %c1 : i32
    %f1 = vm.bitcast.i32.f32 %b1 : i32 -> f32
    %r1 = vm.cast.f32.si64 %f1 : f32 -> i64
    %c2 = vm.const.i32 1593835521
    %b2 = util.optimization_barrier %c2 : i32
    %f2 = vm.bitcast.i32.f32 %b2 : i32 -> f32
    %r2 = vm.cast.f32.si64 %f2 : f32 -> i64
    %c3 = vm.const.i32 1598029824
    %b3 = util.optimization_barrier %c3 : i32
    %f3 = vm.bitcast.i32.f32 %b3 : i32 -> f32
    %r3 = vm.cast.f32.si64 %f3 : f32 -> i64
    %c4 = vm.const.i32 1602224128
    %b4 = util.optimization_barrier %c4 : i32
    %f4 = vm.bitcast.i32.f32 %b4 : i32 -> f32
    %r4 = vm.cast.f32.si64 %f4 : f32 -> i64
    %c5 = vm.const.i32 2139095040
    %b5 = util.optimization_barrier %c5 : i32
    %f5 = vm.bitcast.i32.f32 %b5 : i32 -> f32
    %r5 = vm.cast.f32.si64 %f5 : f32 -> i64
    %c6 = vm.const.i32 -8388608
    %b6 = util.optimization_barrier %c6 : i32
    %f6 = vm.bitcast.i32.f32 %b6 : i32 -> f32
    %r6 = vm.cast.f32.si64 %f6 : f32 -> i64
    %c7 = vm.const.i32 2143289344
    %b7 = util.optimization_barrier %c7 : i32
    %f7 = vm.bitcast.i32.f32 %b7 : i32 -> f32
    %r7 = vm.cast.f32.si64 %f7 : f32 -> i64
    %c8 = vm.const.i32 -1071644672
    %b8 = util.optimization_barrier %c8 : i32
    %f8 = vm.bitcast.i32.f32 %b8 : i32 -> f32
    %r8 = vm.cast.f32.si64 %f8 : f32 -> i64
    %c9 = vm.const.i32 -553648128
    %b9 = util.optimization_barrier %c9 : i32
    %f9 = vm.bitcast.i32.f32 %b9 : i32 -> f32
    %r9 = vm.cast.f32.si64 %f9 : f32 -> i64
    %c10 = vm.const.i32 -545259520
    %b10 = util.optimization_barrier %c10 : i32
    %f10 = vm.bitcast.i32.f32 %b10 : i32 -> f32
    %r10 = vm.cast.f32.si64 %f10 : f32 -> i64
    %c11 = vm.const.i32 1075838976
    %b11 = util.optimization_barrier %c11 : i32
    %f11 = vm.bitcast.i32.f32 %b11 : i32 -> f32
    %r11 = vm.cast.f32.si64 %f11 : f32 -> i64
    %c12 = vm.const.i32 1585446912
    %b12 = util.optimization_barrier %c12 : i32
    %f12 = vm.bitcast.i32.f32 %b12 : i32 -> f32
    %r12 = vm.cast.f32.si64 %f12 : f32 -> i64
    %c13 = vm.const.i32 1333788673
    %b13 = util.optimization_barrier %c13 : i32
    %f13 = vm.bitcast.i32.f32 %b13 : i32 -> f32
    %r13 = vm.cast.f32.si64 %f13 : f32 -> i64
    vm.return %r0, %r1, %r2, %r3, %r4, %r5, %r6, %r7, %r8, %r9, %r10, %r11, %r12, %r13 : i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64
  }
  vm.export @test_f32_to_si64
  // vm.cast.f32.ui32 of: 2^64-2^40, 2^63, 2^63+2^40, 1.5*2^63, 2^64, inf, -inf, nan, -2.5, -2^63, -2^64, 2.5, 2^62, 2^32+512.
  vm.func @test_f32_to_ui32() -> (i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32) {
    %c0 = vm.const.i32 1602224127
    %b0 = util.optimization_barrier %c0 : i32
    %f0 = vm.bitcast.i32.f32 %b0 : i32 -> f32
    %r0 = vm.cast.f32.ui32 %f0 : f32 -> i32
    %c1 = vm.const.i32 1593835520
    %b1 = util.optimization_barrier %c1 : i32
    %f1 = vm.bitcast.i32.f32 %b1 : i32 -> f32
    %r1 = vm.cast.f32.ui32 %f1 : f32 -> i32
    %c2 = vm.const.i32 1593835521
    %b2 = util.optimization_barrier %c2 : i32
    %f2 = vm.bitcast.i32.f32 %b2 : i32 -> f32
    %r2 = vm.cast.f32.ui32 %f2 : f32 -> i32
    %c3 = vm.const.i32 1598029824
    %b3 = util.optimization_barrier %c3 : i32
    %f3 = vm.bitcast.i32.f32 %b3 : i32 -> f32
    %r3 = vm.cast.f32.ui32 %f3 : f32 -> i32
    %c4 = vm.const.i32 1602224128
    %b4 = util.optimization_barrier %c4 : i32
    %f4 = vm.bitcast.i32.f32 %b4 : i32 -> f32
    %r4 = vm.cast.f32.ui32 %f4 : f32 -> i32
    %c5 = vm.const.i32 2139095040
    %b5 = util.optimization_barrier %c5 : i32
    %f5 = vm.bitcast.i32.f32 %b5 : i32 -> f32
    %r5 = vm.cast.f32.ui32 %f5 : f32 -> i32
    %c6 = vm.const.i32 -8388608
    %b6 = util.optimization_barrier %c6 : i32
    %f6 = vm.bitcast.i32.f32 %b6 : i32 -> f32
    %r6 = vm.cast.f32.ui32 %f6 : f32 -> i32
    %c7 = vm.const.i32 2143289344
    %b7 = util.optimization_barrier %c7 : i32
    %f7 = vm.bitcast.i32.f32 %b7 : i32 -> f32
    %r7 = vm.cast.f32.ui32 %f7 : f32 -> i32
    %c8 = vm.const.i32 -1071644672
    %b8 = util.optimization_barrier %c8 : i32
    %f8 = vm.bitcast.i32.f32 %b8 : i32 -> f32
    %r8 = vm.cast.f32.ui32 %f8 : f32 -> i32
    %c9 = vm.const.i32 -553648128
    %b9 = util.optimization_barrier %c9 : i32
    %f9 = vm.bitcast.i32.f32 %b9 : i32 -> f32
    %r9 = vm.cast.f32.ui32 %f9 : f32 -> i32
    %c10 = vm.const.i32 -545259520
    %b10 = util.optimization_barrier %c10 : i32
    %f10 = vm.bitcast.i32.f32 %b10 : i32 -> f32
    %r10 = vm.cast.f32.ui32 %f10 : f32 -> i32
    %c11 = vm.const.i32 1075838976
    %b11 = util.optimization_barrier %c11 : i32
    %f11 = vm.bitcast.i32.f32 %b11 : i32 -> f32
    %r11 = vm.cast.f32.ui32 %f11 : f32 -> i32
    %c12 = vm.const.i32 1585446912
    %b12 = util.optimization_barrier %c12 : i32
    %f12 = vm.bitcast.i32.f32 %b12 : i32 -> f32
    %r12 = vm.cast.f32.ui32 %f12 : f32 -> i32
    %c13 = vm.const.i32 1333788673
    %b13 = util.optimization_barrier %c13 : i32
    %f13 = vm.bitcast.i32.f32 %b13 : i32 -> f32
    %r13 = vm.cast.f32.ui32 %f13 : f32 -> i32
    vm.return %r0, %r1, %r2, %r3, %r4, %r5, %r6, %r7, %r8, %r9, %r10, %r11, %r12, %r13 : i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32
  }
  vm.export @test_f32_to_ui32
  // vm.cast.f32.si32 of: 2^64-2^40, 2^63, 2^63+2^40, 1.5*2^63, 2^64, inf, -inf, nan, -2.5, -2^63, -2^64, 2.5, 2^62, 2^32+512.
  vm.func @test_f32_to_si32() -> (i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32) {
    %c0 = vm.const.i32 1602224127
    %b0 = util.optimization_barrier %c0 : i32
    %f0 = vm.bitcast.i32.f32 %b0 : i32 -> f32
    %r0 = vm.cast.f32.si32 %f0 : f32 -> i32
    %c1 = vm.const.i32 1593835520
    %b1 = util.optimization_barrier %c1 : i32
    %f1 = vm.bitcast.i32.f32 %b1 : i32 -> f32
    %r1 = vm.cast.f32.si32 %f1 : f32 -> i32
    %c2 = vm.const.i32 1593835521
    %b2 = util.optimization_barrier %c2 : i32
    %f2 = vm.bitcast.i32.f32 %b2 : i32 -> f32
    %r2 = vm.cast.f32.si32 %f2 : f32 -> i32
    %c3 = vm.const.i32 1598029824
    %b3 = util.optimization_barrier %c3 : i32
    %f3 = vm.bitcast.i32.f32 %b3 : i32 -> f32
    %r3 = vm.cast.f32.si32 %f3 : f32 -> i32
    %c4 = vm.const.i32 1602224128
    %b4 = util.optimization_barrier %c4 : i32
    %f4 = vm.bitcast.i32.f32 %b4 : i32 -> f32
    %r4 = vm.cast.f32.si32 %f4 : f32 -> i32
    %c5 = vm.const.i32 2139095040
    %b5 = util.optimization_barrier %c5 : i32
    %f5 = vm.bitcast.i32.f32 %b5 : i32 -> f32
    %r5 = vm.cast.f32.si32 %f5 : f32 -> i32
    %c6 = vm.const.i32 -8388608
    %b6 = util.optimization_barrier %c6 : i32
    %f6 = vm.bitcast.i32.f32 %b6 : i32 -> f32
    %r6 = vm.cast.f32.si32 %f6 : f32 -> i32
    %c7 = vm.const.i32 2143289344
    %b7 = util.optimization_barrier %c7 : i32
    %f7 = vm.bitcast.i32.f32 %b7 : i32 -> f32
    %r7 = vm.cast.f32.si32 %f7 : f32 -> i32
    %c8 = vm.const.i32 -1071644672
    %b8 = util.optimization_barrier %c8 : i32
    %f8 = vm.bitcast.i32.f32 %b8 : i32 -> f32
    %r8 = vm.cast.f32.si32 %f8 : f32 -> i32
    %c9 = vm.const.i32 -553648128
    %b9 = util.optimization_barrier %c9 : i32
    %f9 = vm.bitcast.i32.f32 %b9 : i32 -> f32
    %r9 = vm.cast.f32.si32 %f9 : f32 -> i32
    %c10 = vm.const.i32 -545259520
    %b10 = util.optimization_barrier %c10 : i32
    %f10 = vm.bitcast.i32.f32 %b10 : i32 -> f32
    %r10 = vm.cast.f32.si32 %f10 : f32 -> i32
    %c11 = vm.const.i32 1075838976
    %b11 = util.optimization_barrier %c11 : i32
    %f11 = vm.bitcast.i32.f32 %b11 : i32 -> f32
    %r11 = vm.cast.f32.si32 %f11 : f32 -> i32
    %c12 = vm.const.i32 1585446912
    %b12 = util.optimization_barrier %c12 : i32
    %f12 = vm.bitcast.i32.f32 %b12 : i32 -> f32
    %r12 = vm.cast.f32.si32 %f12 : f32 -> i32
    %c13 = vm.const.i32 1333788673
    %b13 = util.optimization_barrier %c13 : i32
    %f13 = vm.bitcast.i32.f32 %b13 : i32 -> f32
    %r13 = vm.cast.f32.si32 %f13 : f32 -> i32
    vm.return %r0, %r1, %r2, %r3, %r4, %r5, %r6, %r7, %r8, %r9, %r10, %r11, %r12, %r13 : i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32
  }
  vm.export @test_f32_to_si32
  // vm.cast.f64.ui64 of: 2^64-2048, 2^63, 2^64, inf, nan, -2.5, -2^63, -1e300, 0.49999999999999994, 2^53+1.
  vm.func @test_f64_to_ui64() -> (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) {
    %c0 = vm.const.i64 4895412794951729151
    %b0 = util.optimization_barrier %c0 : i64
    %f0 = vm.bitcast.i64.f64 %b0 : i64 -> f64
    %r0 = vm.cast.f64.ui64 %f0 : f64 -> i64
    %c1 = vm.const.i64 4890909195324358656
    %b1 = util.optimization_barrier %c1 : i64
    %f1 = vm.bitcast.i64.f64 %b1 : i64 -> f64
    %r1 = vm.cast.f64.ui64 %f1 : f64 -> i64
    %c2 = vm.const.i64 4895412794951729152
    %b2 = util.optimization_barrier %c2 : i64
    %f2 = vm.bitcast.i64.f64 %b2 : i64 -> f64
    %r2 = vm.cast.f64.ui64 %f2 : f64 -> i64
    %c3 = vm.const.i64 9218868437227405312
    %b3 = util.optimization_barrier %c3 : i64
    %f3 = vm.bitcast.i64.f64 %b3 : i64 -> f64
    %r3 = vm.cast.f64.ui64 %f3 : f64 -> i64
    %c4 = vm.const.i64 9221120237041090560
    %b4 = util.optimization_barrier %c4 : i64
    %f4 = vm.bitcast.i64.f64 %b4 : i64 -> f64
    %r4 = vm.cast.f64.ui64 %f4 : f64 -> i64
    %c5 = vm.const.i64 -4610560118520545280
    %b5 = util.optimization_barrier %c5 : i64
    %f5 = vm.bitcast.i64.f64 %b5 : i64 -> f64
    %r5 = vm.cast.f64.ui64 %f5 : f64 -> i64
    %c6 = vm.const.i64 -4332462841530417152
    %b6 = util.optimization_barrier %c6 : i64
    %f6 = vm.bitcast.i64.f64 %b6 : i64 -> f64
    %r6 = vm.cast.f64.ui64 %f6 : f64 -> i64
    %c7 = vm.const.i64 -128383115725867620
    %b7 = util.optimization_barrier %c7 : i64
    %f7 = vm.bitcast.i64.f64 %b7 : i64 -> f64
    %r7 = vm.cast.f64.ui64 %f7 : f64 -> i64
    %c8 = vm.const.i64 4602678819172646911
    %b8 = util.optimization_barrier %c8 : i64
    %f8 = vm.bitcast.i64.f64 %b8 : i64 -> f64
    %r8 = vm.cast.f64.ui64 %f8 : f64 -> i64
    %c9 = vm.const.i64 4845873199050653696
    %b9 = util.optimization_barrier %c9 : i64
    %f9 = vm.bitcast.i64.f64 %b9 : i64 -> f64
    %r9 = vm.cast.f64.ui64 %f9 : f64 -> i64
    vm.return %r0, %r1, %r2, %r3, %r4, %r5, %r6, %r7, %r8, %r9 : i64, i64, i64, i64, i64, i64, i64, i64, i64, i64
  }
  vm.export @test_f64_to_ui64
  // vm.cast.f64.si64 of: 2^64-2048, 2^63, 2^64, inf, nan, -2.5, -2^63, -1e300, 0.49999999999999994, 2^53+1.
  vm.func @test_f64_to_si64() -> (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) {
    %c0 = vm.const.i64 4895412794951729151
    %b0 = util.optimization_barrier %c0 : i64
    %f0 = vm.bitcast.i64.f64 %b0 : i64 -> f64
    %r0 = vm.cast.f64.si64 %f0 : f64 -> i64
    %c1 = vm.const.i64 4890909195324358656
    %b1 = util.optimization_barrier %c1 : i64
    %f1 = vm.bitcast.i64.f64 %b1 : i64 -> f64
    %r1 = vm.cast.f64.si64 %f1 : f64 -> i64
    %c2 = vm.const.i64 4895412794951729152
    %b2 = util.optimization_barrier %c2 : i64
    %f2 = vm.bitcast.i64.f64 %b2 : i64 -> f64
    %r2 = vm.cast.f64.si64 %f2 : f64 -> i64
    %c3 = vm.const.i64 9218868437227405312
    %b3 = util.optimization_barrier %c3 : i64
    %f3 = vm.bitcast.i64.f64 %b3 : i64 -> f64
    %r3 = vm.cast.f64.si64 %f3 : f64 -> i64
    %c4 = vm.const.i64 9221120237041090560
    %b4 = util.optimization_barrier %c4 : i64
    %f4 = vm.bitcast.i64.f64 %b4 : i64 -> f64
    %r4 = vm.cast.f64.si64 %f4 : f64 -> i64
    %c5 = vm.const.i64 -4610560118520545280
    %b5 = util.optimization_barrier %c5 : i64
    %f5 = vm.bitcast.i64.f64 %b5 : i64 -> f64
    %r5 = vm.cast.f64.si64 %f5 : f64 -> i64
    %c6 = vm.const.i64 -4332462841530417152
    %b6 = util.optimization_barrier %c6 : i64
    %f6 = vm.bitcast.i64.f64 %b6 : i64 -> f64
    %r6 = vm.cast.f64.si64 %f6 : f64 -> i64
    %c7 = vm.const.i64 -128383115725867620
    %b7 = util.optimization_barrier %c7 : i64
    %f7 = vm.bitcast.i64.f64 %b7 : i64 -> f64
    %r7 = vm.cast.f64.si64 %f7 : f64 -> i64
    %c8 = vm.const.i64 4602678819172646911
    %b8 = util.optimization_barrier %c8 : i64
    %f8 = vm.bitcast.i64.f64 %b8 : i64 -> f64
    %r8 = vm.cast.f64.si64 %f8 : f64 -> i64
    %c9 = vm.const.i64 4845873199050653696
    %b9 = util.optimization_barrier %c9 : i64
    %f9 = vm.bitcast.i64.f64 %b9 : i64 -> f64
    %r9 = vm.cast.f64.si64 %f9 : f64 -> i64
    vm.return %r0, %r1, %r2, %r3, %r4, %r5, %r6, %r7, %r8, %r9 : i64, i64, i64, i64, i64, i64, i64, i64, i64, i64
  }
  vm.export @test_f64_to_si64
}
