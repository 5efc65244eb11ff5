// Answers a person writes for a layer's output shape or parameter count — in an exercise box or a
// cell of a hand-made table — read, checked against the analysis, and, when wrong, explained by
// the slip that most likely produced them. Every slip is computed from the layer's own formula
// (the engine's rule run again with the slip made, or the formula's own terms), never guessed.
#pragma once

#include "analysis.h"
#include "architecture.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netshape {

// A shape as people write it: "32x10x10", "32 × 10 × 10", "[32, 10, 10]", "(10, 10, 32)", "256",
// "(None, 10, 10, 32)". A leading batch axis written as None, ?, -1, N, B or batch is dropped
// (had_batch says so). nullopt when the text is not a shape.
struct ShapeAnswer {
    Shape shape;
    bool had_batch = false;
};
std::optional<ShapeAnswer> read_shape_answer(std::string_view text);

// A count as people write it: "9248", "9,248", "9'248", "9 248", "9_248", "9.2k"/"1.2M" are not
// counts (rounded). nullopt when the text is not a whole count.
std::optional<int64_t> read_count_answer(std::string_view text);

enum class AnswerVerdict {
    right,
    right_but_written_differently, // e.g. a column vector (120, 1) for [120]: a note, not an error
    wrong,
    unreadable, // not a shape / not a count
};

struct AnswerCheck {
    AnswerVerdict verdict = AnswerVerdict::unreadable;
    std::string right_value; // "[32, 10, 10]" or "9,248"
    // For wrong answers: the likely slips, most likely first, each a sentence that names the slip
    // and shows the computation that gives the person's number ("bias left out: 3·3·32·32 = 9,216;
    // each of the 32 filters also has 1 bias"). Empty when no known slip gives that answer.
    std::vector<std::string> slips;
    std::string note; // for right_but_written_differently and unreadable: what was read, or why not
};

// `layer` indexes analysis.layers; the analysis is of `architecture` and must have reached the
// layer (status ok). The input row of a table is checked with check_input_shape_answer.
// Finding slips re-runs the layer's rule (and those before it) a few times: with_slips = false
// skips it where many wrong cells are checked at once.
AnswerCheck check_shape_answer(const Architecture& architecture, const Analysis& analysis, size_t layer,
                               std::string_view answer, bool with_slips = true);
AnswerCheck check_params_answer(const Architecture& architecture, const Analysis& analysis, size_t layer,
                                std::string_view answer, bool with_slips = true);
AnswerCheck check_input_shape_answer(const Analysis& analysis, std::string_view answer);

} // namespace netshape
