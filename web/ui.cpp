// The ImGui front end: the entry point (draw), menus and shortcuts, notices, the text pane and
// the views. The design editor is in ui_editor.cpp, the summary in ui_summary.cpp, the diagram in
// ui_diagram.cpp, the embed dialog in ui_embed.cpp; what they share in ui_common.h. Index:
//   [SECTION] Sharing and export
//   [SECTION] Menu bar and shortcuts
//   [SECTION] Notices: a link that did not read
//   [SECTION] Text pane
//   [SECTION] Views: the full editor and the embed view
//   [SECTION] Style, and the one entry point: draw()
#include "ui.h"

#include "drawn_items.h"
#include "editing.h"
#include "ui_common.h"

#include "engine/tool_request.h"
#include "engine/export_table.h"
#include "engine/import_keras_code.h"
#include "engine/import_pytorch.h"
#include "engine/diagram_export.h"
#include "engine/json_format.h"
#include "engine/link_text.h"
#include "engine/report.h"
#include "engine/text.h"

#include <imgui.h>
#include <imgui_internal.h> // keyboard navigation's state, for the shortcuts
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <utility>

namespace netshape::ui {

namespace {

// The edit the frame asked for, applied once its widgets have drawn. Returns whether the design changed.
bool apply(app::AppState& state, FrameEdits edits) {
    if (edits.design) {
        app::set_design(state, std::move(*edits.design), edits.edit_key);
        return true;
    }
    if (edits.text) return app::edit_text(state, std::move(*edits.text));
    if (edits.load) return !app::load_text(state, *edits.load);
    if (edits.undo) return app::undo(state);
    if (edits.redo) return app::redo(state);
    return false;
}

// --------------------------------------------------------------------------------------------
// [SECTION] Sharing and export
// --------------------------------------------------------------------------------------------

// The full editor's link to this design, as it is now (an exercise's answers never go in a link).
std::string design_link(const app::AppState& state, const UiState& ui, const Platform& platform) {
    app::ViewOptions editor_view;
    editor_view.dark = ui.view.dark;
    editor_view.diagram_style = ui.view.diagram_style;
    return page_link(state, platform, editor_view);
}

std::string file_stem(const Architecture& design) {
    std::string stem;
    for (char c : design.name)
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
            stem += c;
        else if (!stem.empty() && stem.back() != '-')
            stem += '-';
    while (!stem.empty() && stem.back() == '-') stem.pop_back();
    return stem.empty() ? std::string("network") : stem;
}

std::string markdown_summary(const app::AppState& state, const UiState& ui) {
    ReportOptions options;
    options.memory = memory_options(ui);
    return format_markdown(state.analysis, options);
}

void share_menu_items(const app::AppState& state, UiState& ui, const Platform& platform) {
    if (ImGui::MenuItem("Copy link")) {
        platform.copy_text(design_link(state, ui, platform));
        notify(ui, "Link copied: it opens this design, recomputed in the reader's browser");
    }
    if (ImGui::MenuItem("Copy embed code")) {
        platform.copy_text(chosen_embed_code(state, ui, platform));
        notify(ui, "Embed code copied: paste it into a course page");
    }
    if (ImGui::MenuItem("Embed in a page...")) ui.embed_dialog_open = true;
    if (ImGui::MenuItem("Exercise...")) {
        ui.exercise_dialog_open = true;
        if (!ui.exercise_choice.quiz()) ui.exercise_choice.quiz_shape = ui.exercise_choice.quiz_params = true;
    }
    ImGui::Separator();
    // The summary as text would hold an exercise's open answers.
    ImGui::BeginDisabled(app::any_open(ui.quiz));
    if (ImGui::MenuItem("Copy summary as Markdown")) {
        platform.copy_text(markdown_summary(state, ui));
        notify(ui, "Summary copied as Markdown");
    }
    // The selected layer's working as text (the working pane has the same button).
    const bool has_selection = ui.selected && *ui.selected < state.analysis.layers.size();
    if (ImGui::MenuItem("Copy working of the selected layer", nullptr, false, has_selection))
        copy_working(state.analysis.layers[*ui.selected], ui, platform);
    if (ImGui::MenuItem("Download summary (.md)"))
        platform.download(cat(file_stem(state.design), ".md"), "text/markdown", markdown_summary(state, ui));
    if (ImGui::MenuItem("Download summary as CSV (.csv)"))
        platform.download(cat(file_stem(state.design), ".csv"), "text/csv", format_csv(state.analysis));
    if (ImGui::MenuItem("Download summary as LaTeX (.tex)"))
        platform.download(cat(file_stem(state.design), ".tex"), "application/x-tex", format_latex(state.analysis));
    // The code fills in in_features and the totals: an exercise's answers, so it waits like the summary.
    // A design is written in the framework whose conventions it follows.
    const bool keras = state.design.convention == Convention::keras;
    const char* framework = keras ? "Keras" : "PyTorch";
    const bool copy_code = ImGui::MenuItem(keras ? "Copy as Keras code" : "Copy as PyTorch code");
    const bool download_code = ImGui::MenuItem(keras ? "Download Keras code (.py)" : "Download PyTorch code (.py)");
    const bool download_json = keras && ImGui::MenuItem("Download Keras model (.json)");
    if (copy_code || download_code || download_json) {
        ToolRequest request;
        request.verb = download_json ? ToolVerb::keras_json : keras ? ToolVerb::keras_code : ToolVerb::pytorch_code;
        request.design = state.link_text;
        const ToolsUse use = copy_code ? ToolsUse::copy_code : download_code ? ToolsUse::download_code : ToolsUse::download_keras_json;
        ask_tools(ui, {use, encode_tool_request(request), framework,
                       cat(file_stem(state.design), download_json ? ".keras.json" : ".py")});
    }
    // What `netshape diagram` writes, in the Diagram tab's style: for slides. The SVG follows its
    // reader's light or dark setting; the PNG, a picture of it, is in the theme on screen.
    if (ImGui::MenuItem("Download diagram (.svg)"))
        platform.download(cat(file_stem(state.design), ".svg"), "image/svg+xml",
                          diagram_picture(state, ui, DiagramTheme::automatic).svg);
    if (ImGui::MenuItem("Download diagram (.png)")) {
        const DiagramPicture picture = diagram_picture(state, ui, ui.dark ? DiagramTheme::dark : DiagramTheme::light);
        if (const std::optional<PngSize> size = diagram_png_size(picture.width, picture.height))
            platform.download_png(cat(file_stem(state.design), ".png"), picture.svg, size->width, size->height);
        else
            notify(ui, cat("The diagram is too large for a PNG a browser can draw (", static_cast<int64_t>(std::lround(picture.width)), " × ",
                           static_cast<int64_t>(std::lround(picture.height)), " pixels): Download diagram (.svg) keeps all of it"));
    }
    ImGui::EndDisabled();
    if (ImGui::MenuItem("Download design (.json)"))
        platform.download(cat(file_stem(state.design), ".json"), "application/json",
                          architecture_to_json(state.design) + "\n");
    if (ImGui::MenuItem("Download design as link text (.txt)"))
        platform.download(cat(file_stem(state.design), ".txt"), "text/plain", app::current_hash(state) + "\n");
}

// --------------------------------------------------------------------------------------------
// [SECTION] Menu bar and shortcuts
// --------------------------------------------------------------------------------------------

// An empty design that asks for its input shape (one undo step: Ctrl+Z brings the old one back).
void start_new_design(const app::AppState& state, UiState& ui, FrameEdits& edits) {
    commit(edits, app::new_design(state.design.convention));
    ui.selected.reset();
    ui.focus_field = "input shape";
}

void convention_combo(app::AppState& state, UiState& ui, FrameEdits& edits) {
    const bool keras = state.design.convention == Convention::keras;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.5f);
    const bool open = ImGui::BeginCombo("##convention", keras ? "Keras" : "PyTorch");
    note_last_item("##convention");
    if (open) {
        for (Convention convention : {Convention::pytorch, Convention::keras}) {
            const bool current = convention == state.design.convention;
            if (ImGui::Selectable(convention == Convention::keras ? "Keras" : "PyTorch", current) && !current) {
                // The design is converted, not reinterpreted: image inputs move their channel axis.
                std::vector<std::string> notes;
                commit(edits, app::with_convention(state.design, convention, &notes));
                notify(ui, notes.empty() ? std::string("Convention switched; no shape needed moving")
                                         : cat("Converted: ", join(notes, "; ")));
            }
        }
        ImGui::EndCombo();
    }
    tooltip(ui, "Whose conventions count: PyTorch (samples [C, H, W]; batch-norm statistics are buffers) or Keras "
            "(samples [H, W, C]; moving statistics are non-trainable parameters; Keras's padding=\"same\").");
}

void help_text() {
    const bool mac = ImGui::GetIO().ConfigMacOSXBehaviors;
    const char* modifier = mac ? "Cmd" : "Ctrl";
    ImGui::TextDisabled("Everything is computed in your browser; the design lives in the link.");
    ImGui::Separator();
    const std::string keys[][2] = {
        {cat(modifier, "+Z / ", modifier, "+Shift+Z"), "undo / redo any edit"},
        {"Up / Down", "select the previous / next layer"},
        {"Alt+Up / Alt+Down", "move the selected layer"},
        {"Delete", "remove the selected layer (what read it reads its input)"},
        {cat(modifier, "+D"), "duplicate the selected layer"},
        {"A, or + Add layer", "search by type, PyTorch or Keras name; Up/Down, Enter"},
        {"conv2d(6,5)+relu", "typed into the palette, Enter inserts it as written"},
        {"Tab / Shift+Tab", "the next / previous field box"},
        {cat(modifier, "+Alt+N"), "a new, empty design"},
        {"Alt", "the menu bar; then arrows, Space, Escape"},
        {"Drag a layer", "reorder the list"},
        {"Hover a row", "the working: formulas with the numbers substituted"},
        {"Right-click a header", "hide or show summary columns"},
        {"Click a total's label", "what it means, in the glossary"},
    };
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_SizingFixedFit)) {
        for (const auto& [key, what] : keys) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            text(key);
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", what.c_str());
        }
        ImGui::EndTable();
    }
    ImGui::Separator();
    ImGui::TextDisabled("Field boxes take 3, 3x3, [3, 3] or same; an empty box means the default.");
    ImGui::TextDisabled("The Text tab is the link text: ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)/...");
}

bool notice_showing(UiState& ui);

void menu_bar(app::AppState& state, UiState& ui, const Platform& platform, FrameEdits& edits) {
    if (!ImGui::BeginMenuBar()) return;
    if (!ui.narrow) { // a phone's width is needed for the menus and the convention
        ImGui::TextUnformatted("netshape");
        ImGui::Separator();
    }
    if (ImGui::BeginMenu("Presets")) {
        for (const Preset& preset : ui.presets)
            if (ImGui::MenuItem(preset.title.c_str()) && !edits.any()) {
                edits.load = preset.link_text;
                ui.selected.reset();
            }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Edit")) {
        if (ImGui::MenuItem("New design", ImGui::GetIO().ConfigMacOSXBehaviors ? "Cmd+Alt+N" : "Ctrl+Alt+N"))
            start_new_design(state, ui, edits);
        ImGui::Separator();
        const char* undo_keys = ImGui::GetIO().ConfigMacOSXBehaviors ? "Cmd+Z" : "Ctrl+Z";
        const char* redo_keys = ImGui::GetIO().ConfigMacOSXBehaviors ? "Cmd+Shift+Z" : "Ctrl+Shift+Z";
        if (ImGui::MenuItem("Undo", undo_keys, false, !state.undo_stack.empty())) edits.undo = true;
        if (ImGui::MenuItem("Redo", redo_keys, false, !state.redo_stack.empty())) edits.redo = true;
        ImGui::Separator();
        // A checked table shows the right values an exercise's open answers keep hidden.
        if (ImGui::MenuItem("Check a table...", nullptr, false, !app::any_open(ui.quiz))) ui.check_dialog_open = true;
        if (ImGui::MenuItem("Import a model...")) ui.import_dialog_open = true;
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Share")) {
        if (platform.prepare_tools) platform.prepare_tools(); // the code exports need them: fetched while the menu is read
        share_menu_items(state, ui, platform);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        if (ImGui::MenuItem("Dark theme", nullptr, ui.dark)) {
            ui.dark = !ui.dark;
            ui.view.dark = ui.dark;
            ui.theme_changed = true;
        }
        if (ImGui::MenuItem("Full formulas", nullptr, ui.full_formulas)) ui.full_formulas = !ui.full_formulas;
        // The Diagram tab's style (its switch is above the picture too); the link keeps it (diagram=blocks).
        const bool blocks = ui.view.diagram_style == app::DiagramStyle::blocks;
        if (ImGui::MenuItem("Diagram as blocks", nullptr, blocks, diagram_offered(ui))) {
            choose_diagram_style(ui, blocks ? app::DiagramStyle::graph : app::DiagramStyle::blocks);
        }
        tooltip(ui, "The feature maps as blocks sized by C×H×W, each kernel drawn between them, as the LeNet and "
                    "AlexNet figures draw them; a design of vectors stays a graph");
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Help")) {
        if (ImGui::MenuItem("Glossary")) open_glossary(ui, "");
        ImGui::Separator();
        help_text();
        ImGui::EndMenu();
    }
    ImGui::Separator();
    convention_combo(state, ui, edits);
    if (!ui.narrow && notice_showing(ui)) {
        ImGui::Separator();
        ImGui::TextDisabled("%s", ui.notice.c_str());
    }
    ImGui::EndMenuBar();
}

// Whether the notice ("Link copied") is up; it asks for the frame that takes it down.
bool notice_showing(UiState& ui) {
    if (ui.notice.empty() || ImGui::GetTime() >= ui.notice_until) {
        ui.notice.clear();
        return false;
    }
    ui.wants_redraw = true; // to take the notice down when its time is up
    return true;
}

// Undo and redo anywhere; layer keys when no text box has the keyboard.
void shortcuts(app::AppState& state, UiState& ui, FrameEdits& edits) {
    const ImGuiIO& io = ImGui::GetIO();
    if (shortcut_modifier() && !io.WantTextInput) {
        if (letter_pressed('Z')) (io.KeyShift ? edits.redo : edits.undo) = true;
        if (letter_pressed('Y')) edits.redo = true;
        if (io.KeyAlt && letter_pressed('N')) start_new_design(state, ui, edits);
    }
    if (io.WantTextInput || state.design.layers.empty()) return;
    // Keyboard navigation is on (apply_style): in the menus and popups the arrows are theirs; in
    // the window Up/Down select layers, and ImGui's own move and Alt's menu toggle are cancelled.
    const ImGuiContext& context = *ImGui::GetCurrentContext();
    if (ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId) || context.NavLayer == ImGuiNavLayer_Menu) return;
    const bool arrow = key_pressed(ImGuiKey_DownArrow) || key_pressed(ImGuiKey_UpArrow);
    if (arrow) {
        ImGui::NavMoveRequestCancel();
        if (io.KeyAlt) GImGui->NavWindowingToggleLayer = false;
    }
    const size_t count = state.design.layers.size();
    const size_t at = std::min(ui.selected.value_or(0), count - 1);
    if (!ui.selected) {
        if (arrow) select_layer(ui, 0);
        return;
    }
    if (io.KeyAlt && key_pressed(ImGuiKey_UpArrow) && at > 0) {
        commit(edits, app::with_layer_moved(state.design, at, at - 1));
        select_layer(ui, at - 1);
    } else if (io.KeyAlt && key_pressed(ImGuiKey_DownArrow) && at + 1 < count) {
        commit(edits, app::with_layer_moved(state.design, at, at + 1));
        select_layer(ui, at + 1);
    } else if (key_pressed(ImGuiKey_UpArrow) && at > 0) {
        select_layer(ui, at - 1);
    } else if (key_pressed(ImGuiKey_DownArrow) && at + 1 < count) {
        select_layer(ui, at + 1);
    } else if (key_pressed(ImGuiKey_Delete)) {
        commit(edits, app::with_layer_removed(state.design, at));
        if (state.design.layers.empty()) ui.selected.reset();
        else select_layer(ui, std::min(at, state.design.layers.size() - 1));
    } else if (shortcut_modifier() && letter_pressed('D')) {
        commit(edits, app::with_layer_duplicated(state.design, at));
        select_layer(ui, at + 1);
    }
}

// --------------------------------------------------------------------------------------------
// [SECTION] Notices: a link that did not read
// --------------------------------------------------------------------------------------------

// Where a 1-based character column falls in a text of several lines: the line and the column in it.
struct LinePosition {
    std::string_view line;
    size_t line_number = 1;
    size_t column = 1;
};

LinePosition locate(std::string_view text, size_t column) {
    size_t line_start = 0, line_number = 1, characters = 0, in_line = 1;
    for (size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
        if (++characters == column) break;
        if (text[i] == '\n') {
            line_start = i + 1;
            ++line_number;
            in_line = 1;
        } else {
            ++in_line;
        }
    }
    const size_t line_end = std::min(text.find('\n', line_start), text.size());
    return {text.substr(line_start, line_end - line_start), line_number, in_line};
}

// The line at fault with a caret under the column. caret_display pads the caret with a space a
// character, for a terminal; the font here is proportional, so the caret goes under the middle of
// its character by measuring the text before it.
void caret_lines(const UiState& ui, std::string_view full_text, size_t column) {
    const LinePosition position = locate(full_text, column);
    with_font(ui.fonts.mono, [&] {
        const std::string shown = caret_display(position.line, position.column);
        const size_t newline = shown.rfind('\n');
        const std::string_view line = std::string_view(shown).substr(0, newline);
        const size_t before = shown.size() - newline - 2; // the spaces ahead of '^': characters of the line
        size_t at = 0; // the byte where the character under the caret starts
        for (size_t seen = 0; at < line.size(); ++at)
            if ((static_cast<unsigned char>(line[at]) & 0xC0) != 0x80 && seen++ == before) break;
        size_t after = at + 1; // and where it ends
        while (after < line.size() && (static_cast<unsigned char>(line[after]) & 0xC0) == 0x80) ++after;
        const float x = ImGui::GetCursorPosX() + ImGui::CalcTextSize(line.data(), line.data() + at).x;
        const float under = at < line.size() ? ImGui::CalcTextSize(line.data() + at, line.data() + after).x
                                              : ImGui::CalcTextSize(" ").x;
        ImGui::PushStyleColor(ImGuiCol_Text, error_color(ui));
        text(line);
        ImGui::SetCursorPosX(x + (under - ImGui::CalcTextSize("^").x) / 2);
        text("^");
        ImGui::PopStyleColor();
    });
}

// `show_text_tab`: set when the person chose to fix the text (null where no text pane is shown).
void hash_error_notice(app::AppState& state, UiState& ui, bool* show_text_tab) {
    if (!state.hash_error) return;
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ui.dark ? ImVec4(0.35f, 0.08f, 0.08f, 0.6f) : ImVec4(1.0f, 0.9f, 0.88f, 1.0f));
    const float height = ImGui::GetFrameHeightWithSpacing() * 4.2f;
    ImGui::BeginChild("hash error", ImVec2(0, height), true, ImGuiWindowFlags_HorizontalScrollbar);
    error_text(ui, cat("The design in this link could not be read (column ", state.hash_error->column,
                       "): ", state.hash_error->message, ". The design shown is the one you had."));
    caret_lines(ui, state.rejected_hash, state.hash_error->column);
    if (show_text_tab && ImGui::Button("Fix it in the text pane")) {
        state.text = state.rejected_hash;
        state.text_error = state.hash_error;
        state.hash_error.reset();
        state.rejected_hash.clear();
        *show_text_tab = true;
    }
    if (show_text_tab) ImGui::SameLine();
    if (ImGui::Button("Dismiss")) {
        state.hash_error.reset();
        state.rejected_hash.clear();
        state.hash_outdated = true; // the address bar shows the design again
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
}

// --------------------------------------------------------------------------------------------
// [SECTION] Text pane
// --------------------------------------------------------------------------------------------

void text_pane(app::AppState& state, UiState& ui, FrameEdits& edits, float height) {
    with_font(ui.fonts.mono, [&] {
        // ImGui edits the pane's text in place; edit_text then reads it (no copy on frames without typing).
        if (ImGui::InputTextMultiline("##text", &state.text, ImVec2(-FLT_MIN, height)))
            if (!edits.any()) edits.text = state.text;
    });
    if (state.text_error) {
        // Pasted from a notebook: offer to read it as what it is, before the link text's error.
        const char* offer = looks_like_pytorch_print(state.text)                  ? "This is PyTorch's print(model): import it..."
                            : state.text.find("nn.Sequential(") != std::string::npos ? "This is PyTorch code: import its nn.Sequential..."
                            : state.text.find("\"class_name\"") != std::string::npos ? "This is a Keras model's JSON: import it..."
                            : looks_like_json(state.text)                             ? "This is a design's JSON: open it..."
                            : looks_like_keras_code(state.text)                       ? "This is Keras code: import its model..."
                                                                                      : nullptr;
        if (offer) {
            if (ImGui::Button(offer)) {
                ui.import_text = state.text;
                ui.import_dialog_open = true;
            }
            note_last_item(offer);
        }
        const LinePosition position = locate(state.text, state.text_error->column);
        error_text(ui, cat("Line ", position.line_number, ", column ", position.column, ": ", state.text_error->message,
                           ". The summary shows the last design that read."));
        caret_lines(ui, state.text, state.text_error->column);
    } else {
        ImGui::TextDisabled("The link text: one layer per line; the link holds the same on one line.");
    }
}

// --------------------------------------------------------------------------------------------
// [SECTION] Views: the full editor and the embed view
// --------------------------------------------------------------------------------------------

// A tab of a tab bar, reported to widgets() (ImGui 1.86 reports tabs before laying them out).
bool tab(const char* label, bool select = false) {
    const bool open = ImGui::BeginTabItem(label, nullptr, select ? ImGuiTabItemFlags_SetSelected : 0);
    note_last_item(label);
    return open;
}

// The design's two editors, as tabs: the layers with their fields, and the link text.
void editor_tabs(app::AppState& state, UiState& ui, FrameEdits& edits, bool show_text_tab) {
    if (!ImGui::BeginTabBar("editors")) return;
    if (tab("Layers")) {
        design_editor(state, ui, edits, false);
        ImGui::EndTabItem();
    }
    if (tab("Text", show_text_tab)) {
        text_pane(state, ui, edits, ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() * 3.5f);
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
}

// The summary table, and the diagram in a tab beside it (opened first by ?view=diagram or both).
void table_or_diagram(app::AppState& state, UiState& ui, float height) {
    if (!diagram_offered(ui) || !ImGui::BeginTabBar("summary views")) {
        summary_table(state, ui, height);
        return;
    }
    const bool open_diagram = ui.view.panes != app::SummaryPanes::table && !std::exchange(ui.diagram.tab_opened, true);
    const float below_tabs = height - ImGui::GetFrameHeightWithSpacing();
    if (tab("Table")) {
        summary_table(state, ui, below_tabs);
        ImGui::EndTabItem();
    }
    if (tab("Diagram", open_diagram)) {
        diagram_pane(state, ui, below_tabs);
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
}

// Phones, tablets upright, zoomed-in laptops: one column, switched by tabs at the top. The summary
// comes first (what a student opening a course link came for): the totals, then the table in the
// rest of the screen; a tap on a row opens its working; the editor last.
void narrow_view(app::AppState& state, UiState& ui, const Platform& platform, FrameEdits& edits) {
    menu_bar(state, ui, platform, edits);
    if (notice_showing(ui)) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextDisabled("%s", ui.notice.c_str());
        ImGui::PopTextWrapPos();
    }
    bool show_text_tab = false;
    hash_error_notice(state, ui, &show_text_tab);
    if (!ImGui::BeginTabBar("narrow", ImGuiTabBarFlags_FittingPolicyResizeDown)) return;
    const bool show_working = std::exchange(ui.show_working_tab, false);
    if (tab("Summary")) {
        ImGui::BeginChild("summary pane");
        summary_with_totals(state, ui, ImGui::GetContentRegionAvail().y);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    if (diagram_offered(ui) && tab("Diagram", ui.view.panes != app::SummaryPanes::table && !std::exchange(ui.diagram.tab_opened, true))) {
        diagram_pane(state, ui, ImGui::GetContentRegionAvail().y);
        ImGui::EndTabItem();
    }
    if (tab("Working", show_working)) {
        ImGui::BeginChild("working pane");
        working(state, ui, platform);
        ImGui::EndChild();
        ImGui::EndTabItem();
    }
    if (tab("Editor", show_text_tab)) {
        editor_tabs(state, ui, edits, show_text_tab);
        ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
}

void full_view(app::AppState& state, UiState& ui, const Platform& platform, FrameEdits& edits) {
    menu_bar(state, ui, platform, edits);
    bool show_text_tab = false;
    hash_error_notice(state, ui, &show_text_tab);
    if (!ImGui::BeginTable("layout", 2, ImGuiTableFlags_Resizable | ImGuiTableFlags_BordersInnerV, ImGui::GetContentRegionAvail()))
        return;
    ImGui::TableSetupColumn("design", ImGuiTableColumnFlags_WidthStretch, 0.38f);
    ImGui::TableSetupColumn("summary", ImGuiTableColumnFlags_WidthStretch, 0.62f);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::BeginChild("left");
    editor_tabs(state, ui, edits, show_text_tab);
    ImGui::EndChild();

    ImGui::TableNextColumn();
    ImGui::BeginChild("right");
    quiz_progress(state, ui);
    const float table_height = std::max(ImGui::GetFontSize() * 8.0f, ImGui::GetContentRegionAvail().y * 0.56f);
    table_or_diagram(state, ui, table_height);
    if (ImGui::BeginTable("below", 2, ImGuiTableFlags_Resizable | ImGuiTableFlags_BordersInnerV, ImGui::GetContentRegionAvail())) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::BeginChild("totals", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
        totals(state, ui, true);
        ImGui::EndChild();
        ImGui::TableNextColumn();
        ImGui::BeginChild("working"); // its lines wrap: a formula's result is never cut off
        working(state, ui, platform);
        ImGui::EndChild();
        ImGui::EndTable();
    }
    ImGui::EndChild();
    ImGui::EndTable();
}

} // namespace

std::string page_link(const app::AppState& state, const Platform& platform, const app::ViewOptions& view) {
    return cat(platform.page_url(), app::view_query(view), "#", app::current_hash(state));
}

// Compact, for an iframe in course material: the title, the summary and the totals; the text or
// the editor only when the link allows it. Its height is measured for the page's frame.
void embed_view(app::AppState& state, UiState& ui, const Platform& platform, FrameEdits& edits) {
    const float top = ImGui::GetCursorPosY();
    const std::string heading = state.design.name.empty() ? std::string("Network") : state.design.name;
    text(heading);
    ImGui::SameLine();
    ImGui::TextDisabled("%s", state.design.convention == Convention::keras ? "Keras" : "PyTorch");
    ImGui::SameLine();
    const char* open_label = "Open in netshape";
    const float button_width = ImGui::CalcTextSize(open_label).x + ImGui::GetStyle().FramePadding.x * 2.0f;
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - button_width));
    if (ImGui::Button(open_label)) platform.open_url(design_link(state, ui, platform));
    tooltip(ui, "The full editor in a new tab, with this design");

    bool fix_in_text = false;
    hash_error_notice(state, ui, ui.view.allow_edit && !ui.view.show_editor ? &fix_in_text : nullptr);
    if (ui.view.show_editor) {
        convention_combo(state, ui, edits);
        design_editor(state, ui, edits, true);
    } else if (ui.view.allow_edit) {
        text_pane(state, ui, edits, ImGui::GetTextLineHeight() * 6.0f);
    }
    // The totals first, then the table: a frame left at the embed code's default height (a course
    // platform that strips the resizing script) shows the totals, and the table scrolls inside it.
    // ?view=diagram or both: the diagram, a fixed height, instead of the table or under it.
    const bool diagram = ui.view.panes != app::SummaryPanes::table && diagram_offered(ui);
    const float diagram_height = diagram ? ImGui::GetFontSize() * 30.0f : 0.0f;
    const float table_top = ImGui::GetCursorPosY();
    const float whole_table = ui.view.panes == app::SummaryPanes::diagram && diagram
                                  ? 0.0f
                                  : summary_with_totals(state, ui, ImGui::GetContentRegionAvail().y - diagram_height);
    if (diagram) diagram_pane(state, ui, diagram_height);
    ui.content_height = table_top + whole_table + diagram_height - top + ImGui::GetStyle().WindowPadding.y * 2.0f;
}

// --------------------------------------------------------------------------------------------
// [SECTION] Style, and the one entry point: draw()
// --------------------------------------------------------------------------------------------

void theme_colors(ImGuiStyle& style, bool dark) {
    if (dark) ImGui::StyleColorsDark(&style);
    else ImGui::StyleColorsLight(&style);
    // Hints, shapes in the layer list and disabled items are read, not decoration: at least 4.5:1
    // against every background they sit on (WCAG AA), in both themes (ImGui's are about 2.5:1).
    style.Colors[ImGuiCol_TextDisabled] = dark ? ImVec4(0.68f, 0.68f, 0.68f, 1.0f) : ImVec4(0.32f, 0.32f, 0.32f, 1.0f);
}

void apply_style(UiState& ui) {
    if (!ui.theme_changed) return;
    ui.theme_changed = false;
    // Every widget and menu can be reached from the keyboard (Alt: the menu bar; arrows, Space,
    // Enter, Escape; Tab between boxes), with ImGui's focus ring on the item.
    ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    ImGuiStyle& style = ImGui::GetStyle();
    style = ImGuiStyle();
    theme_colors(style, ui.dark);
    style.WindowRounding = 0.0f;
    style.FrameRounding = 3.0f;
    style.GrabRounding = 3.0f;
    style.PopupRounding = 3.0f;
    style.CellPadding = ImVec2(6.0f, 3.0f);
    style.ScaleAllSizes(ui.fonts.scale);
}

bool draw(app::AppState& state, UiState& ui, const Platform& platform) {
    FrameEdits edits;
    ui.wants_redraw = false;
    ui.diagram.hovered = false; // until the diagram is drawn under the pointer
    ui.diagram.pane_min.reset(); // and where, once it is drawn
    ui.diagram.pane_max.reset();
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    // Laid out at least this big, and clipped by a smaller canvas (a frame a page made 1 px
    // high): ImGui's tables cannot lay out in less.
    const float least = ui.fonts.scale > 0.0f ? ui.fonts.scale : 1.0f;
    ImGui::SetNextWindowSize(ImVec2(std::max(io.DisplaySize.x, 320.0f * least), std::max(io.DisplaySize.y, 240.0f * least)));
    ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                             ImGuiWindowFlags_NoBringToFrontOnFocus;
    if (!ui.view.embed) flags |= ImGuiWindowFlags_MenuBar;
    ImGui::Begin("netshape", nullptr, flags);
    app::sync_quiz(ui.quiz, ui.view, state); // a new design: the exercise's cells follow it
    ui.narrow = io.DisplaySize.x / least < kNarrowWidth;
    if (!ui.view.embed || ui.view.allow_edit) shortcuts(state, ui, edits);
    if (ui.view.embed) embed_view(state, ui, platform, edits);
    else if (ui.narrow) narrow_view(state, ui, platform, edits);
    else full_view(state, ui, platform, edits);
    ImGui::End();
    if (!ui.view.embed) {
        embed_dialog(state, ui, platform);
        check_table_dialog(state, ui);
        import_dialog(ui, platform);
        exercise_dialog(state, ui, platform);
    }
    glossary_window(ui);
    serve_pending_tools(ui, platform, edits);
    const bool changed = apply(state, std::move(edits));
    if (ui.selected && *ui.selected >= state.design.layers.size()) ui.selected.reset();
    return changed;
}

} // namespace netshape::ui
