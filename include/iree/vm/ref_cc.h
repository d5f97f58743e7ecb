// C++ helpers for VM ref objects: a CRTP base that embeds the counter and
// the destroy hook descriptors need, and an owning smart pointer `ref<T>`
// over iree_vm_ref_t for any type with a registered descriptor.
#ifndef IREE_VM_REF_CC_H_
#define IREE_VM_REF_CC_H_

#ifndef __cplusplus
#error "iree/vm/ref_cc.h is C++ only"
#endif  // __cplusplus

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>

#include "iree/base/api.h"
#include "iree/vm/ref.h"

namespace iree {
namespace vm {

// Adds/drops a count through T's registered descriptor (NULL is ignored).
template <typename T>
inline void ref_type_retain(T* p) {
  iree_vm_ref_object_retain(p, ref_type_descriptor<T>::get());
}
template <typename T>
inline void ref_type_release(T* p) {
  iree_vm_ref_object_release(p, ref_type_descriptor<T>::get());
}

// Base class for C++ ref targets. New objects start with one reference.
// A type may define `static void Delete(T*)` to control deallocation.
template <class T>
class RefObject {
  template <typename U, typename = void>
  struct deleter {
    static void run(U* p) { delete p; }
  };
  template <typename U>
  struct deleter<U, decltype((void)U::Delete(nullptr))> {
    static void run(U* p) { U::Delete(p); }
  };

 public:
  // Destroys the object regardless of its count (descriptor destroy hook).
  static void DirectDestroy(void* p) {
    deleter<T>::run(reinterpret_cast<T*>(p));
  }

  void AddReference() { counter_.fetch_add(1, std::memory_order_relaxed); }
  void ReleaseReference() {
    if (counter_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
      deleter<T>::run(static_cast<T*>(this));
    }
  }

  // Byte offset of the counter within T, for type descriptors. Computed
  // through the base-class adjustment so T need not be standard layout
  // (e.g. when it has virtual functions).
  static size_t offsetof_counter() {
    const uintptr_t probe = 64;  // any suitably aligned non-null address
    const RefObject* base = static_cast<const RefObject*>(
        reinterpret_cast<const T*>(probe));
    return (reinterpret_cast<uintptr_t>(base) - probe) +
           offsetof(RefObject, counter_);
  }

 protected:
  RefObject() : counter_(1) {}
  RefObject(const RefObject&) : counter_(1) {}
  RefObject& operator=(const RefObject&) { return *this; }

  std::atomic<int32_t> counter_;
};

// An owning reference to a T. `&r` yields T** for C out-parameters and the
// object converts to iree_vm_ref_t* for the C ref API.
template <typename T>
class ref {
 public:
  ref() noexcept : ref_(make(nullptr)) {}
  ref(std::nullptr_t) noexcept : ref_(make(nullptr)) {}  // NOLINT
  // Adopts |p| without adding a reference.
  ref(T* p) noexcept : ref_(make(p)) {}  // NOLINT
  ~ref() noexcept { ref_type_release<T>(get()); }

  ref(const ref& other) noexcept : ref_(other.ref_) {
    ref_type_retain<T>(get());
  }
  ref& operator=(const ref&) noexcept = delete;

  ref(ref&& other) noexcept : ref_(other.ref_) { other.ref_.ptr = nullptr; }
  ref& operator=(ref&& other) noexcept {
    if (this != std::addressof(other)) {  // operator& is overloaded
      T* incoming = other.release();
      if (incoming != get()) {
        ref_type_release<T>(get());
      } else if (incoming) {
        ref_type_release<T>(incoming);
      }
      ref_.ptr = incoming;
    }
    return *this;
  }

  template <typename U>
  ref(ref<U>&& other) noexcept  // NOLINT
      : ref_(make(static_cast<T*>(other.release()))) {}

  iree_vm_ref_type_t type() const noexcept {
    return ref_type_descriptor<T>::get()->type;
  }

  T* get() const noexcept { return reinterpret_cast<T*>(ref_.ptr); }
  T& operator*() const noexcept { return *get(); }
  T* operator->() const noexcept { return get(); }
  explicit operator bool() const noexcept { return get() != nullptr; }
  bool operator!() const noexcept { return get() == nullptr; }

  // Out-parameter access: the previous value is not released.
  T** operator&() noexcept { return reinterpret_cast<T**>(&ref_.ptr); }

  operator iree_vm_ref_t*() const noexcept { return &ref_; }  // NOLINT

  // Gives up ownership without releasing.
  T* release() noexcept {
    T* p = get();
    ref_.ptr = nullptr;
    return p;
  }
  void reset() noexcept {
    ref_type_release<T>(get());
    ref_.ptr = nullptr;
  }
  // Releases the current value and adopts |p|.
  void assign(T* p) noexcept {
    reset();
    ref_.ptr = p;
  }
  void swap(ref& other) noexcept { std::swap(ref_.ptr, other.ref_.ptr); }

 private:
  static iree_vm_ref_t make(T* p) noexcept {
    iree_vm_ref_t r;
    r.ptr = p;
    r.offsetof_counter = ref_type_descriptor<T>::get()->offsetof_counter;
    r.type = ref_type_descriptor<T>::get()->type;
    return r;
  }

  mutable iree_vm_ref_t ref_;
};

// A new counted reference to |value|.
template <typename T>
inline ref<T> retain_ref(const ref<T>& value) {
  ref_type_retain<T>(value.get());
  return ref<T>(value.get());
}
template <typename T>
inline ref<T> retain_ref(T* value) {
  ref_type_retain<T>(value);
  return ref<T>(value);
}
// Adopts |value| (which already carries a reference for the caller).
template <typename T>
inline ref<T> assign_ref(T* value) {
  return ref<T>(value);
}

template <class T, class U>
inline bool operator==(const ref<T>& a, const ref<U>& b) {
  return a.get() == b.get();
}
template <class T, class U>
inline bool operator!=(const ref<T>& a, const ref<U>& b) {
  return a.get() != b.get();
}
template <class T, class U>
inline bool operator==(const ref<T>& a, U* b) {
  return a.get() == b;
}
template <class T, class U>
inline bool operator!=(const ref<T>& a, U* b) {
  return a.get() != b;
}
template <class T, class U>
inline bool operator==(T* a, const ref<U>& b) {
  return a == b.get();
}
template <class T, class U>
inline bool operator!=(T* a, const ref<U>& b) {
  return a != b.get();
}
template <class T>
inline bool operator<(const ref<T>& a, const ref<T>& b) {
  return a.get() < b.get();
}
template <class T>
void swap(ref<T>& a, ref<T>& b) {
  a.swap(b);
}

// An owning iree_vm_ref_t of any (type-erased) ref type.
class opaque_ref {
 public:
  opaque_ref() { value_.ptr = nullptr; value_.offsetof_counter = 0; value_.type = 0; }
  opaque_ref(const opaque_ref&) = delete;
  opaque_ref& operator=(const opaque_ref&) = delete;
  opaque_ref(opaque_ref&& other) noexcept : opaque_ref() {
    iree_vm_ref_move(&other.value_, &value_);
  }
  opaque_ref& operator=(opaque_ref&& other) noexcept {
    iree_vm_ref_move(&other.value_, &value_);
    return *this;
  }
  ~opaque_ref() { iree_vm_ref_release(&value_); }

  iree_vm_ref_t* get() const noexcept { return &value_; }
  operator iree_vm_ref_t*() const noexcept { return &value_; }  // NOLINT
  bool operator!() const noexcept { return !value_.ptr; }
  iree_vm_ref_t* operator&() noexcept { return &value_; }

 private:
  mutable iree_vm_ref_t value_;
};

}  // namespace vm
}  // namespace iree


#endif  // IREE_VM_REF_CC_H_
