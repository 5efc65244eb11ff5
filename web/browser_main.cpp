// The browser glue: main loop, canvas size and pixel ratio, fonts, the URL hash, clipboard, input,
// and the exports the page calls on events (window.netshape's own calls are in browser_api.cpp).
// The page-side halves are browser_library.js (called from here) and browser_page.js.
//
// Index:
//   [SECTION] Page services (browser_library.js)
//   [SECTION] The app
//   [SECTION] Fonts and pixel ratio
//   [SECTION] A frame
//   [SECTION] Exports for the page (events)
//   [SECTION] main
#include "browser_app.h"

#include "app_state.h"
#include "drawn_items.h"
#include "embedded_files.h"
#include "glyph_ranges.h"
#include "ui.h"
#include "touch.h"
#include "view_options.h"
#include "wheel.h"

#include "engine/link_text.h"
#include "engine/text.h"
#include "engine/tool_request.h"

#include <imgui.h>
#include <imgui_internal.h> // the windows the wheel and a drag scroll
#include <imgui_impl_glfw.h>
#include <imgui_impl_opengl3.h>

#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>

// --------------------------------------------------------------------------------------------
// [SECTION] Page services (browser_library.js)
// --------------------------------------------------------------------------------------------

extern "C" {
void ns_js_write_hash(const char* link_text);
char* ns_js_location_hash(); // malloc'ed; without '#'
char* ns_js_location_search();
char* ns_js_page_url(); // without query or hash
void ns_js_copy_text(const char* text);
void ns_js_download(const char* file_name, const char* mime_type, const char* content);
void ns_js_download_png(const char* file_name, const char* svg, int width, int height);
void ns_js_open_url(const char* url);
void ns_js_mirror_outdated();
void ns_js_post_height(double css_pixels);
void ns_js_text_input(int active, double x, double y, double w, double h);
void ns_js_set_title(const char* title);
int ns_js_prefers_dark();
int ns_js_is_mac();
void ns_js_first_frame();
void ns_js_warn(const char* message);
void ns_js_prepare_tools();
char* ns_js_run_tools(const char* request); // malloc'ed reply; null while the tools are on their way
char* ns_js_tools_failure();                // malloc'ed; null unless they could not be fetched
}

namespace netshape::browser {

std::string take_js_string(char* allocated) {
    std::string text = allocated ? allocated : "";
    std::free(allocated);
    return text;
}

// --------------------------------------------------------------------------------------------
// [SECTION] The app
// --------------------------------------------------------------------------------------------

BrowserApp* g_app = nullptr;

ui::Platform make_platform() {
    ui::Platform platform;
    platform.copy_text = [](const std::string& text) {
        g_app->clipboard = text;
        ns_js_copy_text(text.c_str());
    };
    platform.download = [](std::string_view name, std::string_view mime, const std::string& content) {
        ns_js_download(std::string(name).c_str(), std::string(mime).c_str(), content.c_str());
    };
    platform.download_png = [](std::string_view name, const std::string& svg, int width, int height) {
        ns_js_download_png(std::string(name).c_str(), svg.c_str(), width, height);
    };
    platform.open_url = [](const std::string& url) { ns_js_open_url(url.c_str()); };
    platform.page_url = [] { return take_js_string(ns_js_page_url()); };
    // The importers and exporters are not in this module: they answer from the tools module.
    platform.prepare_tools = [] { ns_js_prepare_tools(); };
    platform.run_tools = [](const std::string& request) -> std::optional<std::string> {
        if (char* reply = ns_js_run_tools(request.c_str())) return take_js_string(reply);
        if (char* failure = ns_js_tools_failure())
            return encode_tool_reply({false, {}, cat("the import and export tools did not load: ", take_js_string(failure)), {}});
        return std::nullopt;
    };
    return platform;
}

std::vector<ui::Preset> load_presets() {
    std::vector<ui::Preset> presets;
    for (const ui::EmbeddedFile& file : ui::embedded_presets()) {
        ReadResult read = read_link_text_reporting_place(file.text()); // presets are link text (assets/presets)
        if (read.error) {
            ns_js_warn(cat("preset ", file.name, " does not read: ", read.error->message).c_str());
            continue;
        }
        std::string title = read.architecture.name.empty() ? std::string(file.name) : read.architecture.name;
        presets.push_back({std::move(title), architecture_to_text(read.architecture)});
    }
    std::sort(presets.begin(), presets.end(), [](const auto& a, const auto& b) { return a.title < b.title; });
    return presets;
}

// The design a page opens with: the hash's, or seed 000's network when there is none. A hash that
// does not read leaves the default design showing, with the error and the raw text to fix.
app::AppState initial_state(const std::string& hash) {
    TextReadResult fallback = read_architecture_text("ns1;1x28x28/conv2d(32,5)+relu/maxpool2d(2)");
    for (const ui::EmbeddedFile& file : ui::embedded_presets())
        if (std::string_view(file.name) == "lasagne_mnist.ns")
            if (TextReadResult read = read_architecture_text(file.text()); !read.error)
                fallback.architecture = std::move(read.architecture);
    app::AppState state = app::make_state(std::move(fallback.architecture));
    if (!hash.empty()) app::load_hash(state, hash);
    state.undo_stack.clear(); // opening the page is not an edit
    // Without a hash the address bar gets the default design's; a hash is left as it came, even
    // one that did not read (the person may want to fix it).
    state.hash_outdated = hash.empty();
    return state;
}

void wake();

// --------------------------------------------------------------------------------------------
// [SECTION] Fonts and pixel ratio
// --------------------------------------------------------------------------------------------

// Emscripten's GLFW knows nothing of devicePixelRatio: the canvas gets CSS size × ratio pixels
// here, ImGui works in those device pixels, and fonts and sizes are scaled by the ratio, so text
// is rasterised for the screen it is on. Checked every drawn frame (zoom and moving to another
// screen change the ratio; both also send the resize event that wakes us).
float pixel_ratio() { return static_cast<float>(std::clamp(emscripten_get_device_pixel_ratio(), 0.5, 4.0)); }

void fit_canvas(BrowserApp& app) {
    double css_width = 0, css_height = 0;
    emscripten_get_element_css_size("#canvas", &css_width, &css_height);
    const float ratio = pixel_ratio();
    const int width = std::max(1, static_cast<int>(std::lround(css_width * ratio)));
    const int height = std::max(1, static_cast<int>(std::lround(css_height * ratio)));
    int current_width = 0, current_height = 0;
    emscripten_get_canvas_element_size("#canvas", &current_width, &current_height);
    if (width != current_width || height != current_height) emscripten_set_canvas_element_size("#canvas", width, height);

    const float scale = ratio;
    if (scale == app.fonts_scale) return;
    app.fonts_scale = scale;
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ImFontConfig config;
    config.FontDataOwnedByAtlas = false; // the bytes are in the binary's data
    config.OversampleH = 2;
    for (const ui::EmbeddedFile& file : ui::embedded_fonts()) // one: the text pane and the working use it too
        app.ui.fonts.text = io.Fonts->AddFontFromMemoryTTF(const_cast<unsigned char*>(file.data), static_cast<int>(file.size),
                                                           std::round(15.0f * scale), &config,
                                                           reinterpret_cast<const ImWchar*>(ui::kGlyphRanges));
    io.FontDefault = app.ui.fonts.text;
    app.ui.fonts.scale = scale;
    app.ui.theme_changed = true; // sizes follow the scale
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
}

// --------------------------------------------------------------------------------------------
// [SECTION] A frame
// --------------------------------------------------------------------------------------------


// What follows a change of the design: the hash, the page title, the mirror table.
void publish(BrowserApp& app) {
    app::AppState& state = app.state;
    if (state.hash_outdated) {
        ns_js_write_hash(app::current_hash(state).c_str());
        app::mark_hash_written(state);
    }
    if (state.revision != app.mirrored_revision) {
        app.mirrored_revision = state.revision;
        const std::string title = state.design.name.empty() ? std::string("netshape") : cat(state.design.name, " — netshape");
        ns_js_set_title(title.c_str());
        ns_js_mirror_outdated(); // the page asks for it (ns_mirror) once edits pause
    }
    const size_t open = app.ui.quiz.cells.size() - app::right_count(app.ui.quiz) - app::shown_count(app.ui.quiz);
    if (std::exchange(app.mirrored_open, open) != open) ns_js_mirror_outdated(); // an answer came right or was shown
    // The page's text field follows ImGui's keyboard: a phone's keyboard opens and closes with it.
    const bool typing = ImGui::GetIO().WantTextInput;
    const ui::DrawnItem* box = nullptr;
    for (const ui::DrawnItem& item : ui::drawn_items())
        if (item.active) box = &item;
    const bool moved = box && (box->x != app.text_input_box.x || box->y != app.text_input_box.y ||
                               box->w != app.text_input_box.w || box->h != app.text_input_box.h);
    if (typing != app.text_input_shown || (typing && moved)) {
        app.text_input_shown = typing;
        if (box) app.text_input_box = *box;
        const double css = std::max(app.ui.fonts.scale, 0.5f);
        ns_js_text_input(typing, app.text_input_box.x / css, app.text_input_box.y / css, app.text_input_box.w / css,
                         app.text_input_box.h / css);
    }
    if (app.ui.view.embed) {
        const float css_height = std::ceil(app.ui.content_height / app.ui.fonts.scale);
        if (std::abs(css_height - app.posted_height) >= 1.0f) {
            app.posted_height = css_height;
            ns_js_post_height(css_height);
        }
    }
}

void on_key(GLFWwindow*, int key, int scancode, int action, int mods) {
    g_app->input_queue.push_back({key, scancode, action, mods});
}

// The window that scrolls when the wheel or a finger moves over `window` along an axis (0: x,
// 1: y): it, or the nearest parent that can scroll that way, as ImGui's own wheel picks it.
ImGuiWindow* scrolling_window(ImGuiWindow* window, int axis) {
    while (window && (window->ScrollMax[axis] <= 0.0f || (window->Flags & ImGuiWindowFlags_NoScrollWithMouse)) &&
           (window->Flags & ImGuiWindowFlags_ChildWindow))
        window = window->ParentWindow;
    return window && window->ScrollMax[axis] > 0.0f ? window : nullptr;
}

// Whether a wheel amount (ImGui's units: positive is up or left) would scroll anything under the
// pointer: the pane ImGui's wheel would scroll, with room left in that direction.
bool scrollable_under_pointer(float horizontal, float vertical) {
    const ImGuiContext& context = *ImGui::GetCurrentContext();
    if (context.OpenPopupStack.Size > 0) return true; // a menu or popup is open: the wheel is its
    const float amounts[2] = {horizontal, vertical};
    for (int axis = 0; axis < 2; ++axis) {
        const ImGuiWindow* window = scrolling_window(context.HoveredWindow, axis);
        if (!window || amounts[axis] == 0.0f) continue;
        if (amounts[axis] > 0.0f ? window->Scroll[axis] > 0.0f : window->Scroll[axis] < window->ScrollMax[axis]) return true;
    }
    return false;
}

// The wheel and the trackpad, as the page would scroll (web/wheel.h): GLFW's own wheel handling
// is turned off in main.
EM_BOOL on_wheel(int, const EmscriptenWheelEvent* event, void*) {
    ImGuiIO& io = ImGui::GetIO();
    const ImGuiStyle& style = ImGui::GetStyle();
    app::WheelMetrics metrics;
    metrics.font_size = io.FontDefault ? io.FontDefault->FontSize : 15.0f * g_app->ui.fonts.scale;
    metrics.line_height = metrics.font_size + 2.0f * style.CellPadding.y; // a table row
    metrics.page_height = io.DisplaySize.y;
    metrics.pixel_ratio = g_app->ui.fonts.scale;
    metrics.mac = io.ConfigMacOSXBehaviors;
    const app::ImGuiWheel wheel = app::imgui_wheel(
        {event->deltaX, event->deltaY, static_cast<app::WheelDeltaMode>(std::clamp<int>(event->deltaMode, 0, 2)),
         event->mouse.shiftKey != 0},
        metrics);
    // Ctrl+wheel (and a trackpad's pinch, which browsers send as one) zooms the diagram under the
    // pointer; elsewhere it is the browser's zoom. A wheel that nothing under the pointer can
    // scroll that way is the page's: in an embed, the course page scrolls on (no scroll trap).
    if (event->mouse.ctrlKey && g_app->ui.diagram.hovered) {
        g_app->ui.diagram.zoom_wheel += wheel.vertical;
        wake();
        return EM_TRUE;
    }
    if (event->mouse.ctrlKey || !scrollable_under_pointer(wheel.horizontal, wheel.vertical)) return EM_FALSE;
    io.MouseWheel += wheel.vertical;
    io.MouseWheelH += wheel.horizontal;
    wake();
    return EM_TRUE; // the pane scrolls, not the page under it
}

void on_char(GLFWwindow*, unsigned int codepoint) {
    g_app->input_queue.push_back({static_cast<int>(codepoint), 0, -1, 0});
}

// Before ImGui::NewFrame: the queued input, up to a second change of one key (a release after a
// press, or a press after a release) — ImGui sees key changes only from one frame to the next.
void deliver_input(BrowserApp& app) {
    std::vector<int> changed;
    size_t delivered = 0;
    for (const BrowserApp::InputEvent& event : app.input_queue) {
        if (event.action < 0) {
            app.imgui_char_callback(app.window, static_cast<unsigned int>(event.key));
        } else {
            const bool pressed_or_released = event.action == GLFW_PRESS || event.action == GLFW_RELEASE;
            if (pressed_or_released && std::find(changed.begin(), changed.end(), event.key) != changed.end()) break;
            app.imgui_key_callback(app.window, event.key, event.scancode, event.action, event.mods);
            if (pressed_or_released) changed.push_back(event.key);
            // ImGui reads modifiers once a frame: keys after a modifier's release (Alt alone opens
            // the menu bar, on its release) wait for the next frame, as a person's would.
            const bool modifier = event.key >= GLFW_KEY_LEFT_SHIFT && event.key <= GLFW_KEY_RIGHT_SUPER;
            if (modifier && event.action == GLFW_RELEASE) {
                ++delivered;
                break;
            }
        }
        ++delivered;
    }
    app.input_queue.erase(app.input_queue.begin(), app.input_queue.begin() + static_cast<ptrdiff_t>(delivered));
    if (!app.input_queue.empty()) app.frames_to_draw = std::max(app.frames_to_draw, 2);
}

// While the last pointer was a finger, ImGui's mouse is the gesture's (web/touch.h), not GLFW's.
app::TouchFrame touch_input(BrowserApp& app) {
    if (!app.touch_mode) {
        app.ui.hover_tooltips = true;
        return {};
    }
    app::TouchMetrics metrics;
    metrics.pixel_ratio = std::max(app.ui.fonts.scale, 0.5f);
    app.touch.set_metrics(metrics);
    const app::TouchFrame touch = app.touch.frame(emscripten_get_now());
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = touch.pointer ? ImVec2(touch.pointer->x, touch.pointer->y) : ImVec2(-FLT_MAX, -FLT_MAX);
    io.MouseDown[0] = touch.button_down;
    for (int button = 1; button < IM_ARRAYSIZE(io.MouseDown); ++button) io.MouseDown[button] = false;
    app.ui.hover_tooltips = touch.hover_shows;
    if (touch.needs_frames) app.frames_to_draw = std::max(app.frames_to_draw, 2);
    return touch;
}

// A drag scrolls the pane it started on (each axis: the nearest that can scroll that way), by
// exactly the finger's travel.
void touch_scroll(BrowserApp& app, const app::TouchFrame& touch) {
    const ImGuiContext& context = *ImGui::GetCurrentContext();
    if (touch.scroll_starts)
        for (int axis = 0; axis < 2; ++axis) {
            ImGuiWindow* window = scrolling_window(context.HoveredWindow, axis);
            app.touch_scroll_window[axis] = window ? window->ID : 0;
        }
    const float amounts[2] = {touch.scroll_x, touch.scroll_y};
    for (int axis = 0; axis < 2; ++axis) {
        if (amounts[axis] == 0.0f || !app.touch_scroll_window[axis]) continue;
        ImGuiWindow* window = ImGui::FindWindowByID(app.touch_scroll_window[axis]);
        if (!window) continue;
        const float target = std::clamp(window->Scroll[axis] + amounts[axis], 0.0f, window->ScrollMax[axis]);
        if (axis == 0) ImGui::SetScrollX(window, target);
        else ImGui::SetScrollY(window, target);
    }
}

void draw_frame(BrowserApp& app) {
    if (app.gl_lost) return; // no renderer until the context is back (ns_gl_restored)
    const double start = emscripten_get_now();
    ++app.frames_drawn;
    deliver_input(app);
    fit_canvas(app);
    ui::apply_style(app.ui);
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    // The canvas is in device pixels and so are the mouse coordinates Emscripten's GLFW reports.
    int width = 0, height = 0;
    emscripten_get_canvas_element_size("#canvas", &width, &height);
    io.DisplaySize = ImVec2(static_cast<float>(width), static_cast<float>(height));
    io.DisplayFramebufferScale = ImVec2(1.0f, 1.0f);
    // ImGui 1.86 asserts on a zero time step, which coarse browser timers produce.
    if (!(io.DeltaTime > 0.0f)) io.DeltaTime = 1.0f / 1000.0f;
    const app::TouchFrame touch = touch_input(app);

    ui::start_drawn_items_frame();
    ImGui::NewFrame();
    if (app.touch_mode) touch_scroll(app, touch);
    const bool changed = ui::draw(app.state, app.ui, app.platform);
    ImGui::Render();
    ui::end_drawn_items_frame();
    const double rendered = emscripten_get_now();

    glViewport(0, 0, width, height);
    const ImVec4 background = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(background.x, background.y, background.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    app.ui_milliseconds += rendered - start;
    app.render_milliseconds += emscripten_get_now() - rendered;

    publish(app);
    if (changed || app.ui.wants_redraw || app.ui.theme_changed) app.frames_to_draw = std::max(app.frames_to_draw, 2);
    if (!app.first_frame_drawn) {
        app.first_frame_drawn = true;
        ns_js_first_frame();
    } else if (app.ui.presets.empty()) {
        app.ui.presets = load_presets(); // after the first frame: the page shows sooner
    }
}

// The main loop's body, one animation frame each while it runs. Once the frames an event asked
// for are drawn, the loop pauses: no animation-frame callbacks at all while a person reads
// (battery), until the page wakes it on input, resize, a pixel ratio change, a hash change or an
// API call.
void frame(void*) {
    // The pixel ratio can change without an event reaching us (some zoom paths, emulation): it is
    // one cheap read per frame drawn (the page's matchMedia watch wakes the loop for the rest).
    if (pixel_ratio() != g_app->fonts_scale) wake();
    if (g_app->gl_lost) g_app->frames_to_draw = 0; // drawn again when the context is back
    if (g_app->frames_to_draw > 0) {
        --g_app->frames_to_draw;
        draw_frame(*g_app);
    }
    if (g_app->frames_to_draw <= 0 && g_app->loop_running) {
        g_app->loop_running = false;
        emscripten_pause_main_loop();
    }
}

void wake() {
    g_app->frames_to_draw = std::max(g_app->frames_to_draw, kFramesAfterEvent);
    if (!g_app->loop_running && g_app->loop_started) {
        g_app->loop_running = true;
        emscripten_resume_main_loop();
    }
}

const char* keep(std::string text) {
    g_app->returned = std::move(text);
    return g_app->returned.c_str();
}

} // namespace netshape::browser

using namespace netshape;
using namespace netshape::browser;

void netshape_imgui_assert_failed(const char* expression, const char* file, int line) {
    const std::string place = cat(file, ":", line);
    if (g_app && !g_app->reported_asserts.insert(place).second) return;
    ns_js_warn(cat("ImGui assertion failed", expression ? cat(": ", expression) : "", " at ", place).c_str());
}

// --------------------------------------------------------------------------------------------
// [SECTION] Exports for the page (events)
// --------------------------------------------------------------------------------------------

extern "C" {

// An input event, a resize or anything else that may change what is drawn.
EMSCRIPTEN_KEEPALIVE void ns_wake() { wake(); }

// hashchange: back/forward or a pasted link.
EMSCRIPTEN_KEEPALIVE void ns_load_hash(const char* hash) {
    if (app::load_hash(g_app->state, hash)) g_app->ui.selected.reset();
    wake();
}

// A paste event's text: ImGui reads its clipboard from here when Ctrl+V reaches a text box.
EMSCRIPTEN_KEEPALIVE void ns_paste(const char* text) {
    g_app->clipboard = text;
    wake();
}

// Touch, from the page's listeners (browser_page.js), in CSS pixels from the canvas's top left.
// Each with the event's own time (the clock of emscripten_get_now): a busy page handles events
// late, and the speed of a flick is the finger's, not the handler's.
EMSCRIPTEN_KEEPALIVE void ns_touch_start(double x, double y, double event_ms) {
    const float scale = std::max(g_app->ui.fonts.scale, 0.5f);
    g_app->touch_mode = true;
    g_app->touch.start({static_cast<float>(x) * scale, static_cast<float>(y) * scale}, event_ms);
    wake();
}

EMSCRIPTEN_KEEPALIVE void ns_touch_move(double x, double y, double event_ms) {
    const float scale = std::max(g_app->ui.fonts.scale, 0.5f);
    g_app->touch.move({static_cast<float>(x) * scale, static_cast<float>(y) * scale}, event_ms);
    wake();
}

// The finger lifted. A tap's frames are drawn now, inside the page's touchend handler: a phone
// opens its keyboard only for a focus() made during the touch, so the page must learn here
// whether the tap gave a text box the keyboard. Returns 1 when it did.
EMSCRIPTEN_KEEPALIVE int ns_touch_end(double event_ms) {
    g_app->touch.end(event_ms);
    wake();
    for (int frame = 0; frame < 3 && g_app->first_frame_drawn; ++frame) draw_frame(*g_app);
    return ImGui::GetIO().WantTextInput ? 1 : 0;
}

// An off-screen embed gives its WebGL context back (browsers keep about 16 per page: a course page
// with 20 embeds would lose the first ones for good). The page shows a picture of the last frame
// meanwhile: ns_draw_now draws one into the drawing buffer, which the page reads in the same task.
EMSCRIPTEN_KEEPALIVE void ns_draw_now() {
    if (g_app->first_frame_drawn) draw_frame(*g_app);
}

// webglcontextlost, whoever caused it: GL calls do nothing until it is back. The renderer lets go
// of its objects now, while deleting them is silently ignored (in the restored context they would
// be another context's objects, which WebGL warns about).
EMSCRIPTEN_KEEPALIVE void ns_gl_lost() {
    if (g_app->gl_lost) return;
    g_app->gl_lost = true;
    ImGui_ImplOpenGL3_Shutdown();
}

// webglcontextrestored: a new renderer with new objects (shaders, buffers, the font texture) in
// the restored context — all of it: the backend also remembers its buffers' sizes, which a new
// context does not have — and a frame drawn now, before the page takes its picture away.
EMSCRIPTEN_KEEPALIVE void ns_gl_restored() {
    if (!g_app->gl_lost) return;
    g_app->gl_lost = false;
    ImGui_ImplOpenGL3_Init(kGlslVersion);
    draw_frame(*g_app);
    wake();
}

// Text from the page's text field that no key event brought (a phone keyboard, a composition, a
// keyboard's paste): each character as typed. Line breaks and tabs go through too: a pasted
// print(model) keeps its lines in the import box (ImGui keeps them out of one-line boxes itself).
EMSCRIPTEN_KEEPALIVE void ns_text_typed(const char* text) {
    const char* end = text + std::strlen(text);
    while (text < end) {
        unsigned int codepoint = 0;
        text += std::max(1, ImTextCharFromUtf8(&codepoint, text, end));
        if (codepoint >= 0x20 || codepoint == '\n' || codepoint == '\t')
            g_app->input_queue.push_back({static_cast<int>(codepoint), 0, -1, 0});
    }
    wake();
}

// A key the page's text field reported without a key event (a phone's Backspace, Enter): pressed
// and released.
EMSCRIPTEN_KEEPALIVE void ns_text_key(int key) {
    g_app->input_queue.push_back({key, 0, GLFW_PRESS, 0});
    g_app->input_queue.push_back({key, 0, GLFW_RELEASE, 0});
    wake();
}

// A second finger came down at (ax, ay) and (bx, by) (CSS pixels from the canvas's top left):
// with both on the diagram, the pinch is its zoom and pan (returns 1: the page keeps it from the
// browser); elsewhere it is the page's own pinch zoom (0). Either way one finger's gesture ends.
EMSCRIPTEN_KEEPALIVE int ns_pinch_start(double ax, double ay, double bx, double by) {
    g_app->touch.cancel();
    const float scale = std::max(g_app->ui.fonts.scale, 0.5f);
    const app::Point a{static_cast<float>(ax) * scale, static_cast<float>(ay) * scale};
    const app::Point b{static_cast<float>(bx) * scale, static_cast<float>(by) * scale};
    g_app->pinching = g_app->ui.diagram.covers(a) && g_app->ui.diagram.covers(b);
    if (g_app->pinching) g_app->pinch.start(a, b);
    wake();
    return g_app->pinching ? 1 : 0;
}

// The two fingers moved: the diagram follows them in the next frame (moves between frames add up).
EMSCRIPTEN_KEEPALIVE void ns_pinch_move(double ax, double ay, double bx, double by) {
    if (!g_app->pinching) return;
    const float scale = std::max(g_app->ui.fonts.scale, 0.5f);
    const app::ScreenMove move = g_app->pinch.move({static_cast<float>(ax) * scale, static_cast<float>(ay) * scale},
                                                   {static_cast<float>(bx) * scale, static_cast<float>(by) * scale});
    g_app->ui.diagram.pinch = g_app->ui.diagram.pinch.then(move);
    wake();
}

// A finger lifted: the pinch is over (the other finger, if still down, does nothing until lifted).
EMSCRIPTEN_KEEPALIVE void ns_pinch_end() {
    g_app->pinching = false;
    wake();
}

// A second finger (the page's pinch zoom) or the browser took the touch.
EMSCRIPTEN_KEEPALIVE void ns_touch_cancel() {
    g_app->touch.cancel();
    wake();
}

// A mouse moved: hover and the mouse are GLFW's again.
EMSCRIPTEN_KEEPALIVE void ns_mouse_used() {
    if (!g_app->touch_mode) return;
    g_app->touch_mode = false;
    g_app->touch.cancel();
    wake();
}

} // extern "C"

// --------------------------------------------------------------------------------------------
// [SECTION] main
// --------------------------------------------------------------------------------------------

int main() {
    g_app = new BrowserApp();
    BrowserApp& app = *g_app;
    app.ui.view = app::parse_view_options(take_js_string(ns_js_location_search()));
    app.ui.embed_choice = app.ui.view;
    for (const std::string& item : app.ui.view.ignored) ns_js_warn(cat("netshape: query item not used: ", item).c_str());
    app.state = initial_state(take_js_string(ns_js_location_hash()));
    app.platform = make_platform();
    app.mirrored_revision = app.state.revision - 1; // publish once
    app.ui.dark = app.ui.view.dark.value_or(ns_js_prefers_dark() != 0);

    if (!glfwInit()) {
        ns_js_warn("netshape: GLFW could not start");
        return 1;
    }
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_DEPTH_BITS, 0); // ImGui draws 2-D triangles: a lighter context starts sooner
    glfwWindowHint(GLFW_STENCIL_BITS, 0);
    app.window = glfwCreateWindow(1024, 768, "netshape", nullptr, nullptr);
    if (!app.window) {
        ns_js_warn("netshape: no WebGL2 context");
        return 1;
    }
    glfwMakeContextCurrent(app.window);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;                 // nothing is stored: the design lives in the URL
    io.ConfigInputTextCursorBlink = false;    // a blinking caret would need frames while idle
    io.ConfigMacOSXBehaviors = ns_js_is_mac() != 0;
    ui::record_drawn_items();
    ImGui_ImplGlfw_InitForOpenGL(app.window, true);
    glfwSetScrollCallback(app.window, nullptr); // its deltas are the browser's, unscaled: see on_wheel
    emscripten_set_wheel_callback("#canvas", nullptr, EM_TRUE, on_wheel);
    ImGui_ImplOpenGL3_Init(kGlslVersion);
    app.imgui_key_callback = glfwSetKeyCallback(app.window, on_key);
    app.imgui_char_callback = glfwSetCharCallback(app.window, on_char);
    // Emscripten's GLFW clipboard functions are empty: ImGui's clipboard goes through the page.
    io.SetClipboardTextFn = [](void*, const char* text) {
        g_app->clipboard = text;
        ns_js_copy_text(text);
    };
    io.GetClipboardTextFn = [](void*) { return g_app->clipboard.c_str(); };

    // The first frame now, not at the next animation frame: the page shows sooner.
    frame(nullptr);
    app.loop_started = app.loop_running = true;
    emscripten_set_main_loop_arg(frame, nullptr, 0, false);
    return 0;
}
