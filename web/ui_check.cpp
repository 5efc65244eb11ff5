// Edit > Check a table…: a table made by hand — from course notes, a tutorial, a student's
// homework — pasted beside the design and checked cell by cell (engine/table_check.h). Each wrong
// cell shows the right value and the slip that most likely gave the written one.
#include "ui_common.h"

#include "drawn_items.h"

#include "engine/text.h"

#include <misc/cpp/imgui_stdlib.h>

namespace netshape::ui {

namespace {

// The check runs when the text or the design changes, not per frame: a slip is found by running
// a layer's rule again, and a pasted table can have thousands of rows.
void refresh(const app::AppState& state, UiState& ui) {
    if (ui.checked_revision == state.revision && ui.checked_text == ui.check_text) return;
    ui.table_check = check_table(state.design, state.analysis, ui.check_text);
    ui.checked_text = ui.check_text;
    ui.checked_revision = state.revision;
}

void wrapped(std::string_view line) {
    ImGui::PushTextWrapPos(0.0f);
    text(line);
    ImGui::PopTextWrapPos();
}

void cell_line(const UiState& ui, const TableCellCheck& cell) {
    const AnswerCheck& check = cell.check;
    const std::string what = cat(table_column_name(cell.column), " ", cell.written);
    ImGui::Indent();
    switch (check.verdict) {
    case AnswerVerdict::right:
    case AnswerVerdict::right_but_written_differently:
        ImGui::PushStyleColor(ImGuiCol_Text, right_color(ui));
        wrapped(cat("right: ", what, check.note.empty() ? std::string() : cat(" (", check.note, ")")));
        ImGui::PopStyleColor();
        break;
    case AnswerVerdict::wrong:
        error_text(ui, cat("wrong: ", what, ". It is ", check.right_value,
                           check.slips.empty() ? std::string(".") : cat(": ", check.slips.front())));
        break;
    case AnswerVerdict::unreadable: error_text(ui, cat("not read: ", what, ": ", check.note)); break;
    }
    ImGui::Unindent();
}

void report(const UiState& ui) {
    const TableCheck& check = ui.table_check;
    if (check.cells_checked == 0) {
        ImGui::TextDisabled("Nothing to check yet: no row with a shape or a count was found.");
    } else if (check.cells_wrong == 0 && check.cells_unreadable == 0) {
        ImGui::PushStyleColor(ImGuiCol_Text, right_color(ui));
        text(cat("All ", check.cells_checked, check.cells_checked == 1 ? " cell" : " cells", " right."));
        ImGui::PopStyleColor();
    } else {
        error_text(ui, cat(check.cells_wrong, " of ", check.cells_checked, " cells wrong",
                           check.cells_unreadable ? cat(", ", check.cells_unreadable, " not read") : std::string(), "."));
    }
    for (const TableRowCheck& row : check.rows) {
        ImGui::TextDisabled("line %zu", row.line);
        ImGui::SameLine();
        wrapped(cat(row.label, "  →  ", row.checked_against, row.matched_by == "order" ? " (matched in order)" : ""));
        for (const TableCellCheck& cell : row.cells) cell_line(ui, cell);
    }
    for (const std::string& note : check.notes) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
        wrapped(note);
        ImGui::PopStyleColor();
    }
}

} // namespace

void check_table_dialog(const app::AppState& state, UiState& ui) {
    if (!ui.check_dialog_open || !begin_dialog("Check a table", ui.check_dialog_open)) return;
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextDisabled("Paste a table made by hand for this design: columns split by tabs or two spaces (with a "
                        "header naming them, or not), Markdown or CSV, or lines of working such as");
    text("conv1 (28-5+1)=24 -> 6x24x24  (5*5*1+1)*6 = 156");
    ImGui::TextDisabled("Rows are matched to layers by name, else in order. Each output shape, activation size and "
                        "parameter count is checked; a wrong one gets the right value and the likely slip.");
    ImGui::PopTextWrapPos();
    ImGui::InputTextMultiline("##table to check", &ui.check_text,
                              ImVec2(-1.0f, ImGui::GetTextLineHeight() * 9.0f), ImGuiInputTextFlags_AllowTabInput);
    note_last_item("##table to check");
    ImGui::Separator();
    refresh(state, ui);
    ImGui::BeginChild("##table check report");
    report(ui);
    ImGui::EndChild();
    ImGui::End();
}

} // namespace netshape::ui
