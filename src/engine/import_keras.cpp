#include "import_keras.h"

#include "import_keras_model.h"

#include "analysis.h"
#include "catalog.h"
#include "text.h"

#include <nlohmann/json.hpp>

#include <map>
#include <set>

namespace netshape {

namespace {

using Json = nlohmann::ordered_json; // the engine's one instantiation (json_format.cpp): no second copy in the web app

struct Failure {
    std::string message;
};

[[noreturn]] void fail(std::string message) { throw Failure{std::move(message)}; }

// A Keras config value as a field value: numbers, booleans, strings, and lists of integers.
FieldValue field_value(const Json& value, const std::string& where) {
    if (value.is_boolean()) return value.get<bool>();
    if (value.is_number_integer()) return value.get<int64_t>();
    if (value.is_number()) return value.get<double>();
    if (value.is_string()) return value.get<std::string>();
    if (value.is_array()) {
        std::vector<int64_t> items;
        for (const Json& item : value) {
            if (item.is_array()) // ZeroPadding2D's ((top, bottom), (left, right))
                for (const Json& inner : item) items.push_back(inner.get<int64_t>());
            else if (item.is_number_integer())
                items.push_back(item.get<int64_t>());
            else
                fail(cat(where, ": ", value.dump(), " is not a list of whole numbers"));
        }
        return items;
    }
    fail(cat(where, ": ", value.dump(), " is not a value netshape can use"));
}

// A Keras class → netshape kind, and which config keys become which fields.
struct KerasForm {
    std::string_view kind;
    std::vector<std::pair<std::string_view, std::string_view>> fields; // config key → field
};

const std::map<std::string, KerasForm, std::less<>>& keras_forms() {
    static const std::map<std::string, KerasForm, std::less<>> forms = [] {
        std::map<std::string, KerasForm, std::less<>> map;
        const std::vector<std::pair<std::string_view, std::string_view>> conv = {
            {"filters", "out_channels"}, {"kernel_size", "kernel_size"}, {"strides", "stride"}, {"padding", "padding"},
            {"dilation_rate", "dilation"}, {"use_bias", "bias"}, {"groups", "groups"}};
        const std::vector<std::pair<std::string_view, std::string_view>> pool = {
            {"pool_size", "kernel_size"}, {"strides", "stride"}, {"padding", "padding"}};
        static const std::string kinds[3][8] = {
            {"conv1d", "conv_transpose1d", "maxpool1d", "avgpool1d", "global_maxpool1d", "global_avgpool1d", "zero_pad1d", "crop1d"},
            {"conv2d", "conv_transpose2d", "maxpool2d", "avgpool2d", "global_maxpool2d", "global_avgpool2d", "zero_pad2d", "crop2d"},
            {"conv3d", "conv_transpose3d", "maxpool3d", "avgpool3d", "global_maxpool3d", "global_avgpool3d", "zero_pad3d", "crop3d"}};
        for (int d = 0; d < 3; ++d) {
            const std::string rank = std::to_string(d + 1) + "D";
            map["Conv" + rank] = {kinds[d][0], conv};
            map["Conv" + rank + "Transpose"] = {kinds[d][1], conv};
            map["Conv" + rank + "Transpose"].fields.push_back({"output_padding", "output_padding"});
            map["MaxPooling" + rank] = {kinds[d][2], pool};
            map["AveragePooling" + rank] = {kinds[d][3], pool};
            map["GlobalMaxPooling" + rank] = {kinds[d][4], {{"keepdims", "keepdims"}}};
            map["GlobalAveragePooling" + rank] = {kinds[d][5], {{"keepdims", "keepdims"}}};
            map["ZeroPadding" + rank] = {kinds[d][6], {{"padding", "padding"}}};
            map["Cropping" + rank] = {kinds[d][7], {{"cropping", "cropping"}}};
        }
        map["SpatialDropout1D"] = {"dropout1d", {{"rate", "p"}}};
        map["SpatialDropout2D"] = {"dropout2d", {{"rate", "p"}}};
        map["SpatialDropout3D"] = {"dropout3d", {{"rate", "p"}}};
        map["DepthwiseConv2D"] = {"depthwise_conv2d", {{"kernel_size", "kernel_size"}, {"strides", "stride"}, {"padding", "padding"},
                                                       {"depth_multiplier", "depth_multiplier"}, {"dilation_rate", "dilation"},
                                                       {"use_bias", "bias"}}};
        map["SeparableConv2D"] = {"separable_conv2d", {{"filters", "out_channels"}, {"kernel_size", "kernel_size"},
                                                       {"strides", "stride"}, {"padding", "padding"},
                                                       {"depth_multiplier", "depth_multiplier"}, {"dilation_rate", "dilation"},
                                                       {"use_bias", "bias"}}};
        map["Dense"] = {"linear", {{"units", "out_features"}, {"use_bias", "bias"}}};
        map["Flatten"] = {"flatten", {}};
        map["BatchNormalization"] = {"batchnorm", {{"center", "center"}, {"scale", "scale"}}};
        map["LayerNormalization"] = {"layernorm", {}}; // scale and center: add_call
        map["Dropout"] = {"dropout", {{"rate", "p"}}};
        map["AlphaDropout"] = {"alpha_dropout", {{"rate", "p"}}};
        map["Embedding"] = {"embedding", {{"input_dim", "num_embeddings"}, {"output_dim", "embedding_dim"}}};
        const std::vector<std::pair<std::string_view, std::string_view>> recurrent = {
            {"units", "hidden_size"}, {"use_bias", "bias"}, {"return_sequences", "return_sequences"}};
        map["SimpleRNN"] = {"rnn", recurrent};
        map["LSTM"] = {"lstm", recurrent};
        map["GRU"] = {"gru", recurrent};
        map["GRU"].fields.push_back({"reset_after", "reset_after"});
        map["Add"] = {"add", {}};
        map["Subtract"] = {"subtract", {}};
        map["Multiply"] = {"multiply", {}};
        map["Maximum"] = {"maximum", {}};
        map["Average"] = {"average", {}};
        map["Concatenate"] = {"concat", {}};
        map["Reshape"] = {"reshape", {{"target_shape", "shape"}}};
        map["Permute"] = {"permute", {}};
        map["LeakyReLU"] = {"leaky_relu", {{"alpha", "negative_slope"}}};
        map["ELU"] = {"elu", {{"alpha", "alpha"}}};
        map["Softmax"] = {"softmax", {{"axis", "dim"}}};
        map["PReLU"] = {"prelu", {{"shared_axes", "shared_axes"}}};
        map["Rescaling"] = {"scale", {{"scale", "factor"}, {"offset", "offset"}}};
        return map;
    }();
    return forms;
}

// Keras's activation names → netshape's kinds ("linear" is none).
std::string activation_kind(const std::string& name, const std::string& where) {
    static const std::map<std::string, std::string, std::less<>> names = {
        {"relu", "relu"},       {"sigmoid", "sigmoid"},         {"tanh", "tanh"},   {"softmax", "softmax"},
        {"elu", "elu"},         {"softplus", "softplus"},       {"swish", "silu"},  {"silu", "silu"},
        {"gelu", "gelu"},       {"relu6", "relu6"},             {"mish", "mish"},   {"hard_sigmoid", "hardsigmoid"},
        {"hard_swish", "hardswish"}, {"log_softmax", "log_softmax"}, {"linear", ""}};
    auto it = names.find(name);
    if (it == names.end()) fail(cat(where, ": netshape has no activation '", name, "'"));
    return it->second;
}

class Importer {
public:
    Importer(ImportResult& result, const Shape& input_shape, const std::vector<SourcePlace>& places)
        : result_(result), given_input_(input_shape), places_(places) {
        result_.architecture.convention = Convention::keras;
    }

    // Where an error in config.layers[index] is: its line and column in code, its index in JSON.
    std::string where(size_t index, const std::string& name, bool named) {
        if (index < places_.size()) {
            failing_place_ = places_[index];
            return cat("line ", failing_place_.line, ", column ", failing_place_.column);
        }
        return named ? cat("layers[", index, "] '", name, "'") : cat("layers[", index, "]");
    }

    // The place of the layer being read when a failure came (code only).
    SourcePlace failing_place() const { return failing_place_; }

    void run(const Json& model) {
        const std::string class_name = model.value("class_name", "");
        if (!model.contains("config") || !model["config"].is_object())
            fail("no \"config\" object: paste what model.to_json() (or tfjs's model.toJSON()) writes");
        const Json& config = model["config"];
        result_.architecture.name = config.value("name", "");
        const Json& layers = config.contains("layers") ? config["layers"] : Json();
        if (!layers.is_array()) fail("config has no \"layers\" list");
        if (class_name == "Sequential") sequential(layers);
        else if (class_name == "Model" || class_name == "Functional")
            functional(layers, config.value("output_layers", Json::array()));
        else fail(cat("a model of class '", class_name, "': netshape reads Sequential and functional models (Model)"));
        if (last_axis_checks_.empty()) return;
        failing_place_ = {};
        const Analysis analysis = analyze(result_.architecture);
        for (const LastAxisCheck& check : last_axis_checks_)
            for (const LayerResult& layer : analysis.layers)
                if (layer.name == check.layer && layer.status == LayerStatus::ok &&
                    check.axis != static_cast<int64_t>(layer.input_shape.size()))
                    fail(cat(check.where, ": normalises over axis ", check.axis, " of a ", layer.input_shape.size() + 1,
                             "-axis batch; netshape imports the last axis"));
    }

private:
    static Shape sample_shape(const Json& batch_shape, const std::string& where) {
        if (!batch_shape.is_array() || batch_shape.size() < 2) fail(cat(where, ": batch_input_shape ", batch_shape.dump(), " has no sample shape"));
        Shape shape;
        for (size_t i = 1; i < batch_shape.size(); ++i) {
            if (!batch_shape[i].is_number_integer())
                fail(cat(where, ": batch_input_shape ", batch_shape.dump(), " has a size netshape needs but the model leaves open"));
            shape.push_back(batch_shape[i].get<int64_t>());
        }
        return shape;
    }

    void sequential(const Json& layers) {
        std::string previous;
        for (size_t i = 0; i < layers.size(); ++i) {
            const Json& layer = layers[i];
            const std::string where = this->where(i, "", false);
            const Json& config = layer.contains("config") ? layer["config"] : Json::object();
            if (result_.architecture.inputs.empty()) {
                if (config.contains("batch_input_shape")) {
                    result_.architecture.inputs.push_back({std::string(kDefaultInputName), sample_shape(config["batch_input_shape"], where)});
                } else if (!given_input_.empty()) {
                    result_.architecture.inputs.push_back({std::string(kDefaultInputName), given_input_});
                } else {
                    fail("the model has no input shape (built without one): give one sample's shape");
                }
                previous = std::string(kDefaultInputName);
            }
            if (layer.value("class_name", "") == "InputLayer") continue;
            previous = add_call(layer, {previous}, where);
        }
    }

    // A read of a recurrent layer's state, output 1 (state_h) or 2 (an LSTM's state_c) of a call
    // with return_state=True: an rnn_state layer reading the call, made at the first read.
    std::string state_read(const Json& layers, const std::string& keras_name, const std::string& call, int64_t index,
                           const std::string& where) {
        std::string class_name;
        for (const Json& layer : layers)
            if (layer.value("name", "") == keras_name) class_name = layer.value("class_name", "");
        const int64_t states = class_name == "LSTM" ? 2 : class_name == "GRU" || class_name == "SimpleRNN" ? 1 : 0;
        if (index > states)
            fail(cat(where, ": reads output ", index, " of '", keras_name, "'; netshape's layers have one output",
                     class_name == "Bidirectional" ? " (a Bidirectional layer's states are not read)"
                     : states                      ? " besides a recurrent layer's states"
                                                   : ""));
        auto [known, added] = state_layers_.try_emplace({call, index});
        if (!added) return known->second;
        std::string name = cat(call, index == 1 ? "_state_h" : "_state_c");
        for (int n = 2; names_.count(name); ++n)
            name = cat(call, index == 1 ? "_state_h_" : "_state_c_", n);
        names_.insert(name);
        LayerSpec spec{.type = "rnn_state", .name = name, .inputs = {call}};
        spec.fields.emplace_back("which", std::string(index == 1 ? "h" : "c"));
        result_.architecture.layers.push_back(std::move(spec));
        return known->second = name;
    }

    void functional(const Json& layers, const Json& outputs) {
        // Each call of a layer (one inbound node) is a layer of the design; node k > 0 shares node 0.
        std::map<std::pair<std::string, int64_t>, std::string> called; // (Keras name, node index) → design name
        // The inputs first, wherever the list has them: a layer's reads are told apart by them.
        for (size_t i = 0; i < layers.size(); ++i) {
            const Json& layer = layers[i];
            if (layer.value("class_name", "") != "InputLayer") continue;
            const std::string name = layer.value("name", "");
            const Json& config = layer.contains("config") ? layer["config"] : Json::object();
            result_.architecture.inputs.push_back({name, sample_shape(config.value("batch_input_shape", Json()), where(i, name, true))});
            called[{name, 0}] = name;
        }
        // Each call once every layer it reads is defined: in the list's order, except that a later
        // call of a shared layer may wait for a layer listed after it (as code calls them).
        std::vector<std::pair<size_t, size_t>> pending; // (index in the list, node)
        for (size_t i = 0; i < layers.size(); ++i) {
            const Json& layer = layers[i];
            if (layer.value("class_name", "") == "InputLayer") continue;
            const Json& nodes = layer.contains("inbound_nodes") ? layer["inbound_nodes"] : Json();
            if (!nodes.is_array() || nodes.empty())
                fail(cat(where(i, layer.value("name", ""), true), ": no inbound_nodes: the layer is never called"));
            for (size_t node = 0; node < nodes.size(); ++node) pending.emplace_back(i, node);
        }
        while (!pending.empty()) {
            std::vector<std::pair<size_t, size_t>> waiting;
            for (const auto& [i, node] : pending) {
                const Json& layer = layers[i];
                const std::string name = layer.value("name", "");
                const std::string where = this->where(i, name, true);
                const bool first_call_waits = node > 0 && !called.count({name, 0});
                std::vector<std::string> inputs;
                std::string missing = first_call_waits ? name : std::string();
                for (const Json& inbound : layer["inbound_nodes"][node]) {
                    if (!inbound.is_array() || inbound.size() < 2 || !inbound[0].is_string() || !inbound[1].is_number_integer())
                        fail(cat(where, ": inbound node ", inbound.dump(), " is not [name, node, tensor, …]"));
                    const int64_t tensor =
                        inbound.size() > 2 && inbound[2].is_number_integer() ? inbound[2].get<int64_t>() : 0;
                    auto source = called.find({inbound[0].get<std::string>(), inbound[1].get<int64_t>()});
                    if (source == called.end()) missing = inbound[0].get<std::string>();
                    else if (tensor == 0)
                        inputs.push_back(source->second);
                    else
                        inputs.push_back(
                            state_read(layers, inbound[0].get<std::string>(), source->second, tensor, where));
                }
                if (!missing.empty()) {
                    waiting.emplace_back(i, node);
                    continue;
                }
                const std::string shared = node == 0 ? std::string() : called.at({name, 0});
                called[{name, static_cast<int64_t>(node)}] = add_call(layer, inputs, where, shared);
            }
            if (waiting.size() == pending.size()) { // nothing could be called: a read of what nothing defines
                const Json& layer = layers[waiting.front().first];
                for (const Json& inbound : layer["inbound_nodes"][waiting.front().second])
                    if (!called.count({inbound[0].get<std::string>(), inbound[1].get<int64_t>()}))
                        fail(cat(where(waiting.front().first, layer.value("name", ""), true), ": reads '",
                                 inbound[0].get<std::string>(), "', which no layer of the model defines"));
                fail(cat(where(waiting.front().first, layer.value("name", ""), true), ": a call of a shared layer whose first call never comes"));
            }
            pending = std::move(waiting);
        }
        if (result_.architecture.inputs.empty()) fail("the model has no InputLayer");
        // A state the model returns is an rnn_state layer too, though no layer reads it.
        for (const Json& output : outputs.is_array() ? outputs : Json::array())
            if (output.is_array() && output.size() > 2 && output[0].is_string() && output[1].is_number_integer() &&
                output[2].is_number_integer() && output[2].get<int64_t>() != 0) {
                auto source = called.find({output[0].get<std::string>(), output[1].get<int64_t>()});
                if (source != called.end())
                    state_read(layers, source->first.first, source->second, output[2].get<int64_t>(), "output_layers");
            }
    }

    // One call of a layer; `shares`: the design name of its first call, for a later call.
    std::string add_call(const Json& layer, std::vector<std::string> inputs, const std::string& where,
                         const std::string& shares = {}) {
        const std::string class_name = layer.value("class_name", "");
        const Json& config = layer.contains("config") ? layer["config"] : Json::object();
        const std::string keras_name = config.value("name", layer.value("name", ""));
        LayerSpec spec;
        std::string name = keras_name;
        for (int n = 2; names_.count(name) || name.empty(); ++n) name = cat(keras_name.empty() ? "layer" : keras_name, "_", n);
        names_.insert(name);
        spec.name = name;
        // The previous layer (or the model's only input, first) is read without saying so.
        const auto& layers = result_.architecture.layers;
        const auto& model_inputs = result_.architecture.inputs;
        const std::string previous = !layers.empty() ? layers.back().name : model_inputs.size() == 1 ? model_inputs[0].name : "";
        if (!(inputs.size() == 1 && inputs[0] == previous)) spec.inputs = std::move(inputs);
        if (!shares.empty()) {
            spec.shares = shares;
            result_.architecture.layers.push_back(std::move(spec));
            return name;
        }
        if (config.value("data_format", "channels_last") != "channels_last")
            fail(cat(where, " (", class_name, "): data_format \"", config.value("data_format", ""),
                     "\": netshape's Keras convention is channels last"));
        if (config.contains("trainable") && config["trainable"] == false)
            result_.warnings.push_back(cat(where, " (", class_name, ") is frozen (trainable: false); netshape counts its "
                                           "parameters as the layer's kind does"));
        const Json* settings = &config;
        if (class_name == "Bidirectional") {
            if (config.value("merge_mode", "concat") != "concat")
                fail(cat(where, ": merge_mode \"", config.value("merge_mode", ""), "\"; netshape joins the directions by concatenation"));
            settings = &config["layer"]["config"];
            spec.fields.emplace_back("bidirectional", true);
        }
        const std::string form_class = class_name == "Bidirectional" ? config["layer"].value("class_name", "") : class_name;
        if (form_class == "Sequential" || form_class == "Model" || form_class == "Functional")
            fail(cat(where, ": a model used as a layer; netshape imports one level: write the inner model's layers in its place"));
        if (form_class == "Activation") {
            spec.type = activation_kind(config.value("activation", ""), where);
            if (spec.type.empty()) spec.type = "identity";
        } else if (form_class == "ReLU") {
            const Json max = config.value("max_value", Json());
            spec.type = max.is_number() && max.get<double>() == 6.0 ? "relu6" : "relu";
            if (max.is_number() && max.get<double>() != 6.0) fail(cat(where, ": ReLU(max_value=", max.dump(), "): netshape knows max_value 6 (relu6)"));
        } else if (form_class == "UpSampling1D" || form_class == "UpSampling2D" || form_class == "UpSampling3D") {
            spec.type = "upsample";
            const FieldValue size = field_value(config.value("size", Json(2)), where);
            int64_t factor = std::holds_alternative<int64_t>(size) ? std::get<int64_t>(size) : 0;
            if (auto* list = std::get_if<std::vector<int64_t>>(&size)) {
                factor = list->empty() ? 0 : list->front();
                for (int64_t v : *list)
                    if (v != factor) fail(cat(where, ": UpSampling size ", config["size"].dump(), " differs by dimension; netshape takes one factor"));
            }
            spec.fields.emplace_back("scale_factor", static_cast<double>(factor));
        } else {
            auto form = keras_forms().find(form_class);
            if (form == keras_forms().end()) unknown(form_class, where);
            spec.type = std::string(form->second.kind);
            for (const auto& [key, field] : form->second.fields) {
                if (!settings->contains(key) || (*settings)[key].is_null()) continue;
                FieldValue value = field_value((*settings)[key], cat(where, ".", key));
                if ((field == "p" || field == "negative_slope" || field == "alpha" || field == "factor" || field == "offset") &&
                    std::holds_alternative<int64_t>(value))
                    value = static_cast<double>(std::get<int64_t>(value));
                spec.fields.emplace_back(std::string(field), std::move(value));
            }
            if (form_class == "Concatenate") { // Keras counts the batch as axis 0
                const int64_t axis = config.value("axis", int64_t{-1});
                spec.fields.emplace_back("axis", axis > 0 ? axis - 1 : axis);
            }
            if (form_class == "Permute") {
                std::vector<int64_t> dims;
                for (const Json& d : config.value("dims", Json::array())) dims.push_back(d.get<int64_t>() - 1); // Keras counts from 1
                spec.fields.emplace_back("dims", dims);
            }
            if (form_class == "BatchNormalization" || form_class == "LayerNormalization") {
                // The last axis: -1, or (as Keras writes it once built) the sample's rank, checked at the end.
                Json axis = config.value("axis", Json(-1));
                if (axis.is_array() && axis.size() == 1) axis = axis[0];
                if (!axis.is_number_integer())
                    fail(cat(where, ": ", form_class, " over axes ", axis.dump(), "; netshape imports the last axis"));
                if (axis != -1) last_axis_checks_.push_back({name, axis.get<int64_t>(), where});
            }
            if (form_class == "LayerNormalization") {
                const bool scale = config.value("scale", true), center = config.value("center", true);
                if (!scale && center)
                    fail(cat(where, ": LayerNormalization(scale=False, center=True); netshape's layernorm learns a shift "
                                    "only with a scale"));
                if (!scale) spec.fields.emplace_back("elementwise_affine", false);
                else if (!center) spec.fields.emplace_back("bias", false);
            }
            // A recurrent layer's "activation" is its cell's, not one applied to its output.
            const bool recurrent = form_class == "SimpleRNN" || form_class == "LSTM" || form_class == "GRU";
            if (const Json& activation = settings->value("activation", Json());
                activation.is_string() && form_class != "Softmax" && !recurrent) {
                spec.activation = activation_kind(activation.get<std::string>(), where);
            }
        }
        drop_default_fields(spec);
        result_.architecture.layers.push_back(std::move(spec));
        return name;
    }

    [[noreturn]] void unknown(const std::string& class_name, const std::string& where) {
        std::vector<std::string_view> known;
        for (const auto& [name, form] : keras_forms()) known.push_back(name);
        for (std::string_view extra : {"Activation", "ReLU", "UpSampling2D", "Bidirectional", "InputLayer"}) known.push_back(extra);
        NameSuggester suggester(known);
        const std::string_view nearest = suggester.nearest(class_name);
        fail(cat(where, ": netshape does not know the Keras layer '", class_name, "'",
                 nearest.empty() ? std::string() : cat("; did you mean '", nearest, "'?")));
    }

    struct LastAxisCheck {
        std::string layer;
        int64_t axis;
        std::string where;
    };
    std::vector<LastAxisCheck> last_axis_checks_;
    ImportResult& result_;
    Shape given_input_;
    const std::vector<SourcePlace>& places_;
    SourcePlace failing_place_;
    std::set<std::string> names_;
    std::map<std::pair<std::string, int64_t>, std::string> state_layers_; // (recurrent call, output) → its rnn_state
};

} // namespace

ImportResult import_keras_model(const Json& model, const Shape& input_shape, const std::vector<SourcePlace>& places) {
    ImportResult result;
    Importer importer(result, input_shape, places);
    try {
        if (!model.is_object()) fail("not a Keras model: expected an object with \"class_name\" and \"config\"");
        importer.run(model);
    } catch (const Failure& failure) {
        result.error = ImportError{failure.message, importer.failing_place().line, importer.failing_place().column};
    } catch (const Json::exception& error) { // a value of the wrong JSON type where a layer's setting should be
        result.error = ImportError{cat("a setting of the wrong type: ", error.what()), importer.failing_place().line,
                                   importer.failing_place().column};
    }
    return result;
}

ImportResult import_keras_json(std::string_view text, const Shape& input_shape) {
    ImportResult result;
    Json model;
    try {
        model = Json::parse(text);
    } catch (const Json::parse_error& error) {
        int line = 1, column = 1;
        for (size_t i = 0; i + 1 < error.byte && i < text.size(); ++i) {
            if (text[i] == '\n') ++line, column = 1;
            else ++column;
        }
        const std::string what = error.what();
        result.error = ImportError{cat("line ", line, ", column ", column, ": not JSON: ", what.substr(what.rfind(": ") + 2)),
                                   line, column};
        return result;
    }
    return import_keras_model(model, input_shape, {});
}

} // namespace netshape
