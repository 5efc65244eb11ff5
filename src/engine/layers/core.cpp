// Core layers: linear (Keras's Dense), flatten, dropout and its kinds, drop_path.
#include "families.h"

#include "../checked.h"
#include "../text.h"

#include <limits>

namespace netshape::layers {

// --------------------------------------------------------------------------------------------
// [SECTION] linear
// PyTorch Linear: input (*, H_in) → output (*, H_out); weight [out_features, in_features],
// bias [out_features]. Keras Dense: kernel [input_dim, units], bias [units]. Both apply to the
// last dimension and pass the others through.
//   params = (in_features + 1)·out_features   (in_features·out_features without bias)
// --------------------------------------------------------------------------------------------

static LayerOutput linear_rule(const LayerContext& context) {
    const Fields& fields = context.fields;
    int64_t in_features = context.input.back();
    context.check_declared_size("in_features", in_features, "features in its last dimension");
    int64_t out_features = fields.integer("out_features");
    bool bias = fields.boolean("bias");

    LayerOutput out;
    out.shape = context.input;
    out.shape.back() = out_features;
    if (context.input.size() > 1)
        out.explain.push_back(cat("applies to the last dimension (", in_features, " → ", out_features,
                                  "); the leading dimensions pass through"));
    if (context.channels_last())
        out.add_weight("kernel", {in_features, out_features});
    else
        out.add_weight("weight", {out_features, in_features});
    if (bias) out.add_weight("bias", {out_features});
    // Keras's Dense has no in_features: its words are the input's size and units.
    const std::string_view in_word = context.channels_last() ? "input size" : "in_features";
    const std::string_view out_word = context.field_word("out_features");
    out.explain_params(bias ? cat("(", in_word, " + 1 bias)·", out_word) : cat(in_word, "·", out_word),
                       bias ? cat("(", in_features, " + 1)·", out_features) : cat(in_features, "·", out_features),
                       cat(in_word, " = ", in_features, " (", context.input.size() > 1 ? "the last dimension of " : "",
                           context.input_source(), "), ", out_word, " = ", out_features, " output units"));

    // One in_features-long dot product per output unit, for every leading position.
    Shape products(context.input.begin(), context.input.end() - 1);
    products.push_back(in_features);
    products.push_back(out_features);
    out.set_macs(element_count(products), join_product(products));
    // What an output value sees: on a vector, all of it. On more dimensions the layer acts on the
    // last axis at every position of the others: under Keras that is a position's channels (as a
    // 1×1 convolution), so the field stays; under PyTorch on [C, H, W] it is W, all of which each
    // value then sees, while H keeps its field.
    if (context.input.size() == 1) out.mixes_all_positions = true;
    else out.mixed_axes = {context.input.size() - 1};
    return out;
}

LayerKind linear() {
    return LayerKind{
        .type = "linear",
        .pytorch_class = "Linear",
        .keras_class = "Dense",
        .category = "Core",
        .doc = "Fully connected layer on the last dimension (Keras's Dense).",
        .fields =
            {
                {.name = "out_features", .type = FieldType::integer, .doc = "number of output units", .required = true, .keras_name = "units"},
                {.name = "in_features", .type = FieldType::integer, .doc = "optional; checked against the input"},
                {.name = "bias", .type = FieldType::boolean, .doc = "learn an additive bias", .default_value = true, .keras_name = "use_bias"},
            },
        .rule = linear_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] flatten
// PyTorch Flatten(start_dim=1, end_dim=-1) merges dimensions start_dim…end_dim, counted with the
// batch as dimension 0 (so the default merges the whole sample). Keras Flatten merges the whole
// sample too; in channels-last order the count is the same.
// --------------------------------------------------------------------------------------------

static LayerOutput flatten_rule(const LayerContext& context) {
    const Fields& fields = context.fields;
    const int64_t batched_rank = static_cast<int64_t>(context.input.size()) + 1;
    auto resolve = [&](std::string_view field_name) {
        int64_t dim = fields.integer(field_name);
        int64_t resolved = dim < 0 ? dim + batched_rank : dim;
        if (resolved < 0 || resolved >= batched_rank)
            throw LayerError(std::string(field_name),
                             cat(field_name, "=", dim, " is out of range for a batch of ", format_shape(context.input),
                                 " samples (dimensions 0…", batched_rank - 1, ", dimension 0 being the batch)"));
        return resolved;
    };
    int64_t start = resolve("start_dim");
    int64_t end = resolve("end_dim");
    if (start == 0)
        throw LayerError("start_dim", "start_dim=0 would merge the batch dimension into the sample; netshape describes "
                                      "one sample, so start_dim must be 1 or more");
    if (start > end) throw LayerError("start_dim", cat("start_dim=", start, " comes after end_dim=", end));

    // Sample index = batch index − 1.
    auto first = context.input.begin() + static_cast<std::ptrdiff_t>(start - 1);
    auto last = context.input.begin() + static_cast<std::ptrdiff_t>(end); // one past the merged range
    Shape merged(first, last);
    int64_t product = element_count(merged);

    LayerOutput out;
    out.shape.assign(context.input.begin(), first);
    out.shape.push_back(product);
    out.shape.insert(out.shape.end(), last, context.input.end());
    out.explain.push_back(merged.size() > 1 ? cat("flattened size = ", join_product(merged), " = ", product)
                                            : cat("nothing to merge: dimension ", start, " stays ", product));
    out.no_macs("a reshape computes nothing");
    out.mixes_all_positions = true; // every merged value comes from the whole sample
    return out;
}

LayerKind flatten() {
    constexpr int64_t kAnyInteger = std::numeric_limits<int64_t>::min();
    return LayerKind{
        .type = "flatten",
        .pytorch_class = "Flatten",
        .keras_class = "Flatten",
        .category = "Core",
        .doc = "Merges dimensions into one (by default the whole sample).",
        .fields =
            {
                {.name = "start_dim",
                 .type = FieldType::integer,
                 .doc = "first dimension to merge, counting the batch as 0 (PyTorch's numbering)",
                 .default_value = int64_t{1},
                 .minimum = kAnyInteger},
                {.name = "end_dim",
                 .type = FieldType::integer,
                 .doc = "last dimension to merge; negative counts from the end",
                 .default_value = int64_t{-1},
                 .minimum = kAnyInteger},
            },
        .rule = flatten_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] dropout
// Zeroes elements with probability p while training: same shape, no parameters.
// --------------------------------------------------------------------------------------------

static LayerOutput dropout_rule(const LayerContext& context) {
    LayerOutput out;
    out.shape = context.input;
    out.explain.push_back(cat("shape unchanged; no parameters (p=", context.fields.number("p"),
                              " is the probability of zeroing an element while training)"));
    out.no_macs("no multiplications are counted for dropout");
    return out;
}

LayerKind dropout() {
    return LayerKind{
        .type = "dropout",
        .pytorch_class = "Dropout",
        .keras_class = "Dropout",
        .category = "Regularization",
        .doc = "Randomly zeroes elements while training.",
        .fields =
            {
                {.name = "p",
                 .type = FieldType::number,
                 .doc = "probability of zeroing an element",
                 .default_value = 0.5,
                 .positional = true,
                 .keras_name = "rate"},
                {.name = "inplace",
                 .type = FieldType::boolean,
                 .doc = "PyTorch memory option; no effect on shapes",
                 .default_value = false},
            },
        .rule = dropout_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] drop_path
// Stochastic depth (Huang et al. 2016): while training, a residual branch's output is zeroed
// for a whole sample with probability p (mode "row", torchvision's StochasticDepth as ConvNeXt
// and Swin use it), or for the whole batch (mode "batch"); the rest is scaled by 1/(1 − p).
// Keras writes it as a custom StochasticDepth layer (keras_cv, Keras Applications' ConvNeXt).
// Same shape, no parameters.
// --------------------------------------------------------------------------------------------

static LayerOutput drop_path_rule(const LayerContext& context) {
    LayerOutput out;
    out.shape = context.input;
    out.explain.push_back(cat("shape unchanged; no parameters (p=", context.fields.number("p"), " is the probability of "
                              "dropping the whole branch for ", context.fields.choice("mode") == "row" ? "a sample"
                                                                                                       : "the batch",
                              " while training)"));
    out.no_macs("no multiplications are counted for dropout");
    return out;
}

LayerKind drop_path() {
    return LayerKind{
        .type = "drop_path",
        .pytorch_class = "StochasticDepth",
        .keras_class = "StochasticDepth",
        .category = "Regularization",
        .doc = "Stochastic depth: drops a residual branch for a whole sample while training.",
        .fields =
            {
                {.name = "p",
                 .type = FieldType::number,
                 .doc = "probability of dropping the branch",
                 .required = true,
                 .keras_name = "rate"},
                {.name = "mode",
                 .type = FieldType::choice,
                 .doc = "\"row\": per sample; \"batch\": the whole batch at once",
                 .default_value = std::string("row"),
                 .choices = {"row", "batch"}},
            },
        .rule = drop_path_rule,
    };
}

// Channel-wise dropout (PyTorch Dropout1d/2d/3d, Keras SpatialDropout) zeroes whole channels of a
// [C, spatial…] sample; alpha_dropout keeps SELU's mean and variance. Same shape, no parameters.
static LayerOutput channel_dropout_rule(const LayerContext& context) {
    context.require_channels_and_spatial(context.kind.spatial_rank);
    return dropout_rule(context);
}

static LayerKind dropout_variant(std::string_view type, std::string_view pytorch_class, std::string_view keras_class,
                                 std::string_view doc, size_t spatial_rank) {
    LayerKind kind = dropout();
    kind.type = type;
    kind.pytorch_class = pytorch_class;
    kind.keras_class = keras_class;
    kind.doc = doc;
    kind.spatial_rank = spatial_rank;
    if (spatial_rank > 0) kind.rule = channel_dropout_rule;
    return kind;
}

LayerKind channel_dropout(size_t spatial_rank) {
    static constexpr std::string_view kTypes[] = {"dropout1d", "dropout2d", "dropout3d"};
    static constexpr std::string_view kPytorch[] = {"Dropout1d", "Dropout2d", "Dropout3d"};
    static constexpr std::string_view kKeras[] = {"SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"};
    const size_t i = spatial_rank - 1;
    return dropout_variant(kTypes[i], kPytorch[i], kKeras[i], "Zeroes whole channels while training.", spatial_rank);
}

LayerKind alpha_dropout() {
    return dropout_variant("alpha_dropout", "AlphaDropout", "AlphaDropout",
                           "Dropout that keeps the mean and variance of SELU activations.", 0);
}

} // namespace netshape::layers
