// The fast-scan code layouts; see code_layout.h.

#include "index/code_layout.h"

#include "simd/pq4_fast_scan.h"

namespace vqsearch::internal {

int64_t FastScanCodeLayout::block_entries() const { return kFastScanBlock; }

size_t FastScanCodeLayout::block_bytes() const { return FastScanBlockBytes(num_subspaces_); }

void FastScanCodeLayout::Write(const uint8_t* code, int64_t index, uint8_t* storage) const {
  PackFastScanCode(code, num_subspaces_, index, storage);
}

void FastScanCodeLayout::Read(const uint8_t* storage, int64_t index, uint8_t* code) const {
  UnpackFastScanCode(storage, num_subspaces_, index, code);
}

int64_t RaBitQFastScanCodeLayout::block_entries() const { return kFastScanBlock; }

size_t RaBitQFastScanCodeLayout::block_bytes() const { return format_.block_bytes(); }

void RaBitQFastScanCodeLayout::Write(const uint8_t* code, int64_t index, uint8_t* storage) const {
  format_.Pack(code, index, storage);
}

void RaBitQFastScanCodeLayout::Read(const uint8_t* storage, int64_t index, uint8_t* code) const {
  format_.Unpack(storage, index, code);
}

}  // namespace vqsearch::internal
