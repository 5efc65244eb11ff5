// What the files of the ImGui front end share (ui.cpp: menus, shortcuts, text pane, views;
// ui_editor.cpp: the design editor; ui_summary.cpp: the summary table, totals and working;
// ui_embed.cpp: the embed dialog; ui_check.cpp: checking a table made by hand; ui_glossary.cpp:
// the glossary window; ui_diagram.cpp: the diagram): the
// edit a frame asks for, and small widget helpers. Only those files include it.
#pragma once

#include "ui.h"

#include "engine/diagram_export.h"
#include "engine/memory.h"

#include <imgui.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace netshape::ui {

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

// Asks for an edit (see FrameEdits): the first of a frame wins.
void commit(FrameEdits& edits, Architecture design, std::string_view edit_key = {});

// ---- text ----
// A line as ImGui draws it, noted for the tests and host pages. Where a wrap position is pushed
// it wraps at blanks only: ImGui 1.86 also breaks after '.' and ',', which would split
// "3,628,146,688" or "11.69 MB" across two lines.
void text(std::string_view line);
void disabled_text(std::string_view line); // the same in the dimmed colour of hints and notes

// `line` with line breaks put in at blanks (the blanks at a break dropped) so that no line is
// wider than `width` by `measure`; a word wider than a whole line is cut where it must be, at a
// character boundary, as ImGui cuts it.
std::string broken_at_blanks(std::string_view line, float width, const std::function<float(std::string_view)>& measure);

// Puts the next item, `width` wide, on the line of the last one when it fits in the window, else
// on a line of its own (a phone's narrow dialog): never past the right edge.
void same_line_if_it_fits(float width);

// The width of an input box with a label to its right, as ImGui lays it out: the box, the inner
// spacing, the label's text (up to "##").
float labelled_box_width(float box_width, const char* label);
ImVec4 error_color(const UiState& ui);
// What is marked right (a checked cell, an exercise's answer); a word or mark says it too, since
// colour is never the only sign.
ImVec4 right_color(const UiState& ui);
void error_text(const UiState& ui, std::string_view message); // wrapped, in the error colour
void right_aligned(std::string_view line);                      // numbers line up by their last digit
std::string fitted_text(const std::string& line, float width);  // whole, or cut with "…"
void tooltip(const UiState& ui, std::string_view message);      // for the last item, on hover (not on a tap)
void notify(UiState& ui, std::string message);                  // "Link copied", for a moment

inline void with_font(ImFont* font, auto&& draw_contents) {
    if (font) ImGui::PushFont(font);
    draw_contents();
    if (font) ImGui::PopFont();
}

// ---- layout and input ----
bool on_screen(float height); // whether a block that high at the cursor shows (else its room is kept)
bool shortcut_modifier();     // Ctrl, or Cmd on a Mac
bool key_pressed(ImGuiKey key);
bool letter_pressed(char upper_case_letter);
void take_focus(UiState& ui, std::string_view field); // the keyboard to the next widget, if it is `field`
void select_layer(UiState& ui, size_t index);         // and scroll the lists to it
MemoryOptions memory_options(const UiState& ui);

// A dialog over the window (Share > Embed in a page…, Share > Exercise…, Edit > Check a table…): nearly the whole
// display, closed by its X or Escape. Returns whether to draw its contents; call ImGui::End()
// after them only when it returned true.
bool begin_dialog(const char* title, bool& open);

// ---- the panes ----
// The title, inputs, layer list, palette and the selected layer's fields. `fit_content`: sized
// by what it shows, never by the window (the embed view, whose frame takes the content's height).
void design_editor(app::AppState& state, UiState& ui, FrameEdits& edits, bool fit_content);
// `height` > 0: scroll inside it (the editor); 0: as tall as every row.
void summary_table(app::AppState& state, UiState& ui, float height);
// The totals (wrapped), then the summary table in the rest of `height` (at least a few rows, at
// most every row). Returns the height the totals and the whole table take: an embed reports it
// to its page, which may size the frame to show every row.
float summary_with_totals(app::AppState& state, UiState& ui, float height);
void totals(app::AppState& state, UiState& ui, bool show_memory_options);
// The selected layer's working; "Copy working" puts it on the clipboard as plain text.
void working(app::AppState& state, UiState& ui, const Platform& platform);
void copy_working(const LayerResult& layer, UiState& ui, const Platform& platform);
// Draws a layer's working lines (working_lines in engine/report.h): a formula's continuation
// lines ("= 12 − 3 + 1") under its first "=", the formulas in full only with View > Full formulas.
void draw_working(const UiState& ui, const LayerResult& layer);
// A layer's name, type and working (or, in an exercise, that it waits for the answers) as a tooltip.
void explanation_tooltip(const UiState& ui, const Analysis& analysis, const LayerResult& layer);

// ---- the diagram (ui_diagram.cpp) ----
// Whether to offer it: not in an exercise, whose answers the boxes would show.
bool diagram_offered(const UiState& ui);
// The toolbar (Fit, zoom, the style) and the picture, `height` high; a click selects a layer,
// hover shows its working, the wheel and a drag move it, Ctrl+wheel and a pinch zoom.
void diagram_pane(const app::AppState& state, UiState& ui, float height);
// The graph or the blocks (View > Diagram as blocks, the switch above the picture).
void choose_diagram_style(UiState& ui, app::DiagramStyle style);

// What Share offers as a file: the picture of the style the Diagram tab shows, in `theme`, and its
// size in CSS pixels (the SVG's width and height).
struct DiagramPicture {
    std::string svg;
    float width = 0, height = 0;
};
DiagramPicture diagram_picture(const app::AppState& state, const UiState& ui, DiagramTheme theme);

std::string_view summary_column_heading(std::string_view view_name); // "macs" -> "MACs"

// ---- the glossary (ui_glossary.cpp) ----
void open_glossary(UiState& ui, std::string_view entry_id); // "" for none in particular
// A totals line whose label, when an entry explains it, is underlined and opens the glossary at
// that entry (hover: the entry's first sentence).
void glossary_line(UiState& ui, std::string_view line);
void glossary_window(UiState& ui); // when open

// ---- exercises (ui_quiz.cpp) ----
// "4 of 7 right", then each answer's hint with its "Show working" button.
void quiz_progress(app::AppState& state, UiState& ui);
// The answer box of a quizzed cell, or its value once shown; false (nothing drawn) when the cell
// is not quizzed.
bool quiz_cell(app::AppState& state, UiState& ui, size_t layer, app::QuizColumn column);
// Share > Exercise…: which cells students answer, and the link.
void exercise_dialog(app::AppState& state, UiState& ui, const Platform& platform);

// ---- views and embedding (ui.cpp, ui_embed.cpp) ----
// The page's address with `view` as its query and the design as its hash.
std::string page_link(const app::AppState& state, const Platform& platform, const app::ViewOptions& view);
// The compact view for an iframe: title, totals, table (the text or editor when allowed).
void embed_view(app::AppState& state, UiState& ui, const Platform& platform, FrameEdits& edits);
// Share > Embed in a page…: the embed's options, its code and a live preview (when open).
void embed_dialog(app::AppState& state, UiState& ui, const Platform& platform);
// Edit > Check a table…: a table made by hand checked against the design (when open).
void check_table_dialog(const app::AppState& state, UiState& ui);
// Edit > Import a model… (web/ui_import.cpp).
void import_dialog(UiState& ui, const Platform& platform);

// ---- the import and export tools (ui_tools.cpp) ----
// Asks the tools (in this frame's serve_pending_tools); what the request is for happens once they
// answer: in this frame where they are at hand, or a later one.
void ask_tools(UiState& ui, PendingTools pending);
// Once a frame: asks again for a request still waiting, and does what it was for once answered.
void serve_pending_tools(UiState& ui, const Platform& platform, FrameEdits& edits);
bool waiting_for_tools(const UiState& ui, ToolsUse use);
app::ViewOptions chosen_embed(const UiState& ui); // the embed_choice with its theme resolved
std::string chosen_embed_code(const app::AppState& state, const UiState& ui, const Platform& platform);
// A theme's colours (ImGui's, with hints readable at 4.5:1) into `style`.
void theme_colors(ImGuiStyle& style, bool dark);

} // namespace netshape::ui
