// Memory estimates and receptive fields. Memory follows from the counts by the arithmetic written
// in the comments; receptive fields follow Araujo et al. (Distill 2019):
//   r = r_in + (k − 1)·d·j_in,  j = j_in·s,  start = start_in + ((k − 1)·d/2 − p_before)·j_in.
#include "support.h"

#include "engine/link_text.h"
#include "engine/memory.h"
#include "engine/report.h"

#include <algorithm>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace netshape;
using namespace netshape::testing;

TEST_CASE("memory of the seed 000 network", "[memory]") {
    Analysis analysis = analyze_json(kSeed000Json);
    REQUIRE(analysis.ok());
    // Activations per sample: the input 784, then 32·24·24 = 18,432, 32·12·12 = 4,608,
    // 32·10·10 = 3,200, 32·5·5 = 800, 800 (flatten), 256, 10: 28,890 values.
    const int64_t activations = 784 + 18'432 + 4'608 + 3'200 + 800 + 800 + 256 + 10;
    SECTION("fp32, Adam, batch 32") {
        std::optional<MemoryEstimate> memory =
            estimate_memory(analysis, {.dtype = DType::fp32, .batch_size = 32, .optimizer = Optimizer::adam});
        REQUIRE(memory);
        CHECK(memory->parameter_bytes[static_cast<int>(DType::fp32)] == 217'706 * 4);
        CHECK(memory->parameter_bytes[static_cast<int>(DType::fp16)] == 217'706 * 2);
        CHECK(memory->parameter_bytes[static_cast<int>(DType::int8)] == 217'706);
        CHECK(memory->activation_elements == activations);
        CHECK(memory->activation_bytes == activations * 4);
        // weights + gradients + Adam's two moments + the batch's activations
        CHECK(memory->training_bytes == 217'706 * 4 + 217'706 * 4 + 2 * 217'706 * 4 + 32 * activations * 4);
    }
    SECTION("fp16, SGD without momentum: no optimizer state") {
        std::optional<MemoryEstimate> memory =
            estimate_memory(analysis, {.dtype = DType::fp16, .batch_size = 1, .optimizer = Optimizer::sgd});
        REQUIRE(memory);
        CHECK(memory->optimizer_bytes == 0);
        CHECK(memory->training_bytes == 217'706 * 2 * 2 + activations * 2);
    }
    SECTION("momentum keeps one value per trainable parameter; buffers count as weights, not gradients") {
        Analysis with_norm = analyze_json(R"({"input": [8, 4, 4], "layers": [{"type": "batchnorm2d"}]})");
        std::optional<MemoryEstimate> memory = estimate_memory(with_norm, {.optimizer = Optimizer::sgd_momentum});
        REQUIRE(memory);
        // 16 parameters, 17 buffer values (running_mean, running_var, num_batches_tracked)
        CHECK(memory->weight_bytes == (16 + 17) * 4);
        CHECK(memory->gradient_bytes == 16 * 4);
        CHECK(memory->optimizer_bytes == 16 * 4);
    }
    SECTION("no estimate for an invalid architecture") {
        CHECK_FALSE(estimate_memory(analyze_json(R"({"input": [4], "layers": [{"type": "nope"}]})"), {}));
    }
}

TEST_CASE("receptive fields grow as the distill formulas say", "[receptive]") {
    SECTION("three stacked 3×3 convolutions see 7×7, as the VGG paper argues") {
        Analysis analysis = analyze_json(R"({"input": [3, 32, 32], "layers": [
            {"type": "conv2d", "out_channels": 8, "kernel_size": 3, "padding": 1},
            {"type": "conv2d", "out_channels": 8, "kernel_size": 3, "padding": 1},
            {"type": "conv2d", "out_channels": 8, "kernel_size": 3, "padding": 1}]})");
        REQUIRE(analysis.ok());
        CHECK(analysis.layers[0].receptive_field->size == std::vector<int64_t>{3, 3});
        CHECK(analysis.layers[2].receptive_field->size == std::vector<int64_t>{7, 7});
        CHECK(analysis.layers[2].receptive_field->jump == std::vector<int64_t>{1, 1});
        // start = 0 + (1 − 1)·1 each time: padding 1 centres the first window on position 0
        CHECK(analysis.layers[2].receptive_field->start == std::vector<double>{0.0, 0.0});
    }
    SECTION("AlexNet's conv1: 11×11 with jump 4; its pool5 sees 195, as the Distill table lists") {
        // conv1 11 (s4) → pool 11 + 2·4 = 19 (j 8) → conv2 19 + 4·8 = 51 → pool 51 + 2·8 = 67 (j 16)
        // → conv3, 4, 5: + 2·16 each: 99, 131, 163 → pool5 163 + 2·16 = 195
        std::ifstream file(std::filesystem::path(NETSHAPE_PRESETS_DIR) / "alexnet.json");
        std::ostringstream text;
        text << file.rdbuf();
        Analysis analysis = analyze_json(text.str());
        REQUIRE(analysis.ok());
        CHECK(analysis.layers[0].receptive_field->size == std::vector<int64_t>{11, 11});
        CHECK(analysis.layers[0].receptive_field->jump == std::vector<int64_t>{4, 4});
        // the first window (padding 2) centres at (11 − 1)/2 − 2 = 3
        CHECK(analysis.layers[0].receptive_field->start == std::vector<double>{3.0, 3.0});
        CHECK(analysis.layers[7].type == "maxpool2d");
        CHECK(analysis.layers[7].receptive_field->size == std::vector<int64_t>{195, 195});
        CHECK(analysis.layers[7].receptive_field->jump == std::vector<int64_t>{32, 32});
        // after flatten every value sees the whole image
        CHECK(analysis.layers.back().receptive_field->whole_input);
    }
    SECTION("VGG-16's pool5 sees 212, as the Distill table lists") {
        std::ifstream file(std::filesystem::path(NETSHAPE_PRESETS_DIR) / "vgg16.json");
        std::ostringstream text;
        text << file.rdbuf();
        Analysis analysis = analyze_json(text.str());
        REQUIRE(analysis.ok());
        CHECK(analysis.layers[17].type == "maxpool2d");
        CHECK(analysis.layers[17].receptive_field->size == std::vector<int64_t>{212, 212});
    }
    SECTION("a residual add takes the largest field over its paths") {
        Analysis analysis = analyze_json(R"({"input": [8, 16, 16], "layers": [
            {"type": "conv2d", "out_channels": 8, "kernel_size": 3, "padding": 1},
            {"type": "conv2d", "out_channels": 8, "kernel_size": 3, "padding": 1},
            {"type": "add", "inputs": ["conv2d_2", "input"]}]})");
        REQUIRE(analysis.ok());
        CHECK(analysis.layers[2].receptive_field->size == std::vector<int64_t>{5, 5});
    }
    SECTION("keras channels-last and \"same\" padding: the odd zero goes after") {
        // k 2, s 2 on 5: ⌈5/2⌉ = 3 outputs need (3 − 1)·2 + 2 − 5 = 1 zero, all after: start 0.5
        const LayerResult layer = only_layer(
            analyze_layer("keras", "[5, 5, 3]", R"({"type": "maxpool2d", "kernel_size": 2, "padding": "same"})"));
        CHECK(layer.receptive_field->size == std::vector<int64_t>{2, 2});
        CHECK(layer.receptive_field->start == std::vector<double>{0.5, 0.5});
    }
    SECTION("no receptive field for a flat vector, and none after a reshape") {
        CHECK_FALSE(only_layer(analyze_layer("pytorch", "[128]", R"({"type": "maxpool1d", "kernel_size": 3})"))
                        .receptive_field);
        CHECK_FALSE(only_layer(analyze_layer("pytorch", "[4, 8, 8]", R"({"type": "reshape", "shape": [16, 16]})"))
                        .receptive_field);
    }
}

TEST_CASE("receptive field: the summary's line for the last layer", "[receptive]") {
    // conv 5x5 stride 1: r = 1 + (5−1)·1 = 5, jump 1; max pool 2 stride 2: r = 5 + (2−1)·1 = 6, jump 1·2 = 2.
    TextReadResult read = read_architecture_text("ns1;1x28x28/conv2d(32,5)/maxpool2d(2)");
    REQUIRE_FALSE(read.error);
    Analysis analysis = analyze(read.architecture);
    CHECK(describe_receptive_field(analysis.layers.back().receptive_field.get()) == "6x6 input positions, jump 2x2");
    const std::vector<std::string> lines = totals_lines(analysis);
    CHECK(std::find(lines.begin(), lines.end(), "Receptive field of the last layer: 6x6 input positions, jump 2x2") !=
          lines.end());
    CHECK(describe_receptive_field(nullptr).rfind("n/a", 0) == 0);
}

TEST_CASE("receptive field through a linear layer on a feature map", "[receptive]") {
    // Keras's Dense on [H, W, C] multiplies each position's channels: a 1×1 convolution, so after
    // Conv2D(8, 3) each value still sees 3×3 input positions. Flattened first, it sees everything.
    CHECK(analyze_json(R"({"convention": "keras", "input": [28, 28, 1], "layers": [
        {"type": "conv2d", "out_channels": 8, "kernel_size": 3}, {"type": "linear", "out_features": 4}]})")
              .layers[1].receptive_field->size == std::vector<int64_t>{3, 3});
    CHECK(analyze_json(R"({"convention": "keras", "input": [28, 28, 1], "layers": [
        {"type": "conv2d", "out_channels": 8, "kernel_size": 3}, {"type": "flatten"}, {"type": "linear", "out_features": 4}]})")
              .layers[2].receptive_field->whole_input);
    // PyTorch's Linear on [C, H, W] mixes the W axis only: not "the whole input", and not a field
    // per axis either, so the tracking ends there.
    const Analysis torch = analyze_json(R"({"input": [1, 28, 28], "layers": [
        {"type": "conv2d", "out_channels": 8, "kernel_size": 3}, {"type": "linear", "out_features": 4}]})");
    CHECK(torch.layers[1].receptive_field == nullptr);
}
