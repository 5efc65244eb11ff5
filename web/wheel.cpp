#include "wheel.h"

namespace netshape::app {

namespace {

// A delta in display pixels, whatever unit the browser gave it in.
double display_pixels(double delta, WheelDeltaMode mode, const WheelMetrics& metrics) {
    switch (mode) {
    case WheelDeltaMode::lines: return delta * metrics.line_height;
    case WheelDeltaMode::pages: return delta * metrics.page_height;
    case WheelDeltaMode::pixels: break;
    }
    return delta * metrics.pixel_ratio;
}

} // namespace

ImGuiWheel imgui_wheel(const WheelEvent& event, const WheelMetrics& metrics) {
    const double down = display_pixels(event.delta_y, event.mode, metrics);
    const double right = display_pixels(event.delta_x, event.mode, metrics);
    const double vertical_step = kImGuiVerticalStepFonts * metrics.font_size;
    const double horizontal_step = kImGuiHorizontalStepFonts * metrics.font_size;
    ImGuiWheel wheel;
    if (event.shift && !metrics.mac) {
        // ImGui scrolls sideways by its vertical amount while Shift is down (and ignores the
        // horizontal one): whichever way the wheel turned moves the view sideways, rightwards for
        // a turn down, as pages do.
        const double sideways = right != 0 ? right : down;
        wheel.vertical = static_cast<float>(-sideways / horizontal_step);
        return wheel;
    }
    wheel.vertical = static_cast<float>(-down / vertical_step);
    wheel.horizontal = static_cast<float>(-right / horizontal_step);
    return wheel;
}

} // namespace netshape::app
