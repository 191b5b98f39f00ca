// The spec-string factory: splits a spec into components and builds the index they name.

#include "vqsearch/factory.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"
#include "index/flat_index.h"
#include "index/ivf_flat_index.h"
#include "index/ivf_pq_index.h"
#include "index/ivf_rabitq_index.h"
#include "index/ivf_rq_index.h"
#include "index/ivf_sq_index.h"
#include "index/pre_transform_index.h"
#include "index/refine_index.h"
#include "index/sq_index.h"
#include "quant/opq_rotation.h"
#include "quant/product_quantizer.h"
#include "quant/residual_quantizer.h"
#include "quant/scalar_quantizer.h"

namespace vqsearch {
namespace {

// The largest dimension accepted; far above any embedding, small enough that a row
// count times it never overflows the 64-bit sizes used for buffers.
constexpr int kMaxDim = 1 << 20;
// Far more lists than any index uses; keeps a typo such as IVF10000000000 from trying to
// allocate them.
constexpr int64_t kMaxLists = int64_t{1} << 24;
// Specs are short (the longest in use is about 30 characters); the bounds keep a hostile
// spec, or one read from an untrusted file, from costing time or memory: a spec is split
// once, and each wrapper (Refine, OPQ) re-joins its base's components, so the work is at
// most kMaxWrappers times the length. The bound is above the nesting depth files may
// hold (kMaxNestingDepth, 16), so that a deeper index can still be built, as the tests
// of the loader's limit do.
constexpr size_t kMaxSpecLength = 1024;
constexpr int kMaxWrappers = 64;

using Components = absl::Span<const std::string>;

// Splits at commas that are not inside parentheses, so "Refine(SQ8)" stays one piece.
std::vector<std::string> SplitComponents(std::string_view spec) {
  std::vector<std::string> components(1);
  int depth = 0;
  for (char c : spec) {
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (c == ',' && depth == 0) {
      components.emplace_back();
    } else {
      components.back().push_back(c);
    }
  }
  for (std::string& component : components) {
    component = std::string(absl::StripAsciiWhitespace(component));
  }
  return components;
}

absl::Status UnknownSpec(std::string_view spec, std::string_view detail) {
  return absl::InvalidArgumentError(absl::StrCat("invalid index spec \"", std::string(spec), "\": ",
                                                 std::string(detail),
                                                 "; expected Flat, SQ<type>, IVF<nlist>,Flat, [IVF<nlist>,]PQ<m>[x8][_eta<eta>], "
                                                 "[IVF<nlist>,]PQ<m>x4fs[_eta<eta>], [IVF<nlist>,]RQ<m>x8[_beam<w>], "
                                                 "[IVF<nlist>,]RQ<m>x4fs[_beam<w>] or "
                                                 "[IVF<nlist>,]RaBitQ<b> or "
                                                 "IVF<nlist>,SQ<type>, optionally preceded by OPQ<m>, and "
                                                 "followed by ,Refine(Flat) or ,Refine(SQ<type>)"));
}

// Parses "IVF<nlist>" into nlist; false when `component` is not of that form.
bool ParseIvf(const std::string& component, int64_t* nlist) {
  if (!absl::StartsWith(component, "IVF")) return false;
  return absl::SimpleAtoi(absl::string_view(component).substr(3), nlist);
}

// Parses "PQ<m>", "PQ<m>x<nbits>" or "PQ<m>x<nbits>fs", each optionally followed by
// "_eta<eta>" (anisotropic PQ; `eta` is 0 without it); false when `component` is not of
// that form.
bool ParsePq(const std::string& component, int* subspaces, int* nbits, bool* fast_scan,
             float* eta) {
  if (!absl::StartsWith(component, "PQ")) return false;
  absl::string_view rest = absl::string_view(component).substr(2);
  *eta = 0;
  if (const size_t suffix = rest.find("_eta"); suffix != absl::string_view::npos) {
    if (!absl::SimpleAtof(rest.substr(suffix + 4), eta)) return false;
    rest = rest.substr(0, suffix);
  }
  *fast_scan = absl::ConsumeSuffix(&rest, "fs");
  const size_t x = rest.find('x');
  if (x == absl::string_view::npos) {
    *nbits = 8;
    return absl::SimpleAtoi(rest, subspaces);
  }
  return absl::SimpleAtoi(rest.substr(0, x), subspaces) && absl::SimpleAtoi(rest.substr(x + 1), nbits);
}

// The IVF-PQ index of a PQ component (`nlist` 1 for a flat PQ index), or the error.
absl::StatusOr<std::unique_ptr<Index>> CreatePqIndex(std::string_view spec,
                                                     const std::string& canonical,
                                                     const std::string& component, int dim,
                                                     Metric metric, int64_t nlist) {
  int subspaces = 0, nbits = 8;
  bool fast_scan = false;
  float eta = 0;
  if (!ParsePq(component, &subspaces, &nbits, &fast_scan, &eta)) {
    return UnknownSpec(spec, absl::StrCat("unknown codec \"", component, "\""));
  }
  if (nbits == 8 && fast_scan) {
    return UnknownSpec(spec, "fast scan (fs) needs 4-bit codes: PQ<m>x4fs");
  }
  if (nbits == 4 && !fast_scan) {
    return UnknownSpec(spec, "4-bit codes are scanned by fast scan: write PQ<m>x4fs");
  }
  if (nbits != 4 && nbits != 8) {
    return UnknownSpec(spec, absl::StrCat("PQ codes have 8 bits (PQ<m>x8) or 4 (PQ<m>x4fs), not ", nbits));
  }
  if (fast_scan && subspaces > 256) {
    return UnknownSpec(spec, absl::StrCat("fast scan handles at most 256 sub-spaces, got ", subspaces));
  }
  auto pq = internal::ProductQuantizer::Create(dim, subspaces, nbits);
  if (!pq.ok()) return UnknownSpec(spec, std::string(pq.status().message()));
  if (absl::StrContains(component, "_eta")) {
    // The loss weighs the error along each vector because inner products grow with it;
    // L2 distances do not, so the option would silently do harm there.
    if (metric == Metric::kL2) {
      return UnknownSpec(spec, "anisotropic PQ (_eta<eta>) is for inner product or cosine, not L2");
    }
    if (!(eta > 1)) return UnknownSpec(spec, absl::StrCat("_eta<eta> needs eta > 1, got ", eta));
    const absl::Status weighted = pq->SetAnisotropicWeight(eta);
    if (!weighted.ok()) return UnknownSpec(spec, std::string(weighted.message()));
  }
  return std::make_unique<internal::IvfPqIndex>(canonical, dim, metric, nlist, *std::move(pq));
}

// The IVF-RQ index of an "RQ<m>x8" or "RQ<m>x4fs" component, optionally followed by
// "_beam<w>", or the error.
absl::StatusOr<std::unique_ptr<Index>> CreateRqIndex(std::string_view spec,
                                                     const std::string& canonical,
                                                     const std::string& component, int dim,
                                                     Metric metric, int64_t nlist) {
  // Beam 4 by default: most of what wide beams gain (in residual_quantizer_test beam 2
  // already finds 101 of the 125 better encodings beam 8 finds) for 4x greedy's cost.
  int stages = 0, nbits = 0, beam = 4;
  const absl::string_view rest = absl::string_view(component).substr(2);
  const size_t beam_at = rest.find("_beam");
  absl::string_view shape = rest.substr(0, beam_at);
  const bool fast_scan = absl::ConsumeSuffix(&shape, "fs");
  const size_t x = shape.find('x');
  if (x == absl::string_view::npos || !absl::SimpleAtoi(shape.substr(0, x), &stages) ||
      !absl::SimpleAtoi(shape.substr(x + 1), &nbits) ||
      (beam_at != absl::string_view::npos && !absl::SimpleAtoi(rest.substr(beam_at + 5), &beam))) {
    return UnknownSpec(spec, absl::StrCat("malformed codec \"", component,
                                          "\" (RQ<m>x8[_beam<w>] or RQ<m>x4fs[_beam<w>])"));
  }
  if (nbits == 8 && fast_scan) return UnknownSpec(spec, "fast scan (fs) needs 4-bit codes: RQ<m>x4fs");
  if (nbits == 4 && !fast_scan) {
    return UnknownSpec(spec, "4-bit codes are scanned by fast scan: write RQ<m>x4fs");
  }
  // Two of fast scan's 256 sub-codes hold the norm term.
  if (fast_scan && stages > 254) {
    return UnknownSpec(spec, absl::StrCat("RQ fast scan handles at most 254 stages, got ", stages));
  }
  auto rq = internal::ResidualQuantizer::Create(dim, stages, nbits, beam);
  if (!rq.ok()) return UnknownSpec(spec, std::string(rq.status().message()));
  return std::make_unique<internal::IvfRqIndex>(canonical, dim, metric, nlist, *std::move(rq));
}

// The RaBitQ index of a "RaBitQ<b>" component (b = 1..8), or the error.
absl::StatusOr<std::unique_ptr<Index>> CreateRaBitQIndex(std::string_view spec,
                                                         const std::string& canonical,
                                                         const std::string& component, int dim,
                                                         Metric metric, int64_t nlist) {
  int bits = 0;
  if (!absl::SimpleAtoi(absl::string_view(component).substr(6), &bits) || bits < 1 || bits > 8) {
    return UnknownSpec(spec, absl::StrCat("malformed codec \"", component,
                                          "\" (RaBitQ<b>, b = 1..8 bits per dimension)"));
  }
  return std::make_unique<internal::IvfRaBitQIndex>(canonical, dim, metric, nlist, bits);
}

// `OPQ<m>,<base>`: the rotation is trained for the base's PQ code width (4 bits when the
// base scans with fast scan, else 8).
absl::StatusOr<std::unique_ptr<Index>> CreateFromComponents(std::string_view spec,
                                                            Components components, int dim,
                                                            Metric metric);

absl::StatusOr<std::unique_ptr<Index>> CreateOpqIndex(std::string_view spec,
                                                      const std::string& canonical,
                                                      Components components, int dim,
                                                      Metric metric) {
  int subspaces = 0;
  if (!absl::SimpleAtoi(absl::string_view(components[0]).substr(3), &subspaces)) {
    return UnknownSpec(spec, absl::StrCat("malformed rotation \"", components[0], "\" (OPQ<m>)"));
  }
  if (components.size() < 2) return UnknownSpec(spec, "OPQ<m> needs an index after it");
  int nbits = 8;
  for (size_t i = 1; i < components.size(); ++i) {
    int pq_subspaces = 0, pq_nbits = 8;
    bool fast_scan = false;
    float eta = 0;
    if (ParsePq(components[i], &pq_subspaces, &pq_nbits, &fast_scan, &eta) && pq_nbits == 4) {
      nbits = 4;
    }
  }
  auto rotation = internal::OpqRotation::Create(dim, subspaces, nbits);
  if (!rotation.ok()) return UnknownSpec(spec, std::string(rotation.status().message()));
  auto base = CreateFromComponents(absl::StrJoin(components.subspan(1), ","),
                                   components.subspan(1), dim, metric);
  if (!base.ok()) return base.status();
  return std::make_unique<internal::PreTransformIndex>(canonical, dim, metric,
                                                       *std::move(rotation), *std::move(base));
}

// A scalar quantizer for a component starting with "SQ" ("SQ8", "SQfp16", ...): nullopt
// for any other component, an error naming the SQ types for a malformed one.
absl::StatusOr<std::optional<internal::ScalarQuantizer>> ParseSq(absl::string_view component,
                                                                 int dim) {
  if (!absl::StartsWith(component, "SQ")) return std::nullopt;
  auto type = internal::ScalarQuantizer::ParseType(component);
  if (!type.ok()) return type.status();
  auto sq = internal::ScalarQuantizer::Create(dim, *type);
  if (!sq.ok()) return sq.status();
  return std::optional<internal::ScalarQuantizer>(*std::move(sq));
}

// The index `components` name; `spec` is their text, for error messages.
absl::StatusOr<std::unique_ptr<Index>> CreateFromComponents(std::string_view spec,
                                                            Components components, int dim,
                                                            Metric metric) {
  const std::string canonical = absl::StrJoin(components, ",");
  if (components.size() > 1 && absl::StartsWith(components.back(), "Refine(")) {
    const std::string& refine = components.back();
    const absl::string_view storage = absl::string_view(refine).substr(7, refine.size() - 8);
    auto sq = ParseSq(storage, dim);
    if (!absl::EndsWith(refine, ")") || (storage != "Flat" && (!sq.ok() || !sq->has_value()))) {
      return UnknownSpec(spec, absl::StrCat("unknown refinement \"", refine,
                                            "\" (Refine(Flat) or Refine(SQ<type>) is supported)"));
    }
    const Components base_components = components.first(components.size() - 1);
    auto base = CreateFromComponents(absl::StrJoin(base_components, ","), base_components, dim,
                                     metric);
    if (!base.ok()) return base.status();
    return std::make_unique<internal::RefineIndex>(canonical, dim, metric, *std::move(base),
                                                   *std::move(sq));
  }
  if (auto sq = ParseSq(components[0], dim); !sq.ok() || sq->has_value()) {
    if (!sq.ok()) return UnknownSpec(spec, std::string(sq.status().message()));
    if (components.size() != 1) {
      return UnknownSpec(spec, "SQ<type> is a whole spec or follows IVF<nlist>");
    }
    return std::make_unique<internal::SqIndex>(canonical, dim, metric, **std::move(sq));
  }
  if (!components.empty() && absl::StartsWith(components[0], "OPQ")) {
    return CreateOpqIndex(spec, canonical, components, dim, metric);
  }
  if (components.size() == 1 && components[0] == "Flat") {
    return std::make_unique<internal::FlatIndex>(dim, metric);
  }
  if (components.size() == 1 && absl::StartsWith(components[0], "PQ")) {
    return CreatePqIndex(spec, canonical, components[0], dim, metric, /*nlist=*/1);
  }
  if (components.size() == 1 && absl::StartsWith(components[0], "RQ")) {
    return CreateRqIndex(spec, canonical, components[0], dim, metric, /*nlist=*/1);
  }
  if (components.size() == 1 && absl::StartsWith(components[0], "RaBitQ")) {
    return CreateRaBitQIndex(spec, canonical, components[0], dim, metric, /*nlist=*/1);
  }
  int64_t nlist = 0;
  if (!components.empty() && ParseIvf(components[0], &nlist)) {
    if (nlist <= 0 || nlist > kMaxLists) {
      return UnknownSpec(spec, absl::StrCat("nlist must be in [1, ", kMaxLists, "], got ", nlist));
    }
    if (components.size() != 2) return UnknownSpec(spec, "IVF<nlist> needs one codec after it");
    if (components[1] == "Flat") {
      return std::make_unique<internal::IvfFlatIndex>(canonical, dim, metric, nlist);
    }
    if (absl::StartsWith(components[1], "PQ")) {
      return CreatePqIndex(spec, canonical, components[1], dim, metric, nlist);
    }
    if (absl::StartsWith(components[1], "RQ")) {
      return CreateRqIndex(spec, canonical, components[1], dim, metric, nlist);
    }
    if (absl::StartsWith(components[1], "RaBitQ")) {
      return CreateRaBitQIndex(spec, canonical, components[1], dim, metric, nlist);
    }
    if (auto sq = ParseSq(components[1], dim); !sq.ok() || sq->has_value()) {
      if (!sq.ok()) return UnknownSpec(spec, std::string(sq.status().message()));
      return std::make_unique<internal::IvfSqIndex>(canonical, dim, metric, nlist, **std::move(sq));
    }
    return UnknownSpec(spec, absl::StrCat("unknown IVF codec \"", components[1], "\""));
  }
  return UnknownSpec(spec, absl::StrCat("unknown component \"", components[0], "\""));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Index>> CreateIndex(std::string_view spec, int dim, Metric metric) {
  if (dim <= 0 || dim > kMaxDim) {
    return absl::InvalidArgumentError(
        absl::StrCat("dimension must be in [1, ", kMaxDim, "], got ", dim));
  }
  if (spec.size() > kMaxSpecLength) {
    return absl::InvalidArgumentError(absl::StrCat("invalid index spec: ", spec.size(),
                                                   " characters, at most ", kMaxSpecLength,
                                                   " are accepted"));
  }
  const std::vector<std::string> components = SplitComponents(spec);
  int wrappers = 0;
  for (const std::string& component : components) {
    wrappers += absl::StartsWith(component, "Refine(") || absl::StartsWith(component, "OPQ");
  }
  if (wrappers > kMaxWrappers) {
    return UnknownSpec(spec, absl::StrCat(wrappers, " Refine and OPQ components nest too deep",
                                          " (at most ", kMaxWrappers, ")"));
  }
  return CreateFromComponents(spec, components, dim, metric);
}

}  // namespace vqsearch
