// iree::span<T>: a non-owning (pointer, length) view for C++ callers; the
// standard std::span when the language has it.
#ifndef IREE_BASE_INTERNAL_SPAN_H_
#define IREE_BASE_INTERNAL_SPAN_H_
#ifdef __cplusplus

#include <cassert>
#include <cstddef>
#include <cstdlib>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <type_traits>
#include <utility>

#if defined(__has_include)
#if __has_include(<span>) && __cplusplus >= 202002L
#include <span>
#define IREE_HAVE_STD_SPAN 1
#endif
#endif

namespace iree {

#if defined(IREE_HAVE_STD_SPAN)

template <typename T>
using span = std::span<T>;

#else

constexpr std::size_t dynamic_extent = std::numeric_limits<std::size_t>::max();

template <typename T>
class span {
  // Containers exposing data() and size() whose elements convert to T.
  template <typename C>
  using ContainerOk = typename std::enable_if<
      std::is_convertible<
          typename std::remove_pointer<decltype(std::declval<C&>().data())>::type (*)[],
          T (*)[]>::value &&
      std::is_integral<decltype(std::declval<C&>().size())>::value>::type;

 public:
  using element_type = T;
  using value_type = typename std::remove_cv<T>::type;
  using pointer = T*;
  using const_pointer = const T*;
  using reference = T&;
  using const_reference = const T&;
  using iterator = T*;
  using const_iterator = const T*;
  using reverse_iterator = std::reverse_iterator<iterator>;
  using const_reverse_iterator = std::reverse_iterator<const_iterator>;
  using size_type = std::size_t;
  using difference_type = std::ptrdiff_t;

  constexpr span() noexcept : data_(nullptr), size_(0) {}
  constexpr span(pointer data, size_type size) noexcept
      : data_(data), size_(size) {}
  template <size_type N>
  constexpr span(T (&array)[N]) noexcept : data_(array), size_(N) {}
  template <typename C, typename = ContainerOk<C>>
  constexpr span(C& container) noexcept
      : data_(container.data()), size_(container.size()) {}
  // U defers the const check to overload resolution (a check on T itself
  // would be a hard error for spans of non-const elements).
  template <typename C, typename = ContainerOk<const C>, typename U = T,
            typename = typename std::enable_if<std::is_const<U>::value>::type>
  constexpr span(const C& container) noexcept
      : data_(container.data()), size_(container.size()) {}
  template <typename U = T,
            typename = typename std::enable_if<std::is_const<U>::value>::type>
  span(std::initializer_list<value_type> list) noexcept
      : data_(list.begin()), size_(list.size()) {}

  constexpr pointer data() const noexcept { return data_; }
  constexpr size_type size() const noexcept { return size_; }
  constexpr size_type length() const noexcept { return size_; }
  constexpr bool empty() const noexcept { return size_ == 0; }

  constexpr reference operator[](size_type i) const noexcept {
    return data_[i];
  }
  reference at(size_type i) const {
    if (i >= size_) std::abort();
    return data_[i];
  }
  constexpr reference front() const noexcept { return data_[0]; }
  constexpr reference back() const noexcept { return data_[size_ - 1]; }

  constexpr iterator begin() const noexcept { return data_; }
  constexpr iterator end() const noexcept { return data_ + size_; }
  constexpr reverse_iterator rbegin() const noexcept {
    return reverse_iterator(end());
  }
  constexpr reverse_iterator rend() const noexcept {
    return reverse_iterator(begin());
  }

  span subspan(size_type pos = 0, size_type len = dynamic_extent) const {
    if (pos > size_) std::abort();
    size_type rest = size_ - pos;
    return span(data_ + pos, len < rest ? len : rest);
  }
  span first(size_type len) const {
    if (len > size_) std::abort();
    return span(data_, len);
  }
  span last(size_type len) const {
    if (len > size_) std::abort();
    return span(data_ + (size_ - len), len);
  }

 private:
  pointer data_;
  size_type size_;
};

#endif  // IREE_HAVE_STD_SPAN

}  // namespace iree

#endif  // __cplusplus
#endif  // IREE_BASE_INTERNAL_SPAN_H_
