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

// The sliding window of a convolution from its fields, with Keras's refusal of dilation and
// stride together (its Conv2D documents it).
static Window convolution_window(const LayerContext& context, size_t rank) {
    const Fields& fields = context.fields;
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
    return window;
}

// Fields every convolution has after its own leading ones.
static std::vector<FieldSpec> window_fields() {
    return {
        {.name = "stride", .type = FieldType::sizes, .doc = "step between windows", .default_value = int64_t{1}, .keras_name = "strides"},
        {.name = "padding",
         .type = FieldType::padding,
         .doc = "zeros added on each side, or \"valid\" (none) or \"same\"",
         .default_value = int64_t{0}},
        {.name = "dilation",
         .type = FieldType::sizes,
         .doc = "spacing between kernel taps",
         .default_value = int64_t{1},
         .keras_name = "dilation_rate"},
    };
}

// The input channels (checked against in_channels), out_channels and groups, which must divide both.
struct ChannelGroups {
    int64_t in_channels, out_channels, groups;
};

static ChannelGroups channel_groups(const LayerContext& context) {
    const int64_t in_channels = context.input[context.channel_axis()];
    context.check_declared_size("in_channels", in_channels, "channels");
    const int64_t out_channels = context.fields.integer("out_channels");
    const int64_t groups = context.fields.integer("groups");
    if (in_channels % groups != 0 || out_channels % groups != 0)
        throw LayerError("groups",
                         cat("groups must divide both the input channels and out_channels; received groups=", groups,
                             " with ", in_channels, " input channels and out_channels=", out_channels));
    return {in_channels, out_channels, groups};
}

static LayerOutput convolution_rule(const LayerContext& context) {
    const Fields& fields = context.fields;
    const size_t rank = context.spatial_rank();
    context.require_channels_and_spatial(rank);

    const auto [in_channels, out_channels, groups] = channel_groups(context);

    const Window window = convolution_window(context, rank);
    LayerOutput out;
    out.explain.push_back(cat("C_out = ", context.field_word("out_channels"), " = ", out_channels));
    Shape spatial_out = slide_window(context, context.spatial(), window, out);
    out.shape = context.with_channels(out_channels, spatial_out);

    const int64_t channels_per_group = in_channels / groups;
    const Shape& kernel_sizes = window.kernel;
    Shape weight;
    weight.reserve(kernel_sizes.size() + 2);
    if (context.channels_last()) { // Keras: kernel [k…, C_in/groups, C_out]
        weight = kernel_sizes;
        weight.push_back(channels_per_group);
        weight.push_back(out_channels);
    } else { // PyTorch: weight [C_out, C_in/groups, k…]
        weight = {out_channels, channels_per_group};
        weight.insert(weight.end(), kernel_sizes.begin(), kernel_sizes.end());
    }
    out.add_weight(context.channels_last() ? "kernel" : "weight", std::move(weight));
    const bool bias = fields.boolean("bias");
    if (bias) out.add_weight("bias", {out_channels});

    if (groups != 1)
        out.explain.push_back(cat("each filter sees C_in/groups = ", in_channels, "/", groups, " = ",
                                  channels_per_group, " channel", channels_per_group == 1 ? "" : "s"));
    const std::string weights_per_filter = cat(join_product(kernel_sizes), "·", channels_per_group);
    // Named symbols: k_h·k_w·C_in weights per filter (C_in/g with groups), one bias each, C_out filters.
    std::vector<std::string> kernel_symbols;
    for (size_t i = 0; i < rank; ++i)
        kernel_symbols.push_back(rank == 1 ? std::string("k") : cat("k_", lowercase(spatial_label(rank, i))));
    const std::string per_filter_symbols = cat(join(kernel_symbols, "·"), groups != 1 ? "·C_in/g" : "·C_in");
    std::vector<std::string> where{cat("C_in = ", in_channels, in_channels == 1 ? " input channel (" : " input channels (", context.input_source(), ")"),
                                   cat("C_out = ", context.field_word("out_channels"), " = ", out_channels, " filters")};
    if (groups != 1) where.push_back(cat("g = groups = ", groups));
    const bool square = std::all_of(kernel_sizes.begin(), kernel_sizes.end(), [&](int64_t k) { return k == kernel_sizes[0]; });
    std::vector<std::string> kernel_values;
    for (size_t i = 0; i < rank; ++i) kernel_values.push_back(cat(kernel_symbols[i], " = ", kernel_sizes[i]));
    where.push_back(cat(square ? cat(join(kernel_symbols, " = "), " = ", kernel_sizes[0]) : join(kernel_values, ", "), " (",
                        context.field_word("kernel_size"), ")"));
    out.explain_params(bias ? cat("(", per_filter_symbols, " + 1 bias)·C_out") : cat(per_filter_symbols, "·C_out"),
                       bias ? cat("(", weights_per_filter, " + 1)·", out_channels) : cat(weights_per_filter, "·", out_channels),
                       join(where, ", "));

    // Every output element is one filter's dot product over k…·C_in/groups inputs.
    const int64_t per_filter = checked_mul(element_count(kernel_sizes), channels_per_group);
    const int64_t macs = checked_mul(checked_mul(element_count(spatial_out), out_channels), per_filter);
    out.set_macs(macs, cat(join_product(spatial_out), "·", out_channels, "·(", weights_per_filter, ")"));
    return out;
}

// out_channels, kernel_size, the window fields, `extra` (output_padding), groups, bias, in_channels.
static std::vector<FieldSpec> convolution_fields(std::vector<FieldSpec> extra = {}) {
    std::vector<FieldSpec> fields = {
        {.name = "out_channels", .type = FieldType::integer, .doc = "number of filters", .required = true, .keras_name = "filters"},
        {.name = "kernel_size", .type = FieldType::sizes, .doc = "window size", .required = true},
    };
    for (FieldSpec& field : window_fields())
        fields.push_back(field);
    for (FieldSpec& field : extra)
        fields.push_back(field);
    fields.push_back({.name = "groups",
                      .type = FieldType::integer,
                      .doc = "channel groups (groups = channels: depthwise)",
                      .default_value = int64_t{1}});
    fields.push_back(
        {.name = "bias", .type = FieldType::boolean, .doc = "learn one bias per filter", .default_value = true, .keras_name = "use_bias"});
    fields.push_back({.name = "in_channels", .type = FieldType::integer, .doc = "optional; checked against the input"});
    return fields;
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
        .doc = spatial_rank == 0
                   ? "Convolution with as many spatial dimensions as the input has (ONNX's Conv)."
                   : "Convolution over the spatial dimensions; every filter spans all input channels of its group.",
        .spatial_rank = spatial_rank,
        .fields = convolution_fields(),
        .rule = convolution_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] depthwise and separable convolution (Keras's DepthwiseConv2D, SeparableConv2D)
// Depthwise: every input channel gets depth_multiplier filters of its own, so
//   C_out = C·m,  depthwise_kernel [k, k, C, m] (PyTorch: Conv2d(C, C·m, k, groups=C), weight
//   [C·m, 1, k, k]),  params = k·k·C·m + C·m (bias).
// Separable: the depthwise step, then a 1×1 pointwise convolution to out_channels:
//   params = k·k·C·m + C·m·out_channels + out_channels (bias).
// --------------------------------------------------------------------------------------------

static LayerOutput depthwise_or_separable(const LayerContext& context, bool separable) {
    const Fields& fields = context.fields;
    const size_t rank = 2;
    context.require_channels_and_spatial(rank);
    const int64_t channels = context.input[context.channel_axis()];
    context.check_declared_size("in_channels", channels, "channels");
    const int64_t multiplier = fields.integer("depth_multiplier");
    const int64_t depthwise_channels = checked_mul(channels, multiplier);
    const int64_t out_channels = separable ? fields.integer("out_channels") : depthwise_channels;
    const bool bias = fields.boolean("bias");

    const Window window = convolution_window(context, rank);
    LayerOutput out;
    out.explain.push_back(
        separable ? cat("depthwise: C·depth_multiplier = ", channels, "·", multiplier, " = ", depthwise_channels,
                        "; pointwise: C_out = ", context.field_word("out_channels"), " = ", out_channels)
                  : cat("C_out = C·depth_multiplier = ", channels, "·", multiplier, " = ", depthwise_channels));
    const Shape spatial_out = slide_window(context, context.spatial(), window, out);
    out.shape = context.with_channels(out_channels, spatial_out);

    const int64_t kh = window.kernel[0], kw = window.kernel[1];
    if (context.channels_last())
        out.add_weight("depthwise_kernel", {kh, kw, channels, multiplier});
    else
        out.add_weight(separable ? "depthwise.weight" : "weight", {depthwise_channels, 1, kh, kw});
    if (separable) {
        if (context.channels_last())
            out.add_weight("pointwise_kernel", {1, 1, depthwise_channels, out_channels});
        else
            out.add_weight("pointwise.weight", {out_channels, depthwise_channels, 1, 1});
    }
    if (bias) out.add_weight(separable && !context.channels_last() ? "pointwise.bias" : "bias", {out_channels});

    const std::string depthwise = cat(kh, "·", kw, "·", channels, "·", multiplier);
    const std::string pointwise = separable ? cat(" + ", depthwise_channels, "·", out_channels) : "";
    // One k_h×k_w filter per input channel and multiplier; the separable kind then a 1×1
    // convolution from those C·m channels to C_out.
    out.explain_params(cat("k_h·k_w·C_in·m", separable ? " + C_in·m·C_out" : "", bias ? " + 1 bias per output channel" : ""),
                       cat(depthwise, pointwise, bias ? cat(" + ", out_channels) : ""),
                       cat("C_in = ", channels, channels == 1 ? " input channel (" : " input channels (", context.input_source(),
                           "), m = depth_multiplier = ", multiplier, ", k_h = ", kh, ", k_w = ", kw,
                           separable ? cat(", C_out = ", context.field_word("out_channels"), " = ", out_channels) : ""));

    const int64_t positions = element_count(spatial_out);
    const int64_t depthwise_macs = checked_mul(checked_mul(positions, depthwise_channels), kh * kw);
    const int64_t pointwise_macs =
        separable ? checked_mul(checked_mul(positions, depthwise_channels), out_channels) : 0;
    out.set_macs(
        checked_add(depthwise_macs, pointwise_macs),
        cat(join_product(spatial_out), "·", depthwise_channels, "·", kh, "·", kw,
            separable ? cat(" + ", join_product(spatial_out), "·", depthwise_channels, "·", out_channels) : ""));
    return out;
}

static LayerOutput depthwise_rule(const LayerContext& context) { return depthwise_or_separable(context, false); }
static LayerOutput separable_rule(const LayerContext& context) { return depthwise_or_separable(context, true); }

static std::vector<FieldSpec> depthwise_fields(bool separable) {
    std::vector<FieldSpec> fields;
    if (separable)
        fields.push_back({.name = "out_channels",
                          .type = FieldType::integer,
                          .doc = "filters of the pointwise step",
                          .required = true,
                          .keras_name = "filters"});
    fields.push_back({.name = "kernel_size", .type = FieldType::sizes, .doc = "window size", .required = true});
    for (FieldSpec& field : window_fields())
        fields.push_back(field);
    fields.push_back({.name = "depth_multiplier",
                      .type = FieldType::integer,
                      .doc = "filters per input channel in the depthwise step",
                      .default_value = int64_t{1}});
    fields.push_back({.name = "bias",
                      .type = FieldType::boolean,
                      .doc = "learn one bias per output channel",
                      .default_value = true,
                      .keras_name = "use_bias"});
    fields.push_back({.name = "in_channels", .type = FieldType::integer, .doc = "optional; checked against the input"});
    return fields;
}

LayerKind depthwise_convolution() {
    return LayerKind{
        .type = "depthwise_conv2d",
        .pytorch_class = "Conv2d(groups=C)",
        .keras_class = "DepthwiseConv2D",
        .category = "Convolution",
        .doc = "One spatial filter (or depth_multiplier of them) per input channel.",
        .spatial_rank = 2,
        .fields = depthwise_fields(false),
        .rule = depthwise_rule,
    };
}

LayerKind separable_convolution() {
    return LayerKind{
        .type = "separable_conv2d",
        .pytorch_class = "depthwise + pointwise Conv2d",
        .keras_class = "SeparableConv2D",
        .category = "Convolution",
        .doc = "A depthwise convolution followed by a 1×1 convolution.",
        .spatial_rank = 2,
        .fields = depthwise_fields(true),
        .rule = separable_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] transposed convolution (1-D, 2-D, 3-D)
// PyTorch ConvTranspose2d, per spatial dimension:
//   H_out = (H_in − 1)·stride − 2·padding + dilation·(kernel_size − 1) + output_padding + 1
// weight [C_in, C_out/groups, k…] (Keras Conv2DTranspose: kernel [k…, C_out, C_in]) and bias
// [C_out]:  params = C_in·(C_out/groups)·k₁·…·k_n + C_out.
// Keras: "valid" is padding 0; "same" gives H_in·stride. output_padding < stride or dilation.
// MACs: every input element meets k…·C_out/groups weights (fvcore's count).
// --------------------------------------------------------------------------------------------

static LayerOutput transposed_convolution_rule(const LayerContext& context) {
    const Fields& fields = context.fields;
    const size_t rank = context.spatial_rank();
    context.require_channels_and_spatial(rank);
    const auto [in_channels, out_channels, groups] = channel_groups(context);
    const Shape kernel = fields.sizes("kernel_size", rank);
    const Shape stride = fields.sizes("stride", rank);
    const Shape dilation = fields.sizes("dilation", rank);
    const Shape output_padding = fields.sizes("output_padding", rank);
    const Padding padding = fields.padding("padding", rank);
    // PyTorch's ConvTransposeNd reads padding as numbers only: "same" and "valid" are refused.
    if (padding.mode != Padding::Mode::explicit_amounts && context.convention == Convention::pytorch)
        throw LayerError("padding", cat("PyTorch's transposed convolutions take no padding=\"",
                                        padding.mode == Padding::Mode::same ? "same" : "valid",
                                        "\"; give a number (\"valid\" is padding=0)"));

    const Shape in = context.spatial();
    LayerOutput out;
    out.explain.push_back(cat("C_out = ", context.field_word("out_channels"), " = ", out_channels));
    Shape spatial_out(rank);
    for (size_t d = 0; d < rank; ++d) {
        if (output_padding[d] >= stride[d] && output_padding[d] >= dilation[d])
            throw LayerError("output_padding",
                             cat("output_padding must be smaller than stride or dilation; received "
                                 "output_padding=",
                                 output_padding[d], " with stride=", stride[d], ", dilation=", dilation[d]));
        if (padding.mode == Padding::Mode::same) {
            spatial_out[d] = checked_add(checked_mul(in[d], stride[d]), output_padding[d]);
            out.explain.push_back(cat(spatial_label(rank, d), "_out = ", spatial_label(rank, d), "_in·stride",
                                      output_padding[d] ? " + output_padding" : "", " = ", in[d], "·", stride[d],
                                      output_padding[d] ? cat(" + ", output_padding[d]) : "", " = ", spatial_out[d],
                                      " (padding \"same\")"));
            continue;
        }
        // Under Keras, padding 0 is its padding="valid" (Keras has no numeric padding).
        const bool keras_valid = context.channels_last() && (padding.mode == Padding::Mode::valid ||
                                                             (padding.mode == Padding::Mode::explicit_amounts && padding.amounts[d] == 0));
        if (keras_valid && !fields.given("output_padding")) {
            // Keras's deconv_output_length without output_padding: L·s + max(k' − s, 0), with the
            // dilated kernel k' = d·(k − 1) + 1. The same as below while k' ≥ s; a kernel smaller
            // than the stride leaves the gaps between windows in the output too.
            const int64_t span = checked_add(checked_mul(dilation[d], kernel[d] - 1), 1);
            spatial_out[d] = checked_add(checked_mul(in[d], stride[d]), std::max<int64_t>(span - stride[d], 0));
            explain_worked(cat(spatial_label(rank, d), "_out"), cat(spatial_label(rank, d), "_in·s + max(k − s, 0)"),
                           cat(in[d], "·", stride[d], " + max(", span, " − ", stride[d], ", 0)"),
                           with_thousands(spatial_out[d]),
                           cat("k = ", dilation[d] == 1 ? "kernel_size" : "dilation_rate·(kernel_size − 1) + 1", " = ",
                               span, ", s = strides = ", stride[d], " (Keras's padding=\"valid\")"),
                           out.explain);
            continue;
        }
        const int64_t pad = padding.mode == Padding::Mode::valid ? 0 : padding.amounts[d];
        const int64_t size = checked_add(
            checked_add(checked_mul(in[d] - 1, stride[d]) - 2 * pad, checked_mul(dilation[d], kernel[d] - 1)),
            output_padding[d] + 1);
        if (size < 1)
            throw LayerError("padding", cat("padding=", pad, " leaves nothing of ", spatial_label(rank, d), ": (",
                                            in[d], " − 1)·", stride[d], " − 2·", pad, " + ", dilation[d], "·(",
                                            kernel[d], "−1) + ", output_padding[d], " + 1 = ", size));
        spatial_out[d] = size;
        out.explain.push_back(cat(spatial_label(rank, d), "_out = (", in[d], " − 1)·", stride[d], " − 2·", pad, " + ",
                                  dilation[d], "·(", kernel[d], "−1) + ", output_padding[d], " + 1 = ", size));
    }
    out.shape = context.with_channels(out_channels, spatial_out);

    const int64_t out_per_group = out_channels / groups;
    if (context.channels_last()) {
        Shape weight = kernel;
        weight.push_back(out_per_group);
        weight.push_back(in_channels);
        out.add_weight("kernel", weight);
    } else {
        Shape weight{in_channels, out_per_group};
        weight.insert(weight.end(), kernel.begin(), kernel.end());
        out.add_weight("weight", weight);
    }
    const bool bias = fields.boolean("bias");
    if (bias) out.add_weight("bias", {out_channels});
    // A transposed convolution's weight runs from each input channel to C_out/groups outputs.
    std::vector<std::string> kernel_symbols;
    for (size_t i = 0; i < rank; ++i)
        kernel_symbols.push_back(rank == 1 ? std::string("k") : cat("k_", lowercase(spatial_label(rank, i))));
    out.explain_params(cat("C_in·", groups != 1 ? "C_out/g" : "C_out", "·", join(kernel_symbols, "·"), bias ? " + 1 bias per output channel" : ""),
                       cat(in_channels, "·", out_per_group, "·", join_product(kernel), bias ? cat(" + ", out_channels) : ""),
                       cat("C_in = ", in_channels, in_channels == 1 ? " input channel (" : " input channels (",
                           context.input_source(), "), C_out = ", context.field_word("out_channels"), " = ", out_channels,
                           groups != 1 ? cat(", g = groups = ", groups) : ""));

    Shape products = in;
    products.push_back(in_channels);
    products.push_back(out_per_group);
    products.insert(products.end(), kernel.begin(), kernel.end());
    out.set_macs(element_count(products),
                 cat(join_product(in), "·", in_channels, "·", out_per_group, "·", join_product(kernel)));
    return out;
}

LayerKind transposed_convolution(size_t spatial_rank) {
    static constexpr std::string_view kTypes[] = {"conv_transpose1d", "conv_transpose2d", "conv_transpose3d"};
    static constexpr std::string_view kPytorch[] = {"ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"};
    static constexpr std::string_view kKeras[] = {"Conv1DTranspose", "Conv2DTranspose", "Conv3DTranspose"};
    const size_t i = spatial_rank - 1;
    std::vector<FieldSpec> fields = convolution_fields({{.name = "output_padding",
                                                         .type = FieldType::sizes,
                                                         .doc = "extra size added to one side of the output",
                                                         .default_value = int64_t{0},
                                                         .minimum = 0}});
    return LayerKind{
        .type = kTypes[i],
        .pytorch_class = kPytorch[i],
        .keras_class = kKeras[i],
        .category = "Convolution",
        .doc = "Transposed (fractionally strided) convolution: enlarges the spatial dimensions.",
        .spatial_rank = spatial_rank,
        .fields = std::move(fields),
        .rule = transposed_convolution_rule,
    };
}

} // namespace netshape::layers
