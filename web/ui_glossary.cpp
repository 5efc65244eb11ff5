// Help > Glossary: a window with every entry of the engine's glossary (src/engine/glossary.h), and
// each totals line's label, underlined, that opens it at that line's entry (hover: the first sentence).
#include "ui_common.h"

#include "drawn_items.h"

#include "engine/glossary.h"
#include "engine/text.h"

#include <algorithm>

namespace netshape::ui {

void open_glossary(UiState& ui, std::string_view entry_id) {
    ui.glossary_open = true;
    ui.glossary_entry = std::string(entry_id);
    ui.glossary_scroll = true;
}

// The line as text() draws it, and its label ("Total MACs") underlined, as a page underlines a
// term it defines: hovering the label shows the entry's first sentence, a click (or the keyboard's
// Space on it) opens the glossary there. Over the text, not beside it: the totals keep their width,
// and a phone's narrow column does not wrap them sooner.
void glossary_line(UiState& ui, std::string_view line) {
    const ImVec2 start = ImGui::GetCursorScreenPos();
    text(line);
    const GlossaryEntry* entry = glossary_entry_for(line);
    if (!entry) return;
    const ImVec2 after = ImGui::GetCursorScreenPos();
    std::string_view name = line.substr(0, line.find_first_of(":("));
    while (name.ends_with(' ')) name.remove_suffix(1);
    const ImVec2 size(ImGui::CalcTextSize(name.data(), name.data() + name.size()).x, ImGui::GetTextLineHeight());
    // One CSS pixel thick (three display pixels on a phone's 3× screen), just under the letters.
    const float thickness = std::max(1.0f, ui.fonts.scale);
    const float underline = start.y + size.y - thickness * 0.5f;
    ImGui::GetWindowDrawList()->AddLine(ImVec2(start.x, underline), ImVec2(start.x + size.x, underline),
                                        ImGui::GetColorU32(ImGuiCol_TextDisabled), thickness);
    // Named by the line's label ("##glossary Total MACs"): unique in the totals, found by the tests.
    ImGui::SetCursorScreenPos(start);
    const std::string label = cat("##glossary ", name);
    if (ImGui::InvisibleButton(label.c_str(), size)) open_glossary(ui, entry->id);
    note_last_item(label.c_str()); // (ImGui 1.86 reports no label for an invisible button)
    if (ImGui::IsItemHovered()) ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
    tooltip(ui, cat(entry->term, ": ", first_sentence(entry->text), " (click: the glossary)"));
    ImGui::SetCursorScreenPos(after);
}

void glossary_window(UiState& ui) {
    if (!ui.glossary_open) return;
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    const float font = ImGui::GetFontSize();
    ImGui::SetNextWindowSize(ImVec2(std::min(display.x * 0.94f, font * 36.0f), display.y * 0.7f), ImGuiCond_Appearing);
    ImGui::SetNextWindowPos(ImVec2(display.x * 0.5f, display.y * 0.5f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (ui.glossary_scroll) ImGui::SetNextWindowFocus(); // a label clicked while it was open brings it forward
    if (ImGui::Begin("Glossary", &ui.glossary_open, ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoCollapse)) {
        // Opened from Help: from the top, wherever a label left it scrolled. (A scroll is applied in the
        // next frame, which is asked for.)
        if (ui.glossary_scroll && ui.glossary_entry.empty()) ImGui::SetScrollY(0.0f);
        if (ui.glossary_scroll) ui.wants_redraw = true;
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextDisabled("What the summary's columns and totals mean, in PyTorch's and Keras's conventions.");
        for (const GlossaryEntry& entry : glossary()) {
            ImGui::Separator();
            const bool chosen = entry.id == ui.glossary_entry;
            // A selectable term: the chosen entry stands out, and the keyboard can walk the terms.
            if (ImGui::Selectable(std::string(entry.term).c_str(), chosen)) ui.glossary_entry = std::string(entry.id);
            if (chosen && ui.glossary_scroll) {
                ImGui::SetScrollHereY(0.0f);
                ui.glossary_scroll = false;
            }
            text(entry.text);
        }
        ImGui::PopTextWrapPos();
        if (ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) && key_pressed(ImGuiKey_Escape))
            ui.glossary_open = false;
    }
    ImGui::End();
    ui.glossary_scroll = false; // an id no entry has is not looked for again
}

} // namespace netshape::ui
