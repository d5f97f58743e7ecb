// Lists (all element kinds) and byte buffers.
vm.module @lists_buffers {
  vm.rodata private @ro dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xi8>
  vm.func @test_list() -> (i32, i32, i64, f32, f64, i32) {
    %c4 = vm.const.i32 4
    %c6 = vm.const.i32 6
    %l = vm.list.alloc %c4 : (i32) -> !vm.list<?>
    vm.list.reserve %l, %c6 : (!vm.list<?>, i32)
    vm.list.resize %l, %c6 : (!vm.list<?>, i32)
    %i0 = vm.const.i32 0
    %i1 = vm.const.i32 1
    %i2 = vm.const.i32 2
    %i3 = vm.const.i32 3
    %i4 = vm.const.i32 4
    %v32 = vm.const.i32 -5
    %v64 = vm.const.i64 6000000000
    %vf = vm.const.f32 0.25
    %vd = vm.const.f64 0.125
    vm.list.set.i32 %l, %i0, %v32 : (!vm.list<?>, i32, i32)
    vm.list.set.i64 %l, %i1, %v64 : (!vm.list<?>, i32, i64)
    vm.list.set.f32 %l, %i2, %vf : (!vm.list<?>, i32, f32)
    vm.list.set.f64 %l, %i3, %vd : (!vm.list<?>, i32, f64)
    vm.list.set.ref %l, %i4, %l : (!vm.list<?>, i32, !vm.list<?>)
    %size = vm.list.size %l : (!vm.list<?>) -> i32
    %g32 = vm.list.get.i32 %l, %i0 : (!vm.list<?>, i32) -> i32
    %g64 = vm.list.get.i64 %l, %i1 : (!vm.list<?>, i32) -> i64
    %gf = vm.list.get.f32 %l, %i2 : (!vm.list<?>, i32) -> f32
    %gd = vm.list.get.f64 %l, %i3 : (!vm.list<?>, i32) -> f64
    %gr = vm.list.get.ref %l, %i4 : (!vm.list<?>, i32) -> !vm.list<?>
    %same = vm.cmp.eq.ref %gr, %l : !vm.list<?>
    vm.list.set.ref %l, %i4, %gr : (!vm.list<?>, i32, !vm.list<?>)
    %z = vm.const.ref.zero : !vm.list<?>
    vm.list.set.ref %l, %i4, %z : (!vm.list<?>, i32, !vm.list<?>)
    vm.return %size, %g32, %g64, %gf, %gd, %same : i32, i32, i64, f32, f64, i32
  }
  vm.export @test_list
  vm.func @test_buffer_rw() -> (i32, i32, i32, i32, i32, i64, f32, f64) {
    %len = vm.const.i64 64
    %align = vm.const.i32 16
    %b = vm.buffer.alloc %len, %align : !vm.buffer
    %o0 = vm.const.i64 0
    %o1 = vm.const.i64 1
    %o2 = vm.const.i64 2
    %o4 = vm.const.i64 4
    %o8 = vm.const.i64 8
    %o16 = vm.const.i64 16
    %o24 = vm.const.i64 24
    %v = vm.const.i32 -2
    vm.buffer.store.i8 %v, %b[%o0] : i32 -> !vm.buffer
    vm.buffer.store.i16 %v, %b[%o1] : i32 -> !vm.buffer
    vm.buffer.store.i32 %v, %b[%o2] : i32 -> !vm.buffer
    %v64 = vm.const.i64 -3
    vm.buffer.store.i64 %v64, %b[%o1] : i64 -> !vm.buffer
    %vf = vm.const.f32 1.5
    vm.buffer.store.f32 %vf, %b[%o4] : f32 -> !vm.buffer
    %vd = vm.const.f64 2.5
    vm.buffer.store.f64 %vd, %b[%o2] : f64 -> !vm.buffer
    %a = vm.buffer.load.i8.s %b[%o0] : !vm.buffer -> i32
    %c = vm.buffer.load.i8.u %b[%o0] : !vm.buffer -> i32
    %d = vm.buffer.load.i16.s %b[%o1] : !vm.buffer -> i32
    %e = vm.buffer.load.i16.u %b[%o1] : !vm.buffer -> i32
    %f = vm.buffer.load.i32 %b[%o2] : !vm.buffer -> i32
    %g = vm.buffer.load.i64 %b[%o1] : !vm.buffer -> i64
    %h = vm.buffer.load.f32 %b[%o4] : !vm.buffer -> f32
    %k = vm.buffer.load.f64 %b[%o2] : !vm.buffer -> f64
    vm.return %a, %c, %d, %e, %f, %g, %h, %k : i32, i32, i32, i32, i32, i64, f32, f64
  }
  vm.export @test_buffer_rw
  vm.func @test_buffer_bulk() -> (i64, i32, i32, i32, i32, i64) {
    %ro = vm.const.ref.rodata @ro : !vm.buffer
    %o0 = vm.const.i64 0
    %o2 = vm.const.i64 2
    %n4 = vm.const.i64 4
    %n8 = vm.const.i64 8
    %align = vm.const.i32 16
    %clone = vm.buffer.clone %ro, %o0, %n8, %align : !vm.buffer -> !vm.buffer
    %len = vm.buffer.length %clone : !vm.buffer -> i64
    %same = vm.buffer.compare %ro, %o0, %clone, %o0, %n8 : !vm.buffer, !vm.buffer
    %f8 = vm.const.i32 9
    vm.buffer.fill.i8 %clone, %o0, %o2, %f8 : i32 -> !vm.buffer
    %f16 = vm.const.i32 0x0102
    vm.buffer.fill.i16 %clone, %o2, %o2, %f16 : i32 -> !vm.buffer
    %f32v = vm.const.i32 7
    vm.buffer.fill.i32 %clone, %n4, %n4, %f32v : i32 -> !vm.buffer
    %w = vm.buffer.load.i32 %clone[%o0] : !vm.buffer -> i32
    %differs = vm.buffer.compare %ro, %o0, %clone, %o0, %n8 : !vm.buffer, !vm.buffer
    vm.buffer.copy %ro, %o0, %clone, %o0, %n4 : !vm.buffer -> !vm.buffer
    %w2 = vm.buffer.load.i32 %clone[%o0] : !vm.buffer -> i32
    %big = vm.buffer.alloc %n8, %align : !vm.buffer
    %f64v = vm.const.i64 -1
    vm.buffer.fill.i64 %big, %o0, %n8, %f64v : i64 -> !vm.buffer
    %ff = vm.const.f32 1.0
    vm.buffer.fill.f32 %big, %o0, %n4, %ff : f32 -> !vm.buffer
    %fd = vm.const.f64 1.0
    vm.buffer.fill.f64 %big, %o0, %n8, %fd : f64 -> !vm.buffer
    %last = vm.buffer.load.i64 %big[%o0] : !vm.buffer -> i64
    vm.return %len, %same, %w, %differs, %w2, %last : i64, i32, i32, i32, i32, i64
  }
  vm.export @test_buffer_bulk
  vm.func @fail_buffer_oob() -> i32 {
    %ro = vm.const.ref.rodata @ro : !vm.buffer
    %o = vm.const.i64 6
    %x = vm.buffer.load.i32 %ro[%o] : !vm.buffer -> i32
    vm.return %x : i32
  }
  vm.export @fail_buffer_oob
  vm.func @fail_rodata_store() {
    %ro = vm.const.ref.rodata @ro : !vm.buffer
    %o = vm.const.i64 0
    %v = vm.const.i32 1
    vm.buffer.store.i32 %v, %ro[%o] : i32 -> !vm.buffer
    vm.return
  }
  vm.export @fail_rodata_store
  vm.func @fail_list_oob() -> i32 {
    %c1 = vm.const.i32 1
    %l = vm.list.alloc %c1 : (i32) -> !vm.list<i32>
    %x = vm.list.get.i32 %l, %c1 : (!vm.list<i32>, i32) -> i32
    vm.return %x : i32
  }
  vm.export @fail_list_oob
  // vm.buffer.hash: SipHash-2-4 of the byte range (a buffer of zeros, the
  // rodata bytes, a sub-range and an empty range).
  vm.func @test_buffer_hash() -> (i64, i64, i64, i64) {
    %n0 = vm.const.i64 16
    %n = util.optimization_barrier %n0 : i64
    %align = vm.const.i32 8
    %zeros = vm.buffer.alloc %n, %align : !vm.buffer
    %z0 = vm.const.i64.zero
    %z = util.optimization_barrier %z0 : i64
    %h0 = vm.buffer.hash %zeros, %z, %n : !vm.buffer -> i64
    %ro = vm.const.ref.rodata @ro : !vm.buffer
    %n80 = vm.const.i64 8
    %n8 = util.optimization_barrier %n80 : i64
    %h1 = vm.buffer.hash %ro, %z, %n8 : !vm.buffer -> i64
    %o30 = vm.const.i64 3
    %o3 = util.optimization_barrier %o30 : i64
    %h2 = vm.buffer.hash %ro, %o3, %o3 : !vm.buffer -> i64
    %h3 = vm.buffer.hash %ro, %n8, %z : !vm.buffer -> i64
    vm.return %h0, %h1, %h2, %h3 : i64, i64, i64, i64
  }
  vm.export @test_buffer_hash
  vm.func @fail_buffer_hash_oob() -> i64 {
    %ro = vm.const.ref.rodata @ro : !vm.buffer
    %o0 = vm.const.i64 4
    %o = util.optimization_barrier %o0 : i64
    %n0 = vm.const.i64 5
    %n = util.optimization_barrier %n0 : i64
    %h = vm.buffer.hash %ro, %o, %n : !vm.buffer -> i64
    vm.return %h : i64
  }
  vm.export @fail_buffer_hash_oob
}
