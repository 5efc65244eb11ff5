// Exercises in the ImGui front end (web/ui_quiz.cpp), driven natively as a student uses them:
// answers typed into the summary's boxes, the hints, "Show working", and what stays hidden; and
// Share > Exercise…, which builds the link. Seed 000's network (assets/examples/lasagne_mnist.json,
// the Lasagne MNIST network): conv2d2 is a 3x3 conv from 32 to 32 channels on [32, 12, 12]
// (28 − 5 + 1 = 24, pooled by 2), so its output is 12 − 3 + 1 = 10 a side, [32, 10, 10], and it
// has (3·3·32 + 1)·32 = 9,248 parameters; dense reads 32·5·5 = 800 values: (800 + 1)·256 = 205,056.
#include "ui_driver.h"

#include "engine/answers.h"
#include "engine/text.h"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

using namespace netshape;
using netshape::testing::Modifiers;
using netshape::testing::UiDriver;

namespace {

constexpr size_t kConv2 = 2; // conv2d2's index: the third layer
const int64_t kConv2Params = (3 * 3 * 32 + 1) * 32;
const int64_t kDenseParams = (32 * 5 * 5 + 1) * 256;

std::string lasagne() {
    std::ifstream in(std::string(NETSHAPE_EXAMPLES_DIR) + "/lasagne_mnist.json");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool drawn(const std::string& wanted) {
    for (const ui::DrawnText& text : ui::drawn_texts())
        if (text.text == wanted && text.whole) return true;
    return false;
}

// A drawn text holding `part`, or "".
std::string drawn_containing(const std::string& part) {
    for (const ui::DrawnText& text : ui::drawn_texts())
        if (text.text.find(part) != std::string::npos) return text.text;
    return {};
}

// Replaces what the box holds with `answer`, as a person selects all and types.
void answer(UiDriver& driver, const std::string& box, const std::string& text) {
    REQUIRE(driver.click(box));
    driver.key('A', Modifiers{.ctrl = true});
    driver.key(netshape::testing::kKeyBackspace);
    driver.type(text);
}

void check_no_assertions() {
    for (const std::string& assertion : netshape::testing::imgui_assertions()) FAIL_CHECK("ImGui: " << assertion);
    netshape::testing::imgui_assertions().clear();
}

} // namespace

TEST_CASE("an exercise hides its values, checks typed answers, hints at the slip and shows the working") {
    UiDriver driver(lasagne(), "?quiz=shape,params");
    driver.resize(1280, 800);
    const std::string link_before = driver.link_text();
    CHECK(drawn("0 of 14 right")); // 7 layers, a shape and a count each
    REQUIRE(driver.find("##shape:conv2d2") != nullptr);
    REQUIRE(driver.find("##params:conv2d2") != nullptr);
    // Nothing on screen gives an answer away: no cell, total or working line.
    REQUIRE(driver.click("conv2d2")); // its row: selected, its working pane waits
    for (const std::string& value : {"9,248", "9248", "[32, 10, 10]", "217,706", "205,056"}) {
        INFO(value);
        CHECK(drawn_containing(value).empty());
    }
    CHECK_FALSE(drawn_containing("working shows once").empty());

    // The bias left out: 3·3·32·32 = 9,216. The hint under the progress is the engine's first slip.
    answer(driver, "##params:conv2d2", std::to_string(3 * 3 * 32 * 32));
    const AnswerCheck bias = check_params_answer(driver.state.design, driver.state.analysis, kConv2, "9216");
    CHECK(bias.verdict == AnswerVerdict::wrong);
    REQUIRE_FALSE(bias.slips.empty());
    CHECK_THAT(drawn_containing("conv2d2 params: "), Catch::StartsWith("conv2d2 params: bias left out"));
    CHECK_THAT(drawn_containing("conv2d2 params: "), !Catch::Contains("9,248"));
    CHECK(drawn("✗"));
    CHECK(drawn("0 of 14 right"));

    answer(driver, "##params:conv2d2", "9,248");
    CHECK(drawn("1 of 14 right"));
    CHECK(drawn("✓"));
    CHECK(drawn_containing("conv2d2 params:").empty()); // a right answer needs no hint

    // Shapes: a size one short (the + 1 of the formula forgotten), one too many, channels last.
    for (const std::string& wrong : {"[32, 9, 9]", "[32, 11, 11]", "10x10x32"}) {
        INFO(wrong);
        answer(driver, "##shape:conv2d2", wrong);
        const AnswerCheck check = check_shape_answer(driver.state.design, driver.state.analysis, kConv2, wrong);
        CHECK(check.verdict == AnswerVerdict::wrong);
        REQUIRE_FALSE(check.slips.empty());
        // The hint starts with the name of the engine's first slip (web/quiz.h, feedback).
        CHECK_THAT(drawn_containing("conv2d2 shape: "),
                   Catch::StartsWith("conv2d2 shape: " + check.slips.front().substr(0, check.slips.front().find(": "))));
    }
    CHECK_THAT(drawn_containing("conv2d2 shape:"), Catch::Contains("channels last"));
    answer(driver, "##shape:conv2d2", "ten");
    CHECK_THAT(drawn_containing("conv2d2 shape:"), Catch::StartsWith("conv2d2 shape: Write a shape, like 32x10x10"));

    // Show working: the right value in the cell and the layer's working in its pane. The working
    // starts from maxpool1's shape, [32, 12, 12], which is shown too.
    REQUIRE(driver.click("Show working##conv2d2:shape"));
    CHECK(driver.ui.selected == kConv2);
    CHECK(drawn("1 of 14 right, 2 shown"));
    CHECK(drawn("[32, 12, 12]"));
    CHECK(drawn("[32, 10, 10]"));
    // The working ends each formula on its own line: H_out = … = 10, params = … = 9,248.
    CHECK(drawn("= " + std::to_string(12 - 3 + 1)));
    CHECK_FALSE(drawn_containing("(3·3·32 + 1)·32").empty());

    // The answers stay in the page: the design and its link are as they were, and so is Copy link.
    CHECK(driver.link_text() == link_before);
    REQUIRE(driver.click("Share"));
    REQUIRE(driver.click("Copy link"));
    REQUIRE_FALSE(driver.copied.empty());
    CHECK(driver.copied.back() == "https://netshape.test/#" + link_before);
    // A checked table would show right values: Edit > Check a table… waits for the exercise.
    driver.key(netshape::testing::kKeyEscape);
    REQUIRE(driver.click("Edit"));
    driver.click("Check a table...");
    CHECK_FALSE(driver.ui.check_dialog_open);
    check_no_assertions();
}

TEST_CASE("an exercise at a phone's width: the boxes fit and take answers") {
    UiDriver driver(lasagne(), "?quiz=shape,params&layers=dense");
    driver.resize(390, 844);
    REQUIRE(driver.ui.narrow);
    CHECK(drawn("0 of 2 right"));
    answer(driver, "##params:dense", std::to_string(kDenseParams));
    answer(driver, "##shape:dense", "256");
    CHECK(drawn("2 of 2 right"));
    // Every answer right: the totals show again. Seed 000: 217,706 parameters.
    CHECK(drawn("Total params: 217,706"));
    for (const ui::DrawnText& text : ui::drawn_texts()) CHECK(text.x + text.w <= 390.5f);
    for (const char* box : {"##params:dense", "##shape:dense"}) CHECK(driver.find(box)->x + driver.find(box)->w <= 390.5f);
    check_no_assertions();
}

TEST_CASE("an embedded exercise shows the working in place, having no working pane") {
    UiDriver driver(lasagne(), "?embed&quiz=params&layers=3");
    driver.resize(720, 1000); // the frame a page sizes to the content (the working is shown above the table)
    CHECK(drawn("0 of 1 right"));
    CHECK(driver.find("##shape:conv2d2") == nullptr); // params only
    answer(driver, "##params:conv2d2", "1");
    REQUIRE(driver.click("Show working##conv2d2:params"));
    CHECK(drawn(with_thousands(kConv2Params)));
    CHECK_FALSE(drawn_containing("(3·3·32 + 1)·32").empty());
    check_no_assertions();
}

TEST_CASE("Share > Exercise builds the link: the cells chosen and the layers ticked, never an answer") {
    UiDriver driver(lasagne());
    driver.resize(1280, 800);
    REQUIRE(driver.click("Share"));
    REQUIRE(driver.click("Exercise..."));
    REQUIRE(driver.ui.exercise_dialog_open);
    REQUIRE(driver.click("output shapes")); // unticked: parameter counts only
    REQUIRE(driver.click("the layers ticked"));
    REQUIRE(driver.click("3  conv2d2 (Conv2d) + relu##exercise"));
    REQUIRE(driver.click("6  dense (Linear) + relu##exercise"));
    REQUIRE(driver.click("Copy link##exercise"));
    REQUIRE_FALSE(driver.copied.empty());
    const std::string link = driver.copied.back();
    CHECK(link == "https://netshape.test/?quiz=params&layers=3,6#" + driver.link_text());
    driver.key(netshape::testing::kKeyEscape);
    CHECK_FALSE(driver.ui.exercise_dialog_open);

    // The link opens the exercise: two boxes, conv2d2's and dense's counts.
    UiDriver student(lasagne(), link.substr(link.find('?'), link.find('#') - link.find('?')));
    student.resize(1280, 800);
    CHECK(drawn("0 of 2 right"));
    CHECK(student.find("##params:conv2d2") != nullptr);
    CHECK(student.find("##params:dense") != nullptr);
    CHECK(student.find("##params:output") == nullptr);
    check_no_assertions();
}
