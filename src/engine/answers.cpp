#include "answers.h"

#include "catalog.h"
#include "checked.h"
#include "text.h"
#include "window.h"

#include <algorithm>
#include <cctype>

namespace netshape {

namespace {

// ---------------------------------------------------------------------------------------------
// Reading what people write
// ---------------------------------------------------------------------------------------------

// Digits with optional separators between groups of three: "9,248", "9'248", "9 248", "9_248".
std::optional<int64_t> read_grouped_digits(std::string_view text) {
    text = trim_space(text);
    if (text.empty() || !std::isdigit(static_cast<unsigned char>(text.front())) ||
        !std::isdigit(static_cast<unsigned char>(text.back())))
        return std::nullopt;
    int64_t value = 0;
    size_t digits_in_group = 0;
    bool grouped = false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (std::isdigit(static_cast<unsigned char>(c))) {
            if (value > (INT64_MAX - (c - '0')) / 10) return std::nullopt; // past int64: not a count anyone means
            value = value * 10 + (c - '0');
            ++digits_in_group;
            continue;
        }
        if (c != ',' && c != '\'' && c != ' ' && c != '_') return std::nullopt;
        // A separator ends a group: the first group has 1–3 digits, every later one exactly 3.
        if ((grouped && digits_in_group != 3) || digits_in_group == 0 || digits_in_group > 3) return std::nullopt;
        grouped = true;
        digits_in_group = 0;
    }
    if (grouped && digits_in_group != 3) return std::nullopt;
    return value;
}

bool is_batch_word(std::string_view item) {
    std::string lower = lowercase(item);
    return lower == "none" || lower == "?" || lower == "-1" || lower == "n" || lower == "b" || lower == "batch" ||
           lower == "batch_size" || lower == "bs";
}

// Items of a shape: "32", "None", … split at `separators`.
std::vector<std::string_view> split_items(std::string_view text, std::string_view separators) {
    std::vector<std::string_view> items;
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); ++i)
        if (i == text.size() || separators.find(text[i]) != std::string_view::npos) {
            items.push_back(trim_space(text.substr(start, i - start)));
            start = i + 1;
        }
    return items;
}

std::optional<ShapeAnswer> shape_from_items(std::vector<std::string_view> items, bool bracketed) {
    if (bracketed && items.size() > 1 && items.back().empty()) items.pop_back(); // Python's "(256,)"
    if (items.empty()) return std::nullopt;
    ShapeAnswer answer;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i == 0 && items.size() > 1 && is_batch_word(items[i])) {
            answer.had_batch = true;
            continue;
        }
        std::optional<int64_t> size = read_grouped_digits(items[i]);
        if (!size || items[i].find_first_of(" ,'_") != std::string_view::npos) return std::nullopt;
        answer.shape.push_back(*size);
    }
    if (answer.shape.empty()) return std::nullopt;
    return answer;
}

} // namespace

std::optional<ShapeAnswer> read_shape_answer(std::string_view raw) {
    std::string text = ascii_typography(raw);
    std::string_view view = trim_space(text);
    if (view.size() > 200) return std::nullopt; // no shape is that long; the length bounds the work
    if (view.empty()) return std::nullopt;
    if ((view.front() == '(' && view.back() == ')') || (view.front() == '[' && view.back() == ']'))
        return shape_from_items(split_items(view.substr(1, view.size() - 2), ","), true);
    if (view.find_first_of("xX*") != std::string_view::npos) return shape_from_items(split_items(view, "xX*"), false);
    std::optional<int64_t> single = read_grouped_digits(view);
    if (!single || view.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
    return ShapeAnswer{{*single}, false};
}

std::optional<int64_t> read_count_answer(std::string_view raw) {
    std::string text = ascii_typography(raw);
    return read_grouped_digits(text);
}

namespace {

// ---------------------------------------------------------------------------------------------
// Slips behind a wrong shape
// ---------------------------------------------------------------------------------------------

const LayerSpec& own_spec(const Architecture& architecture, size_t layer) {
    const LayerSpec& spec = architecture.layers[layer];
    if (spec.shares.empty()) return spec;
    for (const LayerSpec& other : architecture.layers)
        if (other.name == spec.shares) return other;
    return spec;
}

// The layer's lines that give an output size ("H_out = … = 10"), joined: the working of a slip
// and of the right answer side by side.
std::string size_lines(const LayerResult& result) {
    std::vector<std::string> lines;
    for (const std::string& line : result.explain) {
        size_t equals = line.find(" = ");
        if (equals != std::string::npos && equals >= 4 && line.compare(equals - 4, 4, "_out") == 0 &&
            !line.starts_with("C_out")) { // the channels are not what a padding or stride slip moves
            // A square window on a square input: "H_out = … = 30 (W the same)", not the line twice.
            const size_t label_end = line.find("_out");
            if (!lines.empty() && lines.back().compare(lines.back().find("_out"), std::string::npos, line, label_end) == 0) {
                lines.back() += cat(" (", line.substr(0, label_end), " the same)");
                continue;
            }
            lines.push_back(line);
        }
    }
    return join(lines, "; ");
}

// The output shape the layer would have with one field changed, by the layer's own rule, or
// nullopt when the change is refused (or the layer is not one that can be re-run alone).
struct Rerun {
    Shape shape;
    std::string working;
};
std::optional<Rerun> rerun_with(const Architecture& architecture, size_t layer, std::string_view field, FieldValue value) {
    Architecture changed = architecture;
    LayerSpec& spec = changed.layers[layer];
    if (!spec.shares.empty()) return std::nullopt;
    auto it = std::find_if(spec.fields.begin(), spec.fields.end(), [&](const auto& f) { return f.first == field; });
    if (it != spec.fields.end())
        it->second = std::move(value);
    else
        spec.fields.emplace_back(std::string(field), std::move(value));
    // Only this layer's result is read; the layers after it may fail on the changed shape.
    changed.layers.resize(layer + 1);
    Analysis analysis = analyze(changed);
    const LayerResult& result = analysis.layers[layer];
    if (result.status != LayerStatus::ok) return std::nullopt;
    return Rerun{result.output_shape, size_lines(result)};
}

bool has_field(const LayerSpec& spec, std::string_view field) {
    const LayerKind* kind = find_kind(spec.type);
    return kind && kind->find_field(field);
}

// "[32, 10, 10]" in the order the convention writes a sample, moved the other way: channels first ↔ last.
Shape moved_channels(const Shape& shape, bool channels_last) {
    Shape moved = shape;
    if (shape.size() < 2) return moved;
    if (channels_last)
        std::rotate(moved.rbegin(), moved.rbegin() + 1, moved.rend()); // [H, W, C] → [C, H, W]
    else
        std::rotate(moved.begin(), moved.begin() + 1, moved.end()); // [C, H, W] → [H, W, C]
    return moved;
}

void add_field_slips(const Architecture& architecture, const LayerResult& result, const Shape& claim,
                     std::vector<std::string>& slips) {
    const size_t layer = result.index;
    const LayerSpec& spec = own_spec(architecture, layer);
    const std::string right = size_lines(result);

    if (has_field(spec, "padding")) {
        const FieldValue* padding = spec.find("padding");
        bool pads = padding && !std::holds_alternative<std::monostate>(*padding) &&
                    format_field_value(*padding) != "0" && format_field_value(*padding) != "\"valid\"";
        if (pads)
            if (auto rerun = rerun_with(architecture, layer, "padding", int64_t{0}); rerun && rerun->shape == claim)
                slips.push_back(cat("padding left out: the layer pads (padding=", format_field_value(*padding),
                                    "); without it, ", rerun->working, "; with it, ", right));
    }
    if (has_field(spec, "stride") && result.window &&
        std::any_of(result.window->stride.begin(), result.window->stride.end(), [](int64_t s) { return s != 1; }))
        if (auto rerun = rerun_with(architecture, layer, "stride", int64_t{1}); rerun && rerun->shape == claim) {
            bool defaulted = !spec.find("stride") && has_field(spec, "ceil_mode"); // pooling: stride defaults to the kernel
            slips.push_back(cat(defaulted ? "stride taken as 1: a pooling layer's stride defaults to its kernel_size ("
                                          : "stride left out (taken as 1): the layer's stride is ",
                                format_shape(result.window->stride), defaulted ? ")" : "", "; with stride 1, ",
                                rerun->working, "; with it, ", right));
        }
    if (has_field(spec, "dilation") && result.window &&
        std::any_of(result.window->dilation.begin(), result.window->dilation.end(), [](int64_t d) { return d != 1; }))
        if (auto rerun = rerun_with(architecture, layer, "dilation", int64_t{1}); rerun && rerun->shape == claim)
            slips.push_back(cat("dilation left out: a dilated kernel spans dilation·(kernel_size − 1) + 1 positions; "
                                "without it, ",
                                rerun->working, "; with it, ", right));
    if (has_field(spec, "ceil_mode")) {
        const FieldValue* ceil = spec.find("ceil_mode");
        bool ceil_mode = ceil && std::holds_alternative<bool>(*ceil) && std::get<bool>(*ceil);
        if (auto rerun = rerun_with(architecture, layer, "ceil_mode", !ceil_mode); rerun && rerun->shape == claim)
            slips.push_back(ceil_mode ? cat("rounded down: with ceil_mode=True the division rounds up (⌈⌉): ", right)
                                      : cat("rounded up: the division rounds down (⌊⌋) unless ceil_mode=True: ", right));
    }
}

// Per spatial dimension of a sliding window, the slips that move one size: rounding the other way
// (convolutions have no ceil_mode to re-run) and off by one.
void add_window_dimension_slips(const Analysis& analysis, const LayerResult& result, const Shape& claim,
                                std::vector<std::string>& slips) {
    if (!result.window || claim.size() != result.output_shape.size()) return;
    const bool channels_last = analysis.convention == Convention::keras;
    const auto& window = *result.window;
    const size_t rank = window.kernel.size();
    if (result.output_shape.size() != rank + 1 || result.input_shape.size() != rank + 1) return;
    const size_t first_spatial = channels_last ? 0 : 1;
    const size_t channel = channels_last ? rank : 0;
    if (claim[channel] != result.output_shape[channel]) return;
    size_t differing = 0, which = 0;
    for (size_t i = 0; i < rank; ++i)
        if (claim[first_spatial + i] != result.output_shape[first_spatial + i] && differing++ == 0) which = i;
    if (differing == 0) return;
    // More than one size wrong: one slip explains it only when every dimension is the same
    // (a square kernel on a square input).
    auto same_dimension = [&](size_t i) {
        return result.input_shape[first_spatial + i] == result.input_shape[first_spatial + which] &&
               claim[first_spatial + i] == claim[first_spatial + which] && window.kernel[i] == window.kernel[which] &&
               window.stride[i] == window.stride[which] && window.dilation[i] == window.dilation[which] &&
               window.pad_before[i] == window.pad_before[which];
    };
    for (size_t i = 0; i < rank; ++i)
        if (differing > 1 && !same_dimension(i)) return;

    const std::string label = spatial_label(rank, which);
    const int64_t in = result.input_shape[first_spatial + which];
    const int64_t out = result.output_shape[first_spatial + which];
    const int64_t claimed = claim[first_spatial + which];
    const int64_t k = window.kernel[which], s = window.stride[which], d = window.dilation[which];
    const int64_t p = window.pad_before[which];
    const int64_t span = d * (k - 1) + 1;
    const int64_t numerator = in + 2 * p - span;
    const bool rounding_explained = std::any_of(slips.begin(), slips.end(), [](const std::string& slip) {
        return slip.starts_with("rounded"); // by re-running with ceil_mode, where the layer has it
    });
    const std::string also = differing > 1 ? " (and the same along the others)" : "";
    if (!rounding_explained && numerator >= 0 && numerator % s != 0 && claimed == numerator / s + 2 && out == numerator / s + 1)
        slips.push_back(cat("rounded up: (", in, " + 2·", p, " − ", span, ")/", s, " = ", numerator, "/", s,
                            " is rounded down (⌊⌋), so ", label, "_out = ", numerator / s, " + 1 = ", out, also));
    else if (claimed == out - 1)
        slips.push_back(cat("one short along ", label, ": the formula ends in + 1, the window at the start, so ",
                            label, "_out = ", out, also));
    else if (claimed == out + 1 && s == 1)
        slips.push_back(cat("one too many along ", label, ": a window ", span, " wide fits ", in, " + 2·", p, " − ",
                            span, " + 1 = ", out, " times; it takes away ", span - 1, " positions, not ", span - 2, also));
}

std::vector<std::string> shape_slips(const Architecture& architecture, const Analysis& analysis,
                                     const LayerResult& result, const Shape& claim) {
    std::vector<std::string> slips;
    const bool channels_last = analysis.convention == Convention::keras;
    const Shape& right = result.output_shape;
    add_field_slips(architecture, result, claim, slips);
    add_window_dimension_slips(analysis, result, claim, slips);

    if (right.size() >= 2 && claim == moved_channels(right, channels_last))
        slips.push_back(channels_last ? cat("channels first: Keras keeps a sample channels-last, [H, W, C]: ", format_shape(right))
                                      : cat("channels last: PyTorch keeps a sample channels-first, [C, H, W]: ",
                                            format_shape(right)));
    const Shape& in = result.input_shape;
    if (right.size() >= 2 && claim.size() == right.size() && in.size() == right.size() && claim != in) {
        const size_t channel = channels_last ? right.size() - 1 : 0;
        Shape with_input_channels = right;
        with_input_channels[channel] = in[channel];
        if (claim == with_input_channels && in[channel] != right[channel])
            slips.push_back(cat("the input's channel count: the output has ", right[channel],
                                " channels (one per filter or as the layer sets them), not the input's ", in[channel]));
    }
    if (claim == in && in != right) slips.push_back(cat("that is the layer's input shape; it changes it to ", format_shape(right)));
    return slips;
}

// ---------------------------------------------------------------------------------------------
// Slips behind a wrong parameter count
// ---------------------------------------------------------------------------------------------

bool is_bias(const Weight& weight) { return weight.name == "bias" || weight.name.ends_with(".bias") || weight.name.ends_with("_bias"); }

// What a weight's axis of size `size` is, in words, when the layer's shapes say so.
std::string factor_words(const LayerResult& result, Convention convention, int64_t size) {
    const Shape& in = result.input_shape;
    if (result.window && in.size() >= 2) {
        int64_t in_channels = convention == Convention::keras ? in.back() : in.front();
        if (size == in_channels)
            return cat("the input channels left out: each filter spans all ", in_channels, " channels of its input");
    }
    if (!in.empty() && !result.window && size == in.back())
        return cat("the input size left out: each output unit has one weight per input value (", in.back(), ")");
    return cat("a factor of ", size, " left out");
}

std::vector<std::string> params_slips(const Analysis& analysis, const LayerResult& result, int64_t claim) {
    std::vector<std::string> slips;
    const int64_t right = result.params;
    int64_t bias_count = 0;
    for (const Weight& weight : result.weights)
        if (weight.role != WeightRole::buffer && is_bias(weight)) bias_count = checked_add(bias_count, element_count(weight.shape));
    const std::string right_text = with_thousands(right);

    if (bias_count > 0 && claim == right - bias_count)
        slips.push_back(cat("bias left out: ", with_thousands(claim), " are the weights; the layer also learns ",
                            with_thousands(bias_count), " bias", bias_count == 1 ? "" : "es",
                            " (one per output channel or unit): ", right_text));
    if (bias_count > 1 && claim == right - bias_count + 1)
        slips.push_back(cat("one bias for the whole layer: each of its ", with_thousands(bias_count),
                            " outputs has its own bias, so ", with_thousands(right - bias_count), " weights + ",
                            with_thousands(bias_count), " biases = ", right_text));
    for (const Weight& weight : result.weights) {
        if (weight.role == WeightRole::buffer || is_bias(weight)) continue;
        const int64_t count = element_count(weight.shape);
        for (size_t axis = 0; axis < weight.shape.size(); ++axis) {
            const int64_t size = weight.shape[axis];
            if (size <= 1 || count % size != 0) continue;
            if (claim != right - count + count / size) continue;
            const int64_t others = right - count; // the biases and any other weights
            slips.push_back(cat(factor_words(result, analysis.convention, size), "; ", weight.name, " ",
                                format_shape(weight.shape), " holds ", with_thousands(count), " values",
                                others == 0            ? std::string(": ")
                                : others == bias_count ? cat("; with the ", with_thousands(bias_count), " biases, ")
                                                       : cat("; with the other ", with_thousands(others), ", "),
                                right_text));
            break;
        }
        if (slips.size() > 2) break;
    }
    // BatchNorm's running mean and variance (PyTorch also keeps a one-value step counter).
    int64_t running = 0;
    for (const Weight& weight : result.weights)
        if (weight.role == WeightRole::buffer && weight.name.starts_with("running"))
            running = checked_add(running, element_count(weight.shape));
    if (result.buffer_elements > 0 && (claim == right + result.buffer_elements || claim == right + running))
        slips.push_back(cat("the running statistics counted: PyTorch keeps them as buffers (",
                            with_thousands(running), " values), not parameters: ", right_text));
    if (result.non_trainable_params > 0 && claim == result.trainable_params)
        slips.push_back(cat("the non-trainable ones left out: Keras counts the moving statistics (",
                            with_thousands(result.non_trainable_params), ") as non-trainable parameters, in the total: ",
                            right_text));
    return slips;
}

AnswerCheck unreadable(std::string note) {
    AnswerCheck check;
    check.verdict = AnswerVerdict::unreadable;
    check.note = std::move(note);
    return check;
}

// A shape that is the right one written another way (a batch axis, a column vector), or nullopt.
std::optional<std::string> same_shape_written_differently(const ShapeAnswer& answer, const Shape& right) {
    const Shape& claim = answer.shape;
    if (claim.size() == right.size() + 1 && claim[0] == 1 && std::equal(right.begin(), right.end(), claim.begin() + 1))
        return cat("read as a batch of 1 and ", format_shape(right), "; netshape writes one sample's shape");
    if (right.size() == 1 && claim.size() == 2 && claim[0] == right[0] && claim[1] == 1)
        return cat("a column vector ", format_shape(claim), " for the layer's ", format_shape(right));
    return std::nullopt;
}

AnswerCheck check_shape(const ShapeAnswer& answer, const Shape& right) {
    AnswerCheck check;
    check.right_value = format_shape(right);
    if (answer.shape == right) {
        check.verdict = AnswerVerdict::right;
        if (answer.had_batch) check.note = "the batch axis read and set aside";
        return check;
    }
    if (auto note = same_shape_written_differently(answer, right)) {
        check.verdict = AnswerVerdict::right_but_written_differently;
        check.note = *note;
        return check;
    }
    check.verdict = AnswerVerdict::wrong;
    return check;
}

constexpr std::string_view kShapeExpected = "expected a shape such as 32x10x10 or [32, 10, 10]";

} // namespace

AnswerCheck check_shape_answer(const Architecture& architecture, const Analysis& analysis, size_t layer,
                               std::string_view text, bool with_slips) {
    std::optional<ShapeAnswer> answer = read_shape_answer(text);
    if (!answer) return unreadable(std::string(kShapeExpected));
    const LayerResult& result = analysis.layers.at(layer);
    AnswerCheck check = check_shape(*answer, result.output_shape);
    if (check.verdict == AnswerVerdict::wrong && with_slips) check.slips = shape_slips(architecture, analysis, result, answer->shape);
    return check;
}

AnswerCheck check_input_shape_answer(const Analysis& analysis, std::string_view text) {
    std::optional<ShapeAnswer> answer = read_shape_answer(text);
    if (!answer) return unreadable(std::string(kShapeExpected));
    AnswerCheck check = check_shape(*answer, analysis.input_shape);
    if (check.verdict == AnswerVerdict::wrong && analysis.input_shape.size() >= 2 &&
        answer->shape == moved_channels(analysis.input_shape, analysis.convention == Convention::keras))
        check.slips.push_back(analysis.convention == Convention::keras
                                  ? "channels first: this design follows Keras, whose samples are channels-last"
                                  : "channels last: this design follows PyTorch, whose samples are channels-first");
    return check;
}

AnswerCheck check_params_answer(const Architecture&, const Analysis& analysis, size_t layer, std::string_view text,
                                bool with_slips) {
    std::optional<int64_t> claim = read_count_answer(text);
    if (!claim) return unreadable("expected a whole number such as 9248 or 9,248");
    const LayerResult& result = analysis.layers.at(layer);
    AnswerCheck check;
    check.right_value = with_thousands(result.params);
    if (*claim == result.params) {
        check.verdict = AnswerVerdict::right;
        return check;
    }
    check.verdict = AnswerVerdict::wrong;
    if (with_slips) check.slips = params_slips(analysis, result, *claim);
    return check;
}

} // namespace netshape
