// The JSON interchange format, version 1: architectures in, summaries out.
//
//   { "netshape": 1, "name": "…", "convention": "pytorch" | "keras", "input": [1, 28, 28],
//     "layers": [ {"type": "conv2d", "out_channels": 32, "kernel_size": 5, "activation": "relu"}, … ] }
//
// Reading checks structure only (objects, types of values, top-level names); the fields of each
// layer are checked by the analysis against the layer's kind, so that layers before an error
// keep their results.
#pragma once

#include "analysis.h"
#include "architecture.h"
#include "memory.h"

#include <nlohmann/json.hpp>

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

// The canonical JSON of an architecture (fields in the order written; defaults not added).
nlohmann::ordered_json architecture_to_json(const Architecture& architecture);

// The summary object `netshape summary --format json` prints: exactly one entry in "layers" per
// layer, counts as numbers where they are known and null where they are not.
nlohmann::ordered_json analysis_to_json(const Analysis& analysis, const MemoryOptions& memory = {});

nlohmann::ordered_json read_error_to_json(const ReadError& error);
nlohmann::ordered_json analysis_error_to_json(const AnalysisError& error);

} // namespace netshape
