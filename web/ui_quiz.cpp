// Exercises (?quiz=shape,params, web/quiz.h): the summary's answer boxes, the progress line with
// each answer's hint and "Show working", and Share > Exercise…, which builds the link.
#include "ui_common.h"

#include "drawn_items.h"

#include "engine/report.h"
#include "engine/text.h"

#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>

namespace netshape::ui {

namespace {

// Right and wrong are told by a mark too, not only by colour.
constexpr const char* kRightMark = "✓";
constexpr const char* kWrongMark = "✗";

const char* column_name(app::QuizColumn column) { return column == app::QuizColumn::shape ? "shape" : "params"; }

// The value a shown cell gives away.
std::string right_value(const LayerResult& layer, app::QuizColumn column) {
    return column == app::QuizColumn::shape ? output_shape_text(layer) : with_thousands(layer.params);
}

// "Show working": the layer's cells are shown, and its working is put in view — the working pane
// (on a phone its tab); the embed view has none, so its progress lines show the working instead.
void show_working(const app::AppState& state, UiState& ui, size_t layer) {
    app::show_layer(ui.quiz, state.analysis, layer);
    select_layer(ui, layer);
    if (ui.narrow && !ui.view.embed) ui.show_working_tab = true;
}

} // namespace

bool quiz_cell(app::AppState& state, UiState& ui, size_t layer, app::QuizColumn column) {
    const app::QuizCell* found = app::find_cell(ui.quiz, layer, column);
    if (!found) return false;
    const size_t index = static_cast<size_t>(found - ui.quiz.cells.data());
    app::QuizCell& cell = ui.quiz.cells[index];
    if (cell.shown && !cell.right()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
        if (column == app::QuizColumn::params) right_aligned(right_value(state.analysis.layers[layer], column));
        else text(right_value(state.analysis.layers[layer], column));
        ImGui::PopStyleColor();
        return true;
    }
    const bool right = cell.right();
    const bool wrong = !cell.answer.empty() && !right;
    const float mark = ImGui::CalcTextSize(kRightMark).x + ImGui::GetStyle().ItemInnerSpacing.x;
    if (right || wrong) {
        ImVec4 tint = right ? right_color(ui) : error_color(ui);
        tint.w = 0.22f;
        ImGui::PushStyleColor(ImGuiCol_FrameBg, tint);
    }
    ImGui::SetNextItemWidth(std::max(ImGui::GetFontSize() * 3.0f, ImGui::GetContentRegionAvail().x - mark));
    const std::string label = cat("##", column_name(column), ":", cell.name);
    if (ImGui::InputTextWithHint(label.c_str(), column_name(column), &cell.answer))
        app::answer_cell(ui.quiz, state, index, cell.answer);
    if (right || wrong) ImGui::PopStyleColor();
    ImGui::SameLine(0.0f, ImGui::GetStyle().ItemInnerSpacing.x);
    if (right || wrong) {
        ImGui::PushStyleColor(ImGuiCol_Text, right ? right_color(ui) : error_color(ui));
        ImGui::AlignTextToFramePadding();
        text(right ? kRightMark : kWrongMark);
        ImGui::PopStyleColor();
    }
    return true;
}

void quiz_progress(app::AppState& state, UiState& ui) {
    if (!ui.view.quiz()) return;
    const app::Quiz& quiz = ui.quiz;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("Exercise:");
    ImGui::SameLine();
    text(quiz.cells.empty() ? std::string("no layer of this design has a result to ask about") : app::progress_text(quiz));
    if (!quiz.unmatched.empty())
        ImGui::TextDisabled("Not in this design: layers=%s", join(quiz.unmatched, ",").c_str());
    std::optional<size_t> show;       // a click on "Show working", applied after the lines are drawn
    std::optional<size_t> last_shown; // cells are in layer order: a layer's working is shown once
    for (const app::QuizCell& cell : quiz.cells) {
        const LayerResult& layer = state.analysis.layers[cell.layer];
        if (cell.shown && !cell.right()) {
            // The working pane has it; the embed view, which has none, shows it here.
            if (ui.view.embed && last_shown != cell.layer) {
                text(layer_label(layer));
                with_font(ui.fonts.mono, [&] { draw_working(ui, layer); });
            }
            last_shown = cell.layer;
            continue;
        }
        if (cell.answer.empty()) continue; // (before the look at its inputs: a design may have 100,000 rows)
        const std::string said = app::feedback(cell, app::reads_open_shape(quiz, state.analysis, cell.layer));
        if (said.empty()) continue;
        const bool right = cell.right();
        ImGui::PushStyleColor(ImGuiCol_Text, right ? right_color(ui) : error_color(ui));
        text(cat(cell.name, " ", column_name(cell.column), ": ", said));
        ImGui::PopStyleColor();
        if (!right && ImGui::SmallButton(cat("Show working##", cell.name, ":", column_name(cell.column)).c_str()))
            show = cell.layer;
    }
    ImGui::PopTextWrapPos();
    if (show) show_working(state, ui, *show);
    ImGui::Separator();
}

// --------------------------------------------------------------------------------------------
// [SECTION] Share > Exercise…
// --------------------------------------------------------------------------------------------

namespace {

bool checkbox(const char* label, bool* value) {
    const bool changed = ImGui::Checkbox(label, value);
    note_last_item(label);
    return changed;
}

void layer_choice(const app::AppState& state, UiState& ui) {
    app::ViewOptions& choice = ui.exercise_choice;
    ImGui::TextDisabled("In the rows of");
    ImGui::SameLine();
    if (ImGui::RadioButton("every layer", !ui.exercise_some_layers)) {
        ui.exercise_some_layers = false;
        choice.quiz_layers.clear();
    }
    note_last_item("every layer");
    ImGui::SameLine();
    if (ImGui::RadioButton("the layers ticked", ui.exercise_some_layers)) ui.exercise_some_layers = true;
    note_last_item("the layers ticked");
    if (!ui.exercise_some_layers) return;
    // Numbered from 1, as the layer list shows them: the link says layers=3,6.
    const float height = std::min(ImGui::GetFrameHeightWithSpacing() * static_cast<float>(state.analysis.layers.size() + 1),
                                  ImGui::GetFrameHeightWithSpacing() * 8.0f);
    ImGui::BeginChild("exercise layers", ImVec2(0, height), true);
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(state.analysis.layers.size()));
    while (clipper.Step())
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const std::string number = std::to_string(row + 1);
            std::vector<std::string>& layers = choice.quiz_layers;
            const auto at = std::find(layers.begin(), layers.end(), number);
            bool ticked = at != layers.end();
            const std::string label = cat(number, "  ", layer_label(state.analysis.layers[static_cast<size_t>(row)]), "##exercise");
            if (checkbox(label.c_str(), &ticked)) {
                if (ticked) layers.push_back(number);
                else layers.erase(at);
                std::sort(layers.begin(), layers.end(), [](const std::string& a, const std::string& b) {
                    return std::stoul(a) < std::stoul(b);
                });
            }
        }
    ImGui::EndChild();
}

} // namespace

void exercise_dialog(app::AppState& state, UiState& ui, const Platform& platform) {
    if (!ui.exercise_dialog_open || !begin_dialog("Exercise", ui.exercise_dialog_open)) return;
    app::ViewOptions& choice = ui.exercise_choice;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("Students fill in cells of the summary; each answer is checked as they write it, a wrong one "
                        "gets a hint. Answers stay in each student's page: they are never put in the link.");
    ImGui::PopTextWrapPos();
    ImGui::TextDisabled("Students answer");
    ImGui::SameLine();
    checkbox("output shapes", &choice.quiz_shape);
    ImGui::SameLine();
    checkbox("parameter counts", &choice.quiz_params);
    layer_choice(state, ui);
    checkbox("as an embed (for a course page's iframe)", &choice.embed);
    ImGui::Separator();
    if (!choice.quiz()) {
        ImGui::TextDisabled("Choose shapes, parameter counts or both.");
    } else {
        choice.dark = ui.view.dark;
        std::string link = page_link(state, platform, choice);
        if (ImGui::Button("Copy link##exercise")) {
            platform.copy_text(link);
            notify(ui, "Exercise link copied: each student's answers stay in their own page");
        }
        note_last_item("Copy link##exercise");
        ImGui::InputTextMultiline("##exercise link", &link, ImVec2(-1.0f, ImGui::GetTextLineHeight() * 3.5f),
                                  ImGuiInputTextFlags_ReadOnly);
    }
    ImGui::End();
}

} // namespace netshape::ui
