// Memory estimates and receptive fields. Memory follows from the counts by the arithmetic written
// in the comments; receptive fields follow Araujo et al. (Distill 2019):
//   r = r_in + (k − 1)·d·j_in,  j = j_in·s,  start = start_in + ((k − 1)·d/2 − p_before)·j_in.
#include "support.h"

#include "engine/json_format.h"
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
        std::ifstream file(std::filesystem::path(NETSHAPE_EXAMPLES_DIR) / "alexnet.json");
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
        std::ifstream file(std::filesystem::path(NETSHAPE_EXAMPLES_DIR) / "vgg16.json");
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
}

// The field follows the tensor's axes: a permute moves each spatial dimension's field with its
// axis, and a layer that reads every position of some axes (a linear layer on the last axis, a
// normalisation over its axes, softmax along one) makes the field whole along those axes only.
// A whole dimension has size = the model input's length along it and jump 0 (every output
// position sees the same, all of it).
TEST_CASE("receptive field follows the axes through permute, linear and normalisation", "[receptive]") {
    SECTION("ConvNeXt's LayerNorm over channels written as permute, layernorm, permute keeps the field") {
        // conv 3×3: r = 1 + (3−1)·1 = 3. permute(1x2x0): [C, H, W] → [H, W, C], so H is on axis 0 and
        // W on axis 1; layernorm over the last axis (C) reads one position's channels: fields kept;
        // permute(2x0x1) puts H, W back on axes 1, 2; conv 3×3: r = 3 + (3−1)·1 = 5, jump 1.
        const Analysis analysis =
            analyze_link("ns1;8x16x16/conv2d(8,3,padding=1)/permute(1x2x0)/layernorm/permute(2x0x1)/conv2d(8,3,padding=1)");
        REQUIRE(analysis.ok());
        const ReceptiveField& moved = *analysis.layers[1].receptive_field;
        CHECK(moved.size == std::vector<int64_t>{3, 3});
        CHECK(moved.axis == std::vector<size_t>{0, 1});
        CHECK(analysis.layers[2].receptive_field->size == std::vector<int64_t>{3, 3});
        CHECK(analysis.layers[3].receptive_field->axis == std::vector<size_t>{1, 2});
        CHECK(*analysis.layers[3].receptive_field == *analysis.layers[0].receptive_field); // as before the block
        CHECK(analysis.layers[4].receptive_field->size == std::vector<int64_t>{5, 5});
        CHECK(analysis.layers[4].receptive_field->jump == std::vector<int64_t>{1, 1});
    }
    SECTION("the same under keras: [H, W, C] to [C, H, W] and back") {
        // Permute to channels first (2x0x1), LayerNormalization(axis=0) over the channels, back (1x2x0).
        const Analysis analysis = analyze_link(
            "ns1;keras;16x16x8/conv2d(8,3,padding=same)/permute(2x0x1)/layernorm(axis=0)/permute(1x2x0)/"
            "conv2d(8,3,padding=same)");
        REQUIRE(analysis.ok());
        CHECK(analysis.layers[1].receptive_field->axis == std::vector<size_t>{1, 2});
        CHECK(analysis.layers[3].receptive_field->axis == std::vector<size_t>{0, 1});
        CHECK(analysis.layers[4].receptive_field->size == std::vector<int64_t>{5, 5});
    }
    SECTION("a permute that swaps H and W swaps their fields") {
        // conv (3, 5) with padding (1, 2): H 3, W 5; permute(0x2x1) puts W on axis 1 and H on axis 2;
        // a 1×5 max pool then widens axis 2, which is H: 3 + (5−1)·1 = 7, while W stays 5 (k = 1).
        const Analysis analysis = analyze_json(R"({"input": [4, 20, 20], "layers": [
            {"type": "conv2d", "out_channels": 4, "kernel_size": [3, 5], "padding": [1, 2]},
            {"type": "permute", "dims": [0, 2, 1]},
            {"type": "maxpool2d", "kernel_size": [1, 5], "stride": 1}]})");
        REQUIRE(analysis.ok());
        CHECK(analysis.layers[1].receptive_field->axis == std::vector<size_t>{2, 1});
        CHECK(analysis.layers[2].receptive_field->size == std::vector<int64_t>{7, 5});
    }
    SECTION("PyTorch's linear on [C, H, W] reads all of W and acts at each H") {
        // conv 3×3 (valid) on 28×28: H and W 3. Linear on the last axis (W, 26 → 4): every output
        // value is a sum over the whole W axis, at one H and one channel: W whole (all 28 input
        // positions), H 3. A second conv 3×3: H 3 + 2 = 5; W stays whole.
        const Analysis analysis = analyze_json(R"({"input": [1, 28, 28], "layers": [
            {"type": "conv2d", "out_channels": 8, "kernel_size": 3}, {"type": "linear", "out_features": 4},
            {"type": "conv2d", "out_channels": 8, "kernel_size": [3, 1]}]})");
        REQUIRE(analysis.ok());
        const ReceptiveField& field = *analysis.layers[1].receptive_field;
        CHECK_FALSE(field.whole_input);
        CHECK(field.size == std::vector<int64_t>{3, 28});
        CHECK(field.jump == std::vector<int64_t>{1, 0});
        CHECK_FALSE(field.whole_along(0));
        CHECK(field.whole_along(1));
        CHECK(describe_receptive_field(&field) == "H 3 input positions (jump 1), W whole (all 28)");
        CHECK(analysis.layers[2].receptive_field->size == std::vector<int64_t>{5, 28});
        CHECK(analysis.layers[2].receptive_field->whole_along(1));
    }
    SECTION("Keras's Dense on [H, W, C] acts on the channels; after a permute to [C, H, W], on W") {
        const Analysis channels_last = analyze_link("ns1;keras;28x28x1/conv2d(8,3)/linear(4)");
        REQUIRE(channels_last.ok());
        CHECK(channels_last.layers[1].receptive_field->size == std::vector<int64_t>{3, 3});
        CHECK(channels_last.layers[1].receptive_field->jump == std::vector<int64_t>{1, 1});
        const Analysis permuted = analyze_link("ns1;keras;28x28x1/conv2d(8,3)/permute(2x0x1)/linear(4)");
        REQUIRE(permuted.ok());
        CHECK(permuted.layers[2].receptive_field->size == std::vector<int64_t>{3, 28});
        CHECK(permuted.layers[2].receptive_field->whole_along(1));
    }
    SECTION("layernorm over a spatial axis ends the field along it; over [H, W] along both") {
        // PyTorch LayerNorm(normalized_shape=[H, W]) on [C, H, W]: a mean over all H·W positions.
        const LayerResult both = only_layer(analyze_layer(
            "pytorch", "[8, 16, 16]", R"({"type": "layernorm", "normalized_shape": [16, 16]})"));
        CHECK(both.receptive_field->whole_input);
        // The default normalises the last axis, W, only: H keeps its field of 1 position.
        const LayerResult last = only_layer(analyze_layer("pytorch", "[8, 16, 12]", R"({"type": "layernorm"})"));
        CHECK(last.receptive_field->size == std::vector<int64_t>{1, 12});
        CHECK(last.receptive_field->whole_along(1));
        // Keras's LayerNormalization() on [H, W, C] normalises the channels: the field stays.
        const LayerResult keras = only_layer(analyze_layer("keras", "[16, 16, 8]", R"({"type": "layernorm"})"));
        CHECK(keras.receptive_field->size == std::vector<int64_t>{1, 1});
        CHECK(keras.receptive_field->jump == std::vector<int64_t>{1, 1});
    }
    SECTION("instance and group norm average over every position: the whole input") {
        CHECK(only_layer(analyze_layer("pytorch", "[8, 16, 16]", R"({"type": "instancenorm2d"})"))
                  .receptive_field->whole_input);
        CHECK(only_layer(analyze_layer("pytorch", "[8, 16, 16]", R"({"type": "groupnorm", "num_groups": 2})"))
                  .receptive_field->whole_input);
        // Batch norm at inference scales each value by its channel's fixed statistics: kept.
        CHECK(only_layer(analyze_layer("pytorch", "[8, 16, 16]", R"({"type": "batchnorm2d"})"))
                  .receptive_field->size == std::vector<int64_t>{1, 1});
    }
    SECTION("softmax along W divides by a sum over W, as a fused activation too") {
        // dim counts the batch as 0: dim=3 is W of [C, H, W].
        const LayerResult layer =
            only_layer(analyze_layer("pytorch", "[8, 16, 12]", R"({"type": "softmax", "dim": 3})"));
        CHECK(layer.receptive_field->size == std::vector<int64_t>{1, 12});
        const Analysis fused = analyze_json(R"json({"input": [1, 16, 12], "layers": [
            {"type": "conv2d", "out_channels": 4, "kernel_size": 3, "activation": "softmax(dim=2)"}]})json");
        REQUIRE(fused.ok());
        // conv 3×3: 3 along W; then softmax along H (dim 2): all 16 of H.
        CHECK(fused.layers[0].receptive_field->size == std::vector<int64_t>{16, 3});
    }
    SECTION("a merge of a path whole along W and one that is not: whole along W") {
        // linear(26) on [8, 26, 26] keeps the shape and reads all of W; add takes the largest per
        // dimension: H max(3, 3) = 3, W whole.
        const Analysis analysis = analyze_json(R"({"input": [1, 28, 28], "layers": [
            {"type": "conv2d", "out_channels": 8, "kernel_size": 3},
            {"type": "linear", "out_features": 26},
            {"type": "add", "inputs": ["conv2d_1", "linear_1"]}]})");
        REQUIRE(analysis.ok());
        CHECK(analysis.layers[2].receptive_field->size == std::vector<int64_t>{3, 28});
        CHECK(analysis.layers[2].receptive_field->whole_along(1));
    }
    SECTION("a convolution over a dimension a permute put on the channel axis: not tracked") {
        // [C, H, W] → [H, C, W]: a PyTorch conv now sums over the H axis as channels, a pooling
        // would not; the window does not say which, so the field is n/a rather than a guess.
        const Analysis analysis = analyze_link("ns1;4x16x16/conv2d(4,3)/permute(1x0x2)/conv2d(4,3)");
        REQUIRE(analysis.ok());
        CHECK(analysis.layers[1].receptive_field);
        CHECK(analysis.layers[2].receptive_field == nullptr);
    }
}

TEST_CASE("receptive field in JSON names the axis of each dimension and whether it is whole", "[receptive]") {
    const Analysis analysis = analyze_json(R"({"input": [1, 28, 28], "layers": [
        {"type": "conv2d", "out_channels": 8, "kernel_size": 3}, {"type": "linear", "out_features": 4}]})");
    const std::string json = analysis_to_json(analysis, {}, -1);
    CHECK(json.find(R"("receptive_field":{"size":[3,28],"jump":[1,0],"start":[1.0,13.5],"axis":[1,2],)"
                    R"("whole":[false,true]})") != std::string::npos);
}
