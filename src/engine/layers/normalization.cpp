// Normalization: batch norm, instance norm, layer norm, group norm.
#include "families.h"

#include "../text.h"

#include <limits>

#include <algorithm>

namespace netshape::layers {

// --------------------------------------------------------------------------------------------
// [SECTION] batch normalization (1-D, 2-D, 3-D)
// One statistic per channel C. The frameworks count it differently:
//   PyTorch BatchNorm2d: weight γ [C] and bias β [C] are parameters (2·C, when affine);
//     running_mean [C], running_var [C] and num_batches_tracked [] are buffers, not parameters.
//   Keras BatchNormalization: gamma, beta trainable and moving_mean, moving_variance
//     non-trainable: 4·C parameters, of which 2·C are non-trainable.
// batchnorm1d takes [C] or [C, L] (Keras: [C] or [L, C]); 2d takes [C, H, W]; 3d [C, D, H, W].
// --------------------------------------------------------------------------------------------

// PyTorch's per-channel scale/shift (weight γ, bias β) and running statistics (buffers), shared by
// batch and instance norm.
static void pytorch_channel_statistics(const LayerContext& context, LayerOutput& out, int64_t channels, bool affine,
                                       bool track_running_stats) {
    if (affine) {
        out.add_weight("weight", {channels});
        out.add_weight("bias", {channels});
        out.explain_params("2·C (a scale γ and a shift β per channel)", cat("2·", channels),
                           cat("C = ", channels, " channels (", context.input_source(), ")"));
    } else {
        out.explain.push_back("params = 0 (affine=false: no weight γ or bias β)");
    }
    if (track_running_stats) {
        out.add_weight("running_mean", {channels}, WeightRole::buffer);
        out.add_weight("running_var", {channels}, WeightRole::buffer);
        out.add_weight("num_batches_tracked", {}, WeightRole::buffer);
        out.explain.push_back(cat("buffers, not parameters: running_mean and running_var (2·", channels, " = ",
                                  2 * channels, " values) and num_batches_tracked (1)"));
    }
    out.no_macs("normalisation is not counted");
}

// Batch and instance norm take PyTorch's fields; they differ in their defaults.
static std::vector<FieldSpec> channel_norm_fields(bool affine, bool track_running_stats) {
    return {
        {.name = "num_features", .type = FieldType::integer, .doc = "optional; checked against the channels"},
        {.name = "affine",
         .type = FieldType::boolean,
         .doc = "learn a scale γ and shift β per channel",
         .default_value = affine},
        {.name = "track_running_stats",
         .type = FieldType::boolean,
         .doc = "keep running mean and variance for inference",
         .default_value = track_running_stats},
        {.name = "eps",
         .type = FieldType::number,
         .doc = "added to the variance; no effect on counts",
         .default_value = 1e-5},
        {.name = "momentum",
         .type = FieldType::number,
         .doc = "running-statistics update rate; no effect on counts",
         .default_value = 0.1},
    };
}

static LayerOutput batch_norm_rule(const LayerContext& context) {
    const Fields& fields = context.fields;
    const size_t rank = context.spatial_rank();
    const bool features_only = rank == 1 && context.input.size() == 1; // BatchNorm1d on (N, C)
    if (!features_only) context.require_channels_and_spatial(rank);
    const int64_t channels = features_only ? context.input[0] : context.input[context.channel_axis()];
    context.check_declared_size("num_features", channels, "channels");
    const bool affine = fields.boolean("affine");
    const bool track_running_stats = fields.boolean("track_running_stats");

    LayerOutput out;
    out.shape = context.input;
    out.explain.push_back(cat("one statistic per channel: C = ", channels, "; shape unchanged"));
    if (context.convention == Convention::pytorch) {
        if (affine && (!fields.boolean("scale") || !fields.boolean("center")))
            throw LayerError(fields.boolean("scale") ? "center" : "scale",
                             "PyTorch's BatchNorm learns its scale γ and shift β together (affine); it cannot leave out "
                             "one alone: affine=false leaves out both");
        pytorch_channel_statistics(context, out, channels, affine, track_running_stats);
        return out;
    }

    if (!track_running_stats)
        throw LayerError("track_running_stats",
                         "Keras's BatchNormalization always keeps moving statistics; track_running_stats=false "
                         "exists only in PyTorch");
    // Keras learns gamma (scale=True) and beta (center=True) each on its own; InceptionV3 has
    // scale=False throughout, as a ReLU follows.
    const bool gamma = affine && fields.boolean("scale");
    const bool beta = affine && fields.boolean("center");
    std::vector<std::string> names;
    if (gamma) out.add_weight("gamma", {channels}), names.emplace_back("gamma");
    if (beta) out.add_weight("beta", {channels}), names.emplace_back("beta");
    out.add_weight("moving_mean", {channels}, WeightRole::non_trainable);
    out.add_weight("moving_variance", {channels}, WeightRole::non_trainable);
    names.emplace_back("moving_mean");
    names.emplace_back("moving_variance");
    out.explain_params(cat(names.size(), "·C (", join(names, ", "), " per channel)"), cat(names.size(), "·", channels),
                       cat("C = ", channels, " channels (", context.input_source(), ")"));
    const size_t learned = names.size() - 2;
    out.explain.push_back(cat("non-trainable: moving_mean and moving_variance, 2·", channels, " = ", with_thousands(2 * channels),
                              learned ? cat("; trainable: ", join(std::vector<std::string>(names.begin(), names.begin() + learned), " and "),
                                            ", ", learned, "·", channels, " = ", with_thousands(static_cast<int64_t>(learned) * channels))
                                      : ""));
    out.no_macs("normalisation is not counted");
    return out;
}

// A shared batch norm keeps its first input's rank: Keras's BatchNormalization.build sets
// InputSpec(ndim=len(input_shape), axes={axis: dim}); PyTorch's module is BatchNorm1d (batches
// (N, C) and (N, C, L)), BatchNorm2d (4-D only) or BatchNorm3d (5-D only), whose
// _check_input_dim refuses other ranks.
static bool batch_norm_call_fits(const Shape& first, const Shape& again, Convention convention) {
    if (convention == Convention::keras) return first.size() == again.size();
    auto module_rank = [](size_t sample_rank) { return sample_rank <= 2 ? size_t{1} : sample_rank - 1; };
    return module_rank(first.size()) == module_rank(again.size());
}

// Keras's GroupNormalization.build sets InputSpec(ndim=…); PyTorch's GroupNorm takes (N, C, *).
static bool keras_keeps_rank(const Shape& first, const Shape& again, Convention convention) {
    return convention == Convention::pytorch || first.size() == again.size();
}

LayerKind batch_norm(size_t spatial_rank) {
    // Index 0 is the rank-generic kind (like Keras's BatchNormalization): rank from the input.
    static constexpr std::string_view kTypes[] = {"batchnorm", "batchnorm1d", "batchnorm2d", "batchnorm3d"};
    static constexpr std::string_view kPytorch[] = {"BatchNorm", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d"};
    const size_t i = spatial_rank;
    return LayerKind{
        .type = kTypes[i],
        .pytorch_class = kPytorch[i],
        .keras_class = "BatchNormalization",
        .category = "Normalization",
        .doc = spatial_rank == 0 ? "Batch norm for a sample of any rank (Keras's BatchNormalization)."
                                 : "Normalizes each channel over the batch; learns a scale and shift per channel.",
        .spatial_rank = spatial_rank,
        .call_fits = batch_norm_call_fits,
        .fields =
            [] {
                std::vector<FieldSpec> fields = channel_norm_fields(true, true);
                fields.push_back({.name = "scale",
                                  .type = FieldType::boolean,
                                  .doc = "Keras: learn gamma (PyTorch learns γ and β together: affine)",
                                  .default_value = true});
                fields.push_back({.name = "center",
                                  .type = FieldType::boolean,
                                  .doc = "Keras: learn beta (PyTorch learns γ and β together: affine)",
                                  .default_value = true});
                return fields;
            }(),
        .rule = batch_norm_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] instance normalization (1-D, 2-D, 3-D)
// PyTorch InstanceNorm2d: statistics per sample and channel; affine (γ, β: 2·C) and
// track_running_stats default to false. Keras has no core layer for it (GroupNormalization with
// one group per channel counts the same γ and β).
// --------------------------------------------------------------------------------------------

static LayerOutput instance_norm_rule(const LayerContext& context) {
    const Fields& fields = context.fields;
    context.require_channels_and_spatial(context.kind.spatial_rank);
    const int64_t channels = context.input[context.channel_axis()];
    context.check_declared_size("num_features", channels, "channels");
    const bool affine = fields.boolean("affine");
    const bool track_running_stats = fields.boolean("track_running_stats");
    // A mean and variance over one position normalise it to 0: PyTorch refuses it in training
    // ("Expected more than 1 spatial element when training").
    if (element_count(context.spatial()) == 1)
        throw LayerError("", cat("instance norm computes statistics over each channel's positions, and ",
                                 format_shape(context.input), " has only one per channel (PyTorch refuses it in training)"));
    LayerOutput out;
    out.shape = context.input;
    out.explain.push_back(cat("statistics per sample and channel: C = ", channels, "; shape unchanged"));
    out.mixed_axes = context.spatial_axes(); // the mean over every position: each value depends on all
    if (context.convention == Convention::keras && track_running_stats)
        throw LayerError("track_running_stats", "running statistics for instance norm exist only in PyTorch");
    pytorch_channel_statistics(context, out, channels, affine, track_running_stats);
    if (context.channels_last())
        for (Weight& weight : out.weights)
            weight.name = weight.name == "weight" ? "gamma" : "beta";
    return out;
}

LayerKind instance_norm(size_t spatial_rank) {
    static constexpr std::string_view kTypes[] = {"instancenorm1d", "instancenorm2d", "instancenorm3d"};
    static constexpr std::string_view kPytorch[] = {"InstanceNorm1d", "InstanceNorm2d", "InstanceNorm3d"};
    const size_t i = spatial_rank - 1;
    return LayerKind{
        .type = kTypes[i],
        .pytorch_class = kPytorch[i],
        .keras_class = "GroupNormalization(groups=C)",
        .category = "Normalization",
        .doc = "Normalizes each channel of each sample on its own.",
        .spatial_rank = spatial_rank,
        .fields = channel_norm_fields(false, false),
        .rule = instance_norm_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] layer normalization
// PyTorch LayerNorm(normalized_shape): normalises over the trailing dimensions normalized_shape
// (by default the last dimension); weight and bias have that shape (elementwise_affine, bias).
// Keras LayerNormalization(axis=-1): gamma and beta over the last axis. Same counts.
// --------------------------------------------------------------------------------------------

// With axis: Keras's LayerNormalization(axis=a) normalises over that one axis at every other
// position, gamma and beta having its size; PyTorch writes it for the channels of [C, H, W] as
// torchvision's LayerNorm2d does (permute to [H, W, C], LayerNorm(C), permute back): ConvNeXt's
// norms are layernorm(axis=0) on [C, H, W]. Shape unchanged.
static Shape layer_norm_axis_shape(const LayerContext& context) {
    if (context.fields.given("normalized_shape"))
        throw LayerError("axis", "give either axis or normalized_shape, not both");
    return Shape{context.input[context.sample_axis("axis", context.fields.integer("axis"))]};
}

static LayerOutput layer_norm_rule(const LayerContext& context) {
    const Fields& fields = context.fields;
    const bool by_axis = fields.given("axis");
    const Shape normalized = by_axis                               ? layer_norm_axis_shape(context)
                             : fields.given("normalized_shape") ? fields.list("normalized_shape")
                                                                : Shape{context.input.back()};
    const bool trailing = by_axis || (normalized.size() <= context.input.size() &&
                                      std::equal(normalized.begin(), normalized.end(),
                                                 context.input.end() - static_cast<std::ptrdiff_t>(normalized.size())));
    if (!trailing)
        throw LayerError("normalized_shape",
                         cat("normalized_shape=", format_shape(normalized),
                             " must be the trailing dimensions of the input ", format_shape(context.input)));
    const bool affine = fields.boolean("elementwise_affine");
    const bool bias = fields.boolean("bias");
    LayerOutput out;
    out.shape = context.input;
    // Each value depends on every position of the normalised axes (the mean and variance over
    // them); over the channels alone the field stays, over a spatial axis it becomes all of it.
    if (by_axis)
        out.mixed_axes = {context.sample_axis("axis", fields.integer("axis"))};
    else
        for (size_t axis = context.input.size() - normalized.size(); axis < context.input.size(); ++axis)
            out.mixed_axes.push_back(axis);
    if (by_axis)
        out.explain.push_back(cat("normalises over axis ", fields.integer("axis"), " (", normalized[0],
                                  " values) at every other position; shape unchanged"));
    else
        out.explain.push_back(cat("normalises over ", format_shape(normalized), "; shape unchanged"));
    if (affine) {
        out.add_weight(context.channels_last() ? "gamma" : "weight", normalized);
        if (bias) out.add_weight(context.channels_last() ? "beta" : "bias", normalized);
        out.explain_params(cat(bias ? "2·" : "", "N (", bias ? "a scale γ and a shift β" : "a scale γ", " per normalised value)"),
                           cat(bias ? "2·" : "", join_product(normalized)),
                           cat("N = ", join_product(normalized), normalized.size() > 1 ? cat(" = ", element_count(normalized)) : "",
                               ", the values of ", format_shape(normalized), " normalised together"));
    } else {
        out.explain.push_back("params = 0 (elementwise_affine=false)");
    }
    out.no_macs("normalisation is not counted");
    return out;
}

LayerKind layer_norm() {
    return LayerKind{
        .type = "layernorm",
        .pytorch_class = "LayerNorm",
        .keras_class = "LayerNormalization",
        .category = "Normalization",
        .doc = "Normalizes each sample over its trailing dimensions, or over one axis at every other position.",
        .fields =
            {
                {.name = "normalized_shape",
                 .type = FieldType::sizes,
                 .doc = "the trailing dimensions to normalise over",
                 .default_text = "the last dimension",
                 .positional = true},
                {.name = "axis",
                 .type = FieldType::integer,
                 .doc = "one sample axis to normalise over instead (−1: the last; 0: the channels of [C, H, W], "
                        "torchvision's LayerNorm2d)",
                 .default_text = "normalized_shape",
                 .minimum = std::numeric_limits<int64_t>::min()},
                {.name = "elementwise_affine",
                 .type = FieldType::boolean,
                 .doc = "learn a scale (and shift)",
                 .default_value = true},
                {.name = "bias", .type = FieldType::boolean, .doc = "learn the shift too", .default_value = true},
                {.name = "eps", .type = FieldType::number, .doc = "no effect on counts", .default_value = 1e-5},
            },
        .rule = layer_norm_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] group normalization
// PyTorch GroupNorm(num_groups, num_channels): the channels in num_groups groups (it must divide
// them); affine γ and β per channel: 2·C. Keras GroupNormalization(groups): the same counts.
// PyTorch's input is (N, C, *), the * possibly empty: a sample of channels alone, [C], is taken.
// --------------------------------------------------------------------------------------------

static LayerOutput group_norm_rule(const LayerContext& context) {
    const Fields& fields = context.fields;
    if (context.input.empty())
        throw LayerError("", "groupnorm needs a sample with a channel axis; received a scalar");
    const int64_t channels = context.input[context.channel_axis()];
    context.check_declared_size("num_channels", channels, "channels");
    const int64_t groups = fields.integer("num_groups");
    if (channels % groups != 0)
        throw LayerError("num_groups", cat("num_groups must divide the channels; received num_groups=", groups,
                                           " with ", channels, " channels"));
    LayerOutput out;
    out.shape = context.input;
    out.explain.push_back(cat(groups, " groups of ", channels / groups, " channels; shape unchanged"));
    out.mixed_axes = context.spatial_axes(); // statistics over every position of a group
    if (fields.boolean("affine")) {
        out.add_weight(context.channels_last() ? "gamma" : "weight", {channels});
        out.add_weight(context.channels_last() ? "beta" : "bias", {channels});
        out.explain_params("2·C (a scale γ and a shift β per channel)", cat("2·", channels),
                           cat("C = ", channels, " channels (", context.input_source(), ")"));
    } else {
        out.explain.push_back("params = 0 (affine=false)");
    }
    out.no_macs("normalisation is not counted");
    return out;
}

LayerKind group_norm() {
    return LayerKind{
        .type = "groupnorm",
        .pytorch_class = "GroupNorm",
        .keras_class = "GroupNormalization",
        .category = "Normalization",
        .doc = "Normalizes groups of channels within each sample.",
        .call_fits = keras_keeps_rank,
        .fields =
            {
                {.name = "num_groups", .type = FieldType::integer, .doc = "number of channel groups", .required = true},
                {.name = "num_channels", .type = FieldType::integer, .doc = "optional; checked against the channels"},
                {.name = "affine",
                 .type = FieldType::boolean,
                 .doc = "learn a scale and shift per channel",
                 .default_value = true},
                {.name = "eps", .type = FieldType::number, .doc = "no effect on counts", .default_value = 1e-5},
            },
        .rule = group_norm_rule,
    };
}

} // namespace netshape::layers
