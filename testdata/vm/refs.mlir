// Ref casts and copies: vm.cast.ref.any / vm.cast.any.ref (the barrier keeps
// the !vm.ref<?> value opaque, else the cast pair folds away) and
// vm.assign.ref (a ref copy that keeps the source alive).
vm.module @refs {
  vm.func @test_cast_any_ref() -> (i32, i64) {
    %len = vm.const.i64 4
    %align = vm.const.i32 4
    %b = vm.buffer.alloc %len, %align : !vm.buffer
    %any0 = vm.cast.ref.any %b : !vm.buffer -> !vm.ref<?>
    %any = util.optimization_barrier %any0 : !vm.ref<?>
    %back = vm.cast.any.ref %any : !vm.ref<?> -> !vm.buffer
    %nz = vm.cmp.nz.ref %back : !vm.buffer
    %l = vm.buffer.length %back : !vm.buffer -> i64
    vm.return %nz, %l : i32, i64
  }
  vm.export @test_cast_any_ref
  vm.func @test_cast_any_ref_null() -> i32 {
    %n0 = vm.const.ref.zero : !vm.ref<?>
    %n = util.optimization_barrier %n0 : !vm.ref<?>
    %back = vm.cast.any.ref %n : !vm.ref<?> -> !vm.buffer
    %nz = vm.cmp.nz.ref %back : !vm.buffer
    vm.return %nz : i32
  }
  vm.export @test_cast_any_ref_null
  vm.func @fail_cast_any_ref_mismatch() -> i32 {
    %n = vm.const.i32 4
    %l = vm.list.alloc %n : (i32) -> !vm.list<i32>
    %any0 = vm.cast.ref.any %l : !vm.list<i32> -> !vm.ref<?>
    %any = util.optimization_barrier %any0 : !vm.ref<?>
    %back = vm.cast.any.ref %any : !vm.ref<?> -> !vm.buffer
    %nz = vm.cmp.nz.ref %back : !vm.buffer
    vm.return %nz : i32
  }
  vm.export @fail_cast_any_ref_mismatch
  vm.func @test_assign_ref() -> (i32, i64, i64) {
    %len0 = vm.const.i64 6
    %len = util.optimization_barrier %len0 : i64
    %align = vm.const.i32 4
    %b = vm.buffer.alloc %len, %align : !vm.buffer
    %c = vm.assign.ref %b : !vm.buffer -> !vm.buffer
    %e = vm.cmp.eq.ref %b, %c : !vm.buffer
    %lb = vm.buffer.length %b : !vm.buffer -> i64
    %lc = vm.buffer.length %c : !vm.buffer -> i64
    vm.return %e, %lb, %lc : i32, i64, i64
  }
  vm.export @test_assign_ref
}
