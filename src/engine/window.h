// Sliding-window arithmetic shared by convolution and pooling: output sizes per spatial
// dimension, padding modes in each convention, and the explanation line for each dimension.
#pragma once

#include "layer_kind.h"

#include <string_view>
#include <vector>

namespace netshape {

enum class WindowKind { convolution, max_pooling, average_pooling };

struct Window {
    WindowKind kind = WindowKind::convolution;
    std::vector<int64_t> kernel;   // per spatial dimension
    std::vector<int64_t> stride;   // per spatial dimension
    std::vector<int64_t> dilation; // per spatial dimension (all 1 where the kind has none)
    Padding padding;
    bool ceil_mode = false; // PyTorch pooling only
};

// "L" for one spatial dimension; "H", "W" for two; "D", "H", "W" for three; S1, S2, … beyond.
std::string spatial_label(size_t spatial_rank, size_t dimension);

// The output size of every spatial dimension, appending one explanation line per dimension to
// `out`. Throws LayerError when the window does not fit, or the padding is one the convention's
// framework refuses (with the numeric padding to use instead).
Shape slide_window(const LayerContext& context, const Shape& input_sizes, const Window& window, LayerOutput& out);

} // namespace netshape
