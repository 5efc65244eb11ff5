// Helpers shared by the tests: read an architecture from JSON text and analyse it.
#pragma once

#include "engine/analysis.h"
#include "engine/json_format.h"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

namespace netshape::testing {

inline Analysis analyze_json(std::string_view text) {
    ReadResult read = read_architecture_json(text);
    INFO((read.error ? read.error->message : std::string()));
    REQUIRE_FALSE(read.error.has_value());
    return analyze(read.architecture);
}

// Analyses one layer on an input shape: {"type": …} is the layer's JSON object.
inline Analysis analyze_layer(std::string_view convention, std::string_view input, std::string_view layer) {
    std::string text = std::string(R"({"convention": ")") + std::string(convention) + R"(", "input": )" +
                       std::string(input) + R"(, "layers": [)" + std::string(layer) + "]}";
    return analyze_json(text);
}

// Returns a copy, so that only_layer(analyze_layer(…)) is safe to hold on to.
inline LayerResult only_layer(const Analysis& analysis) {
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    REQUIRE(analysis.layers.size() == 1);
    return analysis.layers[0];
}

} // namespace netshape::testing
