// The one place that decides which SIMD kernels run. Each kernel family (fast scan, SQ
// scan, 8-bit PQ scan, vector ops) is a table of function pointers; its *_scalar.cc,
// *_avx2.cc and *_avx512.cc files each fill one table, and the family picks the table of
// ActiveIsa() (vqsearch/isa.h) once. Tests and benchmarks ask a family for the table of
// any ISA in SupportedIsas() to compare the kernels with the scalar reference.
//
// Only kernel functions carry the wider instruction sets, through VQS_TARGET_AVX2 /
// VQS_TARGET_AVX512 function attributes (spelled so GCC and Clang both accept them); every
// file is compiled for the baseline, so nothing wide can run on a CPU without it.

#ifndef VQSEARCH_SIMD_DISPATCH_H_
#define VQSEARCH_SIMD_DISPATCH_H_

#include <optional>
#include <string_view>
#include <vector>

#include "vqsearch/isa.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
// The AVX2 and AVX-512 kernel files are compiled (they are empty elsewhere).
#define VQS_X86_KERNELS 1
#define VQS_TARGET_AVX2 __attribute__((target("avx2,fma,f16c")))
#define VQS_TARGET_AVX512 __attribute__((target("avx2,fma,f16c,avx512f,avx512bw")))
// The address of an x86 kernel table, for PickKernels (null where they are not compiled).
#define VQS_X86_TABLE(table) (&(table))
#else
#define VQS_X86_KERNELS 0
#define VQS_X86_TABLE(table) nullptr
#endif

namespace vqsearch::internal {

// The widest ISA the CPU (and the operating system, which must save the wide registers)
// supports; detected once.
Isa DetectedIsa();

// Every ISA up to DetectedIsa(), narrowest first.
std::vector<Isa> SupportedIsas();

// The inverse of IsaName; nullopt for any other name.
std::optional<Isa> ParseIsa(std::string_view name);

// The ISA to run with on a CPU supporting `detected` when VQSEARCH_ISA is `forced` (null
// when unset): the lower of the two. `*unknown` is set when `forced` names no ISA (it is
// then ignored).
Isa ResolveIsa(Isa detected, const char* forced, bool* unknown);

// std::type_identity (C++20): keeps PickKernels' pointer arguments out of deduction, so
// that a family without a kernel of some width can pass nullptr.
template <typename T>
struct TypeIdentity {
  using type = T;
};

// A family's table for `isa`: the widest the family has that is not wider than `isa`
// (null entries: the family has no kernel of that width).
template <typename Kernels>
const Kernels& PickKernels(Isa isa, const Kernels& scalar,
                           const typename TypeIdentity<Kernels>::type* avx2,
                           const typename TypeIdentity<Kernels>::type* avx512) {
  if (isa >= Isa::kAvx512 && avx512 != nullptr) return *avx512;
  if (isa >= Isa::kAvx2 && avx2 != nullptr) return *avx2;
  return scalar;
}

// A family's table for ActiveIsa(), chosen on first use: `kernels_for` is the family's
// PickKernels wrapper.
template <typename Kernels, const Kernels& (*kernels_for)(Isa)>
const Kernels& ActiveKernels() {
  static const Kernels& kernels = kernels_for(ActiveIsa());
  return kernels;
}

}  // namespace vqsearch::internal

#endif  // VQSEARCH_SIMD_DISPATCH_H_
