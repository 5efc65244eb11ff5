// window.netshape's calls (browser_page.js calls these exports): the design as text, the summary
// and the screen-reader mirror as JSON, and what is on screen (status, widgets, texts) for host
// pages and the browser tests.
#include "browser_app.h"

#include "quiz.h"

#include "engine/json_format.h"
#include "engine/json_writer.h"
#include "engine/report.h"
#include "engine/text.h"
#include "engine/tool_request.h"

#include <imgui_internal.h> // the open popups' count, for status()

#include <emscripten.h>

#include <algorithm>
#include <cfloat>
#include <optional>
#include <string>
#include <utility>

using namespace netshape;
using namespace netshape::browser;

namespace {

// What the page's screen-reader table shows: the totals and the first rows with their working, not
// the whole summary (a stranger's link may hold 100,000 layers, and the table stops at a readable
// length; the working adds a few hundred bytes a row: 2,000 linear layers' 0.16 kB each). An
// exercise's open answers, and what would give them away, are "?" (web/quiz.h).
constexpr size_t kMirrorRows = 2000;

std::string mirror_json(const Analysis& analysis, const app::Quiz& quiz) {
    std::string text;
    JsonWriter out(text);
    out.begin_object();
    out.key("name").value(analysis.name).key("convention").value(convention_name(analysis.convention));
    out.key("error");
    analysis.error ? out.value(analysis.error->message) : out.null();
    const auto count = [&](const char* key, bool hidden, bool known, int64_t value) {
        hidden ? out.key(key).value("?") : out.key(key).value_if(known, value);
    };
    // The totals' lines are worded "Total params: …" and "Total MACs: …" (report.h, totals_lines).
    count("total_params", app::hides_total(quiz, "Total params"), true, analysis.total_params);
    count("trainable_params", app::hides_total(quiz, "Total params"), true, analysis.trainable_params);
    count("total_macs", app::hides_total(quiz, "Total MACs"), true, analysis.total_macs);
    out.key("layer_count").value(analysis.layers.size());
    out.key("layers").begin_array();
    for (size_t i = 0; i < std::min(analysis.layers.size(), kMirrorRows); ++i) {
        const LayerResult& layer = analysis.layers[i];
        const bool ok = layer.status == LayerStatus::ok;
        out.begin_object().key("name").value(layer.name);
        out.key("type").value(layer.class_name.empty() ? layer.type : layer.class_name);
        out.key("activation").value(layer.activation);
        const bool shape_hidden = app::hides(quiz, i, app::QuizColumn::shape);
        const bool counts_hidden = app::hides(quiz, i, app::QuizColumn::params);
        out.key("output_shape").value(shape_hidden ? std::string("?") : output_shape_text(layer)); // or "error", "not reached"
        count("params", counts_hidden, ok, layer.params);
        count("trainable_params", counts_hidden, ok, layer.trainable_params);
        count("non_trainable_params", counts_hidden, ok, layer.non_trainable_params);
        count("macs", shape_hidden || counts_hidden, ok && layer.macs, layer.macs.value_or(0));
        // The working pane's lines, one text (the page shows it in one <pre>): what a sighted
        // reader gets by hovering the row; the error says why for an invalid layer.
        out.key("working").value(!ok                                 ? layer.error
                                 : app::hides_working(quiz, analysis, i) ? "?"
                                                                         : join(working_lines(layer), "\n"));
        out.end_object();
    }
    out.end_array().end_object();
    return text;
}

// A box ImGui drew, in framebuffer pixels, as x, y, w and h in the page's CSS pixels.
void write_css_box(JsonWriter& out, float x, float y, float w, float h) {
    const float scale = g_app->ui.fonts.scale > 0.0f ? g_app->ui.fonts.scale : 1.0f;
    out.key("x").value(static_cast<double>(x / scale)).key("y").value(static_cast<double>(y / scale));
    out.key("w").value(static_cast<double>(w / scale)).key("h").value(static_cast<double>(h / scale));
}

} // namespace

extern "C" {

// netshape.getText(): the design as link text.
EMSCRIPTEN_KEEPALIVE const char* ns_get_text() { return keep(app::current_hash(g_app->state)); }

// netshape.setText(text): JSON or link text. {"ok": true} or {"ok": false, "error": {...}}; for
// JSON before the tools module has arrived, {"ok": false, "pending": true}: the page calls again
// once it has (browser_page.js), since the JSON reader lives there (engine/tool_request.h).
EMSCRIPTEN_KEEPALIVE const char* ns_set_text(const char* text) {
    std::optional<ReadError> error;
    if (looks_like_json(text)) {
        ToolRequest request;
        request.verb = ToolVerb::read_design;
        request.text = text;
        const std::optional<std::string> answer = g_app->platform.run_tools(encode_tool_request(request));
        if (!answer) return keep(R"({"ok": false, "pending": true})");
        const ToolReply reply = decode_tool_reply(*answer);
        if (reply.ok) error = app::load_text(g_app->state, reply.design);
        else error = ReadError{.message = reply.output, .where = reply.where, .line = reply.line, .column = reply.column};
    } else {
        error = app::load_text(g_app->state, text);
    }
    wake();
    std::string result;
    JsonWriter out(result);
    out.begin_object().key("ok").value(!error);
    if (error) {
        out.key("error");
        write_read_error(out, *error);
    }
    out.end_object();
    return keep(std::move(result));
}

// The page's screen-reader table, asked for once edits pause (see mirror_json).
EMSCRIPTEN_KEEPALIVE const char* ns_mirror() { return keep(mirror_json(g_app->state.analysis, g_app->ui.quiz)); }

// netshape.summary(): the object `netshape summary --format json` prints.
EMSCRIPTEN_KEEPALIVE void ns_summary() {
    // Handed to the page in pieces of 64 KB, which it joins: a 10,000-layer summary is megabytes
    // of text, and WebAssembly memory that grew to hold it would stay grown for good.
    write_analysis_json(g_app->state.analysis, {}, -1, [](std::string_view piece) {
        ns_js_summary_piece(piece.data(), piece.size());
    });
}

// netshape.status(): what the page shows besides the summary (for host pages and tests).
EMSCRIPTEN_KEEPALIVE const char* ns_status() {
    const app::AppState& state = g_app->state;
    const float css = std::max(g_app->ui.fonts.scale, 0.5f);
    const bool imgui = ImGui::GetCurrentContext() != nullptr;
    std::string text;
    JsonWriter out(text);
    out.begin_object();
    out.key("revision").value(static_cast<size_t>(state.revision));
    out.key("layers").value(state.design.layers.size());
    out.key("undo_steps").value(state.undo_stack.size());
    out.key("hash_error");
    state.hash_error ? out.value(state.hash_error->message) : out.null();
    out.key("text_error");
    state.text_error ? out.value(state.text_error->message) : out.null();
    out.key("selected").value(g_app->ui.selected);
    out.key("typing").value(imgui && ImGui::GetIO().WantTextInput); // a text box has the keyboard
    out.key("popups_open").value(imgui ? ImGui::GetCurrentContext()->OpenPopupStack.Size : 0); // menus too
    out.key("embed").value(g_app->ui.view.embed);
    out.key("narrow").value(g_app->ui.narrow); // one column with tabs (below 900 CSS px)
    out.key("dark").value(g_app->ui.dark);
    out.key("pixel_ratio").value(static_cast<double>(g_app->ui.fonts.scale));
    out.key("frames_drawn").value(static_cast<size_t>(g_app->frames_drawn)); // stays still while nothing happens
    out.key("loop_running").value(g_app->loop_running); // false: no animation frames are requested
    out.key("gl_lost").value(g_app->gl_lost); // the WebGL context is given back (off screen): a picture shows
    out.key("field_error").value(g_app->ui.field_error); // what a box refused, shown under it
    out.key("active_widget");
    ui::active_drawn_item() ? out.value(*ui::active_drawn_item()) : out.null();
    out.key("content_height").value(static_cast<double>(g_app->ui.content_height / css)); // embed view, CSS px
    // The summary table's column widths as drawn (CSS px; 0 for a hidden column).
    out.key("summary_widths").begin_array();
    for (float width : g_app->ui.summary_widths) out.value(static_cast<double>(width / css));
    out.end_array().end_object();
    return keep(std::move(text));
}

// netshape.widgets(): the labelled widgets on screen and where they are, in CSS pixels from the
// canvas's top left ("+ Add layer", "##out_features", "Share"), for tests and host pages.
EMSCRIPTEN_KEEPALIVE const char* ns_widgets() {
    std::string text;
    JsonWriter out(text);
    out.begin_array();
    for (const ui::DrawnItem& item : ui::drawn_items()) {
        out.begin_object().key("label").value(item.label);
        write_css_box(out, item.x, item.y, item.w, item.h);
        out.end_object();
    }
    out.end_array();
    return keep(std::move(text));
}

// netshape.texts(): the texts on screen as drawn (cells, totals, working lines), where they are
// in CSS pixels, and whether each shows whole — what a person can read, for tests and host pages.
EMSCRIPTEN_KEEPALIVE const char* ns_texts() {
    std::string text;
    JsonWriter out(text);
    out.begin_array();
    for (const ui::DrawnText& drawn : ui::drawn_texts()) {
        out.begin_object().key("text").value(drawn.text).key("whole").value(drawn.whole);
        write_css_box(out, drawn.x, drawn.y, drawn.w, drawn.h);
        out.end_object();
    }
    out.end_array();
    return keep(std::move(text));
}

// netshape.measureText(text): how wide `text` is in the interface's font, in CSS pixels.
EMSCRIPTEN_KEEPALIVE double ns_measure_text(const char* text) {
    if (!g_app->ui.fonts.text) return 0.0;
    const ImFont* font = g_app->ui.fonts.text;
    return font->CalcTextSizeA(font->FontSize, FLT_MAX, 0.0f, text).x / std::max(g_app->ui.fonts.scale, 0.5f);
}

// For the benchmark script: draws `count` frames now and returns the mean milliseconds per frame
// of the UI and ImGui (ui), of handing the frame to WebGL (render: our GL calls, which wait when
// the browser's GPU process is behind), and of the whole (frame).
EMSCRIPTEN_KEEPALIVE const char* ns_benchmark_frames(int count) {
    count = std::max(1, count);
    BrowserApp& app = *g_app;
    app.ui_milliseconds = app.render_milliseconds = 0.0;
    const double start = emscripten_get_now();
    for (int i = 0; i < count; ++i) draw_frame(app);
    const double frame = (emscripten_get_now() - start) / count;
    std::string text;
    JsonWriter(text).begin_object().key("ui_ms").value(app.ui_milliseconds / count)
        .key("render_ms").value(app.render_milliseconds / count).key("frame_ms").value(frame).end_object();
    return keep(std::move(text));
}

} // extern "C"
