// Attention and transformer layers, against PyTorch's documented weight shapes and the published
// size of nn.Transformer.
#include "support.h"

using namespace netshape;
using namespace netshape::testing;

TEST_CASE("multihead attention: 4·E² + 4·E", "[formulas][attention]") {
    // MultiheadAttention(512, 8): in_proj [1536, 512] + [1536] and out_proj [512, 512] + [512]:
    // 4·512² + 4·512 = 1,050,624
    const LayerResult self =
        only_layer(analyze_layer("pytorch", "[10, 512]", R"({"type": "multihead_attention", "num_heads": 8})"));
    CHECK(self.params == 1'050'624);
    CHECK(self.output_shape == Shape{10, 512});
    CHECK(self.weights[0].name == "in_proj_weight");
    CHECK(self.weights[0].shape == Shape{1'536, 512});
    // MACs: Q, K, V, out projections 4·10·512·512, Q·Kᵀ and A·V 2·10·10·512
    CHECK(self.macs == 4 * 10 * 512 * 512 + 2 * 10 * 10 * 512);
    SECTION("Keras's MultiHeadAttention(8, key_dim=64) counts the same") {
        CHECK(only_layer(analyze_layer("keras", "[10, 512]", R"({"type": "multihead_attention", "num_heads": 8})"))
                  .params == 1'050'624);
        // key_dim 32: query, key, value 512·8·32 each + biases 8·32, output 8·32·512 + 512
        CHECK(only_layer(analyze_layer("keras", "[10, 512]",
                                       R"({"type": "multihead_attention", "num_heads": 8, "key_dim": 32})"))
                  .params == 4 * 512 * 256 + 3 * 256 + 512);
    }
    SECTION("cross-attention with other key and value sizes: separate projections") {
        // E = 64; k_proj [64, 32], v_proj [64, 16]: 64·64 + 64·32 + 64·16 + 64·64 + 3·64 + 64
        Analysis analysis = analyze_json(R"({"inputs": {"q": [7, 64], "k": [9, 32], "v": [9, 16]}, "layers": [
            {"type": "multihead_attention", "num_heads": 4, "inputs": ["q", "k", "v"]}]})");
        REQUIRE(analysis.ok());
        CHECK(analysis.total_params == 64 * 64 + 64 * 32 + 64 * 16 + 64 * 64 + 3 * 64 + 64);
        CHECK(analysis.output_shape == Shape{7, 64});
    }
    SECTION("errors") {
        CHECK(
            analyze_layer("pytorch", "[10, 512]", R"({"type": "multihead_attention", "num_heads": 7})").error->field ==
            "num_heads");
        CHECK(analyze_layer("pytorch", "[512]", R"({"type": "multihead_attention", "num_heads": 8})").error);
    }
}

TEST_CASE("PyTorch's TransformerEncoderLayer(512, 8) has 3,152,384 parameters", "[formulas][attention]") {
    // attention 1,050,624 + linear1 512·2048 + 2048 + linear2 2048·512 + 512 + two norms 2·1,024
    const LayerResult layer =
        only_layer(analyze_layer("pytorch", "[10, 512]", R"({"type": "transformer_encoder_layer", "nhead": 8})"));
    CHECK(layer.params == 3'152'384);
    CHECK(layer.output_shape == Shape{10, 512});
}

// nn.Transformer() — 6 encoder and 6 decoder layers, d_model 512, each stack closed by a LayerNorm —
// has 44,140,544 parameters: 6·3,152,384 + 1,024 + 6·4,204,032 + 1,024, a decoder layer being
// 2·1,050,624 (self- and cross-attention) + 2,099,712 (feed-forward) + 3·1,024 (norms).
TEST_CASE("nn.Transformer's 44,140,544 parameters", "[formulas][attention]") {
    Analysis analysis = analyze_json(R"({"inputs": {"src": [20, 512], "tgt": [15, 512]}, "layers": [
        {"type": "transformer_encoder_layer", "inputs": ["src"], "nhead": 8},
        {"type": "transformer_encoder_layer", "nhead": 8},
        {"type": "transformer_encoder_layer", "nhead": 8},
        {"type": "transformer_encoder_layer", "nhead": 8},
        {"type": "transformer_encoder_layer", "nhead": 8},
        {"type": "transformer_encoder_layer", "nhead": 8},
        {"type": "layernorm", "name": "memory"},
        {"type": "transformer_decoder_layer", "inputs": ["tgt", "memory"], "nhead": 8},
        {"type": "transformer_decoder_layer", "inputs": ["transformer_decoder_layer_1", "memory"], "nhead": 8},
        {"type": "transformer_decoder_layer", "inputs": ["transformer_decoder_layer_2", "memory"], "nhead": 8},
        {"type": "transformer_decoder_layer", "inputs": ["transformer_decoder_layer_3", "memory"], "nhead": 8},
        {"type": "transformer_decoder_layer", "inputs": ["transformer_decoder_layer_4", "memory"], "nhead": 8},
        {"type": "transformer_decoder_layer", "inputs": ["transformer_decoder_layer_5", "memory"], "nhead": 8},
        {"type": "layernorm"}]})");
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    CHECK(analysis.layers[7].params == 4'204'032);
    CHECK(analysis.total_params == 44'140'544);
    CHECK(analysis.output_shape == Shape{15, 512});
}
