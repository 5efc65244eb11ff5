// The blocks style's layout (diagram_blocks.h): the main path of the graph layout, its
// shape-changing layers as blocks from left to right, centred on one line, labels under them.
#include "diagram_blocks.h"

#include "text.h"

#include <algorithm>
#include <cmath>

namespace netshape {

namespace {

constexpr float kMargin = 16, kGap = 28;
constexpr float kHeightPerBit = 22, kThicknessPerBit = 6, kDepthPerBit = 9, kBarHeightPerBit = 14, kBarThickness = 8;

float bits(int64_t n) { return std::log2(static_cast<float>(std::max<int64_t>(n, 0)) + 1.0f); }

// A sample's channels, height and width under the convention; a vector is all length.
struct Extent {
    bool vector = false;
    int64_t channels = 1, height = 1, width = 1;
};

Extent extent_of(const Shape& shape, Convention convention) {
    if (shape.size() <= 1) return {.vector = true, .height = shape.empty() ? 1 : shape[0]};
    const bool last = convention == Convention::keras;
    const int64_t channels = last ? shape.back() : shape.front();
    const size_t first_spatial = last ? 0 : 1;
    return {.channels = channels, .height = shape[first_spatial],
            .width = shape.size() >= 3 ? shape[first_spatial + 1] : 1};
}

} // namespace

BlocksDiagram layout_blocks(const Analysis& analysis, const DiagramOptions& options) {
    BlocksDiagram blocks;
    blocks.font_size = options.font_size;
    blocks.line_height = options.font_size * 1.25f;
    auto width_of = [&](std::string_view text) {
        return options.text_width ? options.text_width(text, options.font_size) : monospace_text_width(text, options.font_size);
    };

    // The main path, as the graph style finds it (every layer drawn, so none is folded away).
    const Diagram graph = layout_diagram(analysis, {.text_width = options.text_width, .font_size = options.font_size,
                                                    .collapse_repeats = false});
    std::vector<const DiagramNode*> path;
    for (const DiagramNode& node : graph.nodes)
        if (node.on_main_path) path.push_back(&node);
    std::sort(path.begin(), path.end(), [](auto a, auto b) { return a->rank < b->rank; });
    size_t layers_on_path = 0;
    std::vector<Extent> extents;
    for (const DiagramNode* node : path) {
        const Shape* shape = nullptr;
        FeatureBlock block;
        block.model_input = node->model_input;
        block.index = node->index;
        block.title = node->title;
        block.category = node->category;
        if (node->model_input) {
            shape = &analysis.inputs[node->index].shape;
        } else {
            const LayerResult& layer = analysis.layers[node->index];
            if (layer.status != LayerStatus::ok) break; // nothing from here on has a shape
            ++layers_on_path; // drawn, or shown by the block before (same shape)
            if (layer.output_shape == layer.input_shape && !blocks.blocks.empty()) continue; // keeps the block before
            shape = &layer.output_shape;
            if (layer.window && !blocks.blocks.empty()) {
                block.has_kernel = true;
                std::vector<std::string> sizes;
                for (int64_t k : layer.window->kernel)
                    sizes.push_back(cat(k));
                block.kernel_text = join(sizes, "×");
            }
        }
        block.shape = format_shape(*shape);
        const Extent extent = extent_of(*shape, analysis.convention);
        if (extent.vector) {
            block.front.width = kBarThickness;
            block.front.height = kBarHeightPerBit * bits(extent.height);
        } else {
            block.front.width = kThicknessPerBit * bits(extent.channels);
            block.front.height = kHeightPerBit * bits(extent.height);
            block.depth_x = block.depth_y = kDepthPerBit * bits(extent.width) * 0.7f;
        }
        block.front.height = std::max(block.front.height, 4.0f);
        blocks.blocks.push_back(std::move(block));
        extents.push_back(extent);
    }
    blocks.layers_left_out = analysis.layers.size() - layers_on_path;
    if (blocks.layers_left_out > 0)
        blocks.note = cat(blocks.layers_left_out, blocks.layers_left_out == 1 ? " layer" : " layers",
                          " off the main path or after an invalid layer not drawn; the graph style shows every layer");

    // One line through the blocks' centres, room above for the receding edges, labels below.
    float tallest = 0, deepest = 0;
    for (const FeatureBlock& block : blocks.blocks) {
        tallest = std::max(tallest, block.front.height);
        deepest = std::max(deepest, block.depth_y);
    }
    const float centre_y = kMargin + deepest + tallest / 2;
    const float label_y = centre_y + tallest / 2 + blocks.line_height / 2;
    float cursor = kMargin;
    for (size_t b = 0; b < blocks.blocks.size(); ++b) {
        FeatureBlock& block = blocks.blocks[b];
        const float drawn = block.front.width + block.depth_x;
        const float label = std::max(width_of(block.title), width_of(block.shape));
        const float region = std::max(drawn, label);
        block.front.x = cursor + (region - drawn) / 2;
        block.front.y = centre_y - block.front.height / 2;
        block.label_at = {cursor + (region - label) / 2, label_y};
        cursor += region + kGap;
        if (block.has_kernel) {
            // The kernel's share of the height of the block it slides over, on that block's front.
            const FeatureBlock& before = blocks.blocks[b - 1];
            const LayerResult& layer = analysis.layers[block.index];
            const float share = extents[b - 1].vector ? 1.0f
                                                      : std::min(1.0f, static_cast<float>(layer.window->kernel.front()) /
                                                                           static_cast<float>(std::max<int64_t>(extents[b - 1].height, 1)));
            const float height = std::max(3.0f, before.front.height * share);
            block.kernel = {before.front.x, before.front.y + (before.front.height - height) * 0.4f, before.front.width, height};
            block.apex = {block.front.x + block.front.width / 2, block.front.y + block.front.height * 0.4f};
        }
    }
    blocks.note_at = {kMargin, label_y + 2 * blocks.line_height + blocks.line_height / 2};
    blocks.width = std::max(cursor - kGap + kMargin, blocks.note.empty() ? 0.0f : width_of(blocks.note) + 2 * kMargin);
    blocks.height = blocks.note_at.y + (blocks.note.empty() ? 0 : blocks.line_height) + kMargin;
    return blocks;
}

std::string blocks_unsuited(const BlocksDiagram& blocks) {
    if (blocks.blocks.size() < 2)
        return "nothing after the input has a shape to draw as a block (the first layer is invalid or there is none)";
    const bool any_map = std::any_of(blocks.blocks.begin(), blocks.blocks.end(), [](const FeatureBlock& block) {
        return block.depth_x > 0; // a map ([C, H, W] or [C, L]) recedes; a vector is a flat bar
    });
    if (!any_map)
        return "every tensor on the main path is a vector: the blocks style draws feature maps such as [C, H, W], "
               "as the LeNet and AlexNet figures do";
    return {};
}

} // namespace netshape
