// Globals of every storage class, direct and indirect access, initializers.
vm.module @globals {
  vm.global.i32 private mutable @g_i32 = 7 : i32
  vm.global.i64 private mutable @g_i64 = 1099511627776 : i64
  vm.global.f32 private mutable @g_f32 = 1.5 : f32
  vm.global.f64 private mutable @g_f64 = 2.25 : f64
  vm.global.ref private mutable @g_ref : !vm.buffer
  vm.global.i32 private mutable @g_init : i32
  vm.initializer {
    %c = vm.const.i32 42
    vm.global.store.i32 %c, @g_init : i32
    vm.return
  }
  vm.func @test_direct() -> (i32, i64, f32, f64, i32) {
    %a = vm.global.load.i32 @g_i32 : i32
    %b = vm.global.load.i64 @g_i64 : i64
    %c = vm.global.load.f32 @g_f32 : f32
    %d = vm.global.load.f64 @g_f64 : f64
    %e = vm.global.load.i32 @g_init : i32
    %a2 = vm.add.i32 %a, %a : i32
    vm.global.store.i32 %a2, @g_i32 : i32
    %b2 = vm.add.i64 %b, %b : i64
    vm.global.store.i64 %b2, @g_i64 : i64
    %c2 = vm.add.f32 %c, %c : f32
    vm.global.store.f32 %c2, @g_f32 : f32
    %d2 = vm.add.f64 %d, %d : f64
    vm.global.store.f64 %d2, @g_f64 : f64
    %a3 = vm.global.load.i32 @g_i32 : i32
    %b3 = vm.global.load.i64 @g_i64 : i64
    %c3 = vm.global.load.f32 @g_f32 : f32
    %d3 = vm.global.load.f64 @g_f64 : f64
    vm.return %a3, %b3, %c3, %d3, %e : i32, i64, f32, f64, i32
  }
  vm.export @test_direct
  vm.func @test_ref() -> (i32, i64) {
    %n0 = vm.global.load.ref @g_ref : !vm.buffer
    %was_null = vm.cmp.nz.ref %n0 : !vm.buffer
    %len = vm.const.i64 12
    %align = vm.const.i32 16
    %buf = vm.buffer.alloc %len, %align : !vm.buffer
    vm.global.store.ref %buf, @g_ref : !vm.buffer
    %b2 = vm.global.load.ref @g_ref : !vm.buffer
    %l2 = vm.buffer.length %b2 : !vm.buffer -> i64
    vm.return %was_null, %l2 : i32, i64
  }
  vm.export @test_ref
  // NOTE: the compiler folds vm.global.address + indirect access into direct
  // access, so this records semantics but emits no *.indirect opcodes
  // (globals_indirect.mlir has them).
  vm.func @test_indirect() -> (i32, i64, f32, f64, i32) {
    %pa = vm.global.address @g_i32 : !util.ptr<i32>
    %pb = vm.global.address @g_i64 : !util.ptr<i64>
    %pc = vm.global.address @g_f32 : !util.ptr<f32>
    %pd = vm.global.address @g_f64 : !util.ptr<f64>
    %pr = vm.global.address @g_ref : !util.ptr<!vm.buffer>
    %a = vm.global.load.indirect.i32 %pa : !util.ptr<i32> -> i32
    %b = vm.global.load.indirect.i64 %pb : !util.ptr<i64> -> i64
    %c = vm.global.load.indirect.f32 %pc : !util.ptr<f32> -> f32
    %d = vm.global.load.indirect.f64 %pd : !util.ptr<f64> -> f64
    %a2 = vm.add.i32 %a, %a : i32
    vm.global.store.indirect.i32 %a2, %pa : i32 -> !util.ptr<i32>
    vm.global.store.indirect.i64 %b, %pb : i64 -> !util.ptr<i64>
    vm.global.store.indirect.f32 %c, %pc : f32 -> !util.ptr<f32>
    vm.global.store.indirect.f64 %d, %pd : f64 -> !util.ptr<f64>
    %r = vm.global.load.indirect.ref %pr : !util.ptr<!vm.buffer> -> !vm.buffer
    vm.global.store.indirect.ref %r, %pr : !vm.buffer -> !util.ptr<!vm.buffer>
    %nz = vm.cmp.nz.ref %r : !vm.buffer
    %a3 = vm.global.load.i32 @g_i32 : i32
    vm.return %a3, %b, %c, %d, %nz : i32, i64, f32, f64, i32
  }
  vm.export @test_indirect
}
