#include "touch.h"

#include <algorithm>
#include <cmath>

namespace netshape::app {

ScreenMove ScreenMove::then(const ScreenMove& next) const {
    // next(this(s)) = next.scale·(scale·s + offset) + next.offset
    return {next.scale * scale, {next.scale * offset.x + next.offset.x, next.scale * offset.y + next.offset.y}};
}

void TwoFingerPinch::start(Point a, Point b) {
    a_ = a;
    b_ = b;
}

ScreenMove TwoFingerPinch::move(Point a, Point b) {
    const Point from{(a_.x + b_.x) / 2, (a_.y + b_.y) / 2}, to{(a.x + b.x) / 2, (a.y + b.y) / 2};
    const float before = std::hypot(a_.x - b_.x, a_.y - b_.y), after = std::hypot(a.x - b.x, a.y - b.y);
    // Fingers that (nearly) touch give no ratio to trust: the move only pans.
    const float scale = before >= 1.0f && after >= 1.0f ? after / before : 1.0f;
    a_ = a;
    b_ = b;
    // The midpoint's old place goes to its new one: to = scale·from + offset.
    return {scale, {to.x - scale * from.x, to.y - scale * from.y}};
}

void TouchGestures::start(Point at, double now) {
    // A finger drumming on the screen faster than frames come queues a few taps; past that it
    // is not a person tapping things in turn, and the older taps are dropped.
    constexpr size_t kMostQueuedTaps = 4;
    if (phase_ == Phase::tap && queued_taps_.size() < kMostQueuedTaps) queued_taps_.push_back({origin_, tap_stage_});
    phase_ = Phase::pressed;
    origin_ = last_ = reference_ = at;
    start_ms_ = last_ms_ = reference_ms_ = now;
    pending_x_ = pending_y_ = velocity_x_ = velocity_y_ = 0.0f;
    drag_started_ = false;
    tap_stage_ = 0;
}

void TouchGestures::move(Point at, double now) {
    // As for a lift (end()), the events' own times decide: a frame drawn late on a busy page may
    // have called the press long though the finger had already moved on. That was a drag.
    if (phase_ == Phase::long_press && now - start_ms_ < metrics_.long_press_ms) phase_ = Phase::pressed;
    if (phase_ == Phase::pressed) {
        const float slop = metrics_.slop_css * metrics_.pixel_ratio;
        if (std::hypot(at.x - origin_.x, at.y - origin_.y) < slop) return;
        phase_ = Phase::dragging;
        drag_started_ = true;
    }
    if (phase_ != Phase::dragging) return; // a long press shown stays where it is
    pending_x_ -= at.x - last_.x; // the content follows the finger: a finger moving up scrolls down
    pending_y_ -= at.y - last_.y;
    // The speed at the lift is measured over the last 80–160 ms of the drag (a sample that old
    // becomes the reference): recent enough to follow a flick, long enough to smooth jitter.
    if (now - reference_ms_ > 80.0) {
        reference_ = last_;
        reference_ms_ = last_ms_;
    }
    last_ = at;
    last_ms_ = now;
}

void TouchGestures::end(double now) {
    switch (phase_) {
    case Phase::pressed:
        phase_ = Phase::tap;
        tap_stage_ = 0;
        break;
    case Phase::dragging: {
        if (last_ms_ > reference_ms_) {
            velocity_x_ = -(last_.x - reference_.x) / static_cast<float>(last_ms_ - reference_ms_);
            velocity_y_ = -(last_.y - reference_.y) / static_cast<float>(last_ms_ - reference_ms_);
        }
        // A finger that stopped before lifting does not glide.
        const bool held = now - last_ms_ > 100.0;
        const float stop = metrics_.stop_speed_css * metrics_.pixel_ratio / 1000.0f;
        phase_ = !held && std::hypot(velocity_x_, velocity_y_) > stop ? Phase::gliding : Phase::idle;
        frame_ms_ = now;
        break;
    }
    case Phase::long_press:
        // The events' own times decide: a busy page may draw a frame 500 ms after the touch began
        // though the finger lifted sooner (its touchend waited in the queue). That was a tap.
        if (now - start_ms_ < metrics_.long_press_ms) {
            phase_ = Phase::tap;
            tap_stage_ = 0;
            break;
        }
        phase_ = Phase::long_press_shown; // what it shows stays until the next touch
        break;
    default: break;
    }
}

void TouchGestures::cancel() {
    phase_ = Phase::idle;
    queued_taps_.clear();
    pending_x_ = pending_y_ = 0.0f;
}

// One stage of a tap: hover first (some widgets want the mouse on them a frame before the press),
// press, release, then the mouse is nowhere: no hover, no tooltip left over the table. Returns
// whether stages remain.
static bool give_tap_stage(Point at, int& stage, TouchFrame& out) {
    if (stage < 3) out.pointer = at;
    out.button_down = stage == 1;
    out.needs_frames = stage < 3;
    return ++stage <= 3;
}

TouchFrame TouchGestures::frame(double now) {
    TouchFrame out;
    if (!queued_taps_.empty()) {
        if (!give_tap_stage(queued_taps_.front().at, queued_taps_.front().stage, out))
            queued_taps_.erase(queued_taps_.begin());
        out.needs_frames = true; // the gesture after it waits for its frames
        return out;
    }
    switch (phase_) {
    case Phase::idle: break;
    case Phase::pressed:
        if (now - start_ms_ >= metrics_.long_press_ms) {
            phase_ = Phase::long_press;
            out.pointer = origin_;
            out.hover_shows = true;
            break;
        }
        out.pointer = origin_; // the row under the finger highlights, as a pressed item does
        out.needs_frames = true;
        break;
    case Phase::long_press:
    case Phase::long_press_shown:
        out.pointer = origin_;
        out.hover_shows = true;
        break;
    case Phase::tap:
        if (!give_tap_stage(origin_, tap_stage_, out)) phase_ = Phase::idle;
        break;
    case Phase::dragging:
        out.pointer = origin_;
        out.scroll_x = pending_x_;
        out.scroll_y = pending_y_;
        out.scroll_starts = drag_started_;
        drag_started_ = false;
        pending_x_ = pending_y_ = 0.0f;
        break;
    case Phase::gliding: {
        const double elapsed = std::max(0.0, now - frame_ms_);
        frame_ms_ = now;
        out.pointer = origin_;
        // The distance a speed falling as e^(−t/τ) covers in `elapsed`: v·τ·(1 − e^(−elapsed/τ)).
        // However the frames fall, the glide ends in the same place (a slow frame on a busy phone
        // does not throw the list further than a smooth one would).
        const double tau = metrics_.momentum_time_ms;
        const float decay = static_cast<float>(std::exp(-elapsed / tau));
        out.scroll_x = velocity_x_ * static_cast<float>(tau) * (1.0f - decay);
        out.scroll_y = velocity_y_ * static_cast<float>(tau) * (1.0f - decay);
        velocity_x_ *= decay;
        velocity_y_ *= decay;
        const float stop = metrics_.stop_speed_css * metrics_.pixel_ratio / 1000.0f;
        if (std::hypot(velocity_x_, velocity_y_) < stop) phase_ = Phase::idle;
        out.needs_frames = phase_ == Phase::gliding;
        break;
    }
    }
    return out;
}

} // namespace netshape::app
