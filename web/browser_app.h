// The web app's one instance and what the browser glue's two files share: browser_main.cpp (the
// main loop, canvas, fonts, input and frames) and browser_api.cpp (window.netshape's calls).
#pragma once

#include "app_state.h"
#include "drawn_items.h"
#include "touch.h"
#include "ui.h"

#include <imgui.h>

#include <GLFW/glfw3.h>

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

extern "C" {
void ns_js_summary_piece(const char* text, size_t bytes); // netshape.summary() joins the pieces
}

namespace netshape::browser {

// How many frames to draw after anything happens: ImGui settles hover and layout in two or three.
constexpr int kFramesAfterEvent = 4;
// The shading language of WebGL2, for the renderer (made again when a lost context comes back).
constexpr const char* kGlslVersion = "#version 300 es";

struct BrowserApp {
    app::AppState state;
    ui::UiState ui;
    ui::Platform platform;
    GLFWwindow* window = nullptr;
    float fonts_scale = 0.0f;         // the pixel ratio the font atlas was built for
    int frames_to_draw = kFramesAfterEvent;
    uint64_t mirrored_revision = 0;   // the design the page's mirror table and title show
    size_t mirrored_open = 0;         // and the exercise's cells it hides
    float posted_height = -1.0f;      // what the embed view last told its parent frame
    bool gl_lost = false;             // the WebGL context is given back (an embed off screen): nothing is drawn
    bool text_input_shown = false;    // the page's text field has the focus (a box has the keyboard)
    ui::DrawnItem text_input_box;     // and where it was put
    std::string clipboard;            // ImGui's clipboard: the last text copied or pasted
    std::string returned;             // keeps a string handed to JS alive until the next call
    bool first_frame_drawn = false;
    bool loop_started = false; // emscripten_set_main_loop has been called
    bool loop_running = false; // and is not paused
    uint64_t frames_drawn = 0;
    double ui_milliseconds = 0.0;     // summed over frames: input, UI, ImGui (for the benchmark)
    double render_milliseconds = 0.0; // summed over frames: the GL calls that hand the frame over
    std::set<std::string> reported_asserts;

    // ImGui 1.86 reads keys as "down" at each frame: a key pressed and released between two
    // frames (a quick tap, or any key while the loop sleeps) would never be seen, and characters
    // typed while Ctrl still looks down would be dropped. So key and character events are queued
    // in order and handed to ImGui before each frame, up to the second change of any one key:
    // every press is seen by a frame before its release, every release before the next press.
    GLFWkeyfun imgui_key_callback = nullptr;
    GLFWcharfun imgui_char_callback = nullptr;
    struct InputEvent {
        int key, scancode, action, mods; // action < 0: a character (`key` holds it)
    };
    std::vector<InputEvent> input_queue;

    // Touch (web/touch.h): while the last pointer was a finger, ImGui's mouse comes from here.
    app::TouchGestures touch;
    app::TwoFingerPinch pinch; // two fingers on the diagram: its zoom and pan, not the page's
    bool pinching = false;
    bool touch_mode = false;
    ImGuiID touch_scroll_window[2] = {0, 0}; // what a drag scrolls sideways and up/down
};

extern BrowserApp* g_app; // the one instance; the ns_* exports reach it here

// Draws frames until the page has settled (the loop pauses again after kFramesAfterEvent).
void wake();
void draw_frame(BrowserApp& app);
// Keeps a string handed to JS alive until the next call that returns one.
const char* keep(std::string text);

} // namespace netshape::browser
