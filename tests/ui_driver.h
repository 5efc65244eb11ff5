// Drives the ImGui front end (web/ui.cpp) without a browser or a renderer: a Dear ImGui context
// with the default font, a 1280×800 display, and input scripted as a person gives it — the mouse
// moved to a widget found by its label and clicked, the wheel, keys, typed text. Each input is
// followed by frames, as the browser glue delivers it. Used by the native UI tests and the UI
// fuzzer.
#pragma once

#include "app_state.h"
#include "drawn_items.h"
#include "ui.h"

#include <string>
struct ImGuiContext;
#include <string_view>
#include <utility>
#include <vector>

namespace netshape::testing {

// Key codes as GLFW numbers them (the browser build's backend fills ImGui's key map with these,
// and web/ui.cpp reads letters by their upper-case ASCII code).
enum Key : int {
    kKeyTab = 258, kKeyEnter = 257, kKeyEscape = 256, kKeyBackspace = 259, kKeyDelete = 261,
    kKeySpace = 32, kKeyRight = 262, kKeyLeft = 263, kKeyDown = 264, kKeyUp = 265, kKeyHome = 268, kKeyEnd = 269,
};

struct Modifiers {
    bool ctrl = false, shift = false, alt = false;
};

// ImGui assertions seen (web/imgui_config.h routes them here in the tests): each one is a defect.
std::vector<std::string>& imgui_assertions();

class UiDriver {
public:
    explicit UiDriver(std::string_view link_text_or_json, std::string_view query = {});
    ~UiDriver();
    UiDriver(const UiDriver&) = delete;
    UiDriver& operator=(const UiDriver&) = delete;

    void frame();
    void frames(int count);

    // Clicks the centre of the first visible widget labelled `label` ("+ Add layer",
    // "##out_features"); false when none is on screen.
    bool click(const std::string& label);
    void click_at(float x, float y, int button = 0);
    void move_to(float x, float y);
    void wheel(float vertical, float horizontal = 0.0f); // ImGui's units (see web/wheel.h)
    void key(int key, Modifiers modifiers = {});
    void type(std::string_view text); // one character a frame, as typing reaches the app
    void resize(float width, float height);

    const ui::DrawnItem* find(const std::string& label) const { return ui::find_drawn_item(label); }
    std::string link_text() const;

    app::AppState state;
    ui::UiState ui;
    ui::Platform platform;
    std::vector<std::string> copied;     // what the UI put on the clipboard
    std::vector<std::string> opened;     // URLs it opened
    std::vector<std::string> downloaded; // file names it offered
    std::vector<std::string> downloaded_content; // and what they held (a PNG: the SVG it was to draw)
    std::vector<std::pair<int, int>> png_sizes;  // the PNGs' width and height, in pixels
    bool tools_arrived = true; // false: the import and export tools are still on their way
    int tools_prepared = 0;    // how often the UI asked for them to be fetched

private:
    ::ImGuiContext* context_ = nullptr;
};

} // namespace netshape::testing
