// The spec-string factory: parses a spec into an IndexSpec with the codecs' own parsers
// (their entries are listed in kCodecs), then builds the index it names.

#include "vqsearch/factory.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/types/span.h"
#include "index/codec_entry.h"
#include "index/ivf_flat_index.h"
#include "index/ivf_pq_index.h"
#include "index/ivf_rabitq_index.h"
#include "index/ivf_rq_index.h"
#include "index/ivf_sq_index.h"
#include "index/pre_transform_index.h"
#include "index/refine_index.h"
#include "quant/opq_rotation.h"
#include "quant/scalar_quantizer.h"
#include "util/status_macros.h"

namespace vqsearch {
namespace {

using internal::CodecArgs;
using internal::CodecEntry;

// Every codec a spec may name, one line each.
const CodecEntry* const kCodecs[] = {
    &internal::kFlatCodec,
    &internal::kPqCodec,
    &internal::kRaBitQCodec,
    &internal::kRqCodec,
    &internal::kSqCodec,
};

// The largest dimension accepted; far above any embedding, small enough that a row
// count times it never overflows the 64-bit sizes used for buffers.
constexpr int kMaxDim = 1 << 20;
// Far more lists than any index uses; keeps a typo such as IVF10000000000 from trying to
// allocate them.
constexpr int64_t kMaxLists = int64_t{1} << 24;
// Specs are short (the longest in use is about 30 characters); the bounds keep a hostile
// spec, or one read from an untrusted file, from costing time or memory: a spec is split
// once, and each wrapper (Refine, OPQ) describes its base again, so the work is at most
// kMaxWrappers times the length. The bound is above the nesting depth files may hold
// (kMaxNestingDepth, 16), so that a deeper index can still be built, as the tests of the
// loader's limit do.
constexpr size_t kMaxSpecLength = 1024;
constexpr int kMaxWrappers = 64;

// The entry whose prefix `component` starts with, or null.
const CodecEntry* FindCodec(absl::string_view component) {
  for (const CodecEntry* codec : kCodecs) {
    if (absl::StartsWith(component, codec->prefix)) return codec;
  }
  return nullptr;
}

// "[OPQ<m>,]... [IVF<nlist>,]<codec> [,Refine(Flat|SQ<type>)]..., <codec> one of ...",
// from the table.
std::string ExpectedGrammar() {
  std::vector<absl::string_view> codecs;
  for (const CodecEntry* codec : kCodecs) codecs.push_back(codec->grammar);
  return absl::StrCat("expected [OPQ<m>,]... [IVF<nlist>,]<codec> [,Refine(Flat) or ",
                      ",Refine(SQ<type>)]..., where <codec> is one of ",
                      absl::StrJoin(codecs, ", "));
}

absl::Status UnknownSpec(absl::string_view spec, absl::string_view detail) {
  return absl::InvalidArgumentError(absl::StrCat("invalid index spec \"", spec, "\": ", detail,
                                                 "; ", ExpectedGrammar()));
}

// Splits at commas that are not inside parentheses, so "Refine(SQ8)" stays one piece.
std::vector<std::string> SplitComponents(absl::string_view spec) {
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

// The storage of a "Refine(Flat)" or "Refine(SQ<type>)" component, or an error.
absl::StatusOr<std::string> ParseRefine(const std::string& component) {
  const absl::string_view storage = absl::string_view(component).substr(7, component.size() - 8);
  if (absl::EndsWith(component, ")") &&
      (storage == "Flat" || internal::ScalarQuantizer::ParseType(storage).ok())) {
    return std::string(storage);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown refinement \"", component, "\" (Refine(Flat) or Refine(SQ<type>) is supported)"));
}

// Parses the components of a spec whose length and wrapper count have been checked.
absl::StatusOr<IndexSpec> ParseComponents(absl::Span<const std::string> components) {
  IndexSpec parsed;
  // Refine wrappers from the right; one was never a whole spec.
  while (components.size() > 1 && absl::StartsWith(components.back(), "Refine(")) {
    VQS_ASSIGN_OR_RETURN(std::string storage, ParseRefine(components.back()));
    parsed.refinements.insert(parsed.refinements.begin(), std::move(storage));
    components.remove_suffix(1);
  }
  // Rotations from the left.
  while (absl::StartsWith(components.front(), "OPQ")) {
    int subspaces = 0;
    if (!absl::SimpleAtoi(absl::string_view(components.front()).substr(3), &subspaces)) {
      return absl::InvalidArgumentError(
          absl::StrCat("malformed rotation \"", components.front(), "\" (OPQ<m>)"));
    }
    if (components.size() < 2) return absl::InvalidArgumentError("OPQ<m> needs an index after it");
    parsed.rotations.push_back(subspaces);
    components.remove_prefix(1);
  }
  // The coarse partition.
  const std::string& first = components.front();
  if (absl::StartsWith(first, "IVF") &&
      absl::SimpleAtoi(absl::string_view(first).substr(3), &parsed.nlist)) {
    if (parsed.nlist <= 0 || parsed.nlist > kMaxLists) {
      return absl::InvalidArgumentError(
          absl::StrCat("nlist must be in [1, ", kMaxLists, "], got ", parsed.nlist));
    }
    if (components.size() != 2) return absl::InvalidArgumentError("IVF<nlist> needs one codec after it");
    components.remove_prefix(1);
  }
  // The codec.
  const std::string& codec_component = components.front();
  const CodecEntry* codec = FindCodec(codec_component);
  if (codec == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat(
        parsed.nlist > 0 ? "unknown IVF codec \"" : "unknown component \"", codec_component, "\""));
  }
  VQS_RETURN_IF_ERROR(codec->check(codec_component));
  if (components.size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(codec->grammar, " is a whole spec or follows IVF<nlist>"));
  }
  parsed.codec = codec_component;
  return parsed;
}

// The index `spec` names; errors name Describe(spec), the part being built.
absl::StatusOr<std::unique_ptr<Index>> Build(IndexSpec spec, int dim, Metric metric) {
  const std::string canonical = Describe(spec);
  if (!spec.refinements.empty()) {
    const std::string storage = spec.refinements.back();
    std::optional<internal::ScalarQuantizer> sq;
    if (storage != "Flat") {
      auto created = internal::ScalarQuantizer::Create(
          dim, *internal::ScalarQuantizer::ParseType(storage));
      if (!created.ok()) {
        return UnknownSpec(canonical,
                           absl::StrCat("unknown refinement \"Refine(", storage, ")\" (",
                                        created.status().message(), ")"));
      }
      sq = *std::move(created);
    }
    spec.refinements.pop_back();
    VQS_ASSIGN_OR_RETURN(std::unique_ptr<Index> base, Build(std::move(spec), dim, metric));
    return std::make_unique<internal::RefineIndex>(canonical, dim, metric, std::move(base),
                                                   std::move(sq));
  }
  const CodecEntry& codec = *FindCodec(spec.codec);
  if (!spec.rotations.empty()) {
    // The rotation is trained for the code width of the PQ after it (4 bits for fast scan).
    const int nbits = codec.rotation_bits != nullptr ? codec.rotation_bits(spec.codec) : 8;
    auto rotation = internal::OpqRotation::Create(dim, spec.rotations.front(), nbits);
    if (!rotation.ok()) return UnknownSpec(canonical, rotation.status().message());
    spec.rotations.erase(spec.rotations.begin());
    VQS_ASSIGN_OR_RETURN(std::unique_ptr<Index> base, Build(std::move(spec), dim, metric));
    return std::make_unique<internal::PreTransformIndex>(canonical, dim, metric,
                                                         *std::move(rotation), std::move(base));
  }
  CodecArgs args;
  args.spec = canonical;
  args.component = spec.codec;
  args.dim = dim;
  args.metric = metric;
  args.nlist = spec.nlist;
  absl::StatusOr<std::unique_ptr<Index>> index = codec.create(args);
  if (!index.ok()) return UnknownSpec(canonical, index.status().message());
  return index;
}

}  // namespace

absl::StatusOr<IndexSpec> ParseIndexSpec(std::string_view spec_text) {
  const absl::string_view spec(spec_text.data(), spec_text.size());
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
  absl::StatusOr<IndexSpec> parsed = ParseComponents(components);
  if (!parsed.ok()) return UnknownSpec(spec, parsed.status().message());
  return parsed;
}

std::string Describe(const IndexSpec& spec) {
  std::vector<std::string> components;
  for (const int subspaces : spec.rotations) components.push_back(absl::StrCat("OPQ", subspaces));
  if (spec.nlist > 0) components.push_back(absl::StrCat("IVF", spec.nlist));
  components.push_back(spec.codec);
  for (const std::string& storage : spec.refinements) {
    components.push_back(absl::StrCat("Refine(", storage, ")"));
  }
  return absl::StrJoin(components, ",");
}

absl::StatusOr<std::unique_ptr<Index>> CreateIndex(std::string_view spec, int dim, Metric metric) {
  if (dim <= 0 || dim > kMaxDim) {
    return absl::InvalidArgumentError(
        absl::StrCat("dimension must be in [1, ", kMaxDim, "], got ", dim));
  }
  VQS_ASSIGN_OR_RETURN(IndexSpec parsed, ParseIndexSpec(spec));
  return Build(std::move(parsed), dim, metric);
}

}  // namespace vqsearch
