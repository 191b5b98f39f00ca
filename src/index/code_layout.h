// CodeLayout: how an inverted list arranges its entries' codes in memory. The default
// (no layout object) stores code_size bytes per entry back to back. A blocked layout
// interleaves the codes of a block of entries, as the 4-bit fast scan needs
// (simd/pq4_fast_scan.h); InvertedLists then writes and reads single entries through it,
// so appending touches only the last block and removal re-packs in place.

#ifndef VQSEARCH_INDEX_CODE_LAYOUT_H_
#define VQSEARCH_INDEX_CODE_LAYOUT_H_

#include <cstddef>
#include <cstdint>
#include <utility>

#include "quant/rabitq_fast_scan.h"

namespace vqsearch::internal {

class CodeLayout {
 public:
  virtual ~CodeLayout() = default;

  // Entries per block and bytes per block: storage for n entries is
  // ceil(n / block_entries) blocks.
  virtual int64_t block_entries() const = 0;
  virtual size_t block_bytes() const = 0;
  // Stores one entry's code (the codec's code_size bytes) at position `index`.
  virtual void Write(const uint8_t* code, int64_t index, uint8_t* storage) const = 0;
  // Reads the code at position `index` back into code_size bytes.
  virtual void Read(const uint8_t* storage, int64_t index, uint8_t* code) const = 0;

  size_t StorageBytes(int64_t entries) const {
    return static_cast<size_t>((entries + block_entries() - 1) / block_entries()) * block_bytes();
  }
};

// The fast-scan blocks of 32 codes of `num_subspaces` 4-bit sub-codes.
class FastScanCodeLayout : public CodeLayout {
 public:
  explicit FastScanCodeLayout(int num_subspaces) : num_subspaces_(num_subspaces) {}

  int64_t block_entries() const override;
  size_t block_bytes() const override;
  void Write(const uint8_t* code, int64_t index, uint8_t* storage) const override;
  void Read(const uint8_t* storage, int64_t index, uint8_t* code) const override;

 private:
  int num_subspaces_;
};

// RaBitQ entries in fast-scan blocks: sign nibbles, then per-entry tails
// (quant/rabitq_fast_scan.h).
class RaBitQFastScanCodeLayout : public CodeLayout {
 public:
  explicit RaBitQFastScanCodeLayout(RaBitQFastScanFormat format) : format_(std::move(format)) {}

  int64_t block_entries() const override;
  size_t block_bytes() const override;
  void Write(const uint8_t* code, int64_t index, uint8_t* storage) const override;
  void Read(const uint8_t* storage, int64_t index, uint8_t* code) const override;

 private:
  RaBitQFastScanFormat format_;
};

}  // namespace vqsearch::internal

#endif  // VQSEARCH_INDEX_CODE_LAYOUT_H_
