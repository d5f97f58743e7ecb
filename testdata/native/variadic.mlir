// Variadic import calls (vm.call.variadic, vm.call.variadic.yieldable) into
// a native module `native`, which the C test c_tests/vm_variadic_import.c
// implements. The reference iree-run-module has no such module, so this
// lives outside testdata/vm/ (whose modules are run against it); rebuild
// with tools/regen_native_testdata.sh.
//
// Each span `C...D` is packed as an i32 count followed by that many tuples;
// the count is the call's segment size for that argument.
vm.module @variadic {
  // 0CiD_i: sum of a span of i32.
  vm.import private @native.sum(%values : i32 ...) -> i32
  // 0CiiD_i: sum of a*b over a span of pairs.
  vm.import private @native.dot(%pairs : tuple<i32, i32> ...) -> i32
  // 0iCiD_i: scale * sum(values).
  vm.import private @native.scaled_sum(%scale : i32, %values : i32 ...) -> i32
  // 0CiDiCiD_i: sum(a) * k - sum(b), spans on both sides of a fixed arg.
  vm.import private @native.mix(%a : i32 ..., %k : i32, %b : i32 ...) -> i32
  // 0CID_I: sum of a span of i64.
  vm.import private @native.sum64(%values : i64 ...) -> i64
  // 0CrD_i: total byte length of a span of buffers.
  vm.import private @native.lengths(%buffers : !vm.buffer ...) -> i32
  // 0iCiD_i: fails with ABORTED ("native fail <code>").
  vm.import private @native.fail(%code : i32, %values : i32 ...) -> i32
  // 0CiD_i: sum, called with vm.call.variadic.yieldable.
  vm.import private @native.sum_yieldable(%values : i32 ...) -> i32

  vm.func @test_sum3() -> i32 {
    %c1 = vm.const.i32 1
    %a = util.optimization_barrier %c1 : i32
    %c20 = vm.const.i32 20
    %b = util.optimization_barrier %c20 : i32
    %c300 = vm.const.i32 300
    %c = util.optimization_barrier %c300 : i32
    %r = vm.call.variadic @native.sum([%a, %b, %c]) : (i32 ...) -> i32
    vm.return %r : i32
  }
  vm.export @test_sum3
  vm.func @test_sum1() -> i32 {
    %c7 = vm.const.i32 7
    %a = util.optimization_barrier %c7 : i32
    %r = vm.call.variadic @native.sum([%a]) : (i32 ...) -> i32
    vm.return %r : i32
  }
  vm.export @test_sum1
  vm.func @test_sum_empty() -> i32 {
    %r = vm.call.variadic @native.sum([]) : (i32 ...) -> i32
    vm.return %r : i32
  }
  vm.export @test_sum_empty
  vm.func @test_sum_repeated() -> i32 {
    // The same register several times, and a segment larger than the
    // function's register count.
    %c5 = vm.const.i32 5
    %a = util.optimization_barrier %c5 : i32
    %r = vm.call.variadic @native.sum([%a, %a, %a, %a, %a, %a, %a, %a, %a, %a]) : (i32 ...) -> i32
    vm.return %r : i32
  }
  vm.export @test_sum_repeated
  vm.func @test_dot() -> i32 {
    %c2 = vm.const.i32 2
    %a = util.optimization_barrier %c2 : i32
    %c3 = vm.const.i32 3
    %b = util.optimization_barrier %c3 : i32
    %c10 = vm.const.i32 10
    %c = util.optimization_barrier %c10 : i32
    %c100 = vm.const.i32 100
    %d = util.optimization_barrier %c100 : i32
    // 2*3 + 10*100 + 3*10
    %r = vm.call.variadic @native.dot([(%a, %b), (%c, %d), (%b, %c)]) : (tuple<i32, i32> ...) -> i32
    vm.return %r : i32
  }
  vm.export @test_dot
  vm.func @test_scaled_sum() -> i32 {
    %c3 = vm.const.i32 3
    %s = util.optimization_barrier %c3 : i32
    %c4 = vm.const.i32 4
    %a = util.optimization_barrier %c4 : i32
    %c10 = vm.const.i32 10
    %b = util.optimization_barrier %c10 : i32
    // 3 * (4 + 10)
    %r = vm.call.variadic @native.scaled_sum(%s, [%a, %b]) : (i32, i32 ...) -> i32
    vm.return %r : i32
  }
  vm.export @test_scaled_sum
  vm.func @test_scaled_sum_empty() -> i32 {
    %c9 = vm.const.i32 9
    %s = util.optimization_barrier %c9 : i32
    %r = vm.call.variadic @native.scaled_sum(%s, []) : (i32, i32 ...) -> i32
    vm.return %r : i32
  }
  vm.export @test_scaled_sum_empty
  vm.func @test_mix() -> i32 {
    %c1 = vm.const.i32 1
    %a = util.optimization_barrier %c1 : i32
    %c2 = vm.const.i32 2
    %b = util.optimization_barrier %c2 : i32
    %c100 = vm.const.i32 100
    %k = util.optimization_barrier %c100 : i32
    %c7 = vm.const.i32 7
    %d = util.optimization_barrier %c7 : i32
    // (1 + 2) * 100 - (7 + 7 + 7)
    %r = vm.call.variadic @native.mix([%a, %b], %k, [%d, %d, %d]) : (i32 ..., i32, i32 ...) -> i32
    vm.return %r : i32
  }
  vm.export @test_mix
  vm.func @test_sum64() -> i64 {
    %c1 = vm.const.i64 4294967296
    %a = util.optimization_barrier %c1 : i64
    %c2 = vm.const.i64 -5
    %b = util.optimization_barrier %c2 : i64
    %c3 = vm.const.i64 1099511627776
    %c = util.optimization_barrier %c3 : i64
    // 2^32 - 5 + 2^40
    %r = vm.call.variadic @native.sum64([%a, %b, %c]) : (i64 ...) -> i64
    vm.return %r : i64
  }
  vm.export @test_sum64
  vm.func @test_lengths() -> i32 {
    %align = vm.const.i32 16
    %l3 = vm.const.i64 3
    %l40 = vm.const.i64 40
    %b0 = vm.buffer.alloc %l3, %align : !vm.buffer
    %b1 = vm.buffer.alloc %l40, %align : !vm.buffer
    // 3 + 40 + 3
    %r = vm.call.variadic @native.lengths([%b0, %b1, %b0]) : (!vm.buffer ...) -> i32
    vm.return %r : i32
  }
  vm.export @test_lengths
  vm.func @test_sum_yieldable() -> i32 {
    %c40 = vm.const.i32 40
    %a = util.optimization_barrier %c40 : i32
    %c2 = vm.const.i32 2
    %b = util.optimization_barrier %c2 : i32
    // No custom syntax parses this op in 3.13; the generic form does.
    "vm.call.variadic.yieldable"(%a, %b, %b)[^resume] <{callee = @native.sum_yieldable, segment_sizes = dense<[3]> : vector<1xi16>, segment_types = [i32], result_types = [i32]}> : (i32, i32, i32) -> ()
  ^resume(%r : i32):
    %r2 = vm.add.i32 %r, %b : i32
    vm.return %r2 : i32
  }
  vm.export @test_sum_yieldable
  vm.func @fail_native() -> i32 {
    %c7 = vm.const.i32 7
    %a = util.optimization_barrier %c7 : i32
    %r = vm.call.variadic @native.fail(%a, [%a, %a]) : (i32, i32 ...) -> i32
    vm.return %r : i32
  }
  vm.export @fail_native
}
