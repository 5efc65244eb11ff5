// Global and adaptive pooling, reshaping layers, PReLU and the further activations and dropouts.
// Expected values follow the frameworks' documented shape rules, worked out in the comments.
#include "support.h"

using namespace netshape;
using namespace netshape::testing;

TEST_CASE("global and adaptive pooling", "[formulas][pool]") {
    auto [convention, input, layer, expected] = GENERATE(table<std::string, std::string, std::string, Shape>({
        // one value per channel
        {"pytorch", "[512, 7, 7]", R"({"type": "global_avgpool2d"})", {512}},
        {"pytorch", "[512, 7, 7]", R"({"type": "global_maxpool2d", "keepdims": true})", {512, 1, 1}},
        {"keras", "[7, 7, 512]", R"({"type": "global_avgpool2d", "keepdims": true})", {1, 1, 512}},
        {"keras", "[100, 64]", R"({"type": "global_maxpool1d"})", {64}},
        {"pytorch", "[8, 4, 6, 6]", R"({"type": "global_avgpool3d"})", {8}},
        // adaptive: the output size whatever the input (torchvision's VGG pools 14×14 or 7×7 to 7×7)
        {"pytorch", "[512, 14, 14]", R"({"type": "adaptive_avgpool2d", "output_size": 7})", {512, 7, 7}},
        {"pytorch", "[512, 7, 7]", R"({"type": "adaptive_avgpool2d", "output_size": [7, 7]})", {512, 7, 7}},
        {"pytorch", "[16, 30]", R"({"type": "adaptive_maxpool1d", "output_size": 4})", {16, 4}},
    }));
    CAPTURE(convention, input, layer);
    const LayerResult result = only_layer(analyze_layer(convention, input, layer));
    CHECK(result.output_shape == expected);
    CHECK(result.params == 0);
    CHECK(result.macs == 0);
}

TEST_CASE("reshape, permute, upsample, zero padding and cropping", "[formulas][reshaping]") {
    auto [convention, input, layer, expected] = GENERATE(table<std::string, std::string, std::string, Shape>({
        // 800 elements as 32·5·5; −1 takes 800/32 = 25
        {"pytorch", "[800]", R"({"type": "reshape", "shape": [32, 5, 5]})", {32, 5, 5}},
        {"pytorch", "[800]", R"({"type": "reshape", "shape": [32, -1]})", {32, 25}},
        // a sequence [10, 64] with its dimensions swapped
        {"pytorch", "[10, 64]", R"({"type": "permute", "dims": [1, 0]})", {64, 10}},
        {"keras", "[2, 3, 4]", R"({"type": "permute", "dims": [2, 0, 1]})", {4, 2, 3}},
        // ⌊16·2⌋ = 32; ⌊5·1.5⌋ = ⌊7.5⌋ = 7
        {"pytorch", "[64, 16, 16]", R"({"type": "upsample", "scale_factor": 2})", {64, 32, 32}},
        {"pytorch", "[4, 5, 6]", R"({"type": "upsample", "scale_factor": 1.5})", {4, 7, 9}},
        {"keras", "[16, 16, 64]", R"({"type": "upsample", "size": [20, 24]})", {20, 24, 64}},
        // 28 + 1 + 1 = 30; per side [top, bottom, left, right] = [1, 2, 3, 4]: 28 + 3 = 31, 28 + 7 = 35
        {"pytorch", "[3, 28, 28]", R"({"type": "zero_pad2d", "padding": 1})", {3, 30, 30}},
        {"pytorch", "[3, 28, 28]", R"({"type": "zero_pad2d", "padding": [1, 2, 3, 4]})", {3, 31, 35}},
        {"keras", "[28, 28, 3]", R"({"type": "zero_pad2d", "padding": [2, 0]})", {32, 28, 3}},
        // 32 − 2 − 2 = 28
        {"keras", "[32, 32, 3]", R"({"type": "crop2d", "cropping": 2})", {28, 28, 3}},
        {"pytorch", "[3, 100]", R"({"type": "crop1d", "cropping": [10, 5]})", {3, 85}},
    }));
    CAPTURE(convention, input, layer);
    const LayerResult result = only_layer(analyze_layer(convention, input, layer));
    CHECK(result.output_shape == expected);
    CHECK(result.params == 0);
}

TEST_CASE("reshaping errors", "[errors][reshaping]") {
    auto [input, layer, field, words] = GENERATE(table<std::string, std::string, std::string, std::string>({
        {"[800]", R"({"type": "reshape", "shape": [32, 5, 6]})", "shape", "holds 960"},
        {"[800]", R"({"type": "reshape", "shape": [-1, -1]})", "shape", "only one size may be −1"},
        {"[800]", R"({"type": "reshape", "shape": [3, -1]})", "shape", "not a multiple of 3"},
        {"[10, 64]", R"({"type": "permute", "dims": [0, 0]})", "dims", "a permutation of 0…1"},
        {"[4, 8, 8]", R"({"type": "upsample"})", "scale_factor", "exactly one of size and scale_factor"},
        {"[4, 8, 8]", R"({"type": "crop2d", "cropping": 4})", "cropping", "leaves nothing"},
        {"[4, 8, 8]", R"({"type": "zero_pad2d", "padding": [1, 2, 3]})", "padding", "takes 1, 2 or 4 values"},
        {"[100]", R"({"type": "dropout2d", "p": 0.1})", "", "expects a [C, H, W] sample"},
    }));
    CAPTURE(input, layer);
    Analysis analysis = analyze_layer("pytorch", input, layer);
    REQUIRE(analysis.error);
    CHECK(analysis.error->field == field);
    CHECK_THAT(analysis.error->message, Catch::Contains(words));
}

// PyTorch PReLU(num_parameters=1 or C); Keras PReLU: one slope per element unless shared_axes.
TEST_CASE("prelu counts slopes in each framework's way", "[formulas][activation]") {
    CHECK(only_layer(analyze_layer("pytorch", "[64, 8, 8]", R"({"type": "prelu"})")).params == 1);
    CHECK(only_layer(analyze_layer("pytorch", "[64, 8, 8]", R"({"type": "prelu", "num_parameters": 64})")).params ==
          64);
    // 8·8·64 = 4,096 slopes; shared over H and W (axes 1 and 2): 1·1·64 = 64
    CHECK(only_layer(analyze_layer("keras", "[8, 8, 64]", R"({"type": "prelu"})")).params == 4'096);
    CHECK(only_layer(analyze_layer("keras", "[8, 8, 64]", R"({"type": "prelu", "shared_axes": [1, 2]})")).params == 64);
    SECTION("errors") {
        CHECK(analyze_layer("pytorch", "[64, 8, 8]", R"({"type": "prelu", "num_parameters": 3})").error->field ==
              "num_parameters");
        CHECK(analyze_layer("keras", "[8, 8, 64]", R"({"type": "prelu", "shared_axes": [4]})").error->field ==
              "shared_axes");
        // a learned slope is not a free activation: fusing it would lose its parameters
        CHECK(analyze_layer("pytorch", "[10]", R"({"type": "linear", "out_features": 4, "activation": "prelu"})")
                  .error->field == "activation");
    }
}

TEST_CASE("the further activations and dropouts keep the shape", "[formulas][activation]") {
    auto type = GENERATE(as<std::string>{}, "relu6", "hardswish", "hardsigmoid", "mish", "softplus", "alpha_dropout",
                         "dropout2d");
    CAPTURE(type);
    const LayerResult result = only_layer(analyze_layer("pytorch", "[3, 4, 5]", R"({"type": ")" + type + R"("})"));
    CHECK(result.output_shape == Shape{3, 4, 5});
    CHECK(result.params == 0);
}
