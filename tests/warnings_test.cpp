// Warnings for the classic slips that the frameworks accept: only what the shapes show. Each
// case's numbers are derived in its comments from the frameworks' documented formulas
// (PyTorch's Linear and MaxPool2d docs; Keras's Dense acts on the last axis).
#include "support.h"

#include "engine/link_text.h"

#include <string>

using namespace netshape;
using namespace netshape::testing;

namespace {

bool any_warning_has(const Analysis& analysis, const std::string& part) {
    for (const std::string& warning : analysis.warnings)
        if (warning.find(part) != std::string::npos) return true;
    return false;
}

} // namespace

TEST_CASE("warning: a linear layer straight after pooling, with no flatten", "[warnings]") {
    // conv2d(32, 5) on 1×28×28: 28 − 5 + 1 = 24; maxpool2d(2): 12. nn.Linear(…, 10) acts on the
    // last axis (W = 12) of [32, 12, 12]: [32, 12, 10] and 12·10 + 10 = 130 parameters. Flattened,
    // it would read 32·12·12 = 4,608 values: nn.Linear(4608, 10).
    const Analysis pytorch = analyze_link("ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/linear(10)");
    REQUIRE(pytorch.ok());
    const LayerResult& linear = pytorch.layers[2];
    CHECK(linear.output_shape == Shape{32, 12, 10});
    CHECK(linear.params == 130);
    INFO((linear.warnings.empty() ? std::string() : linear.warnings[0]));
    REQUIRE(linear.warnings.size() == 1);
    CHECK(linear.warnings[0].find("did you mean flatten before linear_1?") != std::string::npos);
    CHECK(linear.warnings[0].find("nn.Flatten() first gives it 4,608 values: nn.Linear(4608, 10)") != std::string::npos);
    CHECK(any_warning_has(pytorch, "layers[2] 'linear_1': "));
    CHECK(linear.explain.back().starts_with("note: linear_1 reads the [32, 12, 12] feature map of 'maxpool2d_1'"));

    // Keras, channels last: [12, 12, 32]; Dense(10) acts on the 32 channels: [12, 12, 10],
    // 32·10 + 10 = 330 parameters; flattened, the same 4,608 values.
    const Analysis keras = analyze_link("ns1;keras;28x28x1/conv2d(32,5)+relu/maxpool2d(2)/linear(10)");
    REQUIRE(keras.ok());
    CHECK(keras.layers[2].output_shape == Shape{12, 12, 10});
    CHECK(keras.layers[2].params == 330);
    CHECK(any_warning_has(keras, "layers.Flatten() first gives it 4,608 values: layers.Dense(10)"));

    // What the shapes do not show is not said: with the flatten, or on an input the person shaped.
    CHECK(analyze_link("ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/flatten/linear(10)").warnings.empty());
    CHECK(analyze_link("ns1;3x4x5/linear(10)").warnings.empty());
    CHECK(analyze_link("ns1;16x64/conv1d(8,3)/linear(4)").warnings.empty()); // rank 2: a sequence's features
}

TEST_CASE("warning: a pooling or stride that never reads the input's last rows", "[warnings]") {
    // MaxPool2d(2) on 25×25: ⌊(25 − 2)/2⌋ + 1 = 12 windows of 2 cover rows 1–24: row 25 is dropped,
    // along H and along W.
    const Analysis pooled = analyze_link("ns1;1x25x25/maxpool2d(2)");
    REQUIRE(pooled.ok());
    CHECK(pooled.layers[0].output_shape == Shape{1, 12, 12});
    REQUIRE(pooled.layers[0].warnings.size() == 2);
    CHECK(pooled.layers[0].warnings[0].starts_with("H 25 → 12: the last 1 position along H is never read"));
    CHECK(pooled.layers[0].warnings[0].find("reach 24 of 25") != std::string::npos);
    CHECK(pooled.layers[0].warnings[1].starts_with("W 25 → 12"));

    // Seed 004's exercise: MaxPool1d(3) on 128: ⌊(128 − 3)/3⌋ + 1 = 42 windows cover 126: 2 dropped.
    const Analysis seed = analyze_link("ns1;1x128/conv1d(8,1)/maxpool1d(3)");
    REQUIRE(seed.ok());
    CHECK(any_warning_has(seed, "L 128 → 42: the last 2 positions along L are never read"));

    // Padding that fits reads every row: Conv2d(k=3, s=2, p=1) on 25: ⌊(25 + 2 − 3)/2⌋ + 1 = 13
    // windows; the last starts at padded row 24 and reads to 26, past the input's rows 1–25.
    CHECK(analyze_link("ns1;1x25x25/conv2d(8,3,stride=2,padding=1)").warnings.empty());
    // A 1×1 convolution with stride 2 (ResNet's downsampling) skips every other row by design:
    // its last row unread is not a slip worth a warning.
    CHECK(analyze_link("ns1;64x56x56/conv2d(128,1,stride=2)").warnings.empty());
    // Sizes that divide evenly: seed 000 has no warning at all.
    CHECK(analyze_link("ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/conv2d(32,3)+relu/maxpool2d(2)/flatten/"
                       "linear(256)+relu/linear(10)+softmax")
              .warnings.empty());
}

TEST_CASE("warning: an even kernel with padding \"same\" pads one side more", "[warnings]") {
    // PyTorch Conv2d(padding="same"), kernel 4: dilation·(k − 1) = 3 zeros, 1 before and 2 after
    // (the odd one after, as its docs and F.pad put it), along H and along W.
    const Analysis even = analyze_link("ns1;1x16x16/conv2d(8,4,padding=same)");
    REQUIRE(even.ok());
    CHECK(even.layers[0].output_shape == Shape{8, 16, 16});
    REQUIRE(even.layers[0].warnings.size() == 2);
    CHECK(even.layers[0].warnings[0].starts_with("H: kernel_size 4 is even, so padding=\"same\" pads 1 before and 2 after"));
    // Keras, stride 1: out = ⌈16/1⌉ = 16, zeros (16 − 1)·1 + 4 − 16 = 3: again 1 before, 2 after.
    const Analysis keras = analyze_link("ns1;keras;16x16x1/conv2d(8,4,padding=same)");
    REQUIRE(keras.ok());
    CHECK(any_warning_has(keras, "W: kernel_size 4 is even, so padding=\"same\" pads 1 before and 2 after"));
    // An odd kernel pads evenly at stride 1: nothing to say.
    CHECK(analyze_link("ns1;1x16x16/conv2d(8,3,padding=same)").warnings.empty());
    // Keras's strided "same" with an odd kernel pads unevenly by design ((112 − 1)·2 + 3 − 224 = 1
    // zero, after): not a slip.
    CHECK(analyze_link("ns1;keras;224x224x3/conv2d(8,3,stride=2,padding=same)").warnings.empty());
}
