// Benchmark: a tight arithmetic loop, `n` iterations of mixed i32/i64 ops.
// Run with --function=loop --input=<n>.
vm.module @loop_heavy {
  vm.func @loop(%n: i32) -> (i32, i64) {
    %zero = vm.const.i32.zero
    %one = vm.const.i32 1
    %seven = vm.const.i32 7
    %mask = vm.const.i32 65535
    %zero64 = vm.const.i64.zero
    vm.br ^loop(%zero, %zero, %zero64 : i32, i32, i64)
  ^loop(%i: i32, %acc: i32, %wide: i64):
    %done = vm.cmp.gte.i32.s %i, %n : i32
    vm.cond_br %done, ^exit(%acc, %wide : i32, i64), ^body
  ^body:
    %sq = vm.mul.i32 %i, %i : i32
    %x = vm.xor.i32 %acc, %sq : i32
    %r = vm.rem.i32.u %x, %seven : i32
    %m = vm.and.i32 %x, %mask : i32
    %acc2 = vm.add.i32 %m, %r : i32
    %e = vm.ext.i32.i64.s %acc2 : i32 -> i64
    %wide2 = vm.add.i64 %wide, %e : i64
    %i2 = vm.add.i32 %i, %one : i32
    vm.br ^loop(%i2, %acc2, %wide2 : i32, i32, i64)
  ^exit(%ra: i32, %rw: i64):
    vm.return %ra, %rw : i32, i64
  }
  vm.export @loop
}
