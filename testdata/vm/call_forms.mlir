// The call opcodes other than vm.call: vm.call.yieldable (to an internal
// function and to an import), vm.call.variadic and
// vm.call.variadic.yieldable. Run with --module=calls_callee.vmfb
// --module=call_forms.vmfb.
//
// A variadic import must resolve to an export with the same variadic
// calling convention ("0CiD_i" here); the reference rejects a bytecode
// export such as callee.add ("0ii_i") at context creation ("import function
// callee.add signature mismatch"), and bytecode functions cannot be
// variadic, so with bytecode modules only an unresolved optional import can
// be the target: the variadic calls run and fail with NOT_FOUND.
vm.module @call_forms {
  vm.import private @callee.add(%a : i32, %b : i32) -> i32
  vm.import private optional @missing.sum(%a : i32 ...) -> i32
  vm.import private optional @missing.sum_yieldable(%a : i32 ...) -> i32
  vm.func private @twice(%a : i32) -> i32 {
    %r = vm.add.i32 %a, %a : i32
    vm.return %r : i32
  }
  vm.func @test_call_yieldable_internal() -> i32 {
    %a0 = vm.const.i32 21
    %a = util.optimization_barrier %a0 : i32
    vm.call.yieldable @twice(%a) : (i32) -> ^resume(i32)
  ^resume(%r : i32):
    vm.return %r : i32
  }
  vm.export @test_call_yieldable_internal
  vm.func @test_call_yieldable_import() -> i32 {
    %a0 = vm.const.i32 40
    %a = util.optimization_barrier %a0 : i32
    %b = vm.const.i32 2
    vm.call.yieldable @callee.add(%a, %b) : (i32, i32) -> ^resume(i32)
  ^resume(%r : i32):
    %r2 = vm.add.i32 %r, %a : i32
    vm.return %r2 : i32
  }
  vm.export @test_call_yieldable_import
  vm.func @test_variadic_guarded() -> i32 {
    %has = vm.import.resolved @missing.sum : i32
    vm.cond_br %has, ^call, ^skip
  ^call:
    %a = vm.const.i32 1
    %r = vm.call.variadic @missing.sum([%a, %a]) : (i32 ...) -> i32
    vm.return %r : i32
  ^skip:
    %m = vm.const.i32 -1
    vm.return %m : i32
  }
  vm.export @test_variadic_guarded
  vm.func @fail_call_variadic_unresolved() -> i32 {
    %a0 = vm.const.i32 40
    %a = util.optimization_barrier %a0 : i32
    %b = vm.const.i32 2
    %r = vm.call.variadic @missing.sum([%a, %b]) : (i32 ...) -> i32
    vm.return %r : i32
  }
  vm.export @fail_call_variadic_unresolved
  vm.func @fail_call_variadic_yieldable_unresolved() -> i32 {
    %a0 = vm.const.i32 40
    %a = util.optimization_barrier %a0 : i32
    %b = vm.const.i32 2
    // No custom syntax parses this op in 3.13; the generic form does.
    "vm.call.variadic.yieldable"(%a, %b)[^resume] <{callee = @missing.sum_yieldable, segment_sizes = dense<[2]> : vector<1xi16>, segment_types = [i32], result_types = [i32]}> : (i32, i32) -> ()
  ^resume(%r : i32):
    vm.return %r : i32
  }
  vm.export @fail_call_variadic_yieldable_unresolved
}
