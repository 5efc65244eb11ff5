// The ImGui front end driven natively (tests/ui_driver.h) the way people use it: clicks on
// widgets found by their labels, typing, the wheel, keys. Run under AddressSanitizer and UBSan by
// .ci/dev test, which is what catches a widget reading a design an edit replaced. Expected counts
// come from the seeds and published counts, or are derived in the comments.
#include "ui_driver.h"

#include "editing.h"
#include "ui_common.h"
#include "engine/json_format.h"
#include "engine/link_text.h"
#include "engine/text.h"
#include "wheel.h"

#include <catch2/catch.hpp>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

using namespace netshape;
using netshape::testing::Modifiers;
using netshape::testing::UiDriver;

namespace {

const char* kSeed000 = "ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/conv2d(32,3)+relu/maxpool2d(2)/flatten/"
                       "linear(256)+relu/linear(10)+softmax";

std::string preset(const std::string& file) {
    std::ifstream in(std::string(NETSHAPE_PRESETS_DIR) + "/" + file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

void check_clean(const UiDriver& driver) {
    for (const std::string& assertion : netshape::testing::imgui_assertions()) FAIL_CHECK("ImGui: " << assertion);
    netshape::testing::imgui_assertions().clear();
    // Whatever the editor made reads back from its link text to the same design.
    const std::string text = driver.link_text();
    TextReadResult read = read_architecture_text(text);
    INFO(text);
    REQUIRE_FALSE(read.error.has_value());
    CHECK(architecture_to_text(read.architecture) == text);
    ReadResult json = read_architecture_json(architecture_to_json(driver.state.design, -1));
    REQUIRE_FALSE(json.error.has_value());
    CHECK(architecture_to_text(json.architecture) == text);
}

// The first summary row on screen (its layer's index), by the rows' labels.
std::optional<size_t> first_visible_row(const UiDriver& driver) {
    for (size_t i = 0; i < driver.state.analysis.layers.size(); ++i)
        if (driver.find(driver.state.analysis.layers[i].name)) return i;
    return std::nullopt;
}

} // namespace

TEST_CASE("typing into a layer's name box and field boxes edits the design") {
    UiDriver driver(kSeed000);
    REQUIRE(driver.click("conv2d_1")); // its summary row
    REQUIRE(driver.ui.selected == size_t{0});
    REQUIRE(driver.click("##name"));
    driver.type("stem");
    CHECK(driver.state.design.layers[0].name == "stem");
    CHECK(driver.state.analysis.total_params == 217706); // seed 000: a name changes no count
    // out_channels 32 → 320 (a 0 typed at the end): (5·5·1 + 1)·320 = 8,320 for the first conv, and
    // the second conv reads 320 channels: (3·3·320 + 1)·32 = 92,192, instead of 832 and 9,248.
    REQUIRE(driver.click("##out_channels"));
    driver.key(netshape::testing::kKeyEnd);
    driver.type("0");
    CHECK(driver.state.analysis.total_params == 217706 - 832 - 9248 + 8320 + 92192);
    // Every field box of the conv takes typing without harm; a text that is not a value is
    // refused under the box and never applied. (Bottom up: a message under a box moves the boxes
    // below it, as a person would see before clicking.)
    const std::string before = driver.link_text();
    for (const char* field : {"##groups", "##dilation", "##padding", "##stride"}) {
        INFO(field);
        REQUIRE(driver.click(field));
        driver.type("x");
        CHECK_THAT(driver.ui.field_error, Catch::Contains("'x' is not"));
        CHECK(driver.link_text() == before);
    }
    REQUIRE(driver.click("##kernel_size"));
    driver.type("x5"); // "5x5": the same kernel written per dimension
    CHECK(driver.state.analysis.total_params == 217706 - 832 - 9248 + 8320 + 92192);
    check_clean(driver);
}

TEST_CASE("renaming a layer that others read keeps what they read") {
    // linear 8→4: 36; linear 4→4: 20; add of both: 0; linear 4→3: 15. Total 71.
    UiDriver driver("ns1;8/linear(4)/linear(4)/add(@-2,@-1)/linear(3)");
    REQUIRE(driver.state.analysis.total_params == 71);
    REQUIRE(driver.click("linear_1"));
    REQUIRE(driver.click("##name"));
    driver.type("first");
    // Naming the first linear would make the second "linear_1": the add still reads both.
    CHECK(driver.state.design.layers[2].inputs == std::vector<std::string>{"first", "linear_2"});
    CHECK(driver.state.analysis.total_params == 71);
    CHECK(driver.state.analysis.ok());
    // Its name cleared again: the references follow it back to its default name.
    driver.key(netshape::testing::kKeyBackspace);
    for (int i = 0; i < 5; ++i) driver.key(netshape::testing::kKeyBackspace);
    CHECK(driver.state.design.layers[0].name.empty());
    CHECK(driver.state.analysis.total_params == 71);
    CHECK(driver.state.analysis.ok());
    check_clean(driver);
}

TEST_CASE("a layer told to read itself is refused at the box, with a message") {
    UiDriver driver("ns1;8/linear(4)/linear(4)/add(@-2,@-1)");
    REQUIRE(driver.click("add_1"));
    const std::string before = driver.link_text();
    REQUIRE(driver.click("##inputs"));
    driver.key(netshape::testing::kKeyEnd);
    driver.type(",add_1");
    CHECK_THAT(driver.ui.field_error, Catch::Contains("cannot read itself"));
    for (const std::string& input : driver.state.design.layers[2].inputs) CHECK(input != "add_1");
    check_clean(driver);
    (void)before;
}

TEST_CASE("boxes refuse what the link could not hold: a title past 1,024 bytes, a size past 2^40") {
    // (src/engine/limits.h: a design the app accepts always has a link that opens.)
    UiDriver driver("ns1;'" + std::string(1024, 't') + "';4/relu");
    REQUIRE(driver.click("##title"));
    driver.key(netshape::testing::kKeyEnd);
    driver.type("x");
    CHECK(driver.ui.field_error == "a title holds at most 1,024 bytes");
    CHECK(driver.state.design.name == std::string(1024, 't'));
    std::string error;
    CHECK_FALSE(app::parse_shape_text("1099511627777", error)); // 2^40 + 1
    CHECK_THAT(error, Catch::Contains("over the limit for one dimension"));
    CHECK(app::parse_shape_text("1099511627776", error) == Shape{int64_t{1} << 40});
    check_clean(driver);
}

TEST_CASE("the wheel scrolls the summary by the browser's distance, both ways") {
    UiDriver driver(preset("resnet50.ns"));
    REQUIRE(first_visible_row(driver) == size_t{0});
    const ui::DrawnItem* row = driver.find(driver.state.analysis.layers[2].name);
    REQUIRE(row);
    driver.move_to(row->x + 5, row->y + row->h / 2);
    // One notch in line mode is 3 lines (the browsers' default); a summary row is one line.
    app::WheelMetrics metrics;
    metrics.font_size = ImGui::GetFontSize();
    metrics.line_height = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2.0f;
    const app::ImGuiWheel down = app::imgui_wheel({0, 3, app::WheelDeltaMode::lines, false}, metrics);
    driver.wheel(down.vertical);
    const std::optional<size_t> after = first_visible_row(driver);
    REQUIRE(after);
    CHECK(*after >= 2);
    CHECK(*after <= 4);
    const app::ImGuiWheel up = app::imgui_wheel({0, -3, app::WheelDeltaMode::lines, false}, metrics);
    driver.wheel(up.vertical);
    CHECK(first_visible_row(driver) == size_t{0});
    check_clean(driver);
}

TEST_CASE("every digit of every count shows: columns fit their widest value over all rows") {
    for (const char* file : {"vgg16.ns", "resnet50.ns"}) {
        INFO(file);
        UiDriver driver(preset(file));
        const Analysis& analysis = driver.state.analysis;
        REQUIRE(analysis.ok());
        float widest[4] = {};
        for (const LayerResult& layer : analysis.layers) {
            const int64_t values[4] = {layer.params, layer.trainable_params, layer.non_trainable_params,
                                       layer.macs.value_or(0)};
            for (int c = 0; c < 4; ++c)
                widest[c] = std::max(widest[c], ImGui::CalcTextSize(with_thousands(values[c]).c_str()).x);
        }
        // VGG-16's widest: 102,764,544 parameters (fc6, 25,088·4,096 + 4,096), published by torchvision.
        for (int c = 0; c < 4; ++c) {
            INFO("column " << c + 3);
            CHECK(driver.ui.summary_widths[c + 3] >= widest[c]);
        }
        check_clean(driver);
    }
}

TEST_CASE("an embed's height comes from its content and settles") {
    for (const char* query : {"?embed", "?embed&edit", "?embed&editor"}) {
        INFO(query);
        UiDriver driver(kSeed000, query);
        std::vector<float> heights;
        for (int i = 0; i < 8; ++i) {
            // The page sizes the frame to what the app reports, as the embed code's script does.
            driver.resize(800, std::max(100.0f, driver.ui.content_height));
            heights.push_back(driver.ui.content_height);
        }
        CHECK(heights[5] == heights[7]);
        CHECK(heights[6] == heights[7]);
        CHECK(heights.back() < 2000.0f);
        check_clean(driver);
    }
}

TEST_CASE("PyTorch to Keras and back converts LeNet-5 and keeps 61,706 parameters") {
    UiDriver driver(preset("lenet5.ns"));
    auto all_valid = [&] {
        for (const LayerResult& layer : driver.state.analysis.layers)
            if (layer.status != LayerStatus::ok) return false;
        return true;
    };
    REQUIRE(driver.state.analysis.total_params == 61706); // LeNet-5's well-known count
    REQUIRE(driver.click("##convention"));
    REQUIRE(driver.click("Keras"));
    CHECK(driver.state.design.convention == Convention::keras);
    CHECK(driver.state.design.inputs[0].shape == Shape{32, 32, 1}); // channels last
    CHECK(driver.state.analysis.total_params == 61706);
    CHECK(all_valid());
    REQUIRE(driver.click("##convention"));
    REQUIRE(driver.click("PyTorch"));
    CHECK(driver.state.design.inputs[0].shape == Shape{1, 32, 32});
    CHECK(driver.state.analysis.total_params == 61706);
    CHECK(all_valid());
    check_clean(driver);
}

TEST_CASE("New gives an empty design that asks for its input shape, undo brings the old one back") {
    UiDriver driver(kSeed000);
    driver.key('N', Modifiers{.ctrl = true, .alt = true});
    CHECK(driver.state.design.layers.empty());
    CHECK(driver.state.design.name.empty());
    CHECK(driver.state.design.inputs.empty());
    check_clean(driver);
    driver.type("1x28x28"); // the input shape box has the keyboard
    REQUIRE(driver.state.design.inputs.size() == 1);
    CHECK(driver.state.design.inputs[0].shape == Shape{1, 28, 28});
    driver.key(netshape::testing::kKeyEnter);
    driver.key('Z', Modifiers{.ctrl = true});
    CHECK(driver.state.design.inputs.empty());
    driver.key('Z', Modifiers{.ctrl = true});
    CHECK(driver.state.analysis.total_params == 217706);
    check_clean(driver);
}

TEST_CASE("LeNet-5 from an empty design with the keyboard only, in under 20 actions") {
    UiDriver driver(kSeed000);
    int actions = 0;
    auto key = [&](int code, Modifiers modifiers = {}) { driver.key(code, modifiers), ++actions; };
    auto type = [&](std::string_view text) { driver.type(text), ++actions; };
    key('N', {.ctrl = true, .alt = true});
    type("1x32x32");
    key(netshape::testing::kKeyEnter);
    key('A'); // "+ Add layer": the palette, which takes layers written as link text
    type("conv(6,5)+tanh/avgpool(2)/conv(16,5)+tanh/avgpool(2)");
    key(netshape::testing::kKeyEnter);
    key('A');
    type("flatten/linear(120)+tanh/linear(84)+tanh/linear(10)");
    key(netshape::testing::kKeyEnter);
    CHECK(actions <= 20);
    CHECK(driver.state.analysis.total_params == 61706); // LeNet-5's well-known count
    CHECK(driver.link_text() == "ns1;1x32x32/conv(6,5)+tanh/avgpool(2)/conv(16,5)+tanh/avgpool(2)/flatten/"
                                "linear(120)+tanh/linear(84)+tanh/linear(10)");
    check_clean(driver);
}

TEST_CASE("the palette refuses a layer named like one the design shows, renamed, it goes in") {
    // Found by the editing fuzzer: a second 'enc' made '@enc' mean another layer.
    UiDriver driver("ns1;x=4;y=4/enc=linear(@x,3)/@enc(@y)/add(@enc,@-1)");
    const std::string before = driver.link_text();
    driver.key('A'); // "+ Add layer": the palette
    driver.type("enc=linear(6)");
    driver.key(netshape::testing::kKeyEnter);
    CHECK(driver.link_text() == before);
    driver.frames(2); // the page draws 4 frames after a key (web/browser_main.cpp)
    CHECK(ImGui::GetIO().WantTextInput); // the palette keeps the keyboard, to fix the name
    driver.key(netshape::testing::kKeyHome);
    for (int i = 0; i < 3; ++i) driver.key(netshape::testing::kKeyRight);
    driver.type("2"); // enc2=linear(6)
    driver.key(netshape::testing::kKeyEnter);
    // The renamed layer went in after the last one; the rest is as it was.
    REQUIRE(driver.state.design.layers.size() == 4);
    CHECK(driver.state.design.layers[3].name == "enc2");
    CHECK(driver.state.design.layers[3].type == "linear");
    CHECK(driver.state.analysis.layers[3].params == (3 + 1) * 6); // linear(6) after add of two [3] (enc has 3 outputs): (in + 1)·out
    check_clean(driver);
}

TEST_CASE("after an insert the first required field has the keyboard, Tab moves on") {
    UiDriver driver("ns1;1x28x28/flatten");
    REQUIRE(driver.click("flatten_1"));
    driver.key('A');
    driver.type("Dense"); // Keras's name finds linear
    driver.key(netshape::testing::kKeyEnter);
    REQUIRE(driver.state.design.layers.size() == 2);
    driver.type("10");
    CHECK(driver.link_text() == "ns1;1x28x28/flatten/linear(10)");
    CHECK(driver.state.analysis.total_params == 28 * 28 * 10 + 10); // 7,850
    driver.key(netshape::testing::kKeyTab);
    driver.type("7");
    const FieldValue* out = driver.state.design.layers[1].find("out_features");
    REQUIRE(out);
    CHECK(std::get<int64_t>(*out) == 10); // the 7 went to the next box, not this one
    check_clean(driver);
}

namespace {

// WCAG 2's relative luminance and contrast ratio.
double luminance(const ImVec4& c) {
    auto channel = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * channel(c.x) + 0.7152 * channel(c.y) + 0.0722 * channel(c.z);
}
double contrast(const ImVec4& a, const ImVec4& b) {
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}
ImVec4 over(const ImVec4& top, const ImVec4& bottom) {
    return ImVec4(top.x * top.w + bottom.x * (1 - top.w), top.y * top.w + bottom.y * (1 - top.w),
                  top.z * top.w + bottom.z * (1 - top.w), 1.0f);
}

} // namespace

TEST_CASE("every text is at least 4.5:1 against its background, in both themes (WCAG AA)") {
    for (const char* theme : {"?theme=dark", "?theme=light"}) {
        INFO(theme);
        UiDriver driver("ns1;10/linear(4)", theme);
        const ImVec4* colors = ImGui::GetStyle().Colors;
        const ImVec4 window = over(colors[ImGuiCol_WindowBg], ImVec4(0, 0, 0, 1));
        const ImVec4 backgrounds[] = {window,
                                      over(colors[ImGuiCol_PopupBg], window),
                                      over(colors[ImGuiCol_FrameBg], window),
                                      over(colors[ImGuiCol_TableRowBgAlt], window),
                                      over(colors[ImGuiCol_TableHeaderBg], window),
                                      over(colors[ImGuiCol_MenuBarBg], window),
                                      over(colors[ImGuiCol_Header], window)};
        for (ImGuiCol text : {ImGuiCol_Text, ImGuiCol_TextDisabled})
            for (const ImVec4& background : backgrounds) {
                INFO("text colour " << text);
                CHECK(contrast(colors[text], background) >= 4.5);
            }
    }
}

TEST_CASE("a canvas smaller than the interface, scrolled, lays out without an ImGui assertion") {
    // Found by the UI fuzzer: an embed scrolled down, then its frame made 1 px high, left the
    // summary table inside a window whose clip rectangle was empty (ImGui 1.86 then trips on it).
    UiDriver driver("ns1;x=4;y=4/enc=linear(3,@x)/@enc(@y)/add(@-2,@-1)", "?embed&edit");
    driver.resize(777, 400);
    REQUIRE(driver.click("_1")); // the second call of enc, named by its default name
    driver.resize(777, 263);
    driver.wheel(-20, -5);
    for (float height : {1.0f, 20.0f, 100.0f, 263.0f}) {
        INFO(height);
        driver.resize(453, height);
        check_clean(driver);
    }
}

TEST_CASE("the menus are reachable from the keyboard, arrows in the window still select layers") {
    UiDriver driver(kSeed000);
    driver.click_at(900, 760); // the window has the keyboard
    driver.key(netshape::testing::kKeyDown);
    driver.key(netshape::testing::kKeyDown);
    CHECK(driver.ui.selected == size_t{1});
    // Alt+Down moves the layer and leaves the menus alone (Alt's release would otherwise open them).
    driver.key(netshape::testing::kKeyDown, Modifiers{.alt = true});
    CHECK(driver.ui.selected == size_t{2});
    CHECK(driver.state.design.layers[1].type == "conv2d"); // the pool went below the second conv
    CHECK(driver.state.design.layers[2].type == "maxpool2d");
    // Alt alone goes to the menu bar (Presets), Right to Edit, Space opens it, Space takes its first
    // item: New design.
    ImGui::GetIO().KeyAlt = true;
    driver.frames(2);
    ImGui::GetIO().KeyAlt = false;
    driver.frames(2);
    driver.key(netshape::testing::kKeyRight);
    driver.key(netshape::testing::kKeySpace);
    driver.key(netshape::testing::kKeySpace);
    CHECK(driver.state.design.layers.empty());
    check_clean(driver);
}

namespace {

// The text drawn whole (not clipped by its window or cell) that equals `wanted`, or nullptr.
const ui::DrawnText* whole_text(const std::string& wanted) {
    for (const ui::DrawnText& text : ui::drawn_texts())
        if (text.text == wanted && text.whole) return &text;
    return nullptr;
}

} // namespace

TEST_CASE("a phone's width gets one column: the totals and the seed's conv2d_2 whole on the first screen") {
    // Seed 000: conv2d_2 is conv2d(32, 3) on [32, 12, 12]: (3·3·32 + 1)·32 = 9,248 parameters and
    // an output of 12 − 3 + 1 = 10 rows and columns: [32, 10, 10]. Total: 217,706 (seed 000).
    for (const auto& [width, height] : {std::pair{390.0f, 844.0f}, {820.0f, 1180.0f}, {853.0f, 533.0f}}) {
        INFO(width << "x" << height);
        UiDriver driver(kSeed000);
        driver.resize(width, height);
        CHECK(driver.ui.narrow);
        CHECK(driver.find("Summary") != nullptr); // the tabs at the top
        CHECK(driver.find("Working") != nullptr);
        CHECK(driver.find("Editor") != nullptr);
        CHECK(whole_text("Total params: 217,706") != nullptr);
        CHECK(whole_text("9,248") != nullptr);
        CHECK(whole_text("[32, 10, 10]") != nullptr);
        const ui::DrawnItem* row = driver.find("conv2d_2");
        REQUIRE(row != nullptr); // its name is whole: the name column takes what the numbers leave
        // Every text fits the screen's width: nothing to scroll sideways for.
        for (const ui::DrawnText& text : ui::drawn_texts()) CHECK(text.x + text.w <= width + 0.5f);
        // Layer, Output shape and Params; the others are a choice away ("Columns").
        CHECK(driver.ui.summary_widths[1] == 0.0f); // Type
        CHECK(driver.ui.summary_widths[6] == 0.0f); // MACs
        REQUIRE(driver.click("Columns"));
        REQUIRE(driver.click("MACs"));
        driver.key(netshape::testing::kKeyEscape);
        CHECK(driver.ui.summary_widths[6] > 0.0f);

        // A tap on the row selects it and opens its working, whose lines wrap to the width.
        REQUIRE(driver.click("conv2d_2"));
        CHECK(driver.ui.selected == size_t{2});
        bool weights_shown = false;
        for (const ui::DrawnText& text : ui::drawn_texts()) {
            weights_shown = weights_shown || text.text.starts_with("weights:");
            CHECK(text.x + text.w <= width + 0.5f);
        }
        CHECK(weights_shown);
        REQUIRE(driver.click("Next >"));
        CHECK(driver.ui.selected == size_t{3});
        check_clean(driver);
    }
}

TEST_CASE("a desktop's width keeps the three panes, and the working wraps instead of cutting") {
    UiDriver driver(kSeed000);
    driver.resize(1280, 800);
    CHECK_FALSE(driver.ui.narrow);
    REQUIRE(driver.click("conv2d_2"));
    CHECK(driver.find("Working") == nullptr); // no tab: the working pane is beside the totals
    // conv2d_2's height, worked in three lines (12 − 3 + 1 = 10 on its 12×12 input), each whole on
    // screen, and where the 12 comes from; the formula in full only from View > Full formulas.
    auto shown_whole = [](std::string_view wanted) {
        for (const ui::DrawnText& text : ui::drawn_texts())
            if (text.text == wanted && text.whole) return true;
        return false;
    };
    auto shown_starting = [](std::string_view start) {
        for (const ui::DrawnText& text : ui::drawn_texts())
            if (text.text.starts_with(start) && text.whole) return true;
        return false;
    };
    CHECK(shown_whole("H_out = W_out = H_in − k + 1"));
    CHECK(shown_whole("= 12 − 3 + 1"));
    CHECK(shown_whole("= 10"));
    CHECK(shown_starting("where H_in = W_in = 12 (the output of maxpool2d_1)"));
    CHECK(shown_whole("= 9,248")); // (3·3·32 + 1)·32, separated as the table writes it
    CHECK_FALSE(shown_starting("full formula: "));
    REQUIRE(driver.click("View"));
    REQUIRE(driver.click("Full formulas"));
    driver.frames(2);
    CHECK(shown_whole("full formula: H_out = ⌊(H_in + 2·p − d·(k − 1) − 1)/s⌋ + 1 = ⌊(12 + 2·0 − 1·(3 − 1) − 1)/1⌋ + 1 = 10"));
    check_clean(driver);
}

TEST_CASE("an embed at its default height shows the totals first, the table scrolls inside") {
    // ResNet-18 (a preset): 11,689,512 parameters (torchvision's published count).
    UiDriver driver(preset("resnet18.ns"), "?embed");
    driver.resize(640, 420); // the embed code's default height, with no script to change it
    CHECK(whole_text("Total params: 11,689,512") != nullptr);
    // What the page would size the frame to: more than the 420 px it has (every row).
    CHECK(driver.ui.content_height > 1000.0f);
    check_clean(driver);
}

TEST_CASE("Share > Embed in a page: editing, theme, columns and height go into the code, and the preview is the embed") {
    UiDriver driver(kSeed000);
    driver.resize(1280, 800);
    REQUIRE(driver.click("Share"));
    REQUIRE(driver.click("Embed in a page..."));
    REQUIRE(driver.ui.embed_dialog_open);
    // The preview draws the embed view: its title row's button, and a second copy of the totals.
    CHECK(driver.find("Open in netshape") != nullptr);
    int totals_drawn = 0;
    for (const ui::DrawnText& text : ui::drawn_texts()) totals_drawn += text.text == "Total params: 217,706" && text.whole;
    CHECK(totals_drawn == 2);

    // By default the code carries the theme on screen (dark here) and the default height.
    REQUIRE(driver.click("Copy embed code##dialog"));
    REQUIRE(!driver.copied.empty());
    CHECK(driver.copied.back().find("?embed&amp;theme=dark#ns1;") != std::string::npos);
    CHECK(driver.copied.back().find("height:420px;") != std::string::npos);

    REQUIRE(driver.click("edit its text"));
    REQUIRE(driver.click("light"));
    REQUIRE(driver.click("MACs"));
    REQUIRE(driver.click("##embed height"));
    driver.key('A', Modifiers{.ctrl = true});
    driver.type("600");
    driver.key(netshape::testing::kKeyEnter);
    REQUIRE(driver.click("Copy embed code##dialog"));
    const std::string code = driver.copied.back();
    INFO(code);
    CHECK(code.find("?embed&amp;edit&amp;hide=macs&amp;theme=light#ns1;") != std::string::npos);
    CHECK(code.find("height:600px;") != std::string::npos);
    // Share > Copy embed code gives the same code.
    REQUIRE(driver.click("Share"));
    REQUIRE(driver.click("Copy embed code"));
    CHECK(driver.copied.back() == code);

    // At a phone's width the preview is the narrow table, with its column chooser.
    REQUIRE(driver.click("Share"));
    REQUIRE(driver.click("Embed in a page..."));
    REQUIRE(driver.click("phone (390 px)"));
    CHECK(driver.find("Columns") != nullptr);
    driver.key(netshape::testing::kKeyEscape);
    CHECK_FALSE(driver.ui.embed_dialog_open);
    CHECK(driver.find("Open in netshape") == nullptr);
    check_clean(driver);
}

TEST_CASE("Share > Embed in a page: the diagram instead of the table, or both, in either style, goes into the code and the preview") {
    UiDriver driver(kSeed000);
    driver.resize(1280, 800);
    REQUIRE(driver.click("Share"));
    REQUIRE(driver.click("Embed in a page..."));
    CHECK(driver.find("diagram canvas") == nullptr); // the editor shows its table; so does the preview
    CHECK(driver.find("a graph") == nullptr);        // the style is asked only where a diagram shows
    CHECK(driver.find("MACs") != nullptr); // a column to choose
    REQUIRE(driver.click("the diagram"));
    driver.frame();
    CHECK(driver.find("diagram canvas") != nullptr); // the preview's
    CHECK(driver.find("MACs") == nullptr);           // no table: no columns to choose
    REQUIRE(driver.click("blocks"));
    REQUIRE(driver.click("Copy embed code##dialog"));
    std::string code = driver.copied.back();
    INFO(code);
    // The queries view_options.h documents: ?view=diagram, ?diagram=blocks (escaped for HTML).
    CHECK(code.find("view=diagram") != std::string::npos);
    CHECK(code.find("diagram=blocks") != std::string::npos);
    REQUIRE(driver.click("both"));
    REQUIRE(driver.click("a graph"));
    REQUIRE(driver.click("Copy embed code##dialog"));
    code = driver.copied.back();
    CHECK(code.find("view=both") != std::string::npos);
    CHECK(code.find("diagram=") == std::string::npos); // the graph is the default: not written
    REQUIRE(driver.click("the table"));
    REQUIRE(driver.click("Copy embed code##dialog"));
    CHECK(driver.copied.back().find("view=") == std::string::npos);
    check_clean(driver);
}

TEST_CASE("Edit > Check a table: seed 001's published table, typed in, shows its five wrong counts") {
    // Seed 001's network and the table its article prints (shapes right; the counts leave out the
    // input channels or give a layer one bias: (5·5·3 + 1)·8 = 608 is printed as 208, and so on).
    UiDriver driver("ns1;keras;32x32x3/CONV1=conv2d(8,5)/POOL1=maxpool2d(2)/CONV2=conv2d(16,5)/POOL2=maxpool2d(2)/"
                    "flatten/FC3=linear(120)/FC4=linear(84)/Softmax=linear(10)+softmax");
    driver.resize(1280, 800);
    REQUIRE(driver.click("Edit"));
    REQUIRE(driver.click("Check a table..."));
    REQUIRE(driver.ui.check_dialog_open);
    REQUIRE(driver.click("##table to check"));
    driver.type("CONV1  (28,28,8)  208\nPOOL1  (14,14,8)  0\nFC3  (120,1)  48,001\n");
    driver.frames(2);
    bool summary = false, conv1 = false, fc3 = false;
    for (const ui::DrawnText& text : ui::drawn_texts()) {
        summary = summary || text.text == "2 of 6 cells wrong.";
        conv1 = conv1 || text.text.starts_with("wrong: params 208. It is 608: the input channels left out");
        fc3 = fc3 || text.text.starts_with("wrong: params 48,001. It is 48,120: one bias for the whole layer");
    }
    CHECK(summary);
    CHECK(conv1);
    CHECK(fc3);
    // The design is not touched by a check; Escape closes the dialog.
    CHECK(driver.state.undo_stack.empty());
    driver.key(netshape::testing::kKeyEscape);
    CHECK_FALSE(driver.ui.check_dialog_open);
    check_clean(driver);
}

// The presets with learnable tensors and tied weights open in the app and their layers' fields
// show: ViT-B/16's class token (a layer that reads nothing), GPT-2's head tied to wte.
TEST_CASE("learnable tensors and tied weights open in the editor") {
    struct Case {
        const char* file;
        const char* layer;
        int64_t total; // torchvision's / Hugging Face's counts (presets_test.cpp)
    };
    for (const Case& preset_case : {Case{"vit_b_16.ns", "cls", 86'567'656}, Case{"gpt2.ns", "linear_1", 124'439'808}}) {
        INFO(preset_case.file);
        UiDriver driver(preset(preset_case.file), "?editor");
        REQUIRE(driver.state.analysis.ok());
        CHECK(driver.state.analysis.total_params == preset_case.total);
        REQUIRE(driver.click(preset_case.layer)); // its summary row
        driver.frames(2);
        CHECK(driver.find("##inputs"));
        check_clean(driver);
    }
}

TEST_CASE("wrapped text breaks at blanks only: a number with separators or a decimal point stays on one line") {
    // Every character one unit wide (UTF-8 continuation bytes add nothing), so widths are counts.
    const auto characters = [](std::string_view piece) {
        return static_cast<float>(std::count_if(piece.begin(), piece.end(), [](char c) {
            return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
        }));
    };
    // "Total MACs: 1,814,073,344" is 25 wide; adding " (FLOPs" makes 32 > 30. "(FLOPs = 2·MACs ="
    // is 17; adding " 3,628,146,688)" makes 32. ImGui 1.86 would break after "3,628," instead.
    CHECK(ui::broken_at_blanks("Total MACs: 1,814,073,344 (FLOPs = 2·MACs = 3,628,146,688)", 30, characters) ==
          "Total MACs: 1,814,073,344\n(FLOPs = 2·MACs =\n3,628,146,688)");
    // "23.38 MB (fp16/bf16), 11.69 MB (int8)": 21 wide up to the comma; " 11.69" would make 27 > 24.
    CHECK(ui::broken_at_blanks("23.38 MB (fp16/bf16), 11.69 MB (int8)", 24, characters) ==
          "23.38 MB (fp16/bf16),\n11.69 MB (int8)");
    CHECK(ui::broken_at_blanks("    = 9,248", 20, characters) == "    = 9,248"); // an indent that fits stays
    CHECK(ui::broken_at_blanks("a  b\nc d", 4, characters) == "a  b\nc d");    // blanks inside a line stay
    CHECK(ui::broken_at_blanks("abcdefgh", 3, characters) == "abc\ndef\ngh");  // no line can hold it: cut
    CHECK(ui::broken_at_blanks("ab ·····", 3, characters) == "ab\n···\n··");    // cut between characters
    CHECK(ui::broken_at_blanks("", 10, characters).empty());
}

TEST_CASE("Delete in the layer list keeps the block uses it does not touch, a field typed inside a use writes that use out") {
    const std::string head = "ns1;3x32x32;cbr(c,s)=(conv2d(c,3,stride=s,padding=1)/batchnorm2d/relu)";
    UiDriver driver(head + "/cbr(32,1)/cbr(64,2)/flatten/linear(10)");
    REQUIRE(driver.click("linear_1")); // its summary row
    driver.key(netshape::testing::kKeyDelete);
    CHECK(driver.link_text() == head + "/cbr(32,1)/cbr(64,2)/flatten");
    check_clean(driver);
    // The second use's convolution: stride 2 → 3 in its box (Backspace, then 3).
    REQUIRE(driver.click("conv2d_2"));
    REQUIRE(driver.click("##stride"));
    driver.key(netshape::testing::kKeyEnd);
    driver.key(netshape::testing::kKeyBackspace);
    driver.type("3");
    CHECK(driver.link_text() == head + "/cbr(32,1)/conv2d(64,3,stride=3,padding=1)/batchnorm2d/relu/flatten");
    check_clean(driver);
}
