// The link text format: readable, URL-fragment-safe, versioned, canonical, and an exact round trip
// with JSON; parse errors point to their column.
#include "support.h"

#include "engine/catalog.h"
#include "engine/link_text.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace netshape;
using namespace netshape::testing;

namespace {


TextError text_error(std::string_view text) {
    TextReadResult read = read_architecture_text(text);
    REQUIRE(read.error.has_value());
    return *read.error;
}

std::string preset(const std::string& file) {
    std::ifstream stream(std::filesystem::path(NETSHAPE_PRESETS_DIR) / file, std::ios::binary);
    std::ostringstream text;
    text << stream.rdbuf();
    return text.str();
}

// RFC 3986: a fragment may hold unreserved characters, sub-delimiters, ':', '@', '/' and '?'
// without percent-encoding.
bool fragment_safe(std::string_view text) {
    const std::string_view allowed = "-._~!$&'()*+,;=:@/?";
    for (char c : text) {
        bool alphanumeric = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (!alphanumeric && allowed.find(c) == std::string_view::npos) return false;
    }
    return true;
}

} // namespace

TEST_CASE("the seed 000 network as link text", "[text]") {
    const char* text = "ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/conv2d(32,3)+relu/maxpool2d(2)/flatten/"
                       "linear(256)+relu/linear(10)+softmax";
    Architecture architecture = read_link(text);
    Analysis analysis = analyze(architecture);
    REQUIRE(analysis.ok());
    CHECK(analysis.total_params == 217'706); // seed 000
    CHECK(architecture_to_text(architecture) == text);
    CHECK(fragment_safe(text));
}

TEST_CASE("header: convention, title with any characters, named inputs", "[text]") {
    Architecture architecture = read_link("ns1;keras;'Ünïcode~&~(tests)';image=32x32x3;meta=10/"
                                          "flatten(@image)/concat(@-1,@meta)/linear(5)");
    CHECK(architecture.convention == Convention::keras);
    CHECK(architecture.name == "Ünïcode & (tests)");
    REQUIRE(architecture.inputs.size() == 2);
    CHECK(architecture.inputs[1].name == "meta");
    CHECK(architecture.inputs[1].shape == Shape{10});
    Analysis analysis = analyze(architecture);
    REQUIRE(analysis.ok());
    // 32·32·3 = 3,072 + 10 = 3,082 features; (3,082 + 1)·5 = 15,415
    CHECK(analysis.total_params == 15'415);
    const std::string written = architecture_to_text(architecture);
    CHECK(fragment_safe(written));
    CHECK(written == "ns1;keras;'*C3*9Cn*C3*AFcode~*26~(tests)';image=32x32x3;meta=10/flatten(@image)/"
                     "concat(@-1,@meta)/linear(5)");
}

TEST_CASE("values: integers, reals, booleans, words and lists", "[text]") {
    Architecture architecture =
        read_link("ns1;4x9x9/conv2d(8,3x5,stride=2x1,padding=same,bias=false)/dropout(0.25)/leaky_relu(1e-05)/"
                  "conv1d(2,3x)");
    const LayerSpec& conv = architecture.layers[0];
    REQUIRE(conv.fields.size() == 5);
    CHECK(std::get<int64_t>(conv.fields[0].second) == 8);
    CHECK(std::get<std::vector<int64_t>>(conv.fields[1].second) == std::vector<int64_t>{3, 5});
    CHECK(std::get<std::string>(conv.fields[3].second) == "same");
    CHECK(std::get<bool>(conv.fields[4].second) == false);
    CHECK(std::get<double>(architecture.layers[1].fields[0].second) == 0.25);
    CHECK(std::get<double>(architecture.layers[2].fields[0].second) == 1e-05);
    // "3x" is a list of one, kept apart from the integer 3
    CHECK(std::get<std::vector<int64_t>>(architecture.layers[3].fields[1].second) == std::vector<int64_t>{3});
    CHECK(architecture_to_text(architecture) ==
          "ns1;4x9x9/conv2d(8,3x5,stride=2x1,padding=same,bias=false)/dropout(0.25)/leaky_relu(1e-05)/conv1d(2,3x)");
    SECTION("a real number keeps its point: 1.0 is not the integer 1") {
        Architecture real = read_link("ns1;10/dropout(1.0)");
        CHECK(std::holds_alternative<double>(real.layers[0].fields[0].second));
        CHECK(architecture_to_text(real) == "ns1;10/dropout(1.0)");
    }
}

TEST_CASE("repeats expand, and the writer folds identical blocks", "[text]") {
    Architecture architecture = read_link("ns1;10/3*(linear(10)+relu)/linear(2)");
    CHECK(architecture.layers.size() == 4);
    CHECK(architecture_to_text(architecture) == "ns1;10/3*(linear(10)+relu)/linear(2)");
    Architecture written_out = read_link("ns1;10/linear(10)+relu/linear(10)+relu/linear(10)+relu/linear(2)");
    CHECK(architecture_to_text(written_out) == "ns1;10/3*(linear(10)+relu)/linear(2)");
    SECTION("nested repeats and relative references inside a repeated residual block") {
        Architecture blocks = read_link("ns1;8x4x4/2*(2*(conv2d(8,3,padding=1)/relu)/add(@-1,@-5))");
        REQUIRE(blocks.layers.size() == 10);
        Analysis analysis = analyze(blocks);
        INFO((analysis.error ? analysis.error->message : std::string()));
        REQUIRE(analysis.ok());
        // the first block's add reaches one step before the first layer: the model input
        CHECK(analysis.layers[4].inputs == std::vector<std::string>{"relu_2", "input"});
        // the second block's add reads the first block's add (the block input): 5 layers back
        CHECK(analysis.layers[9].inputs == std::vector<std::string>{"relu_4", "add_1"});
        // 4 convolutions of (3·3·8 + 1)·8 = 584
        CHECK(analysis.total_params == 4 * 584);
    }
}

TEST_CASE("text and JSON convert both ways exactly", "[text]") {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(NETSHAPE_PRESETS_DIR))
        files.push_back(entry.path().filename().string());
    REQUIRE(files.size() >= 10);
    std::sort(files.begin(), files.end());
    auto file = GENERATE_COPY(from_range(files));
    CAPTURE(file);
    ReadResult read = read_architecture_any(preset(file));
    REQUIRE_FALSE(read.error);
    const std::string text = architecture_to_text(read.architecture);
    CHECK(fragment_safe(text));
    // text → architecture → text is the identity (the text is canonical) …
    Architecture from_text = read_link(text);
    CHECK(architecture_to_text(from_text) == text);
    // … and so is JSON → text → JSON, for the JSON the text gives
    const std::string json = architecture_to_json(from_text, -1);
    ReadResult from_json = read_architecture_json(json);
    REQUIRE_FALSE(from_json.error);
    CHECK(architecture_to_text(from_json.architecture) == text);
    CHECK(architecture_to_json(from_json.architecture, -1) == json);
    // and the analysis is the same either way
    CHECK(analyze(from_text).total_params == analyze(read.architecture).total_params);
}

TEST_CASE("graphs round-trip: names, inputs, shared layers", "[text]") {
    const char* json = R"({"inputs": {"left": [16], "right": [16]}, "layers": [
        {"type": "linear", "name": "encoder", "inputs": ["left"], "out_features": 8},
        {"name": "encoder_again", "shares": "encoder", "inputs": ["right"]},
        {"type": "subtract", "inputs": ["encoder", "encoder_again"]},
        {"type": "linear", "out_features": 1}]})";
    ReadResult read = read_architecture_json(json);
    REQUIRE_FALSE(read.error);
    const std::string text = architecture_to_text(read.architecture);
    CHECK(text == "ns1;left=16;right=16/encoder=linear(@left,8)/encoder_again=@encoder(@right)/"
                  "subtract(@encoder,@encoder_again)/linear(1)");
    Architecture back = read_link(text);
    CHECK(architecture_to_json(back, -1) == architecture_to_json(read.architecture, -1));
    CHECK(analyze(back).total_params == 136 + 9);
}

TEST_CASE("famous networks fit in short links", "[text]") {
    SECTION("LeNet-5: under 120 characters") {
        ReadResult lenet = read_architecture_any(preset("lenet5.ns"));
        REQUIRE_FALSE(lenet.error);
        CHECK(analyze(lenet.architecture).total_params == 61'706); // LeNet-5's published count
        lenet.architecture.name.clear();
        CHECK(architecture_to_text(lenet.architecture).size() < 120);
    }
    SECTION("ResNet-50: under 2,000 characters") {
        ReadResult resnet = read_architecture_any(preset("resnet50.ns"));
        REQUIRE_FALSE(resnet.error);
        CHECK(architecture_to_text(resnet.architecture).size() < 2'000);
    }
}

TEST_CASE("parse errors name the column and suggest", "[text]") {
    auto [text, column, words] = GENERATE(table<std::string, size_t, std::string>({
        {"ns1;1x28x28/conv2(32,5)", 13, "did you mean 'conv2d'?"},
        {"ns1;1x28x28/conv2d(32,5,7)", 25, "conv2d takes 2 values without a name (out_channels, kernel_size)"},
        {"ns1;1x28x28/conv2d(32,5", 24, "expected ',' or ')'"},
        {"ns1;kerass;28x28x1/flatten", 5, "did you mean 'keras'?"},
        {"ns2;1x28x28/flatten", 1, "newer netshape"},
        {"{\"input\": [1]}", 1, "starts with its version, ns1"},
        {"ns1;1x0x28/flatten", 7, "positive integer"},
        {"ns1;4/relu(@-3)", 12, "points outside the layers"},
        {"ns1;4/0*(relu)", 7, "repeat count is 1 or more"},
        {"ns1;4/2*(relu", 14, "')' to close the repeat"},
        {"ns1;4/linear(99999999999999999999)", 14, "does not fit in a 64-bit integer"},
        {"ns1;4/linear(4,bias=false,bias=true)", 27, "bias is given twice"},
        {"ns1;'open/relu", 5, "never closed"},
        {"ns1;'a\x9D';4/relu", 7, "not valid UTF-8 at byte 2"}, // found by fuzzing: a lone continuation byte
        {"ns1;4/relu)", 11, "unexpected ')'"},
        {"ns1;4/100000*(100000*(relu))", 7, "expands past"},
    }));
    CAPTURE(text);
    TextError error = text_error(text);
    CHECK(error.column == column);
    CHECK_THAT(error.message, Catch::Contains(words));
}

TEST_CASE("unknown kinds and fields are read as written, and the analysis names them", "[text]") {
    // As with JSON, so that any design the app holds survives its own link.
    Architecture architecture = read_link("ns1;1x28x28/conv2d(32,kernal_size=5)/tmax/'odd~name'(x=1)");
    CHECK(architecture_to_text(architecture) == "ns1;1x28x28/conv2d(32,kernal_size=5)/tmax/'odd~name'(x=1)");
    Analysis analysis = analyze(architecture);
    REQUIRE(analysis.error);
    CHECK_THAT(analysis.error->message, Catch::Contains("did you mean 'kernel_size'?"));
    SECTION("even an empty field name, which JSON allows (found by fuzzing)") {
        ReadResult read = read_architecture_json(R"({"input": [4], "layers": [{"type": "relu", "": 2}]})");
        REQUIRE_FALSE(read.error);
        const std::string text = architecture_to_text(read.architecture);
        CHECK(text == "ns1;4/relu(''=2)");
        CHECK(architecture_to_text(read_link(text)) == text);
    }
}

TEST_CASE("the caret points under the column", "[text]") {
    CHECK(caret_display("ns1;1x28x28/conv2(32,5)", 13) == "ns1;1x28x28/conv2(32,5)\n            ^");
    ReadResult read = read_architecture_any("ns1;1x28x28/conv2(32,5)");
    REQUIRE(read.error);
    CHECK(read.error->where == "text");
    CHECK(read.error->column == 13);
    CHECK_THAT(read.error->message, Catch::EndsWith("\n            ^"));
}

TEST_CASE("what the writer writes, the reader reads: self-references, quoted input names, layer keys", "[text]") {
    // A layer that reads itself is an error the analysis reports (a cycle), but its text must
    // still read back: written by the layer's name, not as "@+0".
    ReadResult self = read_architecture_json(R"({"input": [4], "layers": [
        {"type": "linear", "out_features": 4}, {"type": "add", "inputs": ["linear_1", "add_1"]}]})");
    REQUIRE_FALSE(self.error);
    const std::string self_text = architecture_to_text(self.architecture);
    CHECK(self_text.find("@+0") == std::string::npos);
    CHECK(architecture_to_text(read_link(self_text)) == self_text);

    // An input name that needs quotes is written quoted and read back as a name, not a title.
    Architecture quoted;
    quoted.inputs = {{"a/b", {10}}, {"c", {10}}};
    const std::string quoted_text = architecture_to_text(quoted);
    Architecture back = read_link(quoted_text);
    REQUIRE(back.inputs.size() == 2);
    CHECK(back.inputs[0].name == "a/b");
    CHECK(back.name.empty());

    // An input name that starts with a digit would read as a shape: quoted too.
    Architecture digits;
    digits.inputs = {{"777", {4}}, {"y", {4}}};
    const Architecture digits_back = read_link(architecture_to_text(digits));
    REQUIRE(digits_back.inputs.size() == 2);
    CHECK(digits_back.inputs[0].name == "777");
    CHECK(digits_back.inputs[0].shape == Shape{4});

    // Two model inputs of one name: JSON (an object of named shapes) could not hold them.
    TextReadResult twice = read_architecture_text("ns1;y=4;y=2/linear(3,@y)");
    REQUIRE(twice.error);
    CHECK_THAT(twice.error->message, Catch::Contains("two model inputs are named 'y'"));
    CHECK(twice.error->column == 9); // "ns1;y=4;" is 8 characters
    CHECK(read_architecture_text("ns1;4;4").error); // the unnamed input twice

    // A field named like one of a layer's own keys cannot be said in JSON: refused in text too.
    for (const char* text : {"ns1;4/relu(type=linear,out_features=3)", "ns1;4/relu(name=x)", "ns1;4/relu(inputs=x)"}) {
        INFO(text);
        TextReadResult read = read_architecture_text(text);
        REQUIRE(read.error);
        CHECK_THAT(read.error->message, Catch::Contains("is not a field"));
        CHECK(read.error->column == 12); // "ns1;4/relu(" is 11 characters: the field name starts at 12
    }
}

TEST_CASE("link text: the fields every layer has, written as name=value, say how the text writes them", "[link_text]") {
    auto error_of = [](std::string_view text) {
        TextReadResult read = read_architecture_text(text);
        return read.error ? read.error->message : std::string();
    };
    CHECK_THAT(error_of("ns1;1x28x28/conv2d(32,5,name=c1)"), Catch::Contains("a layer's name goes before its type, as in conv1=conv2d(…)"));
    CHECK_THAT(error_of("ns1;1x28x28/conv2d(32,5,activation=relu)"), Catch::Contains("follows the parentheses, as in conv2d(…)+relu"));
    CHECK_THAT(error_of("ns1;1x28x28/conv2d(32,5,inputs=x)"), Catch::Contains("as in conv2d(@a,@b,…)"));
    // What the messages propose reads.
    CHECK(error_of("ns1;1x28x28/c1=conv2d(32,5)+relu/add(@c1,@c1)").empty());
    CHECK(error_of("ns1;4/a=linear(4)/b=@a(@a)").empty());
}

TEST_CASE("link text: each kind's form says which values go without a name, in order", "[link_text]") {
    // PyTorch's own positional order: Conv2d(in, out, kernel_size) without in_channels (inferred),
    // Embedding(num_embeddings, embedding_dim).
    CHECK(link_text_form(*find_kind("conv2d")).starts_with("conv2d(out_channels, kernel_size, stride=…"));
    CHECK(link_text_form(*find_kind("embedding")).starts_with("embedding(num_embeddings, embedding_dim"));
    CHECK(link_text_form(*find_kind("concat")) == "concat(axis)");
    // The form reads: its positional values in that order.
    TextReadResult read = read_architecture_text("ns1;10/embedding(1000,64)");
    REQUIRE_FALSE(read.error.has_value());
    CHECK(analyze(read.architecture).layers[0].params == 64000); // 1000·64
}
