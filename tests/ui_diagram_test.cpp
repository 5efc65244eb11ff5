// The diagram tab of the ImGui front end, driven natively (tests/ui_driver.h): the same layers
// as the design, a click on a box selects that layer for the table and the working, a selection
// made elsewhere brings its box into view, Fit to view, Ctrl+wheel zoom about the pointer, a
// repeat expanded by its label, ?view=diagram and ?view=both, and no diagram in an exercise.
#include "ui_driver.h"

#include "engine/link_text.h"
#include "engine/text.h"

#include <catch2/catch.hpp>
#include <imgui.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace netshape;
using netshape::testing::UiDriver;

namespace {

const char* kSeed000 = "ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/conv2d(32,3)+relu/maxpool2d(2)/flatten/"
                       "linear(256)+relu/linear(10)+softmax";

std::string read_preset(const std::string& file_name) {
    std::ifstream file(std::filesystem::path(NETSHAPE_PRESETS_DIR) / file_name, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

// The box drawn for a layer: the text its title was recorded with (class and name).
const ui::DrawnText* box_titled(std::string_view title) {
    for (const ui::DrawnText& text : ui::drawn_texts())
        if (text.text == title) return &text;
    return nullptr;
}

void check_no_assertions() {
    for (const std::string& assertion : netshape::testing::imgui_assertions()) FAIL_CHECK("ImGui: " << assertion);
    netshape::testing::imgui_assertions().clear();
}

} // namespace

TEST_CASE("the Diagram tab draws a box per layer, and a click on one selects that layer in the table") {
    UiDriver driver(kSeed000);
    driver.resize(1280, 800);
    CHECK(driver.find("diagram canvas") == nullptr); // the table's tab is the first
    REQUIRE(driver.click("Diagram"));
    driver.frames(2);
    REQUIRE(driver.find("diagram canvas") != nullptr);
    // Seed 000: the input and seven layers, a chain, fitted to the pane's width.
    const Diagram& diagram = driver.ui.diagram.layout;
    CHECK(diagram.nodes.size() == 8);
    CHECK(diagram.edges.size() == 7);
    for (const LayerResult& layer : driver.state.analysis.layers)
        CHECK(diagram.nodes[diagram.node_of_layer[layer.index]].title == cat(layer.class_name, " ", layer.name));

    // conv2d_2's box is on screen; a click in it selects conv2d_2 (index 2), as a click on its row does.
    const ui::DrawnText* box = box_titled("Conv2d conv2d_2");
    REQUIRE(box != nullptr);
    driver.click_at(box->x + box->w / 2, box->y + box->h / 2);
    driver.frames(2);
    REQUIRE(driver.ui.selected);
    CHECK(*driver.ui.selected == 2);
    CHECK(driver.state.analysis.layers[2].name == "conv2d_2");
    // The working pane beside it shows conv2d_2's: the seed's (3·3·32 + 1)·32 = 9,248.
    bool working_shown = false;
    for (const ui::DrawnText& text : ui::drawn_texts())
        working_shown = working_shown || text.text.find("= 9,248") != std::string::npos;
    CHECK(working_shown);
    // Back in the table, the row selected is the same layer.
    REQUIRE(driver.click("Table"));
    driver.frames(2);
    CHECK(*driver.ui.selected == 2);
    check_no_assertions();
}

TEST_CASE("a layer selected in the table is brought into view in the diagram, and Fit to view shows the whole") {
    UiDriver driver(read_preset("resnet50.ns"));
    driver.resize(1280, 800);
    REQUIRE(driver.click("Diagram"));
    driver.frames(3);
    const ui::DrawnItem* fit = driver.find("Fit to view");
    REQUIRE(fit != nullptr);
    const float pane_top = fit->y + fit->h;
    const size_t last = driver.state.analysis.layers.size() - 1;
    const std::string last_title = cat("Linear ", driver.state.analysis.layers[last].name);
    CHECK(box_titled(last_title) == nullptr); // ResNet-50 is deep: its classifier is far below

    driver.ui.selected = last; // as a click on its row, or the keyboard in the list, sets it
    driver.frames(3);
    const ui::DrawnText* box = box_titled(last_title);
    REQUIRE(box != nullptr);
    CHECK(box->whole);
    CHECK(box->y >= pane_top);
    CHECK(box->y + box->h <= 800);

    // Fit to view: the whole diagram within the pane, every box drawn.
    REQUIRE(driver.click("Fit to view"));
    driver.frames(3);
    const ui::DrawnItem* canvas = driver.find("diagram canvas");
    REQUIRE(canvas != nullptr);
    const ui::DiagramView& view = driver.ui.diagram;
    CHECK(view.layout.height * view.zoom <= 800 - pane_top);
    CHECK(view.layout.width * view.zoom <= 1280);
    check_no_assertions();
}

TEST_CASE("Ctrl+wheel zooms the diagram about the pointer, two fingers about their midpoint") {
    // U-Net is wider than the pane once zoomed in, so the view can move to keep the point.
    UiDriver driver(read_preset("unet.ns"));
    driver.resize(1280, 800);
    REQUIRE(driver.click("Diagram"));
    driver.frames(2);
    const ui::DrawnText* before = box_titled("Conv2d conv2d_1");
    REQUIRE(before != nullptr);
    const float x = before->x + before->w / 2, y = before->y + before->h / 2, width = before->w;
    const float zoom = driver.ui.diagram.zoom;
    SECTION("Ctrl+wheel") {
        driver.move_to(x, y);
        driver.frame();
        REQUIRE(driver.ui.diagram.hovered); // what the glue asks before it hands a pinch over
        driver.ui.diagram.zoom_wheel = 2.0f; // as the glue gives it: two notches of Ctrl+wheel
        driver.frames(3);
        CHECK(driver.ui.diagram.zoom == Approx(zoom * 1.15f * 1.15f));
        const ui::DrawnText* after = box_titled("Conv2d conv2d_1");
        REQUIRE(after != nullptr);
        CHECK(after->w == Approx(width * 1.15f * 1.15f).epsilon(0.02));
        // The point under the pointer stayed there: the box's centre is still at the pointer.
        CHECK(after->x + after->w / 2 == Approx(x).margin(2.0));
        CHECK(after->y + after->h / 2 == Approx(y).margin(2.0));
    }
    SECTION("two fingers zoom it and pan it") {
        REQUIRE(driver.ui.diagram.covers({x, y})); // what the glue asks before it takes a pinch
        CHECK_FALSE(driver.ui.diagram.covers({x, 5.0f})); // the menu bar is not the diagram
        // Fingers 40 px either side of the box's centre spread to 80 px: twice the size about the centre.
        app::TwoFingerPinch pinch;
        pinch.start({x - 40, y}, {x + 40, y});
        driver.ui.diagram.pinch = pinch.move({x - 80, y}, {x + 80, y});
        driver.frames(3);
        CHECK(driver.ui.diagram.zoom == Approx(zoom * 2));
        REQUIRE(box_titled("Conv2d conv2d_1") != nullptr);
        const ui::DrawnText zoomed = *box_titled("Conv2d conv2d_1"); // a copy: the next frame draws anew
        CHECK(zoomed.w == Approx(width * 2).epsilon(0.02));
        CHECK(zoomed.x + zoomed.w / 2 == Approx(x).margin(2.0));
        CHECK(zoomed.y + zoomed.h / 2 == Approx(y).margin(2.0));
        // Both fingers 100 px up: the picture goes up with them, no zoom. (The box's bottom edge is
        // compared: its top may now be cut by the pane's, and a text's rectangle is what shows.)
        driver.ui.diagram.pinch = pinch.move({x - 80, y - 100}, {x + 80, y - 100});
        driver.frames(3);
        CHECK(driver.ui.diagram.zoom == Approx(zoom * 2));
        const ui::DrawnText* panned = box_titled("Conv2d conv2d_1");
        REQUIRE(panned != nullptr);
        CHECK(panned->y + panned->h == Approx(zoomed.y + zoomed.h - 100).margin(2.0));
        // With the table's tab open, two fingers there are the page's pinch again.
        REQUIRE(driver.click("Table"));
        driver.frames(2);
        CHECK_FALSE(driver.ui.diagram.covers({x, y}));
    }
    check_no_assertions();
}

TEST_CASE("a repeated block is drawn once with its count, and its label expands it") {
    // Three identical linear(32)+relu layers in a row after the first.
    UiDriver driver("ns1;16/linear(32)+relu/linear(32)+relu/linear(32)+relu/linear(32)+relu/linear(10)");
    driver.resize(1280, 800);
    REQUIRE(driver.click("Diagram"));
    driver.frames(2);
    REQUIRE(driver.ui.diagram.layout.repeats.size() == 1);
    const DiagramRepeat repeat = driver.ui.diagram.layout.repeats[0];
    CHECK(repeat.count == 3);
    CHECK(driver.ui.diagram.layout.nodes.size() == 1 + 5 - 2);
    CHECK(box_titled("Linear linear_3") == nullptr); // the third copy is not drawn
    // Its label sits at the frame's top-left corner.
    const ui::DrawnItem* canvas = driver.find("diagram canvas");
    REQUIRE(canvas != nullptr);
    const float zoom = driver.ui.diagram.zoom;
    driver.click_at(canvas->x + (repeat.frame.x + 10) * zoom, canvas->y + (repeat.frame.y + 4) * zoom);
    driver.frames(3);
    CHECK(driver.ui.diagram.layout.nodes.size() == 1 + 5);
    CHECK(driver.ui.diagram.layout.repeats[0].expanded);
    CHECK(box_titled("Linear linear_3") != nullptr);
    check_no_assertions();
}

TEST_CASE("Share > Download diagram (.svg) offers the picture as a file") {
    UiDriver driver(kSeed000);
    driver.resize(1280, 800);
    REQUIRE(driver.click("Share"));
    REQUIRE(driver.click("Download diagram (.svg)"));
    REQUIRE(driver.downloaded.size() == 1);
    CHECK(driver.downloaded.back() == "network.svg"); // the design has no name
    // An SVG with every layer's shape: seed 000's 28 − 5 + 1 = 24, pooled to 12, 12 − 3 + 1 = 10,
    // pooled to 5, 32·5·5 = 800 values, then 256 and 10.
    const std::string& svg = driver.downloaded_content.back();
    CHECK(svg.starts_with("<?xml"));
    for (const char* shape : {"[32, 24, 24]", "[32, 12, 12]", "[32, 10, 10]", "[32, 5, 5]", "[800]", "[256]", "[10]"})
        CHECK(svg.find(cat(">", shape, "</text>")) != std::string::npos);
    check_no_assertions();
}

TEST_CASE("?view=diagram opens the diagram, ?embed&view=both shows table and diagram, an exercise none") {
    {
        UiDriver driver(kSeed000, "?view=diagram");
        driver.resize(1280, 800);
        driver.frames(2);
        CHECK(driver.find("diagram canvas") != nullptr);
        CHECK(box_titled("Conv2d conv2d_1") != nullptr);
    }
    {
        UiDriver driver(kSeed000, "?embed&view=both");
        driver.resize(900, 900);
        driver.frames(2);
        CHECK(driver.find("diagram canvas") != nullptr);
        CHECK(driver.find("conv2d_1") != nullptr); // the table's row
    }
    {
        UiDriver driver(kSeed000, "?embed&view=diagram");
        driver.resize(900, 700);
        driver.frames(2);
        CHECK(driver.find("diagram canvas") != nullptr);
        CHECK(driver.find("conv2d_1") == nullptr); // no table
    }
    {
        // Its boxes would show the shapes the exercise asks for.
        UiDriver driver(kSeed000, "?quiz=shape&view=diagram");
        driver.resize(1280, 800);
        driver.frames(2);
        CHECK(driver.find("Diagram") == nullptr);
        CHECK(driver.find("diagram canvas") == nullptr);
    }
    {
        // A phone: the Diagram tab beside Summary, Working and Editor.
        UiDriver driver(kSeed000);
        driver.resize(390 * 3, 844 * 3);
        driver.ui.fonts.scale = 3.0f;
        driver.frames(2);
        REQUIRE(driver.click("Diagram"));
        driver.frames(2);
        CHECK(driver.find("diagram canvas") != nullptr);
    }
    check_no_assertions();
}

namespace {

// The number in an SVG's width="…" or height="…" attribute.
float svg_attribute(const std::string& svg, const std::string& name) {
    const size_t at = svg.find(" " + name + "=\"");
    REQUIRE(at != std::string::npos);
    return std::stof(svg.substr(at + name.size() + 3));
}

} // namespace

TEST_CASE("Share > Download diagram (.png) hands the page the picture in the theme on screen, at twice its size") {
    UiDriver driver(kSeed000); // the driver's theme is dark
    driver.resize(1280, 800);
    REQUIRE(driver.click("Share"));
    REQUIRE(driver.click("Download diagram (.png)"));
    REQUIRE(driver.png_sizes.size() == 1);
    CHECK(driver.downloaded.back() == "network.png");
    const std::string dark_svg = driver.downloaded_content.back();
    // The dark theme's background (diagram_colours(true)), and no rule following the reader's setting.
    CHECK(dark_svg.find(".bg{fill:#1e1f24}") != std::string::npos);
    CHECK(dark_svg.find("prefers-color-scheme") == std::string::npos);
    // Twice the SVG's width and height (written with one decimal, hence the 1 px margin).
    CHECK(std::abs(driver.png_sizes.back().first - 2 * svg_attribute(dark_svg, "width")) <= 1.0f);
    CHECK(std::abs(driver.png_sizes.back().second - 2 * svg_attribute(dark_svg, "height")) <= 1.0f);

    // In the light theme, the light picture.
    REQUIRE(driver.click("View"));
    REQUIRE(driver.click("Dark theme"));
    driver.frames(2);
    REQUIRE(driver.click("Share"));
    REQUIRE(driver.click("Download diagram (.png)"));
    REQUIRE(driver.png_sizes.size() == 2);
    CHECK(driver.downloaded_content.back().find(".bg{fill:#ffffff}") != std::string::npos);
    check_no_assertions();
}

TEST_CASE("a PNG of the diagram is made at a size every browser can draw, or not at all") {
    // A small picture: twice its size.
    REQUIRE(ui::diagram_png_size(100, 50));
    CHECK(ui::diagram_png_size(100, 50)->width == 200);
    CHECK(ui::diagram_png_size(100, 50)->height == 100);
    // 800 × 20,000 (a deep network): 2× would be 64,000,000 pixels, over iOS Safari's 16,777,216;
    // the scale that fits is √(16,777,216 / 16,000,000) = 1.024: 819.2 × 20,480, rounded down.
    const auto deep = ui::diagram_png_size(800, 20000);
    REQUIRE(deep);
    CHECK(deep->width == 819);
    CHECK(deep->height == 20480);
    CHECK(static_cast<double>(deep->width) * deep->height <= 16777216.0);
    // 100 × 30,000: 2× is 60,000 pixels tall, over 32,767 a side; 32,767 / 30,000 ≈ 1.09 fits
    // (3,000,000 · 1.09² ≈ 3.6 million pixels is under the area limit).
    const auto tall = ui::diagram_png_size(100, 30000);
    REQUIRE(tall);
    CHECK(tall->height <= 32767);
    CHECK(tall->height >= 32766);
    // 10,000 × 100,000: √(16,777,216 / 10⁹) ≈ 0.13, under half size: unreadable, so none.
    CHECK_FALSE(ui::diagram_png_size(10000, 100000));
}

TEST_CASE("the blocks style: ?diagram=blocks draws LeNet-5's feature maps, and the switch goes back to the graph") {
    UiDriver driver(read_preset("lenet5.ns"), "?view=diagram&diagram=blocks");
    driver.resize(1280, 800);
    driver.frames(3);
    CHECK(driver.ui.diagram.blocks_unsuited.empty());
    // LeNet-5 (LeCun et al., 1998): the input, C1, S2, C3, S4, then the flattened 400 and three
    // vectors: nine blocks (each of the preset's eight layers changes the shape).
    CHECK(driver.ui.diagram.blocks.blocks.size() == 9);
    size_t blocks_on_screen = 0;
    for (const FeatureBlock& block : driver.ui.diagram.blocks.blocks)
        if (box_titled(block.title)) ++blocks_on_screen;
    CHECK(blocks_on_screen == 9);
    // Share's SVG is the blocks picture too: its kernels are labelled "5×5".
    REQUIRE(driver.click("Share"));
    REQUIRE(driver.click("Download diagram (.svg)"));
    CHECK(driver.downloaded_content.back().find(">5×5</text>") != std::string::npos);
    // The link keeps the style.
    CHECK(app::view_query(driver.ui.embed_choice).find("diagram=blocks") != std::string::npos);

    // The switch above the picture: the graph, a box per layer (the ReLUs too).
    REQUIRE(driver.click("Graph"));
    driver.frames(3);
    CHECK(driver.ui.view.diagram_style == app::DiagramStyle::graph);
    CHECK(driver.ui.diagram.layout.nodes.size() == 1 + driver.state.analysis.layers.size());
    CHECK(app::view_query(driver.ui.embed_choice).find("diagram=blocks") == std::string::npos);
    check_no_assertions();
}

TEST_CASE("the blocks style says why it does not suit a design of vectors, and the graph shows it") {
    UiDriver driver("ns1;784/linear(256)+relu/linear(10)", "?view=diagram&diagram=blocks");
    driver.resize(1280, 800);
    driver.frames(3);
    CHECK_FALSE(driver.ui.diagram.blocks_unsuited.empty());
    bool said = false;
    for (const ui::DrawnText& text : ui::drawn_texts())
        said = said || text.text.starts_with("Not as blocks: every tensor on the main path is a vector");
    CHECK(said);
    CHECK(box_titled("Linear linear_1") != nullptr); // the graph's box
    check_no_assertions();
}
