// Functions returning refs, for the run tool's result printing (tests/vm_differential.rs).
vm.module @results {
  vm.rodata private @ro dense<[1, 2, 3, 4, 5, 6, 7, 8]> : tensor<8xi8>
  vm.func @list_i32() -> !vm.list<i32> {
    %c2 = vm.const.i32 2
    %l = vm.list.alloc %c2 : (i32) -> !vm.list<i32>
    vm.list.resize %l, %c2 : (!vm.list<i32>, i32)
    %i0 = vm.const.i32 0
    %i1 = vm.const.i32 1
    %v = vm.const.i32 7
    vm.list.set.i32 %l, %i0, %v : (!vm.list<i32>, i32, i32)
    vm.list.set.i32 %l, %i1, %c2 : (!vm.list<i32>, i32, i32)
    vm.return %l : !vm.list<i32>
  }
  vm.export @list_i32
  vm.func @list_var() -> !vm.list<?> {
    %c6 = vm.const.i32 6
    %l = vm.list.alloc %c6 : (i32) -> !vm.list<?>
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
    %c2 = vm.const.i32 2
    %inner = vm.list.alloc %c2 : (i32) -> !vm.list<?>
    vm.list.resize %inner, %c2 : (!vm.list<?>, i32)
    vm.list.set.i32 %inner, %i0, %c6 : (!vm.list<?>, i32, i32)
    vm.list.set.ref %l, %i4, %inner : (!vm.list<?>, i32, !vm.list<?>)
    vm.return %l : !vm.list<?>
  }
  vm.export @list_var
  vm.func @buf() -> !vm.buffer {
    %len = vm.const.i64 5
    %align = vm.const.i32 16
    %b = vm.buffer.alloc %len, %align : !vm.buffer
    vm.return %b : !vm.buffer
  }
  vm.export @buf
  vm.func @rodata() -> !vm.buffer {
    %ro = vm.const.ref.rodata @ro : !vm.buffer
    vm.return %ro : !vm.buffer
  }
  vm.export @rodata
  vm.func @nullref() -> !vm.list<?> {
    %z = vm.const.ref.zero : !vm.list<?>
    vm.return %z : !vm.list<?>
  }
  vm.export @nullref
  vm.func @listbuf() -> !vm.list<?> {
    %c2 = vm.const.i32 2
    %l = vm.list.alloc %c2 : (i32) -> !vm.list<?>
    vm.list.resize %l, %c2 : (!vm.list<?>, i32)
    %i0 = vm.const.i32 0
    %ro = vm.const.ref.rodata @ro : !vm.buffer
    vm.list.set.ref %l, %i0, %ro : (!vm.list<?>, i32, !vm.buffer)
    vm.return %l : !vm.list<?>
  }
  vm.export @listbuf
  vm.func @takes(%a : !vm.list<?>, %b : !vm.buffer) -> (i32) {
    %s = vm.list.size %a : (!vm.list<?>) -> i32
    vm.return %s : i32
  }
  vm.export @takes
  vm.func @emptylist() -> !vm.list<?> {
    %c0 = vm.const.i32 0
    %l = vm.list.alloc %c0 : (i32) -> !vm.list<?>
    vm.return %l : !vm.list<?>
  }
  vm.export @emptylist
  vm.func @list_i8() -> !vm.list<i8> {
    %c2 = vm.const.i32 2
    %l = vm.list.alloc %c2 : (i32) -> !vm.list<i8>
    vm.list.resize %l, %c2 : (!vm.list<i8>, i32)
    %i0 = vm.const.i32 0
    %v = vm.const.i32 -3
    vm.list.set.i32 %l, %i0, %v : (!vm.list<i8>, i32, i32)
    vm.return %l : !vm.list<i8>
  }
  vm.export @list_i8
  vm.func @mixed(%a : f32, %b : i64) -> (f32, !vm.list<?>, i64) {
    %c1 = vm.const.i32 1
    %l = vm.list.alloc %c1 : (i32) -> !vm.list<?>
    vm.list.resize %l, %c1 : (!vm.list<?>, i32)
    %i0 = vm.const.i32 0
    vm.list.set.i64 %l, %i0, %b : (!vm.list<?>, i32, i64)
    vm.return %a, %l, %b : f32, !vm.list<?>, i64
  }
  vm.export @mixed
}
