#include "editing.h"

#include "engine/analysis.h"
#include "engine/catalog.h"
#include "engine/text.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
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
        const std::string copy(text);
        char* end = nullptr;
        errno = 0;
        const double value = std::strtod(copy.c_str(), &end);
        if (end == copy.c_str() || *end != '\0' || errno == ERANGE) return {{}, cat("'", text, "' is not a number")};
        return {value, {}};
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
    for (int64_t size : *list)
        if (size < 1) {
            error = cat("every size must be at least 1; received ", size);
            return std::nullopt;
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

Architecture with_layer_inserted(Architecture design, size_t index, std::string_view type) {
    pin_referenced_names(design);
    LayerSpec layer;
    layer.type = std::string(type);
    index = std::min(index, design.layers.size());
    design.layers.insert(design.layers.begin() + static_cast<ptrdiff_t>(index), std::move(layer));
    return design;
}

Architecture with_layer_removed(Architecture design, size_t index) {
    if (index >= design.layers.size()) return design;
    pin_referenced_names(design);
    const std::vector<std::string> names = layer_names(design);
    const std::string& removed = names[index];
    const std::string source = layer_source(design, names, index);
    for (LayerSpec& layer : design.layers)
        for (std::string& input : layer.inputs)
            if (input == removed) input = source;
    design.layers.erase(design.layers.begin() + static_cast<ptrdiff_t>(index));
    return design;
}

Architecture with_layer_moved(Architecture design, size_t from, size_t to) {
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

Architecture with_layer_duplicated(Architecture design, size_t index) {
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
