// Multiply-accumulates, counted as fvcore and torchvision's published GFLOPS figures count them:
// products in convolutions and matrix products; bias adds, normalisation, activations and pooling
// not counted.
#include "support.h"

using namespace netshape;
using namespace netshape::testing;

TEST_CASE("MACs of the seed 000 network, layer by layer", "[macs]") {
    Analysis analysis = analyze_json(kSeed000Json);
    REQUIRE(analysis.ok());
    // conv: H_out·W_out·C_out·(k·k·C_in) — each output element is one 5·5·1-long dot product
    CHECK(analysis.layers[0].macs == 24 * 24 * 32 * (5 * 5 * 1)); // 460,800
    CHECK(analysis.layers[1].macs == 0);
    CHECK(analysis.layers[2].macs == 10 * 10 * 32 * (3 * 3 * 32)); // 921,600
    CHECK(analysis.layers[4].macs == 0);
    CHECK(analysis.layers[5].macs == 800 * 256); // in·out
    CHECK(analysis.layers[6].macs == 256 * 10);
    CHECK(analysis.total_macs == 460'800 + 921'600 + 204'800 + 2'560);
    CHECK(analysis.layers_without_macs.empty());
}

TEST_CASE("MACs of grouped convolutions and of linear layers on sequences", "[macs]") {
    // depthwise 3×3 on 32 channels at 112×112: 112·112·32·(3·3·1)
    CHECK(only_layer(
              analyze_layer("pytorch", "[32, 112, 112]",
                            R"({"type": "conv2d", "out_channels": 32, "kernel_size": 3, "padding": 1, "groups": 32})"))
              .macs == 112 * 112 * 32 * 9);
    // a linear layer applied at each of 10 positions: 10·64·32
    CHECK(only_layer(analyze_layer("pytorch", "[10, 64]", R"({"type": "linear", "out_features": 32})")).macs ==
          10 * 64 * 32);
    // batch norm and activations are not counted
    CHECK(only_layer(analyze_layer("pytorch", "[8, 4, 4]", R"({"type": "batchnorm2d"})")).macs == 0);
    CHECK(only_layer(analyze_layer("keras", "[4, 4, 8]", R"({"type": "batchnorm2d"})")).macs == 0);
}
