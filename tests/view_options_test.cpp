// The page's view options (query string) and the embed code a teacher copies.
#include <catch2/catch.hpp>

#include "view_options.h"
#include "wheel.h"

using namespace netshape::app;

TEST_CASE("view options: the default page is the full editor", "[view]") {
    ViewOptions options = parse_view_options("");
    CHECK_FALSE(options.embed);
    CHECK_FALSE(options.dark);
    CHECK(view_query(options).empty());
}

TEST_CASE("view options: what a teacher writes in the link", "[view]") {
    ViewOptions options = parse_view_options("?embed&hide=macs,trainable&theme=light&utm_source=course");
    CHECK(options.embed);
    CHECK_FALSE(options.allow_edit); // read-only unless asked
    CHECK(options.hides("macs"));
    CHECK(options.hides("trainable"));
    CHECK_FALSE(options.hides("params"));
    REQUIRE(options.dark);
    CHECK_FALSE(*options.dark);
    CHECK(options.ignored == std::vector<std::string>{"utm_source=course"});
    CHECK(view_query(options) == "?embed&hide=macs,trainable&theme=light");

    CHECK(parse_view_options("embed&edit").allow_edit);
    ViewOptions editor = parse_view_options("embed&editor");
    CHECK(editor.show_editor);
    CHECK(editor.allow_edit);
    CHECK(parse_view_options("hide=%6Dacs").hides("macs")); // percent-escaped by a mailer
    CHECK(parse_view_options("hide=colour").ignored == std::vector<std::string>{"hide=colour"});
}

TEST_CASE("view options: view=diagram and view=both choose what the summary side shows", "[view]") {
    CHECK(parse_view_options("").panes == SummaryPanes::table);
    const ViewOptions diagram = parse_view_options("?embed&view=diagram");
    CHECK(diagram.panes == SummaryPanes::diagram);
    CHECK(view_query(diagram) == "?embed&view=diagram");
    const ViewOptions both = parse_view_options("view=both&theme=dark");
    CHECK(both.panes == SummaryPanes::both);
    CHECK(view_query(both) == "?view=both&theme=dark");
    CHECK(parse_view_options("view=table").panes == SummaryPanes::table);
    CHECK(view_query(parse_view_options("view=table")).empty()); // the default is not written
    CHECK(parse_view_options("view=picture").ignored == std::vector<std::string>{"view=picture"});
}

TEST_CASE("view options: diagram=blocks chooses the diagram's blocks style", "[view]") {
    CHECK(parse_view_options("").diagram_style == DiagramStyle::graph);
    const ViewOptions blocks = parse_view_options("?embed&view=diagram&diagram=blocks");
    CHECK(blocks.diagram_style == DiagramStyle::blocks);
    CHECK(view_query(blocks) == "?embed&view=diagram&diagram=blocks");
    CHECK(parse_view_options("diagram=graph").diagram_style == DiagramStyle::graph);
    CHECK(view_query(parse_view_options("diagram=graph")).empty()); // the default is not written
    CHECK(parse_view_options("diagram=bars").ignored == std::vector<std::string>{"diagram=bars"});
}

TEST_CASE("view options: embed code", "[view]") {
    const std::string code = embed_code("https://example.org/netshape/", parse_view_options("hide=macs"),
                                        "ns1;'A~B';10/linear(2)", "A <b>net</b>");
    CHECK(code.find("<iframe src=\"https://example.org/netshape/?embed&amp;hide=macs#ns1;&#39;A~B&#39;;10/linear(2)\"") == 0);
    CHECK(code.find("title=\"netshape: A &lt;b&gt;net&lt;/b&gt;\"") != std::string::npos);
    CHECK(code.find("netshape:height") != std::string::npos); // the resize script
    // Without the script (a platform that strips it) the frame keeps its height: 420 CSS px unless
    // the embed options chose another, within 160 (a title and two rows) and 4000.
    CHECK(code.find("style=\"width:100%;height:420px;border:0\"") != std::string::npos);
    const auto height_of = [](int height) { return embed_code("https://e.org/", {}, "ns1;4/relu", "", height); };
    CHECK(height_of(640).find("height:640px;") != std::string::npos);
    CHECK(height_of(10).find("height:160px;") != std::string::npos);
    CHECK(height_of(1 << 30).find("height:4000px;") != std::string::npos);
    // The theme chosen for the embed travels in its query.
    ViewOptions light;
    light.dark = false;
    CHECK(embed_code("https://e.org/", light, "ns1;4/relu", "").find("<iframe src=\"https://e.org/?embed&amp;theme=light#") == 0);
}

TEST_CASE("the wheel scrolls as the page would: direction and distance", "[wheel]") {
    using namespace netshape::app;
    WheelMetrics metrics; // a 15 px font, 21 px rows, ratio 1
    metrics.font_size = 15;
    metrics.line_height = 21;
    // Line mode: a notch is 3 lines (the browsers' default), down: ImGui's wheel is positive up
    // and scrolls 5 font heights a unit, so 3·21 px down is −63/75.
    ImGuiWheel notch = imgui_wheel({0, 3, WheelDeltaMode::lines, false}, metrics);
    CHECK(notch.vertical == Approx(-63.0 / 75.0));
    CHECK(notch.vertical * -kImGuiVerticalStepFonts * metrics.font_size == Approx(3 * 21)); // 3 rows
    // Pixel mode (Chrome: 100 CSS px a notch; trackpads: small steps) is proportional, and a
    // 2× screen has twice the display pixels for the same CSS distance.
    CHECK(imgui_wheel({0, 100, WheelDeltaMode::pixels, false}, metrics).vertical == Approx(-100.0 / 75.0));
    CHECK(imgui_wheel({0, -4, WheelDeltaMode::pixels, false}, metrics).vertical == Approx(4.0 / 75.0));
    metrics.pixel_ratio = 2;
    metrics.font_size = 30;
    CHECK(imgui_wheel({0, 100, WheelDeltaMode::pixels, false}, metrics).vertical == Approx(-200.0 / 150.0));
    metrics.pixel_ratio = 1;
    metrics.font_size = 15;
    // Sideways: deltaX right is ImGui's negative horizontal (2 font heights a unit); Shift turns
    // the vertical wheel sideways (ImGui reads its vertical amount then), except on macOS.
    CHECK(imgui_wheel({30, 0, WheelDeltaMode::pixels, false}, metrics).horizontal == Approx(-1.0));
    ImGuiWheel shifted = imgui_wheel({0, 30, WheelDeltaMode::pixels, true}, metrics);
    CHECK(shifted.vertical == Approx(-1.0));
    CHECK(shifted.horizontal == 0);
    metrics.mac = true;
    CHECK(imgui_wheel({0, 30, WheelDeltaMode::pixels, true}, metrics).vertical == Approx(-30.0 / 75.0));
    // Page mode: a page is the canvas's height.
    metrics.mac = false;
    metrics.page_height = 600;
    CHECK(imgui_wheel({0, 1, WheelDeltaMode::pages, false}, metrics).vertical == Approx(-600.0 / 75.0));
}
