// File: vqsearch/isa.h
//
// Which SIMD instruction set the library's kernels run with. The library is compiled for
// the x86-64 baseline and picks AVX2 or AVX-512 kernels at run time when the CPU has them
// (once, at first use). The environment variable VQSEARCH_ISA=scalar|avx2|avx512 caps the
// choice, e.g. to compare kernels or to reproduce a result from a smaller machine; a value
// above what the CPU supports is lowered to what it supports.

#ifndef VQSEARCH_ISA_H_
#define VQSEARCH_ISA_H_

#include <string_view>

#include "vqsearch/export.h"

namespace vqsearch {

// Ordered: each level's kernels need the instructions of every level below it.
//   kScalar  the x86-64 baseline (SSE2), or any other CPU
//   kAvx2    AVX2 + FMA + F16C (Haswell, Zen and later)
//   kAvx512  kAvx2 plus AVX-512 F and BW (Skylake-SP, Zen 4 and later)
enum class Isa { kScalar, kAvx2, kAvx512 };

// The instruction set the kernels of this process use.
VQS_EXPORT Isa ActiveIsa();

// "scalar", "avx2" or "avx512".
VQS_EXPORT std::string_view IsaName(Isa isa);

}  // namespace vqsearch

#endif  // VQSEARCH_ISA_H_
