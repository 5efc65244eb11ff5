// The JSON interchange format: what it accepts, how it refuses, and what the summary holds.
#include "support.h"

#include "engine/json_format.h"

#include <nlohmann/json.hpp>

using namespace netshape;
using namespace netshape::testing;
using json = nlohmann::ordered_json;

namespace {

ReadError read_error(std::string_view text) {
    ReadResult result = read_architecture_json(text);
    REQUIRE(result.error.has_value());
    return *result.error;
}

} // namespace

TEST_CASE("malformed JSON is reported with line and column", "[json]") {
    // Line 4 is `    {"type": "relu",}`: four spaces and 16 characters before the '}' that cannot follow a
    // comma, so the error is at column 21.
    ReadError error = read_error("{\n  \"input\": [1, 28, 28],\n  \"layers\": [\n    {\"type\": \"relu\",}\n  ]\n}\n");
    CHECK(error.line == 4);
    CHECK(error.column == 21);
    CHECK_THAT(error.message, Catch::StartsWith("malformed JSON at line 4, column 21:"));

    SECTION("a number too large for a double is located too") {
        ReadError overflow = read_error("{\"input\": [1],\n \"layers\": 8e888}");
        CHECK(overflow.line == 2);
        CHECK(overflow.column == 12); // ` "layers": ` is 11 characters
        CHECK_THAT(overflow.message, Catch::Contains("number overflow"));
    }
    SECTION("an empty text and a truncated one are malformed too") {
        CHECK(read_error("").line == 1);
        CHECK(read_error("{\"input\": [1, 2").line == 1);
    }
}

TEST_CASE("JSON nested absurdly deep is refused, not recursed into", "[json]") {
    // 100,000 nested lists in a field. The top object, the layers list and the layer object are
    // 3 levels, so the 62nd '[' of the field is the 65th level: column 42 (the prefix) + 62.
    const std::string prefix = R"({"input":[4],"layers":[{"type":"relu","x":)";
    const std::string text = prefix + std::string(100'000, '[') + std::string(100'000, ']') + "}]}";
    ReadError error = read_error(text);
    CHECK(error.line == 1);
    CHECK(error.column == static_cast<int>(prefix.size()) + 62);
    CHECK_THAT(error.message, Catch::Contains("nested more than 64 levels"));
    SECTION("brackets inside strings do not count") {
        ReadResult read =
            read_architecture_json(R"({"name": ")" + std::string(200, '[') + R"(", "input": [4], "layers": []})");
        CHECK_FALSE(read.error);
    }
}

TEST_CASE("structural errors name the JSON path", "[json]") {
    auto [text, where, words] = GENERATE(table<std::string, std::string, std::string>({
        {R"([1, 2])", "", "JSON object"},
        {R"({"layers": []})", "input", "no \"input\""},
        {R"({"input": [1, 28, 28]})", "layers", "no \"layers\""},
        {R"({"input": [], "layers": []})", "input", "non-empty list"},
        {R"({"input": [1, -28, 28], "layers": []})", "input[1]", "positive integer"},
        {R"({"input": [1, 2.5], "layers": []})", "input[1]", "positive integer"},
        {R"({"input": [4], "layers": {}})", "layers", "list of layer objects"},
        {R"({"input": [4], "layers": [3]})", "layers[0]", "must be an object"},
        {R"({"input": [4], "layers": [{"out_features": 3}]})", "layers[0]", "no \"type\""},
        {R"({"input": [4], "layers": [{"type": 7}]})", "layers[0].type", "must be a string"},
        {R"({"input": [4], "layers": [{"type": "relu", "name": ""}]})", "layers[0].name", "may not be empty"},
        {R"({"input": [4], "layers": [{"type": "linear", "out_features": {"a": 1}}]})", "layers[0].out_features",
         "received an object"},
        {R"({"input": [4], "layers": [{"type": "conv1d", "kernel_size": [3, "a"]}]})", "layers[0].kernel_size[1]",
         "lists hold integers"},
        {R"({"input": [4], "layers": [], "convention": "tensorflow"})", "convention", "\"pytorch\" or \"keras\""},
        {R"({"input": [4], "layers": [], "netshape": 2})", "netshape", "newer netshape"},
        {R"({"input": [4], "layers": [{"type": "relu", "input": ["x"]}]})", "layers[0].input[0]",
         "did you mean 'inputs'?"},
        {R"({"input": [4], "layers": [], "netshape": "one"})", "netshape", "format version"},
        {R"({"input": [4], "layer": []})", "layer", "did you mean 'layers'?"},
    }));
    CAPTURE(text);
    ReadError error = read_error(text);
    CHECK(error.where == where);
    CHECK_THAT(error.message, Catch::Contains(words));
}

TEST_CASE("null means the default, and the name, convention and version are optional", "[json]") {
    Analysis analysis = analyze_json(
        R"({"input": [1, 8, 8], "layers": [{"type": "maxpool2d", "kernel_size": 2, "stride": null, "activation": null}]})");
    REQUIRE(analysis.ok());
    CHECK(analysis.convention == Convention::pytorch);
    CHECK(analysis.layers[0].output_shape == Shape{1, 4, 4}); // stride defaults to kernel_size
    CHECK(analysis.layers[0].activation.empty());
}

TEST_CASE("an architecture survives JSON → model → JSON unchanged", "[json]") {
    const char* text =
        R"({"netshape":1,"name":"round trip","convention":"keras","input":[32,32,3],"layers":[)"
        R"({"type":"conv2d","name":"c1","out_channels":8,"kernel_size":[3,5],"padding":"same","activation":"relu"},)"
        R"({"type":"dropout","p":0.25},{"type":"flatten"},{"type":"linear","out_features":10,"bias":false}]})";
    ReadResult read = read_architecture_json(text);
    REQUIRE_FALSE(read.error);
    CHECK(architecture_to_json(read.architecture, -1) == text);
}

TEST_CASE("the summary JSON has one entry per layer and every documented key", "[json]") {
    Analysis analysis = analyze_json(R"({"input": [1, 28, 28], "layers": [
        {"type": "conv2d", "out_channels": 32, "kernel_size": 5},
        {"type": "flatten"},
        {"type": "linear", "out_features": 10}]})");
    json summary = json::parse(analysis_to_json(analysis));
    CHECK(summary["input_shape"] == json::array({1, 28, 28}));
    REQUIRE(summary["layers"].size() == 3);
    for (const char* key :
         {"name", "type", "output_shape", "params", "trainable_params", "non_trainable_params", "weights", "explain"})
        CHECK(summary["layers"][0].contains(key));
    const json& conv = summary["layers"][0];
    CHECK(conv["output_shape"] == json::array({32, 24, 24}));
    CHECK(conv["params"] == 832);
    CHECK(conv["weights"][0]["shape"] == json::array({32, 1, 5, 5}));
    CHECK(conv["weights"][0]["count"] == 800);
    CHECK(conv["weights"][1]["shape"] == json::array({32}));
    // (32·24·24 + 1)·10 = 184,330 for the linear layer; 832 + 184,330 = 185,162 in all
    CHECK(summary["layers"][2]["params"] == 184'330);
    CHECK(summary["total_params"] == 185'162);
    CHECK(summary["trainable_params"] == 185'162);
    CHECK(summary["non_trainable_params"] == 0);
    CHECK_FALSE(summary.contains("error"));
}

TEST_CASE("on error the summary JSON has the error and no untrue numbers", "[json]") {
    Analysis analysis = analyze_json(R"({"input": [1, 4, 4], "layers": [
        {"type": "relu"},
        {"type": "conv2d", "out_channels": 2, "kernel_size": 5},
        {"type": "flatten"}]})");
    json summary = json::parse(analysis_to_json(analysis));
    REQUIRE(summary.contains("error"));
    CHECK(summary["error"]["layer_index"] == 1);
    CHECK(summary["error"]["layer_name"] == "conv2d_1");
    CHECK(summary["layers"].size() == 3);
    CHECK(summary["layers"][0]["status"] == "ok");
    CHECK(summary["layers"][0]["params"] == 0);
    CHECK(summary["layers"][1]["status"] == "error");
    CHECK(summary["layers"][1]["params"].is_null());
    CHECK(summary["layers"][2]["status"] == "not_reached");
    CHECK(summary["layers"][2]["output_shape"].is_null());
    CHECK(summary["total_params"].is_null());
}
