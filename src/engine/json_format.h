// The JSON interchange format, version 1: architectures in, summaries out.
//
//   { "netshape": 1, "name": "…", "convention": "pytorch" | "keras", "input": [1, 28, 28],
//     "layers": [ {"type": "conv2d", "out_channels": 32, "kernel_size": 5, "activation": "relu"}, … ] }
//
// Reading (through nlohmann/json) checks structure only (objects, types of values, top-level names); the fields of each
// layer are checked by the analysis against the layer's kind, so that layers before an error
// keep their results.
#pragma once

#include "analysis.h"
#include "architecture.h"
#include "json_writer.h"
#include "memory.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace netshape {

inline constexpr int kFormatVersion = 1;

struct ReadError {
    std::string message; // complete, with the location
    std::string where;   // a JSON path such as "layers[2].kernel_size", or "" for syntax errors
    int line = 0;        // 1-based, for malformed JSON
    int column = 0;
};

struct ReadResult {
    Architecture architecture;
    std::optional<ReadError> error;
};

ReadResult read_architecture_json(std::string_view text);

// The canonical JSON of an architecture (fields in the order written; defaults not added),
// `indent` spaces a level or compact when negative.
std::string architecture_to_json(const Architecture& architecture, int indent = 2);

// The summary object `netshape summary --format json` prints: exactly one entry in "layers" per
// layer, counts as numbers where they are known and null where they are not. Written directly,
// without a tree: linear in the design, memory for the text alone.
std::string analysis_to_json(const Analysis& analysis, const MemoryOptions& memory = {}, int indent = 2);

// The same text handed to `write` in pieces of about kSummaryChunkBytes, each ending after a
// whole value (never inside a UTF-8 sequence): the CLI and the page hold the analysis, not the
// summary too (about 2 kB a layer with its explanations).
inline constexpr size_t kSummaryChunkBytes = size_t{1} << 16;
void write_analysis_json(const Analysis& analysis, const MemoryOptions& memory, int indent,
                         const std::function<void(std::string_view)>& write);

// {"message", "where", "line"?, "column"?} and {"message", "where", "detail", "layer_index",
// "layer_name", "field"}, into a larger object being written.
void write_read_error(JsonWriter& out, const ReadError& error);
void write_analysis_error(JsonWriter& out, const AnalysisError& error);

} // namespace netshape
