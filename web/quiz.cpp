#include "quiz.h"

#include "engine/text.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <unordered_map>

namespace netshape::app {

bool QuizCell::right() const {
    return !answer.empty() && (check.verdict == AnswerVerdict::right ||
                               check.verdict == AnswerVerdict::right_but_written_differently);
}

namespace {

AnswerCheck check_cell(const AppState& state, const QuizCell& cell) {
    if (cell.answer.empty()) return {};
    return cell.column == QuizColumn::shape ? check_shape_answer(state.design, state.analysis, cell.layer, cell.answer)
                                            : check_params_answer(state.design, state.analysis, cell.layer, cell.answer);
}

// The layer a layers= item names: a layer's name, or its number as the layer list shows it (from 1).
std::optional<size_t> named_layer(const Analysis& analysis, const std::string& item) {
    for (const LayerResult& layer : analysis.layers)
        if (layer.name == item) return layer.index;
    size_t number = 0;
    const auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), number);
    if (error != std::errc() || end != item.data() + item.size() || number == 0 || number > analysis.layers.size())
        return std::nullopt;
    return number - 1;
}

// The whole numbers written in `text`, digit groups joined ("9,216" is 9216; "3·3·32" is 3, 3, 32).
std::vector<int64_t> numbers_in(std::string_view text) {
    std::vector<int64_t> numbers;
    for (size_t i = 0; i < text.size();) {
        if (text[i] < '0' || text[i] > '9') {
            ++i;
            continue;
        }
        int64_t value = 0;
        for (; i < text.size(); ++i) {
            const bool grouped = text[i] == ',' && i + 1 < text.size() && text[i + 1] >= '0' && text[i + 1] <= '9';
            if (grouped) continue;
            if (text[i] < '0' || text[i] > '9' || value > INT64_MAX / 10 - 9) break;
            value = value * 10 + (text[i] - '0');
        }
        numbers.push_back(value);
    }
    return numbers;
}

// A slip as a hint that keeps the answer hidden. The engine's slips are written for a person who
// may see the right value (a hand-made table checked afterwards), and can end with it ("…: 9,248",
// "so H_out = 10"): the hint is the slip's name ("bias left out"), and what follows it up to the
// first ';' only when that quotes none of the right value's numbers and the layer's input shape is
// not an open answer (the working of a slip starts from the input's sizes).
std::string hint(const std::string& slip, const std::string& right_value, bool input_open) {
    const size_t colon = slip.find(": ");
    if (colon == std::string::npos) return slip.substr(0, slip.find("; "));
    if (input_open) return slip.substr(0, colon);
    const std::string rest = slip.substr(colon, slip.find("; ", colon) - colon);
    const std::vector<int64_t> right = numbers_in(right_value);
    for (int64_t number : numbers_in(rest))
        if (right_value.empty() || std::find(right.begin(), right.end(), number) != right.end()) return slip.substr(0, colon);
    return slip.substr(0, colon) + rest;
}

} // namespace

void sync_quiz(Quiz& quiz, const ViewOptions& view, const AppState& state) {
    if (quiz.revision == state.revision) return;
    quiz.revision = state.revision;
    const Analysis& analysis = state.analysis;
    std::vector<bool> chosen(analysis.layers.size(), view.quiz_layers.empty());
    quiz.unmatched.clear();
    for (const std::string& item : view.quiz_layers) {
        if (std::optional<size_t> layer = named_layer(analysis, item)) chosen[*layer] = true;
        else quiz.unmatched.push_back(item);
    }
    std::vector<QuizCell> old = std::move(quiz.cells);
    quiz.cells.clear();
    if (!view.quiz()) return;
    // What was written or shown, by layer name (the layer may have moved) and column.
    const auto key = [](const std::string& name, QuizColumn column) { return cat(name, column == QuizColumn::shape ? "/s" : "/p"); };
    std::unordered_map<std::string, const QuizCell*> before;
    for (const QuizCell& cell : old)
        if (!cell.answer.empty() || cell.shown) before.emplace(key(cell.name, cell.column), &cell);
    for (const LayerResult& layer : analysis.layers) {
        if (!chosen[layer.index] || layer.status != LayerStatus::ok) continue;
        for (QuizColumn column : {QuizColumn::shape, QuizColumn::params}) {
            if (!(column == QuizColumn::shape ? view.quiz_shape : view.quiz_params)) continue;
            QuizCell cell{layer.index, layer.name, column, {}, {}, false};
            if (const auto found = before.empty() ? before.end() : before.find(key(layer.name, column)); found != before.end()) {
                cell.answer = found->second->answer;
                cell.shown = found->second->shown;
                cell.check = check_cell(state, cell);
            }
            quiz.cells.push_back(std::move(cell));
        }
    }
}

void answer_cell(Quiz& quiz, const AppState& state, size_t cell, std::string text) {
    if (cell >= quiz.cells.size()) return;
    quiz.cells[cell].answer = std::move(text);
    quiz.cells[cell].check = check_cell(state, quiz.cells[cell]);
}

void show_layer(Quiz& quiz, const Analysis& analysis, size_t layer) {
    if (layer >= analysis.layers.size()) return;
    const std::vector<std::string>& inputs = analysis.layers[layer].inputs;
    for (QuizCell& cell : quiz.cells)
        if (cell.layer == layer || (cell.column == QuizColumn::shape &&
                                    std::find(inputs.begin(), inputs.end(), cell.name) != inputs.end()))
            cell.shown = true;
}

const QuizCell* find_cell(const Quiz& quiz, size_t layer, QuizColumn column) {
    // Cells are in layer order: a binary search keeps a 100,000-row table's frame cheap.
    const auto at = std::lower_bound(quiz.cells.begin(), quiz.cells.end(), std::pair{layer, column},
                                     [](const QuizCell& cell, const std::pair<size_t, QuizColumn>& key) {
                                         return std::pair{cell.layer, cell.column} < key;
                                     });
    return at != quiz.cells.end() && at->layer == layer && at->column == column ? &*at : nullptr;
}

size_t right_count(const Quiz& quiz) {
    return static_cast<size_t>(std::count_if(quiz.cells.begin(), quiz.cells.end(), [](const QuizCell& c) { return c.right(); }));
}

size_t shown_count(const Quiz& quiz) {
    return static_cast<size_t>(
        std::count_if(quiz.cells.begin(), quiz.cells.end(), [](const QuizCell& c) { return c.shown && !c.right(); }));
}

bool any_open(const Quiz& quiz) {
    return std::any_of(quiz.cells.begin(), quiz.cells.end(), [](const QuizCell& c) { return c.open(); });
}

std::string progress_text(const Quiz& quiz) {
    std::string text = cat(right_count(quiz), " of ", quiz.cells.size(), " right");
    if (const size_t shown = shown_count(quiz)) text += cat(", ", shown, " shown");
    return text;
}

std::string feedback(const QuizCell& cell, bool input_open) {
    if (cell.answer.empty()) return {};
    switch (cell.check.verdict) {
    case AnswerVerdict::right: return {};
    case AnswerVerdict::right_but_written_differently: return cell.check.note;
    case AnswerVerdict::unreadable: // (the engine's note says the same in its own words)
        return cell.column == QuizColumn::shape ? "Write a shape, like 32x10x10 or [32, 10, 10]"
                                                : "Write a whole number, like 9248 or 9,248";
    case AnswerVerdict::wrong: break;
    }
    const std::string nudge = "Not yet: check the formula";
    if (cell.check.slips.empty()) return nudge;
    const std::string& slip = cell.check.slips.front();
    return input_open && slip.find("input") != std::string::npos ? nudge : hint(slip, cell.check.right_value, input_open);
}

bool hides(const Quiz& quiz, size_t layer, QuizColumn column) {
    const QuizCell* cell = find_cell(quiz, layer, column);
    return cell && cell->open();
}

bool reads_open_shape(const Quiz& quiz, const Analysis& analysis, size_t layer) {
    if (quiz.cells.empty() || layer >= analysis.layers.size()) return false;
    for (const std::string& input : analysis.layers[layer].inputs) {
        // Mostly the layer before it (the mirror asks this for 2,000 rows of a design).
        if (layer > 0 && analysis.layers[layer - 1].name == input) {
            if (hides(quiz, layer - 1, QuizColumn::shape)) return true;
            continue;
        }
        for (const LayerResult& read : analysis.layers)
            if (read.name == input && hides(quiz, read.index, QuizColumn::shape)) return true;
    }
    return false;
}

bool hides_working(const Quiz& quiz, const Analysis& analysis, size_t layer) {
    return hides(quiz, layer, QuizColumn::shape) || hides(quiz, layer, QuizColumn::params) ||
           reads_open_shape(quiz, analysis, layer);
}

bool hides_total(const Quiz& quiz, std::string_view line) {
    bool shape_open = false, params_open = false;
    for (const QuizCell& cell : quiz.cells)
        if (cell.open()) (cell.column == QuizColumn::shape ? shape_open : params_open) = true;
    if (!shape_open && !params_open) return false;
    // The lines as report.cpp's totals_lines words them.
    const auto starts = [&](std::string_view prefix) { return line.substr(0, prefix.size()) == prefix; };
    if (starts("Total MACs") || starts("Training memory")) return true;
    if (params_open && (starts("Total params") || starts("Trainable params") || starts("Non-trainable params") ||
                        starts("Buffers") || starts("Params size")))
        return true;
    return shape_open && (starts("Activations per sample") || starts("Output shape"));
}

} // namespace netshape::app
