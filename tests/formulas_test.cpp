// Formula tables per layer family. The oracles are the frameworks' documented formulas, written
// out here independently of the engine; the named cases are layers of published networks whose
// sizes and counts are worked out by hand in the comments.
#include "support.h"

#include <algorithm>
#include <string>
#include <tuple>

using namespace netshape;
using namespace netshape::testing;

namespace {

std::string str(int64_t value) { return std::to_string(value); }

// PyTorch Conv2d / MaxPool2d docs: H_out = ⌊(H_in + 2·padding − dilation·(kernel_size − 1) − 1)/stride + 1⌋.
// Only called where the numerator is non-negative, so C++ division is the floor.
int64_t torch_window_out(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d) {
    return (in + 2 * p - d * (k - 1) - 1) / s + 1;
}

int64_t conv1d_out(int64_t in, int64_t k, int64_t s, int64_t p, int64_t d) {
    Analysis analysis =
        analyze_layer("pytorch", "[2, " + str(in) + "]",
                      R"({"type": "conv1d", "out_channels": 3, "kernel_size": )" + str(k) + R"(, "stride": )" + str(s) +
                          R"(, "padding": )" + str(p) + R"(, "dilation": )" + str(d) + "}");
    const LayerResult& layer = only_layer(analysis);
    REQUIRE(layer.output_shape.size() == 2);
    CHECK(layer.output_shape[0] == 3);
    return layer.output_shape[1];
}

} // namespace

// --------------------------------------------------------------------------------------------
// Convolution
// --------------------------------------------------------------------------------------------

TEST_CASE("convolution output size follows PyTorch's documented formula", "[formulas][conv]") {
    for (int64_t in = 1; in <= 16; ++in)
        for (int64_t k = 1; k <= 5; ++k)
            for (int64_t s = 1; s <= 3; ++s)
                for (int64_t p = 0; p <= 2; ++p)
                    for (int64_t d = 1; d <= 2; ++d) {
                        if (in + 2 * p < d * (k - 1) + 1) continue; // the window must fit; errors_test covers it
                        CAPTURE(in, k, s, p, d);
                        CHECK(conv1d_out(in, k, s, p, d) == torch_window_out(in, k, s, p, d));
                    }
}

TEST_CASE("convolution sizes of published networks", "[formulas][conv]") {
    // {input [C, H, W], fields, expected output}
    auto [input, fields, expected] = GENERATE(table<std::string, std::string, Shape>({
        // AlexNet conv1: ⌊(224 + 2·2 − 11)/4⌋ + 1 = 55
        {"[3, 224, 224]", R"("out_channels": 64, "kernel_size": 11, "stride": 4, "padding": 2)", {64, 55, 55}},
        // ResNet stem: ⌊(224 + 2·3 − 7)/2⌋ + 1 = 112
        {"[3, 224, 224]",
         R"("out_channels": 64, "kernel_size": 7, "stride": 2, "padding": 3, "bias": false)",
         {64, 112, 112}},
        // VGG 3×3 with padding 1 keeps the size: ⌊(224 + 2 − 3)/1⌋ + 1 = 224
        {"[64, 224, 224]", R"("out_channels": 64, "kernel_size": 3, "padding": 1)", {64, 224, 224}},
        // ResNet 1×1 downsample: ⌊(56 − 1)/2⌋ + 1 = 28
        {"[64, 56, 56]", R"("out_channels": 128, "kernel_size": 1, "stride": 2)", {128, 28, 28}},
        // Per-dimension k = [1, 7], p = [0, 3]: H ⌊(32 + 0 − 1)/1⌋ + 1 = 32, W ⌊(17 + 6 − 7)/1⌋ + 1 = 17
        {"[8, 32, 17]", R"("out_channels": 8, "kernel_size": [1, 7], "padding": [0, 3])", {8, 32, 17}},
        // Dilation 2, padding 2, kernel 3: span 5; ⌊(32 + 4 − 5)/1⌋ + 1 = 32
        {"[8, 32, 32]", R"("out_channels": 8, "kernel_size": 3, "padding": 2, "dilation": 2)", {8, 32, 32}},
        // padding="valid" is padding 0: ⌊(10 − 3)/1⌋ + 1 = 8
        {"[1, 10, 10]", R"("out_channels": 2, "kernel_size": 3, "padding": "valid")", {2, 8, 8}},
        // PyTorch padding="same" with stride 1 keeps the size, even for an even kernel
        {"[1, 10, 9]", R"("out_channels": 2, "kernel_size": 4, "padding": "same")", {2, 10, 9}},
    }));
    CAPTURE(input, fields);
    const LayerResult& layer = only_layer(analyze_layer("pytorch", input, R"({"type": "conv2d", )" + fields + "}"));
    CHECK(layer.output_shape == expected);
}

TEST_CASE("convolution parameters are (k·…·C_in/groups + 1)·C_out", "[formulas][conv]") {
    auto [type, input, fields, expected] = GENERATE(table<std::string, std::string, std::string, int64_t>({
        // ResNet conv1 (no bias): 64·3·7·7 = 9,408
        {"conv2d", "[3, 224, 224]", R"("out_channels": 64, "kernel_size": 7, "stride": 2, "padding": 3, "bias": false)",
         9'408},
        // AlexNet conv1: (11·11·3 + 1)·64 = 23,296
        {"conv2d", "[3, 224, 224]", R"("out_channels": 64, "kernel_size": 11, "stride": 4, "padding": 2)", 23'296},
        // VGG16 block1_conv1, 1,792 in Keras's summary: (3·3·3 + 1)·64
        {"conv2d", "[3, 224, 224]", R"("out_channels": 64, "kernel_size": 3, "padding": 1)", 1'792},
        // Depthwise (groups = channels), MobileNetV2's first depthwise conv: 32·1·3·3 = 288
        {"conv2d", "[32, 112, 112]",
         R"("out_channels": 32, "kernel_size": 3, "padding": 1, "groups": 32, "bias": false)", 288},
        // Grouped: 128 filters of 3·3·(64/4) weights, + 128 biases = 128·144 + 128 = 18,560
        {"conv2d", "[64, 8, 8]", R"("out_channels": 128, "kernel_size": 3, "groups": 4)", 18'560},
        // PyTorch's Conv1d doc example Conv1d(16, 33, 3, stride=2): (3·16 + 1)·33 = 1,617
        {"conv1d", "[16, 50]", R"("out_channels": 33, "kernel_size": 3, "stride": 2)", 1'617},
        // PyTorch's Conv3d doc example Conv3d(16, 33, 3, stride=2): (3·3·3·16 + 1)·33 = 14,289
        {"conv3d", "[16, 10, 50, 100]", R"("out_channels": 33, "kernel_size": 3, "stride": 2)", 14'289},
        // Non-cubic 3-D kernel (3, 5, 2): (3·5·2·16 + 1)·33 = 15,873
        {"conv3d", "[16, 10, 50, 100]", R"("out_channels": 33, "kernel_size": [3, 5, 2], "stride": [2, 1, 1])", 15'873},
    }));
    CAPTURE(type, input, fields);
    const LayerResult& layer =
        only_layer(analyze_layer("pytorch", input, R"({"type": ")" + type + R"(", )" + fields + "}"));
    CHECK(layer.params == expected);
    CHECK(layer.trainable_params == expected);
}

TEST_CASE("conv3d output follows the formula in every dimension", "[formulas][conv]") {
    // PyTorch's Conv3d doc example: input (20, 16, 10, 50, 100), kernel (3, 5, 2), stride (2, 1, 1),
    // padding (4, 2, 0): D ⌊(10 + 8 − 3)/2⌋ + 1 = 8; H ⌊(50 + 4 − 5)/1⌋ + 1 = 50; W ⌊(100 − 2)/1⌋ + 1 = 99
    const LayerResult& layer = only_layer(analyze_layer(
        "pytorch", "[16, 10, 50, 100]",
        R"({"type": "conv3d", "out_channels": 33, "kernel_size": [3, 5, 2], "stride": [2, 1, 1], "padding": [4, 2, 0]})"));
    CHECK(layer.output_shape == Shape{33, 8, 50, 99});
}

// --------------------------------------------------------------------------------------------
// Pooling
// --------------------------------------------------------------------------------------------

TEST_CASE("max pooling output size follows the formula, stride defaults to kernel_size", "[formulas][pool]") {
    for (int64_t in = 1; in <= 16; ++in)
        for (int64_t k = 1; k <= 4; ++k)
            for (int64_t p = 0; p <= k / 2; ++p) {
                if (in + 2 * p < k) continue;
                CAPTURE(in, k, p);
                const LayerResult& layer = only_layer(analyze_layer("pytorch", "[4, " + str(in) + "]",
                                                                    R"({"type": "maxpool1d", "kernel_size": )" +
                                                                        str(k) + R"(, "padding": )" + str(p) + "}"));
                CHECK(layer.output_shape == Shape{4, torch_window_out(in, k, k, p, 1)});
            }
}

TEST_CASE("pooling sizes of published networks and PyTorch's ceil_mode rule", "[formulas][pool]") {
    auto [type, input, fields, expected] = GENERATE(table<std::string, std::string, std::string, Shape>({
        // ResNet's max pool after the stem: ⌊(112 + 2 − 3)/2⌋ + 1 = 56
        {"maxpool2d", "[64, 112, 112]", R"("kernel_size": 3, "stride": 2, "padding": 1)", {64, 56, 56}},
        // AlexNet: ⌊(55 − 3)/2⌋ + 1 = 27
        {"maxpool2d", "[64, 55, 55]", R"("kernel_size": 3, "stride": 2)", {64, 27, 27}},
        // GoogLeNet's maxpool1 with ceil_mode: ⌈(112 − 3)/2⌉ + 1 = 56 (floor would give 55)
        {"maxpool2d", "[64, 112, 112]", R"("kernel_size": 3, "stride": 2, "ceil_mode": true)", {64, 56, 56}},
        // SqueezeNet 1.0 after conv1 (109×109): ⌈(109 − 3)/2⌉ + 1 = 54
        {"maxpool2d", "[96, 109, 109]", R"("kernel_size": 3, "stride": 2, "ceil_mode": true)", {96, 54, 54}},
        // The last window must start inside the input or the left padding: in 3, k 2, s 2, p 1 gives
        // ⌈(3 + 2 − 2)/2⌉ + 1 = 3 windows starting at −1, 1, 3; the one at 3 lies wholly in the right
        // padding (the input is 0…2), so PyTorch keeps 2.
        {"maxpool1d", "[1, 3]", R"("kernel_size": 2, "stride": 2, "padding": 1, "ceil_mode": true)", {1, 2}},
        // Dilated max pooling: span 2·(3−1) + 1 = 5; ⌊(10 − 5)/1⌋ + 1 = 6
        {"maxpool1d", "[1, 10]", R"("kernel_size": 3, "stride": 1, "dilation": 2)", {1, 6}},
        // PyTorch AvgPool2d: ⌊(H_in + 2·padding − kernel_size)/stride⌋ + 1: ⌊(5 + 2 − 3)/2⌋ + 1 = 3
        {"avgpool2d", "[8, 5, 5]", R"("kernel_size": 3, "stride": 2, "padding": 1)", {8, 3, 3}},
        // ResNet-style global 7×7 average: ⌊(7 − 7)/7⌋ + 1 = 1
        {"avgpool2d", "[512, 7, 7]", R"("kernel_size": 7)", {512, 1, 1}},
        // 3-D pooling of [C, D, H, W]: ⌊(16 − 2)/2⌋ + 1 = 8 and so on
        {"maxpool3d", "[4, 16, 9, 8]", R"("kernel_size": 2)", {4, 8, 4, 4}},
        // A flat vector is pooled along its only dimension (seed 004): ⌊(128 − 3)/3⌋ + 1 = 42
        {"maxpool1d", "[128]", R"("kernel_size": 3)", {42}},
    }));
    CAPTURE(type, input, fields);
    const LayerResult& layer =
        only_layer(analyze_layer("pytorch", input, R"({"type": ")" + type + R"(", )" + fields + "}"));
    CHECK(layer.output_shape == expected);
    CHECK(layer.params == 0);
}

// --------------------------------------------------------------------------------------------
// Linear
// --------------------------------------------------------------------------------------------

TEST_CASE("linear: (in + 1)·out, applied to the last dimension", "[formulas][linear]") {
    auto [input, fields, shape, params] = GENERATE(table<std::string, std::string, Shape, int64_t>({
        // VGG16 fc1, 102,764,544 in Keras's summary: 25,088·4,096 + 4,096
        {"[25088]", R"("out_features": 4096)", {4096}, 102'764'544},
        // no bias: 256·128
        {"[256]", R"("out_features": 128, "bias": false)", {128}, 32'768},
        // on [10, 64] (a sequence of 10 vectors): (64 + 1)·32 = 2,080, leading dimension kept
        {"[10, 64]", R"("out_features": 32)", {10, 32}, 2'080},
        // on [2, 3, 5]: (5 + 1)·7 = 42
        {"[2, 3, 5]", R"("out_features": 7)", {2, 3, 7}, 42},
    }));
    CAPTURE(input, fields);
    const LayerResult& layer = only_layer(analyze_layer("pytorch", input, R"({"type": "linear", )" + fields + "}"));
    CHECK(layer.output_shape == shape);
    CHECK(layer.params == params);
}

// --------------------------------------------------------------------------------------------
// Batch normalization, flatten, dropout, activations
// --------------------------------------------------------------------------------------------

TEST_CASE("batch norm: PyTorch counts 2·C parameters and keeps running statistics as buffers", "[formulas][norm]") {
    SECTION("batchnorm2d on 64 channels: weight and bias, 128 parameters; 2·64 + 1 buffer elements") {
        const LayerResult& layer = only_layer(analyze_layer("pytorch", "[64, 56, 56]", R"({"type": "batchnorm2d"})"));
        CHECK(layer.output_shape == Shape{64, 56, 56});
        CHECK(layer.params == 128);
        CHECK(layer.trainable_params == 128);
        CHECK(layer.non_trainable_params == 0);
        CHECK(layer.buffer_elements == 129); // running_mean, running_var, num_batches_tracked
    }
    SECTION("affine=false: no parameters at all") {
        const LayerResult& layer =
            only_layer(analyze_layer("pytorch", "[64, 56, 56]", R"({"type": "batchnorm2d", "affine": false})"));
        CHECK(layer.params == 0);
    }
    SECTION("track_running_stats=false: no buffers") {
        const LayerResult& layer = only_layer(
            analyze_layer("pytorch", "[64, 56, 56]", R"({"type": "batchnorm2d", "track_running_stats": false})"));
        CHECK(layer.params == 128);
        CHECK(layer.buffer_elements == 0);
    }
    SECTION("batchnorm1d takes [C] and [C, L]; batchnorm3d takes [C, D, H, W]") {
        CHECK(only_layer(analyze_layer("pytorch", "[100]", R"({"type": "batchnorm1d"})")).params == 200);
        CHECK(only_layer(analyze_layer("pytorch", "[100, 7]", R"({"type": "batchnorm1d"})")).params == 200);
        CHECK(only_layer(analyze_layer("pytorch", "[16, 4, 8, 8]", R"({"type": "batchnorm3d"})")).params == 32);
    }
}

TEST_CASE("flatten merges start_dim…end_dim, counting the batch as dimension 0", "[formulas][flatten]") {
    auto [input, fields, expected] = GENERATE(table<std::string, std::string, Shape>({
        {"[32, 5, 5]", "", {800}},                                     // 32·5·5
        {"[32, 5, 5]", R"(, "start_dim": 2)", {32, 25}},               // 5·5, channels kept
        {"[32, 5, 5]", R"(, "start_dim": 1, "end_dim": 2)", {160, 5}}, // 32·5
        {"[32, 5, 5]", R"(, "end_dim": -2)", {160, 5}},                // −2 is dimension 2 of [N, 32, 5, 5]
        {"[7]", "", {7}},
    }));
    CAPTURE(input, fields);
    const LayerResult& layer = only_layer(analyze_layer("pytorch", input, R"({"type": "flatten")" + fields + "}"));
    CHECK(layer.output_shape == expected);
    CHECK(layer.params == 0);
}

TEST_CASE("activations and dropout keep the shape and have no parameters", "[formulas][activation]") {
    auto type = GENERATE(as<std::string>{}, "relu", "leaky_relu", "elu", "gelu", "silu", "sigmoid", "tanh", "softmax",
                         "log_softmax", "identity", "dropout");
    CAPTURE(type);
    const LayerResult& layer = only_layer(analyze_layer("pytorch", "[3, 4, 5]", R"({"type": ")" + type + R"("})"));
    CHECK(layer.output_shape == Shape{3, 4, 5});
    CHECK(layer.params == 0);
    CHECK(layer.weights.empty());
}

// --------------------------------------------------------------------------------------------
// Transposed, depthwise and separable convolution
// --------------------------------------------------------------------------------------------

// PyTorch ConvTranspose2d: H_out = (H_in − 1)·stride − 2·padding + dilation·(kernel_size − 1) +
// output_padding + 1; params C_in·(C_out/groups)·k·k + C_out.
TEST_CASE("transposed convolution sizes and parameters", "[formulas][conv]") {
    auto [convention, input, fields, shape, params] =
        GENERATE(table<std::string, std::string, std::string, Shape, int64_t>({
            // PyTorch's doc example ConvTranspose2d(16, 33, 3, stride=2) on 50×100:
            // (50 − 1)·2 + 3 = 101, (100 − 1)·2 + 3 = 201; 16·33·9 + 33 = 4,785
            {"pytorch", "[16, 50, 100]", R"("out_channels": 33, "kernel_size": 3, "stride": 2)", {33, 101, 201}, 4'785},
            // U-Net's up-convolution 1024 → 512, 2×2, stride 2: 28 → 56; 1024·512·4 + 512 = 2,097,664
            {"pytorch",
             "[1024, 28, 28]",
             R"("out_channels": 512, "kernel_size": 2, "stride": 2)",
             {512, 56, 56},
             2'097'664},
            // output_padding: (12 − 1)·2 − 2·1 + 1·(3 − 1) + 1 + 1 = 24
            {"pytorch",
             "[8, 12, 12]",
             R"("out_channels": 8, "kernel_size": 3, "stride": 2, "padding": 1, "output_padding": 1)",
             {8, 24, 24},
             8 * 8 * 9 + 8},
            // Keras "same": H_in·stride = 14·2 = 28; kernel [3, 3, 16, 32] + bias 16
            {"keras",
             "[14, 14, 32]",
             R"("out_channels": 16, "kernel_size": 3, "stride": 2, "padding": "same")",
             {28, 28, 16},
             32 * 16 * 9 + 16},
        }));
    CAPTURE(convention, input, fields);
    const LayerResult layer =
        only_layer(analyze_layer(convention, input, R"({"type": "conv_transpose2d", )" + fields + "}"));
    CHECK(layer.output_shape == shape);
    CHECK(layer.params == params);
    SECTION("weight shapes: PyTorch [C_in, C_out/groups, k, k], Keras [k, k, C_out, C_in]") {
        CHECK(only_layer(analyze_layer("pytorch", "[16, 5, 5]",
                                       R"({"type": "conv_transpose2d", "out_channels": 33, "kernel_size": 3})"))
                  .weights[0]
                  .shape == Shape{16, 33, 3, 3});
        CHECK(only_layer(analyze_layer("keras", "[5, 5, 16]",
                                       R"({"type": "conv_transpose2d", "out_channels": 33, "kernel_size": 3})"))
                  .weights[0]
                  .shape == Shape{3, 3, 33, 16});
    }
}

TEST_CASE("depthwise and separable convolution, as Keras counts them", "[formulas][conv]") {
    auto [type, fields, shape, params] = GENERATE(table<std::string, std::string, Shape, int64_t>({
        // DepthwiseConv2D(3) on 32 channels: 3·3·32 + 32 = 320; MobileNet's conv_dw_1 (no bias) 288
        {"depthwise_conv2d", R"("kernel_size": 3, "padding": "same")", {112, 112, 32}, 320},
        {"depthwise_conv2d", R"("kernel_size": 3, "padding": "same", "bias": false)", {112, 112, 32}, 288},
        // depth_multiplier 2: 64 output channels; 3·3·32·2 + 64 = 640
        {"depthwise_conv2d", R"("kernel_size": 3, "depth_multiplier": 2)", {110, 110, 64}, 640},
        // SeparableConv2D(64, 3): 3·3·32 + 32·64 + 64 = 2,400
        {"separable_conv2d", R"("out_channels": 64, "kernel_size": 3, "padding": "same")", {112, 112, 64}, 2'400},
    }));
    CAPTURE(type, fields);
    const LayerResult layer =
        only_layer(analyze_layer("keras", "[112, 112, 32]", R"({"type": ")" + type + R"(", )" + fields + "}"));
    CHECK(layer.output_shape == shape);
    CHECK(layer.params == params);
    SECTION("Xception's block2_sepconv1 (64 → 128, no bias): 8,768 in Keras's summary") {
        const LayerResult sep = only_layer(analyze_layer(
            "keras", "[147, 147, 64]",
            R"({"type": "separable_conv2d", "out_channels": 128, "kernel_size": 3, "padding": "same", "bias": false})"));
        CHECK(sep.params == 8'768); // 3·3·64 + 64·128
        CHECK(sep.output_shape == Shape{147, 147, 128});
    }
    SECTION("MACs: depthwise 112·112·32·3·3, separable adds 112·112·32·64 for the pointwise step") {
        CHECK(only_layer(analyze_layer("keras", "[112, 112, 32]",
                                       R"({"type": "depthwise_conv2d", "kernel_size": 3, "padding": "same"})"))
                  .macs == 112 * 112 * 32 * 9);
        CHECK(
            only_layer(analyze_layer(
                           "keras", "[112, 112, 32]",
                           R"({"type": "separable_conv2d", "out_channels": 64, "kernel_size": 3, "padding": "same"})"))
                .macs == 112 * 112 * 32 * 9 + 112 * 112 * 32 * 64);
    }
}

TEST_CASE("PyTorch pooling with ceil_mode: a window may start in the left padding and run off the end", "[formulas]") {
    // PyTorch's pooling_output_shape: out = ⌊(L + 2p − d(k − 1) − 1 + (s − 1))/s⌋ + 1, less one when
    // the last window would start at or past L + p; only out ≥ 1 is asked for. L = 2, k = 5, s = 3,
    // p = 1: ⌊(2 + 2 − 4 − 1 + 2)/3⌋ + 1 = 1, and that window starts at 0 < 3. Without ceil_mode
    // ⌊(2 + 2 − 5)/3⌋ + 1 = 0: refused.
    const Analysis max = analyze_json(R"({"input": [1, 2], "layers": [{"type": "maxpool1d", "kernel_size": 5, "stride": 3, "padding": 1, "ceil_mode": true}]})");
    REQUIRE(max.ok());
    CHECK(max.layers[0].output_shape == Shape{1, 1});
    const Analysis avg = analyze_json(R"({"input": [1, 2], "layers": [{"type": "avgpool1d", "kernel_size": 5, "stride": 3, "padding": 1, "ceil_mode": true}]})");
    REQUIRE(avg.ok());
    CHECK(avg.layers[0].output_shape == Shape{1, 1});
    CHECK_FALSE(analyze_json(R"({"input": [1, 2], "layers": [{"type": "maxpool1d", "kernel_size": 5, "stride": 3, "padding": 1}]})").ok());
}

TEST_CASE("Keras Conv2DTranspose, padding valid: L·s + max(k − s, 0), so a kernel smaller than the stride", "[formulas]") {
    // Keras's deconv_output_length (output_padding None, "valid"): 38·2 + max(1 − 2, 0) = 76, where
    // PyTorch's (L − 1)·s + k gives 75; with k = 3 ≥ s both give 38·2 + 1 = 77 = 37·2 + 3.
    const Analysis small = analyze_json(R"({"convention": "keras", "input": [38, 38, 4], "layers": [{"type": "conv_transpose2d", "out_channels": 2, "kernel_size": 1, "stride": 2}]})");
    REQUIRE(small.ok());
    CHECK(small.layers[0].output_shape == Shape{76, 76, 2});
    const Analysis large = analyze_json(R"({"convention": "keras", "input": [38, 38, 4], "layers": [{"type": "conv_transpose2d", "out_channels": 2, "kernel_size": 3, "stride": 2}]})");
    REQUIRE(large.ok());
    CHECK(large.layers[0].output_shape == Shape{77, 77, 2});
    const Analysis torch = analyze_json(R"({"input": [4, 38, 38], "layers": [{"type": "conv_transpose2d", "out_channels": 2, "kernel_size": 1, "stride": 2}]})");
    REQUIRE(torch.ok());
    CHECK(torch.layers[0].output_shape == Shape{2, 75, 75});
}

TEST_CASE("refused as PyTorch refuses: interpolation modes and their ranks, align_corners, AvgPool3d, instance norm", "[formulas]") {
    // torch.nn.functional.interpolate: "Got 3D input, but bilinear mode needs 4D input" (a batch
    // of [C, L]); align_corners "can only be set with the interpolating modes", even as False.
    CHECK_FALSE(analyze_json(R"({"input": [2, 8], "layers": [{"type": "upsample", "scale_factor": 2, "mode": "bilinear"}]})").ok());
    CHECK_FALSE(analyze_json(R"({"input": [2, 8, 8], "layers": [{"type": "upsample", "scale_factor": 2, "mode": "linear"}]})").ok());
    CHECK_FALSE(analyze_json(R"({"input": [2, 8, 8], "layers": [{"type": "upsample", "scale_factor": 2, "mode": "trilinear"}]})").ok());
    CHECK_FALSE(analyze_json(R"({"input": [2, 8], "layers": [{"type": "upsample", "scale_factor": 2, "align_corners": false}]})").ok());
    // Each mode on its rank: 8·2 = 16.
    CHECK(analyze_json(R"({"input": [2, 8], "layers": [{"type": "upsample", "scale_factor": 2, "mode": "linear", "align_corners": true}]})")
              .output_shape == Shape{2, 16});
    CHECK(analyze_json(R"({"input": [2, 8, 8], "layers": [{"type": "upsample", "scale_factor": 2, "mode": "bicubic"}]})")
              .output_shape == Shape{2, 16, 16});
    // avg_pool3d: "input image (T: 2 …) smaller than kernel size (kT: 3 …)", padding or not; 2-D
    // pooling takes it: ⌊(2 + 2·1 − 3)/3⌋ + 1 = 1 and ⌊(4 + 2 − 3)/3⌋ + 1 = 2.
    CHECK_FALSE(analyze_json(R"({"input": [1, 2, 4, 4], "layers": [{"type": "avgpool3d", "kernel_size": 3, "padding": 1}]})").ok());
    CHECK(analyze_json(R"({"input": [1, 2, 4], "layers": [{"type": "avgpool2d", "kernel_size": 3, "padding": 1}]})")
              .output_shape == Shape{1, 1, 2});
    // Instance norm over a single position: "Expected more than 1 spatial element when training".
    CHECK_FALSE(analyze_json(R"({"input": [2, 1], "layers": [{"type": "instancenorm1d"}]})").ok());
    CHECK(analyze_json(R"({"input": [2, 4], "layers": [{"type": "instancenorm1d"}]})").ok());
}
