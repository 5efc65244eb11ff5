// Merges: add, subtract, multiply, maximum, average (element-wise, with broadcasting) and concat.
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

} // namespace netshape::layers
