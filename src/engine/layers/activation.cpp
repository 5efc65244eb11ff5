// Activations: element-wise functions with no parameters that keep the shape. Any layer may also
// carry one as "activation" (Keras style); the analysis checks that name against this category.
#include "families.h"

#include "../text.h"

#include <limits>

namespace netshape::layers {

// --------------------------------------------------------------------------------------------
// [SECTION] the shared rules
// --------------------------------------------------------------------------------------------

static LayerOutput elementwise_rule(const LayerContext& context) {
    LayerOutput out;
    out.shape = context.input;
    out.explain.push_back("shape unchanged; params = 0");
    out.no_macs("activations are not counted");
    return out;
}

// softmax and log_softmax normalise along `dim`, numbered as PyTorch numbers it: the batch is
// dimension 0, so dim=1 is the sample's first dimension and −1 its last.
static LayerOutput along_dim_rule(const LayerContext& context) {
    const int64_t batched_rank = static_cast<int64_t>(context.input.size()) + 1;
    const int64_t dim = context.fields.integer("dim");
    const int64_t resolved = dim < 0 ? dim + batched_rank : dim;
    if (resolved < 0 || resolved >= batched_rank)
        throw LayerError("dim", cat("dim=", dim, " is out of range for a batch of ", format_shape(context.input),
                                    " samples (dimensions 0…", batched_rank - 1, ", dimension 0 being the batch)"));
    LayerOutput out;
    out.shape = context.input;
    out.explain.push_back(resolved == 0 ? cat(context.kind.type, " along dim=", dim, ", across the batch")
                                        : cat(context.kind.type, " along dim=", dim, " (size ",
                                              context.input[static_cast<size_t>(resolved - 1)], ")"));
    out.explain.push_back("shape unchanged; params = 0");
    out.no_macs("activations are not counted");
    return out;
}

// --------------------------------------------------------------------------------------------
// [SECTION] the kinds
// --------------------------------------------------------------------------------------------

static LayerKind activation(std::string_view type, std::string_view pytorch_class, std::string_view keras_class,
                            std::string_view doc, std::vector<FieldSpec> fields = {},
                            LayerRule rule = elementwise_rule) {
    return LayerKind{
        .type = type,
        .pytorch_class = pytorch_class,
        .keras_class = keras_class,
        .category = "Activation",
        .doc = doc,
        .fields = std::move(fields),
        .rule = rule,
    };
}

static FieldSpec inplace_field() {
    return {.name = "inplace",
            .type = FieldType::boolean,
            .doc = "PyTorch memory option; no effect on shapes",
            .default_value = false};
}

static FieldSpec real_field(std::string_view name, std::string_view doc, double default_value) {
    return {.name = name,
            .type = FieldType::number,
            .doc = doc,
            .default_value = default_value,
            .positional = true,
            .number_min = -std::numeric_limits<double>::max(),
            .number_max = std::numeric_limits<double>::max()};
}

static FieldSpec dim_field() {
    return {.name = "dim",
            .type = FieldType::integer,
            .doc = "dimension to normalise along, the batch being 0 (−1: the last)",
            .default_value = int64_t{-1},
            .positional = true,
            .minimum = std::numeric_limits<int64_t>::min()};
}

LayerKind relu() { return activation("relu", "ReLU", "ReLU", "max(0, x)", {inplace_field()}); }

LayerKind leaky_relu() {
    return activation("leaky_relu", "LeakyReLU", "LeakyReLU", "x for x ≥ 0, negative_slope·x otherwise",
                      {real_field("negative_slope", "slope for negative inputs", 0.01), inplace_field()});
}

LayerKind elu() {
    return activation("elu", "ELU", "ELU", "x for x > 0, alpha·(exp(x) − 1) otherwise",
                      {real_field("alpha", "scale of the negative part", 1.0), inplace_field()});
}

LayerKind gelu() {
    return activation("gelu", "GELU", "Activation", "x·Φ(x), Gaussian error linear unit",
                      {{.name = "approximate",
                        .type = FieldType::choice,
                        .doc = "\"none\" (exact) or \"tanh\" (approximation)",
                        .default_value = std::string("none"),
                        .choices = {"none", "tanh"}}});
}

LayerKind silu() {
    return activation("silu", "SiLU", "Activation", "x·sigmoid(x), also called swish", {inplace_field()});
}
LayerKind sigmoid() { return activation("sigmoid", "Sigmoid", "Activation", "1/(1 + exp(−x))"); }
LayerKind tanh() { return activation("tanh", "Tanh", "Activation", "hyperbolic tangent"); }
LayerKind identity() { return activation("identity", "Identity", "Identity", "passes its input through unchanged"); }

LayerKind softmax() {
    return activation("softmax", "Softmax", "Softmax", "exp(x)/Σexp(x) along dim", {dim_field()}, along_dim_rule);
}

LayerKind log_softmax() {
    return activation("log_softmax", "LogSoftmax", "Activation", "log of softmax along dim", {dim_field()},
                      along_dim_rule);
}

} // namespace netshape::layers
