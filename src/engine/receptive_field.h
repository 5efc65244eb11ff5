// Receptive fields: what one output position sees of a model input, per spatial dimension of
// that input (Araujo et al., "Computing receptive fields of convolutional neural networks",
// Distill 2019), following each dimension to the tensor axis it is on as permutes move it.
#pragma once

#include "architecture.h"
#include "layer_kind.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace netshape {

struct ReceptiveField {
    bool whole_input = false; // every output value depends on the whole input (after flatten, …)
    // One entry per spatial dimension of the model input (its axes but the convention's channel
    // axis), in the input's order: H then W for an image under either convention.
    std::vector<int64_t> size;   // input positions one output position sees
    std::vector<int64_t> jump;   // input positions between neighbouring output positions; 0 when
                                 // every value sees the whole dimension (size is then its length)
    std::vector<double> start;   // centre of the first output position's field, in input positions
    std::vector<size_t> axis;    // the sample axis of this layer's output the dimension is on now
    std::vector<int64_t> extent; // the model input's length along the dimension
    // It depends on no input position at all: a learnable tensor (parameter) and what is computed
    // from such tensors alone. Merges leave constant inputs out of the largest field.
    bool constant = false;

    // Every value depends on every position along dimension d (a linear layer or a normalisation
    // over its axis, the mean of instance norm): later windows cannot widen it.
    bool whole_along(size_t d) const { return jump[d] == 0; }
    bool operator==(const ReceptiveField&) const = default;
};

// At a model input each position sees itself. Tracked for samples with spatial dimensions
// (rank 2 or more: all but the convention's channel axis); null otherwise.
std::shared_ptr<const ReceptiveField> input_receptive_field(const Shape& shape, Convention convention);

// The field after a layer, from its inputs' fields (null: not tracked), the first input's shape
// and how the layer's kind relates output positions to input positions (LayerOutput's window,
// permutation, mixed_axes, …). Adds a line of working to `explain` where the field grows.
std::shared_ptr<const ReceptiveField> propagate_receptive_field(
    const std::vector<std::shared_ptr<const ReceptiveField>>& inputs, const Shape& input_shape,
    const LayerOutput& out, Convention convention, std::vector<std::string>& explain);

// The name of dimension d of a field ("H", "W"; "L" for one dimension).
std::string receptive_dimension_name(const ReceptiveField& field, size_t d);

} // namespace netshape
