// Helpers shared by the tests: read an architecture from JSON text and analyse it.
#pragma once

#include "engine/analysis.h"
#include "engine/json_format.h"
#include "engine/link_text.h"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

namespace netshape::testing {

// Seed 000's network (the Lasagne MNIST example: 217,706 parameters), used by several test files.
inline constexpr const char* kSeed000Json = R"({"input": [1, 28, 28], "layers": [
    {"type": "conv2d", "out_channels": 32, "kernel_size": 5, "activation": "relu"},
    {"type": "maxpool2d", "kernel_size": 2},
    {"type": "conv2d", "out_channels": 32, "kernel_size": 3, "activation": "relu"},
    {"type": "maxpool2d", "kernel_size": 2},
    {"type": "flatten"},
    {"type": "linear", "out_features": 256, "activation": "relu"},
    {"type": "linear", "out_features": 10, "activation": "softmax"}]})";

// A design from its link text, which must read (the test fails with the reader's message if not).
inline Architecture read_link(std::string_view text) {
    TextReadResult read = read_architecture_text(text);
    INFO((read.error ? read.error->message : std::string()));
    REQUIRE_FALSE(read.error.has_value());
    return read.architecture;
}

inline Analysis analyze_link(std::string_view text) { return analyze(read_link(text)); }

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

// The detail of the error the analysis must have ("the first input's last axis has k = 6 …").
inline std::string error_detail(const Analysis& analysis) {
    REQUIRE(analysis.error.has_value());
    return analysis.error->detail;
}

} // namespace netshape::testing
