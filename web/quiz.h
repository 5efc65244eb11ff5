// An exercise (?quiz=shape,params in the page's query, web/view_options.h): chosen cells of the
// summary table are answer boxes. Each answer is checked as it is written, by the engine's
// answers.h; a wrong one shows the slip that likely produced it, and "show working" gives the
// layer's working and right values. Until a cell is right or shown, its value — and anything that
// would give it away: the row's other counts, the layer's working, the totals — stays hidden.
//
// Answers live in the page only: nothing here is written to the hash, the link or any storage.
// No ImGui header: native tests drive it as the UI does.
#pragma once

#include "app_state.h"
#include "view_options.h"

#include "engine/answers.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace netshape::app {

enum class QuizColumn { shape, params };

struct QuizCell {
    size_t layer = 0; // index into the analysis's layers
    std::string name; // the layer's, which answers follow when the design changes
    QuizColumn column = QuizColumn::shape;
    std::string answer; // as typed
    AnswerCheck check;  // of `answer`; meaningless while it is empty
    bool shown = false; // "show working" gave the right value away

    bool right() const;
    bool open() const { return !right() && !shown; } // its value must not show anywhere
};

struct Quiz {
    std::vector<QuizCell> cells;        // in table order: by layer, the shape before the params
    std::vector<std::string> unmatched; // layers= items that name no layer of the design
    uint64_t revision = UINT64_MAX;     // the design the cells are for (AppState::revision)
};

// The quiz for the design shown, made again when the design changed (an edit, a preset, a link):
// answers already written to a layer of the same name and column are kept and checked again.
// Layers without a result (invalid, or after an invalid one) get no cell.
void sync_quiz(Quiz& quiz, const ViewOptions& view, const AppState& state);

// The person wrote `text` into `cell` (an index into quiz.cells): checked now.
void answer_cell(Quiz& quiz, const AppState& state, size_t cell, std::string text);

// "Show working" on a layer: its working has both its numbers and starts from the shapes it reads,
// so those cells are shown too (the progress counts them as shown, not right).
void show_layer(Quiz& quiz, const Analysis& analysis, size_t layer);

const QuizCell* find_cell(const Quiz& quiz, size_t layer, QuizColumn column);
size_t right_count(const Quiz& quiz);
size_t shown_count(const Quiz& quiz);
bool any_open(const Quiz& quiz);

// "4 of 7 right", with ", 1 shown" when working was asked for.
std::string progress_text(const Quiz& quiz);

// What a cell with an answer says under the progress line: for a wrong answer, the first slip the
// engine recognises (named, and explained only as far as that keeps the right value hidden), or a
// nudge to the formula; for one that does not read, what was expected; for
// a right one written another way, the engine's note. Empty for an empty or plainly right answer.
// `input_open`: a layer it reads has an open shape (reads_open_shape), so a slip about the input
// ("that is the layer's input shape") would give that answer away: the nudge is said instead, and
// other slips by their name only.
std::string feedback(const QuizCell& cell, bool input_open = false);

// Whether the cell's value is hidden now (it is quizzed and open).
bool hides(const Quiz& quiz, size_t layer, QuizColumn column);
// Whether a layer the layer reads has an open shape.
bool reads_open_shape(const Quiz& quiz, const Analysis& analysis, size_t layer);
// Whether the layer's working would give an open answer away: one of its own cells is open, or it
// reads a layer whose shape is open (its working starts from that shape).
bool hides_working(const Quiz& quiz, const Analysis& analysis, size_t layer);
// Whether a line of the totals (report.h, totals_lines) or a note would give an open answer away:
// parameter totals and sizes while a count is open; activation sizes and the output shape while
// a shape is open; MACs (made of both) and notes (which quote shapes) while anything is open.
bool hides_total(const Quiz& quiz, std::string_view line);

} // namespace netshape::app
