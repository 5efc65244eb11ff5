// Editing a design read from a link with block uses (engine/link_blocks.h keep_block_uses, called
// by web/editing.cpp): an edit keeps every use it leaves whole, written as the use, and turns only
// the use whose layers it touched back into its layers. Expected link texts are written from the
// syntax rules (README, "Blocks"): a use is name(arguments); a layer is type(positional, name=value);
// a run of identical elements is written n*(…) when that is shorter.
#include "support.h"

#include "app_state.h"
#include "editing.h"
#include "engine/analysis.h"
#include "engine/link_blocks.h"
#include "engine/link_text.h"
#include "engine/text.h"

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace netshape;
using namespace netshape::app;
using netshape::testing::read_link;

namespace {

// Layers 0-2: the first use, 3-5: the second, 6: flatten, 7: linear.
constexpr std::string_view kDefinition = "ns1;3x32x32;cbr(c,s)=(conv2d(c,3,stride=s,padding=1)/batchnorm2d/relu)";

std::string cbr_link(std::string_view body) { return cat(kDefinition, body); }

// What the analysis says of a design, layer by layer: the link text must say the same network.
void check_link_says_the_design(const Architecture& design) {
    const std::string text = architecture_to_text(design);
    CAPTURE(text);
    const Analysis expected = analyze(design);
    const Analysis read_back = analyze(read_link(text));
    CHECK(read_back.total_params == expected.total_params);
    REQUIRE(read_back.layers.size() == expected.layers.size());
    for (size_t i = 0; i < expected.layers.size(); ++i) {
        CAPTURE(i);
        CHECK(read_back.layers[i].name == expected.layers[i].name);
        CHECK(read_back.layers[i].inputs == expected.layers[i].inputs);
        CHECK(read_back.layers[i].output_shape == expected.layers[i].output_shape);
        CHECK(read_back.layers[i].params == expected.layers[i].params);
        CHECK(read_back.layers[i].status == expected.layers[i].status);
    }
    // and the text reads back to itself
    CHECK(architecture_to_text(read_link(text)) == text);
}

// The edited cbr design is written with `body` after the definition, and says the same network.
void check_cbr_edit(const Architecture& edited, std::string_view body) {
    CHECK(architecture_to_text(edited) == cbr_link(body));
    check_link_says_the_design(edited);
}

std::string preset_text(const std::string& file) {
    std::ifstream stream(std::filesystem::path(NETSHAPE_PRESETS_DIR) / file, std::ios::binary);
    std::ostringstream text;
    text << stream.rdbuf();
    return text.str();
}

} // namespace

TEST_CASE("block edits: layers added, removed or moved outside the uses keep them", "[blocks][editing]") {
    const Architecture design = read_link(cbr_link("/cbr(32,1)/cbr(64,2)/flatten/linear(10)"));
    REQUIRE(design.layers.size() == 8);
    REQUIRE(design.block_uses.size() == 2);

    SECTION("the last layer removed") {
        check_cbr_edit(with_layer_removed(design, 7), "/cbr(32,1)/cbr(64,2)/flatten");
    }
    SECTION("a layer put between the two uses") {
        const Architecture edited = with_layer_inserted(design, 3, "dropout");
        CHECK(architecture_to_text(edited) == cbr_link("/cbr(32,1)/dropout/cbr(64,2)/flatten/linear(10)"));
        REQUIRE(edited.block_uses.size() == 2);
        CHECK(edited.block_uses[1].first_layer == 4);
        check_link_says_the_design(edited);
    }
    SECTION("a layer put before both") {
        check_cbr_edit(with_layer_inserted(design, 0, "dropout"), "/dropout/cbr(32,1)/cbr(64,2)/flatten/linear(10)");
    }
    SECTION("a layer moved from after the uses to before them") {
        // flatten first: an error the analysis reports, written all the same
        check_cbr_edit(with_layer_moved(design, 6, 0), "/flatten/cbr(32,1)/cbr(64,2)/linear(10)");
    }
    SECTION("the last layer of a use duplicated: the copy follows the use") {
        check_cbr_edit(with_layer_duplicated(design, 2), "/cbr(32,1)/relu/cbr(64,2)/flatten/linear(10)");
    }
}

TEST_CASE("block edits: an edit inside a use writes that use's layers, and keeps the others", "[blocks][editing]") {
    const Architecture design = read_link(cbr_link("/cbr(32,1)/cbr(64,2)/flatten/linear(10)"));
    // The second use expands to conv2d(64,3,stride=2,padding=1)/batchnorm2d/relu.

    SECTION("the stride of the second use's convolution changed (the field box's edit)") {
        Architecture edited = design;
        set_field(edited.layers[3], "stride", int64_t{3});
        detach_block_use_at(edited, 3);
        check_cbr_edit(edited, "/cbr(32,1)/conv2d(64,3,stride=3,padding=1)/batchnorm2d/relu/flatten/linear(10)");
    }
    SECTION("a layer of the first use removed") {
        check_cbr_edit(with_layer_removed(design, 1),
                       "/conv2d(32,3,stride=1,padding=1)/relu/cbr(64,2)/flatten/linear(10)");
    }
    SECTION("a layer of the first use moved out, past the second") {
        check_cbr_edit(with_layer_moved(design, 1, 7),
                       "/conv2d(32,3,stride=1,padding=1)/relu/cbr(64,2)/flatten/linear(10)/batchnorm2d");
    }
    SECTION("a layer put inside the second use") {
        check_cbr_edit(with_layer_inserted(design, 4, "dropout"),
                       "/cbr(32,1)/conv2d(64,3,stride=2,padding=1)/dropout/batchnorm2d/relu/flatten/linear(10)");
    }
    SECTION("a layer in the middle of a use duplicated") {
        check_cbr_edit(with_layer_duplicated(design, 0),
                       "/2*(conv2d(32,3,stride=1,padding=1))/batchnorm2d/relu/cbr(64,2)/flatten/linear(10)");
    }
    SECTION("a layer of the second use renamed") {
        const Edited edited = with_layer_renamed(design, 5, "features");
        REQUIRE(edited.refused.empty());
        check_cbr_edit(edited.design,
                       "/cbr(32,1)/conv2d(64,3,stride=2,padding=1)/batchnorm2d/features=relu/flatten/linear(10)");
    }
}

TEST_CASE("block edits: the writer alone writes out only the use whose layer changed", "[blocks][editing]") {
    // A layer changed in place without the editor's bookkeeping (block_uses left as they were).
    Architecture design = read_link(cbr_link("/cbr(32,1)/cbr(64,2)/flatten/linear(10)"));
    set_field(design.layers[0], "kernel_size", int64_t{5});
    check_cbr_edit(design, "/conv2d(32,5,stride=1,padding=1)/batchnorm2d/relu/cbr(64,2)/flatten/linear(10)");
}

TEST_CASE("block edits: a use whose body reaches the layer before it", "[blocks][editing]") {
    // res(c): conv2d/relu/add of the relu and the layer before the use (@-3 from the add).
    const std::string head = "ns1;4x8x8;res(c)=(conv2d(c,3,padding=1)/relu/add(@-1,@-3))";
    const Architecture design = read_link(cat(head, "/conv2d(4,1)/res(4)/res(4)/flatten/linear(10)"));
    REQUIRE(design.block_uses.size() == 2);

    // An edit writes the default name of every layer another reads into it (editing.h), so the
    // convolution the first add reads is conv2d_1= from then on; inside a kept use that name is
    // taken out again, as the use's text does not say it.
    SECTION("the last layer removed: names the edit pinned inside the uses are taken out again") {
        const Architecture edited = with_layer_removed(design, 8);
        CHECK(architecture_to_text(edited) == cat(head, "/conv2d_1=conv2d(4,1)/2*(res(4))/flatten"));
        check_link_says_the_design(edited);
    }
    SECTION("a relu put before the uses shifts the default names of the relus they read") {
        const Architecture edited = with_layer_inserted(design, 0, "relu");
        CHECK(architecture_to_text(edited) == cat(head, "/relu/conv2d_1=conv2d(4,1)/2*(res(4))/flatten/linear(10)"));
        check_link_says_the_design(edited);
    }
    SECTION("a layer put right before the second use: its add would read the new layer, so it is written out") {
        const Architecture edited = with_layer_inserted(design, 4, "relu");
        // The second use's add still reads the first use's add, now four layers back; its own relu
        // keeps the name the edit pinned (relu_2), as layers outside uses do.
        CHECK(architecture_to_text(edited) == cat(head, "/conv2d_1=conv2d(4,1)/res(4)/relu/conv2d(4,3,padding=1)"
                                                        "/relu_2=relu/add(@relu_2,@-4)/flatten/linear(10)"));
        check_link_says_the_design(edited);
    }
    SECTION("the layer the first use's add reads removed: it reads the input instead, so that use is written out") {
        const Architecture edited = with_layer_removed(design, 0);
        CHECK(architecture_to_text(edited) ==
              cat(head, "/conv2d(4,3,padding=1)/relu_1=relu/add_1=add(@relu_1,@input)/res(4)/flatten/linear(10)"));
        check_link_says_the_design(edited);
    }
}

TEST_CASE("block edits: undo and redo restore the link text exactly", "[blocks][editing]") {
    AppState state;
    const std::string original = cbr_link("/cbr(32,1)/cbr(64,2)/flatten/linear(10)");
    set_design(state, read_link(original));
    REQUIRE(state.link_text == original);
    set_design(state, with_layer_removed(state.design, 1), "edit");
    const std::string edited = cbr_link("/conv2d(32,3,stride=1,padding=1)/relu/cbr(64,2)/flatten/linear(10)");
    CHECK(state.link_text == edited);
    REQUIRE(undo(state));
    CHECK(state.link_text == original);
    REQUIRE(redo(state));
    CHECK(state.link_text == edited);
}

TEST_CASE("block edits: EfficientNet-B0 keeps its short link when its classifier is removed",
          "[blocks][editing][presets]") {
    const Architecture design = read_link(preset_text("efficientnet_b0.ns"));
    REQUIRE(design.layers.back().type == "linear");
    const Architecture edited = with_layer_removed(design, design.layers.size() - 1);
    const std::string text = architecture_to_text(edited);
    CAPTURE(text);
    CHECK(text.size() < 1'200); // 3,000 and more written out
    CHECK(text.ends_with("/adaptive_avgpool2d(1)/flatten/dropout(0.2)"));
    CHECK(edited.block_uses.size() == design.block_uses.size());
    // torchvision's classifier: Linear(1280, 1000), a 1280×1000 weight and 1000 biases.
    CHECK(analyze(design).total_params - analyze(edited).total_params == 1280 * 1000 + 1000);
    check_link_says_the_design(edited);
}

TEST_CASE("block edits: every preset with blocks says the same network after each kind of edit",
          "[blocks][editing][presets]") {
    const std::string file =
        GENERATE("efficientnet_b0.ns", "inception_v3.ns", "inception_v3_keras.ns", "xception_keras.ns");
    CAPTURE(file);
    const Architecture design = read_link(preset_text(file));
    const size_t n = design.layers.size();
    REQUIRE(n > 10);
    // Edits near the start, the middle and the end, inside uses and between them.
    for (size_t at : {size_t{0}, size_t{1}, n / 3, n / 2, n - 2, n - 1}) {
        CAPTURE(at);
        check_link_says_the_design(with_layer_removed(design, at));
        check_link_says_the_design(with_layer_inserted(design, at, "dropout"));
        check_link_says_the_design(with_layer_duplicated(design, at));
        check_link_says_the_design(with_layer_moved(design, at, n - 1 - at));
        check_link_says_the_design(with_layer_renamed(design, at, "renamed").design);
    }
}
