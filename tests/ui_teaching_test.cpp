// The teaching aids of the ImGui front end, driven natively (tests/ui_driver.h): "Copy working"
// (the working pane's button and the Share menu's item) and the glossary the totals' labels open.
// Expected values: seed 000's worked example (conv2d_2: (3·3·32 + 1)·32 = 9,248, [32, 10, 10]).
#include "support.h"
#include "ui_driver.h"

#include "engine/glossary.h"
#include "engine/text.h"
#include "engine/tool_request.h"

#include <catch2/catch.hpp>
#include <imgui.h>

using namespace netshape;
using netshape::testing::UiDriver;

namespace {

const char* kSeed000 = "ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/conv2d(32,3)+relu/maxpool2d(2)/flatten/"
                       "linear(256)+relu/linear(10)+softmax";

// Seed 000's conv2d_2 as the copied text begins: the layer, then what the seed works out for it.
// 28 − 5 + 1 = 24, pooled to 12, 12 − 3 + 1 = 10: [32, 10, 10]; (3·3·32 + 1)·32 = 9,248 parameters.
const char* kConv2d2Head = "Layer: conv2d_2\nType: Conv2d + relu\nOutput shape: [32, 10, 10]\n"
                           "Params: 9,248 (trainable 9,248, non-trainable 0)\nWorking:\n"
                           "  [32, 12, 12] -> [32, 10, 10]\n";

bool drawn_text_starting(std::string_view start) {
    for (const ui::DrawnText& text : ui::drawn_texts())
        if (text.text.starts_with(start)) return true;
    return false;
}

void check_no_assertions() {
    for (const std::string& assertion : netshape::testing::imgui_assertions()) FAIL_CHECK("ImGui: " << assertion);
    netshape::testing::imgui_assertions().clear();
}

} // namespace

TEST_CASE("Copy working copies the selected layer's name, type, shape, params and working as text") {
    UiDriver driver(kSeed000);
    driver.resize(1280, 800);
    CHECK(driver.find("Copy working") == nullptr); // nothing selected, nothing to copy
    REQUIRE(driver.click("conv2d_2"));
    REQUIRE(driver.click("Copy working"));
    REQUIRE(driver.copied.size() == 1);
    const std::string copied = driver.copied.back();
    CHECK(copied.starts_with(kConv2d2Head));
    // (3·3·32 + 1)·32 = 9,248 and 12 − 3 + 1 = 10, in three lines each.
    CHECK(copied.find("\n  params = (k_h·k_w·C_in + 1 bias)·C_out\n         = (3·3·32 + 1)·32\n         = 9,248\n") !=
          std::string::npos);
    CHECK(copied.find("\n  H_out = W_out = H_in − k + 1\n                = 12 − 3 + 1\n                = 10\n") !=
          std::string::npos);
    CHECK(driver.ui.notice == "Working of conv2d_2 copied as text"); // the notice says what happened

    // The Share menu's item copies the same text for the selected layer.
    REQUIRE(driver.click("Share"));
    REQUIRE(driver.click("Copy working of the selected layer"));
    REQUIRE(driver.copied.size() == 2);
    CHECK(driver.copied.back() == copied);
    check_no_assertions();
}

TEST_CASE("Copy working on a phone's Working tab") {
    UiDriver driver(kSeed000);
    driver.resize(390, 844);
    REQUIRE(driver.click("conv2d_2")); // opens the Working tab
    REQUIRE(driver.click("Copy working"));
    REQUIRE_FALSE(driver.copied.empty());
    CHECK(driver.copied.back().starts_with(kConv2d2Head));
    check_no_assertions();
}

TEST_CASE("a total's label opens the glossary at its entry, hover gives the entry's first sentence") {
    UiDriver driver(kSeed000);
    driver.resize(1280, 800);
    CHECK_FALSE(driver.ui.glossary_open);
    const ui::DrawnItem* marker = driver.find("##glossary Total MACs");
    REQUIRE(marker != nullptr);
    driver.move_to(marker->x + marker->w / 2, marker->y + marker->h / 2);
    driver.frames(3);
    const GlossaryEntry* macs = glossary_entry("macs");
    REQUIRE(macs != nullptr);
    CHECK(drawn_text_starting(cat(macs->term, ": A MAC (multiply-accumulate) is one product added to a sum")));

    REQUIRE(driver.click("##glossary Total MACs"));
    CHECK(driver.ui.glossary_open);
    CHECK(driver.ui.glossary_entry == "macs");
    CHECK(driver.find("MACs and FLOPs") != nullptr);
    CHECK(drawn_text_starting(std::string(macs->text.substr(0, 40))));

    // The window covers the middle of the screen: closed (Escape, it has the keyboard), then the
    // last entry, below the window's first screen: its label scrolls the window to it.
    driver.key(netshape::testing::kKeyEscape);
    CHECK_FALSE(driver.ui.glossary_open);
    REQUIRE(driver.click("##glossary Receptive field of the last layer"));
    CHECK(driver.ui.glossary_entry == "receptive_field");
    CHECK(driver.find("Receptive field") != nullptr);
    CHECK(driver.find("Parameters") == nullptr); // the first entry scrolled out of view

    // Each totals line's label is a link, Buffers only where there are buffers (none in seed 000).
    for (const char* label : {"##glossary Total params", "##glossary Trainable params", "##glossary Non-trainable params", "##glossary Params size",
                              "##glossary Activations per sample", "##glossary Training memory estimate", "##glossary Output shape"}) {
        CAPTURE(label);
        CHECK(driver.find(label) != nullptr);
    }
    CHECK(driver.find("##glossary Buffers") == nullptr);

    // Closed and opened again from Help: from the top, not where a label left it scrolled.
    driver.key(netshape::testing::kKeyEscape);
    REQUIRE(driver.click("Help"));
    REQUIRE(driver.click("Glossary"));
    CHECK(driver.find("Parameters") != nullptr);
    check_no_assertions();
}

TEST_CASE("Help > Glossary opens every entry") {
    UiDriver driver(kSeed000);
    driver.resize(1280, 800);
    REQUIRE(driver.click("Help"));
    REQUIRE(driver.click("Glossary"));
    CHECK(driver.ui.glossary_open);
    CHECK(driver.find(std::string(glossary().front().term)) != nullptr);
    // A phone: the window fits the screen's width.
    driver.resize(390, 844);
    driver.frames(2);
    for (const ui::DrawnText& text : ui::drawn_texts()) CHECK(text.x + text.w <= 390.5f);
    check_no_assertions();
}

TEST_CASE("Share gives the design as PyTorch code, CSV and LaTeX", "[ui][export]") {
    UiDriver driver(kSeed000);
    REQUIRE(driver.click("Share"));
    REQUIRE(driver.click("Copy as PyTorch code"));
    REQUIRE_FALSE(driver.copied.empty());
    // Seed 000: 32 channels of 5×5 after the second pooling, so 32·5·5 = 800 features in.
    CHECK(driver.copied.back().find("self.linear_1 = nn.Linear(800, 256)") != std::string::npos);
    for (const char* item : {"Download PyTorch code (.py)", "Download summary as CSV (.csv)",
                             "Download summary as LaTeX (.tex)"}) {
        REQUIRE(driver.click("Share"));
        REQUIRE(driver.click(item));
    }
    CHECK(driver.downloaded == std::vector<std::string>{"network.py", "network.csv", "network.tex"});
    check_no_assertions();
}

TEST_CASE("Share gives a Keras design as Keras code, and says why when it cannot", "[ui][export]") {
    UiDriver driver("ns1;keras;28x28x1/conv2d(8,3)");
    REQUIRE(driver.click("Share"));
    REQUIRE(driver.click("Copy as Keras code"));
    REQUIRE(driver.copied.size() == 1);
    // 28 − 3 + 1 = 26 on each side; 8 filters of 3·3·1 and 8 biases = 80 parameters.
    CHECK(driver.copied.back().find("layers.Conv2D(filters=8, kernel_size=(3, 3)") != std::string::npos);
    CHECK(driver.copied.back().find("# Total params: 80") != std::string::npos);
    UiDriver adaptive("ns1;keras;28x28x1/adaptive_avgpool2d(7)");
    REQUIRE(adaptive.click("Share"));
    REQUIRE(adaptive.click("Copy as Keras code"));
    CHECK(adaptive.copied.empty());
    CHECK(adaptive.ui.notice.starts_with("No Keras code: layers[0] 'adaptive_avgpool2d_1' (adaptive_avgpool2d)"));
    check_no_assertions();
}

// A small Sequential as print(model) writes it (PyTorch's repr of nn.Sequential(nn.Flatten(),
// nn.Linear(12, 5), nn.ReLU(), nn.Linear(5, 2))), pasted into the text pane.
const char* kSequentialRepr = "Sequential(\n"
                              "  (0): Flatten(start_dim=1, end_dim=-1)\n"
                              "  (1): Linear(in_features=12, out_features=5, bias=True)\n"
                              "  (2): ReLU()\n"
                              "  (3): Linear(in_features=5, out_features=2, bias=True)\n"
                              ")\n";

TEST_CASE("print(model) pasted into the text pane is offered an import, which is one undo step", "[ui][import]") {
    UiDriver driver(kSeed000);
    REQUIRE(driver.click("Text"));
    driver.state.text = kSequentialRepr; // as a paste leaves it
    app::edit_text(driver.state, driver.state.text);
    driver.frames(2);
    REQUIRE(driver.state.text_error.has_value());
    REQUIRE(driver.click("This is PyTorch's print(model): import it..."));
    REQUIRE(driver.ui.import_dialog_open);
    CHECK(driver.ui.import_text == kSequentialRepr);
    driver.ui.import_shape = "3x2x2"; // 3·2·2 = 12 features once flattened
    REQUIRE(driver.click("Import"));
    driver.frames(2);
    REQUIRE(driver.state.analysis.ok());
    REQUIRE(driver.state.design.layers.size() == 4);
    CHECK(driver.state.design.layers[1].name == "1"); // module paths name the layers
    // (12·5 + 5) + (5·2 + 2) = 65 + 12 = 77 parameters.
    CHECK(driver.state.analysis.total_params == 77);
    CHECK(driver.ui.import_result == "Imported Sequential: 4 layers, 77 parameters.");
    driver.key('Z', netshape::testing::Modifiers{.ctrl = true}); // undo brings seed 000 back
    driver.frames(2);
    CHECK(driver.state.analysis.total_params == 217706);
    check_no_assertions();
}

TEST_CASE("Import a model shows an unknown module's place and the nearest name", "[ui][import]") {
    UiDriver driver(kSeed000);
    REQUIRE(driver.click("Edit"));
    REQUIRE(driver.click("Import a model..."));
    driver.ui.import_text = "Net(\n  (conv): Conv2D(3, 8, kernel_size=(3, 3))\n)\n";
    REQUIRE(driver.click("Import"));
    driver.frame();
    CHECK(driver.ui.import_failed);
    CHECK(driver.ui.import_result == "line 2, column 11: netshape does not know the module 'Conv2D'; did you mean 'Conv2d'?");
    CHECK(driver.state.analysis.total_params == 217706); // the design a person had is kept
    check_no_assertions();
}

TEST_CASE("Import a model while the tools are still on their way: it says so, then imports once they arrive", "[ui][import]") {
    UiDriver driver(kSeed000);
    driver.tools_arrived = false; // the web app fetches the importers on first use
    REQUIRE(driver.click("Edit"));
    REQUIRE(driver.click("Import a model..."));
    driver.frame();
    CHECK(driver.tools_prepared > 0); // the dialog's opening starts the fetch
    driver.ui.import_text = kSequentialRepr;
    driver.ui.import_shape = "12";
    REQUIRE(driver.click("Import"));
    driver.frames(3);
    CHECK(drawn_text_starting("Loading the import tools..."));
    CHECK(driver.state.analysis.total_params == 217706); // nothing changed yet: seed 000 still
    driver.tools_arrived = true;
    driver.frames(2);
    CHECK_FALSE(drawn_text_starting("Loading the import tools..."));
    // (12·5 + 5) + (5·2 + 2) = 77 parameters, as imported at once.
    CHECK(driver.state.analysis.total_params == 77);
    CHECK(driver.ui.import_result == "Imported Sequential: 4 layers, 77 parameters.");
    check_no_assertions();
}

TEST_CASE("Share's code waits for the export tools and is offered once they arrive, and a failed fetch says why", "[ui][export]") {
    UiDriver driver(kSeed000);
    driver.tools_arrived = false;
    REQUIRE(driver.click("Share"));
    CHECK(driver.tools_prepared > 0); // the menu's opening starts the fetch
    REQUIRE(driver.click("Download PyTorch code (.py)"));
    driver.frames(2);
    CHECK(driver.downloaded.empty());
    CHECK(driver.ui.notice == "Loading the export tools...");
    driver.tools_arrived = true;
    driver.frames(2);
    REQUIRE(driver.downloaded.size() == 1);
    CHECK(driver.downloaded[0] == "network.py");
    // Seed 000: 32 channels of 5×5 after the second pooling, so 32·5·5 = 800 features in.
    CHECK(driver.downloaded_content[0].find("self.linear_1 = nn.Linear(800, 256)") != std::string::npos);

    // A page offline when the tools are first wanted: the glue answers with a refusal naming why.
    driver.platform.run_tools = [](const std::string&) -> std::optional<std::string> {
        return encode_tool_reply({false, {}, "the import and export tools did not load: tools.js could not be fetched", {}});
    };
    REQUIRE(driver.click("Share"));
    REQUIRE(driver.click("Copy as PyTorch code"));
    driver.frame();
    CHECK(driver.copied.empty());
    CHECK(driver.ui.notice == "No PyTorch code: the import and export tools did not load: tools.js could not be fetched");
    check_no_assertions();
}

TEST_CASE("Import a model on a phone's width: every box and the Import button inside the dialog", "[ui][import]") {
    UiDriver driver(kSeed000);
    driver.resize(390, 844);
    REQUIRE(driver.click("Edit"));
    REQUIRE(driver.click("Import a model..."));
    driver.frame();
    // The shape box, the heads box and the button do not fit side by side in 390 px: each that
    // does not goes below the last, whole (a drawn item is its visible part: one pushed past the
    // dialog's edge would be cut, or missing).
    for (const char* label : {"##print(model)", "Input shape (one sample)##import", "Attention heads##import", "Import"}) {
        INFO(label);
        const ui::DrawnItem* item = driver.find(label);
        REQUIRE(item);
        CHECK(item->x + item->w <= 390.0f);
        CHECK(item->w > 0.0f);
    }
    CHECK(driver.find("Import")->w >= ImGui::CalcTextSize("Import").x); // the whole button
    REQUIRE(driver.click("Import")); // and it takes a click: an empty text is refused, said in the dialog
    driver.frame();
    CHECK(driver.ui.import_failed);
    check_no_assertions();
}

TEST_CASE("Import a model reads Keras JSON, whose input shape it holds", "[ui][import]") {
    UiDriver driver(kSeed000);
    REQUIRE(driver.click("Edit"));
    REQUIRE(driver.click("Import a model..."));
    // A Dense(3) on 4 features, as Keras's to_json writes a Sequential with an input shape.
    driver.ui.import_text = R"({"class_name": "Sequential", "config": {"name": "tiny", "layers": [
        {"class_name": "Dense", "config": {"name": "d", "units": 3, "use_bias": true, "activation": "linear",
                                           "batch_input_shape": [null, 4]}}]}})";
    REQUIRE(driver.click("Import"));
    driver.frames(2);
    REQUIRE(driver.state.analysis.ok());
    CHECK(driver.state.design.convention == Convention::keras);
    CHECK(driver.state.analysis.total_params == 4 * 3 + 3); // kernel 4×3, 3 biases
    check_no_assertions();
}

TEST_CASE("A Keras model's JSON pasted into the text pane is offered an import", "[ui][import]") {
    UiDriver driver(kSeed000);
    REQUIRE(driver.click("Text"));
    driver.state.text = R"({"class_name": "Sequential", "config": {"name": "tiny", "layers": [
        {"class_name": "Dense", "config": {"name": "d", "units": 3, "batch_input_shape": [null, 4]}}]}})";
    app::edit_text(driver.state, driver.state.text);
    driver.frames(2);
    REQUIRE(driver.state.text_error.has_value()); // not netshape's JSON
    REQUIRE(driver.click("This is a Keras model's JSON: import it..."));
    REQUIRE(driver.click("Import"));
    driver.frames(2);
    CHECK(driver.state.analysis.total_params == 4 * 3 + 3); // Dense(3) on 4 features
    check_no_assertions();
}

TEST_CASE("A design's JSON pasted into the text pane is offered to open, as it was saved", "[ui][import]") {
    UiDriver driver("ns1;4/linear(2)");
    REQUIRE(driver.click("Text"));
    driver.state.text = netshape::testing::kSeed000Json; // what Share > Download design (.json) writes
    app::edit_text(driver.state, driver.state.text);
    driver.frames(2);
    REQUIRE(driver.state.text_error.has_value()); // the pane reads link text
    REQUIRE(driver.click("This is a design's JSON: open it..."));
    REQUIRE(driver.click("Import"));
    driver.frames(2);
    CHECK(driver.state.analysis.total_params == 217706); // seed 000
    CHECK(driver.state.design.layers.size() == 7);
    CHECK(driver.ui.import_result == "Imported: 7 layers, 217,706 parameters."); // seed 000 has no title
    check_no_assertions();
}

TEST_CASE("Keras code pasted into the text pane is offered an import, whose input shape it holds", "[ui][import]") {
    UiDriver driver(kSeed000);
    REQUIRE(driver.click("Text"));
    const std::string code = "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
                             "model = keras.Sequential([\n    keras.Input(shape=(4,)),\n    layers.Dense(3),  # logits\n])\n";
    driver.state.text = code;
    app::edit_text(driver.state, driver.state.text);
    driver.frames(2);
    REQUIRE(driver.state.text_error.has_value());
    REQUIRE(driver.click("This is Keras code: import its model..."));
    REQUIRE(driver.ui.import_dialog_open);
    CHECK(driver.ui.import_text == code);
    driver.ui.import_shape.clear(); // the code has its input shape
    REQUIRE(driver.click("Import"));
    driver.frames(2);
    REQUIRE(driver.state.analysis.ok());
    CHECK(driver.state.design.convention == Convention::keras);
    CHECK(driver.state.analysis.total_params == 4 * 3 + 3); // Dense(3) on 4 features: kernel 4×3, 3 biases
    check_no_assertions();
}

TEST_CASE("Import a model places an error in Keras code", "[ui][import]") {
    UiDriver driver(kSeed000);
    REQUIRE(driver.click("Edit"));
    REQUIRE(driver.click("Import a model..."));
    driver.ui.import_text = "model = keras.Sequential([\n    keras.Input(shape=(4,)),\n    layers.Dens(3),\n])\n";
    driver.ui.import_shape.clear();
    REQUIRE(driver.click("Import"));
    driver.frame();
    CHECK(driver.ui.import_failed);
    CHECK(driver.ui.import_result == "line 3, column 5: netshape does not know the Keras layer 'Dens'; did you mean 'Dense'?");
    CHECK(driver.state.analysis.total_params == 217706); // the design a person had is kept
    check_no_assertions();
}

TEST_CASE("Import a model takes the attention heads print(model) hides", "[ui][import]") {
    UiDriver driver(kSeed000);
    REQUIRE(driver.click("Edit"));
    REQUIRE(driver.click("Import a model..."));
    driver.ui.import_text = "Net(\n  (attn): MultiheadAttention(\n    (out_proj): NonDynamicallyQuantizableLinear(in_features=8, "
                            "out_features=8, bias=True)\n  )\n)\n";
    driver.ui.import_shape = "5x8";
    REQUIRE(driver.click("Import"));
    driver.frame();
    CHECK(driver.ui.import_failed); // no heads given: the repr does not show them
    driver.ui.import_heads = "2";
    REQUIRE(driver.click("Import"));
    driver.frames(2);
    REQUIRE(driver.state.analysis.ok());
    CHECK(driver.state.analysis.total_params == 4 * 8 * 8 + 4 * 8); // in_proj 3·E² + 3·E, out_proj E² + E
    check_no_assertions();
}
