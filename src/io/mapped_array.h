// MappedArray<T>: the storage of an index's bulk arrays (codes, stored vectors, ids). It
// either owns its elements, as a std::vector would, or views elements that live in a
// memory-mapped index file (Load with LoadOptions::mmap), keeping the mapping alive.
// Reads are the same either way; the first change of a viewed array copies it into
// owned memory (copy on write), so an Add or Remove on a mapped index copies only the
// arrays it touches (for IVF: the lists it appends to or removes from).

#ifndef VQSEARCH_IO_MAPPED_ARRAY_H_
#define VQSEARCH_IO_MAPPED_ARRAY_H_

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

#include "absl/types/span.h"

namespace vqsearch::internal {

template <typename T>
class MappedArray {
 public:
  MappedArray() = default;

  // Views `elements`, which `keep_alive` (the mapping) holds; null `keep_alive`: copies.
  static MappedArray Of(absl::Span<const T> elements, std::shared_ptr<const void> keep_alive) {
    MappedArray array;
    if (keep_alive == nullptr) {
      array.owned_.assign(elements.begin(), elements.end());
    } else {
      array.view_ = elements;
      array.keep_alive_ = std::move(keep_alive);
    }
    return array;
  }

  bool mapped() const { return keep_alive_ != nullptr; }
  size_t size() const { return mapped() ? view_.size() : owned_.size(); }
  bool empty() const { return size() == 0; }
  const T* data() const { return mapped() ? view_.data() : owned_.data(); }
  const T& operator[](size_t i) const { return data()[i]; }
  const T* begin() const { return data(); }
  const T* end() const { return data() + size(); }
  absl::Span<const T> span() const { return absl::MakeConstSpan(data(), size()); }
  // Elements that fit without reallocating: a view's own size (it is full).
  size_t capacity() const { return mapped() ? view_.size() : owned_.capacity(); }
  // Elements of memory this array owns (a view owns none: its pages are the file's).
  size_t owned_capacity() const { return owned_.capacity(); }

  // Writable access; copies a view first.
  T* mutable_data() { return Own().data(); }
  std::vector<T>& Own() {
    if (mapped()) {
      owned_.assign(view_.begin(), view_.end());
      view_ = {};
      keep_alive_.reset();
    }
    return owned_;
  }
  void resize(size_t n) {
    if (n != size()) Own().resize(n);
  }
  void reserve(size_t n) {
    if (n > size()) Own().reserve(n);
  }
  void Append(const T* first, size_t count) {
    if (count > 0) Own().insert(owned_.end(), first, first + count);
  }
  void assign(const T* first, const T* last) {
    view_ = {};
    keep_alive_.reset();
    owned_.assign(first, last);
  }
  void shrink_to_fit() {
    if (!mapped()) owned_.shrink_to_fit();
  }

 private:
  std::vector<T> owned_;
  absl::Span<const T> view_;
  std::shared_ptr<const void> keep_alive_;  // the mapping, while viewing
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_IO_MAPPED_ARRAY_H_
