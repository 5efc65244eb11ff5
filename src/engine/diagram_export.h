// The diagram written out: SVG (text kept as text, the font named, light, dark or following the
// reader's setting) and Graphviz DOT, of the layout of diagram_layout.h; and the blocks style as SVG.
#pragma once

#include "diagram_blocks.h"
#include "diagram_layout.h"

#include <string>

namespace netshape {

enum class DiagramTheme {
    automatic, // light, and dark where the viewer prefers it (prefers-color-scheme)
    light,
    dark,
};

// The fonts the SVG names; DiagramOptions' default text widths are this monospace font's.
inline constexpr const char* kDiagramFonts = "'DejaVu Sans Mono', Menlo, Consolas, monospace";

// `title` names the picture (the design's name); it may be empty.
std::string diagram_svg(const Diagram& diagram, const std::string& title, DiagramTheme theme);

// The blocks style (diagram_blocks.h) as SVG, with the same fonts and themes.
std::string blocks_svg(const BlocksDiagram& blocks, const std::string& title, DiagramTheme theme);

// Boxes with the same three lines, the same colours, an edge per read labelled with its shape,
// and each collapsed repeat a cluster labelled "×n".
std::string diagram_dot(const Diagram& diagram, const std::string& title);

} // namespace netshape
