// The networks of the seed documents (../shared/seeds), reproduced layer by layer. Every
// expected number is the seed's own worked example, or — where a seed is wrong — the true count
// derived in a comment from the framework's formula.
#include "support.h"

#include <vector>

using namespace netshape;
using namespace netshape::testing;

namespace {

struct Expected {
    Shape shape;
    int64_t params;
};

void check_layers(const Analysis& analysis, const std::vector<Expected>& expected) {
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    REQUIRE(analysis.layers.size() == expected.size());
    for (size_t i = 0; i < expected.size(); ++i) {
        CAPTURE(i, analysis.layers[i].name);
        CHECK(analysis.layers[i].output_shape == expected[i].shape);
        CHECK(analysis.layers[i].params == expected[i].params);
    }
}

} // namespace

// Seeds 000 and 002: Lasagne on MNIST, "217,706 learnable parameters, which is exactly what
// Lasagne reports": 832 + 9,248 + 205,056 + 2,570.
TEST_CASE("seed 000: the Lasagne MNIST network has 217,706 parameters", "[seeds]") {
    const char* layers = R"([
        {"type": "conv2d", "out_channels": 32, "kernel_size": 5, "activation": "relu"},
        {"type": "maxpool2d", "kernel_size": 2},
        {"type": "conv2d", "out_channels": 32, "kernel_size": 3, "activation": "relu"},
        {"type": "maxpool2d", "kernel_size": 2},
        {"type": "flatten"},
        {"type": "linear", "out_features": 256, "activation": "relu"},
        {"type": "linear", "out_features": 10, "activation": "softmax"}])";

    SECTION("pytorch convention: the seed's 32x24x24, 32x12x12, 32x10x10, 32x5x5 shapes") {
        Analysis analysis = analyze_json(std::string(R"({"netshape": 1, "convention": "pytorch", "input": [1, 28, 28],
                                                         "layers": )") +
                                         layers + "}");
        check_layers(analysis, {{{32, 24, 24}, 832},
                                {{32, 12, 12}, 0},
                                {{32, 10, 10}, 9'248},
                                {{32, 5, 5}, 0},
                                {{800}, 0},
                                {{256}, 205'056},
                                {{10}, 2'570}});
        CHECK(analysis.total_params == 217'706);
        CHECK(analysis.trainable_params == 217'706);
        CHECK(analysis.non_trainable_params == 0);
    }
    SECTION("keras convention: the same counts, channels last") {
        Analysis analysis = analyze_json(std::string(R"({"convention": "keras", "input": [28, 28, 1],
                                                         "layers": )") +
                                         layers + "}");
        check_layers(analysis, {{{24, 24, 32}, 832},
                                {{12, 12, 32}, 0},
                                {{10, 10, 32}, 9'248},
                                {{5, 5, 32}, 0},
                                {{800}, 0},
                                {{256}, 205'056},
                                {{10}, 2'570}});
        CHECK(analysis.total_params == 217'706);
    }
    SECTION("the explanation shows the seed's working") {
        Analysis analysis = analyze_json(std::string(R"({"input": [1, 28, 28], "layers": )") + layers + "}");
        REQUIRE(analysis.ok());
        const auto& explain = analysis.layers[0].explain;
        // The seed: (28 − (5 − 1)) = 24 and (5 × 5 × 1 + 1) × 32 = 832, each worked in three
        // lines: symbols, values, result (continuation lines under the first "=").
        auto has = [](const std::vector<std::string>& lines, std::string_view line) {
            return std::find(lines.begin(), lines.end(), line) != lines.end();
        };
        CHECK(has(explain, "H_out = W_out = H_in − k + 1"));
        CHECK(has(explain, "              = 28 − 5 + 1"));
        CHECK(has(explain, "              = 24"));
        CHECK(has(explain, "params = (k_h·k_w·C_in + 1 bias)·C_out"));
        CHECK(has(explain, "       = (5·5·1 + 1)·32"));
        CHECK(has(explain, "       = 832"));
        const auto& dense = analysis.layers[5].explain;
        CHECK(has(dense, "       = (800 + 1)·256"));
        CHECK(has(dense, "       = 205,056"));
    }
}

// Seed 001 prints 208, 416, 48,001, 10,081 and 841: it forgets the input channels and adds one
// bias per layer instead of one per filter/unit. The true counts, from (k·k·C_in + 1)·C_out and
// (n_in + 1)·n_out:
//   CONV1: (5·5·3 + 1)·8   = 608        CONV2: (5·5·8 + 1)·16 = 3,216
//   FC3:   (400 + 1)·120   = 48,120     FC4:   (120 + 1)·84   = 10,164
//   Softmax layer (a dense 84 → 10): (84 + 1)·10 = 850      total 62,958
TEST_CASE("seed 001: the LeNet-style network has the true counts, not the published ones", "[seeds]") {
    Analysis analysis = analyze_json(R"({"convention": "keras", "input": [32, 32, 3], "layers": [
        {"type": "conv2d", "out_channels": 8, "kernel_size": 5, "stride": 1},
        {"type": "maxpool2d", "kernel_size": 2},
        {"type": "conv2d", "out_channels": 16, "kernel_size": 5, "stride": 1},
        {"type": "maxpool2d", "kernel_size": 2},
        {"type": "flatten"},
        {"type": "linear", "out_features": 120},
        {"type": "linear", "out_features": 84},
        {"type": "linear", "out_features": 10, "activation": "softmax"}]})");
    // Activation shapes as the seed prints them: (28,28,8) 6,272; (14,14,8); (10,10,16); (5,5,16) 400.
    check_layers(analysis, {{{28, 28, 8}, 608},
                            {{14, 14, 8}, 0},
                            {{10, 10, 16}, 3'216},
                            {{5, 5, 16}, 0},
                            {{400}, 0},
                            {{120}, 48'120},
                            {{84}, 10'164},
                            {{10}, 850}});
    CHECK(analysis.total_params == 62'958);
}

// Seed 003: (5·5·1 + 1)·4 = 104, (3·3·4 + 1)·8 = 296, (3·3·8 + 1)·16 = 1,168, (144 + 1)·16 = 2,320,
// (16 + 1)·10 = 170; total 4,058. Shapes 24×24×4, 12×12×4, 10×10×8, 5×5×8, 3×3×16, 144 units.
TEST_CASE("seed 003: the small MNIST CNN has 4,058 trainable parameters", "[seeds]") {
    Analysis analysis = analyze_json(R"({"convention": "keras", "input": [28, 28, 1], "layers": [
        {"type": "conv2d", "out_channels": 4, "kernel_size": 5},
        {"type": "maxpool2d", "kernel_size": 2},
        {"type": "conv2d", "out_channels": 8, "kernel_size": 3},
        {"type": "maxpool2d", "kernel_size": 2},
        {"type": "conv2d", "out_channels": 16, "kernel_size": 3},
        {"type": "flatten"},
        {"type": "linear", "out_features": 16},
        {"type": "linear", "out_features": 10}]})");
    check_layers(analysis, {{{24, 24, 4}, 104},
                            {{12, 12, 4}, 0},
                            {{10, 10, 8}, 296},
                            {{5, 5, 8}, 0},
                            {{3, 3, 16}, 1'168},
                            {{144}, 0},
                            {{16}, 2'320},
                            {{10}, 170}});
    CHECK(analysis.total_params == 4'058);
    CHECK(analysis.trainable_params == 4'058);
}

// Seed 004's PyTorch model and its torchsummary table: 416, 12,832, 803,328, 65,664, 1,290;
// total 883,530, all trainable.
TEST_CASE("seed 004: the PyTorch model summary totals 883,530", "[seeds]") {
    Analysis analysis = analyze_json(R"({"input": [1, 28, 28], "layers": [
        {"type": "conv2d", "in_channels": 1, "out_channels": 16, "kernel_size": [5, 5], "stride": [1, 1], "padding": [2, 2]},
        {"type": "dropout", "p": 0.2},
        {"type": "relu"},
        {"type": "maxpool2d", "kernel_size": 2, "stride": 2, "padding": 0, "dilation": 1, "ceil_mode": false},
        {"type": "conv2d", "in_channels": 16, "out_channels": 32, "kernel_size": 5, "padding": 2},
        {"type": "dropout", "p": 0.2},
        {"type": "relu"},
        {"type": "maxpool2d", "kernel_size": 2},
        {"type": "flatten", "start_dim": 1, "end_dim": -1},
        {"type": "linear", "in_features": 1568, "out_features": 512, "bias": true},
        {"type": "dropout", "p": 0.2},
        {"type": "relu"},
        {"type": "linear", "in_features": 512, "out_features": 128},
        {"type": "dropout", "p": 0.2},
        {"type": "relu"},
        {"type": "linear", "in_features": 128, "out_features": 10}]})");
    check_layers(analysis, {{{16, 28, 28}, 416},
                            {{16, 28, 28}, 0},
                            {{16, 28, 28}, 0},
                            {{16, 14, 14}, 0},
                            {{32, 14, 14}, 12'832},
                            {{32, 14, 14}, 0},
                            {{32, 14, 14}, 0},
                            {{32, 7, 7}, 0},
                            {{1568}, 0},
                            {{512}, 803'328},
                            {{512}, 0},
                            {{512}, 0},
                            {{128}, 65'664},
                            {{128}, 0},
                            {{128}, 0},
                            {{10}, 1'290}});
    CHECK(analysis.total_params == 883'530);
    CHECK(analysis.trainable_params == 883'530);
    CHECK(analysis.non_trainable_params == 0);
}

// Seed 004's exercise: input 1024 → FCwB(256) → Dropout(0.1) → FC(128) → tanh → Maxpool(3) →
// FC(3), where FC has no bias. 1024·256 + 256 = 262,400; 256·128 = 32,768; the flat max-pool
// gives ⌊(128 − 3)/3⌋ + 1 = 42; 42·3 = 126; total 295,294.
TEST_CASE("seed 004: the bias-free fully connected exercise totals 295,294", "[seeds]") {
    Analysis analysis = analyze_json(R"({"input": [1024], "layers": [
        {"type": "linear", "out_features": 256},
        {"type": "dropout", "p": 0.1},
        {"type": "linear", "out_features": 128, "bias": false},
        {"type": "tanh"},
        {"type": "maxpool1d", "kernel_size": 3},
        {"type": "linear", "out_features": 3, "bias": false}]})");
    check_layers(analysis, {{{256}, 262'400}, {{256}, 0}, {{128}, 32'768}, {{128}, 0}, {{42}, 0}, {{3}, 126}});
    CHECK(analysis.total_params == 295'294);
}
