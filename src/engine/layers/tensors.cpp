// Tensors that are not a layer's output, and the small operations models apply to tensors
// outside layers: parameter (a learnable tensor), scale (x·factor + offset), select (x[:, i]),
// chunk (one piece of torch.chunk) and channel_shuffle. None but parameter has parameters.
#include "families.h"

#include "../checked.h"
#include "../limits.h"
#include "../text.h"

#include <limits>

namespace netshape::layers {

constexpr int64_t kAnyInteger = std::numeric_limits<int64_t>::min();

// --------------------------------------------------------------------------------------------
// [SECTION] parameter
// A learnable tensor held by a model rather than computed from its input: PyTorch's
// nn.Parameter (ViT's class_token [1, 1, 768] and pos_embedding [1, 197, 768], ConvNeXt's layer
// scale γ [C, 1, 1]); Keras's self.add_weight(shape=…) in a custom layer. It reads no input;
// other layers take it as one (concat, add, multiply). Its shape is written as a sample's,
// without the batch: the leading 1 of torch's [1, 197, 768] is the batch axis it broadcasts
// over, so pos_embedding is parameter(197x768).
//   params = the product of its sizes
// --------------------------------------------------------------------------------------------

static LayerOutput parameter_rule(const LayerContext& context) {
    const Shape shape = context.fields.list("shape");
    for (int64_t size : shape)
        if (size > kMaxDimension)
            throw LayerError("shape", cat("shape=", format_shape(shape), " has a size over the limit for one "
                                          "dimension, 2^40 = ", with_thousands(kMaxDimension)));
    LayerOutput out;
    out.shape = shape;
    out.add_weight("tensor", shape);
    out.explain.push_back(cat("a learnable tensor of shape ", format_shape(shape),
                              ", read by other layers as an input; it reads none"));
    out.explain_params("the product of its sizes", join_product(shape), "");
    out.no_macs("a stored tensor computes nothing");
    return out;
}

LayerKind parameter() {
    return LayerKind{
        .type = "parameter",
        .pytorch_class = "nn.Parameter",
        .keras_class = "add_weight",
        .category = "Core",
        .doc = "A learnable tensor that is not a layer (a class token, a position embedding, a layer scale); "
               "other layers read it as an input.",
        .min_inputs = 0,
        .max_inputs = 0,
        .fields = {{.name = "shape",
                    .type = FieldType::sizes,
                    .doc = "the tensor's shape, without the batch axis",
                    .required = true}},
        .rule = parameter_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] scale
// Multiplying by a constant: PyTorch writes x * factor (+ offset) in forward (ViT's q·d^(−½),
// a residual branch's 0.2); Keras's Rescaling(scale, offset) computes x·scale + offset.
// Shape unchanged, no parameters; element-wise work is not counted as MACs.
// --------------------------------------------------------------------------------------------

static LayerOutput scale_rule(const LayerContext& context) {
    const double factor = context.fields.number("factor");
    const double offset = context.fields.number("offset");
    LayerOutput out;
    out.shape = context.input;
    out.explain.push_back(offset == 0.0 ? cat("every value times ", factor, "; shape unchanged")
                                        : cat("every value times ", factor, " plus ", offset, "; shape unchanged"));
    out.explain.push_back("params = 0 (the factor is a constant, not learnt)");
    out.no_macs("element-wise work is not counted");
    return out;
}

LayerKind scale() {
    constexpr double kLargest = 1e300; // any finite factor; the limit only keeps NaN and ∞ out
    return LayerKind{
        .type = "scale",
        .pytorch_class = "x * factor",
        .keras_class = "Rescaling",
        .category = "Core",
        .doc = "Multiplies every value by a constant (and adds an offset).",
        .fields =
            {
                {.name = "factor",
                 .type = FieldType::number,
                 .doc = "the constant to multiply by",
                 .required = true,
                 .number_min = -kLargest,
                 .number_max = kLargest,
                 .keras_name = "scale"},
                {.name = "offset",
                 .type = FieldType::number,
                 .doc = "a constant added after",
                 .default_value = 0.0,
                 .number_min = -kLargest,
                 .number_max = kLargest},
            },
        .rule = scale_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] select
// torch.select(x, dim, index), x[:, index] on a batch: the axis is removed and one slice along
// it kept (ViT's class token x[:, 0] of [197, 768] is [768]). axis counts the sample's
// dimensions (no batch), as concat's does; index may be negative, from the end, as in Python
// (−size ≤ index < size). Keras writes it as a slice, x[:, index]. No parameters.
// --------------------------------------------------------------------------------------------

static LayerOutput select_rule(const LayerContext& context) {
    if (context.input.size() < 2)
        throw LayerError("inputs", cat("select needs a sample of rank 2 or more; selecting from ",
                                       format_shape(context.input), " would leave a single number per sample"));
    const size_t axis = context.sample_axis("axis", context.fields.integer("axis"));
    const int64_t size = context.input[axis];
    const int64_t written = context.fields.integer("index");
    const int64_t index = written < 0 ? written + size : written;
    if (index < 0 || index >= size)
        throw LayerError("index", cat("index=", written, " is out of range for axis ", axis, " of size ", size,
                                      " (", -size, " ≤ index < ", size, "); received ", format_shape(context.input)));
    LayerOutput out;
    out.shape = context.input;
    out.shape.erase(out.shape.begin() + static_cast<std::ptrdiff_t>(axis));
    out.explain.push_back(cat("keeps position ", index, " of axis ", axis, " (size ", size, ") and drops the axis: ",
                              format_shape(context.input), " → ", format_shape(out.shape)));
    out.explain.push_back("params = 0");
    out.no_macs("selecting computes nothing");
    return out;
}

LayerKind select() {
    return LayerKind{
        .type = "select",
        .pytorch_class = "torch.select",
        .keras_class = "x[:, index]",
        .category = "Reshaping",
        .doc = "Keeps one position along an axis and drops the axis (a class token: x[:, 0]).",
        .fields =
            {
                {.name = "axis",
                 .type = FieldType::integer,
                 .doc = "sample axis to select along (−1: the last)",
                 .required = true,
                 .minimum = kAnyInteger},
                {.name = "index",
                 .type = FieldType::integer,
                 .doc = "the position kept (negative: from the end)",
                 .required = true,
                 .minimum = kAnyInteger},
            },
        .rule = select_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] chunk
// torch.chunk(x, chunks, dim) splits an axis of size n into pieces of ⌈n/chunks⌉, the last one
// smaller: ⌈n/⌈n/chunks⌉⌉ pieces, which may be fewer than chunks (n = 5, chunks = 4: 2, 2, 1).
// tf.split(x, num) needs num to divide n. A layer here has one output, so a chunk layer is one
// piece, `index`, of the split — ShuffleNetV2's x1, x2 = x.chunk(2, dim=1) is two layers,
// chunk(2,0) and chunk(2,1), reading the same input. axis defaults to the channel axis.
// --------------------------------------------------------------------------------------------

static LayerOutput chunk_rule(const LayerContext& context) {
    const Fields& fields = context.fields;
    const size_t axis = fields.given("axis") ? context.sample_axis("axis", fields.integer("axis"))
                                             : context.channel_axis();
    const int64_t n = context.input[axis];
    const int64_t chunks = fields.integer("chunks");
    const int64_t index = fields.integer("index");
    if (context.channels_last() && n % chunks != 0)
        throw LayerError("chunks", cat("tf.split needs chunks to divide the axis; received chunks=", chunks,
                                       " for axis ", axis, " of size ", n));
    const int64_t piece = n / chunks + (n % chunks != 0); // ⌈n/chunks⌉
    const int64_t pieces = n / piece + (n % piece != 0);  // ⌈n/piece⌉
    if (index >= pieces)
        throw LayerError("index", cat("index=", index, " is past the last piece: axis ", axis, " of size ", n,
                                      " splits into ", pieces, " piece", pieces == 1 ? "" : "s", " of ", piece,
                                      pieces < chunks ? cat(" (fewer than chunks=", chunks, ", as torch.chunk gives)")
                                                      : std::string(),
                                      "; index counts from 0"));
    const int64_t size = std::min(piece, n - index * piece);
    LayerOutput out;
    out.shape = context.input;
    out.shape[axis] = size;
    // Splitting the channels leaves every position where it was (the receptive field goes on).
    out.per_position = context.input.size() >= 2 && axis == context.channel_axis();
    out.explain.push_back(cat("axis ", axis, " of size ", n, " in pieces of ⌈", n, "/", chunks, "⌉ = ", piece,
                              "; piece ", index, " holds ", index * piece, "…", index * piece + size - 1, ": ", size));
    out.explain.push_back("params = 0");
    out.no_macs("splitting computes nothing");
    return out;
}

LayerKind chunk() {
    return LayerKind{
        .type = "chunk",
        .pytorch_class = "torch.chunk",
        .keras_class = "tf.split",
        .category = "Reshaping",
        .doc = "One piece of an axis split into equal chunks (the last may be smaller); one layer per piece.",
        .fields =
            {
                {.name = "chunks", .type = FieldType::integer, .doc = "how many pieces", .required = true},
                {.name = "index",
                 .type = FieldType::integer,
                 .doc = "which piece this layer is, from 0",
                 .required = true,
                 .minimum = 0},
                {.name = "axis",
                 .type = FieldType::integer,
                 .doc = "sample axis to split (−1: the last)",
                 .default_text = "the channel axis",
                 .minimum = kAnyInteger},
            },
        .rule = chunk_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] channel_shuffle
// PyTorch ChannelShuffle(groups) (ShuffleNet): the C channels viewed as [groups, C/groups],
// transposed and flattened again; groups must divide C. Keras has no layer: a Reshape, a
// Permute and a Reshape. Shape unchanged, no parameters.
// --------------------------------------------------------------------------------------------

static LayerOutput channel_shuffle_rule(const LayerContext& context) {
    if (context.input.size() < 2)
        throw LayerError("inputs", cat("channel_shuffle needs channels and at least one more dimension; received ",
                                       format_shape(context.input)));
    const int64_t channels = context.input[context.channel_axis()];
    const int64_t groups = context.fields.integer("groups");
    if (channels % groups != 0)
        throw LayerError("groups", cat("groups must divide the channels; received groups=", groups, " with ", channels,
                                       " channels"));
    LayerOutput out;
    out.shape = context.input;
    out.explain.push_back(cat(channels, " channels as ", groups, " groups of ", channels / groups,
                              ", interleaved; shape unchanged"));
    out.explain.push_back("params = 0");
    out.no_macs("a permutation computes nothing");
    out.per_position = true; // positions stay; only the channels move
    return out;
}

LayerKind channel_shuffle() {
    return LayerKind{
        .type = "channel_shuffle",
        .pytorch_class = "ChannelShuffle",
        .keras_class = "Reshape, Permute, Reshape",
        .category = "Reshaping",
        .doc = "Interleaves the channels of groups (ShuffleNet).",
        .fields = {{.name = "groups", .type = FieldType::integer, .doc = "groups to interleave", .required = true}},
        .rule = channel_shuffle_rule,
    };
}

} // namespace netshape::layers
