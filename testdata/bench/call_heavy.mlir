// Benchmark: call overhead. `calls(n)` makes `n` calls to a small leaf
// function in a loop; `chain(n)` makes `n` calls into a four-deep call
// chain (5n calls in all). Recursion is avoided: iree-compile 3.13 does not
// finish on recursive vm.call graphs. Inlining is disabled so the calls
// stay calls. Run with --function=calls --input=<n> (or chain).
vm.module @call_heavy {
  vm.func private @leaf(%a: i32, %b: i64) -> (i32, i64) attributes {inlining_policy = #util.inline.never} {
    %one = vm.const.i32 1
    %a2 = vm.add.i32 %a, %one : i32
    %e = vm.ext.i32.i64.s %a : i32 -> i64
    %b2 = vm.add.i64 %b, %e : i64
    vm.return %a2, %b2 : i32, i64
  }
  vm.func @calls(%n: i32) -> (i32, i64) {
    %zero = vm.const.i32.zero
    %one = vm.const.i32 1
    %zero64 = vm.const.i64.zero
    vm.br ^loop(%zero, %zero, %zero64 : i32, i32, i64)
  ^loop(%i: i32, %a: i32, %b: i64):
    %done = vm.cmp.gte.i32.s %i, %n : i32
    vm.cond_br %done, ^exit(%a, %b : i32, i64), ^body
  ^body:
    %a2, %b2 = vm.call @leaf(%a, %b) : (i32, i64) -> (i32, i64)
    %i2 = vm.add.i32 %i, %one : i32
    vm.br ^loop(%i2, %a2, %b2 : i32, i32, i64)
  ^exit(%ra: i32, %rb: i64):
    vm.return %ra, %rb : i32, i64
  }
  vm.export @calls
  vm.func private @level4(%x: i32) -> i32 attributes {inlining_policy = #util.inline.never} {
    %c = vm.const.i32 3
    %r = vm.xor.i32 %x, %c : i32
    vm.return %r : i32
  }
  vm.func private @level3(%x: i32) -> i32 attributes {inlining_policy = #util.inline.never} {
    %y = vm.call @level4(%x) : (i32) -> i32
    %c = vm.const.i32 5
    %r = vm.add.i32 %y, %c : i32
    vm.return %r : i32
  }
  vm.func private @level2(%x: i32) -> i32 attributes {inlining_policy = #util.inline.never} {
    %y = vm.call @level3(%x) : (i32) -> i32
    %c = vm.const.i32 7
    %r = vm.mul.i32 %y, %c : i32
    vm.return %r : i32
  }
  vm.func private @level1(%x: i32) -> i32 attributes {inlining_policy = #util.inline.never} {
    %y = vm.call @level2(%x) : (i32) -> i32
    %c = vm.const.i32 65535
    %r = vm.and.i32 %y, %c : i32
    vm.return %r : i32
  }
  vm.func @chain(%n: i32) -> i32 {
    %zero = vm.const.i32.zero
    %one = vm.const.i32 1
    vm.br ^loop(%zero, %zero : i32, i32)
  ^loop(%i: i32, %acc: i32):
    %done = vm.cmp.gte.i32.s %i, %n : i32
    vm.cond_br %done, ^exit(%acc : i32), ^body
  ^body:
    %v = vm.add.i32 %acc, %i : i32
    %acc2 = vm.call @level1(%v) : (i32) -> i32
    %i2 = vm.add.i32 %i, %one : i32
    vm.br ^loop(%i2, %acc2 : i32, i32)
  ^exit(%r: i32):
    vm.return %r : i32
  }
  vm.export @chain
}
