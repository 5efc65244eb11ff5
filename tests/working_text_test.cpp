// "Copy working" (report.h, working_text): what the app copies for a layer, checked against seed
// 000's worked example and PyTorch's documented counts.
#include "support.h"

#include "engine/report.h"
#include "engine/text.h"

using namespace netshape;
using netshape::testing::analyze_json;

TEST_CASE("copy working: seed 000's conv2d2 as the seed works it out", "[working]") {
    ReadResult read = read_architecture_json(R"({"input": [1, 28, 28], "layers": [
        {"type": "conv2d", "name": "conv2d1", "out_channels": 32, "kernel_size": 5, "activation": "relu"},
        {"type": "maxpool2d", "name": "maxpool1", "kernel_size": 2},
        {"type": "conv2d", "name": "conv2d2", "out_channels": 32, "kernel_size": 3, "activation": "relu"}]})");
    REQUIRE_FALSE(read.error);
    const Analysis analysis = analyze(read.architecture);
    REQUIRE(analysis.ok());
    const LayerResult& layer = analysis.layers[2];
    // 28 → conv 5: 28 − 5 + 1 = 24 → pool 2: 12 → conv 3: 12 − 3 + 1 = 10. Params (3·3·32 + 1)·32 = 9,248:
    // weight [32, 32, 3, 3] and bias [32] (PyTorch's Conv2d).
    const std::string text = working_text(layer);
    std::string expected = "Layer: conv2d2\n"
                           "Type: Conv2d + relu\n"
                           "Output shape: [32, 10, 10]\n"
                           "Params: 9,248 (trainable 9,248, non-trainable 0)\n"
                           "Working:\n"
                           "  [32, 12, 12] -> [32, 10, 10]\n"
                           "  weights: weight [32, 32, 3, 3] + bias [32]\n";
    // Then the working, each number derived here: 12 − 3 + 1 = 10 on maxpool1's 12×12;
    // (3·3·32 + 1)·32 = 9,248; MACs 10·10·32·(3·3·32) = 921,600; receptive field: conv2d1 sees 5,
    // maxpool1 adds (2 − 1)·1 = 6 with jump 2, so 6 + (3 − 1)·1·2 = 10, jump 2·1 = 2.
    expected += "  C_out = out_channels = 32\n"
                "  H_out = W_out = H_in − k + 1\n"
                "                = 12 − 3 + 1\n"
                "                = 10\n"
                "  where H_in = W_in = 12 (the output of maxpool1), k = kernel_size = 3\n"
                "  params = (k_h·k_w·C_in + 1 bias)·C_out\n"
                "         = (3·3·32 + 1)·32\n"
                "         = 9,248\n"
                "  where C_in = 32 input channels (the output of maxpool1), C_out = out_channels = 32 filters, "
                "k_h = k_w = 3 (kernel_size)\n"
                "  MACs = 10·10·32·(3·3·32) = 921,600\n"
                "  then relu (no parameters, shape unchanged)\n"
                "  receptive field: r = r_in + (k−1)·d·j_in: 6 + (3−1)·1·2 = 10; 6 + (3−1)·1·2 = 10; jump [2, 2]\n";
    CHECK(text == expected);
    // The formulas in full only when the pane shows them (View > Full formulas).
    CHECK(text.find("full formula") == std::string::npos);
    CHECK(working_text(layer, true).find("  full formula: H_out = ⌊(H_in + 2·p − d·(k − 1) − 1)/s⌋ + 1 = "
                                         "⌊(12 + 2·0 − 1·(3 − 1) − 1)/1⌋ + 1 = 10\n") != std::string::npos);
}

TEST_CASE("copy working: a PyTorch BatchNorm's buffers, and a layer that did not read", "[working]") {
    // BatchNorm2d(16): weight and bias, 2·16 = 32 parameters; running_mean, running_var [16] and
    // num_batches_tracked [] are buffers, 2·16 + 1 = 33 values (PyTorch's documentation).
    const Analysis analysis = analyze_json(R"({"input": [16, 8, 8], "layers": [
        {"type": "batchnorm2d", "name": "bn"}, {"type": "conv2d", "name": "bad", "out_channels": 4, "kernel_size": 9},
        {"type": "flatten", "name": "after"}]})");
    const std::string bn = working_text(analysis.layers[0]);
    CHECK(bn.starts_with("Layer: bn\nType: BatchNorm2d\nOutput shape: [16, 8, 8]\n"
                         "Params: 32 (trainable 32, non-trainable 0; buffers 33)\nWorking:\n"));
    // A 9×9 kernel on 8×8 fits nowhere: the error in place of the working.
    REQUIRE(analysis.layers[1].status == LayerStatus::error);
    CHECK(working_text(analysis.layers[1]) ==
          cat("Layer: bad\nType: Conv2d\nOutput shape: error\nError: ", analysis.layers[1].error, "\n"));
    // A layer after it is never run, so it has no class name: its type as written, as the table shows it.
    REQUIRE(analysis.layers[2].class_name.empty());
    CHECK(working_text(analysis.layers[2]) ==
          "Layer: after\nType: flatten\nOutput shape: not reached\nNot reached: a layer it depends on is invalid.\n");
}
