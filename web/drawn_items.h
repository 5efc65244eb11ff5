// Where the labelled widgets of the last frame were drawn: "+ Add layer", "##out_features",
// "Share". Dear ImGui reports every item it lays out to the hooks of its test engine
// (IMGUI_ENABLE_TEST_ENGINE, web/imgui_config.h); they are kept here, so the native UI tests and
// the browser tests find a widget by its label instead of by a pixel position that moves with
// the layout, and host pages can too (window.netshape.widgets()).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace netshape::ui {

struct DrawnItem {
    std::string label;             // as given to ImGui, "##name" included
    float x = 0, y = 0, w = 0, h = 0; // the visible part, in the display's pixels
    bool active = false;              // it has the mouse or the keyboard (a box being typed in)
};

// A text the last frame drew where it shows: cells, totals, working lines. `whole`: none of it is
// clipped by its window or cell (a cut number would read as another number).
struct DrawnText {
    std::string text;
    float x = 0, y = 0, w = 0, h = 0; // the visible part, in the display's pixels
    bool whole = true;
};

// Turns the hooks on for the current ImGui context (call once after CreateContext).
void record_drawn_items();

// Call before ImGui::NewFrame and after ImGui::Render: what the frame drew becomes drawn_items().
void start_drawn_items_frame();
void end_drawn_items_frame();

// Records the last item under `label`, for the widgets ImGui 1.86 does not report (combos).
void note_last_item(const char* label);

// Records the text the last item drew (call right after it), if any of it shows.
void note_drawn_text(std::string_view text);
// The same for a text drawn straight into a draw list (the diagram's boxes), at a display rectangle.
void note_drawn_text_in(std::string_view text, float x, float y, float w, float h);

// The texts of the last complete frame that show, in drawing order.
const std::vector<DrawnText>& drawn_texts();

// The labelled items of the last complete frame, in drawing order (visible ones only).
const std::vector<DrawnItem>& drawn_items();

// The first visible item with `label`, or nullptr.
const DrawnItem* find_drawn_item(const std::string& label);

// The label of the item that is active (a box being typed in, a button held), or nullptr.
const std::string* active_drawn_item();

} // namespace netshape::ui
