// How a page shows the app, from its query string: the full editor, or the compact embed view a
// teacher puts in an <iframe> in course material. Parsed here, without a browser, so native tests
// check it; the browser glue hands the query over and the UI reads the options.
//
//   ?embed                      compact summary, read-only
//   ?embed&edit                 … with the design's text editable in place
//   ?embed&editor               … with the layer editor too (implies edit)
//   ?embed&hide=macs,trainable  … without those summary columns
//   ?theme=light | ?theme=dark  either view, in that theme (default: the reader's system setting)
//   ?view=diagram | ?view=both  the diagram instead of the table, or both (the full editor opens
//                               its Diagram tab)
//   ?diagram=blocks             the diagram in its blocks style (feature maps as blocks, the
//                               kernels between them) where the design suits it
//   ?quiz=shape,params          an exercise: those summary cells are answer boxes (web/quiz.h)
//   ?quiz=params&layers=3,dense … only in those rows (numbered from 1 as the layer list numbers
//                                 them, or named)
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netshape::app {

// The summary table's columns a link may hide (the layer's name always shows).
inline constexpr std::string_view kHideableColumns[] = {"type", "shape", "params", "trainable", "non_trainable", "macs"};

// What the summary side shows: the table (the default), the diagram, or both.
enum class SummaryPanes { table, diagram, both };

// How the diagram draws the design (engine/diagram_layout.h, engine/diagram_blocks.h).
enum class DiagramStyle { graph, blocks };

struct ViewOptions {
    bool embed = false;
    bool allow_edit = false;  // embed only: the text can be edited (read-only by default)
    bool show_editor = false; // embed only: the layer editor is shown
    std::optional<bool> dark; // nullopt: follow the reader's system setting
    std::vector<std::string> hidden_columns; // names from kHideableColumns
    SummaryPanes panes = SummaryPanes::table;
    DiagramStyle diagram_style = DiagramStyle::graph;
    // An exercise (quiz=): which cells of the summary are answer boxes. The layers are as written
    // ("3" or "conv2d2"); empty: every layer. They are matched to the design by web/quiz.h.
    bool quiz_shape = false;
    bool quiz_params = false;
    std::vector<std::string> quiz_layers;
    std::vector<std::string> ignored;        // query items not understood, for a console note

    bool hides(std::string_view column) const;
    bool quiz() const { return quiz_shape || quiz_params; }
};

// "?embed&hide=macs" (with or without '?'); unknown items are ignored, not fatal: pages that
// embed us add their own parameters.
ViewOptions parse_view_options(std::string_view query);

// The query that gives `options` ("?embed&hide=macs"), or "" for the default view.
std::string view_query(const ViewOptions& options);

// The embed code's frame height in CSS pixels: what a page shows when it strips the resizing
// script (course platforms often do). The embed view puts the totals first, so they show in it.
inline constexpr int kDefaultEmbedHeight = 420;
inline constexpr int kLeastEmbedHeight = 160;
inline constexpr int kMostEmbedHeight = 4000;

// "<iframe src=…>" for a course page: the page URL (no query or hash) with the embed query and the
// design's link text as hash, a title for screen readers, `height` CSS pixels high (clamped to the
// limits above), and a small script that lets the frame size itself to its content from our
// postMessage. Without the script the frame keeps `height` and the table scrolls inside it.
std::string embed_code(std::string_view page_url, const ViewOptions& options, std::string_view link_text,
                       std::string_view title, int height = kDefaultEmbedHeight);

} // namespace netshape::app
