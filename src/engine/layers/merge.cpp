// Merges: add, subtract, multiply, maximum, average (element-wise, with broadcasting), concat and
// matmul (the matrix product of two activations).
#include "families.h"

#include "../checked.h"
#include "../text.h"

#include <limits>

namespace netshape::layers {

// --------------------------------------------------------------------------------------------
// [SECTION] element-wise merges
// PyTorch's torch.add & co. broadcast like NumPy: shapes are aligned on the right, and each pair
// of sizes must be equal or one of them 1. Keras's merge layers (Add, Subtract, …) follow the
// same rule. No parameters; element-wise work is not counted as MACs.
// --------------------------------------------------------------------------------------------

static Shape broadcast(const std::vector<Shape>& shapes, std::string_view type) {
    size_t rank = 0;
    for (const Shape& shape : shapes)
        rank = std::max(rank, shape.size());
    Shape out(rank, 1);
    for (size_t k = 0; k < shapes.size(); ++k) {
        const Shape& shape = shapes[k];
        const size_t offset = rank - shape.size();
        for (size_t d = 0; d < shape.size(); ++d) {
            int64_t& size = out[offset + d];
            if (shape[d] == size || shape[d] == 1) continue;
            if (size != 1) {
                std::vector<std::string> listed;
                for (const Shape& each : shapes)
                    listed.push_back(format_shape(each));
                throw LayerError("inputs", cat(type,
                                               " needs shapes that agree (or broadcast: equal sizes or 1, "
                                               "aligned on the right); received ",
                                               join(listed, " and ")));
            }
            size = shape[d];
        }
    }
    return out;
}

static LayerOutput elementwise_merge_rule(const LayerContext& context) {
    LayerOutput out;
    out.shape = broadcast(context.inputs, context.kind.type);
    bool all_equal = true;
    for (const Shape& shape : context.inputs)
        all_equal = all_equal && shape == out.shape;
    out.explain.push_back(all_equal ? cat(context.inputs.size(), " inputs of shape ", format_shape(out.shape),
                                          ", combined element by element")
                                    : cat("inputs broadcast to ", format_shape(out.shape)));
    out.explain.push_back("params = 0");
    out.no_macs("element-wise work is not counted");
    return out;
}

static LayerKind elementwise_merge(std::string_view type, std::string_view pytorch_class, std::string_view keras_class,
                                   std::string_view doc, size_t max_inputs) {
    return LayerKind{
        .type = type,
        .pytorch_class = pytorch_class,
        .keras_class = keras_class,
        .category = "Merge",
        .doc = doc,
        .min_inputs = 2,
        .max_inputs = max_inputs,
        .fields = {},
        .rule = elementwise_merge_rule,
    };
}

constexpr size_t kAnyNumber = std::numeric_limits<size_t>::max();

LayerKind add() {
    return elementwise_merge("add", "torch.add", "Add", "Sum of the inputs (residual connections).", kAnyNumber);
}
LayerKind subtract() {
    return elementwise_merge("subtract", "torch.sub", "Subtract", "First input minus the second.", 2);
}
LayerKind multiply() {
    return elementwise_merge("multiply", "torch.mul", "Multiply", "Product of the inputs, element by element.",
                             kAnyNumber);
}
LayerKind maximum() {
    return elementwise_merge("maximum", "torch.maximum", "Maximum", "Largest of the inputs, element by element.",
                             kAnyNumber);
}
LayerKind average() {
    return elementwise_merge("average", "mean", "Average", "Mean of the inputs, element by element.", kAnyNumber);
}

// --------------------------------------------------------------------------------------------
// [SECTION] concat
// torch.cat / Keras Concatenate: sizes add up along `axis`, every other dimension must agree.
// axis counts the sample's dimensions (no batch); the default is the convention's channel axis
// (0 under pytorch, −1 under keras).
// --------------------------------------------------------------------------------------------

static LayerOutput concat_rule(const LayerContext& context) {
    // torch.cat of a one-tensor list is a copy (DenseNet's torchvision code does it); Keras's
    // Concatenate refuses it.
    if (context.inputs.size() == 1 && context.channels_last())
        throw LayerError("inputs", "Keras's Concatenate needs a list of at least 2 inputs; received 1");
    const Shape& first = context.inputs[0];
    for (const Shape& shape : context.inputs)
        if (shape.size() != first.size())
            throw LayerError("inputs", cat("concat needs inputs of the same rank; received ", format_shape(first),
                                           " and ", format_shape(shape)));
    const size_t a = context.sample_axis(
        "axis", context.fields.given("axis") ? context.fields.integer("axis") : (context.channels_last() ? -1 : 0));
    LayerOutput out;
    out.shape = first;
    out.shape[a] = 0;
    std::vector<int64_t> sizes;
    for (const Shape& shape : context.inputs) {
        for (size_t d = 0; d < shape.size(); ++d)
            if (d != a && shape[d] != first[d])
                throw LayerError("inputs", cat("concat along axis ", a,
                                               " needs the other dimensions to agree; "
                                               "received ",
                                               format_shape(first), " and ", format_shape(shape)));
        sizes.push_back(shape[a]);
        out.shape[a] = checked_add(out.shape[a], shape[a]);
    }
    std::vector<std::string> terms;
    for (int64_t size : sizes)
        terms.push_back(std::to_string(size));
    out.explain.push_back(cat("axis ", a, ": ", join(terms, " + "), " = ", out.shape[a]));
    if (context.inputs.size() == 1)
        out.warnings.push_back("concat of a single input copies it, as torch.cat([x]) does; to join tensors, give "
                               "it two or more inputs (concat(@a,@b))");
    out.explain.push_back("params = 0");
    out.no_macs("copying is not counted");
    return out;
}

LayerKind concat() {
    return LayerKind{
        .type = "concat",
        .pytorch_class = "torch.cat",
        .keras_class = "Concatenate",
        .category = "Merge",
        .doc = "Joins the inputs along one axis (under PyTorch a single input is copied, as torch.cat([x]) does).",
        .min_inputs = 1,
        .max_inputs = kAnyNumber,
        .fields = {{.name = "axis",
                    .type = FieldType::integer,
                    .doc = "sample axis to join along (−1: the last)",
                    .default_text = "the channel axis",
                    .positional = true,
                    .minimum = std::numeric_limits<int64_t>::min()}},
        .rule = concat_rule,
    };
}

// --------------------------------------------------------------------------------------------
// [SECTION] matmul
// The matrix product of two activations (attention written out: Q·Kᵀ, then A·V), as PyTorch's
// torch.matmul and TensorFlow's tf.matmul compute it on batches: the last two axes of each input
// are matrices, [… , n, k]·[…, k, m] = [… , n, m], and the axes before them are batch axes that
// broadcast like NumPy's (equal sizes or 1). transpose_a / transpose_b swap an input's last two
// axes first (tf.matmul's arguments; PyTorch writes k.transpose(-2, -1)).
// Both inputs carry the batch axis in front, so each sample must be a matrix or a stack of
// them (rank ≥ 2), and both samples the same rank: otherwise torch.matmul would align the batch
// axis of one with a sample axis of the other.
//   MACs = (product of the broadcast batch axes)·n·k·m, as fvcore counts matmul
// --------------------------------------------------------------------------------------------

static LayerOutput matmul_rule(const LayerContext& context) {
    const bool transpose_a = context.fields.boolean("transpose_a");
    const bool transpose_b = context.fields.boolean("transpose_b");
    Shape a = context.inputs[0], b = context.inputs[1];
    for (const Shape* shape : {&a, &b})
        if (shape->size() < 2)
            throw LayerError("inputs",
                             cat("matmul needs a matrix per sample (rank 2 or more); received ", format_shape(*shape),
                                 ", which with the batch in front is one matrix "
                                 "for the whole batch"));
    if (a.size() != b.size())
        throw LayerError("inputs", cat("matmul needs inputs of the same rank (with the batch in front, the batch "
                                       "axis of one would meet a sample axis of the other); received ",
                                       format_shape(a), " and ", format_shape(b)));
    const size_t rank = a.size();
    if (transpose_a) std::swap(a[rank - 2], a[rank - 1]);
    if (transpose_b) std::swap(b[rank - 2], b[rank - 1]);
    const int64_t n = a[rank - 2], k = a[rank - 1], k_b = b[rank - 2], m = b[rank - 1];
    if (k != k_b)
        throw LayerError("inputs",
                         cat("matmul multiplies […, n, k] by […, k, m]: the first input's last axis",
                             transpose_a ? " (after transpose_a)" : "", " has k = ", k, " but the second's axis ",
                             rank - 2, transpose_b ? " (after transpose_b)" : "", " has ", k_b, "; received ",
                             format_shape(context.inputs[0]), " and ", format_shape(context.inputs[1])));
    LayerOutput out;
    const Shape batch_a(a.begin(), a.end() - 2), batch_b(b.begin(), b.end() - 2);
    for (size_t d = 0; d < batch_a.size(); ++d) {
        if (batch_a[d] != batch_b[d] && batch_a[d] != 1 && batch_b[d] != 1)
            throw LayerError("inputs",
                             cat("matmul's batch axes broadcast (equal sizes or 1): axis ", d, " is ", batch_a[d],
                                 " in the first input and ", batch_b[d], " in the second; received ",
                                 format_shape(context.inputs[0]), " and ", format_shape(context.inputs[1])));
        out.shape.push_back(batch_a[d] == 1 ? batch_b[d] : batch_a[d]);
    }
    out.shape.push_back(n);
    out.shape.push_back(m);
    int64_t matrices = 1;
    for (int64_t size : Shape(out.shape.begin(), out.shape.end() - 2))
        matrices = checked_mul(matrices, size);
    const std::string stack = out.shape.size() > 2 ? cat(matrices, " products of ") : std::string("a product of ");
    out.explain.push_back(cat(stack, "[", n, ", ", k, "]·[", k, ", ", m, "] = [", n, ", ", m, "]",
                              transpose_a && transpose_b ? " (after both transposes)"
                              : transpose_a              ? " (after transpose_a)"
                              : transpose_b              ? " (after transpose_b)"
                                                         : "",
                              ": ", format_shape(out.shape)));
    out.explain.push_back("params = 0 (both factors are activations)");
    out.set_macs(checked_mul(checked_mul(checked_mul(matrices, n), k), m),
                 matrices > 1 ? cat(matrices, "·", n, "·", k, "·", m) : cat(n, "·", k, "·", m));
    // Every output row reads a whole row of the first input and all of the second.
    out.mixes_all_positions = true;
    return out;
}

LayerKind matmul() {
    return LayerKind{
        .type = "matmul",
        .pytorch_class = "torch.matmul",
        .keras_class = "tf.matmul",
        .category = "Merge",
        .doc = "The matrix product of two activations over their last two axes, the axes before them broadcast "
               "(attention written out: Q·Kᵀ, A·V).",
        .min_inputs = 2,
        .max_inputs = 2,
        .fields =
            {
                {.name = "transpose_a",
                 .type = FieldType::boolean,
                 .doc = "swap the first input's last two axes first",
                 .default_value = false},
                {.name = "transpose_b",
                 .type = FieldType::boolean,
                 .doc = "swap the second input's last two axes first (Q·Kᵀ)",
                 .default_value = false},
            },
        .rule = matmul_rule,
    };
}

} // namespace netshape::layers
