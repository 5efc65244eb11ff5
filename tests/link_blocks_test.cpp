// Blocks with parameters in the link text: defined once in the header, used by name with
// arguments; the expanded layers are what the engine analyses, and the writer writes the uses
// again while they still say the same layers.
#include "support.h"

#include "engine/limits.h"
#include "engine/link_blocks.h"
#include "engine/link_text.h"
#include "engine/text.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace netshape;
using namespace netshape::testing;

namespace {

TextError link_text_error(std::string_view text) {
    TextReadResult read = read_architecture_text(text);
    REQUIRE(read.error.has_value());
    return *read.error;
}

// The layers of two designs, field by field.
void check_same_layers(const Architecture& a, const Architecture& b) {
    REQUIRE(a.layers.size() == b.layers.size());
    for (size_t i = 0; i < a.layers.size(); ++i) {
        CAPTURE(i, a.layers[i].type, a.layers[i].name);
        CHECK(same_layer(a.layers[i], b.layers[i]));
    }
}

// Text → architecture → text, and text → JSON → text, are exact.
void check_round_trips(const std::string& text) {
    Architecture read = read_link(text);
    CHECK(architecture_to_text(read) == text);
    const std::string json = architecture_to_json(read, -1);
    ReadResult from_json = read_architecture_json(json);
    INFO((from_json.error ? from_json.error->message : std::string()));
    REQUIRE_FALSE(from_json.error);
    CHECK(architecture_to_text(from_json.architecture) == text);
    CHECK(architecture_to_json(from_json.architecture, -1) == json);
}

constexpr const char* kConvBnRelu = "cbr(c,s)=(conv2d(c,3,stride=s,padding=1,bias=false)/batchnorm2d/relu)";

} // namespace

TEST_CASE("blocks: a use expands to the block's layers with its arguments", "[blocks]") {
    const std::string text = std::string("ns1;1x8x8;") + kConvBnRelu + "/cbr(4,1)/cbr(8,2)/flatten/linear(10)";
    Architecture with_blocks = read_link(text);
    // stride=s with s = 1 is a field written, as conv2d(4,3,stride=1,…) would be
    Architecture written_out = read_link("ns1;1x8x8/conv2d(4,3,stride=1,padding=1,bias=false)/batchnorm2d/relu/"
                                         "conv2d(8,3,stride=2,padding=1,bias=false)/batchnorm2d/relu/flatten/"
                                         "linear(10)");
    check_same_layers(with_blocks, written_out);
    REQUIRE(with_blocks.blocks.size() == 1);
    CHECK(with_blocks.blocks[0].parameters == std::vector<std::string>{"c", "s"});
    REQUIRE(with_blocks.block_uses.size() == 2);
    CHECK(with_blocks.block_uses[1].first_layer == 3);
    CHECK(with_blocks.block_uses[1].layer_count == 3);
    CHECK(with_blocks.block_uses[1].arguments == std::vector<FieldValue>{int64_t{8}, int64_t{2}});
    Analysis analysis = analyze(with_blocks);
    REQUIRE(analysis.ok());
    // conv 1→4, 3×3, no bias: 36; batch norm 2·4; conv 4→8: 288; batch norm 2·8; the second
    // conv's stride 2 takes 8×8 to ⌊(8 + 2 − 3)/2⌋ + 1 = 4×4, so linear(8·4·4 → 10): 1,290
    CHECK(analysis.total_params == 36 + 8 + 288 + 16 + 1'290);
    check_round_trips(text);
}

TEST_CASE("blocks: references inside a block, named layers and named uses", "[blocks]") {
    SECTION("@-k reaches the layer before the use: a residual block") {
        const std::string text =
            "ns1;8x4x4;res(c)=(conv2d(c,3,padding=1)/relu/conv2d(c,3,padding=1)/add(@-1,@-4))/res(8)/res(8)";
        Architecture architecture = read_link(text);
        Analysis analysis = analyze(architecture);
        INFO((analysis.error ? analysis.error->message : std::string()));
        REQUIRE(analysis.ok());
        REQUIRE(analysis.layers.size() == 8);
        CHECK(analysis.layers[3].inputs == std::vector<std::string>{"conv2d_2", "input"});
        CHECK(analysis.layers[7].inputs == std::vector<std::string>{"conv2d_4", "add_1"});
        // the writer folds the two identical uses
        CHECK(architecture_to_text(architecture) ==
              "ns1;8x4x4;res(c)=(conv2d(c,3,padding=1)/relu/conv2d(c,3,padding=1)/add(@-1,@-4))/2*(res(8))");
        check_round_trips(architecture_to_text(architecture));
    }
    SECTION("layers named in a body are named after their use; a named use names its last layer") {
        const std::string text = "ns1;4x8x8;two(a,b)=(x=conv2d(a,1)/y=conv2d(@-2,b,1)/concat(@x,@y))/"
                                 "m1=two(2,3)/two(4,5)/linear(@m1.x,7)";
        Architecture architecture = read_link(text);
        const std::vector<std::string> names = layer_names(architecture);
        CHECK(names == std::vector<std::string>{"m1.x", "m1.y", "m1", "two.1.x", "two.1.y", "concat_1", "linear_1"});
        CHECK(architecture.layers[2].inputs == std::vector<std::string>{"m1.x", "m1.y"});
        CHECK(architecture.layers[5].inputs == std::vector<std::string>{"two.1.x", "two.1.y"});
        // the second use's y reads two layers before its x: m1, the first use's concat
        CHECK(architecture.layers[4].inputs == std::vector<std::string>{"m1"});
        Analysis analysis = analyze(architecture);
        INFO((analysis.error ? analysis.error->message : std::string()));
        REQUIRE(analysis.ok());
        CHECK(analysis.layers[2].output_shape == Shape{5, 8, 8}); // 2 + 3 channels
        CHECK(analysis.layers[5].output_shape == Shape{9, 8, 8}); // 4 + 5
        check_round_trips(text);
    }
    SECTION("a use's @inputs go to its first layer: two branches from one input") {
        const std::string text = "ns1;4x8x8;cb(c)=(conv2d(c,1)/relu);br()=(a=cb(2)/b=cb(@-3,3)/concat(@a,@b))/br/br";
        Architecture architecture = read_link(text);
        REQUIRE(architecture.layers.size() == 10);
        CHECK(architecture.layers[1].name == "br.1.a");
        CHECK(architecture.layers[2].inputs == std::vector<std::string>{"input"}); // @-3 from the third layer
        CHECK(architecture.layers[4].inputs == std::vector<std::string>{"br.1.a", "br.1.b"});
        CHECK(architecture.layers[7].inputs == std::vector<std::string>{"concat_1"});
        Analysis analysis = analyze(architecture);
        INFO((analysis.error ? analysis.error->message : std::string()));
        REQUIRE(analysis.ok());
        CHECK(analysis.layers[4].output_shape == Shape{5, 8, 8}); // 2 + 3 channels
        CHECK(analysis.layers[9].output_shape == Shape{5, 8, 8});
        // conv 4→2 and 4→3 (1×1 with bias): 10 + 15; then 5→2 and 5→3: 12 + 18
        CHECK(analysis.total_params == 10 + 15 + 12 + 18);
        check_round_trips(architecture_to_text(architecture));
    }
}

TEST_CASE("blocks: parameters as repeat counts, blocks using blocks, uses in repeats", "[blocks]") {
    SECTION("n*(…) with n a parameter") {
        Architecture architecture = read_link("ns1;10;stack(n,w)=(n*(linear(w)+relu))/stack(3,16)/stack(1,2)");
        check_same_layers(architecture, read_link("ns1;10/3*(linear(16)+relu)/linear(2)+relu"));
        check_round_trips("ns1;10;stack(n,w)=(n*(linear(w)+relu))/stack(3,16)/stack(1,2)");
    }
    SECTION("a block uses one defined before it; its arguments pass on") {
        const std::string text = "ns1;10;lin(w)=(linear(w));pair(w)=(lin(w)/relu/lin(w))/pair(6)/lin(1)";
        Architecture architecture = read_link(text);
        check_same_layers(architecture, read_link("ns1;10/linear(6)/relu/linear(6)/linear(1)"));
        REQUIRE(architecture.block_uses.size() == 2); // the top-level uses only
        CHECK(architecture.block_uses[0].block == "pair");
        CHECK(architecture.block_uses[0].layer_count == 3);
        check_round_trips(text);
    }
    SECTION("a repeat of uses: each use names its layers after itself") {
        const std::string text = "ns1;10;lin(w)=(h=linear(w))/3*(lin(4))";
        Architecture architecture = read_link(text);
        CHECK(layer_names(architecture) == std::vector<std::string>{"lin.1.h", "lin.2.h", "lin.3.h"});
        CHECK(architecture.block_uses.size() == 3);
        check_round_trips(text);
    }
    SECTION("values, words in quotes and lists as arguments") {
        const std::string text = "ns1;3x16x16;c(k,p,d)=(conv2d(4,k,padding=p,dilation=d))/c(3x1,same,2)/c(3,'same',1)";
        Architecture architecture = read_link(text);
        check_same_layers(architecture, read_link("ns1;3x16x16/conv2d(4,3x1,padding=same,dilation=2)/"
                                                  "conv2d(4,3,padding=same,dilation=1)"));
        // the writer quotes no plain word: 'same' and same are the same argument
        CHECK(architecture_to_text(architecture) ==
              "ns1;3x16x16;c(k,p,d)=(conv2d(4,k,padding=p,dilation=d))/c(3x1,same,2)/c(3,same,1)");
    }
    SECTION("a parameter names a fused activation") {
        Architecture architecture = read_link("ns1;10;act(w,f)=(linear(w)+f)/act(4,relu)/act(2,tanh)");
        check_same_layers(architecture, read_link("ns1;10/linear(4)+relu/linear(2)+tanh"));
    }
    SECTION("a use named -1: its layers' names start with -, and references to them are quoted") {
        const std::string text = "ns1;10;lin(w)=(y=linear(w)/relu)/-1=lin(4)/linear(@'-1.y',2)";
        Architecture architecture = read_link(text);
        CHECK(layer_names(architecture) == std::vector<std::string>{"-1.y", "-1", "linear_1"});
        check_round_trips(text);
    }
    SECTION("a block without parameters") {
        check_round_trips("ns1;10;head()=(linear(4)/relu)/head/linear(1)");
    }
}

TEST_CASE("blocks: a use whose layers were edited is written as its layers", "[blocks]") {
    Architecture architecture = read_link("ns1;10;lin(w)=(linear(w)/relu)/lin(4)/lin(5)/linear(1)");
    REQUIRE(architecture.block_uses.size() == 2);
    architecture.layers[2].fields[0].second = int64_t{7}; // the second use's linear(5) becomes linear(7)
    const std::string text = architecture_to_text(architecture);
    CHECK(text == "ns1;10;lin(w)=(linear(w)/relu)/lin(4)/linear(7)/relu/linear(1)");
    check_same_layers(read_link(text), architecture);
    SECTION("fields written out of their kind's order before a use do not undo it") {
        // the writer puts stride before padding (conv2d's order); the use after it stays a use
        Architecture reordered = read_link("ns1;3x8x8;c(k)=(conv2d(4,k))/conv2d(4,3,padding=1,stride=1)/c(3)");
        CHECK(architecture_to_text(reordered) == "ns1;3x8x8;c(k)=(conv2d(4,k))/conv2d(4,3,stride=1,padding=1)/c(3)");
    }
    SECTION("a layer inserted before the uses moves them: none agrees, so none is written") {
        architecture = read_link("ns1;10;lin(w)=(linear(w)/relu)/lin(4)/lin(5)");
        LayerSpec extra;
        extra.type = "relu";
        architecture.layers.insert(architecture.layers.begin(), extra);
        const std::string moved = architecture_to_text(architecture);
        check_same_layers(read_link(moved), architecture);
    }
}

TEST_CASE("blocks: errors name the column and what is wrong", "[blocks]") {
    auto [text, column, words] = GENERATE(table<std::string, size_t, std::string>({
        {"ns1;10;lin(w)=(linear(w))/lni(4)", 27, "did you mean block 'lin'?"},
        {"ns1;10;lin(w)=(linear(w))/lin(4,5)", 27, "block lin takes 1 argument (w); this use gives 2"},
        {"ns1;10;lin(w)=(linear(w))/lin", 27, "takes 1 argument (w); this use gives 0"},
        {"ns1;10;lin(w)=(lin(w))", 16, "lin uses itself"},
        {"ns1;10;lin(w)=(linear(w));lin(v)=(relu)/lin(2)", 27, "block lin is defined twice (first at column 8)"},
        {"ns1;10;lin(w,w)=(linear(w))/lin(1,2)", 14, "parameter w is given twice"},
        {"ns1;10;lin(w)=(w(4))/lin(1)", 16, "'w' is a parameter of block lin"},
        {"ns1;10;st(n)=(n*(relu))/st(0)", 25, "gives n = 0, which is a repeat count"},
        {"ns1;10;st(n)=(n*(relu))/st(2.5)", 25, "gives n = 2.5, which is a repeat count"},
        {"ns1;10;st(n)=(m*(relu))/st(2)", 15, "'m' is not a parameter of block st"},
        {"ns1;10;lin(w)=(linear(w))/lin(w=4)", 31, "given in order, without names: lin(w)"},
        {"ns1;10;lin(w)=(linear(w))/lin(4,@-1)", 33, "a use's @inputs come before its values"},
        {"ns1;10;sum()=(add(@-1,@-2))/relu/sum(@-1)", 34, "reads inputs of its own"},
        {"ns1;10;lin(w)=(linear(w))/lin(4)+relu", 33, "takes no activation"},
        {"ns1;10;linear(w)=(relu)/relu", 8, "'linear' is a layer type"},
        {"ns1;10;l.in(w)=(relu)/relu", 8, "'l.in' is not a block name"},
        {"ns1;10;lin(w)=(linear(w)/relu", 30, "'/' or ')' to close the block"},
        {"ns1;10;lin(w)=linear(w)/relu", 15, "'(' and the block's layers"},
        {"ns1;10;lin(w)=(linear(w,5,5))/lin(4)", 25, "linear takes 1 value without a name"},
        {"ns1;10;a()=(relu)/b()=(relu)/relu", 19, "blocks are defined in the header"},
        {"ns1;10;lin(true)=(relu)/relu", 12, "true is a value"},
        {"ns1;10;f(a)=(relu(@a))/f(1)", 19, "'a' is a parameter of block f: a parameter stands for a value"},
        {"ns1;10;f(w,a)=(linear(w)+a)/f(4,2)", 29, "gives a = 2, which is an activation in the block (column 26)"},
    }));
    CAPTURE(text);
    TextError error = link_text_error(text);
    CHECK(error.column == column);
    CHECK_THAT(error.message, Catch::Contains(words));
}

TEST_CASE("blocks: hostile links end quickly with the limit's name", "[blocks]") {
    auto started = std::chrono::steady_clock::now();
    SECTION("uses of four uses, 9 levels deep (4^9 layers), stop at the layer limit") {
        std::string text = "ns1;4;b0()=(relu)";
        for (int level = 1; level <= 9; ++level)
            text += cat(";b", level, "()=(b", level - 1, "/b", level - 1, "/b", level - 1, "/b", level - 1, ")");
        text += "/b9";
        TextError error = link_text_error(text);
        CHECK_THAT(error.message, Catch::Contains("more than 100,000 layers, the limit"));
    }
    SECTION("uses nest at most kMaxBlockNesting deep") {
        std::string text = "ns1;4;b0()=(relu)";
        for (size_t level = 1; level <= kMaxBlockNesting; ++level)
            text += cat(";b", level, "()=(b", level - 1, ")");
        text += cat("/b", kMaxBlockNesting);
        TextError error = link_text_error(text);
        CHECK_THAT(error.message, Catch::Contains("blocks are nested more than 16 deep"));
    }
    SECTION("a long body used many times stops at the expansion limit") {
        std::string body(1 << 20, ' '); // a mebibyte of spaces around one layer
        std::string text = "ns1;4;wide()=(relu" + body + ")/100*(100*(wide))";
        TextError error = link_text_error(text);
        CHECK_THAT(error.message, Catch::Contains("bytes of text again, the limit"));
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    CHECK(seconds < 10.0); // a generous bound for a slow machine; each case is refused in milliseconds here
}

TEST_CASE("blocks: JSON keeps definitions and uses, and checks the definitions", "[blocks]") {
    const char* json = R"json({"input": [10], "layers": [{"type": "linear", "out_features": 4}],
        "blocks": [{"name": "lin", "parameters": ["w"], "body": "linear(w)"}],
        "block_uses": [{"block": "lin", "arguments": [4], "first_layer": 0, "layers": 1}]})json";
    ReadResult read = read_architecture_json(json);
    REQUIRE_FALSE(read.error);
    CHECK(architecture_to_text(read.architecture) == "ns1;10;lin(w)=(linear(w))/lin(4)");
    // The JSON above with one piece of it written otherwise.
    auto read_edited = [&](const std::string& from, const std::string& to) {
        std::string edited = json;
        edited.replace(edited.find(from), from.size(), to);
        return read_architecture_json(edited);
    };
    SECTION("a use that says other layers than the design has is written as the layers") {
        ReadResult other = read_edited("[4]", "[5]");
        REQUIRE_FALSE(other.error);
        CHECK(architecture_to_text(other.architecture) == "ns1;10;lin(w)=(linear(w))/linear(4)");
    }
    SECTION("a definition that does not read is refused with its place") {
        ReadResult refused = read_edited("linear(w)\"", "linear(w\"");
        REQUIRE(refused.error);
        CHECK(refused.error->where == "blocks[0]");
        CHECK_THAT(refused.error->message, Catch::Contains("column 18 of lin's definition: expected '/' or ')' to close the block"));
    }
}

TEST_CASE("blocks: the presets written with blocks fit their link lengths", "[blocks][presets]") {
    auto [file, limit] = GENERATE(table<std::string, size_t>({
        {"efficientnet_b0.ns", 1'200},    // issue 13: 3,042 characters written out
        {"inception_v3_keras.ns", 2'500}, // issue 13: 6,691 written out
        {"inception_v3.ns", 2'500},
        {"xception_keras.ns", 1'200},
    }));
    CAPTURE(file);
    std::ifstream stream(std::filesystem::path(NETSHAPE_PRESETS_DIR) / file, std::ios::binary);
    std::ostringstream text;
    text << stream.rdbuf();
    Architecture architecture = read_link(text.str());
    CHECK_FALSE(architecture.block_uses.empty());
    const std::string canonical = architecture_to_text(architecture);
    CHECK(canonical.size() < limit);
    // the link says the same layers as the design it came from, and reads back to itself
    check_same_layers(read_link(canonical), architecture);
    check_round_trips(canonical);
}
