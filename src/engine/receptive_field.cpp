#include "receptive_field.h"

#include "checked.h"
#include "text.h"
#include "window.h"

#include <algorithm>
#include <optional>

namespace netshape {

namespace {

std::shared_ptr<const ReceptiveField> make_field(ReceptiveField field) {
    return std::make_shared<const ReceptiveField>(std::move(field));
}

// The channel axis of a sample of `rank` under the convention (as LayerContext::channel_axis).
size_t channel_axis(size_t rank, Convention convention) { return convention == Convention::keras ? rank - 1 : 0; }

// Every value sees all of dimension d: its whole length, centred on the middle, the same for
// every output position (jump 0).
void make_whole(ReceptiveField& field, size_t d) {
    field.size[d] = field.extent[d];
    field.jump[d] = 0;
    field.start[d] = static_cast<double>(field.extent[d] - 1) / 2.0;
}

// Merges take the largest field over their inputs (the maximum over paths), dimension by
// dimension, when the dimensions are on the same axes and the jumps agree; a dimension seen
// whole on one path is seen whole (of the longest model input, when two inputs differ).
std::optional<ReceptiveField> merge_fields(const std::vector<const ReceptiveField*>& varying) {
    ReceptiveField merged = *varying.front();
    for (const ReceptiveField* field : varying) {
        if (field->axis != merged.axis) return std::nullopt;
        for (size_t d = 0; d < merged.size.size(); ++d) {
            merged.extent[d] = std::max(merged.extent[d], field->extent[d]);
            if (merged.whole_along(d) || field->whole_along(d)) {
                make_whole(merged, d);
                continue;
            }
            if (field->jump[d] != merged.jump[d]) return std::nullopt;
            merged.size[d] = std::max(merged.size[d], field->size[d]);
            merged.start[d] = std::min(merged.start[d], field->start[d]);
        }
    }
    return merged;
}

// A sliding window over the input's spatial axes (or, on a sample without a channel axis, over
// all of them): r = r_in + (k − 1)·d·j_in,  j = j_in·s,  start = start_in + ((k − 1)·d/2 − p_before)·j_in.
// A dimension that a permute put on the channel axis is mixed by a convolution but not by
// pooling, which the window does not say: the tracking ends there.
std::optional<ReceptiveField> slide(const ReceptiveField& in, const Shape& input_shape,
                                    const LayerOutput::WindowStep& step, Convention convention,
                                    std::vector<std::string>& explain) {
    const size_t rank = input_shape.size();
    std::vector<size_t> window_axes;
    for (size_t axis = 0; axis < rank; ++axis)
        if (step.kernel.size() == rank || axis != channel_axis(rank, convention)) window_axes.push_back(axis);
    if (window_axes.size() != step.kernel.size()) return std::nullopt;
    ReceptiveField field = in;
    std::string line = "receptive field: r = r_in + (k−1)·d·j_in:";
    bool first = true;
    for (size_t d = 0; d < in.size.size(); ++d)
        if (!in.whole_along(d) && std::find(window_axes.begin(), window_axes.end(), in.axis[d]) == window_axes.end())
            return std::nullopt;
    for (size_t i = 0; i < window_axes.size(); ++i) {
        const auto on_axis = std::find(in.axis.begin(), in.axis.end(), window_axes[i]);
        if (on_axis == in.axis.end()) continue; // the window slides along an axis that holds no input dimension
        const size_t d = static_cast<size_t>(on_axis - in.axis.begin());
        line += first ? " " : "; ";
        first = false;
        if (in.whole_along(d)) {
            line += cat(receptive_dimension_name(in, d), " whole already");
            continue;
        }
        const int64_t span = checked_mul(checked_mul(step.kernel[i] - 1, step.dilation[i]), in.jump[d]);
        field.size[d] = checked_add(in.size[d], span);
        field.jump[d] = checked_mul(in.jump[d], step.stride[i]);
        field.start[d] = in.start[d] + (static_cast<double>((step.kernel[i] - 1) * step.dilation[i]) / 2.0 -
                                        static_cast<double>(step.pad_before[i])) *
                                           static_cast<double>(in.jump[d]);
        line += cat(in.size[d], " + (", step.kernel[i], "−1)·", step.dilation[i], "·", in.jump[d], " = ", field.size[d]);
    }
    line += cat("; jump ", format_shape(field.jump));
    explain.push_back(std::move(line));
    return field;
}

// Output axis i is input axis permutation[i]: each dimension goes where its axis went.
std::optional<ReceptiveField> permute(const ReceptiveField& in, const std::vector<size_t>& permutation,
                                      std::vector<std::string>& explain) {
    ReceptiveField field = in;
    std::vector<std::string> moved;
    for (size_t d = 0; d < in.axis.size(); ++d) {
        const auto to = std::find(permutation.begin(), permutation.end(), in.axis[d]);
        if (to == permutation.end()) return std::nullopt;
        field.axis[d] = static_cast<size_t>(to - permutation.begin());
        moved.push_back(cat(receptive_dimension_name(in, d), " on axis ", field.axis[d]));
    }
    explain.push_back(cat("receptive field: unchanged, following the axes: ", join(moved, ", ")));
    return field;
}

// The dimensions on the layer's mixed axes become whole; the others keep their field.
void mix_axes(ReceptiveField& field, const std::vector<size_t>& mixed_axes, std::vector<std::string>& explain) {
    std::vector<std::string> widened;
    for (size_t d = 0; d < field.axis.size(); ++d) {
        if (field.whole_along(d) ||
            std::find(mixed_axes.begin(), mixed_axes.end(), field.axis[d]) == mixed_axes.end())
            continue;
        make_whole(field, d);
        widened.push_back(cat(receptive_dimension_name(field, d), " (axis ", field.axis[d], "): all ", field.extent[d]));
    }
    if (!widened.empty())
        explain.push_back(cat("receptive field: every value reads the whole axis, so it sees the whole input along ",
                              join(widened, ", ")));
}

} // namespace

std::string receptive_dimension_name(const ReceptiveField& field, size_t d) { return spatial_label(field.size.size(), d); }

std::shared_ptr<const ReceptiveField> input_receptive_field(const Shape& shape, Convention convention) {
    if (shape.size() < 2) return nullptr;
    ReceptiveField field;
    for (size_t axis = 0; axis < shape.size(); ++axis) {
        if (axis == channel_axis(shape.size(), convention)) continue;
        field.size.push_back(1);
        field.jump.push_back(1);
        field.start.push_back(0.0);
        field.axis.push_back(axis);
        field.extent.push_back(shape[axis]);
    }
    return make_field(std::move(field));
}

std::shared_ptr<const ReceptiveField> propagate_receptive_field(
    const std::vector<std::shared_ptr<const ReceptiveField>>& inputs, const Shape& input_shape,
    const LayerOutput& out, Convention convention, std::vector<std::string>& explain) {
    // Element-wise (most layers): each position sees what its input saw, the field shared, not copied.
    if (inputs.size() == 1 && !out.window && !out.mixes_all_positions && out.permutation.empty() &&
        out.mixed_axes.empty() && !out.per_position && out.shape == input_shape)
        return inputs[0];
    std::vector<const ReceptiveField*> varying; // the inputs that depend on input positions
    for (const auto& field : inputs) {
        if (!field) return nullptr;
        if (!field->constant) varying.push_back(field.get());
    }
    if (varying.empty()) return make_field(ReceptiveField{.constant = true});
    if (out.mixes_all_positions ||
        std::any_of(varying.begin(), varying.end(), [](const ReceptiveField* field) { return field->whole_input; }))
        return make_field(ReceptiveField{.whole_input = true});

    std::optional<ReceptiveField> field;
    if (varying.size() > 1) {
        field = merge_fields(varying);
        if (!field) return nullptr;
        explain.push_back(cat("receptive field: the largest over the inputs, ", format_shape(field->size)));
    } else if (inputs.size() > 1 && !out.window) {
        field = *varying[0]; // x·γ, x + position embedding: what x sees
    } else if (out.window) {
        field = slide(*varying[0], input_shape, *out.window, convention, explain);
    } else if (!out.permutation.empty()) {
        field = permute(*varying[0], out.permutation, explain);
    } else if (out.per_position) {
        // The channel axis changes; a dimension a permute put there would change with it.
        const size_t channels = channel_axis(input_shape.size(), convention);
        field = *varying[0];
        for (size_t d = 0; d < field->axis.size(); ++d)
            if (!field->whole_along(d) && field->axis[d] == channels) return nullptr;
    } else if (out.shape.size() == input_shape.size()) {
        // Each position maps to itself, unless the size changed along an axis the layer does
        // not mix (a reshape keeping the rank, an upsampling, …): not tracked further.
        for (size_t axis = 0; axis < input_shape.size(); ++axis)
            if (out.shape[axis] != input_shape[axis] &&
                std::find(out.mixed_axes.begin(), out.mixed_axes.end(), axis) == out.mixed_axes.end())
                return nullptr;
        field = *varying[0];
    }
    if (!field) return nullptr; // a reshape, an upsampling, …: not tracked further
    mix_axes(*field, out.mixed_axes, explain);
    if (!field->size.empty() &&
        std::all_of(field->jump.begin(), field->jump.end(), [](int64_t jump) { return jump == 0; }))
        return make_field(ReceptiveField{.whole_input = true});
    if (inputs.size() == 1 && *field == *inputs[0]) return inputs[0]; // element-wise: shared, not copied
    return make_field(std::move(*field));
}

} // namespace netshape
