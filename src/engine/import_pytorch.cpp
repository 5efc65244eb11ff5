#include "import_pytorch.h"

#include "analysis.h"
#include "text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

namespace netshape {

namespace {

// ---- the repr as a tree ----

struct Module {
    std::string key;        // "conv1" of "(conv1): Conv2d(…)"; empty for the root
    std::string class_name; // "Conv2d"
    std::string arguments;  // a leaf's extra_repr, between its parentheses
    std::vector<Module> children;
    bool container = false;
    int line = 0, column = 0;
};

struct ParseFailure {
    ImportError error;
};

[[noreturn]] void fail(int line, int column, const std::string& message) {
    throw ParseFailure{{line > 0 ? cat("line ", line, ", column ", column, ": ", message) : message, line, column}};
}

struct Line {
    std::string_view text;
    int number;
    size_t indent;
};

// The index just past the parenthesis that closes the one at `open`, or npos when the line ends first.
size_t closing_parenthesis(std::string_view text, size_t open) {
    int depth = 0;
    char quote = 0;
    for (size_t i = open; i < text.size(); ++i) {
        const char c = text[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '(' || c == '[') {
            ++depth;
        } else if ((c == ')' || c == ']') && --depth == 0) {
            return i + 1;
        }
    }
    return std::string_view::npos;
}

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }

constexpr int kMaxNesting = 100;

class ReprParser {
public:
    explicit ReprParser(std::string_view text) {
        int number = 0;
        size_t start = 0;
        while (start <= text.size()) {
            size_t end = text.find('\n', start);
            if (end == std::string_view::npos) end = text.size();
            std::string_view line = text.substr(start, end - start);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            ++number;
            const size_t indent = line.find_first_not_of(" \t");
            if (indent != std::string_view::npos) lines_.push_back({line, number, indent});
            start = end + 1;
        }
    }

    Module parse() {
        if (lines_.empty()) fail(1, 1, "no module: paste what print(model) prints, such as ResNet( … )");
        Module root = module(std::string());
        if (next_ < lines_.size())
            fail(lines_[next_].number, static_cast<int>(lines_[next_].indent) + 1,
                 "text after the model's closing parenthesis");
        return root;
    }

private:
    // One module starting at line next_, after its "(key): " if `key` is set.
    Module module(std::string key, int depth = 0) {
        const Line& line = lines_[next_];
        // Real models nest a handful of levels; the limit keeps a hostile text off the stack's end.
        if (depth > kMaxNesting)
            fail(line.number, static_cast<int>(line.indent) + 1, cat("modules nested more than ", kMaxNesting, " deep"));
        std::string_view rest = line.text.substr(line.indent);
        size_t offset = line.indent;
        if (!key.empty()) {
            const size_t colon = rest.find("): ");
            rest.remove_prefix(colon + 3);
            offset += colon + 3;
        }
        Module result;
        result.key = std::move(key);
        result.line = line.number;
        result.column = static_cast<int>(offset) + 1;
        size_t name_end = 0;
        while (name_end < rest.size() && identifier_char(rest[name_end])) ++name_end;
        if (name_end == 0 || name_end == rest.size() || rest[name_end] != '(')
            fail(result.line, result.column,
                 cat("expected a module such as Conv2d(…) or Sequential(; received '", rest.substr(0, 40), "'"));
        result.class_name = std::string(rest.substr(0, name_end));
        const size_t close = closing_parenthesis(rest, name_end);
        ++next_;
        if (close != std::string_view::npos) { // a leaf: Conv2d(3, 64, kernel_size=(7, 7), …)
            if (trim_space(rest.substr(close)).size() != 0)
                fail(result.line, static_cast<int>(offset + close) + 1, "text after the module's closing parenthesis");
            result.arguments = std::string(rest.substr(name_end + 1, close - name_end - 2));
            return result;
        }
        if (rest.substr(name_end) != "(")
            fail(result.line, static_cast<int>(offset + name_end) + 1, "a parenthesis that is never closed");
        result.container = true;
        for (;;) {
            if (next_ >= lines_.size())
                fail(result.line, result.column, cat(result.class_name, "( is never closed"));
            const Line& inner = lines_[next_];
            const std::string_view body = inner.text.substr(inner.indent);
            if (body == ")" && inner.indent <= line.indent) {
                ++next_;
                return result;
            }
            if (inner.indent <= line.indent)
                fail(inner.number, static_cast<int>(inner.indent) + 1,
                     cat("expected ')' closing ", result.class_name, "( of line ", result.line));
            if (body.starts_with("(") && body.find("): ") != std::string_view::npos) {
                result.children.push_back(module(std::string(body.substr(1, body.find("): ") - 1)), depth + 1));
            } else { // the container's own extra_repr
                result.arguments += std::string(body) + " ";
                ++next_;
            }
        }
    }

    std::vector<Line> lines_;
    size_t next_ = 0;
};

// ---- a leaf's arguments ----

struct Arguments {
    std::vector<FieldValue> positional;
    std::map<std::string, FieldValue, std::less<>> named;

    const FieldValue* find(std::string_view name, size_t position) const {
        if (auto it = named.find(name); it != named.end()) return &it->second;
        return position < positional.size() ? &positional[position] : nullptr;
    }
};

FieldValue read_value(std::string_view text, const Module& module) {
    text = trim_space(text);
    if (text == "True") return true;
    if (text == "False") return false;
    if (text == "None") return std::monostate{};
    if (text.size() >= 2 && (text.front() == '\'' || text.front() == '"')) return std::string(text.substr(1, text.size() - 2));
    if (text.front() == '(' || text.front() == '[') {
        std::vector<int64_t> items;
        std::string_view inner = text.substr(1, text.size() - 2);
        while (!trim_space(inner).empty()) {
            const size_t comma = inner.find(',');
            const std::string_view item = trim_space(inner.substr(0, comma));
            int64_t value = 0;
            if (auto [end, problem] = std::from_chars(item.data(), item.data() + item.size(), value);
                problem != std::errc() || end != item.data() + item.size())
                fail(module.line, module.column,
                     cat(module.class_name, ": '", item, "' in ", text, " is not a whole number netshape can use"));
            items.push_back(value);
            if (comma == std::string_view::npos) break;
            inner.remove_prefix(comma + 1);
        }
        return items;
    }
    int64_t integer = 0;
    if (auto [end, problem] = std::from_chars(text.data(), text.data() + text.size(), integer);
        problem == std::errc() && end == text.data() + text.size())
        return integer;
    const bool numeric = std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+';
    });
    if (numeric)
        if (std::optional<double> real = decimal_to_double(std::string(text))) return *real;
    return std::string(text); // a bare word: mode=nearest, padding=same
}

Arguments read_arguments(const Module& module) {
    Arguments arguments;
    std::string_view text = module.arguments;
    size_t start = 0;
    int depth = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
        const char c = i < text.size() ? text[i] : ',';
        if (c == '(' || c == '[') ++depth;
        if (c == ')' || c == ']') --depth;
        if (c != ',' || depth != 0) continue;
        const std::string_view item = trim_space(text.substr(start, i - start));
        start = i + 1;
        if (item.empty()) continue;
        const size_t equals = item.find('=');
        if (equals != std::string_view::npos && std::all_of(item.begin(), item.begin() + equals, identifier_char))
            arguments.named[std::string(item.substr(0, equals))] = read_value(item.substr(equals + 1), module);
        else
            arguments.positional.push_back(read_value(item, module));
    }
    return arguments;
}

// ---- the design ----

const std::map<std::string_view, std::string_view>& plain_kinds() {
    // Modules whose repr has nothing netshape's kind needs.
    static const std::map<std::string_view, std::string_view> kinds = {
        {"ReLU", "relu"},         {"ReLU6", "relu6"},       {"SiLU", "silu"},
        {"Sigmoid", "sigmoid"},   {"Tanh", "tanh"},         {"Identity", "identity"},
        {"Hardswish", "hardswish"}, {"Hardsigmoid", "hardsigmoid"}, {"Mish", "mish"}};
    return kinds;
}

// PyTorch class → netshape kind, and which repr arguments become which fields (the position in the
// repr, or npos for keyword-only ones).
struct FieldFromRepr {
    std::string_view repr_name;
    size_t position;
    std::string_view field;
    bool real = false; // a number field: an integer in the repr is written as a real
};
constexpr size_t kKeyword = static_cast<size_t>(-1);

struct LeafForm {
    std::string_view kind;
    std::vector<FieldFromRepr> fields;
};

const std::map<std::string, LeafForm, std::less<>>& leaf_forms() {
    static const std::map<std::string, LeafForm, std::less<>> forms = [] {
        std::map<std::string, LeafForm, std::less<>> map;
        const std::vector<FieldFromRepr> conv = {
            {"in_channels", 0, "in_channels"}, {"out_channels", 1, "out_channels"}, {"kernel_size", kKeyword, "kernel_size"},
            {"stride", kKeyword, "stride"},    {"padding", kKeyword, "padding"},    {"dilation", kKeyword, "dilation"},
            {"groups", kKeyword, "groups"},    {"bias", kKeyword, "bias"}};
        std::vector<FieldFromRepr> transposed = conv;
        transposed.push_back({"output_padding", kKeyword, "output_padding"});
        const std::vector<FieldFromRepr> norm = {{"num_features", 0, "num_features"},
                                                 {"affine", kKeyword, "affine"},
                                                 {"track_running_stats", kKeyword, "track_running_stats"}};
        for (const char* d : {"1d", "2d", "3d"}) {
            const std::string rank = d;
            map["Conv" + rank] = {"", conv};
            map["ConvTranspose" + rank] = {"", transposed};
            map["BatchNorm" + rank] = {"", norm};
            map["InstanceNorm" + rank] = {"", norm};
            map["MaxPool" + rank] = {"", {{"kernel_size", kKeyword, "kernel_size"}, {"stride", kKeyword, "stride"},
                                          {"padding", kKeyword, "padding"}, {"dilation", kKeyword, "dilation"},
                                          {"ceil_mode", kKeyword, "ceil_mode"}}};
            map["AvgPool" + rank] = {"", {{"kernel_size", kKeyword, "kernel_size"}, {"stride", kKeyword, "stride"},
                                          {"padding", kKeyword, "padding"}, {"ceil_mode", kKeyword, "ceil_mode"},
                                          {"count_include_pad", kKeyword, "count_include_pad"}}};
            map["AdaptiveAvgPool" + rank] = {"", {{"output_size", 0, "output_size"}}};
            map["AdaptiveMaxPool" + rank] = {"", {{"output_size", 0, "output_size"}}};
            map["Dropout" + rank] = {"", {{"p", 0, "p", true}}};
        }
        map["Linear"] = {"linear", {{"in_features", 0, "in_features"}, {"out_features", 1, "out_features"}, {"bias", kKeyword, "bias"}}};
        map["NonDynamicallyQuantizableLinear"] = map["Linear"];
        map["Dropout"] = {"dropout", {{"p", 0, "p", true}}};
        map["AlphaDropout"] = {"alpha_dropout", {{"p", 0, "p", true}}};
        map["Flatten"] = {"flatten", {{"start_dim", 0, "start_dim"}, {"end_dim", 1, "end_dim"}}};
        map["LayerNorm"] = {"layernorm", {{"normalized_shape", 0, "normalized_shape"}, {"elementwise_affine", kKeyword, "elementwise_affine"}}};
        map["GroupNorm"] = {"groupnorm", {{"num_groups", 0, "num_groups"}, {"num_channels", 1, "num_channels"}, {"affine", kKeyword, "affine"}}};
        map["Embedding"] = {"embedding", {{"num_embeddings", 0, "num_embeddings"}, {"embedding_dim", 1, "embedding_dim"}}};
        map["LeakyReLU"] = {"leaky_relu", {{"negative_slope", 0, "negative_slope", true}}};
        map["ELU"] = {"elu", {{"alpha", 0, "alpha", true}}};
        map["GELU"] = {"gelu", {{"approximate", kKeyword, "approximate"}}};
        map["Softmax"] = {"softmax", {{"dim", 0, "dim"}}};
        map["LogSoftmax"] = {"log_softmax", {{"dim", 0, "dim"}}};
        map["Softplus"] = {"softplus", {{"beta", 0, "beta", true}, {"threshold", 1, "threshold", true}}};
        map["PReLU"] = {"prelu", {{"num_parameters", 0, "num_parameters"}}};
        map["Upsample"] = {"upsample", {{"size", kKeyword, "size"}, {"scale_factor", kKeyword, "scale_factor", true},
                                        {"mode", kKeyword, "mode"}, {"align_corners", kKeyword, "align_corners"}}};
        const std::vector<FieldFromRepr> recurrent = {
            {"input_size", 0, "input_size"}, {"hidden_size", 1, "hidden_size"}, {"num_layers", kKeyword, "num_layers"},
            {"bias", kKeyword, "bias"},      {"bidirectional", kKeyword, "bidirectional"}};
        map["RNN"] = {"rnn", recurrent};
        map["GRU"] = {"gru", recurrent};
        map["LSTM"] = {"lstm", recurrent};
        map["LSTM"].fields.push_back({"proj_size", kKeyword, "proj_size"});
        return map;
    }();
    return forms;
}

// Lower-case kind of a ranked class: Conv2d → conv2d, ConvTranspose2d → conv_transpose2d, …
std::string ranked_kind(std::string_view class_name) {
    static const std::pair<std::string_view, std::string_view> prefixes[] = {
        {"ConvTranspose", "conv_transpose"}, {"Conv", "conv"},           {"BatchNorm", "batchnorm"},
        {"InstanceNorm", "instancenorm"},    {"MaxPool", "maxpool"},     {"AvgPool", "avgpool"},
        {"AdaptiveAvgPool", "adaptive_avgpool"}, {"AdaptiveMaxPool", "adaptive_maxpool"}, {"Dropout", "dropout"}};
    for (const auto& [prefix, kind] : prefixes)
        if (class_name.starts_with(prefix) && class_name.size() == prefix.size() + 2)
            return std::string(kind) + std::string(class_name.substr(prefix.size()));
    return {};
}

// Containers whose forward() runs their children in order.
bool sequential(std::string_view class_name) {
    return class_name == "Sequential" || class_name == "Conv2dNormActivation" || class_name == "ConvNormActivation" ||
           class_name == "Conv3dNormActivation" || class_name == "_Transition" || class_name == "_DenseLayer" ||
           class_name == "BasicConv2d";
}

bool shape_keeping(const Module& module) {
    return plain_kinds().count(module.class_name) || module.class_name.starts_with("Dropout") ||
           module.class_name == "AlphaDropout" || module.class_name == "LeakyReLU" || module.class_name == "ELU" ||
           module.class_name == "GELU";
}

const Module* child(const Module& module, std::string_view key) {
    for (const Module& c : module.children)
        if (c.key == key) return &c;
    return nullptr;
}

class Builder {
public:
    Builder(const Shape& input_shape, ImportResult& result) : result_(result) {
        result_.architecture.inputs.push_back({std::string(kDefaultInputName), input_shape});
    }

    void run(const Module& root) {
        result_.architecture.name = root.class_name;
        current_ = std::string(kDefaultInputName);
        if (root.container) convert_children(root, "");
        else convert(root, "");
        // A classifier that ends in a pool to 1×1 is flattened by its forward() (SqueezeNet's
        // torch.flatten(x, 1)): the model gives [classes], not [classes, 1, 1].
        const auto& layers = result_.architecture.layers;
        if (!layers.empty() && layers.back().type.starts_with("adaptive_avgpool")) {
            const Shape shape = shape_of(current_);
            if (shape.size() >= 2 && std::all_of(shape.begin() + 1, shape.end(), [](int64_t size) { return size == 1; })) {
                add(LayerSpec{.type = "flatten"}, "flatten");
                result_.warnings.push_back(cat("a flatten at the end: the model's last module pools to ", format_shape(shape),
                                               ", which forward() most often flattens (print(model) does not show it)"));
            }
        }
    }

private:
    // The layers written so far, analysed: the shape of `name`'s output.
    Shape shape_of(const std::string& name) {
        if (name == kDefaultInputName) return result_.architecture.inputs[0].shape;
        // Each question analyses the layers so far: a budget keeps a hostile text of thousands of
        // blocks from taking quadratic time (EfficientNetV2-S, 480 layers, uses 20,000).
        analysed_layers_ += result_.architecture.layers.size();
        if (analysed_layers_ > kAnalysisBudget)
            fail(0, 0, cat("the model is too large to import: joining its blocks needs the shapes of more than ",
                           with_thousands(kAnalysisBudget), " layers in all"));
        const Analysis analysis = analyze(result_.architecture);
        for (const LayerResult& layer : analysis.layers)
            if (layer.name == name && layer.status == LayerStatus::ok) return layer.output_shape;
        return {};
    }

    std::string add(LayerSpec spec, const std::string& wanted_name, std::vector<std::string> inputs = {}) {
        std::string name = wanted_name.empty() ? spec.type : wanted_name;
        for (int n = 2; names_.count(name); ++n) name = cat(wanted_name.empty() ? spec.type : wanted_name, "_", n);
        names_.insert(name);
        spec.name = name;
        if (inputs.empty()) inputs = {current_};
        // The previous layer (or the model's one input, first) is read without saying so.
        const auto& layers = result_.architecture.layers;
        const std::string& previous = layers.empty() ? std::string(kDefaultInputName) : layers.back().name;
        if (!(inputs.size() == 1 && inputs[0] == previous)) spec.inputs = std::move(inputs);
        drop_default_fields(spec);
        result_.architecture.layers.push_back(std::move(spec));
        current_ = name;
        return name;
    }

    // The sizes the repr states for checking (in_channels, in_features, num_features) are kept,
    // so that the analysis confirms the layers were joined as the model joins them.
    static std::string path_of(const std::string& parent, const std::string& key) {
        return parent.empty() ? key : cat(parent, ".", key);
    }

    // What forward() did with no module, seen from the next Linear's in_features.
    void fill_before_linear(const Module& module, const std::string& path) {
        const Module* first = &module;
        while (first->container && !first->children.empty()) {
            const Module* next = nullptr;
            for (const Module& c : first->children)
                if (!shape_keeping(c)) {
                    next = &c;
                    break;
                }
            if (!next) return;
            first = next;
        }
        if (first->class_name != "Linear") return;
        const Arguments arguments = read_arguments(*first);
        const FieldValue* in = arguments.find("in_features", 0);
        if (!in || !std::holds_alternative<int64_t>(*in)) return;
        const int64_t features = std::get<int64_t>(*in);
        const Shape shape = shape_of(current_);
        if (shape.size() < 2 || shape.back() == features) return;
        int64_t elements = 1;
        for (int64_t size : shape) elements *= size;
        if (elements == features) {
            add(LayerSpec{.type = "flatten"}, path_of(path, "flatten"));
            result_.warnings.push_back(cat("a flatten before ", path.empty() ? "the model's end" : path, ": ",
                                           format_shape(shape), " has the ", features,
                                           " features its Linear takes (forward() flattens there; print(model) does not show it)"));
        } else if (shape.size() >= 2 && shape.size() <= 4 && shape[0] == features) {
            add(LayerSpec{.type = cat("global_avgpool", shape.size() - 1, "d")}, path_of(path, "global_pool"));
            result_.warnings.push_back(cat("a global average pool before ", path, ": its Linear takes ", features,
                                           " features, the channels of ", format_shape(shape),
                                           " (forward() pools and flattens there; print(model) does not show it)"));
        }
    }

    void convert_children(const Module& module, const std::string& path) {
        for (const Module& c : module.children) convert(c, path_of(path, c.key));
    }

    void chain(const Module* module, const std::string& path) {
        if (module) convert(*module, path);
    }

    void convert(const Module& module, const std::string& path) {
        fill_before_linear(module, path);
        const std::string& name = module.class_name;
        if (!module.container) return leaf(module, path);
        if (sequential(name) || name == "ModuleList" || name == "ModuleDict") return convert_children(module, path);
        if (name == "BasicBlock" || name == "Bottleneck") return residual_block(module, path);
        if (name == "InvertedResidual" || name == "MBConv" || name == "FusedMBConv") return inverted_residual(module, path);
        if (name == "SqueezeExcitation") return squeeze_excitation(module, path);
        if (name == "Fire") return fire(module, path);
        if (name == "_DenseBlock") return dense_block(module, path);
        if (name == "MultiheadAttention" || name.starts_with("Transformer"))
            fail(module.line, module.column,
                 cat(name, ": print(model) does not show the number of heads, which netshape needs; write this "
                           "layer in netshape (multihead_attention, transformer_encoder_layer) instead"));
        if (warned_classes_.insert(name).second)
            result_.warnings.push_back(cat(name, " (line ", module.line, "): a module netshape does not know; its children are "
                                           "taken in the order they are defined, as print(model) shows no forward()"));
        convert_children(module, path);
    }

    void leaf(const Module& module, const std::string& path) {
        const std::string& name = module.class_name;
        if (sequential(name) || name == "ModuleList" || name == "ModuleDict") return; // empty
        if (auto plain = plain_kinds().find(name); plain != plain_kinds().end()) {
            add(LayerSpec{.type = std::string(plain->second)}, path);
            return;
        }
        if (name == "StochasticDepth") { // drop path: no parameters, the shape kept
            add(LayerSpec{.type = "identity"}, path);
            return;
        }
        if (name == "ZeroPad2d" || name == "ZeroPad1d" || name == "ZeroPad3d") return zero_pad(module, path);
        auto form = leaf_forms().find(name);
        if (form == leaf_forms().end() || (!module.children.empty())) unknown(module);
        const Arguments arguments = read_arguments(module);
        LayerSpec spec;
        spec.type = form->second.kind.empty() ? ranked_kind(name) : std::string(form->second.kind);
        for (const FieldFromRepr& field : form->second.fields) {
            const FieldValue* value = arguments.find(field.repr_name, field.position);
            if (!value || std::holds_alternative<std::monostate>(*value)) continue;
            FieldValue copy = *value;
            if (field.real && std::holds_alternative<int64_t>(copy)) copy = static_cast<double>(std::get<int64_t>(copy));
            if (field.field == "padding" && std::holds_alternative<std::string>(copy) &&
                std::get<std::string>(copy) != "same" && std::get<std::string>(copy) != "valid")
                continue;
            spec.fields.emplace_back(std::string(field.field), std::move(copy));
        }
        if (spec.type == "lstm" || spec.type == "gru" || spec.type == "rnn")
            result_.warnings.push_back(cat(path, ": ", name, " returns (output, state); netshape takes the output of every "
                                           "step, as forward() most often does"));
        add(std::move(spec), path);
    }

    void zero_pad(const Module& module, const std::string& path) {
        const Arguments arguments = read_arguments(module);
        const FieldValue* value = arguments.find("padding", 0);
        const size_t dims = static_cast<size_t>(module.class_name[7] - '0');
        LayerSpec spec{.type = cat("zero_pad", dims, "d")};
        if (value && std::holds_alternative<std::vector<int64_t>>(*value) && std::get<std::vector<int64_t>>(*value).size() == 2 * dims) {
            // PyTorch lists the last dimension first; netshape before/after per dimension in order.
            const auto& torch_order = std::get<std::vector<int64_t>>(*value);
            std::vector<int64_t> amounts;
            for (size_t d = dims; d-- > 0;) {
                amounts.push_back(torch_order[2 * d]);
                amounts.push_back(torch_order[2 * d + 1]);
            }
            spec.fields.emplace_back("padding", amounts);
        } else if (value) {
            spec.fields.emplace_back("padding", *value);
        }
        add(std::move(spec), path);
    }

    [[noreturn]] void unknown(const Module& module) {
        std::vector<std::string_view> known;
        for (const auto& [name, form] : leaf_forms()) known.push_back(name);
        for (const auto& [name, kind] : plain_kinds()) known.push_back(name);
        NameSuggester suggester(known);
        const std::string_view nearest = suggester.nearest(module.class_name);
        fail(module.line, module.column,
             cat("netshape does not know the module '", module.class_name, "'",
                 nearest.empty() ? std::string("") : cat("; did you mean '", nearest, "'?")));
    }

    // torchvision's ResNet blocks: conv-bn-relu … conv-bn, plus the input (or its downsample),
    // then the block's one ReLU module again.
    void residual_block(const Module& block, const std::string& path) {
        const std::string input = current_;
        const bool bottleneck = block.class_name == "Bottleneck";
        const Module* relu = child(block, "relu");
        const int steps = bottleneck ? 3 : 2;
        for (int step = 1; step <= steps; ++step) {
            chain(child(block, cat("conv", step)), path_of(path, cat("conv", step)));
            chain(child(block, cat("bn", step)), path_of(path, cat("bn", step)));
            if (step < steps) chain(relu, path_of(path, "relu"));
        }
        const std::string branch = current_;
        current_ = input;
        chain(child(block, "downsample"), path_of(path, "downsample"));
        add(LayerSpec{.type = "add"}, path_of(path, "add"), {branch, current_});
        chain(relu, path_of(path, "relu"));
    }

    // MobileNet's and EfficientNet's blocks: the input added back when the block keeps the shape
    // (stride 1 and as many channels out as in), after stochastic depth where there is one.
    void inverted_residual(const Module& block, const std::string& path) {
        const std::string input = current_;
        const Shape before = shape_of(input);
        for (const Module& c : block.children)
            if (c.key != "stochastic_depth") convert(c, path_of(path, c.key));
        if (shape_of(current_) != before || before.empty()) return;
        chain(child(block, "stochastic_depth"), path_of(path, "stochastic_depth"));
        add(LayerSpec{.type = "add"}, path_of(path, "add"), {current_, input});
    }

    // x · scale_activation(fc2(activation(fc1(avgpool(x))))), per channel.
    void squeeze_excitation(const Module& block, const std::string& path) {
        const std::string input = current_;
        for (const char* key : {"avgpool", "fc1", "activation", "fc2", "scale_activation"})
            chain(child(block, key), path_of(path, key));
        add(LayerSpec{.type = "multiply"}, path_of(path, "scale"), {input, current_});
    }

    // SqueezeNet: squeeze, then 1×1 and 3×3 expansions of it side by side.
    void fire(const Module& block, const std::string& path) {
        chain(child(block, "squeeze"), path_of(path, "squeeze"));
        chain(child(block, "squeeze_activation"), path_of(path, "squeeze_activation"));
        const std::string squeezed = current_;
        chain(child(block, "expand1x1"), path_of(path, "expand1x1"));
        chain(child(block, "expand1x1_activation"), path_of(path, "expand1x1_activation"));
        const std::string left = current_;
        current_ = squeezed;
        chain(child(block, "expand3x3"), path_of(path, "expand3x3"));
        chain(child(block, "expand3x3_activation"), path_of(path, "expand3x3_activation"));
        add(LayerSpec{.type = "concat"}, path_of(path, "cat"), {left, current_});
    }

    // DenseNet: each layer reads the block's input and every earlier layer's output, joined.
    void dense_block(const Module& block, const std::string& path) {
        std::vector<std::string> features = {current_};
        for (const Module& layer : block.children) {
            const std::string layer_path = path_of(path, layer.key);
            if (features.size() > 1) add(LayerSpec{.type = "concat"}, path_of(layer_path, "cat"), features);
            else current_ = features[0];
            convert(layer, layer_path);
            features.push_back(current_);
        }
        add(LayerSpec{.type = "concat"}, path_of(path, "cat"), features);
    }

    static constexpr size_t kAnalysisBudget = 2'000'000;
    size_t analysed_layers_ = 0;
    ImportResult& result_;
    std::string current_;
    std::set<std::string> names_;
    std::set<std::string> warned_classes_;
};

} // namespace

bool looks_like_pytorch_print(std::string_view text) {
    std::vector<std::string_view> first_lines;
    while (!text.empty() && first_lines.size() < 2) {
        const size_t end = std::min(text.find('\n'), text.size());
        const std::string_view line = trim_space(text.substr(0, end));
        if (!line.empty()) first_lines.push_back(line);
        text.remove_prefix(std::min(end + 1, text.size()));
    }
    if (first_lines.size() < 2 || !first_lines[0].ends_with('(')) return false;
    const std::string_view name = first_lines[0].substr(0, first_lines[0].size() - 1);
    return !name.empty() && std::all_of(name.begin(), name.end(), identifier_char) && first_lines[1].starts_with('(') &&
           first_lines[1].find("): ") != std::string_view::npos;
}

ImportResult import_pytorch_print(std::string_view text, const Shape& input_shape) {
    ImportResult result;
    try {
        const Module root = ReprParser(text).parse();
        Builder(input_shape, result).run(root);
    } catch (const ParseFailure& failure) {
        result.error = failure.error;
    }
    return result;
}

} // namespace netshape
