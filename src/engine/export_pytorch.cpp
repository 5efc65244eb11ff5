#include "export_pytorch.h"

#include "catalog.h"
#include "layer_kind.h"
#include "link_text.h"
#include "text.h"

#include <algorithm>
#include <map>
#include <set>

namespace netshape {

namespace {

// ---- Python literals ----

std::string py_bool(bool value) { return value ? "True" : "False"; }

std::string py_float(double value) {
    std::string text;
    append_piece(text, value); // the shortest text that reads back the same
    if (text.find_first_of(".en") == std::string::npos) text += ".0";
    return text;
}

std::string py_string(std::string_view text) {
    std::string quoted = "'";
    for (char c : text) {
        if (c == '\\' || c == '\'') quoted += '\\';
        quoted += c;
    }
    return quoted + "'";
}

// (3, 3) → "3": PyTorch takes one number for every dimension.
std::string py_sizes(const std::vector<int64_t>& sizes) {
    if (!sizes.empty() && std::all_of(sizes.begin(), sizes.end(), [&](int64_t v) { return v == sizes[0]; }))
        return std::to_string(sizes[0]);
    std::vector<std::string> items;
    for (int64_t v : sizes) items.push_back(std::to_string(v));
    return "(" + join(items, ", ") + (items.size() == 1 ? ",)" : ")");
}

std::string py_list(const std::vector<int64_t>& values) {
    std::vector<std::string> items;
    for (int64_t v : values) items.push_back(std::to_string(v));
    return "[" + join(items, ", ") + "]";
}

// ---- names ----

const std::set<std::string_view>& python_keywords() {
    static const std::set<std::string_view> words = {
        "False", "None",   "True",    "and",      "as",     "assert", "async",  "await",    "break",
        "class", "continue", "def",   "del",      "elif",   "else",   "except", "finally",  "for",
        "from",  "global", "if",      "import",   "in",     "is",     "lambda", "nonlocal", "not",
        "or",    "pass",   "raise",   "return",   "try",    "while",  "with",   "yield",
        // names the written code itself uses
        "self", "torch", "nn", "F", "OrderedDict", "example_inputs", "Net", "keras", "layers", "model"};
    return words;
}

// ---- what one layer becomes ----

struct Written {
    std::string module;  // the constructor in __init__ ("nn.Conv2d(1, 32, kernel_size=5)"), or empty
    std::string forward; // the expression in forward(): "$m" is the module, "$0", "$1", … the inputs
    bool needs_pytorch_2_1 = false; // bias=False in LayerNorm and the transformer layers came in 2.1
    bool needs_torchvision = false; // torchvision.ops.StochasticDepth
    // A recurrent layer's call ("$m($0)"), whose result — (output, final states) — the forward
    // expression reads as "$r"; kept in a variable of its own where an rnn_state layer reads the states.
    std::string call;
};

bool needs_pytorch_2_1(const Fields& fields) { return !fields.boolean("bias"); }

struct Refusal {
    std::string field, message;
};

struct LayerInput {
    std::string variable;
    Shape shape;
    // For a recurrent layer whose final states are read: where h_n and c_n are (batch second).
    std::string h_state, c_state;
};

std::string substitute(std::string text, const std::string& module, const std::vector<LayerInput>& inputs) {
    std::string out;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '$' && i + 1 < text.size()) {
            if (text[i + 1] == 'm') {
                out += module;
                ++i;
                continue;
            }
            if (std::isdigit(static_cast<unsigned char>(text[i + 1]))) {
                out += inputs[static_cast<size_t>(text[i + 1] - '0')].variable;
                ++i;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

std::string arguments(const std::vector<std::string>& items) { return join(items, ", "); }

// `dims` spatial dimensions: "1d", "2d", "3d".
std::string rank_suffix(size_t dims) { return std::to_string(dims) + "d"; }

// The padding as PyTorch's convolutions and pooling take it.
std::string padding_argument(const Padding& padding) {
    if (padding.mode == Padding::Mode::same) return "'same'";
    if (padding.mode == Padding::Mode::valid) return "0";
    return py_sizes(padding.amounts);
}

// Before/after amounts per spatial dimension from zero_pad's and crop's one, per-dimension or
// before/after forms.
std::vector<std::pair<int64_t, int64_t>> sides(const std::vector<int64_t>& written, size_t dims) {
    std::vector<std::pair<int64_t, int64_t>> result;
    for (size_t d = 0; d < dims; ++d) {
        if (written.size() == 1) result.push_back({written[0], written[0]});
        else if (written.size() == dims) result.push_back({written[d], written[d]});
        else result.push_back({written[2 * d], written[2 * d + 1]});
    }
    return result;
}

const std::map<std::string_view, std::string_view>& fused_activations() {
    static const std::map<std::string_view, std::string_view> functions = {
        {"relu", "torch.relu($)"},         {"sigmoid", "torch.sigmoid($)"},  {"tanh", "torch.tanh($)"},
        {"gelu", "F.gelu($)"},             {"silu", "F.silu($)"},            {"elu", "F.elu($)"},
        {"leaky_relu", "F.leaky_relu($)"}, {"softmax", "F.softmax($, dim=-1)"}, {"log_softmax", "F.log_softmax($, dim=-1)"},
        {"relu6", "F.relu6($)"},           {"hardswish", "F.hardswish($)"},  {"hardsigmoid", "F.hardsigmoid($)"},
        {"mish", "F.mish($)"},             {"softplus", "F.softplus($)"},    {"identity", "$"}};
    return functions;
}

// The module classes of the element-wise activation kinds with no fields that matter here.
const std::map<std::string_view, std::string_view>& activation_modules() {
    static const std::map<std::string_view, std::string_view> modules = {
        {"relu", "nn.ReLU()"},           {"sigmoid", "nn.Sigmoid()"},         {"tanh", "nn.Tanh()"},
        {"silu", "nn.SiLU()"},           {"identity", "nn.Identity()"},       {"relu6", "nn.ReLU6()"},
        {"hardswish", "nn.Hardswish()"}, {"hardsigmoid", "nn.Hardsigmoid()"}, {"mish", "nn.Mish()"}};
    return modules;
}

// A causal mask for attention of `queries` positions over `keys`: True where a query may not look.
std::string causal_mask(int64_t queries, int64_t keys) {
    return cat("torch.ones(", queries, ", ", keys, ", dtype=torch.bool).triu(1)");
}

// A recurrent layer's output: every step, or the last step's state (both directions' final states
// for a bidirectional layer, as Keras's return_sequences=False gives).
// "$r" is what the module returned: (output, h_n) or (output, (h_n, c_n)).
std::string recurrent_forward(const Fields& fields, int64_t hidden) {
    // Unset, it follows the convention, and this is PyTorch's: every step.
    const bool all_steps = !fields.given("return_sequences") || fields.boolean("return_sequences");
    if (all_steps) return "$r[0]";
    if (!fields.boolean("bidirectional")) return "$r[0][:, -1]";
    return cat("(lambda out: torch.cat([out[:, -1, :", hidden, "], out[:, 0, ", hidden, ":]], dim=1))($r[0])");
}

// The call of a recurrent module: the sequence, then the initial states, if given. Every variable
// in forward() has the batch first; PyTorch's h_0 and c_0 have it second.
std::string recurrent_call(size_t inputs) {
    const auto state = [](size_t i) { return cat("$", i, ".transpose(0, 1).contiguous()"); };
    if (inputs == 1) return "$m($0)";
    if (inputs == 2) return cat("$m($0, ", state(1), ")");
    return cat("$m($0, (", state(1), ", ", state(2), "))");
}

Written write_layer(const LayerKind& kind, const Fields& fields, const LayerResult& result,
                    const std::vector<LayerInput>& inputs) {
    const std::string_view type = kind.type;
    static const Shape kNoInput; // a learnable tensor (parameter) reads none
    const Shape& in = inputs.empty() ? kNoInput : inputs[0].shape;
    const size_t rank = in.size();
    // Spatial dimensions: the kind's own (maxpool1d also pools a [L] sample, as PyTorch pools an
    // unbatched [C, L]), or for the rank-generic kinds those of [C, spatial…].
    const size_t dims = kind.spatial_rank ? kind.spatial_rank : (rank > 0 ? rank - 1 : 0);
    const int64_t channels = rank > 0 ? in[0] : 0;

    if (type == "linear")
        return {cat("nn.Linear(", in.back(), ", ", fields.integer("out_features"),
                    fields.boolean("bias") ? "" : ", bias=False", ")"),
                "$m($0)"};
    if (type == "flatten") {
        const int64_t start = fields.integer("start_dim"), end = fields.integer("end_dim");
        return {start == 1 && end == -1 ? "nn.Flatten()" : cat("nn.Flatten(", start, ", ", end, ")"), "$m($0)"};
    }

    const bool transposed = type.starts_with("conv_transpose");
    if (type == "conv" || type == "conv1d" || type == "conv2d" || type == "conv3d" || transposed) {
        std::vector<std::string> args = {std::to_string(channels), std::to_string(fields.integer("out_channels")),
                                         "kernel_size=" + py_sizes(fields.sizes("kernel_size", dims))};
        const auto stride = fields.sizes("stride", dims);
        if (py_sizes(stride) != "1") args.push_back("stride=" + py_sizes(stride));
        const Padding padding = fields.padding("padding", dims);
        if (padding_argument(padding) != "0") args.push_back("padding=" + padding_argument(padding));
        if (transposed) {
            const auto output_padding = fields.sizes("output_padding", dims);
            if (py_sizes(output_padding) != "0") args.push_back("output_padding=" + py_sizes(output_padding));
        }
        if (fields.integer("groups") != 1) args.push_back(cat("groups=", fields.integer("groups")));
        if (!fields.boolean("bias")) args.push_back("bias=False");
        const auto dilation = fields.sizes("dilation", dims);
        if (py_sizes(dilation) != "1") args.push_back("dilation=" + py_sizes(dilation));
        return {cat(transposed ? "nn.ConvTranspose" : "nn.Conv", rank_suffix(dims), "(", arguments(args), ")"), "$m($0)"};
    }
    if (type == "depthwise_conv2d" || type == "separable_conv2d") {
        const int64_t depth = channels * fields.integer("depth_multiplier");
        std::vector<std::string> args = {std::to_string(channels), std::to_string(depth),
                                         "kernel_size=" + py_sizes(fields.sizes("kernel_size", 2))};
        const auto stride = fields.sizes("stride", 2);
        if (py_sizes(stride) != "1") args.push_back("stride=" + py_sizes(stride));
        const Padding padding = fields.padding("padding", 2);
        if (padding_argument(padding) != "0") args.push_back("padding=" + padding_argument(padding));
        const auto dilation = fields.sizes("dilation", 2);
        if (py_sizes(dilation) != "1") args.push_back("dilation=" + py_sizes(dilation));
        args.push_back(cat("groups=", channels));
        if (type == "depthwise_conv2d") {
            if (!fields.boolean("bias")) args.push_back("bias=False");
            return {cat("nn.Conv2d(", arguments(args), ")"), "$m($0)"};
        }
        // Keras's SeparableConv2D: the depthwise step has no bias, the pointwise one may.
        args.push_back("bias=False");
        return {cat("nn.Sequential(OrderedDict(depthwise=nn.Conv2d(", arguments(args), "), pointwise=nn.Conv2d(", depth,
                    ", ", fields.integer("out_channels"), ", kernel_size=1", fields.boolean("bias") ? "" : ", bias=False",
                    ")))"),
                "$m($0)"};
    }
    const bool max_pool = type == "maxpool" || type == "maxpool1d" || type == "maxpool2d" || type == "maxpool3d";
    const bool avg_pool = type == "avgpool" || type == "avgpool1d" || type == "avgpool2d" || type == "avgpool3d";
    if (max_pool || avg_pool) {
        const Padding padding = fields.padding("padding", dims); // never "same": the analysis refuses it
        std::vector<std::string> args = {"kernel_size=" + py_sizes(fields.sizes("kernel_size", dims))};
        if (fields.given("stride")) args.push_back("stride=" + py_sizes(fields.sizes("stride", dims)));
        if (padding_argument(padding) != "0") args.push_back("padding=" + padding_argument(padding));
        if (max_pool) {
            const auto dilation = fields.sizes("dilation", dims);
            if (py_sizes(dilation) != "1") args.push_back("dilation=" + py_sizes(dilation));
        } else if (!fields.boolean("count_include_pad")) {
            args.push_back("count_include_pad=False");
        }
        if (fields.boolean("ceil_mode")) args.push_back("ceil_mode=True");
        return {cat(max_pool ? "nn.MaxPool" : "nn.AvgPool", rank_suffix(dims), "(", arguments(args), ")"), "$m($0)"};
    }
    if (type.starts_with("global_")) {
        const std::string module = cat(type.starts_with("global_max") ? "nn.AdaptiveMaxPool" : "nn.AdaptiveAvgPool",
                                       rank_suffix(dims), "(1)");
        return {module, fields.boolean("keepdims") ? "$m($0)" : "torch.flatten($m($0), 1)"};
    }
    if (type.starts_with("adaptive_"))
        return {cat(type.starts_with("adaptive_max") ? "nn.AdaptiveMaxPool" : "nn.AdaptiveAvgPool", rank_suffix(dims),
                    "(", py_sizes(fields.sizes("output_size", dims)), ")"),
                "$m($0)"};
    if (type.starts_with("batchnorm") || type.starts_with("instancenorm")) {
        const bool batch = type.starts_with("batchnorm");
        // BatchNorm1d takes [C] and [C, L]; the others one spatial rank each.
        const size_t class_rank = batch && rank <= 2 ? 1 : dims;
        std::vector<std::string> args = {std::to_string(channels)};
        // Written where given: the fields' defaults are PyTorch's.
        for (std::string_view name : {"eps", "affine", "track_running_stats"})
            if (fields.given(name))
                args.push_back(cat(name, "=", name == "eps" ? py_float(fields.number(name)) : py_bool(fields.boolean(name))));
        return {cat(batch ? "nn.BatchNorm" : "nn.InstanceNorm", rank_suffix(class_rank), "(", arguments(args), ")"),
                "$m($0)"};
    }
    if (type == "layernorm" && fields.given("axis")) {
        // One axis: moved last, normalised, moved back (torchvision's LayerNorm2d permutes the same way).
        const int64_t written = fields.integer("axis");
        const int64_t axis = (written < 0 ? written + static_cast<int64_t>(rank) : written) + 1;
        std::vector<std::string> args = {std::to_string(result.weights.empty() ? in[static_cast<size_t>(axis - 1)]
                                                                               : result.weights[0].shape[0])};
        if (!fields.boolean("elementwise_affine")) args.push_back("elementwise_affine=False");
        else if (!fields.boolean("bias")) args.push_back("bias=False");
        return {cat("nn.LayerNorm(", arguments(args), ")"), cat("$m($0.movedim(", axis, ", -1)).movedim(-1, ", axis, ")"),
                fields.boolean("elementwise_affine") && needs_pytorch_2_1(fields)};
    }
    if (type == "layernorm") {
        // Not given, it is the last dimension (the field has no default value to read).
        const Shape normalized = fields.given("normalized_shape") ? fields.list("normalized_shape") : Shape{in.back()};
        std::vector<std::string> args = {py_sizes(normalized)};
        if (normalized.size() > 1) args[0] = py_list(normalized);
        if (!fields.boolean("elementwise_affine")) args.push_back("elementwise_affine=False");
        else if (!fields.boolean("bias")) args.push_back("bias=False");
        return {cat("nn.LayerNorm(", arguments(args), ")"), "$m($0)",
                fields.boolean("elementwise_affine") && needs_pytorch_2_1(fields)};
    }
    if (type == "groupnorm")
        return {cat("nn.GroupNorm(", fields.integer("num_groups"), ", ", channels,
                    fields.boolean("affine") ? "" : ", affine=False", ")"),
                "$m($0)"};
    if (type == "embedding")
        return {cat("nn.Embedding(", fields.integer("num_embeddings"), ", ", fields.integer("embedding_dim"), ")"), "$m($0)"};
    if (type == "rnn" || type == "lstm" || type == "gru") {
        const int64_t hidden = fields.integer("hidden_size");
        std::vector<std::string> args = {std::to_string(in.back()), std::to_string(hidden)};
        if (fields.integer("num_layers") != 1) args.push_back(cat("num_layers=", fields.integer("num_layers")));
        if (!fields.boolean("bias")) args.push_back("bias=False");
        args.push_back("batch_first=True");
        if (fields.boolean("bidirectional")) args.push_back("bidirectional=True");
        int64_t state = hidden;
        if (type == "lstm" && fields.integer("proj_size") != 0) {
            args.push_back(cat("proj_size=", fields.integer("proj_size")));
            state = fields.integer("proj_size");
        }
        const std::string_view name = type == "rnn" ? "RNN" : type == "lstm" ? "LSTM" : "GRU";
        return {cat("nn.", name, "(", arguments(args), ")"), recurrent_forward(fields, state), false, false,
                recurrent_call(inputs.size())};
    }
    if (type == "rnn_state") {
        // The state the recurrent layer's module returned, with the batch moved first.
        const std::string& state = fields.choice("which") == "h" ? inputs[0].h_state : inputs[0].c_state;
        return {"", cat(state, ".transpose(0, 1)")};
    }
    if (type == "multihead_attention") {
        const Shape& query = inputs[0].shape;
        const Shape& key = inputs.size() > 1 ? inputs[1].shape : query;
        const Shape& value = inputs.size() > 2 ? inputs[2].shape : key;
        std::vector<std::string> args = {std::to_string(query.back()), std::to_string(fields.integer("num_heads"))};
        if (!fields.boolean("bias")) args.push_back("bias=False");
        if (key.back() != query.back() || value.back() != query.back()) {
            args.push_back(cat("kdim=", key.back()));
            args.push_back(cat("vdim=", value.back()));
        }
        args.push_back("batch_first=True");
        const std::string key_variable = inputs.size() > 1 ? "$1" : "$0";
        const std::string value_variable = inputs.size() > 2 ? "$2" : key_variable;
        const std::string mask =
            fields.boolean("causal") ? cat(", attn_mask=", causal_mask(query[0], key[0])) : std::string();
        return {cat("nn.MultiheadAttention(", arguments(args), ")"),
                cat("$m($0, ", key_variable, ", ", value_variable, mask, ", need_weights=False)[0]")};
    }
    if (type == "transformer_encoder_layer" || type == "transformer_decoder_layer") {
        std::vector<std::string> args = {std::to_string(in.back()), std::to_string(fields.integer("nhead"))};
        args.push_back(cat("dim_feedforward=", fields.integer("dim_feedforward")));
        args.push_back("batch_first=True");
        if (fields.choice("feedforward_activation") != "relu")
            args.push_back("activation=" + py_string(fields.choice("feedforward_activation")));
        if (fields.boolean("norm_first")) args.push_back("norm_first=True");
        if (!fields.boolean("bias")) args.push_back("bias=False");
        const bool encoder = type == "transformer_encoder_layer";
        const std::string mask = fields.boolean("causal")
                                     ? cat(encoder ? ", src_mask=" : ", tgt_mask=", causal_mask(in[0], in[0]))
                                     : std::string();
        return {cat(encoder ? "nn.TransformerEncoderLayer(" : "nn.TransformerDecoderLayer(", arguments(args), ")"),
                encoder ? cat("$m($0", mask, ")") : cat(inputs.size() > 1 ? "$m($0, $1" : "$m($0, $0", mask, ")"),
                needs_pytorch_2_1(fields)};
    }
    if (type == "window_attention") {
        // torchvision's own module (swin_t's), on the [N, H, W, C] map Swin keeps channels last.
        const auto window = fields.sizes("window_size", 2), shift = fields.sizes("shift_size", 2);
        std::vector<std::string> args = {std::to_string(in.back()), py_list(window), py_list(shift),
                                         std::to_string(fields.integer("num_heads"))};
        if (!fields.boolean("qkv_bias")) args.push_back("qkv_bias=False");
        if (!fields.boolean("proj_bias")) args.push_back("proj_bias=False");
        return {cat("torchvision.models.swin_transformer.ShiftedWindowAttention(", arguments(args), ")"), "$m($0)",
                false, true};
    }
    if (type == "matmul") {
        const std::string a = fields.boolean("transpose_a") ? "$0.transpose(-2, -1)" : "$0";
        const std::string b = fields.boolean("transpose_b") ? "$1.transpose(-2, -1)" : "$1";
        return {"", cat("torch.matmul(", a, ", ", b, ")")};
    }
    if (type == "add" || type == "subtract" || type == "multiply" || type == "maximum" || type == "average") {
        std::vector<std::string> terms;
        for (size_t i = 0; i < inputs.size(); ++i) terms.push_back(cat("$", i));
        if (type == "add") return {"", join(terms, " + ")};
        if (type == "subtract") return {"", join(terms, " - ")};
        if (type == "multiply") return {"", join(terms, " * ")};
        if (type == "average") return {"", cat("(", join(terms, " + "), ") / ", inputs.size())};
        std::string expression = terms[0];
        for (size_t i = 1; i < terms.size(); ++i) expression = cat("torch.maximum(", expression, ", ", terms[i], ")");
        return {"", expression};
    }
    if (type == "concat") {
        std::vector<std::string> terms;
        for (size_t i = 0; i < inputs.size(); ++i) terms.push_back(cat("$", i));
        // The field counts the sample's axes; torch.cat counts the batch as 0.
        const int64_t axis = fields.given("axis") ? fields.integer("axis") : 0;
        return {"", cat("torch.cat([", join(terms, ", "), "], dim=", axis < 0 ? axis : axis + 1, ")")};
    }
    if (type == "parameter") {
        // One tensor in a module of its own, so that the model counts it as this layer's; each sample
        // of the batch reads it (ViT: self.class_token.expand(n, -1, -1)).
        std::vector<std::string> sizes, keep;
        for (int64_t size : result.output_shape) {
            sizes.push_back(std::to_string(size));
            keep.push_back("-1");
        }
        return {cat("nn.ParameterList([nn.Parameter(torch.zeros(", join(sizes, ", "), "))])"),
                cat("$m[0].expand($batch, ", join(keep, ", "), ")")};
    }
    if (type == "scale") {
        const double offset = fields.number("offset");
        return {"", cat("$0 * ", py_float(fields.number("factor")), offset == 0.0 ? "" : cat(" + ", py_float(offset)))};
    }
    if (type == "select") {
        const int64_t axis = fields.integer("axis");
        return {"", cat("$0.select(", axis < 0 ? axis : axis + 1, ", ", fields.integer("index"), ")")};
    }
    if (type == "chunk") {
        const int64_t axis = fields.given("axis") ? fields.integer("axis") : 0;
        return {"", cat("torch.chunk($0, ", fields.integer("chunks"), ", dim=", axis < 0 ? axis : axis + 1, ")[",
                        fields.integer("index"), "]")};
    }
    if (type == "channel_shuffle") return {cat("nn.ChannelShuffle(", fields.integer("groups"), ")"), "$m($0)"};
    if (type == "drop_path")
        return {cat("torchvision.ops.StochasticDepth(", py_float(fields.number("p")), ", ", py_string(fields.choice("mode")),
                    ")"),
                "$m($0)", false, true};
    if (type == "reshape") {
        std::vector<std::string> sizes;
        for (int64_t size : result.output_shape) sizes.push_back(std::to_string(size));
        return {"", cat("$0.reshape(-1, ", join(sizes, ", "), ")")};
    }
    if (type == "permute") {
        std::vector<std::string> order = {"0"};
        for (int64_t axis : fields.list("dims")) order.push_back(std::to_string(axis + 1));
        return {"", cat("$0.permute(", join(order, ", "), ")")};
    }
    if (type == "upsample") {
        std::vector<std::string> args;
        if (fields.given("size")) args.push_back("size=" + py_sizes(fields.sizes("size", dims)));
        else args.push_back("scale_factor=" + py_float(fields.number("scale_factor")));
        const std::string mode = fields.choice("mode");
        if (mode != "nearest") args.push_back("mode=" + py_string(mode));
        if (fields.boolean("align_corners")) args.push_back("align_corners=True");
        return {cat("nn.Upsample(", arguments(args), ")"), "$m($0)"};
    }
    if (type.starts_with("zero_pad")) {
        // F.pad lists the last dimension first, before then after.
        const auto amounts = sides(fields.list("padding"), dims);
        std::vector<std::string> order;
        for (size_t d = dims; d-- > 0;) {
            order.push_back(std::to_string(amounts[d].first));
            order.push_back(std::to_string(amounts[d].second));
        }
        return {"", cat("F.pad($0, (", join(order, ", "), "))")};
    }
    if (type.starts_with("crop")) {
        const auto amounts = sides(fields.list("cropping"), dims);
        std::vector<std::string> slices = {":", ":"};
        for (size_t d = 0; d < dims; ++d) slices.push_back(cat(amounts[d].first, ":", in[d + 1] - amounts[d].second));
        return {"", cat("$0[", join(slices, ", "), "]")};
    }
    if (type == "dropout" || type == "dropout1d" || type == "dropout2d" || type == "dropout3d" || type == "alpha_dropout") {
        const std::string_view name = type == "dropout"     ? "Dropout"
                                      : type == "dropout1d" ? "Dropout1d"
                                      : type == "dropout2d" ? "Dropout2d"
                                      : type == "dropout3d" ? "Dropout3d"
                                                            : "AlphaDropout";
        return {cat("nn.", name, "(", py_float(fields.number("p")), ")"), "$m($0)"};
    }
    if (auto plain = activation_modules().find(type); plain != activation_modules().end())
        return {std::string(plain->second), "$m($0)"};
    if (type == "leaky_relu") return {cat("nn.LeakyReLU(", py_float(fields.number("negative_slope")), ")"), "$m($0)"};
    if (type == "elu") return {cat("nn.ELU(", py_float(fields.number("alpha")), ")"), "$m($0)"};
    if (type == "gelu")
        return {fields.choice("approximate") == "none" ? "nn.GELU()" : "nn.GELU(approximate='tanh')", "$m($0)"};
    if (type == "softmax" || type == "log_softmax")
        return {cat(type == "softmax" ? "nn.Softmax(dim=" : "nn.LogSoftmax(dim=", fields.integer("dim"), ")"), "$m($0)"};
    if (type == "softplus")
        return {cat("nn.Softplus(beta=", py_float(fields.number("beta")), ", threshold=", py_float(fields.number("threshold")), ")"),
                "$m($0)"};
    if (type == "prelu") return {cat("nn.PReLU(", fields.integer("num_parameters"), ")"), "$m($0)"}; // shared_axes: refused by the analysis
    throw Refusal{"type", cat("netshape cannot write ", type, " as PyTorch code yet")};
}

std::string class_name_for(const std::string& design_name) {
    std::string name;
    bool upper = true;
    for (char c : design_name) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            name += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
            upper = false;
        } else {
            upper = true;
        }
    }
    if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) || python_keywords().count(name)) return "Net";
    return name;
}

} // namespace

std::string PythonNames::make(std::string_view name) {
    std::string id;
    for (char c : name) id += (std::isalnum(static_cast<unsigned char>(c)) || c == '_') ? c : '_';
    if (id.empty() || std::isdigit(static_cast<unsigned char>(id[0]))) id = "layer_" + id;
    const auto& attributes = pytorch_module_attributes();
    if (python_keywords().count(id) || std::find(attributes.begin(), attributes.end(), id) != attributes.end())
        id += "_layer";
    std::string unique = id;
    for (int n = 2; taken_.count(unique); ++n) unique = cat(id, "_", n);
    taken_.insert(unique);
    return unique;
}

const std::vector<std::string>& pytorch_module_attributes() {
    // torch.nn.Module's public methods and attributes (PyTorch 1.13's documentation of the class).
    static const std::vector<std::string> names = {
        "T_destination", "add_module", "apply", "bfloat16", "buffers", "call_super_init", "children", "cpu", "cuda",
        "double", "dump_patches", "eval", "extra_repr", "float", "forward", "get_buffer", "get_extra_state",
        "get_parameter", "get_submodule", "half", "ipu", "load_state_dict", "modules", "named_buffers",
        "named_children", "named_modules", "named_parameters", "parameters", "register_backward_hook",
        "register_buffer", "register_forward_hook", "register_forward_pre_hook", "register_full_backward_hook",
        "register_full_backward_pre_hook", "register_load_state_dict_post_hook", "register_module",
        "register_parameter", "register_state_dict_pre_hook", "requires_grad_", "set_extra_state", "share_memory",
        "state_dict", "to", "to_empty", "train", "training", "type", "xpu", "zero_grad"};
    return names;
}

CodeExport export_pytorch(const Architecture& architecture, const Analysis& analysis) {
    CodeExport result;
    if (!analysis.ok()) {
        result.error = "the design has an error; fix it first: " + analysis.error->message;
        return result;
    }
    if (architecture.convention != Convention::pytorch) {
        result.error = "the design follows Keras's conventions (channels last); PyTorch code is written for designs in "
                       "PyTorch's conventions";
        return result;
    }
    PythonNames identifiers;
    std::map<std::string, LayerInput, std::less<>> variables; // a design name → its Python variable and shape
    for (const ModelInput& input : architecture.inputs) {
        const bool sole = architecture.inputs.size() == 1 && input.name == kDefaultInputName;
        result.input_identifiers.push_back(identifiers.make(sole ? "x" : input.name));
        variables[input.name] = {result.input_identifiers.back(), input.shape};
    }
    for (const LayerResult& layer : analysis.layers) result.layer_identifiers.push_back(identifiers.make(layer.name));

    std::vector<std::string> init_lines, forward_lines;
    std::set<std::string> token_inputs; // model inputs an embedding reads: indices, not values
    bool uses_ordered_dict = false, uses_functional = false, uses_torchvision = false;
    std::map<std::string, std::string, std::less<>> module_of; // a layer name → its module attribute
    std::set<std::string, std::less<>> states_read;            // recurrent layers whose final states a layer reads
    for (const LayerResult& layer : analysis.layers)
        if (layer.type == "rnn_state" && !layer.inputs.empty()) states_read.insert(layer.inputs[0]);
    for (size_t i = 0; i < analysis.layers.size(); ++i) {
        const LayerResult& layer = analysis.layers[i];
        const LayerSpec& own = architecture.layers[i];
        const std::string& id = result.layer_identifiers[i];
        const LayerSpec* spec = &own;
        if (!own.shares.empty() && !layer.tied)
            for (const LayerSpec& other : architecture.layers)
                if (other.name == own.shares) spec = &other;
        const LayerKind* kind = find_kind(layer.type);
        std::vector<LayerInput> inputs;
        for (const std::string& name : layer.inputs) {
            inputs.push_back(variables.at(name));
            if (kind && kind->type == "embedding") token_inputs.insert(name); // a model input's name, if it is one
        }
        Written written;
        try {
            if (!kind) throw Refusal{"type", "unknown kind"};
            const Fields fields(*kind, *spec);
            written = write_layer(*kind, fields, layer, inputs);
            if (!own.activation.empty()) {
                auto fused = fused_activations().find(own.activation);
                if (fused == fused_activations().end())
                    throw Refusal{"activation", cat("netshape cannot write the fused activation ", own.activation,
                                                    " as PyTorch code yet")};
                std::string wrapper(fused->second);
                written.forward = wrapper.replace(wrapper.find('$'), 1, written.forward);
            }
        } catch (const Refusal& refusal) {
            result.error = cat("layers[", i, "] '", layer.name, "' (", layer.type, "): ",
                               refusal.field.empty() ? "" : refusal.field + ": ", refusal.message);
            return result;
        }
        std::string module = "self." + id;
        if (!own.shares.empty() && !layer.tied) {
            module = module_of.at(own.shares);
        } else if (!written.module.empty()) {
            init_lines.push_back(cat("        ", module, " = ", written.module,
                                     written.needs_pytorch_2_1 ? "  # bias=False: PyTorch 2.1 or later" : ""));
            module_of[layer.name] = module;
            // Tied weights (GPT-2's lm_head.weight = wte.weight): the same Parameter, counted once.
            // The tied weight is the one the analysis took from this layer: its `weight`.
            if (layer.tied) {
                const auto tied = module_of.find(own.shares);
                const bool own_weight = std::any_of(layer.weights.begin(), layer.weights.end(),
                                                    [](const Weight& weight) { return weight.name == "weight"; });
                if (tied == module_of.end() || own_weight) {
                    result.error = cat("layers[", i, "] '", layer.name, "' (", layer.type,
                                       "): shares: netshape writes a tie as PyTorch code only for a module's weight");
                    return result;
                }
                init_lines.push_back(cat("        ", module, ".weight = ", tied->second, ".weight"));
            }
        }
        uses_ordered_dict |= written.module.find("OrderedDict") != std::string::npos;
        uses_functional |= written.forward.find("F.") != std::string::npos;
        LayerInput own_variable{id, layer.output_shape};
        if (!written.call.empty()) {
            std::string call = substitute(written.call, module, inputs);
            if (states_read.count(layer.name)) { // what the module returned, kept for the states
                const std::string returned = identifiers.make(id + "_returned");
                forward_lines.push_back(cat("        ", returned, " = ", call, "  # (output, ",
                                            layer.type == "lstm" ? "(h_n, c_n)" : "h_n",
                                            "): the states have the batch second"));
                call = returned;
                own_variable.h_state = cat(returned, layer.type == "lstm" ? "[1][0]" : "[1]");
                own_variable.c_state = cat(returned, "[1][1]");
            }
            for (size_t at; (at = written.forward.find("$r")) != std::string::npos;)
                written.forward.replace(at, 2, call);
        }
        std::string expression = substitute(written.forward, module, inputs);
        // A learnable tensor reads no input: the batch size comes from the first model input.
        if (const size_t at = expression.find("$batch"); at != std::string::npos)
            expression.replace(at, 6, result.input_identifiers[0] + ".shape[0]");
        uses_torchvision |= written.needs_torchvision;
        forward_lines.push_back(cat("        ", id, " = ", expression));
        variables[layer.name] = std::move(own_variable);
    }

    std::vector<std::string> outputs;
    for (const std::string& name : analysis.outputs) outputs.push_back(variables.at(name).variable);

    std::string code;
    code += cat("# ", architecture.name.empty() ? "Network" : architecture.name, ", written by netshape.\n");
    code += "# Link: " + architecture_to_text(architecture) + "\n";
    code += cat("# Total params: ", with_thousands(analysis.total_params), " (trainable ",
                with_thousands(analysis.trainable_params), ")\n");
    if (uses_ordered_dict) code += "from collections import OrderedDict\n\n";
    code += "import torch\nfrom torch import nn\n";
    if (uses_functional) code += "import torch.nn.functional as F\n";
    if (uses_torchvision) code += "import torchvision\n";
    code += "\n\n";
    code += cat("class ", class_name_for(architecture.name), "(nn.Module):\n");
    code += "    def __init__(self):\n        super().__init__()\n";
    for (const std::string& line : init_lines) code += line + "\n";
    code += cat("\n    def forward(self, ", join(result.input_identifiers, ", "), "):\n");
    for (const std::string& line : forward_lines) code += line + "\n";
    code += cat("        return ", join(outputs, ", "), "\n\n\n");
    code += "def example_inputs(batch_size=1):\n    \"\"\"Zeros of each input's shape, with a batch dimension in front.\"\"\"\n";
    std::vector<std::string> examples;
    for (const ModelInput& input : architecture.inputs) {
        std::vector<std::string> sizes = {"batch_size"};
        for (int64_t size : input.shape) sizes.push_back(std::to_string(size));
        examples.push_back(cat("torch.zeros(", join(sizes, ", "), token_inputs.count(input.name) ? ", dtype=torch.long)" : ")"));
    }
    code += cat("    return (", join(examples, ", "), ",)\n\n\n");
    code += cat("if __name__ == '__main__':\n    model = ", class_name_for(architecture.name), "()\n");
    code += "    print(model)\n    print('Total params:', sum(p.numel() for p in model.parameters()))\n";
    code += "    output = model(*example_inputs())\n";
    code += "    print('Output shape:', [tuple(t.shape) for t in output] if isinstance(output, tuple) else tuple(output.shape))\n";
    result.code = std::move(code);
    return result;
}

} // namespace netshape
