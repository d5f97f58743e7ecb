// Cross-module import calls, optional imports, and ref casts. Run with
// --module=calls_callee.vmfb --module=calls.vmfb.
vm.module @calls {
  vm.import private @callee.add(%a: i32, %b: i32) -> i32
  vm.import private @callee.fail_inner()
  vm.import private optional @missing.fn(%a: i32) -> i32
  vm.func @test_import_call() -> i32 {
    %a0 = vm.const.i32 40
    %a = util.optimization_barrier %a0 : i32
    %b = vm.const.i32 2
    %r = vm.call @callee.add(%a, %b) : (i32, i32) -> i32
    vm.return %r : i32
  }
  vm.export @test_import_call
  vm.func @test_optional_import() -> i32 {
    %has = vm.import.resolved @missing.fn : i32
    vm.return %has : i32
  }
  vm.export @test_optional_import
  vm.func @fail_in_import() {
    vm.call @callee.fail_inner() : () -> ()
    vm.return
  }
  vm.export @fail_in_import
  vm.func @test_cast_ref() -> i32 {
    %len = vm.const.i64 4
    %align = vm.const.i32 4
    %b = vm.buffer.alloc %len, %align : !vm.buffer
    %any = vm.cast.ref.any %b : !vm.buffer -> !vm.ref<?>
    %back = vm.cast.any.ref %any : !vm.ref<?> -> !vm.buffer
    %nz = vm.cmp.nz.ref %back : !vm.buffer
    vm.return %nz : i32
  }
  vm.export @test_cast_ref
}
