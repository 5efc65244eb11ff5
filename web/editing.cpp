#include "editing.h"

#include "engine/analysis.h"
#include "engine/catalog.h"
#include "engine/limits.h"
#include "engine/link_blocks.h"
#include "engine/link_text.h"
#include "engine/text.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <unordered_set>
#include <cstdlib>

namespace netshape::app {

namespace {

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

std::optional<int64_t> parse_integer(std::string_view text) {
    text = trimmed(text);
    int64_t value = 0;
    const char* end = text.data() + text.size();
    auto [stop, error] = std::from_chars(text.data(), end, value);
    if (text.empty() || error != std::errc{} || stop != end) return std::nullopt;
    return value;
}

// [-]digits[.digits][e[±]digits], or .5: what JSON and the link text write (a leading '+' too).
bool is_decimal_number(std::string_view text) {
    size_t i = 0;
    auto digits = [&] {
        size_t start = i;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
        return i - start;
    };
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    size_t whole = digits(), fraction = 0;
    if (i < text.size() && text[i] == '.') {
        ++i;
        fraction = digits();
    }
    if (whole + fraction == 0) return false;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
        if (digits() == 0) return false;
    }
    return i == text.size();
}

// "3x3", "3, 3", "[3, 3]", "3 3": the integers of a list, or nullopt when any part is not one.
std::optional<std::vector<int64_t>> parse_integer_list(std::string_view text) {
    text = trimmed(text);
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
    std::vector<int64_t> list;
    size_t start = 0;
    while (start <= text.size()) {
        size_t end = text.find_first_of("x,× ", start);
        // "×" is two bytes in UTF-8; find_first_of stops at its first byte.
        std::string_view part = text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start);
        if (!trimmed(part).empty()) {
            std::optional<int64_t> value = parse_integer(part);
            if (!value) return std::nullopt;
            list.push_back(*value);
        }
        if (end == std::string_view::npos) break;
        start = end + 1;
        while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
    }
    if (list.empty()) return std::nullopt;
    return list;
}

std::string layer_source(const Architecture& design, const std::vector<std::string>& names, size_t index) {
    const LayerSpec& layer = design.layers[index];
    if (!layer.inputs.empty()) return layer.inputs.front();
    if (index > 0) return names[index - 1];
    return design.inputs.empty() ? std::string(kDefaultInputName) : design.inputs.front().name;
}

// Runs `edit` and keeps the block uses it leaves whole (engine/link_blocks.h); a design without
// uses is not copied.
template <class Edit>
Architecture keeping_block_uses(Architecture design, const LayerListEdit& layer_edit, Edit&& edit) {
    if (design.block_uses.empty()) return edit(std::move(design));
    Architecture after = edit(design);
    keep_block_uses(design, after, layer_edit);
    return after;
}

template <class Edit>
Edited keeping_block_uses_unless_refused(Architecture design, const LayerListEdit& layer_edit, Edit&& edit) {
    if (design.block_uses.empty()) return edit(std::move(design));
    Edited edited = edit(design);
    if (edited.refused.empty()) keep_block_uses(design, edited.design, layer_edit);
    return edited;
}

} // namespace

std::string field_text(const FieldValue& value) {
    struct Visitor {
        std::string operator()(std::monostate) const { return {}; }
        std::string operator()(bool flag) const { return flag ? "true" : "false"; }
        std::string operator()(int64_t number) const { return cat(number); }
        std::string operator()(double number) const { return cat(number); }
        std::string operator()(const std::string& text) const { return text; }
        std::string operator()(const std::vector<int64_t>& list) const {
            return list.size() == 1 ? cat(list.front(), "x") : shape_text(list);
        }
    };
    return std::visit(Visitor{}, value);
}

FieldParse parse_field_text(const FieldSpec& spec, std::string_view text) {
    text = trimmed(text);
    if (text.empty()) return {};
    switch (spec.type) {
    case FieldType::integer:
        if (std::optional<int64_t> value = parse_integer(text)) return {*value, {}};
        return {{}, cat("'", text, "' is not an integer")};
    case FieldType::padding:
        if (text == "same" || text == "valid") return {std::string(text), {}};
        [[fallthrough]];
    case FieldType::sizes: {
        if (std::optional<int64_t> value = parse_integer(text)) return {*value, {}};
        if (std::optional<std::vector<int64_t>> list = parse_integer_list(text)) return {std::move(*list), {}};
        return {{},
                cat("'", text, "' is not ", spec.type == FieldType::padding ? "a padding" : "a size",
                    ": write an integer or one per dimension, like 3x3",
                    spec.type == FieldType::padding ? ", or same or valid" : "")};
    }
    case FieldType::boolean:
        if (text == "true" || text == "1") return {true, {}};
        if (text == "false" || text == "0") return {false, {}};
        return {{}, cat("'", text, "' is not true or false")};
    case FieldType::number: {
        // Decimal notation only (0.1, -2, 1e-05): strtod alone would also take nan, inf and
        // hexadecimal 0x1p-2, which neither JSON nor the link text can hold.
        if (!is_decimal_number(text)) return {{}, cat("'", text, "' is not a decimal number such as 0.1 or 1e-05")};
        const std::string copy(text);
        if (std::optional<double> value = decimal_to_double(copy)) return {*value, {}};
        return {{}, cat("'", text, "' is too ", std::isfinite(std::strtod(copy.c_str(), nullptr)) ? "close to 0" : "large",
                    " for a 64-bit number")};
    }
    case FieldType::choice:
        for (std::string_view choice : spec.choices)
            if (choice == text) return {std::string(text), {}};
        return {{}, cat("'", text, "' is not one of ", join(std::vector<std::string>(spec.choices.begin(), spec.choices.end()), ", "))};
    }
    return {{}, "unknown field type"};
}

std::optional<Shape> parse_shape_text(std::string_view text, std::string& error) {
    std::optional<std::vector<int64_t>> list = parse_integer_list(text);
    if (!list) {
        error = trimmed(text).empty() ? "a shape is needed, like 1x28x28 (one sample, no batch dimension)"
                                      : cat("'", trimmed(text), "' is not a shape: write sizes like 1x28x28");
        return std::nullopt;
    }
    for (int64_t size : *list) {
        if (size < 1) {
            error = cat("every size must be at least 1; received ", size);
            return std::nullopt;
        }
        if (size > kMaxDimension) { // the link could not hold it (src/engine/limits.h)
            error = cat(with_thousands(size), " is over the limit for one dimension, 2^40 = ", with_thousands(kMaxDimension));
            return std::nullopt;
        }
    }
    error.clear();
    return list;
}

std::string shape_text(const Shape& shape) {
    std::string text;
    for (size_t i = 0; i < shape.size(); ++i) {
        if (i > 0) text += 'x';
        append_piece(text, shape[i]);
    }
    return text;
}

void set_field(LayerSpec& layer, std::string_view name, FieldValue value) {
    auto it = std::find_if(layer.fields.begin(), layer.fields.end(), [&](const auto& field) { return field.first == name; });
    if (std::holds_alternative<std::monostate>(value)) {
        if (it != layer.fields.end()) layer.fields.erase(it);
    } else if (it != layer.fields.end()) {
        it->second = std::move(value);
    } else {
        layer.fields.emplace_back(std::string(name), std::move(value));
    }
}

void pin_referenced_names(Architecture& design) {
    // One pass to gather what is read, one to pin: a link may hold 100,000 layers.
    std::unordered_set<std::string_view> read;
    for (const LayerSpec& layer : design.layers) {
        if (!layer.shares.empty()) read.insert(layer.shares);
        for (const std::string& input : layer.inputs) read.insert(input);
    }
    if (read.empty()) return;
    const std::vector<std::string> names = layer_names(design);
    for (size_t i = 0; i < design.layers.size(); ++i)
        if (design.layers[i].name.empty() && read.contains(names[i])) design.layers[i].name = names[i];
}

// The edits themselves; with_layer_inserted and the others (at the end) run them and keep the
// block uses they leave whole.
static Architecture layer_inserted(Architecture design, size_t index, std::string_view type) {
    pin_referenced_names(design);
    LayerSpec layer;
    layer.type = std::string(type);
    index = std::min(index, design.layers.size());
    design.layers.insert(design.layers.begin() + static_cast<ptrdiff_t>(index), std::move(layer));
    return design;
}

static Architecture layer_removed(Architecture design, size_t index) {
    if (index >= design.layers.size()) return design;
    pin_referenced_names(design);
    const std::vector<std::string> names = layer_names(design);
    const std::string& removed = names[index];
    const std::string source = layer_source(design, names, index);
    for (LayerSpec& layer : design.layers)
        for (std::string& input : layer.inputs)
            if (input == removed) input = source;
    // Layers that called it again with its weights keep them: the first takes over its kind and
    // fields, and the others share that one.
    const LayerSpec& gone = design.layers[index];
    std::optional<size_t> heir;
    for (size_t i = 0; i < design.layers.size(); ++i) {
        LayerSpec& layer = design.layers[i];
        if (i == index || layer.shares != removed) continue;
        if (!gone.shares.empty()) {
            layer.shares = gone.shares;
        } else if (!layer.type.empty()) {
            layer.shares.clear(); // a layer of its own kind that tied the weights now has its own
        } else if (!heir) {
            heir = i;
            layer.shares.clear();
            layer.type = gone.type;
            layer.fields = gone.fields;
            if (layer.name.empty()) layer.name = names[i];
        } else {
            layer.shares = design.layers[*heir].name;
        }
    }
    design.layers.erase(design.layers.begin() + static_cast<ptrdiff_t>(index));
    return design;
}

static Architecture layer_moved(Architecture design, size_t from, size_t to) {
    if (design.layers.empty()) return design;
    from = std::min(from, design.layers.size() - 1);
    to = std::min(to, design.layers.size() - 1);
    if (from == to) return design;
    pin_referenced_names(design);
    LayerSpec layer = std::move(design.layers[from]);
    design.layers.erase(design.layers.begin() + static_cast<ptrdiff_t>(from));
    design.layers.insert(design.layers.begin() + static_cast<ptrdiff_t>(to), std::move(layer));
    return design;
}

static Architecture layer_duplicated(Architecture design, size_t index) {
    if (index >= design.layers.size()) return design;
    pin_referenced_names(design);
    LayerSpec copy = design.layers[index];
    if (!copy.name.empty()) {
        const std::vector<std::string> names = layer_names(design);
        std::string name = copy.name + "_copy";
        for (int n = 2; std::find(names.begin(), names.end(), name) != names.end(); ++n)
            name = cat(copy.name, "_copy", n);
        copy.name = std::move(name);
    }
    design.layers.insert(design.layers.begin() + static_cast<ptrdiff_t>(index) + 1, std::move(copy));
    return design;
}

} // namespace netshape::app

namespace netshape::app {

namespace {

// Whether `name` is taken by a layer other than `except` or by a model input.
std::string name_taken_problem(const Architecture& design, const std::vector<std::string>& names, const std::string& name,
                               std::optional<size_t> except_layer, std::optional<size_t> except_input) {
    for (size_t i = 0; i < names.size(); ++i)
        if (i != except_layer && names[i] == name) return cat("layer ", i + 1, " is already called '", name, "'");
    for (size_t i = 0; i < design.inputs.size(); ++i)
        if (i != except_input && design.inputs[i].name == name) return cat("a model input is already called '", name, "'");
    return {};
}

void rewrite_references(Architecture& design, const std::string& from, const std::string& to) {
    if (from == to) return;
    for (LayerSpec& layer : design.layers) {
        for (std::string& input : layer.inputs)
            if (input == from) input = to;
        if (layer.shares == from) layer.shares = to;
    }
}

// Kinds that read a rank-2 sample as channels and length ([C, L] under PyTorch, [L, C] under
// Keras), as opposed to sequence layers, which read [seq_len, features] under both.
bool reads_channels_and_length(const LayerSpec& layer) {
    const std::string_view type = layer.type;
    return type.ends_with("1d") || type == "conv" || type == "maxpool" || type == "avgpool" || type == "batchnorm";
}

// Moves a channel axis: PyTorch's first sample axis is Keras's last, and the others shift by one.
int64_t moved_axis(int64_t axis, int64_t rank, Convention to) {
    if (axis < 0) axis += rank;
    if (to == Convention::keras) return axis == 0 ? rank - 1 : axis - 1;
    return axis == rank - 1 ? 0 : axis + 1;
}

Shape moved_shape(const Shape& shape, Convention to) {
    Shape moved = shape;
    if (moved.size() < 2) return moved;
    if (to == Convention::keras) std::rotate(moved.begin(), moved.begin() + 1, moved.end());
    else std::rotate(moved.rbegin(), moved.rbegin() + 1, moved.rend());
    return moved;
}

} // namespace

static Edited layer_renamed(Architecture design, size_t index, std::string_view name) {
    if (index >= design.layers.size()) return {std::move(design), "no such layer"};
    const std::string wanted(name);
    if (!wanted.empty()) {
        if (std::string problem = name_problem(wanted); !problem.empty()) return {std::move(design), problem};
        if (std::string problem = name_taken_problem(design, layer_names(design), wanted, index, std::nullopt); !problem.empty())
            return {std::move(design), problem};
    }
    // Pinned first: naming this layer may shift the default names of later layers of its kind.
    pin_referenced_names(design);
    const std::string old_name = layer_names(design)[index];
    design.layers[index].name = wanted;
    const std::string new_name = layer_names(design)[index];
    rewrite_references(design, old_name, new_name);
    return {std::move(design), {}};
}

static Edited layer_inputs(Architecture design, size_t index, std::vector<std::string> inputs) {
    if (index >= design.layers.size()) return {std::move(design), "no such layer"};
    const std::string own = layer_names(design)[index];
    for (const std::string& input : inputs) {
        if (input == own)
            return {std::move(design), cat("a layer cannot read itself ('", own, "' is this layer's name)")};
        // No layer or input can have such a name, and the link could not say it.
        if (std::string problem = name_problem(input); !problem.empty()) return {std::move(design), problem};
    }
    pin_referenced_names(design);
    // The names typed may be default names (conv2d_1): pinned too, so later edits keep them.
    design.layers[index].inputs = std::move(inputs);
    pin_referenced_names(design);
    return {std::move(design), {}};
}

static Edited input_renamed(Architecture design, size_t index, std::string_view name) {
    if (index >= design.inputs.size()) return {std::move(design), "no such input"};
    const std::string wanted(name);
    if (std::string problem = name_problem(wanted); !problem.empty()) return {std::move(design), problem};
    pin_referenced_names(design);
    if (std::string problem = name_taken_problem(design, layer_names(design), wanted, std::nullopt, index); !problem.empty())
        return {std::move(design), problem};
    const std::string old_name = design.inputs[index].name;
    design.inputs[index].name = wanted;
    rewrite_references(design, old_name, wanted);
    return {std::move(design), {}};
}

Architecture with_input_added(Architecture design) {
    ModelInput input = design.inputs.empty() ? ModelInput{std::string(kDefaultInputName), {1}} : design.inputs.back();
    const std::vector<std::string> names = layer_names(design);
    for (size_t n = design.inputs.size() + 1;; ++n) {
        input.name = cat("input", n);
        if (name_taken_problem(design, names, input.name, std::nullopt, std::nullopt).empty()) break;
    }
    design.inputs.push_back(std::move(input));
    return design;
}

Architecture new_design(Convention convention) {
    Architecture design;
    design.convention = convention; // no input yet: the editor asks for its shape
    return design;
}

Architecture with_convention(const Architecture& design, Convention convention, std::vector<std::string>* notes) {
    Architecture converted = design;
    converted.convention = convention;
    if (design.convention == convention) return converted;
    const Analysis analysis = analyze(design); // the ranks each layer reads, under the old convention
    const std::vector<std::string> names = layer_names(design);

    for (size_t i = 0; i < converted.inputs.size(); ++i) {
        ModelInput& input = converted.inputs[i];
        bool move = input.shape.size() >= 3;
        if (input.shape.size() == 2) {
            // [C, L] or [seq_len, features]: whatever reads it tells.
            for (size_t j = 0; j < design.layers.size() && !move; ++j) {
                const LayerSpec& layer = design.layers[j];
                const bool reads = layer.inputs.empty() ? j == 0 && i == 0
                                                        : std::find(layer.inputs.begin(), layer.inputs.end(), input.name) !=
                                                              layer.inputs.end();
                move = reads && reads_channels_and_length(layer);
            }
        }
        if (!move) continue;
        const Shape moved = moved_shape(input.shape, convention);
        if (notes) notes->push_back(cat("input ", shape_text(input.shape), " → ", shape_text(moved)));
        input.shape = moved;
    }
    for (size_t j = 0; j < converted.layers.size(); ++j) {
        LayerSpec& layer = converted.layers[j];
        const LayerResult& result = analysis.layers[j];
        if (layer.type == "concat" && result.status == LayerStatus::ok) {
            const FieldValue* axis = layer.find("axis");
            const int64_t rank = static_cast<int64_t>(result.output_shape.size());
            if (axis && std::holds_alternative<int64_t>(*axis) && rank >= 3) {
                const int64_t moved = moved_axis(std::get<int64_t>(*axis), rank, convention);
                if (notes) notes->push_back(cat(names[j], ": axis ", std::get<int64_t>(*axis), " → ", moved));
                set_field(layer, "axis", moved);
            }
        }
        if (layer.type == "reshape") {
            const FieldValue* target = layer.find("shape");
            if (target && std::holds_alternative<std::vector<int64_t>>(*target) &&
                std::get<std::vector<int64_t>>(*target).size() >= 3) {
                const Shape moved = moved_shape(std::get<std::vector<int64_t>>(*target), convention);
                if (notes) notes->push_back(cat(names[j], ": shape ", shape_text(std::get<std::vector<int64_t>>(*target)), " → ", shape_text(moved)));
                set_field(layer, "shape", moved);
            }
        }
    }
    return converted;
}

std::string layout_hint(const Shape& shape, Convention convention) {
    if (shape.size() != 3) return {};
    // Images have a few channels and more pixels a side: 3x224x224, 224x224x3.
    auto few = [](int64_t size) { return size <= 4; };
    if (convention == Convention::keras && few(shape[0]) && !few(shape[2]))
        return cat("This looks channels-first (C×H×W); Keras reads H×W×C: ", shape_text(moved_shape(shape, Convention::keras)), "?");
    if (convention == Convention::pytorch && few(shape[2]) && !few(shape[0]))
        return cat("This looks channels-last (H×W×C); PyTorch reads C×H×W: ", shape_text(moved_shape(shape, Convention::pytorch)), "?");
    return {};
}

std::vector<LayerSpec> layers_from_text(std::string_view text, std::string& error) {
    error.clear();
    const std::string prefix = "ns1;1/";
    TextReadResult read = read_architecture_text(cat(prefix, text));
    if (read.error) {
        const size_t column = read.error->column > prefix.size() ? read.error->column - prefix.size() : 1;
        error = cat("column ", column, ": ", read.error->message);
        return {};
    }
    return std::move(read.architecture.layers);
}

static Edited layers_inserted(Architecture design, size_t index, std::vector<LayerSpec> layers) {
    // A name the design already shows (a layer's, given or default, or a model input's) would make
    // two layers answer to it, and what reads it could change layer.
    const std::vector<std::string> names = layer_names(design);
    std::unordered_set<std::string_view> taken(names.begin(), names.end());
    for (const ModelInput& input : design.inputs) taken.insert(input.name);
    for (const LayerSpec& layer : layers)
        if (!layer.name.empty() && taken.count(layer.name))
            return {std::move(design), cat("'", layer.name, "' already names a layer or input of the design; give the new layer another name")};
    pin_referenced_names(design);
    index = std::min(index, design.layers.size());
    design.layers.insert(design.layers.begin() + static_cast<ptrdiff_t>(index), std::make_move_iterator(layers.begin()),
                         std::make_move_iterator(layers.end()));
    return {std::move(design), {}};
}

// --------------------------------------------------------------------------------------------
// The edits as the editor calls them: each keeps the block uses it leaves whole
// --------------------------------------------------------------------------------------------

Architecture with_layer_inserted(Architecture design, size_t index, std::string_view type) {
    const size_t at = std::min(index, design.layers.size());
    const LayerListEdit edit = LayerListEdit::inserted(design.layers.size(), at, 1);
    return keeping_block_uses(std::move(design), edit,
                              [&](Architecture d) { return layer_inserted(std::move(d), at, type); });
}

Architecture with_layer_removed(Architecture design, size_t index) {
    const LayerListEdit edit = LayerListEdit::erased(design.layers.size(), index);
    return keeping_block_uses(std::move(design), edit,
                              [&](Architecture d) { return layer_removed(std::move(d), index); });
}

Architecture with_layer_moved(Architecture design, size_t from, size_t to) {
    if (design.layers.empty()) return design;
    from = std::min(from, design.layers.size() - 1);
    to = std::min(to, design.layers.size() - 1);
    const LayerListEdit edit = LayerListEdit::moved(design.layers.size(), from, to);
    return keeping_block_uses(std::move(design), edit,
                              [&](Architecture d) { return layer_moved(std::move(d), from, to); });
}

Architecture with_layer_duplicated(Architecture design, size_t index) {
    // The copy goes right after the layer: inside a use unless the layer is the use's last.
    const LayerListEdit edit = index < design.layers.size()
                                   ? LayerListEdit::inserted(design.layers.size(), index + 1, 1)
                                   : LayerListEdit::none(design.layers.size());
    return keeping_block_uses(std::move(design), edit,
                              [&](Architecture d) { return layer_duplicated(std::move(d), index); });
}

Edited with_layer_renamed(Architecture design, size_t index, std::string_view name) {
    const LayerListEdit edit = LayerListEdit::changed_layer(design.layers.size(), index);
    return keeping_block_uses_unless_refused(std::move(design), edit,
                                             [&](Architecture d) { return layer_renamed(std::move(d), index, name); });
}

Edited with_layer_inputs(Architecture design, size_t index, std::vector<std::string> inputs) {
    const LayerListEdit edit = LayerListEdit::changed_layer(design.layers.size(), index);
    return keeping_block_uses_unless_refused(std::move(design), edit,
                                             [&](Architecture d) { return layer_inputs(std::move(d), index, inputs); });
}

Edited with_input_renamed(Architecture design, size_t index, std::string_view name) {
    const LayerListEdit edit = LayerListEdit::none(design.layers.size());
    return keeping_block_uses_unless_refused(std::move(design), edit,
                                             [&](Architecture d) { return input_renamed(std::move(d), index, name); });
}

Edited with_layers_inserted(Architecture design, size_t index, std::vector<LayerSpec> layers) {
    const size_t at = std::min(index, design.layers.size());
    const LayerListEdit edit = LayerListEdit::inserted(design.layers.size(), at, layers.size());
    return keeping_block_uses_unless_refused(std::move(design), edit, [&](Architecture d) {
        return layers_inserted(std::move(d), at, std::move(layers));
    });
}

} // namespace netshape::app
