// Every class of invalid architecture gets a message naming the layer and what is wrong with the
// values received; layers before the error keep their results; nothing invalid gets a number.
#include "support.h"

#include <string>

using namespace netshape;
using namespace netshape::testing;

namespace {

// Analyses `layers` on `input` (pytorch) and returns the error, which must exist.
AnalysisError error_of(const std::string& input, const std::string& layers, const std::string& convention = "pytorch") {
    Analysis analysis =
        analyze_json(R"({"convention": ")" + convention + R"(", "input": )" + input + R"(, "layers": )" + layers + "}");
    REQUIRE(analysis.error.has_value());
    return *analysis.error;
}

} // namespace

TEST_CASE("a window larger than the padded input is refused with the sizes", "[errors]") {
    AnalysisError error = error_of("[1, 3, 3]", R"([{"type": "conv2d", "out_channels": 4, "kernel_size": 5}])");
    CHECK(error.layer_index == 0u);
    CHECK(error.layer_name == "conv2d_1");
    CHECK(error.where == "layers[0]");
    CHECK_THAT(error.message, Catch::StartsWith("layers[0] 'conv2d_1' (conv2d): the window does not fit"));
    CHECK_THAT(error.message, Catch::Contains("kernel_size=5"));
    CHECK_THAT(error.message, Catch::Contains("3 + 2·0 = 3"));

    SECTION("pooling too") {
        AnalysisError pool = error_of("[8, 2, 2]", R"([{"type": "maxpool2d", "kernel_size": 3}])");
        CHECK_THAT(pool.message, Catch::Contains("the window does not fit"));
    }
}

TEST_CASE("declared input sizes are checked against the inferred input", "[errors]") {
    AnalysisError conv =
        error_of("[3, 32, 32]", R"([{"type": "conv2d", "in_channels": 1, "out_channels": 4, "kernel_size": 3}])");
    CHECK(conv.field == "in_channels");
    CHECK_THAT(conv.message, Catch::Contains("in_channels=1 disagrees with the input, which has 3 channels"));

    AnalysisError linear = error_of("[1568]", R"([{"type": "linear", "in_features": 1600, "out_features": 10}])");
    CHECK(linear.field == "in_features");
    CHECK_THAT(linear.message, Catch::Contains("1568"));

    AnalysisError norm = error_of("[16, 8, 8]", R"([{"type": "batchnorm2d", "num_features": 32}])");
    CHECK(norm.field == "num_features");
}

TEST_CASE("non-positive and ill-typed sizes are refused, quoting what was received", "[errors]") {
    auto [layer, field, quoted] = GENERATE(table<std::string, std::string, std::string>({
        {R"({"type": "conv2d", "out_channels": 4, "kernel_size": 0})", "kernel_size", "kernel_size=0"},
        {R"({"type": "conv2d", "out_channels": -4, "kernel_size": 3})", "out_channels", "out_channels=-4"},
        {R"({"type": "conv2d", "out_channels": 4, "kernel_size": [3, 0]})", "kernel_size", "kernel_size=[3, 0]"},
        {R"({"type": "conv2d", "out_channels": 4, "kernel_size": 3, "stride": 0})", "stride", "stride=0"},
        {R"({"type": "conv2d", "out_channels": 4, "kernel_size": 3, "padding": -1})", "padding", "padding=-1"},
        {R"({"type": "conv2d", "out_channels": 4, "kernel_size": 3, "padding": "full"})", "padding",
         "padding=\"full\""},
        {R"({"type": "conv2d", "out_channels": 4, "kernel_size": "five"})", "kernel_size", "kernel_size=\"five\""},
        {R"({"type": "conv2d", "out_channels": 4.5, "kernel_size": 3})", "out_channels", "out_channels=4.5"},
        {R"({"type": "conv2d", "out_channels": 4, "kernel_size": [3, 3, 3]})", "kernel_size", "kernel_size=[3, 3, 3]"},
        {R"({"type": "linear", "out_features": 0})", "out_features", "out_features=0"},
        // Too large for 64 bits, JSON reads it as a real number: refused as not an integer.
        {R"({"type": "linear", "out_features": 99999999999999999999})", "out_features", "out_features=1e+20"},
        {R"({"type": "linear", "out_features": 5, "bias": "yes"})", "bias", "bias=\"yes\""},
        {R"({"type": "dropout", "p": 1.5})", "p", "p=1.5"},
        {R"({"type": "gelu", "approximate": "fast"})", "approximate", "approximate=\"fast\""},
    }));
    CAPTURE(layer);
    AnalysisError error = error_of("[4, 16, 16]", "[" + layer + "]");
    CHECK(error.field == field);
    CHECK_THAT(error.message, Catch::Contains("received " + quoted));
}

TEST_CASE("a required field that is missing is named", "[errors]") {
    AnalysisError error = error_of("[4, 16, 16]", R"([{"type": "conv2d", "kernel_size": 3}])");
    CHECK(error.field == "out_channels");
    CHECK_THAT(error.message, Catch::Contains("conv2d needs out_channels"));
}

TEST_CASE("an input shape that is not positive is refused before any layer", "[errors]") {
    Analysis analysis =
        analyze(Architecture{.inputs = {{"input", {1, 0, 28}}}, .layers = {LayerSpec{.type = "flatten"}}});
    REQUIRE(analysis.error);
    CHECK(analysis.error->where == "input");
    CHECK(analysis.layers[0].status == LayerStatus::not_reached);
}

TEST_CASE("unknown types and fields get the nearest known name", "[errors]") {
    SECTION("kernal_size → kernel_size") {
        AnalysisError error = error_of("[1, 28, 28]", R"([{"type": "conv2d", "out_channels": 4, "kernal_size": 3}])");
        CHECK(error.field == "kernal_size");
        CHECK_THAT(error.message,
                   Catch::Contains("unknown field 'kernal_size' for conv2d; did you mean 'kernel_size'?"));
    }
    SECTION("a misspelt type") {
        AnalysisError error = error_of("[1, 28, 28]", R"([{"type": "conv2", "out_channels": 4, "kernel_size": 3}])");
        CHECK_THAT(error.message, Catch::Contains("unknown layer type 'conv2'; did you mean 'conv2d'?"));
    }
    SECTION("Keras and PyTorch class names point to the kind") {
        CHECK_THAT(error_of("[10]", R"([{"type": "Dense", "out_features": 4}])").message,
                   Catch::Contains("did you mean 'linear'?"));
        CHECK_THAT(error_of("[1, 8, 8]", R"([{"type": "MaxPooling2D", "kernel_size": 2}])").message,
                   Catch::Contains("did you mean 'maxpool2d'?"));
        CHECK_THAT(error_of("[1, 8, 8]", R"([{"type": "BatchNormalization"}])").message,
                   Catch::Contains("'batchnorm' or 'batchnorm1d' or 'batchnorm2d' or 'batchnorm3d'"));
    }
    SECTION("an unknown activation") {
        AnalysisError error = error_of("[10]", R"([{"type": "linear", "out_features": 4, "activation": "rleu"}])");
        CHECK(error.field == "activation");
        CHECK_THAT(error.message, Catch::Contains("did you mean 'relu'?"));
    }
    SECTION("a layer kind used as an activation must be an activation") {
        AnalysisError error = error_of("[10]", R"([{"type": "linear", "out_features": 4, "activation": "flatten"}])");
        CHECK(error.field == "activation");
    }
}

TEST_CASE("layers before an error keep their results, layers after it are not reached", "[errors]") {
    Analysis analysis = analyze_json(R"({"input": [1, 28, 28], "layers": [
        {"type": "conv2d", "out_channels": 32, "kernel_size": 5},
        {"type": "maxpool2d", "kernel_size": 2},
        {"type": "conv2d", "out_channels": 32, "kernel_size": 13},
        {"type": "flatten"}]})");
    REQUIRE(analysis.error);
    REQUIRE(analysis.layers.size() == 4);
    CHECK(analysis.layers[0].status == LayerStatus::ok);
    CHECK(analysis.layers[0].params == 832); // (5·5·1 + 1)·32, as in seed 000
    CHECK(analysis.layers[1].status == LayerStatus::ok);
    CHECK(analysis.layers[1].output_shape == Shape{32, 12, 12});
    CHECK(analysis.layers[2].status == LayerStatus::error);
    CHECK(analysis.layers[2].weights.empty());
    CHECK(analysis.layers[2].params == 0);
    CHECK(analysis.layers[3].status == LayerStatus::not_reached);
    CHECK(analysis.error->layer_index == 2u);
    CHECK_THAT(analysis.error->message, Catch::StartsWith("layers[2] 'conv2d_2' (conv2d)"));
}

TEST_CASE("wrong input rank for a layer says which layout it expects", "[errors]") {
    AnalysisError torch = error_of("[28, 28]", R"([{"type": "conv2d", "out_channels": 4, "kernel_size": 3}])");
    CHECK_THAT(torch.message, Catch::Contains("expects a [C, H, W] sample"));
    CHECK_THAT(torch.message, Catch::Contains("for one channel use [1, 28, 28]"));
    AnalysisError keras = error_of("[28, 28]", R"([{"type": "conv2d", "out_channels": 4, "kernel_size": 3}])", "keras");
    CHECK_THAT(keras.message, Catch::Contains("expects a [H, W, C] sample"));
    CHECK_THAT(keras.message, Catch::Contains("[28, 28, 1]"));
}

TEST_CASE("groups must divide both channel counts", "[errors]") {
    AnalysisError error =
        error_of("[6, 8, 8]", R"([{"type": "conv2d", "out_channels": 8, "kernel_size": 3, "groups": 4}])");
    CHECK(error.field == "groups");
    CHECK_THAT(error.message, Catch::Contains("groups=4 with 6 input channels"));
}

TEST_CASE("flatten and softmax dimensions out of range", "[errors]") {
    CHECK(error_of("[32, 5, 5]", R"([{"type": "flatten", "start_dim": 4}])").field == "start_dim");
    CHECK(error_of("[32, 5, 5]", R"([{"type": "flatten", "start_dim": 0}])").field == "start_dim");
    CHECK(error_of("[32, 5, 5]", R"([{"type": "flatten", "start_dim": 3, "end_dim": 2}])").field == "start_dim");
    CHECK(error_of("[10]", R"([{"type": "softmax", "dim": 2}])").field == "dim");
}

TEST_CASE("layer names are unique and URL-safe", "[errors]") {
    CHECK_THAT(error_of("[10]", R"([{"type": "relu", "name": "a"}, {"type": "relu", "name": "a"}])").message,
               Catch::Contains("already used"));
    CHECK(error_of("[10]", R"([{"type": "relu", "name": "a b"}])").field == "name");
    CHECK(error_of("[10]", R"([{"type": "relu", "name": "input"}])").field == "name");
    SECTION("default names skip names a person took") {
        Analysis analysis =
            analyze_json(R"({"input": [10], "layers": [{"type": "relu"}, {"type": "relu", "name": "relu_1"}]})");
        REQUIRE(analysis.ok());
        CHECK(analysis.layers[0].name == "relu_2");
        CHECK(analysis.layers[1].name == "relu_1");
    }
}

// A count that would not fit in 64 bits is an error, never a wrapped number.
TEST_CASE("parameter counts that overflow 64 bits are errors", "[errors]") {
    SECTION("a linear layer with 2^32 · 2^32 weights") {
        AnalysisError error = error_of("[4294967296]", R"([{"type": "linear", "out_features": 4294967296}])");
        CHECK_THAT(error.message, Catch::Contains("overflow"));
    }
    SECTION("totals that overflow are blamed on the layer that tips them over") {
        // Each layer has 2·10^9 · 2·10^9 + 2·10^9 ≈ 4.0·10^18 parameters: two sum to ≈ 8.0·10^18, within
        // INT64_MAX ≈ 9.22·10^18; the third takes the total to ≈ 1.2·10^19, past it.
        Analysis analysis = analyze_json(R"({"input": [2000000000], "layers": [
            {"type": "linear", "out_features": 2000000000},
            {"type": "linear", "out_features": 2000000000},
            {"type": "linear", "out_features": 2000000000}]})");
        REQUIRE(analysis.error);
        CHECK(analysis.error->layer_index == 2u);
        CHECK(analysis.layers[1].status == LayerStatus::ok);
    }
    SECTION("an input whose element count overflows") {
        Analysis analysis = analyze_json(R"({"input": [4294967296, 4294967296], "layers": []})");
        REQUIRE(analysis.error);
        CHECK(analysis.error->where == "input");
    }
}

TEST_CASE("keras has no BatchNormalization without moving statistics", "[errors]") {
    AnalysisError error = error_of("[8, 8, 4]", R"([{"type": "batchnorm2d", "track_running_stats": false}])", "keras");
    CHECK(error.field == "track_running_stats");
}
