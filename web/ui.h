// The ImGui front end: draws the app state and turns a person's input into edits of it.
//
// It knows ImGui and the app state, nothing of the browser: what only the page can do (clipboard,
// downloads, opening a tab) it asks of the Platform the glue hands in. All state the UI keeps
// between frames is in UiState — no function-local statics.
#pragma once

#include "app_state.h"
#include "quiz.h"
#include "touch.h"
#include "view_options.h"

#include "engine/diagram_blocks.h"
#include "engine/diagram_layout.h"
#include "engine/table_check.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct ImFont;

namespace netshape::ui {

// What the page does for the UI.
struct Platform {
    std::function<void(const std::string& text)> copy_text;
    std::function<void(std::string_view file_name, std::string_view mime_type, const std::string& content)> download;
    std::function<void(const std::string& url)> open_url;
    // The page draws an SVG picture into a PNG of width × height pixels and offers it as a file.
    std::function<void(std::string_view file_name, const std::string& svg, int width, int height)> download_png;
    std::function<std::string()> page_url; // without query or hash
    // The import and export tools (engine/tool_request.h): the encoded reply, or nothing while they
    // are on their way. The web app fetches them the first time they are needed and draws a frame
    // when they arrive; a fetch that fails answers with a refusal that says why.
    std::function<std::optional<std::string>(const std::string& request)> run_tools;
    // A person opened a menu or dialog that uses them: start fetching them, if that is needed.
    std::function<void()> prepare_tools;
};

// Below this width in CSS pixels (the display's pixels over the pixel ratio, so browser zoom counts)
// the window is laid out in one column: a phone, a tablet upright, a laptop at 150 % zoom.
inline constexpr float kNarrowWidth = 900.0f;

struct Preset {
    std::string title;     // shown in the menu
    std::string link_text; // the design, canonical
};

struct Fonts {
    ImFont* text = nullptr; // proportional, for the interface
    ImFont* mono = nullptr; // for the text pane, shapes and numbers; null: the text font (the web app has one)
    float scale = 1.0f;     // device pixels per CSS pixel, which sizes are multiplied by
};

// What an import or export asked of the tools is for, once they answer.
enum class ToolsUse { import_model, copy_code, download_code, download_keras_json };
struct PendingTools {
    ToolsUse use = ToolsUse::import_model;
    std::string request;   // encoded (engine/tool_request.h)
    std::string framework; // "PyTorch", "Keras": for what the notice says
    std::string file_name; // of a download
};

// The embed code's theme (Share > Embed in a page…).
enum class EmbedTheme { current, light, dark, reader_system };

// The diagram (ui_diagram.cpp): its layout, made once per design, font size and expanded repeats;
// where the view is (zoom, scroll), and what the glue hands over for it.
struct DiagramView {
    Diagram layout;
    uint64_t revision = UINT64_MAX;
    float font_size = 0.0f;
    std::vector<size_t> expanded; // first layers of the repeats drawn in full
    bool relayout = false;        // a repeat was expanded or collapsed
    float zoom = 1.0f;
    bool fit = true;                        // fit the whole diagram in the next frame (a new design, "Fit")
    std::optional<size_t> shown_selection;  // the selection it last scrolled to
    bool tab_opened = false;                // view=diagram or both opened the full view's Diagram tab once
    bool hovered = false;                   // the pointer is over it (last frame): the glue passes Ctrl+wheel and pinch here
    float zoom_wheel = 0.0f;                // Ctrl+wheel or a trackpad's pinch, from the glue (ImGui's wheel units)
    app::ScreenMove pinch;                  // two fingers' zoom and pan since the last frame, from the glue
    // Where the pane was drawn in the last frame (display pixels), for the glue to tell whether
    // two fingers landed on it; none when it was not drawn.
    std::optional<app::Point> pane_min, pane_max;
    // The blocks style (?diagram=blocks, or the switch above the pane): its layout, made with the
    // graph's, and why it does not suit the design ("" when it does; the graph is drawn then).
    BlocksDiagram blocks;
    std::string blocks_unsuited;

    bool covers(app::Point point) const {
        return pane_min && point.x >= pane_min->x && point.y >= pane_min->y && point.x <= pane_max->x && point.y <= pane_max->y;
    }
};

struct UiState {
    app::ViewOptions view;
    // What "Copy embed code" gives (Share > Embed in a page…): who may edit, which columns (the
    // table's, until the dialog chooses), the theme and the frame's height.
    app::ViewOptions embed_choice;
    EmbedTheme embed_theme = EmbedTheme::current;
    int embed_height = app::kDefaultEmbedHeight;      // CSS pixels, for pages that strip the script
    int embed_preview_width = 720;                    // CSS pixels: a course page's column
    bool embed_dialog_open = false;
    std::vector<std::string> table_hidden_columns;    // the wide table's, last frame (the embed follows changes)
    // An exercise (?quiz=, web/quiz.h): the answers typed into the summary's boxes, in this page only.
    app::Quiz quiz;
    // Share > Exercise…: the exercise a teacher is building a link for.
    app::ViewOptions exercise_choice;
    bool exercise_some_layers = false; // only the layers ticked (else every layer)
    bool exercise_dialog_open = false;
    // Edit > Check a table…: the pasted table, and its check, redone when the text or design changes.
    bool check_dialog_open = false;
    std::string check_text;
    std::string checked_text;
    uint64_t checked_revision = UINT64_MAX;
    TableCheck table_check;
    // Edit > Import a model…: a pasted print(model), code or JSON, the input shape (and attention
    // heads) a repr needs, and what the last import said (its error, or what it added and inferred).
    bool import_dialog_open = false;
    std::string import_text;
    std::string import_shape = "3x224x224";
    std::string import_heads; // a MultiheadAttention's heads, which print(model) does not show; empty: none given
    std::string import_result;
    bool import_failed = false;
    std::vector<std::string> import_warnings;
    // An import or export waiting for the tools (Platform::run_tools), asked again each frame until
    // they answer (ui_tools.cpp), and what the answer is for.
    std::optional<PendingTools> pending_tools;
    bool pending_tools_asked = false; // asked once: a wait has begun
    std::vector<Preset> presets;
    Fonts fonts;
    bool dark = true;
    bool theme_changed = true; // the style must be (re)applied before the next frame
    bool full_formulas = false; // View > Full formulas: the working's formulas with every term

    std::optional<size_t> selected;    // the layer the editor and the working panel show
    bool scroll_to_selected = false;   // after a selection by key or from the other list
    std::string palette_filter;        // the "Add layer" search box
    int palette_cursor = 0;            // the highlighted match (Up/Down move it, Enter takes it)
    bool focus_palette_filter = false; // the palette just opened
    std::string focus_field;           // the box to give the keyboard next frame: "input shape", "field:NAME"
    std::string field_error;           // what the last field box refused (shown under it while typed)
    std::string field_error_id;        // which box

    // The memory estimate's options.
    int batch_size = 1;
    int optimizer = 2; // sgd, momentum, adam
    int dtype = 0;     // fp32, fp16, bf16, int8

    // The totals' lines, written once per design and options, not per frame (the memory estimate
    // walks every layer).
    std::vector<std::string> totals;
    uint64_t totals_revision = 0;
    int totals_options[3] = {-1, -1, -1};

    // Help > Glossary, or a totals line's label: the window, the entry it shows, and whether to
    // scroll to that entry in the next frame.
    bool glossary_open = false;
    std::string glossary_entry;
    bool glossary_scroll = false;

    std::string notice;        // "Link copied", shown for a moment
    double notice_until = 0.0; // ImGui time
    bool wants_redraw = false; // something animates or waits (a notice): draw another frame

    float content_height = 0.0f; // of the embed view, in device pixels, for the page's frame

    // Phones, tablets and zoomed-in laptops (web/ui.cpp, draw): below kNarrowWidth CSS pixels one
    // column with tabs at the top instead of the three panes.
    bool narrow = false;
    bool show_working_tab = false; // a row was tapped in the narrow summary: its working opens
    // Touch (set by the glue): hover shows nothing on a tap, only on a long press, as phones do.
    bool hover_tooltips = true;
    int toggle_column = -1; // the narrow table's column chooser asked to show or hide this column

    // The summary table's columns: the widths that fit every row (per design and font), and the
    // widths they were given in the last frame (0 when hidden).
    float summary_fit[7] = {};
    uint64_t summary_fit_revision = UINT64_MAX;
    float summary_fit_font = 0.0f;
    bool summary_refit = false;
    float summary_widths[7] = {};

    DiagramView diagram;
};

// The pixels of a PNG of the diagram (Share > Download diagram (.png)) of width × height CSS
// pixels: twice those (what a 2× screen or a projected slide shows sharp), less where a browser
// would refuse the canvas to draw it in — Safari on iOS makes none over 16,777,216 pixels
// (4,096²), Chrome and Firefox none over 32,767 pixels a side. Under a quarter of that scale
// (half the CSS size) the text is unreadable: nullopt, the SVG is the way.
inline constexpr double kDiagramPngScale = 2.0;
inline constexpr double kCanvasMostPixels = 16777216.0;
inline constexpr double kCanvasMostSide = 32767.0;
struct PngSize {
    int width = 0, height = 0;
};
std::optional<PngSize> diagram_png_size(float width, float height);

// Applies fonts and the theme when they changed; call before ImGui::NewFrame.
void apply_style(UiState& ui);

// One frame of the whole window. Returns true when the design changed.
bool draw(app::AppState& state, UiState& ui, const Platform& platform);

} // namespace netshape::ui
