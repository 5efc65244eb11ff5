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
    // Each value is divided by a sum over the whole axis, so it depends on all of it.
    if (resolved > 0) out.mixed_axes = {static_cast<size_t>(resolved - 1)};
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

LayerKind relu6() {
    return activation("relu6", "ReLU6", "ReLU", "min(max(0, x), 6) (Keras: ReLU(max_value=6))", {inplace_field()});
}
LayerKind hardswish() {
    return activation("hardswish", "Hardswish", "Activation", "x·relu6(x + 3)/6", {inplace_field()});
}
LayerKind hardsigmoid() {
    return activation("hardsigmoid", "Hardsigmoid", "Activation", "relu6(x + 3)/6", {inplace_field()});
}
LayerKind mish() { return activation("mish", "Mish", "Activation", "x·tanh(softplus(x))", {inplace_field()}); }
LayerKind softplus() {
    return activation("softplus", "Softplus", "Activation", "log(1 + exp(beta·x))/beta",
                      {real_field("beta", "sharpness", 1.0), real_field("threshold", "linear above this", 20.0)});
}

// --------------------------------------------------------------------------------------------
// [SECTION] prelu
// A learned slope for negative inputs. PyTorch PReLU(num_parameters): 1 slope, or one per channel
// (num_parameters = C, the channel axis being dimension 1 of the batch). Keras PReLU: one slope
// per element of the sample, except along shared_axes (1-based sample axes, as Keras numbers
// them), where one slope is shared.
// --------------------------------------------------------------------------------------------

static LayerOutput prelu_rule(const LayerContext& context) {
    const Fields& fields = context.fields;
    LayerOutput out;
    out.shape = context.input;
    if (context.convention == Convention::pytorch) {
        if (fields.given("shared_axes"))
            throw LayerError("shared_axes", "shared_axes is Keras's; PyTorch's PReLU takes num_parameters (1 or C)");
        const int64_t count = fields.integer("num_parameters");
        const int64_t channels = context.input[0]; // PyTorch: dimension 1 of the batch
        if (count != 1 && count != channels)
            throw LayerError("num_parameters", cat("num_parameters is 1 or the number of channels (", channels,
                                                   "); received num_parameters=", count));
        out.add_weight("weight", {count});
        out.explain_params(count == 1 ? std::string("1 (one slope shared by all)")
                                      : cat(count, " (one slope per channel)"));
    } else {
        if (fields.given("num_parameters"))
            throw LayerError("num_parameters", "num_parameters is PyTorch's; Keras's PReLU takes shared_axes");
        Shape alpha = context.input;
        if (fields.given("shared_axes"))
            for (int64_t axis : fields.list("shared_axes")) {
                if (axis < 1 || axis > static_cast<int64_t>(alpha.size()))
                    throw LayerError("shared_axes", cat("shared_axes are sample axes 1…", alpha.size(),
                                                        " (Keras counts from 1 after the batch); received ", axis));
                alpha[static_cast<size_t>(axis - 1)] = 1;
            }
        out.add_weight("alpha", alpha);
        out.explain_params(join_product(alpha));
    }
    out.no_macs("activations are not counted");
    return out;
}

LayerKind prelu() {
    return activation(
        "prelu", "PReLU", "PReLU", "x for x ≥ 0, a learned slope·x otherwise",
        {{.name = "num_parameters",
          .type = FieldType::integer,
          .doc = "PyTorch: 1, or one slope per channel",
          .default_value = int64_t{1},
          .positional = true},
         {.name = "shared_axes", .type = FieldType::sizes, .doc = "Keras: sample axes (from 1) that share one slope"}},
        prelu_rule);
}

LayerKind softmax() {
    return activation("softmax", "Softmax", "Softmax", "exp(x)/Σexp(x) along dim", {dim_field()}, along_dim_rule);
}

LayerKind log_softmax() {
    return activation("log_softmax", "LogSoftmax", "Activation", "log of softmax along dim", {dim_field()},
                      along_dim_rule);
}

} // namespace netshape::layers
