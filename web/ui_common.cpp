// The front end's shared helpers (web/ui_common.h).
#include "ui_common.h"

#include "drawn_items.h"

#include "engine/report.h"
#include "engine/text.h"

#include <imgui_internal.h>

#include <algorithm>

namespace netshape::ui {

namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// The longest start of `word` (at least one character) no wider than `width`.
size_t fitting_prefix(std::string_view word, float width, const std::function<float(std::string_view)>& measure) {
    size_t end = 0;
    for (size_t next = 0; next < word.size();) {
        ++next;
        while (next < word.size() && (static_cast<unsigned char>(word[next]) & 0xC0) == 0x80) ++next; // UTF-8 continuation
        if (end != 0 && measure(word.substr(0, next)) > width) break;
        end = next;
    }
    return end;
}

} // namespace

std::string broken_at_blanks(std::string_view line, float width, const std::function<float(std::string_view)>& measure) {
    std::string out;
    size_t paragraph_start = 0;
    while (paragraph_start <= line.size()) {
        size_t paragraph_end = line.find('\n', paragraph_start);
        if (paragraph_end == std::string_view::npos) paragraph_end = line.size();
        const std::string_view paragraph = line.substr(paragraph_start, paragraph_end - paragraph_start);
        std::string current; // the line being filled
        size_t at = 0;
        while (at < paragraph.size()) {
            size_t word_start = at;
            while (word_start < paragraph.size() && is_blank(paragraph[word_start])) ++word_start;
            size_t word_end = word_start;
            while (word_end < paragraph.size() && !is_blank(paragraph[word_end])) ++word_end;
            std::string_view word = paragraph.substr(word_start, word_end - word_start);
            // The blanks before a word stay with it on the same line (an indent, a gap); at a break
            // they go.
            std::string candidate = cat(current, paragraph.substr(at, word_start - at), word);
            if (current.empty() || measure(candidate) <= width) {
                current = std::move(candidate);
            } else {
                out += current;
                out += '\n';
                current = std::string(word);
            }
            while (measure(current) > width) { // a word no line can hold: cut, as ImGui would
                const size_t blanks = current.size() - word.size(); // an indent before it stays
                const size_t keep = blanks + fitting_prefix(word, std::max(0.0f, width - measure(current.substr(0, blanks))), measure);
                if (keep >= current.size()) break;
                out += current.substr(0, keep);
                out += '\n';
                word = word.substr(keep - blanks);
                current = std::string(word);
            }
            at = word_end;
        }
        out += current;
        if (paragraph_end == line.size()) break;
        out += '\n';
        paragraph_start = paragraph_end + 1;
    }
    return out;
}

void disabled_text(std::string_view line) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    text(line);
    ImGui::PopStyleColor();
}

void same_line_if_it_fits(float width) {
    const float right = ImGui::GetItemRectMax().x + ImGui::GetStyle().ItemSpacing.x + width;
    if (right <= ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x) ImGui::SameLine();
}

float labelled_box_width(float box_width, const char* label) {
    const float label_width = ImGui::CalcTextSize(label, nullptr, true).x;
    return label_width > 0.0f ? box_width + ImGui::GetStyle().ItemInnerSpacing.x + label_width : box_width;
}

void text(std::string_view line) {
    const ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float wrap_x = window->DC.TextWrapPos;
    if (wrap_x < 0.0f) {
        ImGui::TextUnformatted(line.data(), line.data() + line.size());
    } else {
        const float width = ImGui::CalcWrapWidthForPos(window->DC.CursorPos, wrap_x);
        const std::string broken = broken_at_blanks(line, width, [](std::string_view piece) {
            return ImGui::CalcTextSize(piece.data(), piece.data() + piece.size()).x;
        });
        ImGui::PushTextWrapPos(-1.0f); // the breaks are in; ImGui's own would add more
        ImGui::TextUnformatted(broken.data(), broken.data() + broken.size());
        ImGui::PopTextWrapPos();
    }
    note_drawn_text(line); // what a person sees, for the tests and host pages (drawn_items.h)
}

ImVec4 right_color(const UiState& ui) { return ui.dark ? ImVec4(0.45f, 0.85f, 0.45f, 1.0f) : ImVec4(0.1f, 0.5f, 0.1f, 1.0f); }

ImVec4 error_color(const UiState& ui) { return ui.dark ? ImVec4(1.0f, 0.45f, 0.42f, 1.0f) : ImVec4(0.75f, 0.1f, 0.08f, 1.0f); }

void error_text(const UiState& ui, std::string_view message) {
    ImGui::PushStyleColor(ImGuiCol_Text, error_color(ui));
    ImGui::PushTextWrapPos(0.0f);
    text(message);
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

// Text flush right in the current table cell (numbers line up by their last digit).
void right_aligned(std::string_view line) {
    const float width = ImGui::CalcTextSize(line.data(), line.data() + line.size()).x;
    const float room = ImGui::GetContentRegionAvail().x;
    if (room > width) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + room - width);
    text(line);
}

// Whether a block `height` high at the cursor, as wide as the room, would show. A scrolling table
// laid out wholly outside its window trips ImGui 1.86's tables (they skip items while thinking
// their columns visible): such a table is left out and its room kept.
bool on_screen(float height) {
    const ImVec2 size(ImGui::GetContentRegionAvail().x, height);
    const ImVec2 top_left = ImGui::GetCursorScreenPos();
    // The window's clip rectangle, which a canvas smaller than the window (see draw) can leave
    // empty, even inverted: IsRectVisible alone would call a block inside it visible.
    const ImVec2 clip_min = ImGui::GetWindowDrawList()->GetClipRectMin();
    const ImVec2 clip_max = ImGui::GetWindowDrawList()->GetClipRectMax();
    const bool visible = clip_min.x < clip_max.x && clip_min.y < clip_max.y && top_left.x < clip_max.x &&
                         top_left.y < clip_max.y && top_left.x + size.x > clip_min.x && top_left.y + size.y > clip_min.y;
    if (visible) return true;
    ImGui::Dummy(size);
    return false;
}

// `line` as it fits in `width`: whole, or cut with "…" at the end.
std::string fitted_text(const std::string& line, float width) {
    if (ImGui::CalcTextSize(line.c_str()).x <= width) return line;
    const char* ellipsis = "…";
    const float room = width - ImGui::CalcTextSize(ellipsis).x;
    size_t keep = line.size();
    while (keep > 0 && ImGui::CalcTextSize(line.data(), line.data() + keep).x > room) --keep;
    while (keep > 0 && (static_cast<unsigned char>(line[keep]) & 0xC0) == 0x80) --keep; // whole UTF-8 characters
    return line.substr(0, keep) + ellipsis;
}

void tooltip(const UiState& ui, std::string_view message) {
    if (!ui.hover_tooltips || !ImGui::IsItemHovered()) return;
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32.0f);
    text(message);
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

void notify(UiState& ui, std::string message) {
    ui.notice = std::move(message);
    ui.notice_until = ImGui::GetTime() + 2.5;
}

// Asks for an edit: one undo step (or part of the step `edit_key` is grouping), applied when the
// frame's widgets have drawn. The first edit of a frame wins (a frame delivers one input event to
// one widget; a second would be based on the design the first replaced).
void commit(FrameEdits& edits, Architecture design, std::string_view edit_key) {
    if (edits.any()) return;
    edits.design = std::move(design);
    edits.edit_key = edit_key;
}

bool shortcut_modifier() {
    const ImGuiIO& io = ImGui::GetIO();
    return io.ConfigMacOSXBehaviors ? io.KeySuper : io.KeyCtrl;
}

bool key_pressed(ImGuiKey key) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(key)); }

// The GLFW backend indexes keys by GLFW key code, which for letters is the upper-case ASCII code.
bool letter_pressed(char upper_case_letter) { return ImGui::IsKeyPressed(upper_case_letter, false); }

MemoryOptions memory_options(const UiState& ui) {
    MemoryOptions options;
    options.batch_size = std::max(1, ui.batch_size);
    options.optimizer = static_cast<Optimizer>(std::clamp(ui.optimizer, 0, 2));
    options.dtype = static_cast<DType>(std::clamp(ui.dtype, 0, 3));
    return options;
}

// Gives the keyboard to the next widget when it is the one `ui.focus_field` names (a layer was
// just inserted, a new design asks for its input shape).
void take_focus(UiState& ui, std::string_view field) {
    if (ui.focus_field.empty() || ui.focus_field != field) return;
    ImGui::SetKeyboardFocusHere();
    ui.focus_field.clear();
}

void select_layer(UiState& ui, size_t index) {
    ui.selected = index;
    ui.scroll_to_selected = true;
}

bool begin_dialog(const char* title, bool& open) {
    const ImGuiIO& io = ImGui::GetIO();
    const ImVec2 margin(io.DisplaySize.x * 0.04f, io.DisplaySize.y * 0.04f);
    ImGui::SetNextWindowPos(margin, ImGuiCond_Appearing);
    ImGui::SetNextWindowSize(ImVec2(io.DisplaySize.x - margin.x * 2.0f, io.DisplaySize.y - margin.y * 2.0f), ImGuiCond_Appearing);
    if (!ImGui::Begin(title, &open, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return false;
    }
    if (ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) && key_pressed(ImGuiKey_Escape)) open = false;
    return true;
}

void draw_working(const UiState& ui, const LayerResult& layer) {
    float equals_x = 0.0f; // where the last formula's "=" is, from the line's start
    const float line_start = ImGui::GetCursorPosX();
    for (const std::string& line : working_lines(layer, ui.full_formulas)) {
        const size_t first = line.find_first_not_of(' ');
        if (first != 0 && first != std::string::npos && line.compare(first, 2, "= ") == 0) {
            // A continuation: the engine pads it for a monospace font; here it goes under the "=".
            ImGui::SetCursorPosX(line_start + equals_x);
            text(std::string_view(line).substr(first));
            continue;
        }
        const size_t equals = line.find(" = ");
        equals_x = equals == std::string::npos ? 0.0f : ImGui::CalcTextSize(line.data(), line.data() + equals + 1).x;
        text(line);
    }
}

} // namespace netshape::ui
