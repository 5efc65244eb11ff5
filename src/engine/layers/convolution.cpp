// Convolutions: conv1d, conv2d, conv3d.
#include "families.h"

#include "../checked.h"
#include "../text.h"
#include "../window.h"

#include <algorithm>

namespace netshape::layers {

// --------------------------------------------------------------------------------------------
// [SECTION] convolution (1-D, 2-D, 3-D)
// PyTorch Conv2d, per spatial dimension:
//   H_out = ⌊(H_in + 2·padding − dilation·(kernel_size − 1) − 1)/stride⌋ + 1
// weight [C_out, C_in/groups, k…] and bias [C_out] (Keras: kernel [k…, C_in/groups, C_out]), so
//   params = (k₁·…·k_n·C_in/groups + 1)·C_out     (without the +1 when bias is false)
// Keras's padding="same" gives ⌈H_in/stride⌉; PyTorch accepts "same" only with stride 1.
// --------------------------------------------------------------------------------------------

static LayerOutput convolution_rule(const LayerContext& context) {
    const Fields& fields = context.fields;
    const size_t rank = context.spatial_rank();
    context.require_channels_and_spatial(rank);

    const int64_t in_channels = context.input[context.channel_axis()];
    context.check_declared_size("in_channels", in_channels, "channels");
    const int64_t out_channels = fields.integer("out_channels");
    const int64_t groups = fields.integer("groups");
    if (in_channels % groups != 0 || out_channels % groups != 0)
        throw LayerError("groups",
                         cat("groups must divide both the input channels and out_channels; received groups=", groups,
                             " with ", in_channels, " input channels and out_channels=", out_channels));

    Window window;
    window.kind = WindowKind::convolution;
    window.kernel = fields.sizes("kernel_size", rank);
    window.stride = fields.sizes("stride", rank);
    window.dilation = fields.sizes("dilation", rank);
    window.padding = fields.padding("padding", rank);
    if (context.channels_last()) {
        bool dilated = std::any_of(window.dilation.begin(), window.dilation.end(), [](int64_t d) { return d != 1; });
        bool strided = std::any_of(window.stride.begin(), window.stride.end(), [](int64_t s) { return s != 1; });
        if (dilated && strided)
            throw LayerError("dilation",
                             cat("Keras refuses a dilation other than 1 together with a stride other than "
                                 "1; received stride=",
                                 format_shape(window.stride), ", dilation=", format_shape(window.dilation)));
    }

    LayerOutput out;
    out.explain.push_back(cat("C_out = out_channels = ", out_channels));
    Shape spatial_out = slide_window(context, context.spatial(), window, out);
    out.shape = context.with_channels(out_channels, spatial_out);

    const int64_t channels_per_group = in_channels / groups;
    Shape kernel_sizes = window.kernel;
    if (context.channels_last()) {
        Shape kernel = kernel_sizes;
        kernel.push_back(channels_per_group);
        kernel.push_back(out_channels);
        out.add_weight("kernel", kernel);
    } else {
        Shape weight{out_channels, channels_per_group};
        weight.insert(weight.end(), kernel_sizes.begin(), kernel_sizes.end());
        out.add_weight("weight", weight);
    }
    const bool bias = fields.boolean("bias");
    if (bias) out.add_weight("bias", {out_channels});

    if (groups != 1)
        out.explain.push_back(cat("each filter sees C_in/groups = ", in_channels, "/", groups, " = ",
                                  channels_per_group, " channel", channels_per_group == 1 ? "" : "s"));
    Shape per_filter = kernel_sizes;
    per_filter.push_back(channels_per_group);
    std::string weights_per_filter = join_product(per_filter);
    out.explain_params(bias ? cat("(", weights_per_filter, " + 1)·", out_channels)
                            : cat(weights_per_filter, "·", out_channels));

    // Every output element is one filter's dot product over k…·C_in/groups inputs.
    Shape products = spatial_out;
    products.push_back(out_channels);
    products.insert(products.end(), per_filter.begin(), per_filter.end());
    out.set_macs(element_count(products),
                 cat(join_product(spatial_out), "·", out_channels, "·(", weights_per_filter, ")"));
    return out;
}

LayerKind convolution(size_t spatial_rank) {
    // Index 0 is the rank-generic kind: its spatial rank comes from the input, as ONNX's Conv does.
    static constexpr std::string_view kTypes[] = {"conv", "conv1d", "conv2d", "conv3d"};
    static constexpr std::string_view kPytorch[] = {"Conv", "Conv1d", "Conv2d", "Conv3d"};
    static constexpr std::string_view kKeras[] = {"Conv", "Conv1D", "Conv2D", "Conv3D"};
    const size_t i = spatial_rank;
    return LayerKind{
        .type = kTypes[i],
        .pytorch_class = kPytorch[i],
        .keras_class = kKeras[i],
        .category = "Convolution",
        .doc = "Convolution over the spatial dimensions; every filter spans all input channels of its group.",
        .spatial_rank = spatial_rank,
        .fields =
            {
                {.name = "out_channels", .type = FieldType::integer, .doc = "number of filters", .required = true},
                {.name = "kernel_size", .type = FieldType::sizes, .doc = "window size", .required = true},
                {.name = "stride",
                 .type = FieldType::sizes,
                 .doc = "step between windows",
                 .default_value = int64_t{1}},
                {.name = "padding",
                 .type = FieldType::padding,
                 .doc = "zeros added on each side, or \"valid\" (none) or \"same\"",
                 .default_value = int64_t{0}},
                {.name = "dilation",
                 .type = FieldType::sizes,
                 .doc = "spacing between kernel taps",
                 .default_value = int64_t{1}},
                {.name = "groups",
                 .type = FieldType::integer,
                 .doc = "channel groups (groups = channels: depthwise)",
                 .default_value = int64_t{1}},
                {.name = "bias", .type = FieldType::boolean, .doc = "learn one bias per filter", .default_value = true},
                {.name = "in_channels", .type = FieldType::integer, .doc = "optional; checked against the input"},
            },
        .rule = convolution_rule,
    };
}

} // namespace netshape::layers
