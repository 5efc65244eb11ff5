// The diagram: the layout of engine/diagram_layout.h (the same the CLI's SVG draws) drawn with
// ImGui's draw list inside a scrolling child, only what is on screen. The child's own scrolling
// pans it (wheel, scrollbars, a finger through the glue); a mouse drag pans too; Ctrl+wheel and a
// trackpad's pinch (which browsers send as Ctrl+wheel; the glue hands it over) zoom around the
// pointer; two fingers on a touch screen zoom about their midpoint and pan (the glue hands their
// move over). A click selects the layer in the table and the working; hover shows its working.
// The blocks style (?diagram=blocks, or the switch above the pane) draws engine/diagram_blocks.h's
// layout instead, where the design suits it. Share's SVG and PNG are made here too.
#include "drawn_items.h"
#include "ui_common.h"

#include "engine/diagram_export.h"
#include "engine/text.h"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>

namespace netshape::ui {

namespace {

ImVec2 operator+(ImVec2 a, ImVec2 b) { return ImVec2(a.x + b.x, a.y + b.y); }
ImVec2 operator-(ImVec2 a, ImVec2 b) { return ImVec2(a.x - b.x, a.y - b.y); }
ImVec2 operator*(ImVec2 a, float k) { return ImVec2(a.x * k, a.y * k); }
ImVec2 operator/(ImVec2 a, float k) { return ImVec2(a.x / k, a.y / k); }

constexpr float kLeastZoom = 0.002f, kMostZoom = 4.0f; // Fit to view fits about 5,000 rows
constexpr float kLeastTextPixels = 4.5f; // smaller text is not drawn: unreadable, and it costs

ImU32 colour(uint32_t rgb) { return IM_COL32(rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff, 0xff); }

void refresh_layout(const app::AppState& state, DiagramView& view) {
    const float font_size = ImGui::GetFontSize();
    if (view.revision == state.revision && view.font_size == font_size && !view.relayout) return;
    if (view.revision != state.revision) view.fit = true;
    view.revision = state.revision;
    view.font_size = font_size;
    view.relayout = false;
    ImFont* font = ImGui::GetFont();
    DiagramOptions options;
    options.font_size = font_size;
    options.expanded_repeats = view.expanded;
    options.text_width = [font](std::string_view text, float size) {
        return font->CalcTextSizeA(size, FLT_MAX, 0.0f, text.data(), text.data() + text.size()).x;
    };
    view.layout = layout_diagram(state.analysis, options);
    options.expanded_repeats.clear();
    view.blocks = layout_blocks(state.analysis, options);
    view.blocks_unsuited = blocks_unsuited(view.blocks);
}

bool blocks_drawn(const UiState& ui) {
    return ui.view.diagram_style == app::DiagramStyle::blocks && ui.diagram.blocks_unsuited.empty();
}

// The block under `point` (its front and receding faces), in diagram units.
std::optional<size_t> block_at(const BlocksDiagram& blocks, ImVec2 point) {
    for (size_t b = 0; b < blocks.blocks.size(); ++b) {
        const FeatureBlock& block = blocks.blocks[b];
        const DiagramBox& f = block.front;
        if (point.x >= f.x && point.x <= f.right() + block.depth_x && point.y >= f.y - block.depth_y && point.y <= f.bottom())
            return b;
    }
    return std::nullopt;
}

// The repeat whose frame label ("×3") is under `point`, in diagram units.
std::optional<size_t> repeat_label_at(const Diagram& diagram, ImVec2 point) {
    for (size_t r = 0; r < diagram.repeats.size(); ++r) {
        const DiagramBox& frame = diagram.repeats[r].frame;
        if (point.x >= frame.x && point.x <= frame.x + diagram.font_size * 8 && point.y >= frame.y &&
            point.y <= frame.y + diagram.label_font_size * 1.6f)
            return r;
    }
    return std::nullopt;
}

std::optional<size_t> node_at(const Diagram& diagram, ImVec2 point) {
    for (size_t v = 0; v < diagram.nodes.size(); ++v) {
        const DiagramBox& box = diagram.nodes[v].box;
        if (point.x >= box.x && point.x <= box.right() && point.y >= box.y && point.y <= box.bottom()) return v;
    }
    return std::nullopt;
}

std::string repeat_label(const DiagramRepeat& repeat) {
    return repeat.expanded ? cat(repeat.count, " copies (collapse)") : cat("×", repeat.count, " (expand)");
}

// Draws what lies in the visible part; `origin` is the diagram's (0, 0) on the screen.
void draw_diagram(const Diagram& diagram, const UiState& ui, ImVec2 origin, float zoom, std::optional<size_t> selected) {
    ImDrawList& draw = *ImGui::GetWindowDrawList();
    const DiagramColours colours = diagram_colours(ui.dark);
    const ImVec2 clip_min = draw.GetClipRectMin(), clip_max = draw.GetClipRectMax();
    // The visible rectangle in diagram units.
    const float view_x0 = (clip_min.x - origin.x) / zoom, view_x1 = (clip_max.x - origin.x) / zoom;
    const float view_y0 = (clip_min.y - origin.y) / zoom, view_y1 = (clip_max.y - origin.y) / zoom;
    auto visible = [&](float x0, float y0, float x1, float y1) {
        return x1 >= view_x0 && x0 <= view_x1 && y1 >= view_y0 && y0 <= view_y1;
    };
    auto screen = [&](float x, float y) { return ImVec2(origin.x + x * zoom, origin.y + y * zoom); };
    ImFont* font = ImGui::GetFont();
    const float text_size = diagram.font_size * zoom, label_size = diagram.label_font_size * zoom;
    auto put_text = [&](float size, ImVec2 at, uint32_t rgb, std::string_view line) {
        if (size >= kLeastTextPixels) draw.AddText(font, size, at, colour(rgb), line.data(), line.data() + line.size());
    };

    for (const DiagramRepeat& repeat : diagram.repeats) {
        const DiagramBox& f = repeat.frame;
        if (!visible(f.x, f.y, f.right(), f.bottom())) continue;
        draw.AddRect(screen(f.x, f.y), screen(f.right(), f.bottom()), colour(colours.frame), 6 * zoom, 0, 1.0f);
        put_text(label_size, screen(f.x + 6, f.y + 2), colours.text, repeat_label(repeat));
    }
    std::vector<ImVec2> points;
    for (const DiagramEdge& edge : diagram.edges) {
        float x0 = FLT_MAX, y0 = FLT_MAX, x1 = -FLT_MAX, y1 = -FLT_MAX;
        for (const DiagramPoint& p : edge.points) {
            x0 = std::min(x0, p.x);
            y0 = std::min(y0, p.y);
            x1 = std::max(x1, p.x);
            y1 = std::max(y1, p.y);
        }
        if (!visible(x0 - 4, y0, x1 + 200, y1)) continue; // the label reaches right of the lines
        points.clear();
        for (const DiagramPoint& p : edge.points)
            points.push_back(screen(p.x, p.y));
        draw.AddPolyline(points.data(), static_cast<int>(points.size()), colour(colours.edge), 0, std::max(1.0f, 1.2f * zoom));
        const ImVec2 tip = points.back(); // every edge ends going down into its target's top
        const float head = std::max(2.0f, 6.0f * zoom);
        draw.AddTriangleFilled(ImVec2(tip.x - head * 0.6f, tip.y - head), ImVec2(tip.x + head * 0.6f, tip.y - head), tip,
                               colour(colours.edge));
        put_text(label_size, screen(edge.label_at.x, edge.label_at.y), colours.muted_text, edge.label);
    }
    for (size_t v = 0; v < diagram.nodes.size(); ++v) {
        const DiagramNode& node = diagram.nodes[v];
        const DiagramBox& b = node.box;
        if (!visible(b.x, b.y, b.right(), b.bottom())) continue;
        const ImVec2 top_left = screen(b.x, b.y), bottom_right = screen(b.right(), b.bottom());
        draw.AddRectFilled(top_left, bottom_right, colour(category_fill(node.category, ui.dark)), 4 * zoom);
        const bool is_selected = selected == v;
        const uint32_t border = node.invalid ? colours.invalid : node.on_main_path ? colours.main_border : colours.box_border;
        const ImU32 border_colour = is_selected ? ImGui::GetColorU32(ImGuiCol_NavHighlight) : colour(border);
        draw.AddRect(top_left, bottom_right, border_colour, 4 * zoom, 0, is_selected ? 3.0f : node.on_main_path ? 1.6f : 1.0f);
        // Where each box is, for tests and the page's texts() (a box's title stands for it).
        note_drawn_text_in(node.title, top_left.x, top_left.y, bottom_right.x - top_left.x, bottom_right.y - top_left.y);
        const float x = b.x + diagram.padding;
        const std::string* lines[] = {&node.title, &node.shape, &node.detail};
        for (int line = 0; line < 3; ++line)
            put_text(text_size, screen(x, b.y + diagram.padding + diagram.line_height * static_cast<float>(line)),
                     line == 2 ? colours.muted_text : colours.text, *lines[line]);
    }
}

// The blocks style, as blocks_svg draws it: each block's front face, and over a map its top and
// side faces shaded; the kernels over the blocks they slide on, with lines to the blocks they make.
void draw_blocks(const BlocksDiagram& blocks, const UiState& ui, ImVec2 origin, float zoom, std::optional<size_t> selected) {
    ImDrawList& draw = *ImGui::GetWindowDrawList();
    const DiagramColours colours = diagram_colours(ui.dark);
    auto screen = [&](float x, float y) { return ImVec2(origin.x + x * zoom, origin.y + y * zoom); };
    ImFont* font = ImGui::GetFont();
    const float text_size = blocks.font_size * zoom;
    auto put_text = [&](float size, ImVec2 at, ImU32 colour_of_text, std::string_view line) {
        if (size >= kLeastTextPixels) draw.AddText(font, size, at, colour_of_text, line.data(), line.data() + line.size());
    };
    const ImU32 top_shade = IM_COL32(0, 0, 0, 31), side_shade = IM_COL32(0, 0, 0, 71); // the SVG's .12 and .28 black
    const ImU32 outline = colour(colours.box_border), edge = colour(colours.edge);
    for (size_t b = 0; b < blocks.blocks.size(); ++b) {
        const FeatureBlock& block = blocks.blocks[b];
        const DiagramBox& f = block.front;
        const ImU32 fill = colour(category_fill(block.category, ui.dark));
        if (block.depth_x > 0) {
            const float dx = block.depth_x, dy = block.depth_y;
            const ImVec2 top[4] = {screen(f.x, f.y), screen(f.x + dx, f.y - dy), screen(f.right() + dx, f.y - dy), screen(f.right(), f.y)};
            const ImVec2 side[4] = {screen(f.right(), f.y), screen(f.right() + dx, f.y - dy), screen(f.right() + dx, f.bottom() - dy),
                                    screen(f.right(), f.bottom())};
            for (ImU32 over : {fill, top_shade}) draw.AddQuadFilled(top[0], top[1], top[2], top[3], over);
            for (ImU32 over : {fill, side_shade}) draw.AddQuadFilled(side[0], side[1], side[2], side[3], over);
            const ImVec2 back[5] = {top[0], top[1], top[2], side[2], side[3]};
            draw.AddPolyline(back, 5, outline, 0, 1.0f);
            draw.AddLine(top[3], top[2], outline, 1.0f);
        }
        const ImVec2 top_left = screen(f.x, f.y), bottom_right = screen(f.right(), f.bottom());
        draw.AddRectFilled(top_left, bottom_right, fill);
        const bool is_selected = selected == b;
        draw.AddRect(top_left, bottom_right, is_selected ? ImGui::GetColorU32(ImGuiCol_NavHighlight) : outline, 0.0f, 0,
                     is_selected ? 3.0f : 1.0f);
        // A block's title stands for it, for tests and the page's texts(), as a box's does.
        const ImVec2 back_top = screen(f.right() + block.depth_x, f.y - block.depth_y);
        note_drawn_text_in(block.title, top_left.x, back_top.y, back_top.x - top_left.x, bottom_right.y - back_top.y);
        put_text(text_size, screen(block.label_at.x, block.label_at.y), colour(colours.text), block.title);
        put_text(text_size, screen(block.label_at.x, block.label_at.y + blocks.line_height), colour(colours.muted_text), block.shape);
    }
    const ImU32 kernel_fill = (edge & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 89); // the SVG's .35
    for (const FeatureBlock& block : blocks.blocks) {
        if (!block.has_kernel) continue;
        const DiagramBox& k = block.kernel;
        draw.AddRectFilled(screen(k.x, k.y), screen(k.right(), k.bottom()), kernel_fill);
        draw.AddRect(screen(k.x, k.y), screen(k.right(), k.bottom()), edge, 0.0f, 0, std::max(1.0f, 1.2f * zoom));
        const ImVec2 lines[3] = {screen(k.right(), k.y), screen(block.apex.x, block.apex.y), screen(k.right(), k.bottom())};
        draw.AddPolyline(lines, 3, edge, 0, std::max(1.0f, 1.2f * zoom));
        const float size = (blocks.font_size - 2) * zoom;
        const ImVec2 extent = font->CalcTextSizeA(size, FLT_MAX, 0.0f, block.kernel_text.c_str());
        put_text(size, screen((k.right() + block.apex.x) / 2 - extent.x / zoom / 2, std::min(k.y, block.apex.y) - 4 - extent.y / zoom),
                 colour(colours.muted_text), block.kernel_text);
    }
    if (!blocks.note.empty()) put_text(text_size, screen(blocks.note_at.x, blocks.note_at.y), colour(colours.muted_text), blocks.note);
}

} // namespace

std::optional<PngSize> diagram_png_size(float width, float height) {
    const double w = std::max(width, 1.0f), h = std::max(height, 1.0f);
    const double scale = std::min({kDiagramPngScale, kCanvasMostSide / w, kCanvasMostSide / h, std::sqrt(kCanvasMostPixels / (w * h))});
    if (scale < kDiagramPngScale / 4) return std::nullopt;
    return PngSize{std::max(1, static_cast<int>(std::floor(w * scale))), std::max(1, static_cast<int>(std::floor(h * scale)))};
}

DiagramPicture diagram_picture(const app::AppState& state, const UiState& ui, DiagramTheme theme) {
    if (ui.view.diagram_style == app::DiagramStyle::blocks) {
        const BlocksDiagram blocks = layout_blocks(state.analysis);
        if (blocks_unsuited(blocks).empty()) return {blocks_svg(blocks, state.design.name, theme), blocks.width, blocks.height};
    }
    // The repeats expanded as in the Diagram tab.
    const Diagram diagram = layout_diagram(state.analysis, {.expanded_repeats = ui.diagram.expanded});
    return {diagram_svg(diagram, state.design.name, theme), diagram.width, diagram.height};
}

void choose_diagram_style(UiState& ui, app::DiagramStyle style) {
    ui.view.diagram_style = style;
    ui.embed_choice.diagram_style = style; // the embed code and the link show what is on screen
    ui.diagram.fit = true;
}

bool diagram_offered(const UiState& ui) { return !ui.view.quiz(); }

void diagram_pane(const app::AppState& state, UiState& ui, float height) {
    DiagramView& view = ui.diagram;
    refresh_layout(state, view);
    const Diagram& diagram = view.layout;
    const ImGuiIO& io = ImGui::GetIO();

    // The toolbar: fit, zoom, the style.
    bool fit_whole = ImGui::SmallButton("Fit to view");
    note_last_item("Fit to view");
    tooltip(ui, "The whole network in the pane");
    float wanted_zoom = view.zoom;
    ImGui::SameLine();
    if (ImGui::SmallButton("-")) wanted_zoom /= 1.25f;
    ImGui::SameLine();
    if (ImGui::SmallButton("+")) wanted_zoom *= 1.25f;
    for (const auto& [label, style] : {std::pair("Graph", app::DiagramStyle::graph), std::pair("Blocks", app::DiagramStyle::blocks)}) {
        ImGui::SameLine();
        if (ImGui::RadioButton(label, ui.view.diagram_style == style) && ui.view.diagram_style != style)
            choose_diagram_style(ui, style);
        note_last_item(label);
    }
    tooltip(ui, "Blocks: the feature maps as blocks sized by C×H×W, with each kernel between them (for small CNNs)");
    ImGui::SameLine();
    ImGui::TextDisabled("%d %%  drag to move, Ctrl+wheel or pinch to zoom", static_cast<int>(std::lround(view.zoom * 100)));
    if (ui.view.diagram_style == app::DiagramStyle::blocks && !view.blocks_unsuited.empty()) {
        ImGui::PushTextWrapPos(0.0f);
        const std::string why = cat("Not as blocks: ", view.blocks_unsuited, ". The graph shows it.");
        disabled_text(why);
        note_drawn_text(why);
        ImGui::PopTextWrapPos();
    }
    const bool blocks = blocks_drawn(ui);
    const float picture_width = blocks ? view.blocks.width : diagram.width;
    const float picture_height = blocks ? view.blocks.height : diagram.height;

    const ImVec2 pane(ImGui::GetContentRegionAvail().x, std::max(height - ImGui::GetFrameHeightWithSpacing(), ImGui::GetFontSize() * 6));
    const ImVec2 room(pane.x - ImGui::GetStyle().ScrollbarSize, pane.y - ImGui::GetStyle().ScrollbarSize);
    if (view.fit || fit_whole) {
        // A new design fits the pane's width (a deep network then scrolls down); "Fit to view" the whole.
        const float across = room.x / std::max(picture_width, 1.0f), down = room.y / std::max(picture_height, 1.0f);
        wanted_zoom = fit_whole ? std::min(across, down) : std::min(across, 1.0f);
    }
    wanted_zoom = std::clamp(wanted_zoom, kLeastZoom, kMostZoom);

    ImGui::SetNextWindowContentSize(ImVec2(picture_width * wanted_zoom, picture_height * wanted_zoom));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, colour(diagram_colours(ui.dark).background));
    ImGui::BeginChild("diagram", pane, true, ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_NoNav);
    ImGui::PopStyleColor();
    view.hovered = ImGui::IsWindowHovered();
    view.pane_min = app::Point{ImGui::GetWindowPos().x, ImGui::GetWindowPos().y};
    view.pane_max = app::Point{ImGui::GetWindowPos().x + ImGui::GetWindowSize().x, ImGui::GetWindowPos().y + ImGui::GetWindowSize().y};
    ImVec2 origin = ImGui::GetCursorScreenPos();
    ImVec2 scroll(ImGui::GetScrollX(), ImGui::GetScrollY());

    // Zoom by Ctrl+wheel or a trackpad's pinch about the pointer, by two fingers about their
    // midpoint (and pan with it), by the buttons about the pane's centre.
    const float wheel = view.hovered ? view.zoom_wheel + (io.KeyCtrl ? io.MouseWheel : 0.0f) : 0.0f;
    view.zoom_wheel = 0.0f;
    const app::ScreenMove pinch = std::exchange(view.pinch, app::ScreenMove{});
    if (wheel != 0.0f) wanted_zoom = std::clamp(view.zoom * std::pow(1.15f, wheel), kLeastZoom, kMostZoom);
    if (!pinch.identity()) wanted_zoom = std::clamp(view.zoom * pinch.scale, kLeastZoom, kMostZoom);
    const ImVec2 window_centre = ImGui::GetWindowPos() + ImGui::GetWindowSize() * 0.5f;
    ImVec2 new_origin = origin;
    if (view.fit || fit_whole) {
        scroll = ImVec2(0, 0);
        origin = ImGui::GetCursorScreenPos() + ImVec2(ImGui::GetScrollX(), ImGui::GetScrollY());
        new_origin = origin;
    } else if (!pinch.identity()) {
        // The fingers carry the picture: its origin moves as every point under them does. At the
        // zoom's limits the rest of the scale is given up about the pane's centre.
        const app::Point moved = pinch.apply({origin.x, origin.y});
        const float unreached = wanted_zoom / (view.zoom * pinch.scale);
        new_origin = window_centre + (ImVec2(moved.x, moved.y) - window_centre) * unreached;
    } else if (wanted_zoom != view.zoom) {
        const ImVec2 about = wheel != 0.0f ? io.MousePos : window_centre;
        const ImVec2 point = (about - origin) / view.zoom; // stays under `about`
        new_origin = about - point * wanted_zoom;
    }
    if (view.fit || fit_whole || new_origin.x != origin.x || new_origin.y != origin.y) {
        scroll = scroll + (origin - new_origin);
        origin = new_origin;
        ImGui::SetScrollX(std::max(0.0f, scroll.x));
        ImGui::SetScrollY(std::max(0.0f, scroll.y));
        ui.wants_redraw = true; // the scroll takes effect in the next frame
    }
    view.fit = false;
    view.zoom = wanted_zoom;

    // The drawn item that stands for the selected layer: its box, or in the blocks style its block.
    std::optional<size_t> selected_item;
    std::optional<DiagramBox> selected_box;
    if (ui.selected && blocks) {
        for (size_t b = 0; b < view.blocks.blocks.size(); ++b)
            if (!view.blocks.blocks[b].model_input && view.blocks.blocks[b].index == *ui.selected) selected_item = b;
        if (selected_item) selected_box = view.blocks.blocks[*selected_item].front;
    } else if (ui.selected && *ui.selected < diagram.node_of_layer.size()) {
        selected_item = diagram.node_of_layer[*ui.selected];
        selected_box = diagram.nodes[*selected_item].box;
    }
    // A selection made elsewhere (the table, the editor) brings it into view.
    if (ui.selected != view.shown_selection) {
        view.shown_selection = ui.selected;
        if (selected_box) {
            const DiagramBox& box = *selected_box;
            const ImVec2 top_left = origin + ImVec2(box.x, box.y) * view.zoom;
            const ImVec2 bottom_right = origin + ImVec2(box.right(), box.bottom()) * view.zoom;
            const ImVec2 window_min = ImGui::GetWindowPos(), window_max = window_min + ImGui::GetWindowSize();
            if (top_left.x < window_min.x || top_left.y < window_min.y || bottom_right.x > window_max.x ||
                bottom_right.y > window_max.y) {
                ImGui::SetScrollX(std::max(0.0f, (box.centre_x()) * view.zoom - room.x / 2));
                ImGui::SetScrollY(std::max(0.0f, (box.y + box.height / 2) * view.zoom - room.y / 2));
                ui.wants_redraw = true;
            }
        }
    }

    // The picture is one invisible button: a drag pans, a click selects, hover explains.
    ImGui::InvisibleButton("diagram canvas", ImVec2(std::max(picture_width * view.zoom, 1.0f), std::max(picture_height * view.zoom, 1.0f)));
    note_last_item("diagram canvas");
    // A click is a press and release that did not move (a drag pans instead).
    const bool clicked = ImGui::IsItemDeactivated() && io.MouseDragMaxDistanceSqr[0] < 16.0f;
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 4.0f)) {
        ImGui::SetScrollX(ImGui::GetScrollX() - io.MouseDelta.x);
        ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
    }
    const ImVec2 pointer = (io.MousePos - origin) / view.zoom;
    // What the pointer is over: a model input (nullopt layer) or a layer, in either style.
    std::optional<std::pair<bool, size_t>> under; // {model input, index}
    if (blocks) {
        if (const auto block = block_at(view.blocks, pointer)) under = {view.blocks.blocks[*block].model_input, view.blocks.blocks[*block].index};
    } else if (const auto node = node_at(diagram, pointer)) {
        under = {diagram.nodes[*node].model_input, diagram.nodes[*node].index};
    }
    // The repeat whose label is under the pointer (the graph style's); none: the repeats' count.
    const size_t repeat = blocks ? diagram.repeats.size() : repeat_label_at(diagram, pointer).value_or(diagram.repeats.size());
    const bool on_repeat = repeat < diagram.repeats.size();
    if (clicked) {
        if (on_repeat) {
            const size_t first = diagram.repeats[repeat].first_layer;
            const auto at = std::find(view.expanded.begin(), view.expanded.end(), first);
            if (at == view.expanded.end()) view.expanded.push_back(first);
            else view.expanded.erase(at);
            view.relayout = true;
            ui.wants_redraw = true;
        } else if (under && !under->first) {
            select_layer(ui, under->second);
            view.shown_selection = ui.selected; // it is on screen: where it was clicked
            if (ui.narrow && !ui.view.embed) ui.show_working_tab = true;
        }
    }
    if (ui.hover_tooltips && ImGui::IsItemHovered() && !ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
        if (under && under->first) {
            const ModelInput& input = state.analysis.inputs[under->second];
            ImGui::SetTooltip("Model input '%s': %s", input.name.c_str(), format_shape(input.shape).c_str());
        } else if (under) {
            explanation_tooltip(ui, state.analysis, state.analysis.layers[under->second]);
        } else if (on_repeat) {
            const DiagramRepeat& r = diagram.repeats[repeat];
            ImGui::SetTooltip("%s", cat(r.count, " copies of ", r.length, r.length == 1 ? " layer" : " layers", " in a row; click to ",
                                        r.expanded ? "draw them once" : "draw every copy").c_str());
        }
    }
    if (blocks) draw_blocks(view.blocks, ui, origin, view.zoom, selected_item);
    else draw_diagram(diagram, ui, origin, view.zoom, selected_item);
    ImGui::EndChild();
}

} // namespace netshape::ui
