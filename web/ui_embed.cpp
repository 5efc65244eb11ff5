// Share > Embed in a page…: what a teacher pastes into course material. Who may edit, the theme,
// the table or the diagram (and its style), which columns, the frame's height, the code itself, and a live preview of the embed as
// a reader will see it (the same embed view, drawn in a child window in the chosen theme).
#include "ui_common.h"

#include "drawn_items.h"

#include "engine/text.h"

#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>

namespace netshape::ui {

app::ViewOptions chosen_embed(const UiState& ui) {
    app::ViewOptions options = ui.embed_choice;
    options.embed = true;
    switch (ui.embed_theme) {
    case EmbedTheme::current: options.dark = ui.dark; break;
    case EmbedTheme::light: options.dark = false; break;
    case EmbedTheme::dark: options.dark = true; break;
    case EmbedTheme::reader_system: options.dark.reset(); break;
    }
    return options;
}

std::string chosen_embed_code(const app::AppState& state, const UiState& ui, const Platform& platform) {
    return app::embed_code(platform.page_url(), chosen_embed(ui), app::current_hash(state), state.design.name,
                           ui.embed_height);
}

namespace {

// A radio button reported to widgets() (the browser tests find it by its label).
bool radio(const char* label, bool active) {
    const bool pressed = ImGui::RadioButton(label, active);
    note_last_item(label);
    return pressed;
}

void who_may_edit(UiState& ui) {
    app::ViewOptions& choice = ui.embed_choice;
    ImGui::TextDisabled("Readers can");
    if (radio("only read it", !choice.allow_edit)) choice.allow_edit = choice.show_editor = false;
    ImGui::SameLine();
    if (radio("edit its text", choice.allow_edit && !choice.show_editor)) {
        choice.allow_edit = true;
        choice.show_editor = false;
    }
    ImGui::SameLine();
    if (radio("use the layer editor", choice.show_editor)) choice.allow_edit = choice.show_editor = true;
}

void theme_choice(UiState& ui) {
    ImGui::TextDisabled("Theme");
    const std::string current = cat("as now (", ui.dark ? "dark" : "light", ")");
    const std::pair<EmbedTheme, const char*> themes[] = {{EmbedTheme::current, current.c_str()},
                                                         {EmbedTheme::light, "light"},
                                                         {EmbedTheme::dark, "dark"},
                                                         {EmbedTheme::reader_system, "the reader's system setting"}};
    for (const auto& [theme, label] : themes) {
        if (theme != EmbedTheme::current) ImGui::SameLine();
        if (radio(label, ui.embed_theme == theme)) ui.embed_theme = theme;
    }
}

// The table, the diagram or both, and the diagram's style: a course page about an architecture's
// shape may want its picture rather than its numbers.
void shows_choice(UiState& ui) {
    app::ViewOptions& choice = ui.embed_choice;
    ImGui::TextDisabled("Shows");
    const std::pair<app::SummaryPanes, const char*> panes[] = {{app::SummaryPanes::table, "the table"},
                                                               {app::SummaryPanes::diagram, "the diagram"},
                                                               {app::SummaryPanes::both, "both"}};
    for (const auto& [shown, label] : panes) {
        ImGui::SameLine();
        if (radio(label, choice.panes == shown)) choice.panes = shown;
    }
    if (choice.panes == app::SummaryPanes::table) return;
    ImGui::TextDisabled("Diagram as");
    ImGui::SameLine();
    if (radio("a graph", choice.diagram_style == app::DiagramStyle::graph)) choice.diagram_style = app::DiagramStyle::graph;
    ImGui::SameLine();
    if (radio("blocks", choice.diagram_style == app::DiagramStyle::blocks)) choice.diagram_style = app::DiagramStyle::blocks;
}

void height_choice(UiState& ui) {
    ImGui::TextDisabled("Height");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.0f);
    if (ImGui::InputInt("##embed height", &ui.embed_height, 0))
        ui.embed_height = std::clamp(ui.embed_height, app::kLeastEmbedHeight, app::kMostEmbedHeight);
    note_last_item("##embed height");
    ImGui::SameLine();
    ImGui::TextDisabled("CSS px");
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("With the code's script the frame grows to fit every row. Pages that strip scripts keep "
                        "this height: the totals show first and the table scrolls inside.");
    ImGui::PopTextWrapPos();
}

void columns_choice(UiState& ui) {
    ImGui::TextDisabled("Columns");
    std::vector<std::string>& hidden = ui.embed_choice.hidden_columns;
    bool first = true;
    for (std::string_view column : app::kHideableColumns) {
        const std::string label = std::string(summary_column_heading(column));
        // On the same line while there is room (a phone puts them under each other).
        const float width = ImGui::GetFrameHeight() + ImGui::GetStyle().ItemInnerSpacing.x + ImGui::CalcTextSize(label.c_str()).x;
        if (!first && ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width <=
                          ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x)
            ImGui::SameLine();
        first = false;
        bool shown = !ui.embed_choice.hides(column);
        if (ImGui::Checkbox(label.c_str(), &shown)) {
            if (shown) hidden.erase(std::remove(hidden.begin(), hidden.end(), column), hidden.end());
            else hidden.emplace_back(column);
        }
        note_last_item(label.c_str());
    }
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("Under %d CSS px (a phone) the table starts with Layer, Output shape and Params; readers add "
                        "the others with Columns.", static_cast<int>(kNarrowWidth));
    ImGui::PopTextWrapPos();
}

void code_and_copy(const app::AppState& state, UiState& ui, const Platform& platform) {
    std::string code = chosen_embed_code(state, ui, platform);
    if (ImGui::Button("Copy embed code##dialog")) {
        platform.copy_text(code);
        notify(ui, "Embed code copied: paste it into a course page");
    }
    note_last_item("Copy embed code##dialog");
    ImGui::SameLine();
    ImGui::TextDisabled("%zu characters", code.size());
    ImGui::InputTextMultiline("##embed code", &code, ImVec2(-1.0f, ImGui::GetTextLineHeight() * 4.5f),
                              ImGuiInputTextFlags_ReadOnly);
}

// The embed view as a reader will see it: the chosen theme's colours pushed for the child window,
// the chosen columns and editing, at the chosen height and a chosen page width.
void preview(app::AppState& state, UiState& ui, const Platform& platform) {
    ImGui::TextDisabled("Preview at");
    const std::pair<int, const char*> widths[] = {{390, "phone (390 px)"}, {720, "course column (720 px)"}, {1000, "wide (1000 px)"}};
    for (const auto& [width, label] : widths) {
        ImGui::SameLine();
        if (radio(label, ui.embed_preview_width == width)) ui.embed_preview_width = width;
    }
    const float scale = ui.fonts.scale > 0.0f ? ui.fonts.scale : 1.0f;
    const ImVec2 size(std::min(ImGui::GetContentRegionAvail().x, static_cast<float>(ui.embed_preview_width) * scale),
                      static_cast<float>(ui.embed_height) * scale);

    // A copy of the UI state as the embed would have it: what the preview's table keeps between
    // frames (widths, selection) stays in the copy and never reaches the editor.
    UiState reader = ui;
    reader.view = chosen_embed(ui);
    reader.narrow = size.x / scale < kNarrowWidth;
    reader.dark = reader.view.dark.value_or(ui.dark);
    ImGuiStyle theme = ImGui::GetStyle();
    theme_colors(theme, reader.dark);
    for (int colour = 0; colour < ImGuiCol_COUNT; ++colour) ImGui::PushStyleColor(colour, theme.Colors[colour]);
    ImGui::PushStyleColor(ImGuiCol_ChildBg, theme.Colors[ImGuiCol_WindowBg]); // the frame's own background
    // A new child (and table) when the columns change: a table keeps which columns show.
    ImGui::BeginChild(ImGui::GetID(app::view_query(reader.view).c_str()), size, true);
    FrameEdits ignored; // the preview is read: nothing in it edits the design
    embed_view(state, reader, platform, ignored);
    ImGui::EndChild();
    ImGui::PopStyleColor(ImGuiCol_COUNT + 1);
}

} // namespace

void embed_dialog(app::AppState& state, UiState& ui, const Platform& platform) {
    if (!ui.embed_dialog_open || !begin_dialog("Embed in a page", ui.embed_dialog_open)) return;
    who_may_edit(ui);
    theme_choice(ui);
    shows_choice(ui);
    if (ui.embed_choice.panes != app::SummaryPanes::diagram) columns_choice(ui); // the table's columns
    height_choice(ui);
    ImGui::Separator();
    code_and_copy(state, ui, platform);
    ImGui::Separator();
    preview(state, ui, platform);
    ImGui::End();
}

} // namespace netshape::ui
