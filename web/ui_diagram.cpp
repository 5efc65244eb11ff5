// The diagram: the layout of engine/diagram_layout.h (the same the CLI's SVG draws) drawn with
// ImGui's draw list inside a scrolling child, only what is on screen. The child's own scrolling
// pans it (wheel, scrollbars, a finger through the glue); a mouse drag pans too; Ctrl+wheel and a
// trackpad's pinch (which browsers send as Ctrl+wheel; the glue hands it over) zoom around the
// pointer. A click selects the layer in the table and the working; hover shows its working.
#include "drawn_items.h"
#include "ui_common.h"

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

} // namespace

bool diagram_offered(const UiState& ui) { return !ui.view.quiz(); }

void diagram_pane(const app::AppState& state, UiState& ui, float height) {
    DiagramView& view = ui.diagram;
    refresh_layout(state, view);
    const Diagram& diagram = view.layout;
    const ImGuiIO& io = ImGui::GetIO();

    // The toolbar.
    bool fit_whole = ImGui::SmallButton("Fit to view");
    note_last_item("Fit to view");
    tooltip(ui, "The whole network in the pane");
    float wanted_zoom = view.zoom;
    ImGui::SameLine();
    if (ImGui::SmallButton("-")) wanted_zoom /= 1.25f;
    ImGui::SameLine();
    if (ImGui::SmallButton("+")) wanted_zoom *= 1.25f;
    ImGui::SameLine();
    ImGui::TextDisabled("%d %%  drag to move, Ctrl+wheel or pinch to zoom", static_cast<int>(std::lround(view.zoom * 100)));

    const ImVec2 pane(ImGui::GetContentRegionAvail().x, std::max(height - ImGui::GetFrameHeightWithSpacing(), ImGui::GetFontSize() * 6));
    const ImVec2 room(pane.x - ImGui::GetStyle().ScrollbarSize, pane.y - ImGui::GetStyle().ScrollbarSize);
    if (view.fit || fit_whole) {
        // A new design fits the pane's width (a deep network then scrolls down); "Fit to view" the whole.
        const float across = room.x / std::max(diagram.width, 1.0f), down = room.y / std::max(diagram.height, 1.0f);
        wanted_zoom = fit_whole ? std::min(across, down) : std::min(across, 1.0f);
    }
    wanted_zoom = std::clamp(wanted_zoom, kLeastZoom, kMostZoom);

    ImGui::SetNextWindowContentSize(ImVec2(diagram.width * wanted_zoom, diagram.height * wanted_zoom));
    ImGui::PushStyleColor(ImGuiCol_ChildBg, colour(diagram_colours(ui.dark).background));
    ImGui::BeginChild("diagram", pane, true, ImGuiWindowFlags_HorizontalScrollbar | ImGuiWindowFlags_NoNav);
    ImGui::PopStyleColor();
    view.hovered = ImGui::IsWindowHovered();
    ImVec2 origin = ImGui::GetCursorScreenPos();
    ImVec2 scroll(ImGui::GetScrollX(), ImGui::GetScrollY());

    // Zoom by Ctrl+wheel or pinch about the pointer, by the buttons about the pane's centre.
    const float wheel = view.hovered ? view.zoom_wheel + (io.KeyCtrl ? io.MouseWheel : 0.0f) : 0.0f;
    view.zoom_wheel = 0.0f;
    if (wheel != 0.0f) wanted_zoom = std::clamp(view.zoom * std::pow(1.15f, wheel), kLeastZoom, kMostZoom);
    if (view.fit || fit_whole) {
        scroll = ImVec2(0, 0);
        origin = ImGui::GetCursorScreenPos() + ImVec2(ImGui::GetScrollX(), ImGui::GetScrollY());
    } else if (wanted_zoom != view.zoom) {
        const ImVec2 window_centre = ImGui::GetWindowPos() + ImGui::GetWindowSize() * 0.5f;
        const ImVec2 about = wheel != 0.0f ? io.MousePos : window_centre;
        const ImVec2 point = (about - origin) / view.zoom; // stays under `about`
        const ImVec2 new_origin = about - point * wanted_zoom;
        scroll = scroll + (origin - new_origin);
        origin = new_origin;
    }
    if (view.fit || fit_whole || wanted_zoom != view.zoom) {
        ImGui::SetScrollX(std::max(0.0f, scroll.x));
        ImGui::SetScrollY(std::max(0.0f, scroll.y));
        ui.wants_redraw = true; // the scroll takes effect in the next frame
    }
    view.fit = false;
    view.zoom = wanted_zoom;

    // A selection made elsewhere (the table, the editor) brings its box into view.
    const std::optional<size_t> selected_node =
        ui.selected && *ui.selected < diagram.node_of_layer.size() ? std::optional(diagram.node_of_layer[*ui.selected]) : std::nullopt;
    if (ui.selected != view.shown_selection) {
        view.shown_selection = ui.selected;
        if (selected_node) {
            const DiagramBox& box = diagram.nodes[*selected_node].box;
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
    ImGui::InvisibleButton("diagram canvas", ImVec2(std::max(diagram.width * view.zoom, 1.0f), std::max(diagram.height * view.zoom, 1.0f)));
    note_last_item("diagram canvas");
    // A click is a press and release that did not move (a drag pans instead).
    const bool clicked = ImGui::IsItemDeactivated() && io.MouseDragMaxDistanceSqr[0] < 16.0f;
    if (ImGui::IsItemActive() && ImGui::IsMouseDragging(ImGuiMouseButton_Left, 4.0f)) {
        ImGui::SetScrollX(ImGui::GetScrollX() - io.MouseDelta.x);
        ImGui::SetScrollY(ImGui::GetScrollY() - io.MouseDelta.y);
    }
    const ImVec2 pointer = (io.MousePos - origin) / view.zoom;
    if (clicked) {
        if (const auto repeat = repeat_label_at(diagram, pointer)) {
            const size_t first = diagram.repeats[*repeat].first_layer;
            const auto at = std::find(view.expanded.begin(), view.expanded.end(), first);
            if (at == view.expanded.end()) view.expanded.push_back(first);
            else view.expanded.erase(at);
            view.relayout = true;
            ui.wants_redraw = true;
        } else if (const auto node = node_at(diagram, pointer); node && !diagram.nodes[*node].model_input) {
            select_layer(ui, diagram.nodes[*node].index);
            view.shown_selection = ui.selected; // it is on screen: where it was clicked
            if (ui.narrow && !ui.view.embed) ui.show_working_tab = true;
        }
    }
    if (ui.hover_tooltips && ImGui::IsItemHovered() && !ImGui::IsMouseDragging(ImGuiMouseButton_Left)) {
        if (const auto node = node_at(diagram, pointer)) {
            const DiagramNode& hovered = diagram.nodes[*node];
            if (hovered.model_input) ImGui::SetTooltip("Model input '%s': %s", state.analysis.inputs[hovered.index].name.c_str(), hovered.shape.c_str());
            else explanation_tooltip(ui, state.analysis, state.analysis.layers[hovered.index]);
        } else if (const auto repeat = repeat_label_at(diagram, pointer)) {
            const DiagramRepeat& r = diagram.repeats[*repeat];
            ImGui::SetTooltip("%s", cat(r.count, " copies of ", r.length, r.length == 1 ? " layer" : " layers", " in a row; click to ",
                                        r.expanded ? "draw them once" : "draw every copy").c_str());
        }
    }
    draw_diagram(diagram, ui, origin, view.zoom, selected_node);
    ImGui::EndChild();
}

} // namespace netshape::ui
