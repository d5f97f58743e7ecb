// Indirect global access (vm.global.{load,store}.indirect.*). The compiler
// folds vm.global.address into direct access (see globals.mlir) and a
// !util.ptr cannot pass a barrier, call or block argument, so the address
// operand is written as the i32 it is encoded as: a byte offset into the
// module's primitive global storage, or an ordinal into its ref globals.
// iree-compile 3.13 lays these globals out as g_i32 @0, g_f32 @4, g_i64 @8,
// g_f64 @16 (24 bytes; see the __init function in globals_indirect.dis) and
// g_ref0, g_ref1 as ref ordinals 0 and 1.
// iree-compile 3.13 encodes vm.global.load.indirect.f32 as the f64 load
// (E1 02, an 8-byte read into a register pair; the low half is the f32), so
// test_indirect_f32 runs that opcode; assembled.vmasm has the real E0 02.
// Not recorded here: the reference bounds-checks the ExtF64 indirect load
// and store (E1 02/03) for 4 bytes, not 8, so at offsets 17..20 of this
// 24-byte storage it reads or writes up to 4 bytes past the end, where ours
// fails with OUT_OF_RANGE as for the i64 forms.
vm.module @globals_indirect {
  vm.global.i32 private mutable @g_i32 = 7 : i32
  vm.global.i64 private mutable @g_i64 = 1099511627776 : i64
  vm.global.f32 private mutable @g_f32 = 1.5 : f32
  vm.global.f64 private mutable @g_f64 = 2.25 : f64
  vm.global.ref private mutable @g_ref0 : !vm.buffer
  vm.global.ref private mutable @g_ref1 : !vm.buffer
  vm.func @test_indirect_i32() -> (i32, i32, i32) {
    %o0 = vm.const.i32 0
    %o = util.optimization_barrier %o0 : i32
    %a = "vm.global.load.indirect.i32"(%o) : (i32) -> i32
    %a2 = vm.add.i32 %a, %a : i32
    "vm.global.store.indirect.i32"(%a2, %o) : (i32, i32) -> ()
    %direct = vm.global.load.i32 @g_i32 : i32
    // The f32 global's bits, read as i32 through its offset.
    %p0 = vm.const.i32 4
    %p = util.optimization_barrier %p0 : i32
    %bits = "vm.global.load.indirect.i32"(%p) : (i32) -> i32
    vm.return %a, %direct, %bits : i32, i32, i32
  }
  vm.export @test_indirect_i32
  vm.func @test_indirect_i64() -> (i64, i64) {
    %o0 = vm.const.i32 8
    %o = util.optimization_barrier %o0 : i32
    %b = "vm.global.load.indirect.i64"(%o) : (i32) -> i64
    %one = vm.const.i64 1
    %b2 = vm.add.i64 %b, %one : i64
    "vm.global.store.indirect.i64"(%b2, %o) : (i64, i32) -> ()
    %direct = vm.global.load.i64 @g_i64 : i64
    vm.return %b, %direct : i64, i64
  }
  vm.export @test_indirect_i64
  vm.func @test_indirect_f32() -> (f32, f32) {
    %o0 = vm.const.i32 4
    %o = util.optimization_barrier %o0 : i32
    %c = "vm.global.load.indirect.f32"(%o) : (i32) -> f32
    %c2 = vm.mul.f32 %c, %c : f32
    "vm.global.store.indirect.f32"(%c2, %o) : (f32, i32) -> ()
    %direct = vm.global.load.f32 @g_f32 : f32
    vm.return %c, %direct : f32, f32
  }
  vm.export @test_indirect_f32
  vm.func @test_indirect_f64() -> (f64, f64) {
    %o0 = vm.const.i32 16
    %o = util.optimization_barrier %o0 : i32
    %d = "vm.global.load.indirect.f64"(%o) : (i32) -> f64
    %d2 = vm.mul.f64 %d, %d : f64
    "vm.global.store.indirect.f64"(%d2, %o) : (f64, i32) -> ()
    %direct = vm.global.load.f64 @g_f64 : f64
    vm.return %d, %direct : f64, f64
  }
  vm.export @test_indirect_f64
  vm.func @test_indirect_ref() -> (i32, i32, i64, i32) {
    %o0 = vm.const.i32 1
    %o = util.optimization_barrier %o0 : i32
    %before = "vm.global.load.indirect.ref"(%o) : (i32) -> !vm.buffer
    %was_set = vm.cmp.nz.ref %before : !vm.buffer
    %len = vm.const.i64 12
    %align = vm.const.i32 16
    %buf = vm.buffer.alloc %len, %align : !vm.buffer
    "vm.global.store.indirect.ref"(%buf, %o) : (!vm.buffer, i32) -> ()
    %direct = vm.global.load.ref @g_ref1 : !vm.buffer
    %same = vm.cmp.eq.ref %direct, %buf : !vm.buffer
    %l = vm.buffer.length %direct : !vm.buffer -> i64
    %other = vm.global.load.ref @g_ref0 : !vm.buffer
    %other_set = vm.cmp.nz.ref %other : !vm.buffer
    vm.return %was_set, %same, %l, %other_set : i32, i32, i64, i32
  }
  vm.export @test_indirect_ref
  vm.func @fail_indirect_i32_oob() -> i32 {
    %o0 = vm.const.i32 24
    %o = util.optimization_barrier %o0 : i32
    %a = "vm.global.load.indirect.i32"(%o) : (i32) -> i32
    vm.return %a : i32
  }
  vm.export @fail_indirect_i32_oob
  vm.func @fail_indirect_i64_straddle() -> i64 {
    %o0 = vm.const.i32 20
    %o = util.optimization_barrier %o0 : i32
    %b = vm.const.i64 5
    "vm.global.store.indirect.i64"(%b, %o) : (i64, i32) -> ()
    vm.return %b : i64
  }
  vm.export @fail_indirect_i64_straddle
  vm.func @fail_indirect_ref_oob() -> i32 {
    %o0 = vm.const.i32 2
    %o = util.optimization_barrier %o0 : i32
    %r = "vm.global.load.indirect.ref"(%o) : (i32) -> !vm.buffer
    %nz = vm.cmp.nz.ref %r : !vm.buffer
    vm.return %nz : i32
  }
  vm.export @fail_indirect_ref_oob
}
