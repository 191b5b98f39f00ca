// CRC-32C (Castagnoli), the checksum of every section of an index file. Uses the SSE4.2
// crc32 instruction when the CPU has it (checked at run time) and a table otherwise; both
// give the same value.

#ifndef VQSEARCH_IO_CRC32C_H_
#define VQSEARCH_IO_CRC32C_H_

#include <cstddef>
#include <cstdint>

namespace vqsearch::internal {

// The CRC-32C of data[0, size), continuing from `crc` (0 to start).
uint32_t Crc32c(const void* data, size_t size, uint32_t crc = 0);

// The table version, exposed so tests can compare the two paths.
uint32_t Crc32cPortable(const void* data, size_t size, uint32_t crc = 0);

}  // namespace vqsearch::internal

#endif  // VQSEARCH_IO_CRC32C_H_
