// Recurrent layers, embedding and the normalisations beyond batch norm. Every expected count is
// derived in its comment from the frameworks' documented weight shapes.
#include "support.h"

using namespace netshape;
using namespace netshape::testing;

TEST_CASE("recurrent layers: PyTorch counts two bias vectors per gate block, Keras one", "[formulas][sequence]") {
    auto [convention, layer, shape, params] = GENERATE(table<std::string, std::string, Shape, int64_t>({
        // LSTM: 4 blocks. PyTorch 4·64·(32 + 64) + 2·4·64 = 24,576 + 512 = 25,088
        {"pytorch", R"({"type": "lstm", "hidden_size": 64})", {50, 64}, 25'088},
        // Keras 4·((32 + 64)·64 + 64) = 24,832, and only the last step by default
        {"keras", R"({"type": "lstm", "hidden_size": 64})", {64}, 24'832},
        // GRU: 3 blocks. PyTorch 3·64·96 + 2·3·64 = 18,816; Keras reset_after (default) the same,
        // reset_after=false one bias: 18,432 + 192 = 18,624
        {"pytorch", R"({"type": "gru", "hidden_size": 64})", {50, 64}, 18'816},
        {"keras", R"({"type": "gru", "hidden_size": 64})", {64}, 18'816},
        {"keras", R"({"type": "gru", "hidden_size": 64, "reset_after": false})", {64}, 18'624},
        // RNN: PyTorch 64·96 + 2·64 = 6,272; Keras SimpleRNN 64·96 + 64 = 6,208
        {"pytorch", R"({"type": "rnn", "hidden_size": 64})", {50, 64}, 6'272},
        {"keras", R"({"type": "rnn", "hidden_size": 64, "return_sequences": true})", {50, 64}, 6'208},
        // two layers: the second reads 64 features: 25,088 + 4·64·128 + 512 = 58,368
        {"pytorch", R"({"type": "lstm", "hidden_size": 64, "num_layers": 2})", {50, 64}, 58'368},
        // bidirectional: twice 25,088, output 2·64
        {"pytorch", R"({"type": "lstm", "hidden_size": 64, "bidirectional": true})", {50, 128}, 50'176},
        // proj_size 16: weight_ih [256, 32] 8,192 + weight_hh [256, 16] 4,096 + biases 512 +
        // weight_hr [16, 64] 1,024 = 13,824; output size 16
        {"pytorch", R"({"type": "lstm", "hidden_size": 64, "proj_size": 16})", {50, 16}, 13'824},
    }));
    CAPTURE(convention, layer);
    const LayerResult result = only_layer(analyze_layer(convention, "[50, 32]", layer));
    CHECK(result.output_shape == shape);
    CHECK(result.params == params);
}

TEST_CASE("PyTorch's LSTM documentation example: LSTM(10, 20, 2)", "[formulas][sequence]") {
    // layer 0: 4·20·(10 + 20) + 2·80 = 2,560; layer 1: 4·20·(20 + 20) + 2·80 = 3,360
    const LayerResult result =
        only_layer(analyze_layer("pytorch", "[5, 10]", R"({"type": "lstm", "hidden_size": 20, "num_layers": 2})"));
    CHECK(result.params == 2'560 + 3'360);
    CHECK(result.output_shape == Shape{5, 20});
    CHECK(result.weights[0].name == "weight_ih_l0");
    CHECK(result.weights[0].shape == Shape{80, 10});
    // MACs: 5 steps · (4·20·(10 + 20) + 4·20·(20 + 20)) = 5·(2,400 + 3,200)
    CHECK(result.macs == 5 * (2'400 + 3'200));
}

TEST_CASE("recurrent errors", "[errors][sequence]") {
    CHECK(analyze_layer("pytorch", "[5, 10, 3]", R"({"type": "lstm", "hidden_size": 20})").error);
    CHECK(analyze_layer("keras", "[5, 10]", R"({"type": "lstm", "hidden_size": 20, "proj_size": 4})").error->field ==
          "proj_size");
    CHECK(analyze_layer("pytorch", "[5, 10]", R"({"type": "lstm", "hidden_size": 20, "proj_size": 20})").error->field ==
          "proj_size");
    CHECK(analyze_layer("pytorch", "[5, 10]", R"({"type": "gru", "hidden_size": 20, "reset_after": false})")
              .error->field == "reset_after");
}

TEST_CASE("embedding: num_embeddings·embedding_dim", "[formulas][sequence]") {
    // a 10,000-word vocabulary of 128-vectors: 1,280,000; [200] indices → [200, 128]
    const LayerResult result = only_layer(
        analyze_layer("pytorch", "[200]", R"({"type": "embedding", "num_embeddings": 10000, "embedding_dim": 128})"));
    CHECK(result.output_shape == Shape{200, 128});
    CHECK(result.params == 1'280'000);
    CHECK(result.macs == 0);
}

TEST_CASE("layer, group and instance normalisation", "[formulas][norm]") {
    auto [convention, input, layer, params, buffers] =
        GENERATE(table<std::string, std::string, std::string, int64_t, int64_t>({
            // LayerNorm(512) on [10, 512]: weight and bias of 512
            {"pytorch", "[10, 512]", R"({"type": "layernorm"})", 1'024, 0},
            {"pytorch", "[10, 512]", R"({"type": "layernorm", "normalized_shape": [10, 512]})", 10'240, 0},
            {"pytorch", "[10, 512]", R"({"type": "layernorm", "bias": false})", 512, 0},
            {"keras", "[10, 512]", R"({"type": "layernorm"})", 1'024, 0},
            // GroupNorm(32, 256): 2·256
            {"pytorch", "[256, 14, 14]", R"({"type": "groupnorm", "num_groups": 32})", 512, 0},
            // PyTorch's GroupNorm takes (N, C, *), the * possibly empty: GroupNorm(4, 12) on a
            // batch of [12] runs in PyTorch 1.13, with its 2·12 parameters
            {"pytorch", "[12]", R"({"type": "groupnorm", "num_groups": 4})", 24, 0},
            // InstanceNorm2d(64): affine and running statistics off by default
            {"pytorch", "[64, 8, 8]", R"({"type": "instancenorm2d"})", 0, 0},
            {"pytorch", "[64, 8, 8]", R"({"type": "instancenorm2d", "affine": true})", 128, 0},
            {"pytorch", "[64, 8, 8]", R"({"type": "instancenorm2d", "track_running_stats": true})", 0, 129},
        }));
    CAPTURE(convention, input, layer);
    const LayerResult result = only_layer(analyze_layer(convention, input, layer));
    CHECK(result.params == params);
    CHECK(result.buffer_elements == buffers);
    CHECK(result.output_shape == result.input_shape);
    SECTION("errors") {
        CHECK(analyze_layer("pytorch", "[256, 14, 14]", R"({"type": "groupnorm", "num_groups": 3})").error->field ==
              "num_groups");
        CHECK(analyze_layer("pytorch", "[10, 512]", R"({"type": "layernorm", "normalized_shape": 256})").error->field ==
              "normalized_shape");
    }
}

TEST_CASE("Keras BatchNormalization with scale=False or center=False", "[normalization]") {
    // Keras: gamma only with scale=True, beta only with center=True; moving_mean and
    // moving_variance always (non-trainable). 16 channels: 3·16 = 48 without gamma (as in
    // InceptionV3), 2·16 = 32 with neither, 4·16 = 64 by default.
    const LayerResult no_scale = only_layer(analyze_layer("keras", "[8, 8, 16]", R"({"type": "batchnorm2d", "scale": false})"));
    CHECK(no_scale.params == 48);
    CHECK(no_scale.trainable_params == 16);
    CHECK(no_scale.non_trainable_params == 32);
    CHECK(only_layer(analyze_layer("keras", "[8, 8, 16]", R"({"type": "batchnorm2d", "scale": false, "center": false})")).params == 32);
    CHECK(only_layer(analyze_layer("keras", "[8, 8, 16]", R"({"type": "batchnorm2d"})")).params == 64);
    // PyTorch learns γ and β together: leaving out one alone is refused (affine=False leaves both).
    CHECK_FALSE(analyze_layer("pytorch", "[16, 8, 8]", R"({"type": "batchnorm2d", "scale": false})").ok());
    CHECK(only_layer(analyze_layer("pytorch", "[16, 8, 8]", R"({"type": "batchnorm2d", "affine": false})")).params == 0);
}
