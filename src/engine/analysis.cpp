#include "analysis.h"

#include "catalog.h"
#include "checked.h"
#include "text.h"

#include <unordered_set>

namespace netshape {

namespace {

// Layer names may be written in links and referred to by other layers later, so they keep to a
// small, URL-safe alphabet.
bool is_name_character(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
           c == '.';
}

std::string name_problem(const std::string& name) {
    if (name.empty()) return "a layer name may not be empty";
    if (name == "input") return "'input' names the model's input; choose another layer name";
    for (char c : name)
        if (!is_name_character(c))
            return cat("layer name '", name, "' has a character other than letters, digits, '_', '-' and '.'");
    return {};
}

// Given names first; unnamed layers get type_N, skipping any name a person already took.
std::vector<std::string> default_names(const Architecture& architecture) {
    std::unordered_set<std::string> taken; // only given names: type_N never repeats within a type
    for (const LayerSpec& layer : architecture.layers)
        if (!layer.name.empty()) taken.insert(layer.name);
    std::vector<std::string> names;
    std::vector<std::pair<std::string, int>> counters;
    for (const LayerSpec& layer : architecture.layers) {
        if (!layer.name.empty()) {
            names.push_back(layer.name);
            continue;
        }
        int* counter = nullptr;
        for (auto& [type, count] : counters)
            if (type == layer.type) counter = &count;
        if (!counter) counter = &counters.emplace_back(layer.type, 0).second;
        std::string name;
        do
            name = cat(layer.type, "_", ++*counter);
        while (taken.count(name));
        names.push_back(name);
    }
    return names;
}

void check_input(const Shape& input) {
    if (input.empty()) throw LayerError("input", "the input shape is empty; give one sample's shape, e.g. [1, 28, 28]");
    for (int64_t dim : input)
        if (dim < 1)
            throw LayerError("input",
                             cat("every input dimension must be a positive integer; received ", format_shape(input)));
    element_count(input); // a sample whose size overflows is refused here, not downstream
}

// Runs one layer; throws LayerError / OverflowError for anything invalid.
void run_layer(const LayerSpec& spec, Convention convention, LayerResult& result) {
    if (!spec.name.empty())
        if (std::string problem = name_problem(spec.name); !problem.empty()) throw LayerError("name", problem);
    const LayerKind* kind = find_kind(spec.type);
    if (!kind) throw LayerError("type", unknown_type_message(spec.type));
    result.class_name = std::string(kind->class_name(convention));

    Fields fields(*kind, spec);
    LayerContext context{result.input_shape, convention, fields, *kind};
    LayerOutput out = kind->rule(context);

    if (!spec.activation.empty()) {
        const LayerKind* activation = find_kind(spec.activation);
        if (!activation || !is_activation(*activation)) {
            std::vector<std::string_view> names;
            for (const LayerKind& candidate : catalog())
                if (is_activation(candidate)) names.push_back(candidate.type);
            std::string_view suggestion = nearest_name(spec.activation, names);
            throw LayerError("activation",
                             cat("unknown activation '", spec.activation, "'",
                                 suggestion.empty() ? cat(" (one of: ", join({names.begin(), names.end()}, ", "), ")")
                                                    : cat("; did you mean '", suggestion, "'?")));
        }
        LayerSpec defaults{.type = spec.activation};
        Fields activation_fields(*activation, defaults);
        activation->rule(LayerContext{out.shape, convention, activation_fields, *activation});
        out.explain.push_back(cat("then ", spec.activation, " (no parameters, shape unchanged)"));
    }

    result.output_elements = element_count(out.shape); // an output too large to count is an error here
    result.macs = out.macs;
    result.output_shape = std::move(out.shape);
    result.explain = std::move(out.explain);
    result.weights = std::move(out.weights);
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

AnalysisError layer_error(const LayerResult& result, std::string field, const std::string& detail) {
    AnalysisError error;
    error.where = cat("layers[", result.index, "]");
    error.detail = detail;
    error.layer_index = result.index;
    error.layer_name = result.name;
    error.field = std::move(field);
    error.message = cat(error.where, " '", result.name, "' (", result.type, "): ", detail);
    return error;
}

} // namespace

Analysis analyze(const Architecture& architecture) {
    Analysis analysis;
    analysis.name = architecture.name;
    analysis.convention = architecture.convention;
    analysis.input_shape = architecture.input;

    std::vector<std::string> names = default_names(architecture);
    std::unordered_set<std::string> seen_names;
    for (size_t i = 0; i < architecture.layers.size(); ++i) {
        LayerResult result;
        result.index = i;
        result.name = names[i];
        result.type = architecture.layers[i].type;
        result.activation = architecture.layers[i].activation;
        analysis.layers.push_back(std::move(result));
    }

    try {
        check_input(architecture.input);
    } catch (const std::exception& e) {
        analysis.error = AnalysisError{.message = cat("input: ", e.what()), .where = "input", .detail = e.what()};
        return analysis;
    }

    Shape current = architecture.input;
    for (size_t i = 0; i < architecture.layers.size(); ++i) {
        LayerResult& result = analysis.layers[i];
        result.input_shape = current;
        try {
            const LayerSpec& spec = architecture.layers[i];
            if (!spec.name.empty() && !seen_names.insert(spec.name).second)
                throw LayerError("name", cat("the name '", spec.name, "' is already used by an earlier layer"));
            run_layer(spec, architecture.convention, result);
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
            if (!result.macs) analysis.layers_without_macs.push_back(result.name);
        } catch (const LayerError& e) {
            result.status = LayerStatus::error;
            analysis.error = layer_error(result, e.field, e.what());
            break;
        } catch (const OverflowError& e) {
            result.status = LayerStatus::error;
            analysis.error = layer_error(result, "", cat("count overflow: ", e.what()));
            break;
        } catch (const std::exception& e) {
            // A rule that fails in a way it did not foresee is a netshape bug; the person still
            // gets the layers before it and a message instead of a crash.
            result.status = LayerStatus::error;
            analysis.error = layer_error(result, "", cat("internal error in netshape: ", e.what()));
            break;
        }
        result.status = LayerStatus::ok;
        current = result.output_shape;
    }
    // On error, the shape that reached the invalid layer is the last one known to be right.
    analysis.output_shape = current;
    if (analysis.error) {
        // Keep the weights and explanation of an invalid layer out of the report: none is true.
        for (LayerResult& result : analysis.layers)
            if (result.status == LayerStatus::error) {
                result.output_shape.clear();
                result.weights.clear();
                result.explain.clear();
                result.params = result.trainable_params = result.non_trainable_params = result.buffer_elements = 0;
                result.macs.reset();
                result.output_elements = 0;
            }
    }
    return analysis;
}

} // namespace netshape
