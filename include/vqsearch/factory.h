// File: vqsearch/factory.h
//
// The index spec grammar. A spec is a comma-separated pipeline in the style FAISS users
// know from index_factory, read left to right:
//
//   Flat             exact search over the raw float32 vectors
//   IVF<nlist>,Flat  k-means into nlist inverted lists of raw vectors; searches probe
//                    SearchParams::nprobe lists per query
//   IVF<nlist>,PQ<m> the same lists holding product-quantized residuals, m bytes per
//   IVF<nlist>,PQ<m>x8  vector (m must divide the dimension), scored by ADC tables
//   IVF<nlist>,PQ<m>x4fs  4-bit codes (m / 2 bytes, m <= 256) in blocks of 32, scanned
//                    by SIMD byte shuffles over uint8 tables (fast scan)
//   PQ<m>, PQ<m>x4fs the same codes without the coarse partition (one list)
//   IVF<nlist>,RQ<m>x8  the lists holding residuals residual-quantized: m stages of 256
//                    whole-vector codewords (m bytes, plus one for the quantized norm
//                    term under L2), encoded by beam search of width 4, or w with
//                    RQ<m>x8_beam<w> (1 = greedy, at most 256)
//   IVF<nlist>,RQ<m>x4fs  m stages of 16 codewords (m <= 254; (m + 1) / 2 bytes, one more
//                    under L2), scanned by fast scan like PQ<m>x4fs; _beam<w> as above
//   RQ<m>x8, RQ<m>x4fs  the same codes without the coarse partition (one list)
//   PQ<m>[x8|x4fs]_eta<eta>  anisotropic (score-aware, as in ScaNN) PQ for inner product
//                    and cosine: codes and codebooks minimize eta x the squared error
//                    along each vector plus the error across it (eta > 1; an error
//                    under L2, whose distances do not weigh errors that way)
//   OPQ<m>,<spec>    rotates vectors and queries by a learned OPQ rotation (fitted to m
//                    sub-spaces) before <spec>
//   SQ<type>         every vector scalar-quantized, each query scanning all codes; <type>
//                    is 8 or 4 (uniform 8- or 4-bit levels per dimension), fp16 (half
//                    floats), 8nu or 4nu (non-uniform, Lloyd-Max levels per dimension)
//   IVF<nlist>,SQ<type>  the inverted lists holding SQ codes of the vectors or of their
//                    residuals (training picks the one that reconstructs better)
//   <spec>,Refine(Flat) keeps the float32 vectors too and re-ranks refine_factor x k
//                    candidates of <spec> by exact distance
//   <spec>,Refine(SQ<type>) the same with the vectors kept as SQ codes (e.g. SQ8: a
//                    quarter of the memory) and re-ranked by distance to the decoded codes
//
// Whitespace around components is ignored; anything else that is not listed is an error
// naming the component and what was expected. The grammar as a whole is
//
//   [OPQ<m>,]... [IVF<nlist>,]<codec> [,Refine(Flat|SQ<type>)]...
//
// with OPQ rotations applied first and Refine wrappers outermost last.

#ifndef VQSEARCH_FACTORY_H_
#define VQSEARCH_FACTORY_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "vqsearch/export.h"
#include "vqsearch/index.h"
#include "vqsearch/metric.h"

namespace vqsearch {

// A spec parsed into its parts. Describe(ParseIndexSpec(s)) is the canonical spelling of s
// (whitespace removed, numbers written plainly): the one Index::spec() returns.
struct IndexSpec {
  // The m of each OPQ<m> rotation, leftmost (applied first) first.
  std::vector<int> rotations;
  // IVF<nlist>; 0 when the spec has no coarse partition.
  int64_t nlist = 0;
  // The codec component as written: "Flat", "PQ32", "PQ64x4fs", "RQ16x8_beam2", "SQ8", ...
  std::string codec;
  // The storage of each Refine(...) wrapper ("Flat" or "SQ<type>"), innermost first.
  std::vector<std::string> refinements;

  bool operator==(const IndexSpec& other) const {
    return rotations == other.rotations && nlist == other.nlist && codec == other.codec &&
           refinements == other.refinements;
  }
  bool operator!=(const IndexSpec& other) const { return !(*this == other); }
};

// Parses and checks a spec as far as it can be checked without a dimension and a metric
// (Index::Create checks the rest); an InvalidArgument error says what was expected.
VQS_EXPORT absl::StatusOr<IndexSpec> ParseIndexSpec(std::string_view spec);

// The canonical spec string of `spec`.
VQS_EXPORT std::string Describe(const IndexSpec& spec);

// Same as Index::Create.
VQS_EXPORT absl::StatusOr<std::unique_ptr<Index>> CreateIndex(std::string_view spec, int dim, Metric metric);

}  // namespace vqsearch

#endif  // VQSEARCH_FACTORY_H_
