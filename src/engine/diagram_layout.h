// The diagram of a design: one box per layer and per model input, edges labelled with the shape
// they carry, laid out in rows (a layer's row is the length of the longest path that reaches it),
// the main path (the longest path to the last layer) straight down one column, side branches
// beside it, and edges that pass rows routed in lanes to the right of every box they pass.
// Consecutive identical blocks (what `n*(…)` writes, or the same layers written out again) are
// drawn once with "×n" unless expanded.
//
// Positions are in the renderer's units (pixels at zoom 1); text widths come from the renderer
// (DiagramOptions::text_width), so that the CLI's SVG and the app's canvas draw the same picture.
#pragma once

#include "analysis.h"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace netshape {

struct DiagramPoint {
    float x = 0, y = 0;
};

struct DiagramBox {
    float x = 0, y = 0, width = 0, height = 0; // top-left corner and size
    float right() const { return x + width; }
    float bottom() const { return y + height; }
    float centre_x() const { return x + width / 2; }
};

inline constexpr size_t kNoRepeat = static_cast<size_t>(-1);

struct DiagramNode {
    bool model_input = false;
    size_t index = 0;          // into Analysis::layers, or Analysis::inputs for a model input
    size_t repeat = kNoRepeat; // the collapsed repeat whose first copy it belongs to
    size_t rank = 0;           // its row
    bool on_main_path = false;
    bool invalid = false; // the layer is invalid or not reached: it has no output shape
    DiagramBox box;
    std::string title;         // "Conv2d conv1" (the class under the convention, the name)
    std::string shape;         // "[64, 112, 112]"
    std::string detail;        // "9,408 params", with a fused activation after it
    std::string_view category; // the kind's catalog category ("Convolution"); "Input"; "" unknown
};

struct DiagramEdge {
    size_t from = 0, to = 0; // nodes: `to` reads `from`
    bool skip = false;       // passes rows between its ends: routed in a lane beside the boxes
    std::vector<DiagramPoint> points; // from the bottom of `from` to the top of `to`
    std::string label;                // the shape it carries
    DiagramPoint label_at;            // top-left corner of the label
};

// Layers [first_layer, first_layer + length) repeated `count` times in a row; collapsed, only
// the first copy is drawn, inside `frame`, with "×count" on it.
struct DiagramRepeat {
    size_t first_layer = 0, length = 0, count = 0;
    bool expanded = false;
    DiagramBox frame; // around the drawn copies
};

struct DiagramOptions {
    // Width of one line of text at `font_size` in the renderer's font; empty: a monospace font's
    // (0.6 em per character, as DejaVu Sans Mono, Menlo and Consolas have).
    std::function<float(std::string_view text, float font_size)> text_width;
    float font_size = 12;
    bool collapse_repeats = true;
    std::vector<size_t> expanded_repeats; // first layers of repeats to draw in full
};

struct Diagram {
    std::vector<DiagramNode> nodes; // the model inputs first, then the drawn layers in list order
    std::vector<DiagramEdge> edges;
    std::vector<DiagramRepeat> repeats;
    // Per layer, the node that draws it, or in a collapsed repeat the node of its first copy.
    std::vector<size_t> node_of_layer;
    float width = 0, height = 0;
    float font_size = 12, label_font_size = 10, line_height = 15, padding = 6;
};

Diagram layout_diagram(const Analysis& analysis, const DiagramOptions& options = {});

// The monospace estimate DiagramOptions uses when text_width is empty.
float monospace_text_width(std::string_view text, float font_size);

// Colours as 0xRRGGBB, by category, for light or dark backgrounds: the SVG and the app share them.
struct DiagramColours {
    uint32_t background, text, muted_text, edge, box_border, main_border, invalid, frame;
};
DiagramColours diagram_colours(bool dark);
uint32_t category_fill(std::string_view category, bool dark);

} // namespace netshape
