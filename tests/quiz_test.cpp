// Exercises: the query that turns summary cells into answer boxes (web/view_options.h) and the
// quiz's state (web/quiz.h): which cells, what counts as right, what stays hidden until then.
// Expected values are derived in the comments from the layers' formulas (seed 000, the Lasagne
// MNIST network: conv2d2 is a 3x3 conv from 32 to 32 channels on [32, 12, 12]).
#include <catch2/catch.hpp>

#include "quiz.h"
#include "view_options.h"

#include "engine/json_format.h"

#include <fstream>
#include <regex>
#include <sstream>

using namespace netshape;
using namespace netshape::app;

TEST_CASE("exercise query: quiz= and layers= are read and written back", "[quiz]") {
    ViewOptions both = parse_view_options("?quiz=shape,params");
    CHECK(both.quiz_shape);
    CHECK(both.quiz_params);
    CHECK(both.quiz_layers.empty()); // every layer
    CHECK(both.ignored.empty());
    CHECK(view_query(both) == "?quiz=shape,params");

    // The order a teacher writes them in does not matter; the link is written one way.
    ViewOptions narrowed = parse_view_options("embed&layers=3,dense&quiz=params,shape&theme=dark");
    CHECK(narrowed.embed);
    CHECK(narrowed.quiz_layers == std::vector<std::string>{"3", "dense"});
    CHECK(view_query(narrowed) == "?embed&quiz=shape,params&layers=3,dense&theme=dark");
    CHECK(view_query(parse_view_options(view_query(narrowed))) == view_query(narrowed));

    ViewOptions params_only = parse_view_options("quiz=params&layers=%33,3,,dense"); // %33 is "3"
    CHECK_FALSE(params_only.quiz_shape);
    CHECK(params_only.quiz_params);
    CHECK(params_only.quiz_layers == std::vector<std::string>{"3", "dense"}); // once each

    // A bare "quiz" is both kinds; unknown kinds are ignored (and reported), never fatal.
    CHECK(parse_view_options("quiz").quiz_shape);
    CHECK(parse_view_options("quiz").quiz_params);
    ViewOptions unknown = parse_view_options("quiz=macs,shape&utm_source=course");
    CHECK(unknown.quiz_shape);
    CHECK_FALSE(unknown.quiz_params);
    CHECK(unknown.ignored == std::vector<std::string>{"quiz=macs", "utm_source=course"});

    // layers= without an exercise narrows nothing: it is reported as not used.
    ViewOptions stray = parse_view_options("layers=2,3");
    CHECK_FALSE(stray.quiz());
    CHECK(stray.quiz_layers.empty());
    CHECK(stray.ignored == std::vector<std::string>{"layers=2,3"});
    CHECK(view_query(stray).empty());
}

TEST_CASE("exercise query: an embed code keeps the exercise", "[quiz]") {
    const std::string code = embed_code("https://e.org/", parse_view_options("quiz=shape&layers=3"), "ns1;4/relu", "");
    CHECK(code.find("<iframe src=\"https://e.org/?embed&amp;quiz=shape&amp;layers=3#ns1;4/relu\"") == 0);
}

// ---- the quiz's state over seed 000's network ----

namespace {

Architecture from_json(const std::string& text) {
    ReadResult read = read_architecture_json(text);
    REQUIRE_FALSE(read.error);
    return std::move(read.architecture);
}

std::string lasagne_json() {
    std::ifstream in(std::string(NETSHAPE_EXAMPLES_DIR) + "/lasagne_mnist.json");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

AppState lasagne() {
    AppState state = make_state({});
    set_design(state, from_json(lasagne_json()));
    return state;
}

size_t cell_index(const Quiz& quiz, size_t layer, QuizColumn column) {
    const QuizCell* cell = find_cell(quiz, layer, column);
    REQUIRE(cell != nullptr);
    return static_cast<size_t>(cell - quiz.cells.data());
}

// Seed 000 (layers numbered from 1 as the layer list shows them): 1 conv2d1 5x5, 1 → 32:
// 28 − 5 + 1 = 24, (5·5·1 + 1)·32 = 832; 2 maxpool1: 12; 3 conv2d2 3x3, 32 → 32: 12 − 3 + 1 = 10,
// (3·3·32 + 1)·32 = 9,248; 4 maxpool2: 5; 5 flatten: 32·5·5 = 800; 6 dense: (800 + 1)·256 =
// 205,056; 7 output: (256 + 1)·10 = 2,570.
constexpr size_t kConv2 = 2, kPool2 = 3, kDense = 5;
const std::string kConv2Shape = "[" + std::to_string(32) + ", " + std::to_string(12 - 3 + 1) + ", 10]";
constexpr int64_t kConv2Params = (3 * 3 * 32 + 1) * 32;

// Seed 000 with the exercise `query` asks for, which has conv2d2's two cells (and `cells` in all).
struct Conv2Quiz {
    AppState state = lasagne();
    Quiz quiz;
    size_t shape = 0, params = 0; // conv2d2's cells

    Conv2Quiz(std::string_view query, size_t cells) {
        sync_quiz(quiz, parse_view_options(query), state);
        REQUIRE(quiz.cells.size() == cells);
        shape = cell_index(quiz, kConv2, QuizColumn::shape);
        params = cell_index(quiz, kConv2, QuizColumn::params);
    }
};

} // namespace

TEST_CASE("quiz: the cells a query asks for, and layers that name nothing", "[quiz]") {
    const AppState state = lasagne();
    Quiz every;
    sync_quiz(every, parse_view_options("quiz=shape,params"), state);
    CHECK(every.cells.size() == 7 * 2);
    CHECK(progress_text(every) == "0 of 14 right");

    Quiz some;
    sync_quiz(some, parse_view_options("quiz=params&layers=3,dense,9,nothing"), state);
    REQUIRE(some.cells.size() == 2);
    CHECK(some.cells[0].layer == kConv2);
    CHECK(some.cells[0].column == QuizColumn::params);
    CHECK(some.cells[1].layer == kDense);
    CHECK(some.unmatched == std::vector<std::string>{"9", "nothing"}); // 7 layers; no such name
    CHECK(find_cell(some, kConv2, QuizColumn::shape) == nullptr);

    Quiz none;
    sync_quiz(none, parse_view_options("embed"), state);
    CHECK(none.cells.empty());
    CHECK_FALSE(any_open(none));
}

TEST_CASE("quiz: answers are checked as written, the way people write them", "[quiz]") {
    Conv2Quiz exercise("quiz=shape,params&layers=conv2d2,dense", 4);
    auto& [state, quiz, shape, params] = exercise;

    for (const std::string& written : {std::string("32x10x10"), kConv2Shape, std::string("(32, 10, 10)")}) {
        answer_cell(quiz, state, shape, written);
        CAPTURE(written);
        CHECK(quiz.cells[shape].right());
    }
    for (const std::string& written : {std::to_string(kConv2Params), std::string("9,248")}) {
        answer_cell(quiz, state, params, written);
        CAPTURE(written);
        CHECK(quiz.cells[params].right());
        CHECK(feedback(quiz.cells[params]).empty());
    }
    CHECK(progress_text(quiz) == "2 of 4 right");

    // The bias left out: 3·3·32·32 = 9,216. The hint is the engine's first slip, and it names the bias.
    answer_cell(quiz, state, params, std::to_string(3 * 3 * 32 * 32));
    CHECK(quiz.cells[params].check.verdict == AnswerVerdict::wrong);
    REQUIRE_FALSE(quiz.cells[params].check.slips.empty());
    CHECK_THAT(feedback(quiz.cells[params]), Catch::StartsWith("bias left out"));
    // The hint names the slip and keeps the right value hidden (the slip may go on to quote it).
    CHECK_THAT(feedback(quiz.cells[params]), !Catch::Contains("9,248") && !Catch::Contains("9248"));
    // With maxpool1's shape open too, only the slip's name: its working would start from [32, 12, 12].
    CHECK(feedback(quiz.cells[params], true) == "bias left out");
    // Shapes (conv2d2's is [32, 10, 10]): one short, one too many, channels last. Each hint starts
    // with the name of the engine's first slip and quotes no size of the right shape.
    for (const std::string& wrong : {std::string("[32, 9, 9]"), std::string("[32, 11, 11]"), std::string("10x10x32")}) {
        CAPTURE(wrong);
        answer_cell(quiz, state, shape, wrong);
        const AnswerCheck& check = quiz.cells[shape].check;
        CHECK(check.verdict == AnswerVerdict::wrong);
        REQUIRE_FALSE(check.slips.empty());
        const std::string said = feedback(quiz.cells[shape]);
        CHECK_THAT(said, Catch::StartsWith(check.slips.front().substr(0, check.slips.front().find(": "))));
        CHECK_FALSE(std::regex_search(said, std::regex("(^|[^0-9,])(10|32)([^0-9,]|$)")));
    }
    CHECK_THAT(feedback(quiz.cells[shape]), Catch::StartsWith("channels last"));
    answer_cell(quiz, state, shape, "32x10x10");
    // A number no known slip gives: a nudge to the formula.
    answer_cell(quiz, state, params, "12345");
    CHECK(quiz.cells[params].check.verdict == AnswerVerdict::wrong);
    if (quiz.cells[params].check.slips.empty()) CHECK(feedback(quiz.cells[params]) == "Not yet: check the formula");
    // Text that is no count says what was expected.
    answer_cell(quiz, state, params, "lots");
    CHECK(quiz.cells[params].check.verdict == AnswerVerdict::unreadable);
    CHECK_THAT(feedback(quiz.cells[params]), Catch::StartsWith("Write a whole number, like 9248 or 9,248"));
    answer_cell(quiz, state, shape, "ten by ten");
    CHECK_THAT(feedback(quiz.cells[shape]), Catch::StartsWith("Write a shape, like 32x10x10"));
    // An empty box is neither right nor a mistake.
    answer_cell(quiz, state, shape, "");
    CHECK(feedback(quiz.cells[shape]).empty());
    CHECK_FALSE(quiz.cells[shape].right());
    CHECK(progress_text(quiz) == "0 of 4 right");
}

TEST_CASE("quiz: open values stay hidden, in the row, the working and the totals", "[quiz]") {
    Conv2Quiz exercise("quiz=shape,params&layers=3", 2);
    auto& [state, quiz, shape, params] = exercise;
    const Analysis& analysis = state.analysis;
    CHECK(hides(quiz, kConv2, QuizColumn::shape));
    CHECK(hides(quiz, kConv2, QuizColumn::params));
    CHECK_FALSE(hides(quiz, kDense, QuizColumn::params)); // not quizzed
    // The layer's own working has both answers; maxpool2's starts from conv2d2's shape.
    CHECK(hides_working(quiz, analysis, kConv2));
    CHECK(hides_working(quiz, analysis, kPool2));
    CHECK_FALSE(hides_working(quiz, analysis, kDense));
    CHECK(hides_total(quiz, "Total params: 217,706"));
    CHECK(hides_total(quiz, "Output shape: [10]"));
    CHECK(hides_total(quiz, "Total MACs: 1,589,760 (FLOPs = 2·MACs = 3,179,520)"));
    CHECK_FALSE(hides_total(quiz, "Receptive field of the last layer: the whole input"));

    // The shape right: what follows from it shows; the counts still wait for the params.
    answer_cell(quiz, state, shape, "32x10x10");
    CHECK_FALSE(hides(quiz, kConv2, QuizColumn::shape));
    CHECK_FALSE(hides_working(quiz, analysis, kPool2));
    CHECK(hides_working(quiz, analysis, kConv2));
    CHECK_FALSE(hides_total(quiz, "Output shape: [10]"));
    CHECK(hides_total(quiz, "Trainable params: 217,706"));
    CHECK(hides_total(quiz, "Params size: 0.87 MB (fp32), 0.44 MB (fp16/bf16), 0.22 MB (int8)"));

    // "Show working" gives the layer's values away: its open cell is shown, not right.
    answer_cell(quiz, state, params, "9216");
    show_layer(quiz, analysis, kConv2);
    CHECK(quiz.cells[params].shown);
    CHECK_FALSE(quiz.cells[params].right());
    CHECK_FALSE(any_open(quiz));
    CHECK_FALSE(hides_working(quiz, analysis, kConv2));
    CHECK_FALSE(hides_total(quiz, "Total params: 217,706"));
    CHECK(progress_text(quiz) == "1 of 2 right, 1 shown");
}

TEST_CASE("quiz: a hint about a layer's input waits while that input's shape is open", "[quiz]") {
    // maxpool2 reads conv2d2's [32, 10, 10]; writing that shape for maxpool2 is taking the
    // input for the output, and saying so would tell conv2d2's answer.
    AppState state = lasagne();
    Quiz quiz;
    sync_quiz(quiz, parse_view_options("quiz=shape&layers=3,4"), state);
    const size_t conv2 = cell_index(quiz, kConv2, QuizColumn::shape), pool2 = cell_index(quiz, kPool2, QuizColumn::shape);
    answer_cell(quiz, state, pool2, "32x10x10");
    REQUIRE(quiz.cells[pool2].check.verdict == AnswerVerdict::wrong);
    CHECK(reads_open_shape(quiz, state.analysis, kPool2));
    CHECK(feedback(quiz.cells[pool2], true) == "Not yet: check the formula");
    answer_cell(quiz, state, conv2, "32x10x10");
    CHECK_FALSE(reads_open_shape(quiz, state.analysis, kPool2));
    CHECK_THAT(feedback(quiz.cells[pool2], false), Catch::Contains("input"));
}

TEST_CASE("quiz: a changed design checks the answers again, by layer name", "[quiz]") {
    AppState state = lasagne();
    const ViewOptions view = parse_view_options("quiz=shape,params&layers=conv2d2");
    Quiz quiz;
    sync_quiz(quiz, view, state);
    answer_cell(quiz, state, cell_index(quiz, kConv2, QuizColumn::shape), "32x10x10");
    answer_cell(quiz, state, cell_index(quiz, kConv2, QuizColumn::params), "9248");
    CHECK(progress_text(quiz) == "2 of 2 right");
    sync_quiz(quiz, view, state); // the same design: nothing is made again
    CHECK(progress_text(quiz) == "2 of 2 right");

    // conv2d2 with 64 filters: [64, 10, 10] and (3·3·32 + 1)·64 = 18,496; the answers stay as
    // written and are wrong now.
    std::string json = lasagne_json();
    const std::string conv2 = "\"out_channels\": 32, \"kernel_size\": 3";
    REQUIRE(json.find(conv2) != std::string::npos);
    json.replace(json.find(conv2), conv2.size(), "\"out_channels\": 64, \"kernel_size\": 3");
    set_design(state, from_json(json));
    sync_quiz(quiz, view, state);
    REQUIRE(quiz.cells.size() == 2);
    CHECK(quiz.cells[0].answer == "32x10x10");
    CHECK(progress_text(quiz) == "0 of 2 right");
    answer_cell(quiz, state, 1, std::to_string((3 * 3 * 32 + 1) * 64));
    CHECK(quiz.cells[1].right());
}
