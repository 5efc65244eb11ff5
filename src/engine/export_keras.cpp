#include "export_keras.h"

#include "catalog.h"
#include "layer_kind.h"
#include "link_text.h"
#include "text.h"

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <tuple>

namespace netshape {

namespace {

using Json = nlohmann::ordered_json;

struct Refusal {
    std::string field, message;
};

// One output of one call of a Keras layer: [layer, call index, tensor index] as Keras's JSON
// writes a read. The tensor index is 0 but for a recurrent layer's states (return_state=True
// returns [output, state_h, state_c]).
struct KerasTensor {
    std::string layer;
    int call = 0;
    int index = 0;
    // Written out: the Emscripten build's libc++ has no <=> for std::string.
    bool operator<(const KerasTensor& other) const {
        return std::tie(layer, call, index) < std::tie(other.layer, other.call, other.index);
    }
};

// One Keras layer: its class and config, and the calls that feed it (each call: the tensors it reads).
struct KerasLayer {
    std::string name;
    std::string class_name;
    Json config;
    std::vector<std::vector<KerasTensor>> calls;
};

bool is_recurrent_class(std::string_view class_name) {
    return class_name == "SimpleRNN" || class_name == "LSTM" || class_name == "GRU";
}

Json sizes_json(const std::vector<int64_t>& sizes) { return Json(sizes); }

// Keras's convolutions and pooling pad "valid" or "same"; explicit amounts become a ZeroPadding
// layer before a "valid" one (as Keras's own ResNet50 writes its stem), which `zero_pad` receives.
std::string keras_padding(const Padding& padding, std::vector<int64_t>& zero_pad) {
    if (padding.mode == Padding::Mode::same) return "same";
    if (padding.mode == Padding::Mode::explicit_amounts &&
        std::any_of(padding.amounts.begin(), padding.amounts.end(), [](int64_t amount) { return amount != 0; }))
        zero_pad = padding.amounts;
    return "valid";
}

// Keras's names for netshape's activation kinds (an Activation layer or a fused activation).
std::string keras_activation(std::string_view kind) {
    static const std::map<std::string_view, std::string_view> names = {
        {"relu", "relu"},       {"sigmoid", "sigmoid"}, {"tanh", "tanh"},   {"softmax", "softmax"},
        {"elu", "elu"},         {"softplus", "softplus"}, {"silu", "swish"}, {"gelu", "gelu"},
        {"relu6", "relu6"},     {"mish", "mish"},       {"hardsigmoid", "hard_sigmoid"},
        {"log_softmax", "log_softmax"}, {"identity", "linear"}};
    auto it = names.find(kind);
    if (it == names.end()) throw Refusal{"activation", cat("Keras has no activation named for ", kind)};
    return std::string(it->second);
}

// The class and config of one layer; `zero_pad`: the amounts a ZeroPadding layer before it adds.
std::pair<std::string, Json> keras_layer(const LayerKind& kind, const Fields& fields, const LayerResult& result,
                                         const std::vector<Shape>& inputs, std::vector<int64_t>& zero_pad, bool for_code) {
    const std::string_view type = kind.type;
    const Shape& in = inputs[0];
    const size_t dims = kind.spatial_rank ? kind.spatial_rank : (in.size() > 1 ? in.size() - 1 : 1);
    const std::string rank = cat(dims, "D");
    Json config = Json::object();
    auto window = [&](std::string_view size_field) {
        config["kernel_size"] = sizes_json(fields.sizes(size_field, dims));
        config["strides"] = sizes_json(fields.sizes("stride", dims));
    };
    const bool transposed = type.starts_with("conv_transpose");
    if (type == "conv" || type == "conv1d" || type == "conv2d" || type == "conv3d" || transposed) {
        config["filters"] = fields.integer("out_channels");
        window("kernel_size");
        config["padding"] = keras_padding(fields.padding("padding", dims), zero_pad);
        config["dilation_rate"] = sizes_json(fields.sizes("dilation", dims));
        if (transposed) {
            const auto output_padding = fields.sizes("output_padding", dims);
            if (std::any_of(output_padding.begin(), output_padding.end(), [](int64_t v) { return v != 0; }))
                config["output_padding"] = sizes_json(output_padding);
        } else if (fields.integer("groups") != 1) {
            config["groups"] = fields.integer("groups");
        }
        config["use_bias"] = fields.boolean("bias");
        return {cat("Conv", rank, transposed ? "Transpose" : ""), config};
    }
    if (type == "depthwise_conv2d" || type == "separable_conv2d") {
        if (type == "separable_conv2d") config["filters"] = fields.integer("out_channels");
        window("kernel_size");
        config["padding"] = keras_padding(fields.padding("padding", 2), zero_pad);
        config["depth_multiplier"] = fields.integer("depth_multiplier");
        config["dilation_rate"] = sizes_json(fields.sizes("dilation", 2));
        config["use_bias"] = fields.boolean("bias");
        return {type == "depthwise_conv2d" ? "DepthwiseConv2D" : "SeparableConv2D", config};
    }
    if (type == "linear") {
        config["units"] = fields.integer("out_features");
        config["use_bias"] = fields.boolean("bias");
        return {"Dense", config};
    }
    if (type == "flatten") {
        if (fields.integer("start_dim") != 1 || fields.integer("end_dim") != -1)
            throw Refusal{"start_dim", "Keras's Flatten flattens the whole sample"};
        return {"Flatten", config};
    }
    const bool max_pool = type == "maxpool" || type == "maxpool1d" || type == "maxpool2d" || type == "maxpool3d";
    if (max_pool || type == "avgpool" || type == "avgpool1d" || type == "avgpool2d" || type == "avgpool3d") {
        config["pool_size"] = sizes_json(fields.sizes("kernel_size", dims));
        config["strides"] = sizes_json(fields.sizes(fields.given("stride") ? "stride" : "kernel_size", dims)); // Keras's default too
        config["padding"] = keras_padding(fields.padding("padding", dims), zero_pad);
        return {cat(max_pool ? "MaxPooling" : "AveragePooling", rank), config};
    }
    if (type.starts_with("global_")) {
        if (fields.boolean("keepdims")) config["keepdims"] = true;
        return {cat(type.starts_with("global_max") ? "GlobalMaxPooling" : "GlobalAveragePooling", rank), config};
    }
    if (type.starts_with("batchnorm")) {
        config["axis"] = -1;
        config["center"] = fields.boolean("center");
        config["scale"] = fields.boolean("scale");
        return {"BatchNormalization", config};
    }
    if (type == "layernorm") {
        if (fields.given("normalized_shape") && fields.list("normalized_shape").size() != 1) throw Refusal{"normalized_shape", "netshape writes Keras's LayerNormalization over the last axis only"};
        config["axis"] = -1;
        config["center"] = fields.boolean("elementwise_affine") && fields.boolean("bias");
        config["scale"] = fields.boolean("elementwise_affine");
        return {"LayerNormalization", config};
    }
    if (type == "embedding") {
        config["input_dim"] = fields.integer("num_embeddings");
        config["output_dim"] = fields.integer("embedding_dim");
        return {"Embedding", config};
    }
    if (type == "rnn" || type == "lstm" || type == "gru") {
        if (fields.integer("num_layers") != 1) throw Refusal{"num_layers", "Keras stacks recurrent layers one per layer"};
        config["units"] = fields.integer("hidden_size");
        config["use_bias"] = fields.boolean("bias");
        config["return_sequences"] = fields.given("return_sequences") && fields.boolean("return_sequences");
        if (type == "gru") config["reset_after"] = fields.boolean("reset_after");
        const std::string cell = type == "rnn" ? "SimpleRNN" : type == "lstm" ? "LSTM" : "GRU";
        if (!fields.boolean("bidirectional")) return {cell, config};
        Json wrapper = Json::object();
        wrapper["layer"] = {{"class_name", cell}, {"config", config}};
        wrapper["merge_mode"] = "concat";
        return {"Bidirectional", wrapper};
    }
    if (type == "add" || type == "subtract" || type == "multiply" || type == "maximum" || type == "average") {
        std::string name(type);
        name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
        return {name, config};
    }
    if (type == "concat") {
        const int64_t axis = fields.given("axis") ? fields.integer("axis") : -1; // the channel axis, last under keras
        config["axis"] = axis >= 0 ? axis + 1 : axis;                            // Keras counts the batch as 0
        return {"Concatenate", config};
    }
    if (type == "reshape") {
        config["target_shape"] = result.output_shape;
        return {"Reshape", config};
    }
    if (type == "upsample") {
        // Keras's UpSampling repeats rows and columns a whole number of times.
        const double factor = fields.given("scale_factor") ? fields.number("scale_factor") : 0.0;
        if (fields.given("size") || factor < 1.0 || factor != static_cast<double>(static_cast<int64_t>(factor)))
            throw Refusal{fields.given("size") ? "size" : "scale_factor",
                          "Keras's UpSampling takes a whole factor per dimension, not an output size or a fraction"};
        config["size"] = std::vector<int64_t>(dims, static_cast<int64_t>(factor));
        const std::string mode = fields.choice("mode");
        if (mode != "nearest") {
            if (mode != "bilinear" || dims != 2) throw Refusal{"mode", cat("Keras's UpSampling", rank, " has no mode \"", mode, "\"")};
            config["interpolation"] = "bilinear";
        }
        return {cat("UpSampling", rank), config};
    }
    if (type == "permute") {
        std::vector<int64_t> dims_from_one;
        for (int64_t axis : fields.list("dims")) dims_from_one.push_back(axis + 1); // Keras counts from 1
        config["dims"] = dims_from_one;
        return {"Permute", config};
    }
    if (type.starts_with("zero_pad") || type.starts_with("crop")) {
        const bool pad = type.starts_with("zero_pad");
        const auto written = fields.list(pad ? "padding" : "cropping");
        Json pairs = Json::array();
        for (size_t d = 0; d < dims; ++d) {
            if (written.size() == 1) pairs.push_back({written[0], written[0]});
            else if (written.size() == dims) pairs.push_back({written[d], written[d]});
            else pairs.push_back({written[2 * d], written[2 * d + 1]});
        }
        config[pad ? "padding" : "cropping"] = dims == 1 ? pairs[0] : pairs;
        return {cat(pad ? "ZeroPadding" : "Cropping", rank), config};
    }
    if (type == "dropout" || type == "alpha_dropout") {
        config["rate"] = fields.number("p");
        return {type == "dropout" ? "Dropout" : "AlphaDropout", config};
    }
    if (type == "dropout1d" || type == "dropout2d" || type == "dropout3d") {
        config["rate"] = fields.number("p");
        return {cat("SpatialDropout", rank), config};
    }
    if (type == "leaky_relu") {
        config["alpha"] = fields.number("negative_slope");
        return {"LeakyReLU", config};
    }
    if (type == "elu") {
        config["alpha"] = fields.number("alpha");
        return {"ELU", config};
    }
    if (type == "relu6") {
        config["max_value"] = 6.0;
        return {"ReLU", config};
    }
    if (type == "softmax") {
        config["axis"] = fields.integer("dim");
        return {"Softmax", config};
    }
    if (type == "prelu") {
        if (fields.given("shared_axes")) config["shared_axes"] = fields.list("shared_axes");
        return {"PReLU", config};
    }
    if (is_activation(kind)) {
        config["activation"] = keras_activation(type);
        return {"Activation", config};
    }
    if (type == "multihead_attention") {
        // TensorFlow.js has no MultiHeadAttention, so the JSON (which tfjs would build) refuses it;
        // Keras's Python has it: the code writes it (export_keras_code).
        if (!for_code) throw Refusal{"type", "TensorFlow.js has no MultiHeadAttention; --to keras writes it as Keras code"};
        config["num_heads"] = fields.integer("num_heads");
        // Keras's key_dim has no default; netshape's is the query's features over the heads.
        config["key_dim"] = fields.given("key_dim") ? fields.integer("key_dim") : in.back() / fields.integer("num_heads");
        if (fields.given("value_dim")) config["value_dim"] = fields.integer("value_dim");
        if (fields.number("dropout") != 0.0) config["dropout"] = fields.number("dropout");
        config["use_bias"] = fields.boolean("bias");
        return {"MultiHeadAttention", config};
    }
    throw Refusal{"type", cat("Keras has no layer netshape can write ", type, " as")};
}

// Classes whose config takes a fused activation.
bool takes_activation(std::string_view class_name) {
    return class_name.starts_with("Conv") || class_name == "Dense" || class_name == "DepthwiseConv2D" ||
           class_name == "SeparableConv2D";
}

struct KerasModel {
    std::vector<KerasLayer> layers;
    std::vector<std::string> input_names;
    std::vector<KerasTensor> outputs;
    std::set<std::string> causal; // attention layers called with use_causal_mask=True
    std::string error;
};

// `for_code`: for Keras code, which may use layers TensorFlow.js (and so the JSON) lacks.
KerasModel keras_model(const Architecture& architecture, const Analysis& analysis, bool for_code) {
    KerasModel model;
    if (!analysis.ok()) {
        model.error = "the design has an error; fix it first: " + analysis.error->message;
        return model;
    }
    if (architecture.convention != Convention::keras) {
        model.error = "the design follows PyTorch's conventions (channels first); Keras code is written for designs in "
                      "Keras's conventions";
        return model;
    }
    std::map<std::string, KerasTensor> produced;  // design name → the Keras tensor it is
    std::map<std::string, KerasTensor> recurrent; // a recurrent layer's name → its Keras layer's call
    std::set<std::string> states_read;            // recurrent layers whose final states a layer reads
    for (const LayerResult& result : analysis.layers)
        if (result.type == "rnn_state" && !result.inputs.empty()) states_read.insert(result.inputs[0]);
    std::map<std::string, Shape> shapes;
    std::map<std::string, size_t> layer_of;
    for (const ModelInput& input : architecture.inputs) {
        KerasLayer layer{input.name, "InputLayer", Json::object(), {}};
        Json batch_shape = Json::array({nullptr});
        for (int64_t size : input.shape) batch_shape.push_back(size);
        layer.config["batch_input_shape"] = batch_shape;
        layer.config["dtype"] = "float32";
        model.layers.push_back(std::move(layer));
        model.input_names.push_back(input.name);
        produced[input.name] = {input.name, 0};
        shapes[input.name] = input.shape;
    }
    for (size_t i = 0; i < analysis.layers.size(); ++i) {
        const LayerResult& result = analysis.layers[i];
        const LayerSpec& own = architecture.layers[i];
        std::vector<KerasTensor> reads;
        std::vector<Shape> input_shapes;
        for (const std::string& name : result.inputs) {
            reads.push_back(produced.at(name));
            input_shapes.push_back(shapes.at(name));
        }
        if (!own.shares.empty()) { // a later call of the shared layer
            KerasLayer& shared = model.layers[layer_of.at(own.shares)];
            shared.calls.push_back(reads);
            produced[result.name] = {shared.name, static_cast<int>(shared.calls.size()) - 1};
            recurrent[result.name] = produced[result.name];
            if (states_read.count(result.name)) shared.config["return_state"] = true; // every call returns them
            shapes[result.name] = result.output_shape;
            continue;
        }
        if (result.type == "rnn_state") { // no layer: the recurrent layer's call returns the states
            const KerasTensor& call = recurrent.at(result.inputs[0]);
            const Fields fields(*find_kind(result.type), own);
            produced[result.name] = {call.layer, call.call, fields.choice("which") == "h" ? 1 : 2};
            shapes[result.name] = result.output_shape;
            continue;
        }
        try {
            const LayerKind* kind = find_kind(result.type);
            if (!kind) throw Refusal{"type", "unknown kind"};
            const Fields fields(*kind, own);
            std::vector<int64_t> zero_pad;
            auto [class_name, config] = keras_layer(*kind, fields, result, input_shapes, zero_pad, for_code);
            if (class_name == "MultiHeadAttention" && fields.boolean("causal")) model.causal.insert(result.name);
            if (!zero_pad.empty()) { // explicit padding: a ZeroPadding layer first
                Json pairs = Json::array();
                for (int64_t amount : zero_pad) pairs.push_back({amount, amount});
                const std::string pad_name = result.name + "_pad";
                Json pad = {{"padding", zero_pad.size() == 1 ? pairs[0] : pairs}, {"name", pad_name}};
                model.layers.push_back({pad_name, cat("ZeroPadding", zero_pad.size(), "D"), pad, {reads}});
                reads = {{pad_name, 0}};
            }
            std::string last = result.name;
            if (states_read.count(result.name)) config["return_state"] = true;
            config["name"] = result.name;
            if (!own.activation.empty() && takes_activation(class_name)) config["activation"] = keras_activation(own.activation);
            model.layers.push_back({result.name, class_name, config, {reads}});
            layer_of[result.name] = model.layers.size() - 1;
            if (!own.activation.empty() && !takes_activation(class_name)) { // an Activation layer after it
                Json activation = {{"activation", keras_activation(own.activation)}, {"name", result.name + "_activation"}};
                model.layers.push_back({result.name + "_activation", "Activation", activation, {{{result.name, 0}}}});
                last = result.name + "_activation";
            }
            produced[result.name] = {last, 0};
            recurrent[result.name] = {result.name, 0};
            shapes[result.name] = result.output_shape;
        } catch (const Refusal& refusal) {
            model.error = cat("layers[", i, "] '", result.name, "' (", result.type, "): ",
                              refusal.field.empty() ? "" : refusal.field + ": ", refusal.message);
            return model;
        }
    }
    for (const std::string& name : analysis.outputs) model.outputs.push_back(produced.at(name));
    return model;
}

Json model_json(const Architecture& architecture, const KerasModel& model) {
    Json layers = Json::array();
    for (const KerasLayer& layer : model.layers) {
        Json config = layer.config;
        config["name"] = layer.name;
        Json nodes = Json::array();
        for (const auto& call : layer.calls) {
            Json node = Json::array();
            for (const KerasTensor& source : call)
                node.push_back({source.layer, source.call, source.index, Json::object()});
            nodes.push_back(node);
        }
        layers.push_back({{"name", layer.name}, {"class_name", layer.class_name}, {"config", config}, {"inbound_nodes", nodes}});
    }
    Json inputs = Json::array(), outputs = Json::array();
    for (const std::string& name : model.input_names) inputs.push_back({name, 0, 0});
    for (const KerasTensor& output : model.outputs)
        outputs.push_back({output.layer, output.call, output.index});
    return {{"class_name", "Model"},
            {"config", {{"name", architecture.name.empty() ? "model" : architecture.name}, {"layers", layers},
                        {"input_layers", inputs}, {"output_layers", outputs}}},
            {"keras_version", "2.13.0"},
            {"backend", "tensorflow"}};
}

std::string python_value(const Json& value) {
    if (value.is_boolean()) return value.get<bool>() ? "True" : "False";
    if (value.is_null()) return "None";
    if (value.is_string()) {
        std::string quoted = "'";
        for (char c : value.get<std::string>()) {
            if (c == '\\' || c == '\'') quoted += '\\';
            quoted += c;
        }
        return quoted + "'";
    }
    if (value.is_array()) {
        std::vector<std::string> items;
        for (const Json& item : value) items.push_back(python_value(item));
        return "(" + join(items, ", ") + (items.size() == 1 ? ",)" : ")");
    }
    if (value.is_object()) { // Bidirectional's layer: the wrapped layer's constructor
        std::vector<std::string> arguments;
        for (const auto& [key, item] : value["config"].items()) arguments.push_back(cat(key, "=", python_value(item)));
        return cat("layers.", value["class_name"].get<std::string>(), "(", join(arguments, ", "), ")");
    }
    return value.dump();
}

// Keras calls attention as (query, value, key=None); netshape's inputs are query, key, value, the
// key standing for the value where two are given and the query for both where one is.
std::string attention_arguments(const std::vector<std::string>& reads, bool causal) {
    std::string arguments = reads.size() == 1   ? cat(reads[0], ", ", reads[0])
                            : reads.size() == 2 ? cat(reads[0], ", ", reads[1])
                                                : cat(reads[0], ", ", reads[2], ", key=", reads[1]);
    return causal ? arguments + ", use_causal_mask=True" : arguments;
}

} // namespace

CodeExport export_keras_json(const Architecture& architecture, const Analysis& analysis) {
    CodeExport result;
    const KerasModel model = keras_model(architecture, analysis, false);
    if (!model.error.empty()) result.error = model.error;
    else result.code = model_json(architecture, model).dump(2) + "\n";
    return result;
}

CodeExport export_keras_code(const Architecture& architecture, const Analysis& analysis) {
    CodeExport result;
    const KerasModel model = keras_model(architecture, analysis, true);
    if (!model.error.empty()) {
        result.error = model.error;
        return result;
    }
    PythonNames names;
    std::map<KerasTensor, std::string> variable; // a Keras tensor → its Python variable
    std::string code = cat("# ", architecture.name.empty() ? "Network" : architecture.name, ", written by netshape.\n");
    code += "# Link: " + architecture_to_text(architecture) + "\n";
    code += cat("# Total params: ", with_thousands(analysis.total_params), " (trainable ", with_thousands(analysis.trainable_params),
                ", non-trainable ", with_thousands(analysis.non_trainable_params), ")\n");
    code += "from tensorflow import keras\nfrom tensorflow.keras import layers\n\n";
    std::vector<std::string> input_variables, output_variables;
    for (const KerasLayer& layer : model.layers) {
        if (layer.class_name == "InputLayer") {
            const std::string id = names.make(layer.name);
            Json shape = layer.config["batch_input_shape"];
            shape.erase(shape.begin());
            code += cat(id, " = keras.Input(shape=", python_value(shape), ", name=", python_value(layer.name), ")\n");
            variable[{layer.name, 0, 0}] = id;
            input_variables.push_back(id);
            continue;
        }
        std::vector<std::string> arguments;
        for (const auto& [key, value] : layer.config.items()) arguments.push_back(cat(key, "=", python_value(value)));
        const std::string constructor = cat("layers.", layer.class_name, "(", join(arguments, ", "), ")");
        const bool shared = layer.calls.size() > 1;
        std::string callee = constructor;
        if (shared) { // made once, called for each use
            callee = names.make(layer.name + "_layer");
            code += cat(callee, " = ", constructor, "\n");
        }
        for (size_t call = 0; call < layer.calls.size(); ++call) {
            std::vector<std::string> reads;
            for (const auto& source : layer.calls[call]) reads.push_back(variable.at(source));
            const std::string id = names.make(call == 0 ? layer.name : cat(layer.name, "_", call + 1));
            std::string argument = reads.size() == 1 && layer.class_name != "Add" && layer.class_name != "Concatenate" &&
                                           layer.class_name != "Subtract" && layer.class_name != "Multiply" &&
                                           layer.class_name != "Maximum" && layer.class_name != "Average"
                                       ? reads[0]
                                       : "[" + join(reads, ", ") + "]";
            if (layer.class_name == "MultiHeadAttention") argument = attention_arguments(reads, model.causal.count(layer.name) > 0);
            if (is_recurrent_class(layer.class_name) && reads.size() > 1) // the sequence, then the initial states
                argument = cat(reads[0], ", initial_state=[", join({reads.begin() + 1, reads.end()}, ", "), "]");
            std::vector<std::string> returned = {id}; // [output, state_h, state_c] with return_state=True
            if (layer.config.contains("return_state")) {
                returned.push_back(names.make(id + "_state_h"));
                if (layer.class_name == "LSTM") returned.push_back(names.make(id + "_state_c"));
            }
            code += cat(join(returned, ", "), " = ", callee, "(", argument, ")\n");
            for (size_t index = 0; index < returned.size(); ++index)
                variable[{layer.name, static_cast<int>(call), static_cast<int>(index)}] = returned[index];
        }
    }
    for (const auto& output : model.outputs) output_variables.push_back(variable.at(output));
    const auto listed = [](const std::vector<std::string>& items) {
        return items.size() == 1 ? items[0] : "[" + join(items, ", ") + "]";
    };
    code += cat("\nmodel = keras.Model(inputs=", listed(input_variables), ", outputs=", listed(output_variables),
                ", name=", python_value(architecture.name.empty() ? std::string("model") : architecture.name), ")\n");
    code += "\nif __name__ == '__main__':\n    model.summary()\n";
    result.code = std::move(code);
    return result;
}

} // namespace netshape
