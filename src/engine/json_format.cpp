#include "json_format.h"

#include "link_blocks.h"

#include "layer_kind.h"

#include <nlohmann/json.hpp>
#include "limits.h"
#include "text.h"

#include <iterator>
#include <unordered_set>

#include <limits>
#include <stdexcept>

namespace netshape {

using json = nlohmann::ordered_json;

// --------------------------------------------------------------------------------------------
// [SECTION] Reading
// --------------------------------------------------------------------------------------------

namespace {

// Thrown while reading; carries the JSON path of the value at fault.
struct StructureError : std::runtime_error {
    StructureError(std::string path, const std::string& message)
        : std::runtime_error(message), where(std::move(path)) {}
    std::string where;
};

// A short quotation of a received value for a message. Lists and objects are cut short, and
// never walked deeply: a hostile file may nest them 100,000 levels down.
std::string describe(const json& value, int depth = 0) {
    if (value.is_array()) {
        if (value.empty()) return "[]";
        if (depth >= 2) return "[…]";
        std::string text = "[";
        for (size_t i = 0; i < value.size() && i < 4; ++i)
            text += (i ? ", " : "") + describe(value[i], depth + 1);
        return text + (value.size() > 4 ? ", …]" : "]");
    }
    if (value.is_object()) return value.empty() ? "{}" : "{…}";
    std::string text = value.dump();
    if (display_width(text) > 60) text = text.substr(0, 57) + "...";
    return text;
}

std::string type_word(const json& value) {
    switch (value.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "an integer";
    case json::value_t::number_float: return "a number";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "a list";
    case json::value_t::object: return "an object";
    default: return "a value";
    }
}

std::optional<int64_t> as_int64(const json& value) {
    if (value.is_number_integer() && !value.is_number_unsigned()) return value.get<int64_t>();
    if (value.is_number_unsigned() && value.get<uint64_t>() <= uint64_t(std::numeric_limits<int64_t>::max()))
        return static_cast<int64_t>(value.get<uint64_t>());
    return std::nullopt;
}

FieldValue to_field_value(const json& value, const std::string& path) {
    switch (value.type()) {
    case json::value_t::null: return std::monostate{};
    case json::value_t::boolean: return value.get<bool>();
    case json::value_t::number_float: return value.get<double>();
    case json::value_t::string: return value.get<std::string>();
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
        if (auto integer = as_int64(value)) return *integer;
        throw StructureError(path, cat(path, ": ", describe(value), " is too large"));
    case json::value_t::array: {
        std::vector<int64_t> list;
        for (size_t i = 0; i < value.size(); ++i) {
            auto integer = as_int64(value[i]);
            if (!integer)
                throw StructureError(cat(path, "[", i, "]"),
                                     cat(path, "[", i, "]: lists hold integers; received ", describe(value[i])));
            list.push_back(*integer);
        }
        return list;
    }
    default:
        throw StructureError(path, cat(path,
                                       ": a field value is a number, string, boolean or list of integers; "
                                       "received ",
                                       type_word(value)));
    }
}

std::string required_string(const json& value, const std::string& path) {
    if (!value.is_string()) throw StructureError(path, cat(path, " must be a string; received ", describe(value)));
    return value.get<std::string>();
}

LayerSpec read_layer(const json& object, size_t index) {
    const std::string path = cat("layers[", index, "]");
    if (!object.is_object())
        throw StructureError(path, cat(path,
                                       " must be an object such as {\"type\": \"linear\", \"out_features\": 10}; "
                                       "received ",
                                       describe(object)));
    if (!object.contains("type") && !object.contains("shares"))
        throw StructureError(path, cat(path, " has no \"type\" (e.g. \"conv2d\", \"linear\")"));
    LayerSpec layer;
    for (const auto& [key, value] : object.items()) {
        const std::string field_path = cat(path, ".", key);
        if (key == "type") {
            layer.type = required_string(value, field_path);
        } else if (key == "name") {
            layer.name = required_string(value, field_path);
            if (layer.name.empty()) throw StructureError(field_path, cat(field_path, " may not be empty"));
        } else if (key == "activation") {
            if (!value.is_null()) layer.activation = required_string(value, field_path);
        } else if (key == "inputs") {
            // A list of names; one name alone is accepted as a list of one.
            if (value.is_string()) {
                layer.inputs.push_back(value.get<std::string>());
            } else if (value.is_array()) {
                for (size_t i = 0; i < value.size(); ++i)
                    layer.inputs.push_back(required_string(value[i], cat(field_path, "[", i, "]")));
            } else {
                throw StructureError(
                    field_path, cat(field_path, " must be a list of layer or input names; received ", describe(value)));
            }
        } else if (key == "shares") {
            layer.shares = required_string(value, field_path);
        } else if (!value.is_null()) { // null means the default, as leaving the field out does
            try {
                layer.fields.emplace_back(key, to_field_value(value, field_path));
            } catch (const StructureError& e) {
                // "input": ["a"] is most likely "inputs" misspelt: say so rather than only
                // that a field's list must hold integers.
                std::string_view suggestion = nearest_name(key, kCommonFieldNames);
                if (suggestion.empty()) throw;
                throw StructureError(e.where, cat(e.what(), "; did you mean '", suggestion, "'?"));
            }
        }
    }
    return layer;
}

Shape read_input_shape(const json& value, const std::string& path) {
    if (!value.is_array() || value.empty())
        throw StructureError(path, cat(path,
                                       " must be a non-empty list of positive integers (one sample, no batch "
                                       "dimension), e.g. [1, 28, 28]; received ",
                                       describe(value)));
    Shape shape;
    for (size_t i = 0; i < value.size(); ++i) {
        auto dim = as_int64(value[i]);
        if (!dim || *dim < 1)
            throw StructureError(cat(path, "[", i, "]"),
                                 cat(path, "[", i, "] must be a positive integer; received ", describe(value[i])));
        shape.push_back(*dim);
    }
    return shape;
}

constexpr std::string_view kTopLevelNames[] = {"netshape", "name",   "convention", "input",
                                               "inputs",   "layers", "blocks",     "block_uses"};

std::vector<std::string> read_names(const json& value, const std::string& path) {
    if (!value.is_array()) throw StructureError(path, cat(path, " must be a list of names; received ", describe(value)));
    std::vector<std::string> names;
    for (size_t k = 0; k < value.size(); ++k)
        names.push_back(required_string(value[k], cat(path, "[", k, "]")));
    return names;
}

// "blocks": [{"name": "mb", "parameters": ["c", "k"], "body": "conv2d(c,k)/relu"}] — the link
// text's block definitions; their bodies are checked as the link text reads them.
std::vector<BlockDefinition> read_blocks(const json& value) {
    if (!value.is_array())
        throw StructureError("blocks", cat("blocks must be a list of {\"name\", \"parameters\", \"body\"}; received ",
                                           describe(value)));
    std::vector<BlockDefinition> blocks;
    for (size_t i = 0; i < value.size(); ++i) {
        const std::string path = cat("blocks[", i, "]");
        const json& object = value[i];
        if (!object.is_object() || !object.contains("name") || !object.contains("body"))
            throw StructureError(path, cat(path, " must be an object with \"name\", \"parameters\" and \"body\"; "
                                               "received ",
                                           describe(object)));
        BlockDefinition block;
        for (const auto& [key, item] : object.items()) {
            const std::string item_path = cat(path, ".", key);
            if (key == "name") {
                block.name = required_string(item, item_path);
            } else if (key == "body") {
                block.body = required_string(item, item_path);
            } else if (key == "parameters") {
                block.parameters = read_names(item, item_path);
            } else {
                throw StructureError(item_path, cat(item_path, ": a block has a name, parameters and a body"));
            }
        }
        blocks.push_back(std::move(block));
    }
    if (std::optional<ReadError> problem = block_definitions_problem(blocks))
        throw StructureError(problem->where, problem->message);
    return blocks;
}

size_t required_count(const json& value, const std::string& path) {
    auto count = as_int64(value);
    if (!count || *count < 0)
        throw StructureError(path, cat(path, " must be a whole number, 0 or more; received ", describe(value)));
    return static_cast<size_t>(*count);
}

// "block_uses": [{"block": "mb", "arguments": [16, 3], "first_layer": 1, "layers": 3}] — which
// layers a use wrote; the link text writes the use again while they still agree.
std::vector<BlockUse> read_block_uses(const json& value) {
    if (!value.is_array())
        throw StructureError("block_uses", cat("block_uses must be a list; received ", describe(value)));
    std::vector<BlockUse> uses;
    for (size_t i = 0; i < value.size(); ++i) {
        const std::string path = cat("block_uses[", i, "]");
        const json& object = value[i];
        if (!object.is_object() || !object.contains("block") || !object.contains("first_layer") ||
            !object.contains("layers"))
            throw StructureError(path, cat(path, " must be an object with \"block\", \"arguments\", "
                                               "\"first_layer\" and \"layers\"; received ",
                                           describe(object)));
        BlockUse use;
        for (const auto& [key, item] : object.items()) {
            const std::string item_path = cat(path, ".", key);
            if (key == "block") {
                use.block = required_string(item, item_path);
            } else if (key == "name") {
                use.name = required_string(item, item_path);
            } else if (key == "inputs") {
                use.inputs = read_names(item, item_path);
            } else if (key == "first_layer") {
                use.first_layer = required_count(item, item_path);
            } else if (key == "layers") {
                use.layer_count = required_count(item, item_path);
            } else if (key == "arguments") {
                if (!item.is_array())
                    throw StructureError(item_path, cat(item_path, " must be a list of values; received ", describe(item)));
                for (size_t k = 0; k < item.size(); ++k) {
                    const std::string argument_path = cat(item_path, "[", k, "]");
                    if (item[k].is_null())
                        throw StructureError(argument_path, cat(argument_path, ": an argument is a value, not null"));
                    use.arguments.push_back(to_field_value(item[k], argument_path));
                }
            } else {
                throw StructureError(item_path,
                                     cat(item_path, ": a block use has a block, a name, inputs, arguments, first_layer and layers"));
            }
        }
        uses.push_back(std::move(use));
    }
    return uses;
}

Architecture read_architecture(const json& root) {
    if (!root.is_object())
        throw StructureError(
            "", cat("an architecture is a JSON object with \"input\" and \"layers\"; received ", type_word(root)));
    for (const auto& [key, value] : root.items()) {
        bool known = false;
        for (std::string_view name : kTopLevelNames)
            known = known || key == name;
        if (!known) {
            std::string_view suggestion = nearest_name(key, kTopLevelNames);
            throw StructureError(key,
                                 cat("unknown top-level field '", key, "'",
                                     suggestion.empty() ? std::string(" (known: netshape, name, convention, input, "
                                                                      "layers)")
                                                        : cat("; did you mean '", suggestion, "'?")));
        }
    }
    if (root.contains("netshape")) {
        auto version = as_int64(root["netshape"]);
        if (!version || *version < 1)
            throw StructureError("netshape",
                                 cat("netshape is the format version, 1; received ", describe(root["netshape"])));
        if (*version > kFormatVersion)
            throw StructureError("netshape",
                                 cat("this file is format version ", *version,
                                     ", written by a newer netshape; this one reads version ", kFormatVersion));
    }
    Architecture architecture;
    if (root.contains("name") && !root["name"].is_null()) architecture.name = required_string(root["name"], "name");
    if (root.contains("convention") && !root["convention"].is_null()) {
        std::string convention = required_string(root["convention"], "convention");
        if (convention == "pytorch")
            architecture.convention = Convention::pytorch;
        else if (convention == "keras")
            architecture.convention = Convention::keras;
        else
            throw StructureError("convention",
                                 cat("convention must be \"pytorch\" or \"keras\"; received \"", convention, "\""));
    }
    if (root.contains("input") && root.contains("inputs"))
        throw StructureError("inputs",
                             "give either \"input\" (one model input) or \"inputs\" (named inputs), not both");
    if (root.contains("inputs")) {
        const json& inputs = root["inputs"];
        if (!inputs.is_object() || inputs.empty())
            throw StructureError("inputs",
                                 cat("inputs must be an object of named shapes, e.g. {\"image\": [3, 224, 224], "
                                     "\"meta\": [10]}; received ",
                                     describe(inputs)));
        for (const auto& [name, shape] : inputs.items())
            architecture.inputs.push_back(ModelInput{name, read_input_shape(shape, cat("inputs.", name))});
    } else if (root.contains("input") && root["input"].is_null()) {
        // A design whose input is still to be given (the editor's New): the analysis says so.
    } else if (root.contains("input")) {
        architecture.inputs.push_back(
            ModelInput{std::string(kDefaultInputName), read_input_shape(root["input"], "input")});
    } else {
        throw StructureError("input", "the architecture has no \"input\": give one sample's shape, e.g. [1, 28, 28]");
    }
    if (!root.contains("layers")) throw StructureError("layers", "the architecture has no \"layers\" list");
    const json& layers = root["layers"];
    if (!layers.is_array())
        throw StructureError("layers", cat("layers must be a list of layer objects; received ", type_word(layers)));
    for (size_t i = 0; i < layers.size(); ++i)
        architecture.layers.push_back(read_layer(layers[i], i));
    if (root.contains("blocks")) architecture.blocks = read_blocks(root["blocks"]);
    if (root.contains("block_uses")) {
        architecture.block_uses = read_block_uses(root["block_uses"]);
        // A use whose layers say otherwise than its block is dropped: the layers are the design.
        architecture.block_uses = block_uses_written(architecture);
    }
    return architecture;
}

// nlohmann reports the byte offset of a syntax error; people want a line and a column.
void locate(std::string_view text, size_t byte, int& line, int& column) {
    line = 1;
    column = 1;
    size_t end = std::min(byte == 0 ? 0 : byte - 1, text.size());
    for (size_t i = 0; i < end; ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
            ++column;
        }
    }
}

// An iterator over the text that remembers how far the parser has read, so that the errors the
// tree builder finds itself (a duplicate key, too deep a nesting) can say where they are.
struct TrackedCharacter {
    using iterator_category = std::forward_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;
    const char* at = nullptr;
    const char** furthest = nullptr;
    reference operator*() const { return *at; }
    TrackedCharacter& operator++() {
        *furthest = ++at;
        return *this;
    }
    TrackedCharacter operator++(int) {
        TrackedCharacter before = *this;
        ++*this;
        return before;
    }
    bool operator==(const TrackedCharacter& other) const { return at == other.at; }
    bool operator!=(const TrackedCharacter& other) const { return at != other.at; }
};

// Builds the tree from nlohmann's SAX events, in linear time: keys are checked for duplicates
// with a hash set per object and appended without the linear search ordered_json's own insert
// does (200,000 keys would take minutes). Refuses duplicate keys (which JSON parsers disagree on:
// most keep the last silently), nesting deeper than an architecture can use (copying and
// printing a value recurses once per level), and numbers that underflow to 0.
class TreeBuilder {
public:
    TreeBuilder(json& root, const char* begin, const char* const& read_to)
        : root_(root), begin_(begin), read_to_(read_to) {}

    bool null() { return add(json(nullptr)); }
    bool boolean(bool value) { return add(json(value)); }
    bool number_integer(json::number_integer_t value) { return add(json(value)); }
    bool number_unsigned(json::number_unsigned_t value) { return add(json(value)); }
    bool number_float(json::number_float_t value, const json::string_t& text) {
        // "1e-400" reads as 0, which is not what was written (the rule: decimal_to_double).
        if (!decimal_to_double(text))
            return fail(cat("the number ", text, " is too close to 0 for a 64-bit floating-point number"));
        return add(json(value));
    }
    bool string(json::string_t& value) { return add(json(std::move(value))); }
    bool binary(json::binary_t&) { return fail("binary values are not JSON text"); }
    bool start_object(std::size_t) { return open(json::object()); }
    bool start_array(std::size_t) { return open(json::array()); }
    bool end_object() { return close(); }
    bool end_array() { return close(); }
    bool key(json::string_t& name) {
        if (!keys_.back().insert(name).second)
            return fail(cat("the key \"", name.substr(0, 60), "\" appears twice in one object"));
        key_ = std::move(name);
        return true;
    }
    bool parse_error(std::size_t position, const std::string& token, const nlohmann::detail::exception& e) {
        // nlohmann's text is "[json.exception.parse_error.101] parse error at line 1, column 2: <what>".
        std::string what = e.what();
        size_t column_at = what.find("column ");
        size_t detail_at = what.find(": ", column_at == std::string::npos ? what.find("] ") : column_at);
        error_ = what.substr(detail_at == std::string::npos ? 0 : detail_at + 2);
        // A number out of range is reported after it was read: point at its first character.
        const bool out_of_range = dynamic_cast<const nlohmann::detail::out_of_range*>(&e) != nullptr;
        error_at_ = out_of_range && token.size() < position ? position - token.size() + 1 : position;
        return false;
    }

    const std::string& error() const { return error_; }
    size_t error_at() const { return error_at_; } // bytes read when the error was found

private:
    bool fail(std::string message) {
        error_ = std::move(message);
        error_at_ = static_cast<size_t>(read_to_ - begin_);
        return false;
    }

    json* add(json value) {
        if (open_.empty()) {
            root_ = std::move(value);
            return &root_;
        }
        json& parent = *open_.back();
        if (parent.is_array()) {
            parent.get_ref<json::array_t&>().push_back(std::move(value));
            return &parent.get_ref<json::array_t&>().back();
        }
        auto& entries = static_cast<json::object_t::Container&>(parent.get_ref<json::object_t&>());
        entries.emplace_back(std::move(key_), std::move(value));
        return &entries.back().second;
    }
    bool open(json container) {
        if (open_.size() >= static_cast<size_t>(kMaxJsonNesting))
            return fail(cat("nested more than ", kMaxJsonNesting, " levels deep (an architecture nests four at most)"));
        const bool object = container.is_object();
        open_.push_back(add(std::move(container)));
        if (object) keys_.emplace_back();
        return true;
    }
    bool close() {
        if (open_.back()->is_object()) keys_.pop_back();
        open_.pop_back();
        return true;
    }

    json& root_;
    const char* begin_;
    const char* const& read_to_;
    std::vector<json*> open_;
    std::vector<std::unordered_set<std::string>> keys_;
    std::string key_;
    std::string error_;
    size_t error_at_ = 0;
};

} // namespace

ReadResult read_architecture_json(std::string_view text) {
    ReadResult result;
    if (std::optional<ReadError> too_big = input_size_problem(text.size())) {
        result.error = too_big;
        return result;
    }
    json root;
    const char* read_to = text.data();
    TreeBuilder builder(root, text.data(), read_to);
    const bool parsed = json::sax_parse(TrackedCharacter{text.data(), &read_to},
                                        TrackedCharacter{text.data() + text.size(), &read_to}, &builder);
    if (!parsed) {
        ReadError error;
        locate(text, builder.error_at(), error.line, error.column);
        error.message = cat("malformed JSON at line ", error.line, ", column ", error.column, ": ", builder.error());
        result.error = error;
        return result;
    }
    try {
        result.architecture = read_architecture(root);
    } catch (const StructureError& e) {
        result.error = ReadError{.message = e.what(), .where = e.where};
        result.architecture = Architecture{};
        return result;
    }
    if (std::optional<ReadError> over = limit_problem(result.architecture)) {
        result.error = over;
        result.architecture = Architecture{};
    }
    return result;
}

// --------------------------------------------------------------------------------------------
// [SECTION] Writing
// --------------------------------------------------------------------------------------------

namespace {

void write_field_value(JsonWriter& out, const FieldValue& value) {
    struct Write {
        JsonWriter& out;
        void operator()(std::monostate) const { out.null(); }
        void operator()(bool b) const { out.value(b); }
        void operator()(int64_t i) const { out.value(i); }
        void operator()(double d) const { out.value(d); }
        void operator()(const std::string& s) const { out.value(s); }
        void operator()(const std::vector<int64_t>& list) const { out.value(list); }
    };
    std::visit(Write{out}, value);
}

std::string_view role_name(WeightRole role) {
    switch (role) {
    case WeightRole::trainable: return "trainable";
    case WeightRole::non_trainable: return "non_trainable";
    case WeightRole::buffer: return "buffer";
    }
    return "?";
}

std::string_view status_name(LayerStatus status) {
    switch (status) {
    case LayerStatus::ok: return "ok";
    case LayerStatus::error: return "error";
    case LayerStatus::not_reached: return "not_reached";
    }
    return "?";
}

void write_receptive_field(JsonWriter& out, const std::shared_ptr<const ReceptiveField>& field) {
    if (!field) {
        out.null();
    } else if (field->whole_input) {
        out.value("whole_input");
    } else if (field->constant) {
        out.value("constant"); // a learnable tensor: it depends on no input
    } else {
        out.begin_object().key("size").value(field->size).key("jump").value(field->jump);
        out.key("start").value(field->start);
        // The sample axis each dimension is on now, and whether every value sees all of it (jump 0).
        out.key("axis").begin_array();
        for (size_t axis : field->axis) out.value(axis);
        out.end_array().key("whole").begin_array();
        for (size_t d = 0; d < field->size.size(); ++d) out.value(field->whole_along(d));
        out.end_array().end_object();
    }
}

void write_memory(JsonWriter& out, const Analysis& analysis, const MemoryOptions& options) {
    std::optional<MemoryEstimate> memory = estimate_memory(analysis, options);
    if (!memory) {
        out.null();
        return;
    }
    out.begin_object();
    out.key("dtype").value(dtype_name(options.dtype));
    out.key("batch_size").value(options.batch_size);
    out.key("optimizer").value(optimizer_name(options.optimizer));
    out.key("parameter_bytes").begin_object();
    for (DType dtype : {DType::fp32, DType::fp16, DType::bf16, DType::int8})
        out.key(dtype_name(dtype)).value(memory->parameter_bytes[static_cast<int>(dtype)]);
    out.end_object();
    out.key("activation_elements").value(memory->activation_elements);
    out.key("activation_bytes").value(memory->activation_bytes);
    out.key("weight_bytes").value(memory->weight_bytes);
    out.key("gradient_bytes").value(memory->gradient_bytes);
    out.key("optimizer_bytes").value(memory->optimizer_bytes);
    out.key("batch_activation_bytes").value(memory->batch_activation_bytes);
    out.key("training_bytes").value(memory->training_bytes);
    out.key("explain").value(memory->explain);
    out.end_object();
}

void write_layer(JsonWriter& out, const LayerResult& layer) {
    const bool ok = layer.status == LayerStatus::ok;
    out.begin_object();
    out.key("index").value(layer.index);
    out.key("name").value(layer.name);
    out.key("type").value(layer.type);
    out.key("class_name").text_or_null(layer.class_name);
    out.key("activation").text_or_null(layer.activation);
    out.key("shares").text_or_null(layer.shares);
    out.key("inputs").value(layer.inputs);
    out.key("status").value(status_name(layer.status));
    out.key("error").text_or_null(layer.error);
    out.key("input_shape").value_if(layer.status != LayerStatus::not_reached, layer.input_shape);
    out.key("output_shape").value_if(ok, layer.output_shape);
    out.key("params").value_if(ok, layer.params);
    out.key("trainable_params").value_if(ok, layer.trainable_params);
    out.key("non_trainable_params").value_if(ok, layer.non_trainable_params);
    out.key("buffer_elements").value_if(ok, layer.buffer_elements);
    out.key("macs").value_if(ok && layer.macs, layer.macs.value_or(0));
    out.key("output_elements").value_if(ok, layer.output_elements);
    out.key("receptive_field");
    write_receptive_field(out, layer.receptive_field);
    out.key("weights").begin_array();
    for (const Weight& weight : layer.weights) {
        out.begin_object().key("name").value(weight.name).key("shape").value(weight.shape);
        out.key("count").value(element_count(weight.shape)).key("role").value(role_name(weight.role)).end_object();
    }
    out.end_array();
    out.key("explain").value(layer.explain);
    out.end_object();
}

} // namespace

std::string architecture_to_json(const Architecture& architecture, int indent) {
    std::string text;
    JsonWriter out(text, indent);
    out.begin_object();
    out.key("netshape").value(kFormatVersion);
    if (!architecture.name.empty()) out.key("name").value(architecture.name);
    out.key("convention").value(convention_name(architecture.convention));
    if (architecture.inputs.empty()) {
        out.key("input").null(); // still to be given, as the link text "ns1" says
    } else if (architecture.inputs.size() == 1 && architecture.inputs[0].name == kDefaultInputName) {
        out.key("input").value(architecture.inputs[0].shape);
    } else {
        out.key("inputs").begin_object();
        for (const ModelInput& input : architecture.inputs)
            out.key(input.name).value(input.shape);
        out.end_object();
    }
    out.key("layers").begin_array();
    for (const LayerSpec& layer : architecture.layers) {
        out.begin_object();
        if (!layer.type.empty()) out.key("type").value(layer.type);
        if (!layer.name.empty()) out.key("name").value(layer.name);
        if (!layer.shares.empty()) out.key("shares").value(layer.shares);
        if (!layer.inputs.empty()) out.key("inputs").value(layer.inputs);
        for (const auto& [name, value] : layer.fields) {
            out.key(name);
            write_field_value(out, value);
        }
        if (!layer.activation.empty()) out.key("activation").value(layer.activation);
        out.end_object();
    }
    out.end_array();
    if (!architecture.blocks.empty()) {
        out.key("blocks").begin_array();
        for (const BlockDefinition& block : architecture.blocks) {
            out.begin_object().key("name").value(block.name).key("parameters").value(block.parameters);
            out.key("body").value(block.body).end_object();
        }
        out.end_array();
    }
    if (!architecture.block_uses.empty()) {
        out.key("block_uses").begin_array();
        for (const BlockUse& use : architecture.block_uses) {
            out.begin_object().key("block").value(use.block);
            if (!use.name.empty()) out.key("name").value(use.name);
            if (!use.inputs.empty()) out.key("inputs").value(use.inputs);
            out.key("arguments").begin_array();
            for (const FieldValue& argument : use.arguments)
                write_field_value(out, argument);
            out.end_array();
            out.key("first_layer").value(static_cast<int64_t>(use.first_layer));
            out.key("layers").value(static_cast<int64_t>(use.layer_count)).end_object();
        }
        out.end_array();
    }
    out.end_object();
    return text;
}

void write_analysis_error(JsonWriter& out, const AnalysisError& error) {
    out.begin_object();
    out.key("message").value(error.message).key("where").value(error.where).key("detail").value(error.detail);
    out.key("layer_index").value(error.layer_index);
    out.key("layer_name").text_or_null(error.layer_name);
    out.key("field").text_or_null(error.field);
    out.end_object();
}

void write_read_error(JsonWriter& out, const ReadError& error) {
    out.begin_object().key("message").value(error.message).key("where").value(error.where);
    if (error.line > 0) out.key("line").value(error.line);
    if (error.column > 0) out.key("column").value(error.column);
    out.end_object();
}

namespace {

// The summary, handing the text written so far to `flush` after each layer (the writer only
// appends, so the text may be taken away between values).
template <typename Flush>
void write_summary(std::string& text, const Analysis& analysis, const MemoryOptions& memory, int indent, Flush&& flush) {
    JsonWriter out(text, indent);
    out.begin_object();
    out.key("name").text_or_null(analysis.name);
    out.key("convention").value(convention_name(analysis.convention));
    out.key("input_shape").value(analysis.input_shape);
    out.key("inputs").begin_object();
    for (const ModelInput& input : analysis.inputs)
        out.key(input.name).value(input.shape);
    out.end_object();
    out.key("layers").begin_array();
    for (const LayerResult& layer : analysis.layers) {
        write_layer(out, layer);
        flush(text);
    }
    out.end_array();
    const bool ok = analysis.ok();
    out.key("output_shape").value_if(ok, analysis.output_shape);
    out.key("outputs").value(analysis.outputs);
    out.key("warnings").value(analysis.warnings);
    out.key("total_params").value_if(ok, analysis.total_params);
    out.key("trainable_params").value_if(ok, analysis.trainable_params);
    out.key("non_trainable_params").value_if(ok, analysis.non_trainable_params);
    out.key("buffer_elements").value_if(ok, analysis.buffer_elements);
    // MACs as fvcore counts them; FLOPs = 2·MACs. With layers that have no MAC rule the total is
    // a lower bound, and they are named.
    out.key("total_macs").value_if(ok, analysis.total_macs);
    const bool flops_fit = analysis.total_macs <= INT64_MAX / 2;
    out.key("total_flops").value_if(ok && flops_fit, flops_fit ? 2 * analysis.total_macs : 0);
    out.key("layers_without_macs").value(analysis.layers_without_macs);
    out.key("memory");
    write_memory(out, analysis, memory);
    if (!ok) {
        out.key("error");
        write_analysis_error(out, *analysis.error);
    }
    out.end_object();
}

} // namespace

std::string analysis_to_json(const Analysis& analysis, const MemoryOptions& memory, int indent) {
    std::string text;
    write_summary(text, analysis, memory, indent, [](std::string&) {});
    return text;
}

void write_analysis_json(const Analysis& analysis, const MemoryOptions& memory, int indent,
                         const std::function<void(std::string_view)>& write) {
    std::string buffer;
    auto flush = [&](std::string& text) {
        if (text.size() < kSummaryChunkBytes) return;
        write(text);
        text.clear();
    };
    write_summary(buffer, analysis, memory, indent, flush);
    write(buffer);
}

} // namespace netshape
