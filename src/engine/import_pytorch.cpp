#include "import_pytorch.h"

#include "analysis.h"
#include "catalog.h"
#include "pytorch_module_text.h"
#include "text.h"

#include <algorithm>
#include <map>
#include <set>

namespace netshape {

namespace {

using pytorch_text::Arguments;
using pytorch_text::fail;
using pytorch_text::identifier_char;
using pytorch_text::Module;
using pytorch_text::ParseFailure;
using pytorch_text::read_arguments;

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
        // Positions are the constructors' (nn.Conv2d(3, 64, 7) in code); a repr names all but the first.
        const std::vector<FieldFromRepr> conv = {
            {"in_channels", 0, "in_channels"}, {"out_channels", 1, "out_channels"}, {"kernel_size", 2, "kernel_size"},
            {"stride", 3, "stride"},           {"padding", 4, "padding"},           {"dilation", 5, "dilation"},
            {"groups", 6, "groups"},           {"bias", 7, "bias"}};
        const std::vector<FieldFromRepr> transposed = {
            {"in_channels", 0, "in_channels"}, {"out_channels", 1, "out_channels"}, {"kernel_size", 2, "kernel_size"},
            {"stride", 3, "stride"},           {"padding", 4, "padding"},           {"output_padding", 5, "output_padding"},
            {"groups", 6, "groups"},           {"bias", 7, "bias"},                 {"dilation", 8, "dilation"}};
        const std::vector<FieldFromRepr> norm = {{"num_features", 0, "num_features"},
                                                 {"affine", 3, "affine"},
                                                 {"track_running_stats", 4, "track_running_stats"}};
        for (const char* d : {"1d", "2d", "3d"}) {
            const std::string rank = d;
            map["Conv" + rank] = {"", conv};
            map["ConvTranspose" + rank] = {"", transposed};
            map["BatchNorm" + rank] = {"", norm};
            map["InstanceNorm" + rank] = {"", norm};
            map["MaxPool" + rank] = {"", {{"kernel_size", 0, "kernel_size"}, {"stride", 1, "stride"},
                                          {"padding", 2, "padding"}, {"dilation", 3, "dilation"},
                                          {"ceil_mode", 5, "ceil_mode"}}};
            map["AvgPool" + rank] = {"", {{"kernel_size", 0, "kernel_size"}, {"stride", 1, "stride"},
                                          {"padding", 2, "padding"}, {"ceil_mode", 3, "ceil_mode"},
                                          {"count_include_pad", 4, "count_include_pad"}}};
            map["AdaptiveAvgPool" + rank] = {"", {{"output_size", 0, "output_size"}}};
            map["AdaptiveMaxPool" + rank] = {"", {{"output_size", 0, "output_size"}}};
            map["Dropout" + rank] = {"", {{"p", 0, "p", true}}};
        }
        map["Linear"] = {"linear", {{"in_features", 0, "in_features"}, {"out_features", 1, "out_features"}, {"bias", 2, "bias"}}};
        map["NonDynamicallyQuantizableLinear"] = map["Linear"];
        map["Dropout"] = {"dropout", {{"p", 0, "p", true}}};
        map["AlphaDropout"] = {"alpha_dropout", {{"p", 0, "p", true}}};
        map["Flatten"] = {"flatten", {{"start_dim", 0, "start_dim"}, {"end_dim", 1, "end_dim"}}};
        map["LayerNorm"] = {"layernorm", {{"normalized_shape", 0, "normalized_shape"}, {"elementwise_affine", 2, "elementwise_affine"}}};
        map["GroupNorm"] = {"groupnorm", {{"num_groups", 0, "num_groups"}, {"num_channels", 1, "num_channels"}, {"affine", 3, "affine"}}};
        map["Embedding"] = {"embedding", {{"num_embeddings", 0, "num_embeddings"}, {"embedding_dim", 1, "embedding_dim"}}};
        map["LeakyReLU"] = {"leaky_relu", {{"negative_slope", 0, "negative_slope", true}}};
        map["ELU"] = {"elu", {{"alpha", 0, "alpha", true}}};
        map["GELU"] = {"gelu", {{"approximate", kKeyword, "approximate"}}};
        map["Softmax"] = {"softmax", {{"dim", 0, "dim"}}};
        map["LogSoftmax"] = {"log_softmax", {{"dim", 0, "dim"}}};
        map["Softplus"] = {"softplus", {{"beta", 0, "beta", true}, {"threshold", 1, "threshold", true}}};
        map["PReLU"] = {"prelu", {{"num_parameters", 0, "num_parameters"}}};
        map["Upsample"] = {"upsample", {{"size", 0, "size"}, {"scale_factor", 1, "scale_factor", true},
                                        {"mode", 2, "mode"}, {"align_corners", 3, "align_corners"}}};
        const std::vector<FieldFromRepr> recurrent = {
            {"input_size", 0, "input_size"}, {"hidden_size", 1, "hidden_size"}, {"num_layers", 2, "num_layers"},
            {"bias", 3, "bias"},             {"bidirectional", 6, "bidirectional"}};
        // nn.RNN takes its nonlinearity fourth, which moves the rest one along.
        map["RNN"] = {"rnn", {{"input_size", 0, "input_size"}, {"hidden_size", 1, "hidden_size"},
                              {"num_layers", 2, "num_layers"}, {"bias", 4, "bias"}, {"bidirectional", 7, "bidirectional"}}};
        map["GRU"] = {"gru", recurrent};
        map["LSTM"] = {"lstm", recurrent};
        map["LSTM"].fields.push_back({"proj_size", 7, "proj_size"});
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
           class_name == "MLPBlock";
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
    Builder(const Shape& input_shape, ImportResult& result, int64_t attention_heads = 0)
        : result_(result), attention_heads_(attention_heads) {
        result_.architecture.inputs.push_back({std::string(kDefaultInputName), input_shape});
    }

    void run(const Module& root) {
        result_.architecture.name = root.class_name;
        current_ = std::string(kDefaultInputName);
        if (root.class_name == "VisionTransformer" && root.container) vision_transformer(root);
        else if (root.container) convert_children(root, "");
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
        if (name == "CNBlock") return convnext_block(module, path);
        if (name == "BasicConv2d") { // Inception's and GoogLeNet's: conv, bn, then F.relu, which has no module
            convert_children(module, path);
            return void(add(LayerSpec{.type = "relu"}, path_of(path, "relu")));
        }
        if (name.starts_with("Inception") && inception_block(module, path)) return;
        if (name == "MultiheadAttention" && attention_heads_ > 0) return attention(module, path);
        if (name == "EncoderBlock") return vit_encoder_block(module, path);
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
        if (name == "LayerNorm2d") { // torchvision's: a LayerNorm over the channels of [C, H, W]
            const Arguments arguments = read_arguments(module);
            LayerSpec spec{.type = "layernorm", .fields = {{"axis", int64_t{0}}}};
            if (const FieldValue* affine = arguments.find("elementwise_affine", 2); affine && std::holds_alternative<bool>(*affine))
                spec.fields.emplace_back("elementwise_affine", *affine);
            add(std::move(spec), path);
            return;
        }
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
            // A name where a number goes: code that computes sizes is read, not run.
            const LayerKind* kind = find_kind(spec.type);
            const FieldSpec* field_spec = kind ? kind->find_field(field.field) : nullptr;
            if (std::holds_alternative<std::string>(copy) && field_spec && field_spec->type != FieldType::choice &&
                field_spec->type != FieldType::padding)
                fail(module.line, module.column,
                     cat(name, ": ", field.repr_name, " is '", std::get<std::string>(copy),
                         "', not a number; netshape reads the code, it does not run it: write the number"));
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

    // ConvNeXt (torchvision's CNBlock): forward() is input + stochastic_depth(layer_scale ·
    // block(input)), layer_scale an nn.Parameter of [C, 1, 1] the repr does not show; the block's
    // two Permute() modules (whose repr shows no dims) move the channels last for the LayerNorm
    // and the Linears and back: permute(0, 2, 3, 1) and permute(0, 3, 1, 2) on the batch.
    void convnext_block(const Module& block, const std::string& path) {
        const std::string input = current_;
        const Module* body = child(block, "block");
        if (!body) fail(block.line, block.column, "CNBlock without its (block): Sequential");
        int permutes = 0;
        for (const Module& c : body->children) {
            const std::string child_path = path_of(path_of(path, "block"), c.key);
            if (c.class_name != "Permute") {
                convert(c, child_path);
                continue;
            }
            if (++permutes > 2) fail(c.line, c.column, "a CNBlock with more than two Permute()s, which torchvision's has not");
            const std::vector<int64_t> dims = permutes == 1 ? std::vector<int64_t>{1, 2, 0} : std::vector<int64_t>{2, 0, 1};
            add(LayerSpec{.type = "permute", .fields = {{"dims", dims}}}, child_path);
        }
        const Shape shape = shape_of(current_);
        if (shape.size() != 3) fail(block.line, block.column, cat("CNBlock's block gives ", format_shape(shape), ", not [C, H, W]"));
        const std::string branch = current_;
        add(LayerSpec{.type = "parameter", .fields = {{"shape", std::vector<int64_t>{shape[0], 1, 1}}}}, path_of(path, "layer_scale"));
        add(LayerSpec{.type = "multiply"}, path_of(path, "scale"), {current_, branch});
        chain(child(block, "stochastic_depth"), path_of(path, "stochastic_depth"));
        add(LayerSpec{.type = "add"}, path_of(path, "add"), {current_, input});
    }

    // Inception v3's blocks (torchvision's InceptionA–E): branches of the named children side by
    // side, joined along the channels, some starting with a pool forward() applies without a
    // module (F.avg_pool2d(x, 3, stride=1, padding=1); F.max_pool2d(x, 3, stride=2)), and
    // InceptionE's branches ending in two convolutions of one input, joined. InceptionAux is a side
    // output: F.avg_pool2d(x, 5, stride=3), conv0, conv1, a pool to 1×1, flatten, fc; the main path
    // goes on from its input. False for a class of another name or form (GoogLeNet's InceptionAux).
    bool inception_block(const Module& block, const std::string& path) {
        // One branch: children in order; "a|b" two children on the same input, joined; "avg" and
        // "max" the functional pools.
        static const std::map<std::string_view, std::vector<std::vector<std::string_view>>> branches = {
            {"InceptionA", {{"branch1x1"}, {"branch5x5_1", "branch5x5_2"}, {"branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3"},
                            {"avg", "branch_pool"}}},
            {"InceptionB", {{"branch3x3"}, {"branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3"}, {"max"}}},
            {"InceptionC", {{"branch1x1"}, {"branch7x7_1", "branch7x7_2", "branch7x7_3"},
                            {"branch7x7dbl_1", "branch7x7dbl_2", "branch7x7dbl_3", "branch7x7dbl_4", "branch7x7dbl_5"},
                            {"avg", "branch_pool"}}},
            {"InceptionD", {{"branch3x3_1", "branch3x3_2"}, {"branch7x7x3_1", "branch7x7x3_2", "branch7x7x3_3", "branch7x7x3_4"},
                            {"max"}}},
            {"InceptionE", {{"branch1x1"}, {"branch3x3_1", "branch3x3_2a|branch3x3_2b"},
                            {"branch3x3dbl_1", "branch3x3dbl_2", "branch3x3dbl_3a|branch3x3dbl_3b"}, {"avg", "branch_pool"}}},
        };
        const std::string input = current_;
        if (block.class_name == "InceptionAux" && child(block, "conv0") && child(block, "conv1") && child(block, "fc")) {
            add(LayerSpec{.type = "avgpool2d", .fields = {{"kernel_size", int64_t{5}}, {"stride", int64_t{3}}}}, path_of(path, "avg_pool"));
            chain(child(block, "conv0"), path_of(path, "conv0"));
            chain(child(block, "conv1"), path_of(path, "conv1"));
            add(LayerSpec{.type = "global_avgpool2d"}, path_of(path, "adaptive_avg_pool"));
            chain(child(block, "fc"), path_of(path, "fc"));
            result_.warnings.push_back(cat(path, " (InceptionAux): a second output, from ", input,
                                           "; forward() computes it only in training"));
            current_ = input;
            return true;
        }
        auto form = branches.find(block.class_name);
        if (form == branches.end()) return false;
        auto need = [&](std::string_view key) -> const Module& {
            const Module* found = child(block, key);
            if (!found) fail(block.line, block.column, cat(block.class_name, " without its (", key, "), which torchvision's has"));
            return *found;
        };
        std::vector<std::string> outputs;
        for (const auto& branch : form->second) {
            current_ = input;
            for (std::string_view step : branch) {
                if (step == "avg")
                    add(LayerSpec{.type = "avgpool2d", .fields = {{"kernel_size", int64_t{3}}, {"stride", int64_t{1}}, {"padding", int64_t{1}}}},
                        path_of(path, "avg_pool"));
                else if (step == "max")
                    add(LayerSpec{.type = "maxpool2d", .fields = {{"kernel_size", int64_t{3}}, {"stride", int64_t{2}}}}, path_of(path, "max_pool"));
                else if (const size_t bar = step.find('|'); bar != std::string_view::npos) {
                    const std::string from = current_;
                    const std::string left(step.substr(0, bar)), right(step.substr(bar + 1));
                    convert(need(left), path_of(path, left));
                    const std::string first = current_;
                    current_ = from;
                    convert(need(right), path_of(path, right));
                    add(LayerSpec{.type = "concat"}, path_of(path, cat(left, "_cat")), {first, current_});
                } else {
                    convert(need(step), path_of(path, std::string(step)));
                }
            }
            outputs.push_back(current_);
        }
        add(LayerSpec{.type = "concat"}, path_of(path, "cat"), outputs);
        return true;
    }

    // A MultiheadAttention with the heads given (its repr shows only out_proj): self-attention, as
    // torchvision's blocks call it, its width checked against out_proj's in_features.
    void attention(const Module& module, const std::string& path) {
        LayerSpec spec{.type = "multihead_attention", .fields = {{"num_heads", attention_heads_}}};
        if (const Module* out = child(module, "out_proj")) {
            const Arguments arguments = read_arguments(*out);
            if (const FieldValue* width = arguments.find("in_features", 0); width && std::holds_alternative<int64_t>(*width))
                spec.fields.emplace_back("embed_dim", *width);
            if (const FieldValue* bias = arguments.find("bias", 2); bias && std::holds_alternative<bool>(*bias))
                spec.fields.emplace_back("bias", *bias);
        }
        if (!warned_heads_) {
            warned_heads_ = true;
            result_.warnings.push_back(cat(attention_heads_, " heads in each MultiheadAttention, as given: print(model) does not "
                                           "show them (they change no count or shape)"));
        }
        add(std::move(spec), path);
    }

    // torchvision's VisionTransformer: forward() embeds patches with conv_proj, flattens them to a
    // sequence (reshape to [C, H·W], permute to [H·W, C]), puts its class_token ([1, C], an
    // nn.Parameter the repr does not show) first, runs the encoder (which adds pos_embedding,
    // [L + 1, C], also a parameter) and classifies the class token's output, x[:, 0], with heads.
    void vision_transformer(const Module& root) {
        const Module* patches = child(root, "conv_proj");
        const Module* encoder = child(root, "encoder");
        const Module* heads = child(root, "heads");
        if (!patches || !encoder || !heads)
            fail(root.line, root.column, "VisionTransformer without its (conv_proj), (encoder) and (heads), which torchvision's has");
        convert(*patches, "conv_proj");
        const Shape grid = shape_of(current_);
        if (grid.size() != 3) fail(patches->line, patches->column, cat("conv_proj gives ", format_shape(grid), ", not [C, H, W]"));
        add(LayerSpec{.type = "reshape", .fields = {{"shape", std::vector<int64_t>{grid[0], grid[1] * grid[2]}}}}, "reshape");
        add(LayerSpec{.type = "permute", .fields = {{"dims", std::vector<int64_t>{1, 0}}}}, "permute");
        const std::string tokens = current_;
        add(LayerSpec{.type = "parameter", .fields = {{"shape", std::vector<int64_t>{1, grid[0]}}}}, "class_token");
        add(LayerSpec{.type = "concat", .fields = {{"axis", int64_t{0}}}}, "cat", {current_, tokens});
        const std::string sequence = current_;
        add(LayerSpec{.type = "parameter", .fields = {{"shape", std::vector<int64_t>{grid[1] * grid[2] + 1, grid[0]}}}},
            "encoder.pos_embedding");
        add(LayerSpec{.type = "add"}, "encoder.add", {sequence, current_});
        convert_children(*encoder, "encoder");
        add(LayerSpec{.type = "select", .fields = {{"axis", int64_t{0}}, {"index", int64_t{0}}}}, "class_token_output");
        convert(*heads, "heads");
    }

    // ViT's EncoderBlock: x = input + dropout(self_attention(ln_1(input))); x + mlp(ln_2(x)).
    void vit_encoder_block(const Module& block, const std::string& path) {
        const std::string input = current_;
        for (const char* key : {"ln_1", "self_attention", "dropout"}) chain(child(block, key), path_of(path, key));
        add(LayerSpec{.type = "add"}, path_of(path, "add_1"), {current_, input});
        const std::string middle = current_;
        for (const char* key : {"ln_2", "mlp"}) chain(child(block, key), path_of(path, key));
        add(LayerSpec{.type = "add"}, path_of(path, "add_2"), {current_, middle});
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
    int64_t attention_heads_ = 0;
    std::string current_;
    std::set<std::string> names_;
    std::set<std::string> warned_classes_;
    bool warned_heads_ = false;
};

} // namespace

ImportResult import_pytorch_code(std::string_view text, const Shape& input_shape) {
    ImportResult result;
    try {
        const Module root = pytorch_text::read_sequential_code(text);
        Builder(input_shape, result).run(root);
    } catch (const ParseFailure& failure) {
        result.error = failure.error;
    }
    return result;
}

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

ImportResult import_pytorch_print(std::string_view text, const Shape& input_shape, int64_t attention_heads) {
    ImportResult result;
    try {
        const Module root = pytorch_text::read_repr(text);
        Builder(input_shape, result, attention_heads).run(root);
    } catch (const ParseFailure& failure) {
        result.error = failure.error;
    }
    return result;
}

} // namespace netshape
