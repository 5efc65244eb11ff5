// The working as a student reads it: each formula in named symbols, then with the values, then
// the result (separated as the table writes it), and where each value comes from; the terms at
// their defaults left out, the formula in full on its own line. The numbers are derived in the
// comments from PyTorch's Conv2d, MaxPool2d and Linear docs and Keras's Conv2D and Dense.
#include "support.h"

#include "engine/link_text.h"

#include <algorithm>
#include <string>

using namespace netshape;
using namespace netshape::testing;

namespace {

// The analysis of a design that must be valid (the test fails with its error if not).
Analysis analyze_valid(std::string_view text) {
    Analysis analysis = analyze_link(text);
    INFO((analysis.error ? analysis.error->message : std::string()));
    REQUIRE(analysis.ok());
    return analysis;
}

bool has(const LayerResult& layer, std::string_view line) {
    return std::find(layer.explain.begin(), layer.explain.end(), line) != layer.explain.end();
}

std::string all_lines(const LayerResult& layer) {
    std::string text;
    for (const std::string& line : layer.explain) text += line + "\n";
    return text;
}

} // namespace

TEST_CASE("working: a padded, strided convolution keeps the terms that are not at their defaults", "[working]") {
    // 3×32×32, conv2d(16, 3, stride=2, padding=1): ⌊(32 + 2·1 − 3)/2⌋ + 1 = ⌊31/2⌋ + 1 = 16.
    // Dilation 1, so d·(k − 1) + 1 is just k.
    const Analysis analysis = analyze_valid("ns1;3x32x32/conv2d(16,3,stride=2,padding=1)");
    const LayerResult& conv = analysis.layers[0];
    INFO(all_lines(conv));
    CHECK(has(conv, "H_out = W_out = ⌊(H_in + 2·p − k)/s⌋ + 1"));
    CHECK(has(conv, "              = ⌊(32 + 2·1 − 3)/2⌋ + 1"));
    CHECK(has(conv, "              = 16"));
    CHECK(has(conv, "where H_in = W_in = 32 (the model input), k = kernel_size = 3, s = stride = 2, p = padding = 1"));
    CHECK(has(conv, "full formula: H_out = ⌊(H_in + 2·p − d·(k − 1) − 1)/s⌋ + 1 = ⌊(32 + 2·1 − 1·(3 − 1) − 1)/2⌋ + 1 = 16"));
    // (3·3·3 + 1)·16 = 448.
    CHECK(has(conv, "params = (k_h·k_w·C_in + 1 bias)·C_out"));
    CHECK(has(conv, "       = (3·3·3 + 1)·16"));
    CHECK(has(conv, "       = 448"));
    CHECK(has(conv, "where C_in = 3 input channels (the model input), C_out = out_channels = 16 filters, k_h = k_w = 3 (kernel_size)"));
}

TEST_CASE("working: each spatial dimension on its own when their numbers differ", "[working]") {
    // 1×28×20, a 5×3 kernel: H 28 − 5 + 1 = 24, W 20 − 3 + 1 = 18; (5·3·1)·4 weights without bias = 60.
    const Analysis analysis = analyze_valid("ns1;1x28x20/conv2d(4,5x3,bias=false)");
    const LayerResult& conv = analysis.layers[0];
    INFO(all_lines(conv));
    CHECK(has(conv, "H_out = H_in − k + 1"));
    CHECK(has(conv, "      = 28 − 5 + 1"));
    CHECK(has(conv, "W_out = W_in − k + 1"));
    CHECK(has(conv, "      = 20 − 3 + 1"));
    CHECK(has(conv, "      = 18"));
    CHECK(has(conv, "params = k_h·k_w·C_in·C_out"));
    CHECK(has(conv, "       = 5·3·1·4"));
    CHECK(has(conv, "       = 60"));
    CHECK(has(conv, "where C_in = 1 input channel (the model input), C_out = out_channels = 4 filters, k_h = 5, k_w = 3 (kernel_size)"));
}

TEST_CASE("working: Keras's words, and the layer an input comes from", "[working]") {
    // Keras, 28×28×1: Conv2D(8, 3) → 26×26×8, (3·3·1 + 1)·8 = 80; Flatten → 5,408; Dense(10):
    // (5,408 + 1)·10 = 54,090.
    const Analysis analysis = analyze_valid("ns1;keras;28x28x1/conv2d(8,3)/flatten/linear(10)");
    const LayerResult& conv = analysis.layers[0];
    INFO(all_lines(conv));
    CHECK(has(conv, "where C_in = 1 input channel (the model input), C_out = filters = 8 filters, k_h = k_w = 3 (kernel_size)"));
    const LayerResult& dense = analysis.layers[2];
    INFO(all_lines(dense));
    CHECK(has(dense, "params = (input size + 1 bias)·units"));
    CHECK(has(dense, "       = (5408 + 1)·10"));
    CHECK(has(dense, "       = 54,090"));
    CHECK(has(dense, "where input size = 5408 (the output of flatten_1), units = 10 output units"));
}

TEST_CASE("working: a pooling layer's stride, defaulted to its kernel, is shown", "[working]") {
    // MaxPool2d(2) on 32×24×24: stride = kernel_size = 2: ⌊(24 − 2)/2⌋ + 1 = 12.
    const Analysis analysis = analyze_valid("ns1;32x24x24/pool=maxpool2d(2)/maxpool2d(3,ceil_mode=true)");
    const LayerResult& pool = analysis.layers[0];
    INFO(all_lines(pool));
    CHECK(has(pool, "H_out = W_out = ⌊(H_in − k)/s⌋ + 1"));
    CHECK(has(pool, "              = ⌊(24 − 2)/2⌋ + 1"));
    CHECK(has(pool, "where H_in = W_in = 24 (the model input), k = kernel_size = 2, s = stride = 2"));
    // ceil_mode on 12 with kernel 3 and stride 3: ⌈(12 − 3)/3⌉ + 1 = 4.
    const LayerResult& ceil = analysis.layers[1];
    INFO(all_lines(ceil));
    CHECK(has(ceil, "H_out = W_out = ⌈(H_in − k)/s⌉ + 1"));
    CHECK(has(ceil, "              = ⌈(12 − 3)/3⌉ + 1"));
    CHECK(has(ceil, "              = 4"));
    CHECK(has(ceil, "where H_in = W_in = 12 (the output of pool), k = kernel_size = 3, s = stride = 3"));
}

TEST_CASE("working: batch norm's count in each framework's words, and an embedding's table", "[working]") {
    // PyTorch BatchNorm2d(16): γ and β, 2·16 = 32 parameters; the running statistics are buffers.
    const Analysis torch = analyze_valid("ns1;16x8x8/batchnorm2d/flatten/embedding(1000,64)");
    CHECK(has(torch.layers[0], "params = 2·C (a scale γ and a shift β per channel)"));
    CHECK(has(torch.layers[0], "       = 2·16"));
    CHECK(has(torch.layers[0], "       = 32"));
    // Embedding(1000, 64): one row of 64 per index, 1000·64 = 64,000.
    CHECK(has(torch.layers[2], "params = num_embeddings·embedding_dim (a row per index)"));
    CHECK(has(torch.layers[2], "       = 64,000"));
    // Keras counts the moving statistics too: 4·16 = 64, 32 of them non-trainable.
    const Analysis keras = analyze_valid("ns1;keras;8x8x16/batchnorm2d");
    CHECK(has(keras.layers[0], "params = 4·C (gamma, beta, moving_mean, moving_variance per channel)"));
    CHECK(has(keras.layers[0], "       = 64"));
}

TEST_CASE("working: depthwise, separable and transposed convolutions name their factors", "[working]") {
    // PyTorch Conv2d(3, 6, 3, groups=3): weight [6, 1, 3, 3] = 54, bias 6: 60. The separable
    // convolution: depthwise 3·3·6·1 = 54, pointwise 6·16 = 96, bias 16: 166.
    // ConvTranspose2d(8, 4, 3): weight [8, 4, 3, 3] = 288, bias 4: 292.
    const Analysis analysis =
        analyze_valid("ns1;3x32x32/depthwise_conv2d(3,depth_multiplier=2)/separable_conv2d(16,3)/conv_transpose2d(4,3)");
    CHECK(has(analysis.layers[0], "params = k_h·k_w·C_in·m + 1 bias per output channel"));
    CHECK(has(analysis.layers[0], "       = 3·3·3·2 + 6"));
    CHECK(has(analysis.layers[0], "       = 60"));
    CHECK(has(analysis.layers[1], "params = k_h·k_w·C_in·m + C_in·m·C_out + 1 bias per output channel"));
    CHECK(has(analysis.layers[1], "       = 166"));
    CHECK(has(analysis.layers[2], "params = C_in·C_out·k_h·k_w + 1 bias per output channel"));
    CHECK(has(analysis.layers[2], "       = 16·4·3·3 + 4")); // C_in: the separable layer's 16 channels
    CHECK(has(analysis.layers[2], "       = 580")); // 16·4·3·3 = 576, + 4
}

TEST_CASE("working: recurrent layers' gate blocks in symbols", "[working]") {
    // Keras LSTM(32) on 16 features: 4 gates·32·(16 + 32 + 1 bias) = 6,272 (Keras's documented
    // 4·(units·(input + units) + units)). PyTorch's GRU(8): 3·8·(16 + 8 + 2 biases) = 624.
    const Analysis keras = analyze_valid("ns1;keras;20x16/lstm(32)");
    CHECK(has(keras.layers[0], "params = gates·H·(I + H + 1 bias)"));
    CHECK(has(keras.layers[0], "       = 4·32·(16 + 32 + 1)"));
    CHECK(has(keras.layers[0], "       = 6,272"));
    CHECK(has(keras.layers[0], "where gates = 4, H = units = 32, I = 16 input features (the model input)"));
    const Analysis torch = analyze_valid("ns1;20x16/gru(8)");
    CHECK(has(torch.layers[0], "params = gates·H·(I + H + 2 biases)"));
    CHECK(has(torch.layers[0], "       = 624"));
}
