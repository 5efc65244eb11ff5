// Pooling: maxpool/avgpool (1-D to 3-D and rank-generic), global and adaptive pooling.
#include "families.h"

#include "../text.h"
#include "../window.h"

#include <algorithm>

namespace netshape::layers {

// --------------------------------------------------------------------------------------------
// [SECTION] pooling (max and average, 1-D, 2-D, 3-D)
// PyTorch MaxPool2d:  H_out = ⌊(H_in + 2·padding − dilation·(kernel_size − 1) − 1)/stride⌋ + 1
// PyTorch AvgPool2d:  H_out = ⌊(H_in + 2·padding − kernel_size)/stride⌋ + 1
// stride defaults to kernel_size; ceil_mode rounds up (see window.cpp); padding ≤ kernel_size/2.
// Keras pools with "valid" or "same" (⌈H_in/stride⌉). No parameters.
//
// A sample with exactly the pooled rank and no channel axis is pooled over all its dimensions,
// as PyTorch does for an unbatched tensor: seed 004 pools a flat vector of 128 with a window
// of 3 into 42. Keras's pooling layers take (batch, …, channels) only (MaxPooling1D: "3D tensor
// with shape (batch_size, steps, features)"), so under keras such a sample is refused.
// --------------------------------------------------------------------------------------------

static LayerOutput pool(const LayerContext& context, WindowKind kind) {
    const Fields& fields = context.fields;
    const size_t rank = context.spatial_rank();
    const bool without_channels = context.input.size() == rank && context.convention == Convention::pytorch;
    if (!without_channels) context.require_channels_and_spatial(rank);

    Window window;
    window.kind = kind;
    window.kernel = fields.sizes("kernel_size", rank);
    window.stride = fields.given("stride") ? fields.sizes("stride", rank) : window.kernel;
    window.dilation =
        window.kind == WindowKind::max_pooling ? fields.sizes("dilation", rank) : std::vector<int64_t>(rank, 1);
    window.padding = fields.padding("padding", rank);
    window.ceil_mode = fields.boolean("ceil_mode");

    // PyTorch's avg_pool3d (unlike 1-D and 2-D) refuses an input smaller than the kernel before
    // padding: "input image … smaller than kernel size".
    if (kind == WindowKind::average_pooling && rank == 3 && context.convention == Convention::pytorch) {
        const Shape sizes = without_channels ? context.input : context.spatial();
        for (size_t d = 0; d < rank; ++d)
            if (sizes[d] < window.kernel[d])
                throw LayerError("kernel_size", cat("PyTorch's AvgPool3d needs the input at least as large as the kernel "
                                                    "before padding; ", spatial_label(rank, d), " is ", sizes[d],
                                                    " and kernel_size is ", window.kernel[d]));
    }
    LayerOutput out;
    if (without_channels) {
        out.explain.push_back(cat("no channel axis: pools the whole ", format_shape(context.input),
                                  " sample, as PyTorch does for an unbatched tensor"));
        out.shape = slide_window(context, context.input, window, out);
    } else {
        int64_t channels = context.input[context.channel_axis()];
        out.explain.push_back(cat("C_out = C_in = ", channels, " (pooling keeps the channels)"));
        out.shape = context.with_channels(channels, slide_window(context, context.spatial(), window, out));
    }
    out.explain.push_back("params = 0 (pooling has nothing to learn)");
    out.no_macs("pooling compares or adds; it multiplies nothing that is counted");
    return out;
}

static LayerOutput max_pooling_rule(const LayerContext& context) { return pool(context, WindowKind::max_pooling); }
static LayerOutput average_pooling_rule(const LayerContext& context) {
    return pool(context, WindowKind::average_pooling);
}

static LayerKind pooling(size_t spatial_rank, bool max) {
    // Index 0 is the rank-generic kind: its spatial rank comes from the input.
    static constexpr std::string_view kMaxTypes[] = {"maxpool", "maxpool1d", "maxpool2d", "maxpool3d"};
    static constexpr std::string_view kMaxPytorch[] = {"MaxPool", "MaxPool1d", "MaxPool2d", "MaxPool3d"};
    static constexpr std::string_view kMaxKeras[] = {"MaxPooling", "MaxPooling1D", "MaxPooling2D", "MaxPooling3D"};
    static constexpr std::string_view kAvgTypes[] = {"avgpool", "avgpool1d", "avgpool2d", "avgpool3d"};
    static constexpr std::string_view kAvgPytorch[] = {"AvgPool", "AvgPool1d", "AvgPool2d", "AvgPool3d"};
    static constexpr std::string_view kAvgKeras[] = {"AveragePooling", "AveragePooling1D", "AveragePooling2D",
                                                     "AveragePooling3D"};
    const size_t i = spatial_rank;
    LayerKind kind{
        .type = max ? kMaxTypes[i] : kAvgTypes[i],
        .pytorch_class = max ? kMaxPytorch[i] : kAvgPytorch[i],
        .keras_class = max ? kMaxKeras[i] : kAvgKeras[i],
        .category = "Pooling",
        .doc = spatial_rank == 0 ? (max ? "Maximum over each window, in as many dimensions as the input has."
                                        : "Average over each window, in as many dimensions as the input has.")
                                 : (max ? "Maximum over each window." : "Average over each window."),
        .spatial_rank = spatial_rank,
        .fields =
            {
                {.name = "kernel_size", .type = FieldType::sizes, .doc = "window size", .required = true, .keras_name = "pool_size"},
                {.name = "stride",
                 .type = FieldType::sizes,
                 .doc = "step between windows",
                 .default_text = "kernel_size",
                 .keras_name = "strides"},
                {.name = "padding",
                 .type = FieldType::padding,
                 .doc = "implicit padding on each side (PyTorch: at most kernel_size/2), or \"valid\" or \"same\"",
                 .default_value = int64_t{0}},
                {.name = "ceil_mode",
                 .type = FieldType::boolean,
                 .doc = "round the output size up instead of down",
                 .default_value = false},
            },
        .rule = max ? max_pooling_rule : average_pooling_rule,
    };
    if (max)
        kind.fields.push_back({.name = "dilation",
                               .type = FieldType::sizes,
                               .doc = "spacing between window taps",
                               .default_value = int64_t{1}});
    else
        kind.fields.push_back({.name = "count_include_pad",
                               .type = FieldType::boolean,
                               .doc = "PyTorch: count padded zeros in the average; no effect on shapes",
                               .default_value = true});
    return kind;
}

LayerKind max_pooling(size_t spatial_rank) { return pooling(spatial_rank, true); }
LayerKind average_pooling(size_t spatial_rank) { return pooling(spatial_rank, false); }

// --------------------------------------------------------------------------------------------
// [SECTION] global pooling
// PyTorch writes it as AdaptiveAvgPool2d(1) + flatten, Keras as GlobalAveragePooling2D: one value
// per channel, [C] (or [C, 1, 1] / [1, 1, C] with keepdims).
// --------------------------------------------------------------------------------------------

static LayerOutput global_pool_rule(const LayerContext& context) {
    const size_t rank = context.spatial_rank();
    context.require_channels_and_spatial(rank);
    const int64_t channels = context.input[context.channel_axis()];
    LayerOutput out;
    const bool keepdims = context.fields.boolean("keepdims");
    out.shape = keepdims ? context.with_channels(channels, Shape(rank, 1)) : Shape{channels};
    out.mixes_all_positions = true;
    out.explain.push_back(cat("one value per channel over ", join_product(context.spatial()), " positions: C = ",
                              channels, keepdims ? " (keepdims: the spatial dimensions stay, as 1)" : ""));
    out.explain.push_back("params = 0");
    out.no_macs("pooling compares or adds; it multiplies nothing that is counted");
    return out;
}

static LayerKind global_pooling(size_t spatial_rank, bool max) {
    static constexpr std::string_view kMaxTypes[] = {"global_maxpool1d", "global_maxpool2d", "global_maxpool3d"};
    static constexpr std::string_view kAvgTypes[] = {"global_avgpool1d", "global_avgpool2d", "global_avgpool3d"};
    static constexpr std::string_view kMaxKeras[] = {"GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D"};
    static constexpr std::string_view kAvgKeras[] = {"GlobalAveragePooling1D", "GlobalAveragePooling2D",
                                                     "GlobalAveragePooling3D"};
    static constexpr std::string_view kMaxPytorch[] = {"AdaptiveMaxPool1d(1)", "AdaptiveMaxPool2d(1)",
                                                       "AdaptiveMaxPool3d(1)"};
    static constexpr std::string_view kAvgPytorch[] = {"AdaptiveAvgPool1d(1)", "AdaptiveAvgPool2d(1)",
                                                       "AdaptiveAvgPool3d(1)"};
    const size_t i = spatial_rank - 1;
    return LayerKind{
        .type = max ? kMaxTypes[i] : kAvgTypes[i],
        .pytorch_class = max ? kMaxPytorch[i] : kAvgPytorch[i],
        .keras_class = max ? kMaxKeras[i] : kAvgKeras[i],
        .category = "Pooling",
        .doc = max ? "Maximum over all positions, one value per channel."
                   : "Mean over all positions, one value per channel.",
        .spatial_rank = spatial_rank,
        .fields = {{.name = "keepdims",
                    .type = FieldType::boolean,
                    .doc = "keep the spatial dimensions as size 1",
                    .default_value = false}},
        .rule = global_pool_rule,
    };
}

LayerKind global_max_pooling(size_t spatial_rank) { return global_pooling(spatial_rank, true); }
LayerKind global_average_pooling(size_t spatial_rank) { return global_pooling(spatial_rank, false); }

// --------------------------------------------------------------------------------------------
// [SECTION] adaptive pooling
// PyTorch AdaptiveAvgPool2d(output_size): the output has output_size positions whatever the
// input's size; channels stay. No parameters.
// --------------------------------------------------------------------------------------------

static LayerOutput adaptive_pool_rule(const LayerContext& context) {
    const size_t rank = context.spatial_rank();
    const bool without_channels = context.input.size() == rank;
    if (!without_channels) context.require_channels_and_spatial(rank);
    const Shape sizes = context.fields.sizes("output_size", rank);
    const Shape in = without_channels ? context.input : context.spatial();
    LayerOutput out;
    for (size_t d = 0; d < rank; ++d)
        out.explain.push_back(cat(spatial_label(rank, d), "_out = output_size = ", sizes[d], " (from ",
                                  spatial_label(rank, d), "_in = ", in[d], ")"));
    out.shape = without_channels ? sizes : context.with_channels(context.input[context.channel_axis()], sizes);
    // To size 1 it is a global pool; other bins cover regions the receptive field does not track.
    out.mixes_all_positions = std::all_of(sizes.begin(), sizes.end(), [](int64_t size) { return size == 1; });
    out.explain.push_back("params = 0");
    out.no_macs("pooling compares or adds; it multiplies nothing that is counted");
    return out;
}

static LayerKind adaptive_pooling(size_t spatial_rank, bool max) {
    static constexpr std::string_view kMaxTypes[] = {"adaptive_maxpool1d", "adaptive_maxpool2d", "adaptive_maxpool3d"};
    static constexpr std::string_view kAvgTypes[] = {"adaptive_avgpool1d", "adaptive_avgpool2d", "adaptive_avgpool3d"};
    static constexpr std::string_view kMaxPytorch[] = {"AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d"};
    static constexpr std::string_view kAvgPytorch[] = {"AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "AdaptiveAvgPool3d"};
    const size_t i = spatial_rank - 1;
    return LayerKind{
        .type = max ? kMaxTypes[i] : kAvgTypes[i],
        .pytorch_class = max ? kMaxPytorch[i] : kAvgPytorch[i],
        .keras_class = max ? kMaxPytorch[i] : kAvgPytorch[i], // Keras has no adaptive pooling
        .category = "Pooling",
        .doc = "Pools to a fixed output size, whatever the input size.",
        .spatial_rank = spatial_rank,
        .fields = {{.name = "output_size",
                    .type = FieldType::sizes,
                    .doc = "output size per spatial dimension",
                    .required = true}},
        .rule = adaptive_pool_rule,
    };
}

LayerKind adaptive_max_pooling(size_t spatial_rank) { return adaptive_pooling(spatial_rank, true); }
LayerKind adaptive_average_pooling(size_t spatial_rank) { return adaptive_pooling(spatial_rank, false); }

} // namespace netshape::layers
