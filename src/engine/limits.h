// One set of limits for every way a design comes in: JSON, the link text, the CLI (a file or
// standard input), the app's URL hash and its setText. A design over a limit is refused with the
// limit's name and value, by the reader, before any work proportional to the excess is done.
//
// Why these values:
// - kMaxInputBytes: 16 MiB holds a 100,000-layer design in either form with room to spare
//   (ResNet-50's link text is 1.6 kB); past it a reader would only be asked to chew on garbage.
// - kMaxLayers: 100,000 layers is ten times the largest published networks written out layer
//   by layer; the app's undo history and the summary table stay responsive below it.
// - kMaxModelInputs: a model with more than 1,000 separate inputs is not a design a person
//   writes; each input is a JSON key and a header item of the link.
// - kMaxJsonNesting: an architecture nests four levels deep; copying or printing a value
//   recurses once per level, so a hostile file nested 100,000 deep could exhaust the stack.
// - kMaxNameBytes: layer and input names, types, activations, field names and string values;
//   names are said in links and shown in a table column.
// - kMaxTitleBytes: the design's title, shown above the summary and in the page title.
// - kMaxDimension: one sample's dimension (2^40, about 10^12); sizes beyond it describe no
//   model that fits a machine, and keep the link text's numbers short.
// - kMaxBlockNesting: a block used inside a block used inside … (the link text's blocks with
//   parameters); real networks nest two or three deep (a stage of modules of branches).
// - kMaxBlockExpansionBytes: the link text read again while expanding block uses: 64 MiB is
//   640 bytes for each of kMaxLayers layers, far more than any body needs, and keeps a hostile
//   link (a long body used 100,000 times) to well under a second.
// And the one that ties the others together: a design the app accepts has a link that opens,
// so its canonical link text must itself fit kMaxInputBytes (non-ASCII text takes three
// characters a byte there).
#pragma once

#include "architecture.h"
#include "json_format.h"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace netshape {

inline constexpr size_t kMaxInputBytes = size_t{16} << 20;
inline constexpr size_t kMaxLayers = 100'000;
inline constexpr size_t kMaxModelInputs = 1'000;
inline constexpr int kMaxJsonNesting = 64;
inline constexpr size_t kMaxNameBytes = 256;
inline constexpr size_t kMaxTitleBytes = 1'024;
inline constexpr int64_t kMaxDimension = int64_t{1} << 40;
inline constexpr size_t kMaxBlockNesting = 16;
inline constexpr size_t kMaxBlockExpansionBytes = size_t{64} << 20;

// The first limit the design passes, with its JSON path in `where`, or nullopt. Both readers
// call it, so JSON and the link text accept the same designs.
std::optional<ReadError> limit_problem(const Architecture& architecture);

// An input (file, standard input, hash, pasted text) over kMaxInputBytes, or nullopt.
std::optional<ReadError> input_size_problem(size_t bytes);

} // namespace netshape
