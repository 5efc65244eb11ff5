// Touch gestures (web/touch.h) as a phone's own lists behave: expected values are derived in the
// comments from the metrics (8 CSS px of slop, 500 ms long press, 325 ms deceleration time).
#include "touch.h"

#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

using netshape::app::Point;
using netshape::app::TouchFrame;
using netshape::app::TouchGestures;

TEST_CASE("touch: a tap is hover, press, release, then no pointer at all", "[touch]") {
    TouchGestures touch;
    touch.start({100, 200}, 0);
    touch.move({103, 202}, 40); // within the 8 px slop: still a tap
    touch.end(90);
    const TouchFrame hover = touch.frame(100), press = touch.frame(116), release = touch.frame(132), after = touch.frame(148);
    REQUIRE(hover.pointer);
    CHECK(hover.pointer->x == 100);
    CHECK(hover.pointer->y == 200);
    CHECK_FALSE(hover.button_down);
    CHECK(press.button_down);
    CHECK_FALSE(release.button_down);
    CHECK(release.pointer);
    CHECK_FALSE(after.pointer); // nothing left hovered: no tooltip stays over the table
    for (const TouchFrame& frame : {hover, press, release, after}) CHECK_FALSE(frame.hover_shows);
    CHECK_FALSE(touch.active());
}

TEST_CASE("touch: two taps that land between the same two frames are both given, in order", "[touch]") {
    // A busy phone: a tap on a tab at (100, 30), then one on a box at (200, 400), before any frame.
    TouchGestures touch;
    touch.start({100, 30}, 0);
    touch.end(40);
    touch.start({200, 400}, 90);
    touch.end(130);
    // Each tap is hover, press, release, nowhere (the first test): eight frames, first tap first.
    std::vector<TouchFrame> frames;
    for (int frame = 0; frame < 8; ++frame) frames.push_back(touch.frame(200.0 + 16.0 * frame));
    const float expected_x[] = {100, 100, 100, 0, 200, 200, 200, 0};
    const bool expected_down[] = {false, true, false, false, false, true, false, false};
    for (size_t frame = 0; frame < frames.size(); ++frame) {
        INFO("frame " << frame);
        CHECK(frames[frame].button_down == expected_down[frame]);
        CHECK(bool(frames[frame].pointer) == (frame % 4 != 3));
        if (frames[frame].pointer) CHECK(frames[frame].pointer->x == expected_x[frame]);
        CHECK(frames[frame].needs_frames == (frame < 7)); // until the last tap's "nowhere", the last frame
    }
    CHECK_FALSE(touch.active());
}

TEST_CASE("touch: a drag scrolls by the finger's travel, and glides on when let go", "[touch]") {
    TouchGestures touch;
    touch.start({100, 500}, 0);
    float scrolled = 0;
    bool started = false;
    // Up by 100 px in 100 ms, a move every 10 ms: 1 px/ms.
    for (int step = 1; step <= 10; ++step) {
        touch.move({100, 500.0f - 10.0f * static_cast<float>(step)}, 10.0 * step);
        const TouchFrame frame = touch.frame(10.0 * step);
        CHECK_FALSE(frame.button_down);
        CHECK_FALSE(frame.hover_shows);
        started = started || frame.scroll_starts;
        scrolled += frame.scroll_y;
    }
    CHECK(started);
    CHECK(scrolled == Approx(100.0f)); // a finger moving up 100 px moves the content up 100 px
    touch.end(100);
    // The glide: speed v₀ = 1 px/ms falling as e^(−t/325 ms) travels v₀·325 ms = 325 px in all,
    // less the tail after the speed falls under 20 px/s (0.02 px/ms · 325 ms = 6.5 px).
    float glided = 0;
    int frames = 0;
    for (double now = 116; touch.active() && frames < 1000; now += 16, ++frames) glided += touch.frame(now).scroll_y;
    CHECK(glided == Approx(325.0f - 6.5f).margin(3.0f));
    CHECK(frames < 200); // it stops: 325 ms · ln(1000/20) ≈ 1.3 s, about 80 frames

    // The same flick drawn in two slow frames of a busy phone ends in the same place (within the
    // tail), not thrown further.
    TouchGestures slow;
    slow.start({100, 500}, 0);
    for (int step = 1; step <= 10; ++step) slow.move({100, 500.0f - 10.0f * static_cast<float>(step)}, 10.0 * step);
    slow.frame(100);
    slow.end(100);
    const float first = slow.frame(600).scroll_y;  // 325·(1 − e^(−500/325)) ≈ 255 px
    const float second = slow.frame(2600).scroll_y; // the rest, but for e^(−2500/325)
    CHECK(first == Approx(325.0f * (1.0f - std::exp(-500.0f / 325.0f))).margin(0.5f));
    CHECK(first + second == Approx(glided).margin(7.0f));
    CHECK_FALSE(slow.active());
}

TEST_CASE("touch: a drag stays a drag when a slow frame calls the press long before its first move arrives", "[touch]") {
    // Down at 0 ms; the page is busy and draws its next frame at 600 ms, before it has read the
    // move stamped 30 ms (40 px up, past the 8 px slop): the frame, by its own clock, sees a press
    // held past 500 ms. The move's time shows the finger left before then: it scrolls.
    TouchGestures touch;
    touch.start({100, 500}, 0);
    CHECK(touch.frame(600).hover_shows); // what the late frame made of it
    touch.move({100, 460}, 30);
    touch.move({100, 400}, 60);
    const TouchFrame frame = touch.frame(616);
    CHECK_FALSE(frame.hover_shows);
    CHECK(frame.scroll_starts);
    CHECK(frame.scroll_y == Approx(100.0f)); // the finger went up 100 px: the content too
}

TEST_CASE("touch: a finger that stops before lifting does not glide", "[touch]") {
    TouchGestures touch;
    touch.start({100, 500}, 0);
    touch.move({100, 400}, 50);
    touch.frame(50);
    touch.end(400); // held still for 350 ms
    CHECK_FALSE(touch.active());
    CHECK(touch.frame(416).scroll_y == 0.0f);
}

TEST_CASE("touch: a long press shows what hover shows, until the next touch", "[touch]") {
    TouchGestures touch;
    touch.start({50, 60}, 0);
    const TouchFrame early = touch.frame(200);
    CHECK_FALSE(early.hover_shows);
    CHECK(early.needs_frames); // frames go on, to see the press become a long one
    const TouchFrame held = touch.frame(520);
    CHECK(held.hover_shows);
    CHECK_FALSE(held.button_down); // no click
    touch.end(900);
    CHECK(touch.frame(916).hover_shows);
    touch.start({300, 300}, 2000);
    CHECK_FALSE(touch.frame(2016).hover_shows);
}

TEST_CASE("touch: a second finger hands the gesture to the page", "[touch]") {
    TouchGestures touch;
    touch.start({50, 60}, 0);
    touch.cancel();
    touch.end(50);
    const TouchFrame frame = touch.frame(66);
    CHECK_FALSE(frame.pointer);
    CHECK_FALSE(frame.button_down);
}

TEST_CASE("touch: the slop is in CSS pixels, so a phone's 3 device pixels per CSS pixel count", "[touch]") {
    netshape::app::TouchMetrics metrics;
    metrics.pixel_ratio = 3.0f;
    TouchGestures touch(metrics);
    touch.start({300, 600}, 0);
    touch.move({300, 580}, 30); // 20 device px = 6.7 CSS px: still a tap
    touch.end(60);
    touch.frame(70);
    CHECK(touch.frame(86).button_down);
}

TEST_CASE("touch: a tap stays a tap when a slow frame comes after the finger already lifted", "[touch]") {
    // The finger went down at 0 and up at 120 (the events' times), but the page was busy: its next
    // frame ran at 600, before the queued touchend reached it. The events say tap: a click, no
    // hover left behind.
    TouchGestures touch;
    touch.start({50, 60}, 0);
    CHECK(touch.frame(600).hover_shows); // for now it looks like a long press
    touch.end(120);
    bool clicked = false;
    for (double t = 610; t < 700; t += 16) clicked = touch.frame(t).button_down || clicked;
    CHECK(clicked);
    CHECK_FALSE(touch.frame(720).hover_shows);
}

TEST_CASE("touch: two fingers zoom about their midpoint and pan with it", "[touch]") {
    using netshape::app::ScreenMove;
    using netshape::app::TwoFingerPinch;
    TwoFingerPinch pinch;
    pinch.start({100, 100}, {200, 100}); // 100 px apart, midpoint (150, 100)
    // Spread to 200 px apart about the same midpoint: twice the size, the midpoint stays put and
    // each finger's point stays under it (100 → 50 from the midpoint, doubled, is 0 and 250).
    const ScreenMove spread = pinch.move({50, 100}, {250, 100});
    CHECK(spread.scale == Approx(2.0f));
    CHECK(spread.apply({150, 100}).x == Approx(150.0f));
    CHECK(spread.apply({100, 100}).x == Approx(50.0f));
    CHECK(spread.apply({200, 100}).x == Approx(250.0f));
    // Both fingers 30 px down and 10 px left, the same distance apart: a pan, no zoom.
    const ScreenMove pan = pinch.move({40, 130}, {240, 130});
    CHECK(pan.scale == Approx(1.0f));
    CHECK(pan.apply({0, 0}).x == Approx(-10.0f));
    CHECK(pan.apply({0, 0}).y == Approx(30.0f));
    // Composed, the two are one move: the first finger's first point (100, 100) went to (50, 100),
    // then to (40, 130) — where that finger now is.
    const ScreenMove both = spread.then(pan);
    CHECK(both.scale == Approx(2.0f));
    CHECK(both.apply({100, 100}).x == Approx(40.0f));
    CHECK(both.apply({100, 100}).y == Approx(130.0f));
    CHECK(ScreenMove{}.identity());
    CHECK_FALSE(both.identity());
    // Fingers on the same spot give no ratio: only the pan counts.
    TwoFingerPinch touching;
    touching.start({10, 10}, {10, 10});
    CHECK(touching.move({20, 20}, {60, 20}).scale == 1.0f);
}
