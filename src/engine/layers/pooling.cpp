// Pooling: maxpool1d/2d/3d and avgpool1d/2d/3d, from one generator.
#include "families.h"

#include "../text.h"
#include "../window.h"

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
// of 3 into 42.
// --------------------------------------------------------------------------------------------

static LayerOutput pool(const LayerContext& context, WindowKind kind) {
    const Fields& fields = context.fields;
    const size_t rank = context.spatial_rank();
    const bool without_channels = context.input.size() == rank;
    if (!without_channels) context.require_channels_and_spatial(rank);

    Window window;
    window.kind = kind;
    window.kernel = fields.sizes("kernel_size", rank);
    window.stride = fields.given("stride") ? fields.sizes("stride", rank) : window.kernel;
    window.dilation =
        window.kind == WindowKind::max_pooling ? fields.sizes("dilation", rank) : std::vector<int64_t>(rank, 1);
    window.padding = fields.padding("padding", rank);
    window.ceil_mode = fields.boolean("ceil_mode");

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
        .doc = max ? "Maximum over each window." : "Average over each window.",
        .spatial_rank = spatial_rank,
        .fields =
            {
                {.name = "kernel_size", .type = FieldType::sizes, .doc = "window size", .required = true},
                {.name = "stride",
                 .type = FieldType::sizes,
                 .doc = "step between windows",
                 .default_text = "kernel_size"},
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

} // namespace netshape::layers
