// SVG and DOT from the diagram's layout.
#include "diagram_export.h"

#include "text.h"

#include <algorithm>

#include <cstdio>
#include <set>
#include <string_view>

namespace netshape {

namespace {

std::string hex_colour(uint32_t rgb) {
    char text[8];
    std::snprintf(text, sizeof text, "#%06x", static_cast<unsigned>(rgb & 0xffffff));
    return text;
}

// Coordinates with one decimal: enough for a picture, and short.
std::string number(float value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f", static_cast<double>(value));
    std::string out = text;
    if (out.size() > 2 && out.ends_with(".0")) out.resize(out.size() - 2);
    return out == "-0" ? "0" : out;
}

std::string category_class(std::string_view category) {
    return category.empty() ? std::string("k-other") : cat("k-", category);
}

// The colour rules of one theme, for the classes the picture uses.
std::string theme_rules(const std::set<std::string_view>& categories, bool dark) {
    const DiagramColours colours = diagram_colours(dark);
    std::string rules = cat(".bg{fill:", hex_colour(colours.background), "}.box{stroke:", hex_colour(colours.box_border),
                            "}.main{stroke:", hex_colour(colours.main_border), "}.bad{stroke:", hex_colour(colours.invalid),
                            "}.edge{stroke:", hex_colour(colours.edge), "}.head,.kernel{fill:", hex_colour(colours.edge),
                            "}.t{fill:", hex_colour(colours.text), "}.m{fill:", hex_colour(colours.muted_text),
                            "}.frame{stroke:", hex_colour(colours.frame), "}");
    for (std::string_view category : categories)
        rules += cat(".", category_class(category), "{fill:", hex_colour(category_fill(category, dark)), "}");
    return rules;
}

// The opening of a picture: size, fonts, title, the theme's colours (for `categories`), the
// arrowhead and the background.
std::string svg_opening(float width_units, float height_units, float font_size, const std::string& title,
                        DiagramTheme theme, const std::set<std::string_view>& categories) {
    std::string svg;
    const std::string width = number(width_units), height = number(height_units);
    svg += cat("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", width,
               "\" height=\"", height, "\" viewBox=\"0 0 ", width, " ", height, "\" font-family=\"", kDiagramFonts,
               "\" font-size=\"", number(font_size), "\">\n");
    if (!title.empty()) svg += cat("<title>", markup_text(title), "</title>\n");
    svg += "<style>.box,.main,.bad,.frame{stroke-width:1}.main{stroke-width:1.6}.bad{stroke-width:2}"
           ".edge{fill:none;stroke-width:1.2}.frame{fill:none;stroke-dasharray:4 3}.b{font-weight:bold}"
           ".s1{fill:#000;fill-opacity:.12}.s2{fill:#000;fill-opacity:.28}.kernel{fill-opacity:.35}";
    if (theme == DiagramTheme::dark) {
        svg += theme_rules(categories, true);
    } else {
        svg += theme_rules(categories, false);
        if (theme == DiagramTheme::automatic) svg += cat("@media (prefers-color-scheme:dark){", theme_rules(categories, true), "}");
    }
    svg += "</style>\n<defs><marker id=\"head\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"8\" "
           "markerHeight=\"8\" orient=\"auto\"><path class=\"head\" d=\"M0,0L8,4L0,8z\"/></marker></defs>\n";
    svg += "<rect class=\"bg\" width=\"100%\" height=\"100%\"/>\n";
    return svg;
}

} // namespace

std::string diagram_svg(const Diagram& diagram, const std::string& title, DiagramTheme theme) {
    std::set<std::string_view> categories;
    for (const DiagramNode& node : diagram.nodes)
        categories.insert(node.category);
    std::string svg = svg_opening(diagram.width, diagram.height, diagram.font_size, title, theme, categories);
    svg.reserve(512 + diagram.nodes.size() * 400 + diagram.edges.size() * 200);

    // Frames under everything, then edges, then boxes over the edges' ends.
    for (const DiagramRepeat& repeat : diagram.repeats) {
        const DiagramBox& f = repeat.frame;
        svg += cat("<rect class=\"frame\" x=\"", number(f.x), "\" y=\"", number(f.y), "\" width=\"", number(f.width),
                   "\" height=\"", number(f.height), "\" rx=\"6\"/><text class=\"m b\" x=\"", number(f.x + 6), "\" y=\"",
                   number(f.y + diagram.label_font_size + 2), "\" font-size=\"", number(diagram.label_font_size), "\">",
                   repeat.expanded ? cat(repeat.count, " copies") : cat("×", repeat.count), "</text>\n");
    }
    for (const DiagramEdge& edge : diagram.edges) {
        svg += "<polyline class=\"edge\" points=\"";
        for (size_t k = 0; k < edge.points.size(); ++k)
            svg += cat(k ? " " : "", number(edge.points[k].x), ",", number(edge.points[k].y));
        svg += "\" marker-end=\"url(#head)\"/>";
        if (!edge.label.empty())
            svg += cat("<text class=\"m\" x=\"", number(edge.label_at.x), "\" y=\"",
                       number(edge.label_at.y + diagram.label_font_size), "\" font-size=\"",
                       number(diagram.label_font_size), "\">", markup_text(edge.label), "</text>");
        svg += "\n";
    }
    for (const DiagramNode& node : diagram.nodes) {
        const DiagramBox& b = node.box;
        const char* border = node.invalid ? "bad" : node.on_main_path ? "main" : "box";
        svg += cat("<g><rect class=\"", border, " ", category_class(node.category), "\" x=\"", number(b.x), "\" y=\"",
                   number(b.y), "\" width=\"", number(b.width), "\" height=\"", number(b.height), "\" rx=\"4\"/>");
        const float x = b.x + diagram.padding;
        auto line_y = [&](int line) {
            return number(b.y + diagram.padding + diagram.line_height * static_cast<float>(line) + diagram.font_size * 0.9f);
        };
        const size_t space = node.title.find(' ');
        svg += cat("<text class=\"t\" x=\"", number(x), "\" y=\"", line_y(0), "\"><tspan class=\"b\">",
                   markup_text(node.title.substr(0, space)), "</tspan>",
                   space == std::string::npos ? std::string() : markup_text(node.title.substr(space)), "</text>");
        svg += cat("<text class=\"t\" x=\"", number(x), "\" y=\"", line_y(1), "\">", markup_text(node.shape), "</text>");
        svg += cat("<text class=\"m\" x=\"", number(x), "\" y=\"", line_y(2), "\">", markup_text(node.detail), "</text>");
        svg += "</g>\n";
    }
    svg += "</svg>\n";
    return svg;
}

namespace {

// A DOT string's inside: quotes and backslashes escaped, line breaks as \n.
std::string dot_text(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    }
    return out;
}

} // namespace

std::string blocks_svg(const BlocksDiagram& blocks, const std::string& title, DiagramTheme theme) {
    std::set<std::string_view> categories;
    for (const FeatureBlock& block : blocks.blocks)
        categories.insert(block.category);
    std::string svg = svg_opening(blocks.width, blocks.height, blocks.font_size, title, theme, categories);
    auto point = [](float x, float y) { return cat(number(x), ",", number(y)); };
    for (const FeatureBlock& block : blocks.blocks) {
        const DiagramBox& f = block.front;
        const std::string fill = category_class(block.category);
        svg += "<g>";
        if (block.depth_x > 0) { // the top face, then the side face, each shaded over the category's colour
            const std::string top = cat(point(f.x, f.y), " ", point(f.x + block.depth_x, f.y - block.depth_y), " ",
                                        point(f.right() + block.depth_x, f.y - block.depth_y), " ", point(f.right(), f.y));
            const std::string side = cat(point(f.right(), f.y), " ", point(f.right() + block.depth_x, f.y - block.depth_y), " ",
                                         point(f.right() + block.depth_x, f.bottom() - block.depth_y), " ", point(f.right(), f.bottom()));
            svg += cat("<polygon class=\"", fill, "\" points=\"", top, "\"/><polygon class=\"s1\" points=\"", top, "\"/>");
            svg += cat("<polygon class=\"", fill, "\" points=\"", side, "\"/><polygon class=\"s2\" points=\"", side, "\"/>");
            // The outline of the faces behind the front: round the top, down the back, the ridge between.
            svg += cat("<polyline class=\"box\" fill=\"none\" points=\"", point(f.x, f.y), " ", point(f.x + block.depth_x, f.y - block.depth_y),
                       " ", point(f.right() + block.depth_x, f.y - block.depth_y), " ",
                       point(f.right() + block.depth_x, f.bottom() - block.depth_y), " ", point(f.right(), f.bottom()), "\"/>",
                       "<polyline class=\"box\" fill=\"none\" points=\"", point(f.right(), f.y), " ",
                       point(f.right() + block.depth_x, f.y - block.depth_y), "\"/>");
        }
        svg += cat("<rect class=\"box ", fill, "\" x=\"", number(f.x), "\" y=\"", number(f.y), "\" width=\"", number(f.width),
                   "\" height=\"", number(f.height), "\"/>");
        const float baseline = block.label_at.y + blocks.font_size * 0.9f;
        svg += cat("<text class=\"t\" x=\"", number(block.label_at.x), "\" y=\"", number(baseline), "\">", markup_text(block.title),
                   "</text><text class=\"m\" x=\"", number(block.label_at.x), "\" y=\"", number(baseline + blocks.line_height), "\">",
                   markup_text(block.shape), "</text></g>\n");
    }
    // The kernels over the blocks they slide on, with lines to the blocks they make.
    for (const FeatureBlock& block : blocks.blocks) {
        if (!block.has_kernel) continue;
        const DiagramBox& k = block.kernel;
        svg += cat("<rect class=\"kernel edge\" x=\"", number(k.x), "\" y=\"", number(k.y), "\" width=\"", number(k.width),
                   "\" height=\"", number(k.height), "\"/><polyline class=\"edge\" points=\"", point(k.right(), k.y), " ",
                   point(block.apex.x, block.apex.y), " ", point(k.right(), k.bottom()), "\"/>");
        svg += cat("<text class=\"m\" font-size=\"", number(blocks.font_size - 2), "\" x=\"", number((k.right() + block.apex.x) / 2),
                   "\" y=\"", number(std::min(k.y, block.apex.y) - 4), "\" text-anchor=\"middle\">", markup_text(block.kernel_text),
                   "</text>\n");
    }
    if (!blocks.note.empty())
        svg += cat("<text class=\"m\" x=\"", number(blocks.note_at.x), "\" y=\"", number(blocks.note_at.y + blocks.font_size * 0.9f),
                   "\">", markup_text(blocks.note), "</text>\n");
    svg += "</svg>\n";
    return svg;
}

std::string diagram_dot(const Diagram& diagram, const std::string& title) {
    std::string dot = cat("digraph \"", dot_text(title), "\" {\n  rankdir=TB;\n  node [shape=box, style=\"rounded,filled\", "
                                                          "fontname=\"DejaVu Sans Mono\", fontsize=11];\n"
                                                          "  edge [fontname=\"DejaVu Sans Mono\", fontsize=9];\n");
    std::vector<std::vector<size_t>> members(diagram.repeats.size());
    for (size_t v = 0; v < diagram.nodes.size(); ++v)
        if (diagram.nodes[v].repeat != kNoRepeat) members[diagram.nodes[v].repeat].push_back(v);
    for (size_t v = 0; v < diagram.nodes.size(); ++v) {
        const DiagramNode& node = diagram.nodes[v];
        dot += cat("  n", v, " [label=\"", dot_text(cat(node.title, "\n", node.shape, "\n", node.detail)),
                   "\", fillcolor=\"", hex_colour(category_fill(node.category, false)), "\"",
                   node.invalid ? ", color=\"#cf222e\", penwidth=2" : node.on_main_path ? ", penwidth=1.6" : "", "];\n");
    }
    for (size_t r = 0; r < diagram.repeats.size(); ++r) {
        if (members[r].empty()) continue;
        dot += cat("  subgraph cluster_", r, " {\n    label=\"×", diagram.repeats[r].count, "\"; style=dashed;\n   ");
        for (size_t v : members[r])
            dot += cat(" n", v, ";");
        dot += "\n  }\n";
    }
    for (const DiagramEdge& edge : diagram.edges)
        dot += cat("  n", edge.from, " -> n", edge.to, " [label=\"", dot_text(edge.label), "\"];\n");
    dot += "}\n";
    return dot;
}

} // namespace netshape
