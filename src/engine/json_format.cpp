#include "json_format.h"

#include "layer_kind.h"
#include "text.h"

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
    if (object.contains("type") && object.contains("shares"))
        throw StructureError(path, cat(path, " has both \"type\" and \"shares\"; a layer that shares another takes its "
                                             "type, fields and weights from it"));
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

constexpr std::string_view kTopLevelNames[] = {"netshape", "name", "convention", "input", "inputs", "layers"};

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

// An architecture nests four levels deep at most; a text nested far deeper is refused before
// parsing, because copying and printing such values recurses once per level (a hostile link
// could nest 100,000 levels and exhaust the stack). Returns the offset where the limit is
// passed, or npos.
constexpr int kMaxNesting = 64;

size_t excessive_nesting(std::string_view text) {
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (in_string) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > kMaxNesting) return i;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return std::string_view::npos;
}

} // namespace

ReadResult read_architecture_json(std::string_view text) {
    ReadResult result;
    if (size_t at = excessive_nesting(text); at != std::string_view::npos) {
        ReadError error;
        locate(text, at + 1, error.line, error.column);
        error.message = cat("JSON nested more than ", kMaxNesting, " levels deep at line ", error.line, ", column ",
                            error.column, " (an architecture nests four at most)");
        result.error = error;
        return result;
    }
    json root;
    try {
        root = json::parse(text.begin(), text.end());
    } catch (const json::parse_error& e) {
        ReadError error;
        locate(text, e.byte, error.line, error.column);
        // nlohmann's text is "[json.exception.parse_error.101] parse error at line 1, column 2: <what>".
        std::string what = e.what();
        size_t column_at = what.find("column ");
        size_t detail_at = column_at == std::string::npos ? std::string::npos : what.find(": ", column_at);
        std::string detail = detail_at == std::string::npos ? what : what.substr(detail_at + 2);
        error.message = cat("malformed JSON at line ", error.line, ", column ", error.column, ": ", detail);
        result.error = error;
        return result;
    } catch (const json::exception& e) {
        // Anything else the parser refuses: a number too large for a double ("1e999") is
        // out_of_range.406, "number overflow parsing '1e999'", with no position; find the token.
        std::string what = e.what();
        size_t detail_at = what.find("] ");
        std::string detail = detail_at == std::string::npos ? what : what.substr(detail_at + 2);
        ReadError error;
        size_t quote = detail.find('\'');
        size_t token_at = std::string::npos;
        if (quote != std::string::npos) {
            std::string token = detail.substr(quote + 1, detail.find('\'', quote + 1) - quote - 1);
            token_at = text.find(token);
        }
        if (token_at != std::string_view::npos) {
            locate(text, token_at + 1, error.line, error.column);
            error.message = cat("malformed JSON at line ", error.line, ", column ", error.column, ": ", detail);
        } else {
            error.message = cat("malformed JSON: ", detail);
        }
        result.error = error;
        return result;
    }
    try {
        result.architecture = read_architecture(root);
    } catch (const StructureError& e) {
        result.error = ReadError{.message = e.what(), .where = e.where};
        result.architecture = Architecture{};
    }
    return result;
}

// --------------------------------------------------------------------------------------------
// [SECTION] Writing
// --------------------------------------------------------------------------------------------

namespace {

json field_value_to_json(const FieldValue& value) {
    struct ToJson {
        json operator()(std::monostate) const { return nullptr; }
        json operator()(bool b) const { return b; }
        json operator()(int64_t i) const { return i; }
        json operator()(double d) const { return d; }
        json operator()(const std::string& s) const { return s; }
        json operator()(const std::vector<int64_t>& list) const { return list; }
    };
    return std::visit(ToJson{}, value);
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

json optional_text(const std::string& text) { return text.empty() ? json(nullptr) : json(text); }

} // namespace

json architecture_to_json(const Architecture& architecture) {
    json root = json::object();
    root["netshape"] = kFormatVersion;
    if (!architecture.name.empty()) root["name"] = architecture.name;
    root["convention"] = std::string(convention_name(architecture.convention));
    if (architecture.inputs.empty()) {
        root["input"] = nullptr; // still to be given, as the link text "ns1" says
    } else if (architecture.inputs.size() == 1 && architecture.inputs[0].name == kDefaultInputName) {
        root["input"] = architecture.inputs[0].shape;
    } else {
        json inputs = json::object();
        for (const ModelInput& input : architecture.inputs)
            inputs[input.name] = input.shape;
        root["inputs"] = std::move(inputs);
    }
    json layers = json::array();
    for (const LayerSpec& layer : architecture.layers) {
        json object = json::object();
        if (!layer.type.empty()) object["type"] = layer.type;
        if (!layer.name.empty()) object["name"] = layer.name;
        if (!layer.shares.empty()) object["shares"] = layer.shares;
        if (!layer.inputs.empty()) object["inputs"] = layer.inputs;
        for (const auto& [name, value] : layer.fields)
            object[name] = field_value_to_json(value);
        if (!layer.activation.empty()) object["activation"] = layer.activation;
        layers.push_back(std::move(object));
    }
    root["layers"] = std::move(layers);
    return root;
}

json analysis_error_to_json(const AnalysisError& error) {
    json object = {{"message", error.message}, {"where", error.where}, {"detail", error.detail}};
    object["layer_index"] = error.layer_index ? json(*error.layer_index) : json(nullptr);
    object["layer_name"] = optional_text(error.layer_name);
    object["field"] = optional_text(error.field);
    return object;
}

json read_error_to_json(const ReadError& error) {
    json object = {{"message", error.message}, {"where", error.where}};
    if (error.line > 0) object["line"] = error.line;
    if (error.column > 0) object["column"] = error.column;
    return object;
}

static json receptive_field_to_json(const std::shared_ptr<const ReceptiveField>& field) {
    if (!field) return nullptr;
    if (field->whole_input) return "whole_input";
    return {{"size", field->size}, {"jump", field->jump}, {"start", field->start}};
}

static json memory_to_json(const Analysis& analysis, const MemoryOptions& options) {
    std::optional<MemoryEstimate> memory = estimate_memory(analysis, options);
    if (!memory) return nullptr;
    json parameter_bytes = json::object();
    for (DType dtype : {DType::fp32, DType::fp16, DType::bf16, DType::int8})
        parameter_bytes[std::string(dtype_name(dtype))] = memory->parameter_bytes[static_cast<int>(dtype)];
    return {{"dtype", std::string(dtype_name(options.dtype))},
            {"batch_size", options.batch_size},
            {"optimizer", std::string(optimizer_name(options.optimizer))},
            {"parameter_bytes", parameter_bytes},
            {"activation_elements", memory->activation_elements},
            {"activation_bytes", memory->activation_bytes},
            {"weight_bytes", memory->weight_bytes},
            {"gradient_bytes", memory->gradient_bytes},
            {"optimizer_bytes", memory->optimizer_bytes},
            {"batch_activation_bytes", memory->batch_activation_bytes},
            {"training_bytes", memory->training_bytes},
            {"explain", memory->explain}};
}

json analysis_to_json(const Analysis& analysis, const MemoryOptions& memory) {
    json root = json::object();
    root["name"] = optional_text(analysis.name);
    root["convention"] = std::string(convention_name(analysis.convention));
    root["input_shape"] = analysis.input_shape;
    json inputs = json::object();
    for (const ModelInput& input : analysis.inputs)
        inputs[input.name] = input.shape;
    root["inputs"] = std::move(inputs);
    json layers = json::array();
    for (const LayerResult& layer : analysis.layers) {
        const bool ok = layer.status == LayerStatus::ok;
        json object = json::object();
        object["index"] = layer.index;
        object["name"] = layer.name;
        object["type"] = layer.type;
        object["class_name"] = optional_text(layer.class_name);
        object["activation"] = optional_text(layer.activation);
        object["shares"] = optional_text(layer.shares);
        object["inputs"] = layer.inputs;
        object["status"] = std::string(status_name(layer.status));
        object["error"] = optional_text(layer.error);
        object["input_shape"] = layer.status == LayerStatus::not_reached ? json(nullptr) : json(layer.input_shape);
        object["output_shape"] = ok ? json(layer.output_shape) : json(nullptr);
        object["params"] = ok ? json(layer.params) : json(nullptr);
        object["trainable_params"] = ok ? json(layer.trainable_params) : json(nullptr);
        object["non_trainable_params"] = ok ? json(layer.non_trainable_params) : json(nullptr);
        object["buffer_elements"] = ok ? json(layer.buffer_elements) : json(nullptr);
        object["macs"] = ok && layer.macs ? json(*layer.macs) : json(nullptr);
        object["output_elements"] = ok ? json(layer.output_elements) : json(nullptr);
        object["receptive_field"] = receptive_field_to_json(layer.receptive_field);
        json weights = json::array();
        for (const Weight& weight : layer.weights)
            weights.push_back({{"name", weight.name},
                               {"shape", weight.shape},
                               {"count", element_count(weight.shape)},
                               {"role", role_name(weight.role)}});
        object["weights"] = std::move(weights);
        object["explain"] = layer.explain;
        layers.push_back(std::move(object));
    }
    root["layers"] = std::move(layers);
    const bool ok = analysis.ok();
    root["output_shape"] = ok ? json(analysis.output_shape) : json(nullptr);
    root["outputs"] = analysis.outputs;
    root["warnings"] = analysis.warnings;
    root["total_params"] = ok ? json(analysis.total_params) : json(nullptr);
    root["trainable_params"] = ok ? json(analysis.trainable_params) : json(nullptr);
    root["non_trainable_params"] = ok ? json(analysis.non_trainable_params) : json(nullptr);
    root["buffer_elements"] = ok ? json(analysis.buffer_elements) : json(nullptr);
    // MACs as fvcore counts them; FLOPs = 2·MACs. With layers that have no MAC rule the total is
    // a lower bound, and they are named.
    root["total_macs"] = ok ? json(analysis.total_macs) : json(nullptr);
    root["total_flops"] = ok && analysis.total_macs <= INT64_MAX / 2 ? json(2 * analysis.total_macs) : json(nullptr);
    root["layers_without_macs"] = analysis.layers_without_macs;
    root["memory"] = memory_to_json(analysis, memory);
    if (!ok) root["error"] = analysis_error_to_json(*analysis.error);
    return root;
}

} // namespace netshape
