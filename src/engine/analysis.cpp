#include "analysis.h"

#include "catalog.h"
#include "checked.h"
#include "limits.h"
#include "link_text.h"
#include "text.h"

#include <algorithm>
#include <functional>
#include <queue>
#include <unordered_map>
#include <unordered_set>

namespace netshape {

namespace {

void check_input_shape(const Shape& input) {
    if (input.empty()) throw LayerError("", "the input shape is empty; give one sample's shape, e.g. [1, 28, 28]");
    for (int64_t dim : input)
        if (dim < 1)
            throw LayerError("",
                             cat("every input dimension must be a positive integer; received ", format_shape(input)));
    element_count(input); // a sample whose size overflows is refused here, not downstream
}

std::string unknown_activation_message(const std::string& activation) {
    std::vector<std::string_view> names;
    for (const LayerKind& candidate : catalog())
        if (is_activation(candidate)) names.push_back(candidate.type);
    std::string_view suggestion = nearest_name(activation, names);
    return cat("unknown activation '", activation, "'",
               suggestion.empty() ? cat(" (one of: ", join({names.begin(), names.end()}, ", "), ")")
                                  : cat("; did you mean '", suggestion, "'?"));
}

// Adds up a layer's declared weights by role.
void count_weights(LayerResult& result) {
    for (const Weight& weight : result.weights) {
        int64_t count = element_count(weight.shape);
        switch (weight.role) {
        case WeightRole::trainable: result.trainable_params = checked_add(result.trainable_params, count); break;
        case WeightRole::non_trainable:
            result.non_trainable_params = checked_add(result.non_trainable_params, count);
            break;
        case WeightRole::buffer: result.buffer_elements = checked_add(result.buffer_elements, count); break;
        }
    }
    result.params = checked_add(result.trainable_params, result.non_trainable_params);
}

// A fused activation as a layer: "relu", or with values, "leaky_relu(0.1)", read as the link text
// reads a layer (positional values, then name=value).
LayerSpec activation_call(const std::string& activation) {
    if (activation.find('(') == std::string::npos) return LayerSpec{.type = activation};
    // Only a name and plain values are read: no repeat or reference can make the read costly.
    TextReadResult read = is_activation_call(activation)
                              ? read_architecture_text(cat(kLinkTextPrefix, ";1/", activation))
                              : TextReadResult{.error = TextError{"values are numbers, names and true/false"}};
    const bool one_call = !read.error && read.architecture.layers.size() == 1 &&
                          read.architecture.layers[0].name.empty() && read.architecture.layers[0].inputs.empty() &&
                          read.architecture.layers[0].shares.empty() && read.architecture.layers[0].activation.empty();
    if (!one_call)
        throw LayerError("activation", cat("the activation '", activation,
                                           "' is not a name with values, such as leaky_relu(0.1)",
                                           read.error ? cat(": ", read.error->message) : std::string()));
    return std::move(read.architecture.layers[0]);
}

// Runs one layer on the shapes of its inputs; throws LayerError / OverflowError for anything
// invalid. `spec` is the layer's own, or for a sharing layer the one it shares.
void run_layer(const LayerSpec& spec, Convention convention, const std::vector<Shape>& inputs,
               const std::vector<std::shared_ptr<const ReceptiveField>>& input_fields, std::string_view input_layer,
               const std::vector<RecurrentState>* input_states, LayerResult& result) {
    const LayerKind* kind = find_kind(spec.type);
    if (!kind) throw LayerError("type", unknown_type_message(spec.type));
    result.class_name = std::string(kind->class_name(convention));
    if (inputs.size() < kind->min_inputs || inputs.size() > kind->max_inputs) {
        std::string wanted = kind->max_inputs == 0 ? std::string("no inputs (it is a learnable tensor, not a layer "
                                                                 "applied to one)")
                             : kind->max_inputs == 1 ? std::string("one input")
                             : kind->max_inputs == SIZE_MAX ? cat(kind->min_inputs, " or more inputs")
                             : kind->max_inputs == kind->min_inputs
                                 ? cat(kind->min_inputs, " inputs")
                                 : cat(kind->min_inputs, " to ", kind->max_inputs, " inputs");
        throw LayerError("inputs", cat(kind->type, " takes ", wanted, "; received ", inputs.size()));
    }

    Fields fields(*kind, spec);
    static const Shape kNoInput; // a kind that reads nothing (parameter) sees an empty first input
    LayerContext context{
        inputs.empty() ? kNoInput : inputs[0], convention, fields, *kind, inputs, input_layer, input_states};
    LayerOutput out = kind->rule(context);

    if (!spec.activation.empty()) {
        const LayerSpec call = activation_call(spec.activation);
        const LayerKind* activation = find_kind(call.type);
        if (!activation || !is_activation(*activation))
            throw LayerError("activation", unknown_activation_message(call.type));
        std::optional<Fields> checked;
        try {
            checked.emplace(*activation, call);
        } catch (const LayerError& e) { // the error is the activation's, whatever field it names
            throw LayerError("activation", cat("activation ", spec.activation, ": ", e.what()));
        }
        const Fields& activation_fields = *checked;
        std::vector<Shape> activation_inputs{out.shape};
        LayerOutput applied =
            activation->rule(LayerContext{out.shape, convention, activation_fields, *activation, activation_inputs});
        if (!applied.weights.empty())
            throw LayerError("activation", cat(spec.activation, " has parameters of its own; add it as a layer, not as "
                                                                "an activation"));
        out.explain.push_back(cat("then ", spec.activation, " (no parameters, shape unchanged)"));
        // softmax along an axis: every value then depends on all of it
        out.mixed_axes.insert(out.mixed_axes.end(), applied.mixed_axes.begin(), applied.mixed_axes.end());
    }

    result.output_elements = element_count(out.shape); // an output too large to count is an error here
    result.receptive_field =
        propagate_receptive_field(input_fields, inputs.empty() ? kNoInput : inputs[0], out, convention, out.explain);
    result.macs = out.macs;
    result.window = out.window;
    result.output_shape = std::move(out.shape);
    result.explain = std::move(out.explain);
    result.weights = std::move(out.weights);
    result.warnings = std::move(out.warnings);
    result.states = std::move(out.states);
    count_weights(result);
}

// Tied weights (GPT-2's output projection is the token embedding's matrix): a layer of its own
// kind that shares another takes that layer's weights where the shapes agree — each of its
// weights with the shape of one of the other's is that weight, counted once, there. PyTorch ties
// by assigning the same Parameter (head.weight = wte.weight), so the shapes are equal: Linear's
// [out, in] is Embedding's [vocab, dim]. Keras ties by using the matrix transposed (keras_nlp's
// ReversibleEmbedding), so under keras a 2-D weight may also be the other's transpose.
void tie_weights(const LayerResult& shared, Convention convention, LayerResult& result) {
    auto transposed = [](const Shape& shape) { return Shape(shape.rbegin(), shape.rend()); };
    std::vector<bool> taken(shared.weights.size(), false);
    std::vector<Weight> own;
    std::vector<std::string> tied;
    for (Weight& weight : result.weights) {
        size_t match = shared.weights.size();
        for (size_t j = 0; j < shared.weights.size() && match == shared.weights.size(); ++j) {
            const Shape& other = shared.weights[j].shape;
            const bool fits = other == weight.shape ||
                              (convention == Convention::keras && other.size() == 2 && transposed(other) == weight.shape);
            if (!taken[j] && weight.role == shared.weights[j].role && fits) match = j;
        }
        if (match == shared.weights.size()) {
            own.push_back(std::move(weight));
            continue;
        }
        taken[match] = true;
        const Weight& other = shared.weights[match];
        tied.push_back(cat(weight.name, " ", format_shape(weight.shape), " is ", shared.name, "'s ", other.name,
                           other.shape == weight.shape ? std::string() : " transposed", " ", format_shape(other.shape)));
    }
    if (tied.empty()) {
        std::vector<std::string> shapes;
        for (const Weight& weight : shared.weights)
            shapes.push_back(format_shape(weight.shape));
        throw LayerError("shares", cat("none of this layer's weights has the shape of one of '", shared.name, "' (",
                                       shapes.empty() ? std::string("it has none") : join(shapes, ", "),
                                       "), so there is nothing to tie"));
    }
    result.weights = std::move(own);
    result.params = result.trainable_params = result.non_trainable_params = result.buffer_elements = 0;
    count_weights(result);
    result.explain.push_back(cat("tied: ", join(tied, "; "), ", counted once there; params here = ",
                                 with_thousands(result.params)));
}

AnalysisError layer_error(const LayerResult& result, std::string field, const std::string& detail) {
    AnalysisError error;
    error.where = cat("layers[", result.index, "]");
    error.detail = detail;
    error.layer_index = result.index;
    error.layer_name = result.name;
    error.field = std::move(field);
    error.message =
        cat(error.where, " '", result.name, "' (", result.type.empty() ? "shared" : result.type, "): ", detail);
    return error;
}

// Where a layer's input comes from.
struct Source {
    bool model_input = false;
    size_t index = 0; // into Architecture::inputs or ::layers
};

// What the analysis knows about each layer before running it: where its inputs come from, which
// layer it shares, or why it cannot run at all (a bad name or reference).
struct Plan {
    std::vector<Source> sources;
    std::optional<size_t> shared; // index of the layer whose weights it reuses
    std::optional<LayerError> problem;
};

class GraphBuilder {
public:
    GraphBuilder(const Architecture& architecture, const std::vector<std::string>& names)
        : architecture_(architecture), names_(names) {
        for (size_t i = 0; i < architecture.inputs.size(); ++i)
            input_index_[architecture.inputs[i].name] = i;
        for (size_t i = 0; i < names.size(); ++i)
            layer_index_.emplace(names[i], i); // first wins; duplicates refused
    }

    Plan plan(size_t i) const {
        Plan plan;
        try {
            plan = plan_or_throw(i);
        } catch (const LayerError& e) {
            plan.problem = e;
        }
        return plan;
    }

private:
    Plan plan_or_throw(size_t i) const {
        const LayerSpec& spec = architecture_.layers[i];
        Plan plan;
        if (!spec.name.empty()) {
            if (std::string problem = name_problem(spec.name); !problem.empty()) throw LayerError("name", problem);
            if (spec.name == kDefaultInputName)
                throw LayerError("name", "'input' names the model's input; choose another layer name");
            if (input_index_.count(spec.name))
                throw LayerError("name", cat("'", spec.name, "' already names a model input"));
            if (layer_index_.at(spec.name) != i)
                throw LayerError("name", cat("the name '", spec.name, "' is already used by layers[",
                                             layer_index_.at(spec.name), "]"));
        }
        // A learnable tensor (parameter) reads nothing: it does not take the layer before it.
        const LayerKind* kind = spec.shares.empty() ? find_kind(spec.type) : nullptr;
        const bool reads_nothing = kind && kind->max_inputs == 0;
        if (spec.inputs.empty() && !reads_nothing) {
            if (i > 0) {
                plan.sources.push_back({false, i - 1});
            } else if (architecture_.inputs.size() == 1) {
                plan.sources.push_back({true, 0});
            } else {
                std::vector<std::string> input_names;
                for (const ModelInput& input : architecture_.inputs)
                    input_names.push_back(input.name);
                throw LayerError("inputs", cat("the model has several inputs (", join(input_names, ", "),
                                               "); say which this layer reads with \"inputs\""));
            }
        }
        for (const std::string& name : spec.inputs)
            plan.sources.push_back(resolve(name, i, "inputs"));
        if (!spec.shares.empty()) {
            Source shared = resolve(spec.shares, i, "shares");
            if (shared.model_input)
                throw LayerError("shares", cat("'", spec.shares, "' is a model input, not a layer with weights"));
            if (!architecture_.layers[shared.index].shares.empty())
                throw LayerError("shares", cat("'", spec.shares, "' itself shares '",
                                               architecture_.layers[shared.index].shares, "'; share that layer"));
            plan.shared = shared.index;
        }
        return plan;
    }

    Source resolve(const std::string& name, size_t i, const char* field) const {
        if (auto it = input_index_.find(name); it != input_index_.end()) return {true, it->second};
        if (auto it = layer_index_.find(name); it != layer_index_.end()) {
            if (it->second == i) throw LayerError(field, cat("a layer cannot read or share itself ('", name, "')"));
            return {false, it->second};
        }
        if (!suggester_) {
            std::vector<std::string_view> known;
            for (const ModelInput& input : architecture_.inputs)
                known.push_back(input.name);
            for (const std::string& layer_name : names_)
                known.push_back(layer_name);
            suggester_.emplace(known);
        }
        std::string_view suggestion = suggester_->nearest(name);
        throw LayerError(field, cat("no layer or input is named '", name, "'",
                                    suggestion.empty() ? std::string() : cat("; did you mean '", suggestion, "'?")));
    }

    const Architecture& architecture_;
    const std::vector<std::string>& names_;
    std::unordered_map<std::string, size_t> input_index_;
    std::unordered_map<std::string, size_t> layer_index_;
    // Built at the first unknown name; one for all, so that many unknown names stay linear.
    mutable std::optional<NameSuggester> suggester_;
};

// Kahn's algorithm, taking the lowest list index first, so a list that is already in order runs
// in list order. Layers left over lie on a cycle (or depend on one).
std::vector<size_t> evaluation_order(const std::vector<Plan>& plans, std::vector<bool>& on_cycle) {
    const size_t n = plans.size();
    // Edges j → i (i reads or shares j), stored compactly: dependents of j are
    // edge_targets[edge_start[j] … edge_start[j + 1]).
    std::vector<size_t> pending(n, 0), edge_start(n + 1, 0), edge_targets;
    auto for_each_dependency = [&](size_t i, auto&& visit) {
        for (const Source& source : plans[i].sources)
            if (!source.model_input) visit(source.index);
        if (plans[i].shared) visit(*plans[i].shared);
    };
    for (size_t i = 0; i < n; ++i)
        for_each_dependency(i, [&](size_t j) {
            ++pending[i];
            ++edge_start[j + 1];
        });
    for (size_t j = 0; j < n; ++j)
        edge_start[j + 1] += edge_start[j];
    edge_targets.resize(edge_start[n]);
    std::vector<size_t> fill(edge_start.begin(), edge_start.end() - 1);
    for (size_t i = 0; i < n; ++i)
        for_each_dependency(i, [&](size_t j) { edge_targets[fill[j]++] = i; });

    std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
    for (size_t i = 0; i < n; ++i)
        if (pending[i] == 0) ready.push(i);
    std::vector<size_t> order;
    order.reserve(n);
    while (!ready.empty()) {
        size_t i = ready.top();
        ready.pop();
        order.push_back(i);
        for (size_t e = edge_start[i]; e < edge_start[i + 1]; ++e)
            if (--pending[edge_targets[e]] == 0) ready.push(edge_targets[e]);
    }
    on_cycle.assign(n, false);
    for (size_t i = 0; i < n; ++i)
        on_cycle[i] = pending[i] > 0;
    return order;
}

// The layers evaluation_order left over lie on a cycle or depend on one. Each cycle gets one
// message that names it, on its first layer in list order ("a ← b ← a": a reads b, b reads a);
// its other layers and the layers downstream point to that layer. Every left-over layer is
// walked once and a cycle path is written once, so a long cycle with many layers after it costs
// linear time and memory (a message per layer with the whole path would be quadratic).
void explain_cycles(std::vector<Plan>& plans, const std::vector<bool>& on_cycle, const std::vector<std::string>& names) {
    const size_t n = plans.size();
    // The dependency a walk follows from a left-over layer: one that is also left over (there
    // always is one, or the layer would have been evaluated).
    auto next_left_over = [&](size_t at) -> size_t {
        for (const Source& source : plans[at].sources)
            if (!source.model_input && on_cycle[source.index]) return source.index;
        return *plans[at].shared;
    };
    constexpr size_t kUnvisited = SIZE_MAX, kOnWalk = SIZE_MAX - 1;
    std::vector<size_t> anchor(n, kUnvisited); // per left-over layer: the first layer of its cycle
    std::vector<bool> member(n, false);
    std::vector<size_t> walk;
    std::vector<std::vector<size_t>> cycles; // each cycle's layers, from its anchor, in reading order
    for (size_t start = 0; start < n; ++start) {
        if (!on_cycle[start] || anchor[start] != kUnvisited) continue;
        walk.clear();
        size_t at = start;
        while (anchor[at] == kUnvisited) {
            anchor[at] = kOnWalk;
            walk.push_back(at);
            at = next_left_over(at);
        }
        size_t reached = anchor[at];
        if (reached == kOnWalk) { // a new cycle: the walk from `at` on
            auto first = std::find(walk.begin(), walk.end(), at);
            std::vector<size_t> cycle(first, walk.end());
            auto lowest = std::min_element(cycle.begin(), cycle.end());
            std::rotate(cycle.begin(), lowest, cycle.end());
            reached = cycle.front();
            for (size_t layer : cycle)
                member[layer] = true;
            cycles.push_back(std::move(cycle));
        }
        for (size_t layer : walk)
            anchor[layer] = reached;
    }
    for (const std::vector<size_t>& cycle : cycles) {
        // Long cycles are named by their first and last 8 layers: the message stays readable.
        constexpr size_t kShown = 8;
        std::string path;
        for (size_t k = 0; k < cycle.size(); ++k) {
            if (cycle.size() > 2 * kShown && k == kShown) {
                path += cat(" ← … ", cycle.size() - 2 * kShown, " more …");
                k = cycle.size() - kShown;
            }
            path += cat(k ? " ← " : "", names[cycle[k]]);
        }
        path += cat(" ← ", names[cycle.front()]);
        Plan& first = plans[cycle.front()];
        if (!first.problem) first.problem = LayerError("inputs", cat("the layers form a cycle: ", path));
    }
    for (size_t i = 0; i < n; ++i) {
        if (!on_cycle[i] || plans[i].problem || anchor[i] == i) continue;
        const std::string where = cat("'", names[anchor[i]], "' (layers[", anchor[i], "])");
        plans[i].problem = LayerError("inputs", member[i] ? cat("on the cycle through ", where)
                                                          : cat("not reached: it depends on the cycle through ", where));
    }
}

// The classic slip: a linear (Dense) layer straight after convolutions or pooling, with no
// flatten. Both frameworks accept it — the layer acts on the last axis only, at every other
// position — so the counts are right but small ([32, 12, 12] → [32, 12, 10], 130 parameters).
// Only what the shapes show: a feature map of rank ≥ 3 from a convolution or pooling layer.
void warn_of_linear_on_feature_maps(const Analysis& analysis, const std::vector<std::string>& names,
                                    LayerResult& layer) {
    if (layer.type != "linear" || layer.input_shape.size() < 3 || layer.inputs.empty()) return;
    const auto producer = std::find(names.begin(), names.end(), layer.inputs[0]);
    if (producer == names.end()) return; // a model input: the person chose its shape
    const LayerKind* kind = find_kind(analysis.layers[static_cast<size_t>(producer - names.begin())].type);
    if (!kind || (kind->category != "Convolution" && kind->category != "Pooling")) return;
    const bool keras = analysis.convention == Convention::keras;
    const int64_t values = element_count(layer.input_shape);
    const int64_t units = layer.output_shape.back();
    const std::string axis = keras ? cat("the ", layer.input_shape.back(), " channels, at every position")
                                   : cat("size ", layer.input_shape.back(), ", at every channel and row");
    layer.warnings.push_back(cat(
        layer.name, " reads the ", format_shape(layer.input_shape), " feature map of '", *producer, "', and ",
        keras ? "Dense" : "nn.Linear", " acts on its last axis only (", axis, "), giving ", format_shape(layer.output_shape),
        "; did you mean flatten before ", layer.name, "? ", keras ? "layers.Flatten()" : "nn.Flatten()", " first gives it ",
        with_thousands(values), " values: ",
        keras ? cat("layers.Dense(", units, ")") : cat("nn.Linear(", values, ", ", units, ")")));
}

} // namespace

// Layer and input names may be written in links and referred to by other layers later, so they
// keep to a small, URL-safe alphabet.
std::string name_problem(const std::string& name) {
    auto is_name_character = [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
               c == '.';
    };
    if (name.empty()) return "a name may not be empty";
    if (name.size() > kMaxNameBytes)
        return cat("a name holds at most ", kMaxNameBytes, " characters; this one has ", name.size());
    for (char c : name)
        if (!is_name_character(c))
            return cat("the name '", name, "' has a character other than letters, digits, '_', '-' and '.'");
    return {};
}

// Given names first; unnamed layers get type_N, skipping any name a person already took.
std::vector<std::string> layer_names(const Architecture& architecture) {
    std::unordered_set<std::string> taken; // only given names: type_N never repeats within a type
    for (const LayerSpec& layer : architecture.layers)
        if (!layer.name.empty()) taken.insert(layer.name);
    std::vector<std::string> names;
    names.reserve(architecture.layers.size());
    std::unordered_map<std::string_view, size_t> counters; // per type; a design may hold 100,000 types
    for (const LayerSpec& layer : architecture.layers) {
        if (!layer.name.empty()) {
            names.push_back(layer.name);
            continue;
        }
        size_t& counter = counters[layer.type];
        std::string name;
        do
            name = cat(layer.type, "_", ++counter);
        while (taken.count(name));
        names.push_back(name);
    }
    return names;
}

Analysis analyze(const Architecture& architecture) {
    Analysis analysis;
    analysis.name = architecture.name;
    analysis.convention = architecture.convention;
    analysis.inputs = architecture.inputs;
    if (!architecture.inputs.empty()) analysis.input_shape = architecture.inputs[0].shape;

    const std::vector<std::string> names = layer_names(architecture);
    const size_t n = architecture.layers.size();
    analysis.layers.reserve(n);
    for (size_t i = 0; i < n; ++i) {
        const LayerSpec& spec = architecture.layers[i];
        LayerResult result;
        result.index = i;
        result.name = names[i];
        result.type = spec.type;
        result.activation = spec.activation;
        result.shares = spec.shares;
        analysis.layers.push_back(std::move(result));
    }

    // The model inputs: at least one, named, each a valid sample shape.
    if (architecture.inputs.empty()) {
        analysis.error = AnalysisError{.message = "input: the architecture has no input",
                                       .where = "input",
                                       .detail = "the architecture has no input"};
        return analysis;
    }
    std::unordered_set<std::string_view> input_names;
    for (size_t i = 0; i < architecture.inputs.size(); ++i) {
        const ModelInput& input = architecture.inputs[i];
        std::string where =
            architecture.inputs.size() == 1 && input.name == kDefaultInputName ? "input" : cat("inputs.", input.name);
        std::string problem;
        try {
            check_input_shape(input.shape);
        } catch (const std::exception& e) {
            problem = e.what();
        }
        if (problem.empty()) problem = name_problem(input.name);
        if (problem.empty() && !input_names.insert(input.name).second)
            problem = cat("two model inputs are named '", input.name, "'");
        if (!problem.empty()) {
            analysis.error = AnalysisError{.message = cat(where, ": ", problem), .where = where, .detail = problem};
            return analysis;
        }
    }

    // Resolve every layer's inputs, then run them in dependency order.
    GraphBuilder graph(architecture, names);
    std::vector<Plan> plans;
    plans.reserve(n);
    for (size_t i = 0; i < n; ++i)
        plans.push_back(graph.plan(i));
    std::vector<bool> on_cycle;
    std::vector<size_t> order = evaluation_order(plans, on_cycle);
    explain_cycles(plans, on_cycle, names);
    for (size_t i = 0; i < n; ++i)
        if (on_cycle[i]) order.push_back(i); // they get their error below, in list order

    std::vector<std::shared_ptr<const ReceptiveField>> input_fields_of_models;
    for (const ModelInput& input : architecture.inputs)
        input_fields_of_models.push_back(input_receptive_field(input.shape, architecture.convention));

    std::vector<size_t> readers(n, 0);
    std::vector<size_t> input_readers(architecture.inputs.size(), 0);
    for (const Plan& plan : plans)
        for (const Source& source : plan.sources)
            ++(source.model_input ? input_readers : readers)[source.index];

    for (size_t i : order) {
        LayerResult& result = analysis.layers[i];
        const Plan& plan = plans[i];
        const LayerSpec& own_spec = architecture.layers[i];
        for (const Source& source : plan.sources)
            result.inputs.push_back(source.model_input ? architecture.inputs[source.index].name : names[source.index]);
        std::string error_field;
        try {
            if (plan.problem) throw *plan.problem;
            // A layer whose inputs are invalid or unreached has nothing to work from.
            std::vector<Shape> input_shapes;
            std::vector<std::shared_ptr<const ReceptiveField>> input_fields;
            input_shapes.reserve(plan.sources.size());
            input_fields.reserve(plan.sources.size());
            bool reachable = true;
            for (const Source& source : plan.sources) {
                if (source.model_input) {
                    input_shapes.push_back(architecture.inputs[source.index].shape);
                    input_fields.push_back(input_fields_of_models[source.index]);
                } else {
                    reachable = reachable && analysis.layers[source.index].status == LayerStatus::ok;
                    input_shapes.push_back(analysis.layers[source.index].output_shape);
                    input_fields.push_back(analysis.layers[source.index].receptive_field);
                }
            }
            // Named in the working: "H_in = 12, the output of maxpool1" (empty: the model input).
            const std::string_view input_layer =
                plan.sources.empty() || plan.sources[0].model_input
                    ? std::string_view()
                    : std::string_view(analysis.layers[plan.sources[0].index].name);
            const std::vector<RecurrentState>* input_states = plan.sources.empty() || plan.sources[0].model_input
                                                                  ? nullptr
                                                                  : &analysis.layers[plan.sources[0].index].states;
            if (plan.shared) reachable = reachable && analysis.layers[*plan.shared].status == LayerStatus::ok;
            if (!reachable) continue;
            if (!input_shapes.empty()) result.input_shape = input_shapes[0];

            if (plan.shared && !own_spec.type.empty()) { // a layer of its own kind: tied weights
                run_layer(own_spec, architecture.convention, input_shapes, input_fields, input_layer, input_states,
                          result);
                tie_weights(analysis.layers[*plan.shared], architecture.convention, result);
                result.tied = true;
            } else if (plan.shared) {
                const LayerSpec& shared_spec = architecture.layers[*plan.shared];
                const LayerResult& shared = analysis.layers[*plan.shared];
                if (!own_spec.fields.empty() || !own_spec.activation.empty())
                    throw LayerError("shares", cat("a layer that shares '", shared.name,
                                                   "' takes its type, fields and activation from it; give it only a "
                                                   "name and inputs (or a type of its own, to tie the weights of the "
                                                   "same shape)"));
                const LayerKind* shared_kind = find_kind(shared_spec.type);
                if (shared_kind && shared_kind->call_fits &&
                    !shared_kind->call_fits(shared.input_shape, input_shapes[0], architecture.convention))
                    throw LayerError("shares", cat("'", shared.name, "' (", shared_kind->class_name(architecture.convention),
                                                   ") keeps the rank of its first input: it was built for ",
                                                   format_shape(shared.input_shape), " and is called here on ",
                                                   format_shape(input_shapes[0])));
                result.type = shared_spec.type;
                result.activation = shared_spec.activation;
                run_layer(shared_spec, architecture.convention, input_shapes, input_fields, input_layer, input_states,
                          result);
                bool same_weights = result.weights.size() == shared.weights.size();
                for (size_t w = 0; same_weights && w < result.weights.size(); ++w)
                    same_weights = result.weights[w].shape == shared.weights[w].shape;
                if (!same_weights)
                    throw LayerError("shares", cat("called on ", format_shape(result.input_shape), ", '", shared.name,
                                                   "' would need other weight shapes than it has (its input was ",
                                                   format_shape(shared.input_shape), ")"));
                // The weights are the shared layer's: counted there, once.
                result.weights.clear();
                result.params = result.trainable_params = result.non_trainable_params = result.buffer_elements = 0;
                result.explain.push_back(
                    cat("params = 0 here: the weights are those of '", shared.name, "', counted once there"));
            } else {
                run_layer(own_spec, architecture.convention, input_shapes, input_fields, input_layer, input_states,
                          result);
            }
            // Totals last, so an overflowing total is blamed on the layer that tips it over.
            int64_t total = checked_add(analysis.total_params, result.params);
            int64_t trainable = checked_add(analysis.trainable_params, result.trainable_params);
            int64_t non_trainable = checked_add(analysis.non_trainable_params, result.non_trainable_params);
            int64_t buffers = checked_add(analysis.buffer_elements, result.buffer_elements);
            int64_t macs = checked_add(analysis.total_macs, result.macs.value_or(0));
            analysis.total_params = total;
            analysis.trainable_params = trainable;
            analysis.non_trainable_params = non_trainable;
            analysis.buffer_elements = buffers;
            analysis.total_macs = macs;
            result.status = LayerStatus::ok;
        } catch (const LayerError& e) {
            result.status = LayerStatus::error;
            result.error = e.what();
            error_field = e.field;
        } catch (const OverflowError& e) {
            result.status = LayerStatus::error;
            result.error = cat("count overflow: ", e.what());
        } catch (const std::exception& e) {
            // A rule that fails in a way it did not foresee is a netshape bug; the person still
            // gets the other layers and a message instead of a crash.
            result.status = LayerStatus::error;
            result.error = cat("internal error in netshape: ", e.what());
        }
        if (result.status == LayerStatus::error) {
            // Keep the weights and explanation of an invalid layer out of the report: none is true.
            result.output_shape.clear();
            result.weights.clear();
            result.explain.clear();
            result.params = result.trainable_params = result.non_trainable_params = result.buffer_elements = 0;
            result.macs.reset();
            result.receptive_field.reset();
            result.states.clear();
            result.output_elements = 0;
            if (!analysis.error || analysis.error->layer_index > i)
                analysis.error = layer_error(result, error_field, result.error);
        }
    }

    for (const LayerResult& result : analysis.layers)
        if (result.status == LayerStatus::ok && !result.macs) analysis.layers_without_macs.push_back(result.name);
    if (n > 0)
        analysis.output_shape = analysis.layers.back().output_shape;
    else
        analysis.output_shape = analysis.input_shape;
    for (size_t i = 0; i < n; ++i) {
        LayerResult& layer = analysis.layers[i];
        if (layer.status != LayerStatus::ok) continue;
        warn_of_linear_on_feature_maps(analysis, names, layer);
        for (const std::string& warning : layer.warnings) {
            layer.explain.push_back(cat("note: ", warning));
            analysis.warnings.push_back(cat("layers[", i, "] '", layer.name, "': ", warning));
        }
    }
    for (size_t i = 0; i < n; ++i) {
        if (readers[i] > 0) continue;
        analysis.outputs.push_back(names[i]);
        if (i + 1 < n)
            analysis.warnings.push_back(
                cat("layers[", i, "] '", names[i], "' is read by no layer; it counts as a model output"));
    }
    for (size_t i = 0; i < architecture.inputs.size(); ++i)
        if (input_readers[i] == 0 && n > 0)
            analysis.warnings.push_back(cat("model input '", architecture.inputs[i].name, "' is read by no layer"));
    return analysis;
}

} // namespace netshape
