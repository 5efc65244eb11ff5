// Normalization: batchnorm1d/2d/3d.
#include "families.h"

#include "../text.h"

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
        if (affine) {
            out.add_weight("weight", {channels});
            out.add_weight("bias", {channels});
            out.explain_params(cat("2·", channels));
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
        return out;
    }

    if (!track_running_stats)
        throw LayerError("track_running_stats",
                         "Keras's BatchNormalization always keeps moving statistics; track_running_stats=false "
                         "exists only in PyTorch");
    if (affine) {
        out.add_weight("gamma", {channels});
        out.add_weight("beta", {channels});
    }
    out.add_weight("moving_mean", {channels}, WeightRole::non_trainable);
    out.add_weight("moving_variance", {channels}, WeightRole::non_trainable);
    out.explain_params(cat(affine ? "4·" : "2·", channels));
    out.explain.push_back(cat("non-trainable: moving_mean and moving_variance, 2·", channels, " = ", 2 * channels,
                              affine ? cat("; trainable: gamma and beta, 2·", channels, " = ", 2 * channels) : ""));
    out.no_macs("normalisation is not counted");
    return out;
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
        .doc = "Normalizes each channel over the batch; learns a scale and shift per channel.",
        .spatial_rank = spatial_rank,
        .fields =
            {
                {.name = "num_features", .type = FieldType::integer, .doc = "optional; checked against the channels"},
                {.name = "affine",
                 .type = FieldType::boolean,
                 .doc = "learn a scale γ and shift β per channel",
                 .default_value = true},
                {.name = "track_running_stats",
                 .type = FieldType::boolean,
                 .doc = "keep running mean and variance for inference",
                 .default_value = true},
                {.name = "eps",
                 .type = FieldType::number,
                 .doc = "added to the variance; no effect on counts",
                 .default_value = 1e-5},
                {.name = "momentum",
                 .type = FieldType::number,
                 .doc = "running-statistics update rate; no effect on counts",
                 .default_value = 0.1},
            },
        .rule = batch_norm_rule,
    };
}

} // namespace netshape::layers
