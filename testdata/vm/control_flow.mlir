// Branches, loops, branch tables and internal calls.
vm.module @control_flow {
  vm.func private @sum_to(%n: i32) -> i32 {
    %zero = vm.const.i32.zero
    %one = vm.const.i32 1
    vm.br ^loop(%zero, %zero : i32, i32)
  ^loop(%i: i32, %acc: i32):
    %done = vm.cmp.gt.i32.s %i, %n : i32
    vm.cond_br %done, ^exit(%acc : i32), ^body
  ^body:
    %acc2 = vm.add.i32 %acc, %i : i32
    %i2 = vm.add.i32 %i, %one : i32
    vm.br ^loop(%i2, %acc2 : i32, i32)
  ^exit(%r: i32):
    vm.return %r : i32
  }
  vm.func private @classify(%x: i32) -> i32 {
    vm.br_table %x {
      default: ^bb_default,
      0: ^bb0,
      1: ^bb1,
      2: ^bb1
    }
  ^bb0:
    %a = vm.const.i32 100
    vm.return %a : i32
  ^bb1:
    %b = vm.const.i32 200
    vm.return %b : i32
  ^bb_default:
    %c = vm.const.i32 300
    vm.return %c : i32
  }
  vm.func private @swap(%a: i32, %b: i64) -> (i64, i32) {
    vm.return %b, %a : i64, i32
  }
  vm.func @test_loop() -> i32 {
    %n0 = vm.const.i32 10
    %n = util.optimization_barrier %n0 : i32
    %r = vm.call @sum_to(%n) : (i32) -> i32
    vm.return %r : i32
  }
  vm.export @test_loop
  vm.func @test_br_table() -> (i32, i32, i32, i32) {
    %c0 = vm.const.i32 0
    %c1 = vm.const.i32 2
    %c2 = vm.const.i32 7
    %c3 = vm.const.i32 -1
    %a = util.optimization_barrier %c0 : i32
    %b = util.optimization_barrier %c1 : i32
    %c = util.optimization_barrier %c2 : i32
    %d = util.optimization_barrier %c3 : i32
    %0 = vm.call @classify(%a) : (i32) -> i32
    %1 = vm.call @classify(%b) : (i32) -> i32
    %2 = vm.call @classify(%c) : (i32) -> i32
    %3 = vm.call @classify(%d) : (i32) -> i32
    vm.return %0, %1, %2, %3 : i32, i32, i32, i32
  }
  vm.export @test_br_table
  vm.func @test_call_multi() -> (i64, i32) {
    %a0 = vm.const.i32 5
    %b0 = vm.const.i64 6
    %a = util.optimization_barrier %a0 : i32
    %b = util.optimization_barrier %b0 : i64
    %r:2 = vm.call @swap(%a, %b) : (i32, i64) -> (i64, i32)
    vm.return %r#0, %r#1 : i64, i32
  }
  vm.export @test_call_multi
  vm.func @test_echo(%a: i32, %b: i64, %c: f32) -> (f32, i64, i32) {
    vm.return %c, %b, %a : f32, i64, i32
  }
  vm.export @test_echo
}
