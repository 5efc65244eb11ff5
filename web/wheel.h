// A browser wheel event as Dear ImGui's wheel amounts, so that the wheel and the trackpad scroll
// as the page's own scrolling would: the same direction, the same distance. Emscripten 3.1.6's
// GLFW hands the browser's deltaY over unchanged (the wrong sign, and ~100 "notches" per notch in
// pixel mode), so the glue feeds ImGui from here instead. No ImGui or browser header: tested
// natively.
#pragma once

namespace netshape::app {

// What ImGui 1.86 does with a wheel amount of 1: the vertical wheel scrolls 5 font heights, the
// horizontal 2 (imgui.cpp, UpdateMouseWheel). Positive is up (or left), as in GLFW.
inline constexpr float kImGuiVerticalStepFonts = 5.0f;
inline constexpr float kImGuiHorizontalStepFonts = 2.0f;

enum class WheelDeltaMode { pixels = 0, lines = 1, pages = 2 }; // WheelEvent.deltaMode

struct WheelEvent {
    double delta_x = 0, delta_y = 0; // as the browser reports them (positive: right, down)
    WheelDeltaMode mode = WheelDeltaMode::pixels;
    bool shift = false;
};

struct WheelMetrics {
    float font_size = 15;     // ImGui's font size, in display pixels
    float line_height = 21;   // one row of a list or table, in display pixels (a "line" of the wheel)
    float page_height = 800;  // the canvas height, in display pixels
    float pixel_ratio = 1;    // display pixels per CSS pixel (the browser's deltas are in CSS pixels)
    bool mac = false;         // macOS turns Shift+wheel into a sideways wheel itself
};

struct ImGuiWheel {
    float vertical = 0;   // io.MouseWheel
    float horizontal = 0; // io.MouseWheelH
};

ImGuiWheel imgui_wheel(const WheelEvent& event, const WheelMetrics& metrics);

} // namespace netshape::app
