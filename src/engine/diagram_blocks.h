// The diagram's second style, for small convolutional networks: the feature maps along the main
// path as blocks, as the classic LeNet and AlexNet figures draw them. A block's height follows H,
// its thickness C and its receding depth W, each on a log scale (log2(1 + n)), so that a
// [3, 224, 224] image and a [512, 7, 7] map both read; a vector ([4096]) is a thin bar as tall as
// its length's log. Between two blocks, a layer with a sliding window draws its kernel on the
// block it reads, with lines to the block it makes. Only the layers that change the shape get a
// block (a ReLU or a batch norm keeps the block before it); branches off the main path are left
// out, which the picture says under its last block.
#pragma once

#include "diagram_layout.h"

#include <string>
#include <vector>

namespace netshape {

struct FeatureBlock {
    bool model_input = false;
    size_t index = 0; // into Analysis::layers, or Analysis::inputs for the model input
    std::string title; // "Conv2d conv2d_1", "Input input"
    std::string shape; // "[6, 28, 28]"
    std::string_view category;
    DiagramBox front;           // the front face: thickness (C) across, height (H) down
    float depth_x = 0, depth_y = 0; // the receding edge (W): the back face is the front moved by (depth_x, −depth_y)
    bool has_kernel = false;    // the layer that made it slides a window over the block before it
    DiagramBox kernel;          // on the block before: that block's thickness, the kernel's share of its height
    DiagramPoint apex;          // where the kernel's lines meet, on this block's front face
    std::string kernel_text;    // "5×5"
    DiagramPoint label_at;      // top-left of the title line; the shape's line follows
};

struct BlocksDiagram {
    std::vector<FeatureBlock> blocks;
    size_t layers_left_out = 0; // on branches off the main path
    std::string note;           // says so, when any are
    DiagramPoint note_at;
    float width = 0, height = 0;
    float font_size = 12, line_height = 15;
};

BlocksDiagram layout_blocks(const Analysis& analysis, const DiagramOptions& options = {});

// Why the blocks style does not suit the design `blocks` was laid out from, or "" when it does:
// it draws feature maps, so a design whose main path holds only vectors (a multilayer perceptron),
// or nothing valid after its input, is left to the graph style, which draws every design.
std::string blocks_unsuited(const BlocksDiagram& blocks);

} // namespace netshape
