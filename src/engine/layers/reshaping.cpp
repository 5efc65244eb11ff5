// Reshaping: reshape, permute, upsample, zero_pad1d/2d/3d, crop1d/2d/3d. No parameters.
#include "families.h"

#include "../checked.h"
#include "../text.h"
#include "../window.h"

#include <algorithm>
#include <cmath>

namespace netshape::layers {

// --------------------------------------------------------------------------------------------
// [SECTION] reshape
// Keras Reshape(target_shape) / PyTorch view on the sample: the element count must not change;
// one −1 takes whatever size makes it so.
// --------------------------------------------------------------------------------------------

static LayerOutput reshape_rule(const LayerContext& context) {
    const Shape target = context.fields.list("shape");
    const int64_t count = element_count(context.input);
    int64_t known = 1;
    size_t free_dims = 0;
    for (int64_t size : target) {
        if (size == -1)
            ++free_dims;
        else if (size < 1)
            throw LayerError("shape",
                             cat("shape sizes are positive, or −1 once; received shape=", format_shape(target)));
        else
            known = checked_mul(known, size);
    }
    if (free_dims > 1) throw LayerError("shape", cat("only one size may be −1; received shape=", format_shape(target)));
    LayerOutput out;
    out.shape = target;
    if (free_dims == 1) {
        if (count % known != 0)
            throw LayerError("shape", cat(count, " elements cannot be arranged as ", format_shape(target), ": ", count,
                                          " is not a multiple of ", known));
        std::replace(out.shape.begin(), out.shape.end(), int64_t{-1}, count / known);
        out.explain.push_back(cat("−1 = ", count, "/", known, " = ", count / known));
    } else if (known != count) {
        throw LayerError("shape", cat("a ", format_shape(context.input), " sample has ", count,
                                      " elements but shape=", format_shape(target), " holds ", known));
    }
    out.explain.push_back(
        cat(join_product(context.input), " = ", join_product(out.shape), " = ", count, " elements; params = 0"));
    out.no_macs("a reshape computes nothing");
    return out;
}

LayerKind reshape() {
    return LayerKind{
        .type = "reshape",
        .pytorch_class = "Unflatten",
        .keras_class = "Reshape",
        .category = "Reshaping",
        .doc = "Rearranges the sample into another shape with the same number of elements.",
        .fields = {{.name = "shape",
                    .type = FieldType::sizes,
                    .doc = "the new sample shape; one size may be −1",
                    .required = true,
                    .minimum = -1}},
        .rule = reshape_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] permute
// Reorders the sample's dimensions: dims is a permutation of 0…rank−1 over the sample (PyTorch's
// x.permute(0, 2, 1) on a batch is dims=[1, 0] here; Keras's Permute((2, 1)) too).
// --------------------------------------------------------------------------------------------

static LayerOutput permute_rule(const LayerContext& context) {
    const Shape dims = context.fields.list("dims");
    const size_t rank = context.input.size();
    std::vector<bool> seen(rank, false);
    bool valid = dims.size() == rank;
    for (int64_t d : dims) {
        if (!valid || d < 0 || d >= static_cast<int64_t>(rank) || seen[static_cast<size_t>(d)]) {
            valid = false;
            break;
        }
        seen[static_cast<size_t>(d)] = true;
    }
    if (!valid)
        throw LayerError("dims", cat("dims must order all ", rank, " sample dimensions (a permutation of 0…", rank - 1,
                                     "); received dims=", format_shape(dims)));
    LayerOutput out;
    for (int64_t d : dims) {
        out.shape.push_back(context.input[static_cast<size_t>(d)]);
        out.permutation.push_back(static_cast<size_t>(d)); // the receptive field follows the axes
    }
    out.explain.push_back(cat(format_shape(context.input), " with dims ", format_shape(dims), " → ",
                              format_shape(out.shape), "; params = 0"));
    out.no_macs("a permutation computes nothing");
    return out;
}

LayerKind permute() {
    return LayerKind{
        .type = "permute",
        .pytorch_class = "permute",
        .keras_class = "Permute",
        .category = "Reshaping",
        .doc = "Reorders the sample's dimensions.",
        .fields = {{.name = "dims",
                    .type = FieldType::sizes,
                    .doc = "the new order of the sample's dimensions, counted from 0",
                    .required = true,
                    .minimum = 0}},
        .rule = permute_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] upsample
// PyTorch Upsample: out = ⌊in·scale_factor⌋ per spatial dimension, or out = size. Keras
// UpSampling2D(size) repeats by an integer factor. Channels stay where the convention has them.
// --------------------------------------------------------------------------------------------

static LayerOutput upsample_rule(const LayerContext& context) {
    const Fields& fields = context.fields;
    const size_t rank = context.spatial_rank();
    context.require_channels_and_spatial(rank);
    // PyTorch's interpolate: each interpolating mode has its rank (a sample here has no batch
    // axis: linear [C, L], bilinear and bicubic [C, H, W], trilinear [C, D, H, W]), and
    // align_corners, even false, only goes with them.
    const std::string mode = fields.choice("mode");
    const size_t mode_rank = mode == "linear" ? 1 : (mode == "bilinear" || mode == "bicubic") ? 2 : mode == "trilinear" ? 3 : 0;
    if (mode_rank != 0 && mode_rank != rank)
        throw LayerError("mode", cat("mode=\"", mode, "\" interpolates ", mode_rank, "-D samples ([C, ",
                                     mode_rank == 1 ? "L" : mode_rank == 2 ? "H, W" : "D, H, W", "]); this one has ", rank,
                                     " spatial dimension", rank == 1 ? "" : "s", ": ", format_shape(context.input)));
    if (mode_rank == 0 && fields.given("align_corners") && context.convention == Convention::pytorch)
        throw LayerError("align_corners", cat("align_corners goes only with the interpolating modes (linear, bilinear, "
                                              "bicubic, trilinear); mode=\"", mode, "\" takes none, not even false"));
    const bool by_size = fields.given("size");
    if (by_size == fields.given("scale_factor"))
        throw LayerError(by_size ? "size" : "scale_factor", "give exactly one of size and scale_factor");
    const Shape in = context.spatial();
    Shape sizes(rank);
    LayerOutput out;
    if (by_size) {
        sizes = fields.sizes("size", rank);
        for (size_t d = 0; d < rank; ++d)
            out.explain.push_back(cat(spatial_label(rank, d), "_out = size = ", sizes[d]));
    } else {
        const double scale = fields.number("scale_factor");
        for (size_t d = 0; d < rank; ++d) {
            const double scaled = std::floor(static_cast<double>(in[d]) * scale);
            if (!(scaled >= 1.0) || scaled > 9.0e18)
                throw LayerError("scale_factor", cat("scale_factor=", scale, " makes ", spatial_label(rank, d), " = ",
                                                     in[d], " into ", scaled, "; sizes must stay from 1 to 9·10^18"));
            sizes[d] = static_cast<int64_t>(scaled);
            out.explain.push_back(cat(spatial_label(rank, d), "_out = ⌊", in[d], "·", scale, "⌋ = ", sizes[d]));
        }
    }
    out.shape = context.with_channels(context.input[context.channel_axis()], sizes);
    out.explain.push_back("params = 0");
    out.no_macs("interpolation is not counted");
    return out;
}

LayerKind upsample() {
    return LayerKind{
        .type = "upsample",
        .pytorch_class = "Upsample",
        .keras_class = "UpSampling",
        .category = "Reshaping",
        .doc = "Enlarges the spatial dimensions by a factor, or to a size.",
        .fields =
            {
                {.name = "scale_factor",
                 .type = FieldType::number,
                 .doc = "multiplier for every spatial dimension",
                 .positional = true,
                 .number_min = 0.0,
                 .number_max = 1e9},
                {.name = "size", .type = FieldType::sizes, .doc = "output size per spatial dimension"},
                {.name = "mode",
                 .type = FieldType::choice,
                 .doc = "interpolation; no effect on shapes",
                 .default_value = std::string("nearest"),
                 .choices = {"nearest", "linear", "bilinear", "bicubic", "trilinear", "nearest-exact"}},
                {.name = "align_corners",
                 .type = FieldType::boolean,
                 .doc = "no effect on shapes",
                 .default_value = false},
            },
        .rule = upsample_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] zero padding and cropping (1-D, 2-D, 3-D)
// Keras ZeroPadding2D / Cropping2D and PyTorch ZeroPad2d: padding (or cropping) is one integer
// for every side, one per spatial dimension (both sides), or two per spatial dimension in
// dimension order: [top, bottom, left, right] for 2-D. (PyTorch's own ZeroPad2d tuple runs
// from the last dimension: (left, right, top, bottom).)
// --------------------------------------------------------------------------------------------

static std::vector<std::pair<int64_t, int64_t>> per_side(const LayerContext& context, std::string_view field,
                                                         size_t rank) {
    const Shape values = context.fields.list(field);
    std::vector<std::pair<int64_t, int64_t>> sides;
    if (values.size() == 1 || values.size() == rank) {
        for (size_t d = 0; d < rank; ++d) {
            int64_t v = values.size() == 1 ? values[0] : values[d];
            sides.emplace_back(v, v);
        }
    } else if (values.size() == 2 * rank) {
        for (size_t d = 0; d < rank; ++d)
            sides.emplace_back(values[2 * d], values[2 * d + 1]);
    } else {
        throw LayerError(std::string(field),
                         cat(field, " takes 1, ", rank, " or ", 2 * rank, " values for ", rank, " spatial dimension",
                             rank == 1 ? "" : "s", "; received ", field, "=", format_shape(values)));
    }
    return sides;
}

static LayerOutput pad_or_crop(const LayerContext& context, bool pad) {
    const size_t rank = context.kind.spatial_rank;
    context.require_channels_and_spatial(rank);
    const std::string_view field = pad ? "padding" : "cropping";
    const auto sides = per_side(context, field, rank);
    const Shape in = context.spatial();
    Shape sizes(rank);
    LayerOutput out;
    for (size_t d = 0; d < rank; ++d) {
        const auto [before, after] = sides[d];
        sizes[d] = pad ? checked_add(checked_add(in[d], before), after) : in[d] - before - after;
        if (sizes[d] < 1)
            throw LayerError(std::string(field), cat("cropping ", before, " + ", after, " from ",
                                                     spatial_label(rank, d), " = ", in[d], " leaves nothing"));
        out.explain.push_back(cat(spatial_label(rank, d), "_out = ", in[d], pad ? " + " : " − ", before,
                                  pad ? " + " : " − ", after, " = ", sizes[d]));
    }
    out.shape = context.with_channels(context.input[context.channel_axis()], sizes);
    out.explain.push_back("params = 0");
    out.no_macs(pad ? "padding computes nothing" : "cropping computes nothing");
    return out;
}

static LayerOutput zero_pad_rule(const LayerContext& context) { return pad_or_crop(context, true); }
static LayerOutput crop_rule(const LayerContext& context) { return pad_or_crop(context, false); }

LayerKind zero_pad(size_t spatial_rank) {
    static constexpr std::string_view kTypes[] = {"zero_pad1d", "zero_pad2d", "zero_pad3d"};
    static constexpr std::string_view kPytorch[] = {"ZeroPad1d", "ZeroPad2d", "ZeroPad3d"};
    static constexpr std::string_view kKeras[] = {"ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D"};
    const size_t i = spatial_rank - 1;
    return LayerKind{
        .type = kTypes[i],
        .pytorch_class = kPytorch[i],
        .keras_class = kKeras[i],
        .category = "Reshaping",
        .doc = "Adds zeros around the spatial dimensions.",
        .spatial_rank = spatial_rank,
        .fields = {{.name = "padding",
                    .type = FieldType::sizes,
                    .doc = "zeros per side: one value, one per dimension, or before/after per dimension",
                    .required = true,
                    .minimum = 0}},
        .rule = zero_pad_rule,
    };
}

LayerKind crop(size_t spatial_rank) {
    static constexpr std::string_view kTypes[] = {"crop1d", "crop2d", "crop3d"};
    static constexpr std::string_view kKeras[] = {"Cropping1D", "Cropping2D", "Cropping3D"};
    const size_t i = spatial_rank - 1;
    return LayerKind{
        .type = kTypes[i],
        .pytorch_class = "slicing",
        .keras_class = kKeras[i],
        .category = "Reshaping",
        .doc = "Removes positions from the edges of the spatial dimensions.",
        .spatial_rank = spatial_rank,
        .fields = {{.name = "cropping",
                    .type = FieldType::sizes,
                    .doc = "positions removed per side: one value, one per dimension, or before/after per dimension",
                    .required = true,
                    .minimum = 0}},
        .rule = crop_rule,
    };
}

} // namespace netshape::layers
