// Graphs: named layers with "inputs", merges, several model inputs, shared layers, and the
// messages for dangling names, cycles and unused layers.
#include "support.h"

using namespace netshape;
using namespace netshape::testing;

TEST_CASE("a ResNet basic block: the residual add joins the block's input", "[graph]") {
    // torchvision's BasicBlock(64, 64): conv3x3 → bn → relu → conv3x3 → bn, + identity, relu.
    // Parameters: 2 convolutions of 64·64·3·3 = 36,864 (no bias) and 2 batch norms of 2·64:
    // 2·36,864 + 2·128 = 73,984.
    Analysis analysis = analyze_json(R"({"input": [64, 56, 56], "layers": [
        {"type": "conv2d", "name": "conv1", "out_channels": 64, "kernel_size": 3, "padding": 1, "bias": false},
        {"type": "batchnorm2d", "name": "bn1"},
        {"type": "relu"},
        {"type": "conv2d", "name": "conv2", "out_channels": 64, "kernel_size": 3, "padding": 1, "bias": false},
        {"type": "batchnorm2d", "name": "bn2"},
        {"type": "add", "name": "residual", "inputs": ["bn2", "input"]},
        {"type": "relu", "name": "out"}]})");
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    CHECK(analysis.total_params == 73'984);
    CHECK(analysis.layers[5].output_shape == Shape{64, 56, 56});
    CHECK(analysis.layers[5].inputs == std::vector<std::string>{"bn2", "input"});
    CHECK(analysis.outputs == std::vector<std::string>{"out"});
    CHECK(analysis.warnings.empty());
}

TEST_CASE("a downsampling block: 1×1 stride-2 projection beside the 3×3 path", "[graph]") {
    // torchvision ResNet-18 layer2[0]: conv3x3(64→128, s2) 73,728 + bn 256 + conv3x3(128→128)
    // 147,456 + bn 256 + downsample conv1x1(64→128, s2) 8,192 + bn 256 = 230,144.
    Analysis analysis = analyze_json(R"({"input": [64, 56, 56], "layers": [
        {"type": "conv2d", "out_channels": 128, "kernel_size": 3, "stride": 2, "padding": 1, "bias": false},
        {"type": "batchnorm2d"},
        {"type": "relu"},
        {"type": "conv2d", "out_channels": 128, "kernel_size": 3, "padding": 1, "bias": false},
        {"type": "batchnorm2d", "name": "main"},
        {"type": "conv2d", "name": "down", "inputs": ["input"], "out_channels": 128, "kernel_size": 1, "stride": 2, "bias": false},
        {"type": "batchnorm2d", "name": "down_bn"},
        {"type": "add", "inputs": ["main", "down_bn"]},
        {"type": "relu"}]})");
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    CHECK(analysis.total_params == 230'144);
    CHECK(analysis.output_shape == Shape{128, 28, 28});
}

TEST_CASE("merges: broadcasting, concat along the convention's channel axis", "[graph]") {
    SECTION("add broadcasts [64, 1, 1] onto [64, 8, 8] (an excitation-style scale)") {
        Analysis analysis = analyze_json(R"({"inputs": {"x": [64, 8, 8], "s": [64, 1, 1]}, "layers": [
            {"type": "multiply", "inputs": ["x", "s"]}]})");
        REQUIRE(analysis.ok());
        CHECK(analysis.output_shape == Shape{64, 8, 8});
    }
    SECTION("shapes that do not broadcast are refused with both shapes") {
        Analysis analysis = analyze_json(R"({"inputs": {"a": [64, 8, 8], "b": [32, 8, 8]}, "layers": [
            {"type": "add", "inputs": ["a", "b"]}]})");
        REQUIRE(analysis.error);
        CHECK_THAT(analysis.error->message, Catch::Contains("[64, 8, 8] and [32, 8, 8]"));
    }
    SECTION("concat: channels add up (64 + 64 = 128), under pytorch on axis 0, keras on the last") {
        Analysis torch = analyze_json(R"({"inputs": {"skip": [64, 32, 32], "up": [64, 32, 32]}, "layers": [
            {"type": "concat", "inputs": ["up", "skip"]}]})");
        REQUIRE(torch.ok());
        CHECK(torch.output_shape == Shape{128, 32, 32});
        Analysis keras = analyze_json(R"({"convention": "keras", "inputs": {"skip": [32, 32, 64], "up": [32, 32, 16]},
            "layers": [{"type": "concat", "inputs": ["up", "skip"]}]})");
        REQUIRE(keras.ok());
        CHECK(keras.output_shape == Shape{32, 32, 80});
    }
    SECTION("concat needs the other dimensions to agree") {
        Analysis analysis = analyze_json(R"({"inputs": {"a": [4, 8, 8], "b": [4, 8, 9]}, "layers": [
            {"type": "concat", "inputs": ["a", "b"]}]})");
        REQUIRE(analysis.error);
        CHECK_THAT(analysis.error->message, Catch::Contains("other dimensions to agree"));
    }
    SECTION("a merge needs two inputs; subtract exactly two") {
        CHECK_THAT(analyze_json(R"({"input": [4], "layers": [{"type": "add"}]})").error->message,
                   Catch::Contains("add takes 2 or more inputs; received 1"));
        CHECK_THAT(
            analyze_json(R"({"input": [4], "layers": [{"type": "subtract", "inputs": ["input", "input", "input"]}]})")
                .error->message,
            Catch::Contains("subtract takes 2 inputs; received 3"));
    }
}

TEST_CASE("several model inputs", "[graph]") {
    // An image branch and a metadata vector joined before the classifier:
    // flatten 3·8·8 = 192; concat 192 + 10 = 202; linear (202 + 1)·5 = 1,015.
    Analysis analysis = analyze_json(R"({"inputs": {"image": [3, 8, 8], "meta": [10]}, "layers": [
        {"type": "flatten", "name": "flat", "inputs": ["image"]},
        {"type": "concat", "inputs": ["flat", "meta"]},
        {"type": "linear", "out_features": 5}]})");
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    CHECK(analysis.layers[1].output_shape == Shape{202});
    CHECK(analysis.total_params == 1'015);
    SECTION("the first layer must say which input it reads") {
        Analysis ambiguous =
            analyze_json(R"({"inputs": {"image": [3, 8, 8], "meta": [10]}, "layers": [{"type": "flatten"}]})");
        REQUIRE(ambiguous.error);
        CHECK_THAT(ambiguous.error->message, Catch::Contains("several inputs (image, meta)"));
    }
    SECTION("an unused model input is a warning") {
        Analysis unused = analyze_json(R"({"inputs": {"image": [3, 8, 8], "meta": [10]}, "layers": [
            {"type": "flatten", "inputs": ["image"]}]})");
        REQUIRE(unused.ok());
        REQUIRE(unused.warnings.size() == 1);
        CHECK_THAT(unused.warnings[0], Catch::Contains("model input 'meta' is read by no layer"));
    }
}

TEST_CASE("graph errors: dangling names, cycles, unused layers", "[graph]") {
    SECTION("a name that nothing has gets the nearest one") {
        Analysis analysis = analyze_json(R"({"input": [4], "layers": [
            {"type": "relu", "name": "hidden"},
            {"type": "add", "inputs": ["hiden", "input"]}]})");
        REQUIRE(analysis.error);
        CHECK(analysis.error->layer_index == 1u);
        CHECK_THAT(analysis.error->message,
                   Catch::Contains("no layer or input is named 'hiden'; did you mean 'hidden'?"));
        CHECK(analysis.layers[0].status == LayerStatus::ok);
    }
    SECTION("a cycle is named along its path") {
        Analysis analysis = analyze_json(R"({"input": [4], "layers": [
            {"type": "relu", "name": "a", "inputs": ["b"]},
            {"type": "relu", "name": "b", "inputs": ["a"]}]})");
        REQUIRE(analysis.error);
        CHECK_THAT(analysis.error->message, Catch::Contains("cycle: a ← b ← a"));
    }
    SECTION("a layer that no one reads, before the last, is a warning (it counts as an output)") {
        Analysis analysis = analyze_json(R"({"input": [4], "layers": [
            {"type": "relu", "name": "a"},
            {"type": "tanh", "name": "side", "inputs": ["a"]},
            {"type": "sigmoid", "name": "main", "inputs": ["a"]}]})");
        REQUIRE(analysis.ok());
        CHECK(analysis.outputs == std::vector<std::string>{"side", "main"});
        REQUIRE(analysis.warnings.size() == 1);
        CHECK_THAT(analysis.warnings[0], Catch::Contains("'side' is read by no layer"));
    }
    SECTION("an independent branch still gets its results when another branch fails") {
        Analysis analysis = analyze_json(R"({"input": [1, 8, 8], "layers": [
            {"type": "conv2d", "name": "bad", "out_channels": 2, "kernel_size": 9},
            {"type": "flatten", "name": "good", "inputs": ["input"]}]})");
        REQUIRE(analysis.error);
        CHECK(analysis.layers[1].status == LayerStatus::ok);
        CHECK(analysis.layers[1].output_shape == Shape{64});
    }
    SECTION("layers may be listed before the layers they read") {
        Analysis analysis = analyze_json(R"({"input": [4], "layers": [
            {"type": "linear", "name": "head", "inputs": ["body"], "out_features": 2},
            {"type": "linear", "name": "body", "inputs": ["input"], "out_features": 3}]})");
        REQUIRE(analysis.ok());
        CHECK(analysis.layers[0].output_shape == Shape{2});
        CHECK(analysis.total_params == (4 + 1) * 3 + (3 + 1) * 2);
    }
}

// A layer applied twice (a Siamese encoder) has one set of weights: torchinfo long counted such
// a layer once per call.
TEST_CASE("a shared layer's parameters are counted once", "[graph]") {
    // encoder: (16 + 1)·8 = 136 parameters, used on both inputs; head: (8 + 1)·1 = 9
    Analysis analysis = analyze_json(R"({"inputs": {"left": [16], "right": [16]}, "layers": [
        {"type": "linear", "name": "encoder", "inputs": ["left"], "out_features": 8},
        {"name": "encoder_again", "shares": "encoder", "inputs": ["right"]},
        {"type": "subtract", "inputs": ["encoder", "encoder_again"]},
        {"type": "linear", "out_features": 1}]})");
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    CHECK(analysis.layers[1].params == 0);
    CHECK(analysis.layers[1].type == "linear");
    CHECK(analysis.layers[1].output_shape == Shape{8});
    CHECK(analysis.total_params == 136 + 9);
    // MACs are spent on both calls: 16·8 each, and 8·1 for the head
    CHECK(analysis.total_macs == 2 * 16 * 8 + 8);
    SECTION("a shared layer called on an input its weights do not fit is refused") {
        Analysis mismatch = analyze_json(R"({"inputs": {"left": [16], "right": [12]}, "layers": [
            {"type": "linear", "name": "encoder", "inputs": ["left"], "out_features": 8},
            {"shares": "encoder", "inputs": ["right"]}]})");
        REQUIRE(mismatch.error);
        CHECK(mismatch.error->field == "shares");
    }
    SECTION("a sharing layer takes its fields from the shared one") {
        Analysis extra = analyze_json(R"({"input": [16], "layers": [
            {"type": "linear", "name": "encoder", "out_features": 8},
            {"shares": "encoder", "out_features": 8, "inputs": ["input"]}]})");
        REQUIRE(extra.error);
        CHECK(extra.error->field == "shares");
        // A type beside "shares" makes a layer of its own kind that ties the weights (below).
    }
}

TEST_CASE("a shared batch norm keeps its input's rank under keras, not under pytorch", "[graph]") {
    // Keras's BatchNormalization.build sets InputSpec(ndim=len(input_shape), axes={axis: dim}):
    // called again on a sample of another rank it raises "expected ndim=3, found ndim=2" (as
    // TensorFlow.js does: found by the crosscheck). PyTorch's BatchNorm1d takes (N, C) and
    // (N, C, L) alike, so the same module runs on both; its 2·8 parameters are counted once.
    const char* layers = R"("layers": [
        {"type": "batchnorm", "name": "norm", "inputs": ["sequence"]},
        {"shares": "norm", "inputs": ["features"]}]})";
    Analysis keras = analyze_json(std::string(R"({"convention": "keras", "inputs": {"sequence": [5, 8], "features": [8]}, )") +
                                  layers);
    REQUIRE(keras.error);
    CHECK(keras.error->field == "shares");
    CHECK_THAT(keras.error->message, Catch::Contains("keeps the rank of its first input"));
    Analysis torch = analyze_json(std::string(R"({"inputs": {"sequence": [8, 5], "features": [8]}, )") + layers);
    INFO((torch.error ? torch.error->message : std::string()));
    REQUIRE(torch.ok());
    CHECK(torch.total_params == 2 * 8);
    // PyTorch's BatchNorm2d (built for [8, 5, 5]) refuses a 2-D batch: "expected 4D input (got
    // 2D input)", from its _check_input_dim.
    Analysis image = analyze_json(R"({"inputs": {"image": [8, 5, 5], "features": [8]}, "layers": [
        {"type": "batchnorm", "name": "norm", "inputs": ["image"]},
        {"shares": "norm", "inputs": ["features"]}]})");
    REQUIRE(image.error);
    CHECK(image.error->field == "shares");
    // A dense layer keeps only its last axis (InputSpec(min_ndim=2, axes={-1: …})): shared on
    // another rank it runs under keras too.
    CHECK(analyze_json(R"({"convention": "keras", "inputs": {"a": [5, 8], "b": [8]}, "layers": [
        {"type": "linear", "name": "dense", "out_features": 3, "inputs": ["a"]},
        {"shares": "dense", "inputs": ["b"]}]})")
              .ok());
}

// Tied weights across kinds: GPT-2's output projection is the token embedding's matrix. PyTorch
// ties by assignment, head.weight = wte.weight, and model.parameters() yields the shared
// Parameter once: with wte = Embedding(100, 16) and head = Linear(16, 100), PyTorch 1.13 counts
// 100·16 + 100 = 1,700 (the head's bias is its own). Keras's tied projection multiplies by the
// embedding matrix transposed (keras_nlp's ReversibleEmbedding): Dense's kernel [16, 100] is the
// embeddings [100, 16] transposed.
TEST_CASE("a layer of its own kind ties the weights of the shape it shares", "[graph]") {
    const Analysis torch = analyze_link("ns1;tokens=8/wte=embedding(@tokens,100,16)/linear(100,shares=@wte)");
    INFO((torch.error ? torch.error->message : std::string()));
    REQUIRE(torch.ok());
    CHECK(torch.total_params == 1'700);
    CHECK(torch.layers[1].params == 100); // the bias
    CHECK(torch.layers[1].tied);
    CHECK(torch.layers[1].type == "linear");
    CHECK(torch.layers[1].output_shape == Shape{8, 100});
    CHECK(torch.layers[1].macs == 8 * 16 * 100); // the products are spent all the same
    CHECK(torch.layers[1].explain.back() ==
          "tied: weight [100, 16] is wte's weight [100, 16], counted once there; params here = 100");

    const Analysis keras =
        analyze_link("ns1;keras;tokens=8/wte=embedding(@tokens,100,16)/linear(100,bias=false,shares=@wte)");
    REQUIRE(keras.ok());
    CHECK(keras.total_params == 1'600);
    // Under pytorch the shapes must be equal: a Linear(100, 16)'s weight [16, 100] is not the
    // embedding's [100, 16], and no transpose is taken.
    const Analysis mismatch = analyze_link("ns1;tokens=8/wte=embedding(@tokens,100,16)/linear(16,@-1,shares=@wte)");
    REQUIRE(mismatch.error);
    CHECK(mismatch.error->field == "shares");
    CHECK_THAT(mismatch.error->detail, Catch::Contains("nothing to tie"));
    // JSON says it with both keys; the link text writes shares=@a after the fields.
    const Analysis json = analyze_json(R"({"inputs": {"tokens": [8]}, "layers": [
        {"type": "embedding", "name": "wte", "inputs": ["tokens"], "num_embeddings": 100, "embedding_dim": 16},
        {"type": "linear", "out_features": 100, "bias": false, "shares": "wte"}]})");
    REQUIRE(json.ok());
    CHECK(json.total_params == 1'600);
    const std::string text = "ns1;tokens=8/wte=embedding(@tokens,100,16)/linear(100,bias=false,shares=@wte)";
    CHECK(architecture_to_text(read_link(text)) == text);
}

TEST_CASE("concat of a single input: PyTorch's copy, Keras's refusal", "[graph]") {
    // torch.cat([x], dim=0) returns x's values (DenseNet's torchvision blocks concatenate a list
    // that starts with one tensor); Keras's Concatenate: "should be called on a list of at least 2
    // inputs". 1×1 convolution to 8 channels on 8×8: [8, 8, 8].
    const Analysis torch = analyze_json(R"({"input": [4, 8, 8], "layers": [
        {"type": "conv2d", "out_channels": 8, "kernel_size": 1}, {"type": "concat"}]})");
    REQUIRE(torch.ok());
    CHECK(torch.layers[1].output_shape == Shape{8, 8, 8});
    REQUIRE(torch.layers[1].warnings.size() == 1); // said, since two inputs were more likely meant
    CHECK_FALSE(analyze_json(R"({"convention": "keras", "input": [8, 8, 4], "layers": [
        {"type": "conv2d", "out_channels": 8, "kernel_size": 1}, {"type": "concat"}]})").ok());
}
