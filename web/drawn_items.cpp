// The test engine hooks Dear ImGui 1.86 calls when IMGUI_ENABLE_TEST_ENGINE is defined: ItemAdd
// for each item laid out, ItemInfo for the ones with a label (buttons, boxes, selectables,
// menus, tabs). Only the visible part of an item is kept: a widget scrolled out of view, or in a
// window not shown yet, cannot be clicked.
#include "drawn_items.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <cstdarg>

void ImGuiTestEngineHook_ItemInfo(ImGuiContext* context, ImGuiID id, const char* label, ImGuiItemStatusFlags);

namespace netshape::ui {

namespace {

struct Recorder {
    std::vector<DrawnItem> building; // this frame's
    std::vector<DrawnItem> last;     // the last complete frame's
    std::vector<DrawnText> building_texts;
    std::vector<DrawnText> last_texts;
};

Recorder& recorder() {
    static Recorder instance; // the hooks are free functions with no user pointer
    return instance;
}

} // namespace

void record_drawn_items() { ImGui::GetCurrentContext()->TestEngineHookItems = true; }

void start_drawn_items_frame() {
    recorder().building.clear();
    recorder().building_texts.clear();
}

void end_drawn_items_frame() {
    Recorder& r = recorder();
    r.last.swap(r.building);
    r.last_texts.swap(r.building_texts);
}

void note_drawn_text_in(std::string_view text, float x, float y, float w, float h) {
    const ImGuiContext& context = *ImGui::GetCurrentContext();
    const ImGuiWindow* window = context.CurrentWindow;
    if (!window || window->SkipItems || window->Hidden || window->HiddenFramesCanSkipItems > 0 ||
        window->HiddenFramesCannotSkipItems > 0)
        return;
    const ImRect drawn(x, y, x + w, y + h);
    ImRect visible = drawn;
    visible.ClipWith(window->ClipRect); // in a table, the cell's
    if (visible.GetWidth() <= 0.0f || visible.GetHeight() <= 0.0f) return;
    const bool whole = window->ClipRect.Contains(drawn);
    recorder().building_texts.push_back(
        {std::string(text), visible.Min.x, visible.Min.y, visible.GetWidth(), visible.GetHeight(), whole});
}

void note_drawn_text(std::string_view text) {
    const ImRect& drawn = ImGui::GetCurrentContext()->LastItemData.Rect;
    note_drawn_text_in(text, drawn.Min.x, drawn.Min.y, drawn.GetWidth(), drawn.GetHeight());
}

const std::vector<DrawnText>& drawn_texts() { return recorder().last_texts; }

void note_last_item(const char* label) {
    ImGuiContext& context = *ImGui::GetCurrentContext();
    ImGuiTestEngineHook_ItemInfo(&context, context.LastItemData.ID, label, 0);
}

const std::vector<DrawnItem>& drawn_items() { return recorder().last; }

const std::string* active_drawn_item() {
    for (const DrawnItem& item : recorder().last)
        if (item.active) return &item.label;
    return nullptr;
}

const DrawnItem* find_drawn_item(const std::string& label) {
    for (const DrawnItem& item : recorder().last)
        if (item.label == label) return &item;
    return nullptr;
}

} // namespace netshape::ui

void ImGuiTestEngineHook_ItemAdd(ImGuiContext*, const ImRect&, ImGuiID) {}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext* context, ImGuiID id, const char* label, ImGuiItemStatusFlags) {
    if (!label || !*label || !context->CurrentWindow || context->LastItemData.ID != id) return;
    // A window that appears is laid out hidden for a frame first (a popup sizing itself to its
    // items): its items are not on screen yet, and where they would be may still move.
    const ImGuiWindow& window = *context->CurrentWindow;
    if (window.Hidden || window.HiddenFramesCanSkipItems > 0 || window.HiddenFramesCannotSkipItems > 0) return;
    ImRect visible = context->LastItemData.Rect;
    visible.ClipWith(context->CurrentWindow->ClipRect);
    if (visible.GetWidth() <= 0.0f || visible.GetHeight() <= 0.0f) return;
    netshape::ui::recorder().building.push_back(
        {label, visible.Min.x, visible.Min.y, visible.GetWidth(), visible.GetHeight(), id == context->ActiveId});
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }
