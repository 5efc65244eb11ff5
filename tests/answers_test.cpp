// Answers as people write them, and the slip named for a wrong one. Each slip's number is worked
// out in the test from the layer's documented formula with the slip made (PyTorch's Conv2d,
// MaxPool2d and Linear docs; Keras's Conv2D and Dense), never taken from netshape's output.
#include "support.h"

#include "engine/answers.h"
#include "engine/link_text.h"

#include <string>

using namespace netshape;
using namespace netshape::testing;

namespace {

struct Design {
    Architecture architecture;
    Analysis analysis;
};

Design design_of(std::string_view link_text) {
    Architecture architecture = read_link(link_text);
    Analysis analysis = analyze(architecture);
    REQUIRE(analysis.ok());
    return {std::move(architecture), std::move(analysis)};
}

// The first slip, or "" (so a CHECK prints what was said).
std::string first_slip(const AnswerCheck& check) { return check.slips.empty() ? std::string() : check.slips[0]; }

bool contains(const std::string& text, std::string_view part) { return text.find(part) != std::string::npos; }

// Seed 000: 1×28×28 → conv2d1(32, 5) → maxpool1(2) → conv2d2(32, 3) → maxpool2(2) → dense(256) → output(10).
constexpr std::string_view kSeed000 =
    "ns1;1x28x28/conv2d1=conv2d(32,5)+relu/maxpool1=maxpool2d(2)/conv2d2=conv2d(32,3)+relu/maxpool2=maxpool2d(2)/"
    "flatten/dense=linear(256)+relu/output=linear(10)+softmax";

} // namespace

TEST_CASE("answers: shapes as people write them", "[answers]") {
    for (std::string_view text : {"32x10x10", "32 x 10 x 10", "32×10×10", "[32, 10, 10]", "(32,10,10)", "32*10*10",
                                  " [32,10,10] ", "(None, 32, 10, 10)", "[N, 32, 10, 10]", "? x 32 x 10 x 10"}) {
        INFO(text);
        auto answer = read_shape_answer(text);
        REQUIRE(answer.has_value());
        CHECK(answer->shape == Shape{32, 10, 10});
    }
    CHECK(read_shape_answer("(None, 32, 10, 10)")->had_batch);
    CHECK_FALSE(read_shape_answer("[32, 10, 10]")->had_batch);
    CHECK(read_shape_answer("256")->shape == Shape{256});
    CHECK(read_shape_answer("(256,)")->shape == Shape{256});
    for (std::string_view text : {"", "thirty-two", "32x", "[32, , 10]", "[32, 10", "x10", "10.5x3", "9,248", "-3x4"}) {
        INFO(text);
        CHECK_FALSE(read_shape_answer(text).has_value());
    }
}

TEST_CASE("answers: counts as people write them", "[answers]") {
    for (std::string_view text : {"9248", "9,248", "9'248", "9 248", "9_248", "9’248", " 9248 "})
        CHECK(read_count_answer(text) == 9248);
    CHECK(read_count_answer("217,706") == 217706);
    CHECK(read_count_answer("1,000,000") == 1000000);
    // A separator that does not split groups of three, a rounded count, a decimal: not counts.
    for (std::string_view text : {"92,48", "9,2480", "9.2k", "9.248", "1e4", "", ",248", "9248,", "-5",
                                  "99999999999999999999"}) {
        INFO(text);
        CHECK_FALSE(read_count_answer(text).has_value());
    }
}

TEST_CASE("answers: right, written differently, unreadable", "[answers]") {
    const Design seed = design_of(kSeed000);
    // conv2d2: ⌊(12 − (3 − 1) − 1)/1⌋ + 1 = 10 along H and W, 32 filters; (3·3·32 + 1)·32 = 9,248.
    CHECK(check_shape_answer(seed.architecture, seed.analysis, 2, "32x10x10").verdict == AnswerVerdict::right);
    CHECK(check_params_answer(seed.architecture, seed.analysis, 2, "9,248").verdict == AnswerVerdict::right);
    AnswerCheck batch = check_shape_answer(seed.architecture, seed.analysis, 2, "[1, 32, 10, 10]");
    CHECK(batch.verdict == AnswerVerdict::right_but_written_differently);
    CHECK(contains(batch.note, "batch of 1"));
    // dense: 256 outputs, written as a column vector (256, 1) as in seed 001's table.
    CHECK(check_shape_answer(seed.architecture, seed.analysis, 5, "(256,1)").verdict ==
          AnswerVerdict::right_but_written_differently);
    AnswerCheck nonsense = check_params_answer(seed.architecture, seed.analysis, 2, "lots");
    CHECK(nonsense.verdict == AnswerVerdict::unreadable);
    CHECK(contains(nonsense.note, "whole number"));
    CHECK(check_shape_answer(seed.architecture, seed.analysis, 2, "ten").verdict == AnswerVerdict::unreadable);
    AnswerCheck wrong = check_params_answer(seed.architecture, seed.analysis, 2, "1234");
    CHECK(wrong.verdict == AnswerVerdict::wrong);
    CHECK(wrong.right_value == "9,248");
    CHECK(wrong.slips.empty()); // no known slip gives 1,234: nothing is guessed
}

TEST_CASE("answers: slips behind a wrong parameter count", "[answers]") {
    const Design seed = design_of(kSeed000);
    // conv2d2's weights alone: 3·3·32·32 = 9,216 — the 32 biases left out.
    AnswerCheck no_bias = check_params_answer(seed.architecture, seed.analysis, 2, "9216");
    CHECK(no_bias.verdict == AnswerVerdict::wrong);
    CHECK(first_slip(no_bias).starts_with("bias left out"));
    CHECK(contains(first_slip(no_bias), "32 biases"));
    // One bias for the layer: 9,216 + 1.
    CHECK(first_slip(check_params_answer(seed.architecture, seed.analysis, 2, "9217")).starts_with("one bias for the whole layer"));
    // The filter's depth (32 input channels) left out: (3·3 + 1)·32 = 320.
    CHECK(first_slip(check_params_answer(seed.architecture, seed.analysis, 2, "320")).starts_with("the input channels"));
    // dense reads 32·5·5 = 800 values: (800 + 1)·256 = 205,056; its weights alone 204,800.
    CHECK(first_slip(check_params_answer(seed.architecture, seed.analysis, 5, "204,800")).starts_with("bias left out"));

    // Seed 001's published slips (Keras, 32×32×3): CONV1 "208" is (5·5 + 1)·8, the 3 input
    // channels left out of (5·5·3 + 1)·8 = 608; FC3 "48,001" is 120·400 + 1, one bias for the
    // layer instead of (400 + 1)·120 = 48,120.
    const Design seed001 = design_of("ns1;keras;32x32x3/CONV1=conv2d(8,5)/POOL1=maxpool2d(2)/CONV2=conv2d(16,5)/"
                                     "POOL2=maxpool2d(2)/flatten/FC3=linear(120)/FC4=linear(84)/"
                                     "Softmax=linear(10)+softmax");
    AnswerCheck conv1 = check_params_answer(seed001.architecture, seed001.analysis, 0, "208");
    CHECK(conv1.right_value == "608");
    CHECK(first_slip(conv1).starts_with("the input channels left out: each filter spans all 3 channels"));
    // CONV2: (5·5 + 1)·16 = 416 for (5·5·8 + 1)·16 = 3,216.
    CHECK(first_slip(check_params_answer(seed001.architecture, seed001.analysis, 2, "416")).starts_with("the input channels"));
    AnswerCheck fc3 = check_params_answer(seed001.architecture, seed001.analysis, 5, "48,001");
    CHECK(fc3.right_value == "48,120");
    CHECK(first_slip(fc3).starts_with("one bias for the whole layer"));

    // Batch norm over 16 channels. PyTorch: γ and β are 2·16 = 32 parameters; the running mean and
    // variance (2·16 more) are buffers, so 4·16 = 64 counts them as parameters.
    const Design torch_bn = design_of("ns1;16x8x8/batchnorm2d");
    CHECK(first_slip(check_params_answer(torch_bn.architecture, torch_bn.analysis, 0, "64")).starts_with("the running statistics"));
    // Keras: the same four vectors, the moving ones non-trainable parameters: 64 in all; 32 leaves them out.
    const Design keras_bn = design_of("ns1;keras;8x8x16/batchnorm2d");
    CHECK(keras_bn.analysis.layers[0].params == 64);
    CHECK(first_slip(check_params_answer(keras_bn.architecture, keras_bn.analysis, 0, "32")).starts_with("the non-trainable"));
}

TEST_CASE("answers: slips behind a wrong shape", "[answers]") {
    const Design seed = design_of(kSeed000);
    // conv2d2 on [32, 12, 12]: 12 − 3 + 1 = 10. 9 drops the + 1; 11 takes away k − 2 = 1 row only.
    CHECK(first_slip(check_shape_answer(seed.architecture, seed.analysis, 2, "32x9x9")).starts_with("one short along H"));
    CHECK(first_slip(check_shape_answer(seed.architecture, seed.analysis, 2, "32x11x11")).starts_with("one too many along H"));
    CHECK(first_slip(check_shape_answer(seed.architecture, seed.analysis, 2, "10x10x32")).starts_with("channels last"));
    CHECK(first_slip(check_shape_answer(seed.architecture, seed.analysis, 2, "[32, 12, 12]")).starts_with("that is the layer's input shape"));
    // maxpool1 on [32, 24, 24]: stride defaults to the kernel, 2: ⌊(24 − 2)/2⌋ + 1 = 12. With
    // stride 1: 24 − 2 + 1 = 23.
    CHECK(first_slip(check_shape_answer(seed.architecture, seed.analysis, 1, "32x23x23")).starts_with("stride taken as 1"));
    // conv2d1 keeps 1 channel if the filters are forgotten: [1, 24, 24] for [32, 24, 24].
    CHECK(first_slip(check_shape_answer(seed.architecture, seed.analysis, 0, "1x24x24")).starts_with("the input's channel count"));

    // Padding 1 on 32×32 with a 3×3 kernel: 32 + 2 − 3 + 1 = 32; without it, 32 − 3 + 1 = 30.
    const Design padded = design_of("ns1;3x32x32/conv2d(16,3,padding=1)");
    AnswerCheck no_padding = check_shape_answer(padded.architecture, padded.analysis, 0, "16x30x30");
    CHECK(first_slip(no_padding).starts_with("padding left out"));
    CHECK(contains(first_slip(no_padding), "= 30"));
    CHECK(contains(first_slip(no_padding), "= 32"));
    // Stride 2, no padding: ⌊(32 − 3)/2⌋ + 1 = 15. Rounding 29/2 up gives 16; leaving the stride
    // out gives 30.
    const Design strided = design_of("ns1;3x32x32/conv2d(8,3,stride=2)");
    CHECK(first_slip(check_shape_answer(strided.architecture, strided.analysis, 0, "8x16x16")).starts_with("rounded up"));
    CHECK(first_slip(check_shape_answer(strided.architecture, strided.analysis, 0, "8x30x30")).starts_with("stride left out"));
    // Pooling 25 rows by 2: ⌊(25 − 2)/2⌋ + 1 = 12; ceil_mode would give ⌈23/2⌉ + 1 = 13.
    const Design odd_pool = design_of("ns1;4x25x25/maxpool2d(2)");
    AnswerCheck rounded = check_shape_answer(odd_pool.architecture, odd_pool.analysis, 0, "4x13x13");
    CHECK(first_slip(rounded).starts_with("rounded up"));
    CHECK(rounded.slips.size() == 1); // said once, though both the re-run and the formula find it
    // Keras, channels last: [H, W, C] written channels first.
    const Design keras = design_of("ns1;keras;28x28x1/conv2d(32,5)");
    CHECK(first_slip(check_shape_answer(keras.architecture, keras.analysis, 0, "32x24x24")).starts_with("channels first"));
    // The model input, written in the other layout.
    CHECK(first_slip(check_input_shape_answer(keras.analysis, "1x28x28")).starts_with("channels first"));
}
