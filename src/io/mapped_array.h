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
  // Copies share a view or copy the owned elements; data() then points at the copy's own.
  MappedArray(const MappedArray& other)
      : owned_(other.owned_), view_(other.view_), keep_alive_(other.keep_alive_) {
    Sync();
  }
  MappedArray(MappedArray&& other) noexcept
      : owned_(std::move(other.owned_)), view_(other.view_), keep_alive_(std::move(other.keep_alive_)) {
    Sync();
    other.Reset();
  }
  MappedArray& operator=(const MappedArray& other) {
    if (this != &other) *this = MappedArray(other);
    return *this;
  }
  MappedArray& operator=(MappedArray&& other) noexcept {
    owned_ = std::move(other.owned_);
    view_ = other.view_;
    keep_alive_ = std::move(other.keep_alive_);
    Sync();
    other.Reset();
    return *this;
  }

  // Views `elements`, which `keep_alive` (the mapping) holds; null `keep_alive`: copies.
  static MappedArray Of(absl::Span<const T> elements, std::shared_ptr<const void> keep_alive) {
    MappedArray array;
    if (keep_alive == nullptr) {
      array.owned_.assign(elements.begin(), elements.end());
    } else {
      array.view_ = elements;
      array.keep_alive_ = std::move(keep_alive);
    }
    array.Sync();
    return array;
  }

  // Reads cost what a std::vector's do (no branch on the storage: scans call them per list).
  bool mapped() const { return keep_alive_ != nullptr; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  const T* data() const { return data_; }
  const T& operator[](size_t i) const { return data_[i]; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }
  absl::Span<const T> span() const { return absl::MakeConstSpan(data_, size_); }
  // Elements that fit without reallocating: a view's own size (it is full).
  size_t capacity() const { return mapped() ? size_ : owned_.capacity(); }

  // Writable access; copies a view first.
  T* mutable_data() { return Own().data(); }
  void resize(size_t n) {
    if (n == size_) return;
    Own().resize(n);
    Sync();
  }
  void reserve(size_t n) {
    if (n <= size_) return;
    Own().reserve(n);
    Sync();
  }
  void Append(const T* first, size_t count) {
    if (count == 0) return;
    Own().insert(owned_.end(), first, first + count);
    Sync();
  }
  void assign(const T* first, const T* last) {
    Reset();
    owned_.assign(first, last);
    Sync();
  }
  void shrink_to_fit() {
    if (mapped()) return;
    owned_.shrink_to_fit();
    Sync();
  }

 private:
  // The owned elements, after copying a view.
  std::vector<T>& Own() {
    if (mapped()) {
      owned_.assign(view_.begin(), view_.end());
      view_ = {};
      keep_alive_.reset();
      Sync();
    }
    return owned_;
  }
  void Sync() {
    data_ = mapped() ? view_.data() : owned_.data();
    size_ = mapped() ? view_.size() : owned_.size();
  }
  void Reset() {
    owned_.clear();
    view_ = {};
    keep_alive_.reset();
    Sync();
  }

  std::vector<T> owned_;
  absl::Span<const T> view_;
  std::shared_ptr<const void> keep_alive_;  // the mapping, while viewing
  // What reads see: the view, or owned_'s elements (updated by every change).
  const T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_IO_MAPPED_ARRAY_H_
