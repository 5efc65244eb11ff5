// A finger on the canvas as a phone's own lists treat it: a tap is a click (with no hover left
// behind), a drag scrolls what is under the finger and goes on with momentum when let go, a long
// press shows what hovering shows, and a second finger is the page's (pinch zoom) except on the
// diagram, where two fingers zoom about their midpoint and pan (TwoFingerPinch). Emscripten
// 3.1.6's GLFW turns touches into mouse presses at the last mouse position, so the glue keeps
// touches from it and feeds ImGui from here. No ImGui or browser header: tested natively.
// Positions are in display pixels, times in milliseconds.
#pragma once

#include <optional>
#include <vector>

namespace netshape::app {

struct TouchMetrics {
    float pixel_ratio = 1.0f;        // display pixels per CSS pixel
    float slop_css = 8.0f;           // a finger that moves less is still tapping (CSS px)
    double long_press_ms = 500.0;    // held still this long: a long press (as Android's default)
    double momentum_time_ms = 325.0; // the glide's speed falls by e in this time (iOS's deceleration)
    float stop_speed_css = 20.0f;    // a glide slower than this (CSS px/s) stops
};

struct Point {
    float x = 0, y = 0;
};

// What one frame gives ImGui.
struct TouchFrame {
    std::optional<Point> pointer; // where the mouse is for ImGui; none: nowhere (no hover)
    bool button_down = false;     // the left button
    bool hover_shows = false;     // tooltips may show (a long press), not on a tap or a drag
    float scroll_x = 0, scroll_y = 0; // how far to scroll the pane under the finger (positive: content moves up/left)
    bool scroll_starts = false;   // a new drag: the pane is the one under the finger now
    bool needs_frames = false;    // a press may become a long press, a glide goes on: draw the next frame
};

// How a two-finger gesture moves what lies under the fingers: a screen point s goes to
// scale·s + offset. Moves compose, so the glue adds up the events that come between two frames.
struct ScreenMove {
    float scale = 1.0f;
    Point offset;

    Point apply(Point s) const { return {scale * s.x + offset.x, scale * s.y + offset.y}; }
    ScreenMove then(const ScreenMove& next) const; // this move, then `next`
    bool identity() const { return scale == 1.0f && offset.x == 0.0f && offset.y == 0.0f; }
};

// Two fingers on the diagram, as a map or photo viewer follows them: the distance between them
// scales the picture about their midpoint, and the midpoint's travel pans it, so the points under
// the fingers stay under them.
class TwoFingerPinch {
public:
    void start(Point a, Point b);
    ScreenMove move(Point a, Point b); // from the fingers' last positions to these

private:
    Point a_, b_;
};

class TouchGestures {
public:
    explicit TouchGestures(TouchMetrics metrics = {}) : metrics_(metrics) {}
    void set_metrics(const TouchMetrics& metrics) { metrics_ = metrics; }

    void start(Point at, double now);
    void move(Point at, double now);
    void end(double now);
    void cancel(); // a second finger: the gesture is the page's (pinch), nothing happens here

    // Once per frame drawn, before ImGui's.
    TouchFrame frame(double now);

    bool active() const { return phase_ != Phase::idle || !queued_taps_.empty(); }

private:
    enum class Phase { idle, pressed, dragging, long_press, long_press_shown, tap, gliding };
    TouchMetrics metrics_;
    Phase phase_ = Phase::idle;
    Point origin_, last_, reference_;
    double start_ms_ = 0, last_ms_ = 0, reference_ms_ = 0, frame_ms_ = 0;
    float pending_x_ = 0, pending_y_ = 0;   // moved since the last frame (display px)
    float velocity_x_ = 0, velocity_y_ = 0; // of the glide, display px per ms
    bool drag_started_ = false;             // the frame has not yet said scroll_starts
    int tap_stage_ = 0;                     // a tap is given as hover, press, release, then nowhere
    // Taps whose stages were not all given when the next touch began: on a busy phone two quick
    // taps (a tab, then a box in it) can both land between two frames. Each is given in turn,
    // whole, before the gesture that followed it, so none is lost.
    struct QueuedTap {
        Point at;
        int stage = 0;
    };
    std::vector<QueuedTap> queued_taps_;
};

} // namespace netshape::app
