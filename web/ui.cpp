// The ImGui front end. Index:
//   [SECTION] Helpers
//   [SECTION] Sharing and export
//   [SECTION] Menu bar and shortcuts
//   [SECTION] Notices: a link that did not read
//   [SECTION] Design editor: header, inputs, layer list, palette, fields
//   [SECTION] Text pane
//   [SECTION] Summary table
//   [SECTION] Working and totals
//   [SECTION] Views: the full editor and the embed view
//   [SECTION] Style, and the one entry point: draw()
#include "ui.h"

#include "drawn_items.h"
#include "editing.h"
#include "engine/catalog.h"
#include "engine/json_format.h"
#include "engine/memory.h"
#include "engine/report.h"
#include "engine/text.h"

#include <imgui.h>
#include <imgui_internal.h> // the summary table's column widths (ImGuiTable), TableSetColumnWidth
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>
#include <cstring>

namespace netshape::ui {

namespace {

// --------------------------------------------------------------------------------------------
// [SECTION] Helpers
// --------------------------------------------------------------------------------------------

// What the widgets of one frame asked to change. The whole frame draws from the state as it was;
// the change is applied after the last widget (apply, from draw): nothing drawn ever holds a
// reference into a design or an analysis that was replaced under it.
struct FrameEdits {
    std::optional<Architecture> design; // an edit of the design
    std::string edit_key;               // see app::set_design
    std::optional<std::string> text;    // the text pane's new text
    std::optional<std::string> load;    // a whole design as text (a preset)
    bool undo = false;
    bool redo = false;

    bool any() const { return design || text || load || undo || redo; }
};

bool apply(app::AppState& state, UiState& ui, FrameEdits edits) {
    if (edits.design) {
        app::set_design(state, std::move(*edits.design), edits.edit_key);
        return true;
    }
    if (edits.text) return app::edit_text(state, std::move(*edits.text));
    if (edits.load) return !app::load_text(state, *edits.load);
    if (edits.undo) return app::undo(state);
    if (edits.redo) return app::redo(state);
    (void)ui;
    return false;
}

void text(std::string_view line) { ImGui::TextUnformatted(line.data(), line.data() + line.size()); }

ImVec4 error_color(const UiState& ui) { return ui.dark ? ImVec4(1.0f, 0.45f, 0.42f, 1.0f) : ImVec4(0.75f, 0.1f, 0.08f, 1.0f); }

void error_text(const UiState& ui, std::string_view message) {
    ImGui::PushStyleColor(ImGuiCol_Text, error_color(ui));
    ImGui::PushTextWrapPos(0.0f);
    text(message);
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

// Text flush right in the current table cell (numbers line up by their last digit).
void right_aligned(std::string_view line) {
    const float width = ImGui::CalcTextSize(line.data(), line.data() + line.size()).x;
    const float room = ImGui::GetContentRegionAvail().x;
    if (room > width) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + room - width);
    text(line);
}

void with_font(ImFont* font, auto&& draw_contents) {
    if (font) ImGui::PushFont(font);
    draw_contents();
    if (font) ImGui::PopFont();
}

// Whether a block `height` high at the cursor, as wide as the room, would show. A scrolling table
// laid out wholly outside its window trips ImGui 1.86's tables (they skip items while thinking
// their columns visible): such a table is left out and its room kept.
bool on_screen(float height) {
    const ImVec2 size(ImGui::GetContentRegionAvail().x, height);
    const ImVec2 top_left = ImGui::GetCursorScreenPos();
    // The window's clip rectangle, which a canvas smaller than the window (see draw) can leave
    // empty, even inverted: IsRectVisible alone would call a block inside it visible.
    const ImVec2 clip_min = ImGui::GetWindowDrawList()->GetClipRectMin();
    const ImVec2 clip_max = ImGui::GetWindowDrawList()->GetClipRectMax();
    const bool visible = clip_min.x < clip_max.x && clip_min.y < clip_max.y && top_left.x < clip_max.x &&
                         top_left.y < clip_max.y && top_left.x + size.x > clip_min.x && top_left.y + size.y > clip_min.y;
    if (visible) return true;
    ImGui::Dummy(size);
    return false;
}

// `line` as it fits in `width`: whole, or cut with "…" at the end.
std::string fitted_text(const std::string& line, float width) {
    if (ImGui::CalcTextSize(line.c_str()).x <= width) return line;
    const char* ellipsis = "…";
    const float room = width - ImGui::CalcTextSize(ellipsis).x;
    size_t keep = line.size();
    while (keep > 0 && ImGui::CalcTextSize(line.data(), line.data() + keep).x > room) --keep;
    while (keep > 0 && (static_cast<unsigned char>(line[keep]) & 0xC0) == 0x80) --keep; // whole UTF-8 characters
    return line.substr(0, keep) + ellipsis;
}

void tooltip(std::string_view message) {
    if (!ImGui::IsItemHovered()) return;
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
    text(message);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

void notify(UiState& ui, std::string message) {
    ui.notice = std::move(message);
    ui.notice_until = ImGui::GetTime() + 2.5;
}

// Asks for an edit: one undo step (or part of the step `edit_key` is grouping), applied when the
// frame's widgets have drawn. The first edit of a frame wins (a frame delivers one input event to
// one widget; a second would be based on the design the first replaced).
void commit(FrameEdits& edits, Architecture design, std::string_view edit_key = {}) {
    if (edits.any()) return;
    edits.design = std::move(design);
    edits.edit_key = edit_key;
}

bool shortcut_modifier() {
    const ImGuiIO& io = ImGui::GetIO();
    return io.ConfigMacOSXBehaviors ? io.KeySuper : io.KeyCtrl;
}

bool key_pressed(ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key)); }

// The GLFW backend indexes keys by GLFW key code, which for letters is the upper-case ASCII code.
bool letter_pressed(char upper_case_letter) { return ImGui::IsKeyPressed(upper_case_letter, false); }

MemoryOptions memory_options(const UiState& ui) {
    MemoryOptions options;
    options.batch_size = std::max(1, ui.batch_size);
    options.optimizer = static_cast<Optimizer>(std::clamp(ui.optimizer, 0, 2));
    options.dtype = static_cast<DType>(std::clamp(ui.dtype, 0, 3));
    return options;
}

// Gives the keyboard to the next widget when it is the one `ui.focus_field` names (a layer was
// just inserted, a new design asks for its input shape).
void take_focus(UiState& ui, std::string_view field) {
    if (ui.focus_field.empty() || ui.focus_field != field) return;
    ImGui::SetKeyboardFocusHere();
    ui.focus_field.clear();
}

void select_layer(UiState& ui, size_t index) {
    ui.selected = index;
    ui.scroll_to_selected = true;
}

// --------------------------------------------------------------------------------------------
// [SECTION] Sharing and export
// --------------------------------------------------------------------------------------------

// The full editor's link to this design, as it is now.
std::string design_link(const app::AppState& state, const UiState& ui, const Platform& platform) {
    app::ViewOptions editor_view;
    editor_view.dark = ui.view.dark;
    return cat(platform.page_url(), app::view_query(editor_view), "#", app::current_hash(state));
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
        platform.copy_text(app::embed_code(platform.page_url(), ui.embed_choice, app::current_hash(state), state.design.name));
        notify(ui, "Embed code copied: paste it into a course page");
    }
    if (ImGui::BeginMenu("Embed options")) {
        ImGui::TextDisabled("The embedded view is read-only unless:");
        if (ImGui::MenuItem("Its text can be edited", nullptr, ui.embed_choice.allow_edit && !ui.embed_choice.show_editor)) {
            ui.embed_choice.allow_edit = !(ui.embed_choice.allow_edit && !ui.embed_choice.show_editor);
            ui.embed_choice.show_editor = false;
        }
        if (ImGui::MenuItem("It shows the layer editor", nullptr, ui.embed_choice.show_editor)) {
            ui.embed_choice.show_editor = !ui.embed_choice.show_editor;
            ui.embed_choice.allow_edit = ui.embed_choice.show_editor;
        }
        ImGui::Separator();
        ImGui::TextDisabled("Columns: the summary table's own (right-click its header to hide some).");
        ImGui::EndMenu();
    }
    ImGui::Separator();
    if (ImGui::MenuItem("Copy summary as Markdown")) {
        platform.copy_text(markdown_summary(state, ui));
        notify(ui, "Summary copied as Markdown");
    }
    if (ImGui::MenuItem("Download summary (.md)"))
        platform.download(cat(file_stem(state.design), ".md"), "text/markdown", markdown_summary(state, ui));
    if (ImGui::MenuItem("Download design (.json)"))
        platform.download(cat(file_stem(state.design), ".json"), "application/json",
                          architecture_to_json(state.design).dump(2) + "\n");
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
    tooltip("Whose conventions count: PyTorch (samples [C, H, W]; batch-norm statistics are buffers) or Keras "
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

void menu_bar(app::AppState& state, UiState& ui, const Platform& platform, FrameEdits& edits) {
    if (!ImGui::BeginMenuBar()) return;
    ImGui::TextUnformatted("netshape");
    ImGui::Separator();
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
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Share")) {
        share_menu_items(state, ui, platform);
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("View")) {
        if (ImGui::MenuItem("Dark theme", nullptr, ui.dark)) {
            ui.dark = !ui.dark;
            ui.view.dark = ui.dark;
            ui.theme_changed = true;
        }
        ImGui::EndMenu();
    }
    if (ImGui::BeginMenu("Help")) {
        help_text();
        ImGui::EndMenu();
    }
    ImGui::Separator();
    convention_combo(state, ui, edits);
    if (!ui.notice.empty() && ImGui::GetTime() < ui.notice_until) {
        ImGui::Separator();
        ImGui::TextDisabled("%s", ui.notice.c_str());
        ui.wants_redraw = true; // to take the notice down when its time is up
    } else {
        ui.notice.clear();
    }
    ImGui::EndMenuBar();
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

// The line at fault with a caret under the column, in the monospaced font.
void caret_lines(const UiState& ui, std::string_view full_text, size_t column) {
    const LinePosition position = locate(full_text, column);
    with_font(ui.fonts.mono, [&] {
        const std::string shown = caret_display(position.line, position.column);
        ImGui::PushStyleColor(ImGuiCol_Text, error_color(ui));
        text(shown);
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
// [SECTION] Design editor: header, inputs, layer list, palette, fields
// --------------------------------------------------------------------------------------------

void field_error_under(const UiState& ui, std::string_view id) {
    if (ui.field_error_id == id && !ui.field_error.empty()) error_text(ui, ui.field_error);
}

void design_header(app::AppState& state, UiState& ui, FrameEdits& edits) {
    std::string title = state.design.name;
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (ImGui::InputTextWithHint("##title", "Title (optional)", &title)) {
        Architecture design = state.design;
        design.name = title;
        commit(edits, std::move(design), "title");
    }

    const bool keras = state.design.convention == Convention::keras;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(state.design.inputs.size() > 1 ? "Inputs" : "Input");
    tooltip(state.design.convention == Convention::keras
                ? "One sample's shape, no batch dimension, channels last: 28x28x1"
                : "One sample's shape, no batch dimension, channels first: 1x28x28");
    for (size_t i = 0; i < state.design.inputs.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        const ModelInput& input = state.design.inputs[i];
        const std::string id = cat("inputs[", i, "]");
        if (state.design.inputs.size() > 1) {
            std::string name = input.name;
            ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.0f);
            if (ImGui::InputTextWithHint("##input name", "name", &name)) {
                // Layers that read the input read it under its new name.
                app::Edited edited = app::with_input_renamed(state.design, i, name);
                if (edited.refused.empty()) {
                    commit(edits, std::move(edited.design), cat(id, ".name"));
                    ui.field_error.clear();
                } else {
                    ui.field_error = std::move(edited.refused);
                    ui.field_error_id = id;
                }
            }
            ImGui::SameLine();
        }
        std::string shape = app::shape_text(input.shape);
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9.0f);
        take_focus(ui, "input shape");
        if (ImGui::InputTextWithHint("##input shape", keras ? "e.g. 28x28x1" : "e.g. 1x28x28", &shape)) {
            std::string error;
            if (std::optional<Shape> parsed = app::parse_shape_text(shape, error)) {
                Architecture design = state.design;
                design.inputs[i].shape = *parsed;
                commit(edits, std::move(design), cat(id, ".shape"));
                ui.field_error.clear();
            } else {
                ui.field_error = error;
                ui.field_error_id = id;
            }
        }
        if (state.design.inputs.size() > 1) {
            ImGui::SameLine();
            if (ImGui::SmallButton("Remove")) {
                Architecture design = state.design;
                design.inputs.erase(design.inputs.begin() + static_cast<ptrdiff_t>(i));
                commit(edits, std::move(design));
                ImGui::PopID();
                break;
            }
        }
        field_error_under(ui, id);
        if (const std::string hint = app::layout_hint(input.shape, state.design.convention); !hint.empty()) {
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextDisabled("%s", hint.c_str());
            ImGui::PopTextWrapPos();
        }
        ImGui::PopID();
    }
    if (state.design.inputs.empty()) {
        // A new design: its input shape is the first thing to give. The same ID as the box of
        // input 0 above, so the box keeps the keyboard once the first character makes the input.
        ImGui::PushID(0);
        std::string shape;
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9.0f);
        take_focus(ui, "input shape");
        if (ImGui::InputTextWithHint("##input shape", keras ? "e.g. 28x28x1" : "e.g. 1x28x28", &shape)) {
            std::string error;
            if (std::optional<Shape> parsed = app::parse_shape_text(shape, error)) {
                Architecture design = state.design;
                design.inputs.push_back({std::string(kDefaultInputName), *parsed});
                commit(edits, std::move(design), "inputs[0].shape");
                ui.field_error.clear();
            } else {
                ui.field_error = error;
                ui.field_error_id = "inputs[0]";
            }
        }
        field_error_under(ui, "inputs[0]");
        ImGui::PopID();
    }
    if (ImGui::SmallButton("+ input")) {
        Architecture design = state.design;
        ModelInput input = design.inputs.empty() ? ModelInput{std::string(kDefaultInputName), {1}} : design.inputs.back();
        input.name = cat("input", design.inputs.size() + 1);
        design.inputs.push_back(std::move(input));
        commit(edits, std::move(design));
    }
    tooltip("Another model input: layers read it by name in their \"inputs\"");
}

bool kind_matches(const LayerKind& kind, const std::string& filter) {
    if (filter.empty()) return true;
    for (std::string_view haystack : {kind.type, kind.pytorch_class, kind.keras_class, kind.category})
        if (lowercase(haystack).find(filter) != std::string::npos) return true;
    return false;
}

// "Add layer": a searchable list of every kind, grouped by category; Up/Down move the highlight
// among the matches, Enter takes it, a click takes any.
void layer_palette(app::AppState& state, UiState& ui, FrameEdits& edits) {
    if (!ImGui::BeginPopup("palette")) return;
    if (ui.focus_palette_filter) {
        ImGui::SetKeyboardFocusHere();
        ui.focus_palette_filter = false;
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 18.0f);
    const std::string previous_filter = ui.palette_filter;
    const bool enter = ImGui::InputTextWithHint("##filter", "Search: conv, Dense, pool…", &ui.palette_filter,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    // Up/Down move the highlight while the search box keeps the keyboard, not ImGui's navigation.
    if (ImGui::IsItemActive()) GImGui->ActiveIdUsingNavDirMask |= (1 << ImGuiDir_Up) | (1 << ImGuiDir_Down);
    if (ui.palette_filter != previous_filter) ui.palette_cursor = 0;
    const size_t insert_at = ui.selected ? *ui.selected + 1 : state.design.layers.size();

    // A layer written as link text ("conv2d(6,5)+relu", "2*(linear(64)/relu)"): Enter inserts it.
    if (ui.palette_filter.find_first_of("(+*/=@") != std::string::npos) {
        std::string error;
        std::vector<LayerSpec> layers = app::layers_from_text(ui.palette_filter, error);
        if (error.empty()) {
            ImGui::TextDisabled("Enter inserts %zu layer%s as written", layers.size(), layers.size() == 1 ? "" : "s");
            if (enter) {
                const size_t inserted = layers.size();
                commit(edits, app::with_layers_inserted(state.design, insert_at, std::move(layers)));
                select_layer(ui, insert_at + inserted - 1);
                ui.palette_filter.clear();
                ImGui::CloseCurrentPopup();
            }
        } else {
            error_text(ui, error);
        }
        ImGui::EndPopup();
        return;
    }
    const std::string filter = lowercase(ui.palette_filter);
    std::vector<const LayerKind*> matches;
    for (const LayerKind& kind : catalog())
        if (kind_matches(kind, filter)) matches.push_back(&kind);
    const int count = static_cast<int>(matches.size());
    if (key_pressed(ImGuiKey_DownArrow)) ui.palette_cursor = std::min(ui.palette_cursor + 1, count - 1);
    if (key_pressed(ImGuiKey_UpArrow)) ui.palette_cursor = std::max(ui.palette_cursor - 1, 0);
    ui.palette_cursor = std::clamp(ui.palette_cursor, 0, std::max(count - 1, 0));

    const LayerKind* picked = enter && count > 0 ? matches[static_cast<size_t>(ui.palette_cursor)] : nullptr;
    ImGui::BeginChild("kinds", ImVec2(ImGui::GetFontSize() * 24.0f, ImGui::GetFontSize() * 20.0f));
    if (count == 0) ImGui::TextDisabled("No layer type matches.");
    std::string_view category;
    for (int i = 0; i < count; ++i) {
        const LayerKind& kind = *matches[static_cast<size_t>(i)];
        if (kind.category != category) {
            category = kind.category;
            ImGui::TextDisabled("%.*s", static_cast<int>(category.size()), category.data());
        }
        const std::string label = cat("  ", kind.type, "  (", kind.class_name(state.design.convention), ")");
        const bool highlighted = i == ui.palette_cursor;
        if (ImGui::Selectable(label.c_str(), highlighted)) picked = &kind;
        if (highlighted && (key_pressed(ImGuiKey_DownArrow) || key_pressed(ImGuiKey_UpArrow))) ImGui::SetScrollHereY();
        tooltip(kind.doc);
    }
    ImGui::EndChild();
    if (picked) {
        commit(edits, app::with_layer_inserted(state.design, insert_at, picked->type));
        select_layer(ui, insert_at);
        // Its first required field takes the keyboard: type the value, Tab to the next.
        for (const FieldSpec& field : picked->fields)
            if (field.required) {
                ui.focus_field = cat("field:", field.name);
                break;
            }
        ui.palette_filter.clear();
        ui.palette_cursor = 0;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

void layer_toolbar(app::AppState& state, UiState& ui, FrameEdits& edits) {
    const ImGuiIO& io = ImGui::GetIO();
    const bool add_key = !io.WantTextInput && !io.KeyCtrl && !io.KeyAlt && !io.KeySuper && letter_pressed('A');
    if (ImGui::Button("+ Add layer") || add_key) {
        ImGui::OpenPopup("palette");
        ui.focus_palette_filter = true;
    }
    tooltip(ui.selected ? "Insert after the selected layer" : "Append at the end");
    layer_palette(state, ui, edits);
    if (!ui.selected || *ui.selected >= state.design.layers.size()) return;
    const size_t at = *ui.selected;
    ImGui::SameLine();
    if (ImGui::Button("Duplicate")) {
        commit(edits, app::with_layer_duplicated(state.design, at));
        select_layer(ui, at + 1);
    }
    tooltip(ImGui::GetIO().ConfigMacOSXBehaviors ? "Cmd+D" : "Ctrl+D");
    ImGui::SameLine();
    if (ImGui::Button("Remove")) {
        commit(edits, app::with_layer_removed(state.design, at));
        if (state.design.layers.empty()) ui.selected.reset();
        else ui.selected = std::min(at, state.design.layers.size() - 1);
    }
    tooltip("Delete. Layers that read it read what it read instead.");
    ImGui::SameLine();
    ImGui::BeginDisabled(at == 0);
    if (ImGui::ArrowButton("up", ImGuiDir_Up)) {
        commit(edits, app::with_layer_moved(state.design, at, at - 1));
        ui.selected = at - 1;
    }
    ImGui::EndDisabled();
    tooltip("Move up (Alt+Up); or drag the layer in the list");
    ImGui::SameLine();
    ImGui::BeginDisabled(at + 1 >= state.design.layers.size());
    if (ImGui::ArrowButton("down", ImGuiDir_Down)) {
        commit(edits, app::with_layer_moved(state.design, at, at + 1));
        ui.selected = at + 1;
    }
    ImGui::EndDisabled();
    tooltip("Move down (Alt+Down)");
}

// The layers, in order: click to select, drag to reorder.
void layer_list(app::AppState& state, UiState& ui, FrameEdits& edits, float height) {
    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter;
    if (!on_screen(height)) return;
    if (!ImGui::BeginTable("layer list", 2, flags, ImVec2(0, height))) return;
    ImGui::TableSetupColumn("layer", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("shape", ImGuiTableColumnFlags_WidthFixed);
    const std::vector<LayerResult>& layers = state.analysis.layers;
    std::optional<std::pair<size_t, size_t>> move;
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(layers.size()));
    if (ui.scroll_to_selected && ui.selected) clipper.ForceDisplayRangeByIndices(static_cast<int>(*ui.selected), static_cast<int>(*ui.selected) + 1);
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const size_t i = static_cast<size_t>(row);
            const LayerResult& layer = layers[i];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(row);
            const bool is_selected = ui.selected == i;
            const std::string label = cat(i + 1, "  ", layer_label(layer));
            if (layer.status == LayerStatus::error) ImGui::PushStyleColor(ImGuiCol_Text, error_color(ui));
            if (ImGui::Selectable(label.c_str(), is_selected, ImGuiSelectableFlags_SpanAllColumns)) ui.selected = i;
            if (layer.status == LayerStatus::error) ImGui::PopStyleColor();
            if (is_selected && ui.scroll_to_selected) {
                ImGui::SetScrollHereY(0.5f);
            }
            if (ImGui::BeginDragDropSource()) {
                const int payload = row;
                ImGui::SetDragDropPayload("netshape layer", &payload, sizeof payload);
                text(label);
                ImGui::EndDragDropSource();
            }
            if (ImGui::BeginDragDropTarget()) {
                if (const ImGuiPayload* payload = ImGui::AcceptDragDropPayload("netshape layer"))
                    move = std::pair{static_cast<size_t>(*static_cast<const int*>(payload->Data)), i};
                ImGui::EndDragDropTarget();
            }
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", output_shape_text(layer).c_str());
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
    ui.scroll_to_selected = false;
    if (move && move->first != move->second) {
        commit(edits, app::with_layer_moved(state.design, move->first, move->second));
        ui.selected = move->second;
    }
}

// One field's widget: a checkbox, a list of choices, or a text box that takes what people type.
void field_widget(app::AppState& state, UiState& ui, FrameEdits& edits, size_t index, const FieldSpec& spec) {
    const LayerSpec& layer = state.design.layers[index];
    const FieldValue* given = layer.find(spec.name);
    const std::string id = cat("layers[", index, "].", spec.name);
    // In Keras's words under Keras (filters, units, strides); the link and the JSON keep one name.
    const std::string label(spec.name_in(state.design.convention));
    const std::string widget = cat("##", spec.name); // unique in the fields table, and what tests find it by
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    text(label);
    tooltip(cat(spec.doc, " (", field_type_name(spec.type), label != spec.name ? cat("; in the link and JSON: ", spec.name) : std::string(), ")"));
    ImGui::TableNextColumn();
    ImGui::SetNextItemWidth(-FLT_MIN);
    auto apply = [&](FieldValue value) {
        Architecture design = state.design;
        app::set_field(design.layers[index], spec.name, std::move(value));
        commit(edits, std::move(design), id);
    };
    if (spec.type == FieldType::boolean) {
        bool value = given && std::holds_alternative<bool>(*given) ? std::get<bool>(*given)
                     : std::holds_alternative<bool>(spec.default_value) ? std::get<bool>(spec.default_value)
                                                                          : false;
        if (ImGui::Checkbox(widget.c_str(), &value)) apply(value);
    } else if (spec.type == FieldType::choice) {
        const std::string current = given ? app::field_text(*given) : cat(app::field_text(spec.default_value), " (default)");
        const bool open = ImGui::BeginCombo(widget.c_str(), current.c_str());
        note_last_item(widget.c_str());
        if (open) {
            if (ImGui::Selectable(cat(app::field_text(spec.default_value), " (default)").c_str(), !given))
                apply(std::monostate{});
            for (std::string_view choice : spec.choices)
                if (ImGui::Selectable(std::string(choice).c_str(), given && app::field_text(*given) == choice))
                    apply(std::string(choice));
            ImGui::EndCombo();
        }
    } else {
        std::string value = given ? app::field_text(*given) : std::string();
        const std::string default_value = app::field_text(spec.default_value);
        const std::string hint = spec.required                   ? std::string("required")
                                 : !spec.default_text.empty()     ? cat("default: ", spec.default_text)
                                 : !default_value.empty()         ? cat("default: ", default_value)
                                                                  : std::string("optional");
        take_focus(ui, cat("field:", spec.name));
        if (ImGui::InputTextWithHint(widget.c_str(), hint.c_str(), &value)) {
            app::FieldParse parsed = app::parse_field_text(spec, value);
            if (parsed.error.empty()) {
                apply(std::move(parsed.value));
                ui.field_error.clear();
            } else {
                ui.field_error = parsed.error;
                ui.field_error_id = id;
            }
        }
        if (ImGui::IsItemDeactivated() && ui.field_error_id == id) ui.field_error.clear();
        field_error_under(ui, id);
    }
}

// A text box for one of the fields every layer has (name, inputs, shares). `edit` makes the
// design with what was typed, or refuses it: the reason shows under the box and nothing changes
// (the box keeps what was typed while it has the keyboard).
void common_text_field(app::AppState& state, UiState& ui, FrameEdits& edits, size_t index, const char* label,
                       const std::string& hint, std::string value, auto&& edit) {
    const std::string id = cat("layers[", index, "].", label);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(label);
    ImGui::TableNextColumn();
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (ImGui::InputTextWithHint(cat("##", label).c_str(), hint.c_str(), &value)) {
        app::Edited edited = edit(state.design, value);
        if (edited.refused.empty()) {
            commit(edits, std::move(edited.design), id);
            ui.field_error.clear();
        } else {
            ui.field_error = std::move(edited.refused);
            ui.field_error_id = id;
        }
    }
    if (ImGui::IsItemDeactivated() && ui.field_error_id == id) ui.field_error.clear();
    field_error_under(ui, id);
}

std::vector<std::string> split_names(const std::string& text) {
    std::vector<std::string> names;
    std::string current;
    for (char c : text + ",") {
        if (c == ',' || c == ' ') {
            if (!current.empty()) names.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    return names;
}

void activation_combo(app::AppState& state, FrameEdits& edits, size_t index) {
    const LayerSpec& layer = state.design.layers[index];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("activation");
    tooltip("Applied after the layer, as Keras's activation= argument (no parameters)");
    ImGui::TableNextColumn();
    ImGui::SetNextItemWidth(-FLT_MIN);
    const bool open = ImGui::BeginCombo("##activation", layer.activation.empty() ? "none" : layer.activation.c_str());
    note_last_item("##activation");
    if (!open) return;
    auto set = [&](std::string activation) {
        Architecture design = state.design;
        design.layers[index].activation = std::move(activation);
        commit(edits, std::move(design));
    };
    if (ImGui::Selectable("none", layer.activation.empty())) set({});
    for (const LayerKind& kind : catalog())
        if (is_activation(kind) && ImGui::Selectable(std::string(kind.type).c_str(), layer.activation == kind.type))
            set(std::string(kind.type));
    ImGui::EndCombo();
}

void layer_fields(app::AppState& state, UiState& ui, FrameEdits& edits) {
    if (!ui.selected || *ui.selected >= state.design.layers.size()) {
        ImGui::TextDisabled("Select a layer to edit its fields.");
        return;
    }
    const size_t index = *ui.selected;
    const LayerSpec& layer = state.design.layers[index];
    const LayerResult& result = state.analysis.layers[index];
    const LayerKind* kind = find_kind(layer.type);
    text(layer_label(result));
    if (kind) tooltip(kind->doc);
    if (!ImGui::BeginTable("fields", 2, ImGuiTableFlags_SizingStretchProp)) return;
    ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
    // Renaming rewrites every reference to the layer; what it reads is kept by identity too.
    common_text_field(state, ui, edits, index, "name", cat(result.name, " (default)"), layer.name,
                      [&](const Architecture& design, const std::string& value) {
                          return app::with_layer_renamed(design, index, value);
                      });
    common_text_field(state, ui, edits, index, "inputs", "the previous layer", join(layer.inputs, ", "),
                      [&](const Architecture& design, const std::string& value) {
                          return app::with_layer_inputs(design, index, split_names(value));
                      });
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Names of the layers or model inputs it reads, comma-separated");
    if (!layer.shares.empty())
        common_text_field(state, ui, edits, index, "shares", "", layer.shares,
                          [&](const Architecture& design, const std::string& value) {
                              app::Edited edited{design, {}};
                              if (value == result.name) edited.refused = "a layer cannot share its own weights";
                              else edited.refused = name_problem(value);
                              if (edited.refused.empty()) edited.design.layers[index].shares = value;
                              return edited;
                          });
    if (kind) {
        if (!is_activation(*kind)) activation_combo(state, edits, index);
        for (const FieldSpec& spec : kind->fields) field_widget(state, ui, edits, index, spec);
    }
    ImGui::EndTable();
    if (result.status == LayerStatus::error) error_text(ui, result.error);
}

// `fit_content`: sized by what it shows, never by the window (the embed view, whose frame takes
// the content's height: a size from the window would grow the frame, which grows the window…).
void design_editor(app::AppState& state, UiState& ui, FrameEdits& edits, bool fit_content = false) {
    design_header(state, ui, edits);
    ImGui::Separator();
    layer_toolbar(state, ui, edits);
    const float row = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2.0f;
    const float list_height =
        fit_content ? row * static_cast<float>(std::clamp<size_t>(state.design.layers.size(), 1, 10)) + row * 0.5f
                    : std::max(ImGui::GetFontSize() * 8.0f, ImGui::GetContentRegionAvail().y * 0.45f);
    layer_list(state, ui, edits, list_height);
    ImGui::Separator();
    if (fit_content) {
        layer_fields(state, ui, edits);
        return;
    }
    ImGui::BeginChild("fields pane");
    layer_fields(state, ui, edits);
    ImGui::EndChild();
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
        const LinePosition position = locate(state.text, state.text_error->column);
        error_text(ui, cat("Line ", position.line_number, ", column ", position.column, ": ", state.text_error->message,
                           ". The summary shows the last design that read."));
        caret_lines(ui, state.text, state.text_error->column);
    } else {
        ImGui::TextDisabled("The link text: one layer per line; the link holds the same on one line.");
    }
}

// --------------------------------------------------------------------------------------------
// [SECTION] Summary table
// --------------------------------------------------------------------------------------------

struct SummaryColumn {
    const char* heading;
    std::string_view view_name; // as hide= names it
    bool numeric;
};

constexpr SummaryColumn kSummaryColumns[] = {
    {"Layer", "", false},          {"Type", "type", false},      {"Output shape", "shape", false},
    {"Params", "params", true},    {"Trainable", "trainable", true}, {"Non-trainable", "non_trainable", true},
    {"MACs", "macs", true},
};

std::string number_cell(const LayerResult& layer, int64_t value) {
    return layer.status == LayerStatus::ok ? with_thousands(value) : std::string("--");
}

std::string type_cell(const LayerResult& layer) {
    std::string cell = layer.class_name.empty() ? layer.type : layer.class_name;
    if (!layer.activation.empty()) cell += cat(" + ", layer.activation);
    if (!layer.shares.empty()) cell += cat(" (shares ", layer.shares, ")");
    return cell;
}

void explanation_tooltip(const UiState& ui, const LayerResult& layer) {
    ImGui::BeginTooltip();
    text(layer_label(layer));
    if (layer.status == LayerStatus::error) error_text(ui, layer.error);
    with_font(ui.fonts.mono, [&] {
        if (!layer.weights.empty()) text(cat("weights: ", describe_weights(layer)));
        for (const std::string& line : layer.explain) text(line);
    });
    ImGui::EndTooltip();
}

std::string macs_cell(const LayerResult& layer) {
    return layer.status != LayerStatus::ok ? std::string("--") : layer.macs ? with_thousands(*layer.macs) : std::string("n/a");
}

// The width each summary column needs for its widest value over all rows (not only the rows on
// screen), measured once per design and font. A huge design measures its longest texts only.
void fit_summary_columns(const app::AppState& state, UiState& ui) {
    if (ui.summary_fit_revision == state.revision && ui.summary_fit_font == ImGui::GetFontSize()) return;
    ui.summary_fit_revision = state.revision;
    ui.summary_fit_font = ImGui::GetFontSize();
    const Analysis& analysis = state.analysis;
    constexpr size_t kColumns = IM_ARRAYSIZE(kSummaryColumns);
    constexpr size_t kMeasured = 256; // longest texts measured per column
    for (size_t column = 0; column < kColumns; ++column) {
        auto cell = [&](const LayerResult& layer) -> std::string {
            const bool invalid = layer.status == LayerStatus::error;
            switch (column) {
            case 0: return layer.name;
            case 1: return type_cell(layer);
            case 2: return invalid ? layer.error : output_shape_text(layer);
            case 3: return number_cell(layer, layer.params);
            case 4: return number_cell(layer, layer.trainable_params);
            case 5: return number_cell(layer, layer.non_trainable_params);
            default: return macs_cell(layer);
            }
        };
        std::vector<std::pair<size_t, std::string>> texts; // (length, text), longest first
        texts.emplace_back(std::strlen(kSummaryColumns[column].heading), kSummaryColumns[column].heading);
        for (const ModelInput& input : analysis.inputs)
            texts.emplace_back(0, column == 0 ? input.name : column == 2 ? format_shape(input.shape) : std::string("Input"));
        for (const LayerResult& layer : analysis.layers) {
            std::string value = cell(layer);
            texts.emplace_back(value.size(), std::move(value));
        }
        for (auto& [length, value] : texts) length = value.size();
        if (texts.size() > kMeasured) {
            std::nth_element(texts.begin(), texts.begin() + kMeasured, texts.end(),
                             [](const auto& a, const auto& b) { return a.first > b.first; });
            texts.resize(kMeasured);
        }
        float widest = 0.0f;
        for (const auto& [length, value] : texts) widest = std::max(widest, ImGui::CalcTextSize(value.c_str()).x);
        // An error message is long: the shape column shows it in full only on hover.
        if (column == 2) widest = std::min(widest, ImGui::GetFontSize() * 28.0f);
        ui.summary_fit[column] = std::ceil(widest) + 1.0f;
    }
    ui.summary_refit = true;
}

// `height` > 0: scroll inside it (the editor); 0: as tall as every row (the embed view, whose
// frame takes the content's height; narrower than the table, it scrolls sideways).
void summary_table(app::AppState& state, UiState& ui, float height) {
    const Analysis& analysis = state.analysis;
    fit_summary_columns(state, ui);
    ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_BordersV |
                            ImGuiTableFlags_Resizable | ImGuiTableFlags_Hideable | ImGuiTableFlags_SizingFixedFit |
                            ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX;
    if (height <= 0.0f) {
        const float row = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2.0f;
        const size_t rows = 1 + analysis.inputs.size() + analysis.layers.size();
        height = row * static_cast<float>(rows) + ImGui::GetStyle().ScrollbarSize + 2.0f;
    }
    if (!on_screen(height)) return;
    if (!ImGui::BeginTable("summary", IM_ARRAYSIZE(kSummaryColumns), flags, ImVec2(0, height))) return;
    for (size_t i = 0; i < std::size(kSummaryColumns); ++i) {
        const SummaryColumn& column = kSummaryColumns[i];
        ImGuiTableColumnFlags column_flags = ImGuiTableColumnFlags_WidthFixed;
        if (column.view_name.empty()) column_flags |= ImGuiTableColumnFlags_NoHide;
        if (!column.view_name.empty() && ui.view.hides(column.view_name)) column_flags |= ImGuiTableColumnFlags_DefaultHide;
        // Numbers are never cut: their columns keep the width of their widest value.
        if (column.numeric) column_flags |= ImGuiTableColumnFlags_NoResize;
        ImGui::TableSetupColumn(column.heading, column_flags, ui.summary_fit[i]);
    }
    if (ui.summary_refit && ImGui::GetCurrentTable()->MinColumnWidth > 0.0f) { // a new design: every column fits it again
        ui.summary_refit = false;
        for (size_t i = 0; i < std::size(kSummaryColumns); ++i) ImGui::TableSetColumnWidth(static_cast<int>(i), ui.summary_fit[i]);
    }
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableHeadersRow();

    // The model inputs first, as torchinfo and Keras list them.
    for (const ModelInput& input : analysis.inputs) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%s", input.name.c_str());
        ImGui::TableNextColumn();
        ImGui::TextDisabled("Input");
        ImGui::TableNextColumn();
        text(format_shape(input.shape));
        for (int column = 3; column < IM_ARRAYSIZE(kSummaryColumns); ++column) {
            ImGui::TableNextColumn();
            if (column != 6) right_aligned("0");
        }
    }

    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(analysis.layers.size()));
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const LayerResult& layer = analysis.layers[static_cast<size_t>(row)];
            const bool invalid = layer.status == LayerStatus::error;
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(row);
            if (invalid) ImGui::PushStyleColor(ImGuiCol_Text, error_color(ui));
            // A name wider than its column (a person narrowed it) ends with "…"; hover shows it whole.
            const std::string name = fitted_text(layer.name, ImGui::GetContentRegionAvail().x);
            if (ImGui::Selectable(name.c_str(), ui.selected == layer.index, ImGuiSelectableFlags_SpanAllColumns))
                select_layer(ui, layer.index);
            if (ImGui::IsItemHovered()) explanation_tooltip(ui, layer);
            ImGui::TableNextColumn();
            text(type_cell(layer));
            ImGui::TableNextColumn();
            text(invalid ? layer.error : output_shape_text(layer));
            ImGui::TableNextColumn();
            right_aligned(number_cell(layer, layer.params));
            ImGui::TableNextColumn();
            right_aligned(number_cell(layer, layer.trainable_params));
            ImGui::TableNextColumn();
            right_aligned(number_cell(layer, layer.non_trainable_params));
            ImGui::TableNextColumn();
            right_aligned(macs_cell(layer));
            if (invalid) ImGui::PopStyleColor();
            ImGui::PopID();
        }
    }
    // The columns a person hid (right-click on the header) are hidden in the embed code too.
    if (!ui.view.embed) {
        ui.embed_choice.hidden_columns.clear();
        for (int column = 0; column < IM_ARRAYSIZE(kSummaryColumns); ++column)
            if (!kSummaryColumns[column].view_name.empty() && !(ImGui::TableGetColumnFlags(column) & ImGuiTableColumnFlags_IsEnabled))
                ui.embed_choice.hidden_columns.emplace_back(kSummaryColumns[column].view_name);
    }
    // What the columns got, for the tests that check no number is cut.
    for (size_t i = 0; i < std::size(kSummaryColumns); ++i) {
        const ImGuiTable* table = ImGui::GetCurrentTable();
        ui.summary_widths[i] = (table->Columns[static_cast<int>(i)].Flags & ImGuiTableColumnFlags_IsEnabled)
                                   ? table->Columns[static_cast<int>(i)].WidthGiven
                                   : 0.0f;
    }
    ImGui::EndTable();
}

// --------------------------------------------------------------------------------------------
// [SECTION] Working and totals
// --------------------------------------------------------------------------------------------

void totals(app::AppState& state, UiState& ui, bool show_memory_options) {
    const Analysis& analysis = state.analysis;
    if (analysis.error) {
        error_text(ui, analysis.error->message);
        if (analysis.error->layer_index && ImGui::SmallButton("Go to the layer")) select_layer(ui, *analysis.error->layer_index);
        ImGui::TextDisabled("Totals need every layer valid; the layers before it are counted in the table.");
        return;
    }
    const int options[3] = {ui.batch_size, ui.optimizer, ui.dtype};
    if (ui.totals_revision != state.revision || !std::equal(options, options + 3, ui.totals_options)) {
        ui.totals = totals_lines(analysis, memory_options(ui));
        ui.totals_revision = state.revision;
        std::copy(options, options + 3, ui.totals_options);
    }
    ImGui::PushTextWrapPos(0.0f);
    for (const std::string& line : ui.totals) text(line);
    for (const std::string& warning : analysis.warnings) ImGui::TextDisabled("Note: %s", warning.c_str());
    ImGui::PopTextWrapPos();
    if (!show_memory_options) return;
    ImGui::Spacing();
    ImGui::TextDisabled("Training estimate:");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 5.0f);
    if (ImGui::InputInt("batch", &ui.batch_size, 0)) ui.batch_size = std::clamp(ui.batch_size, 1, 1 << 20);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7.0f);
    ImGui::Combo("##optimizer", &ui.optimizer, "SGD\0SGD + momentum\0Adam\0");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 4.5f);
    ImGui::Combo("##dtype", &ui.dtype, "fp32\0fp16\0bf16\0int8\0");
}

void working(app::AppState& state, UiState& ui) {
    if (!ui.selected || *ui.selected >= state.analysis.layers.size()) {
        ImGui::TextDisabled("Select a layer to see how its numbers were computed.");
        return;
    }
    const LayerResult& layer = state.analysis.layers[*ui.selected];
    text(layer_label(layer));
    if (layer.status == LayerStatus::error) {
        error_text(ui, layer.error);
        return;
    }
    if (layer.status == LayerStatus::not_reached) {
        ImGui::TextDisabled("Not reached: a layer it depends on is invalid.");
        return;
    }
    with_font(ui.fonts.mono, [&] {
        text(cat(format_shape(layer.input_shape), " -> ", format_shape(layer.output_shape)));
        if (!layer.weights.empty()) text(cat("weights: ", describe_weights(layer)));
        for (const std::string& line : layer.explain) text(line);
    });
}

// --------------------------------------------------------------------------------------------
// [SECTION] Views: the full editor and the embed view
// --------------------------------------------------------------------------------------------

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
    if (ImGui::BeginTabBar("editors")) {
        // (ImGui 1.86 reports tabs before laying them out: noted here for widgets().)
        const bool layers_tab = ImGui::BeginTabItem("Layers");
        note_last_item("Layers");
        if (layers_tab) {
            design_editor(state, ui, edits);
            ImGui::EndTabItem();
        }
        const bool text_tab = ImGui::BeginTabItem("Text", nullptr, show_text_tab ? ImGuiTabItemFlags_SetSelected : 0);
        note_last_item("Text");
        if (text_tab) {
            text_pane(state, ui, edits, ImGui::GetContentRegionAvail().y - ImGui::GetTextLineHeightWithSpacing() * 3.5f);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::EndChild();

    ImGui::TableNextColumn();
    ImGui::BeginChild("right");
    const float table_height = std::max(ImGui::GetFontSize() * 8.0f, ImGui::GetContentRegionAvail().y * 0.56f);
    summary_table(state, ui, table_height);
    if (ImGui::BeginTable("below", 2, ImGuiTableFlags_Resizable | ImGuiTableFlags_BordersInnerV, ImGui::GetContentRegionAvail())) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::BeginChild("totals", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
        totals(state, ui, true);
        ImGui::EndChild();
        ImGui::TableNextColumn();
        ImGui::BeginChild("working", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
        working(state, ui);
        ImGui::EndChild();
        ImGui::EndTable();
    }
    ImGui::EndChild();
    ImGui::EndTable();
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
    tooltip("The full editor in a new tab, with this design");

    bool fix_in_text = false;
    hash_error_notice(state, ui, ui.view.allow_edit && !ui.view.show_editor ? &fix_in_text : nullptr);
    if (ui.view.show_editor) {
        convention_combo(state, ui, edits);
        design_editor(state, ui, edits, true);
    } else if (ui.view.allow_edit) {
        text_pane(state, ui, edits, ImGui::GetTextLineHeight() * 6.0f);
    }
    summary_table(state, ui, 0.0f);
    totals(state, ui, false);
    ui.content_height = ImGui::GetCursorPosY() - top + ImGui::GetStyle().WindowPadding.y * 2.0f;
}

} // namespace

// --------------------------------------------------------------------------------------------
// [SECTION] Style, and the one entry point: draw()
// --------------------------------------------------------------------------------------------

void apply_style(UiState& ui) {
    if (!ui.theme_changed) return;
    ui.theme_changed = false;
    // Every widget and menu can be reached from the keyboard (Alt: the menu bar; arrows, Space,
    // Enter, Escape; Tab between boxes), with ImGui's focus ring on the item.
    ImGui::GetIO().ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    ImGuiStyle& style = ImGui::GetStyle();
    style = ImGuiStyle();
    if (ui.dark) ImGui::StyleColorsDark(&style);
    else ImGui::StyleColorsLight(&style);
    style.WindowRounding = 0.0f;
    style.FrameRounding = 3.0f;
    style.GrabRounding = 3.0f;
    style.PopupRounding = 3.0f;
    style.CellPadding = ImVec2(6.0f, 3.0f);
    // Hints, shapes in the layer list and disabled items are read, not decoration: at least 4.5:1
    // against every background they sit on (WCAG AA), in both themes (ImGui's are about 2.5:1).
    style.Colors[ImGuiCol_TextDisabled] = ui.dark ? ImVec4(0.68f, 0.68f, 0.68f, 1.0f) : ImVec4(0.32f, 0.32f, 0.32f, 1.0f);
    style.ScaleAllSizes(ui.fonts.scale);
}

bool draw(app::AppState& state, UiState& ui, const Platform& platform) {
    FrameEdits edits;
    ui.wants_redraw = false;
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
    if (!ui.view.embed || ui.view.allow_edit) shortcuts(state, ui, edits);
    if (ui.view.embed) embed_view(state, ui, platform, edits);
    else full_view(state, ui, platform, edits);
    ImGui::End();
    const bool changed = apply(state, ui, std::move(edits));
    if (ui.selected && *ui.selected >= state.design.layers.size()) ui.selected.reset();
    return changed;
}

} // namespace netshape::ui
