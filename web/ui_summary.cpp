// The summary table (columns fitted to every row, names cut with "…", hover for the working),
// the totals with the memory estimate, and the selected layer's working.
#include "ui_common.h"

#include "drawn_items.h"

#include "engine/report.h"
#include "engine/text.h"

#include <imgui_internal.h> // the summary table's column widths (ImGuiTable), TableSetColumnWidth

#include <algorithm>
#include <cmath>

namespace netshape::ui {

namespace {

// --------------------------------------------------------------------------------------------
// [SECTION] Summary table
// --------------------------------------------------------------------------------------------

struct SummaryColumn {
    const char* heading;
    std::string_view view_name; // as hide= names it
    bool numeric;
};

constexpr SummaryColumn kSummaryColumns[] = {
    {"Layer", "", false},          {"Type", "type", false},      {"Output shape", "shape", false},
    {"Params", "params", true},    {"Trainable", "trainable", true}, {"Non-trainable", "non_trainable", true},
    {"MACs", "macs", true},
};

std::string number_cell(const LayerResult& layer, int64_t value) {
    return layer.status == LayerStatus::ok ? with_thousands(value) : std::string("--");
}

std::string type_cell(const LayerResult& layer) {
    std::string cell = layer.class_name.empty() ? layer.type : layer.class_name;
    if (!layer.activation.empty()) cell += cat(" + ", layer.activation);
    if (!layer.shares.empty()) cell += cat(layer.tied ? " (ties " : " (shares ", layer.shares, ")");
    return cell;
}

// An exercise's open answer hides the working that has it (web/quiz.h).
void working_waits() {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    text("Its working shows once the exercise's answers it holds are right or shown.");
    ImGui::PopStyleColor();
}

} // namespace

void explanation_tooltip(const UiState& ui, const Analysis& analysis, const LayerResult& layer) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 36.0f);
    text(layer_label(layer));
    if (layer.status == LayerStatus::error) error_text(ui, layer.error);
    if (app::hides_working(ui.quiz, analysis, layer.index)) working_waits();
    else with_font(ui.fonts.mono, [&] { draw_working(ui, layer); });
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
}

namespace {

std::string macs_cell(const LayerResult& layer) {
    return layer.status != LayerStatus::ok ? std::string("--") : layer.macs ? with_thousands(*layer.macs) : std::string("n/a");
}

// The width each summary column needs for its widest value over all rows (not only the rows on
// screen), measured once per design and font. A huge design measures its longest texts only.
void fit_summary_columns(const app::AppState& state, UiState& ui) {
    if (ui.summary_fit_revision == state.revision && ui.summary_fit_font == ImGui::GetFontSize()) return;
    ui.summary_fit_revision = state.revision;
    ui.summary_fit_font = ImGui::GetFontSize();
    const Analysis& analysis = state.analysis;
    constexpr size_t kColumns = IM_ARRAYSIZE(kSummaryColumns);
    constexpr size_t kMeasured = 256; // longest texts measured per column
    for (size_t column = 0; column < kColumns; ++column) {
        auto cell = [&](const LayerResult& layer) -> std::string {
            const bool invalid = layer.status == LayerStatus::error;
            switch (column) {
            case 0: return layer.name;
            case 1: return type_cell(layer);
            case 2: return invalid ? layer.error : output_shape_text(layer);
            case 3: return number_cell(layer, layer.params);
            case 4: return number_cell(layer, layer.trainable_params);
            case 5: return number_cell(layer, layer.non_trainable_params);
            default: return macs_cell(layer);
            }
        };
        std::vector<std::string> texts{kSummaryColumns[column].heading};
        for (const ModelInput& input : analysis.inputs)
            texts.push_back(column == 0 ? input.name : column == 2 ? format_shape(input.shape) : std::string("Input"));
        for (const LayerResult& layer : analysis.layers) texts.push_back(cell(layer));
        if (texts.size() > kMeasured) { // the longest texts are the widest candidates
            std::nth_element(texts.begin(), texts.begin() + kMeasured, texts.end(),
                             [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
            texts.resize(kMeasured);
        }
        float widest = 0.0f;
        for (const std::string& value : texts) widest = std::max(widest, ImGui::CalcTextSize(value.c_str()).x);
        // An error message is long: the shape column shows it in full only on hover.
        if (column == 2) widest = std::min(widest, ImGui::GetFontSize() * 28.0f);
        // An exercise's answer box: room for a shape or count as people write them, and the mark.
        const bool quizzed = (column == 2 && ui.view.quiz_shape) || (column == 3 && ui.view.quiz_params);
        if (quizzed && ui.view.quiz())
            widest = std::max(widest, ImGui::CalcTextSize(column == 2 ? "[256, 10, 10]" : "1,000,000").x +
                                          ImGui::GetStyle().FramePadding.x * 2.0f + ImGui::GetFontSize() * 1.2f);
        ui.summary_fit[column] = std::ceil(widest) + 1.0f;
    }
    ui.summary_refit = true;
}

// A row's height: a line of text, or an exercise's answer box.
float row_height(const UiState& ui) {
    return (ui.quiz.cells.empty() ? ImGui::GetTextLineHeight() : ImGui::GetFrameHeight()) + ImGui::GetStyle().CellPadding.y * 2.0f;
}

// The height of the whole table: the header and every row, and room for a sideways scroll bar.
float whole_table_height(const UiState& ui, const Analysis& analysis) {
    const float row = row_height(ui);
    const size_t rows = 1 + analysis.inputs.size() + analysis.layers.size();
    return row * static_cast<float>(rows) + ImGui::GetStyle().ScrollbarSize + 2.0f;
}

// The columns a narrow screen shows unless the reader asks for more: what a student looks for.
bool narrow_default(const SummaryColumn& column) {
    return column.view_name.empty() || column.view_name == "shape" || column.view_name == "params";
}

// On a narrow screen: "Columns" chooses which show (a long press on a header would too, but
// nobody finds that on a phone).
void column_chooser(UiState& ui) {
    const char* label = "Columns";
    const float width = ImGui::CalcTextSize(label).x + ImGui::GetStyle().FramePadding.x * 2.0f;
    ImGui::SetCursorPosX(std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - width));
    if (ImGui::SmallButton(label)) ImGui::OpenPopup("columns");
    note_last_item(label);
    if (!ImGui::BeginPopup("columns")) return;
    for (size_t i = 0; i < std::size(kSummaryColumns); ++i) {
        if (kSummaryColumns[i].view_name.empty()) continue;
        bool shown = ui.summary_widths[i] > 0.0f;
        if (ImGui::Checkbox(kSummaryColumns[i].heading, &shown)) ui.toggle_column = static_cast<int>(i);
        note_last_item(kSummaryColumns[i].heading);
    }
    ImGui::EndPopup();
}

// Narrow: the name column takes the room the other columns leave (names end in "…"; numbers and
// shapes are never cut), so Layer, Output shape and Params fit a phone without scrolling sideways.
void fit_name_column(const UiState& ui, float table_width) {
    ImGuiTable& table = *ImGui::GetCurrentTable();
    if (table.MinColumnWidth <= 0.0f) return;
    const float padding = ImGui::GetStyle().CellPadding.x * 2.0f + 1.0f; // and the border after it
    float others = 0.0f;
    for (size_t i = 1; i < std::size(kSummaryColumns); ++i)
        if (table.Columns[static_cast<int>(i)].IsEnabled) others += ui.summary_fit[i] + padding;
    const float scroll_bar = ImGui::GetStyle().ScrollbarSize;
    const float room = table_width - others - padding - scroll_bar - 2.0f;
    const float least = std::min(ui.summary_fit[0], ImGui::GetFontSize() * 4.0f);
    ImGui::TableSetColumnWidth(0, std::floor(std::clamp(room, least, ui.summary_fit[0])));
}

} // namespace

// `height` > 0: scroll inside it; 0: as tall as every row (narrower than the table, it scrolls
// sideways).
void summary_table(app::AppState& state, UiState& ui, float height) {
    const Analysis& analysis = state.analysis;
    fit_summary_columns(state, ui);
    ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter | ImGuiTableFlags_BordersV |
                            ImGuiTableFlags_Hideable | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_ScrollY |
                            ImGuiTableFlags_ScrollX;
    // (Dragging a column's edge is for a mouse: on a narrow screen a finger's drag scrolls.)
    if (!ui.narrow) flags |= ImGuiTableFlags_Resizable;
    if (height <= 0.0f) height = whole_table_height(ui, analysis);
    if (ui.narrow) column_chooser(ui);
    if (!on_screen(height)) return;
    // The narrow table is another table (its own columns shown), so the wide one's are kept.
    const float table_width = ImGui::GetContentRegionAvail().x;
    if (!ImGui::BeginTable(ui.narrow ? "summary (narrow)" : "summary", IM_ARRAYSIZE(kSummaryColumns), flags, ImVec2(0, height)))
        return;
    for (size_t i = 0; i < std::size(kSummaryColumns); ++i) {
        const SummaryColumn& column = kSummaryColumns[i];
        ImGuiTableColumnFlags column_flags = ImGuiTableColumnFlags_WidthFixed;
        if (column.view_name.empty()) column_flags |= ImGuiTableColumnFlags_NoHide;
        if (!column.view_name.empty() && (ui.view.hides(column.view_name) || (ui.narrow && !narrow_default(column))))
            column_flags |= ImGuiTableColumnFlags_DefaultHide;
        // Numbers are never cut: their columns keep the width of their widest value.
        if (column.numeric) column_flags |= ImGuiTableColumnFlags_NoResize;
        ImGui::TableSetupColumn(column.heading, column_flags, ui.summary_fit[i]);
    }
    if (ui.toggle_column > 0 && ui.toggle_column < IM_ARRAYSIZE(kSummaryColumns)) {
        ImGui::TableSetColumnEnabled(ui.toggle_column, !(ImGui::TableGetColumnFlags(ui.toggle_column) & ImGuiTableColumnFlags_IsEnabled));
        ui.toggle_column = -1;
    }
    if (ui.summary_refit && ImGui::GetCurrentTable()->MinColumnWidth > 0.0f) { // a new design: every column fits it again
        ui.summary_refit = false;
        for (size_t i = 0; i < std::size(kSummaryColumns); ++i) ImGui::TableSetColumnWidth(static_cast<int>(i), ui.summary_fit[i]);
    }
    if (ui.narrow) fit_name_column(ui, table_width);
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableHeadersRow();

    // Every row as high as an answer box, when there are any: the clipper takes rows to be alike.
    const float least_row = ui.quiz.cells.empty() ? 0.0f : ImGui::GetFrameHeight();
    // Text in a row with answer boxes sits on the boxes' text line.
    const auto next_cell = [&] {
        ImGui::TableNextColumn();
        if (least_row > 0.0f) ImGui::AlignTextToFramePadding();
    };
    // The model inputs first, as torchinfo and Keras list them.
    for (const ModelInput& input : analysis.inputs) {
        ImGui::TableNextRow(0, least_row);
        next_cell();
        ImGui::TextDisabled("%s", input.name.c_str());
        next_cell();
        ImGui::TextDisabled("Input");
        next_cell();
        text(format_shape(input.shape));
        for (int column = 3; column < IM_ARRAYSIZE(kSummaryColumns); ++column) {
            next_cell();
            if (column != 6) right_aligned("0");
        }
    }

    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(analysis.layers.size()));
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const LayerResult& layer = analysis.layers[static_cast<size_t>(row)];
            const bool invalid = layer.status == LayerStatus::error;
            ImGui::TableNextRow(0, least_row);
            next_cell();
            ImGui::PushID(row);
            if (invalid) ImGui::PushStyleColor(ImGuiCol_Text, error_color(ui));
            // A name wider than its column (a person narrowed it) ends with "…"; hover shows it whole.
            const std::string name = fitted_text(layer.name, ImGui::GetContentRegionAvail().x);
            // An exercise's answer boxes lie over the row's span: they take the clicks on them.
            const ImGuiSelectableFlags row_flags = ImGuiSelectableFlags_SpanAllColumns |
                                                   (ui.quiz.cells.empty() ? 0 : ImGuiSelectableFlags_AllowItemOverlap);
            if (ImGui::Selectable(name.c_str(), ui.selected == layer.index, row_flags)) {
                select_layer(ui, layer.index);
                // One column: the working is a tab of its own, opened by the tap (as a phone's lists open an item).
                if (ui.narrow && !ui.view.embed) ui.show_working_tab = true;
            }
            if (ui.hover_tooltips && ImGui::IsItemHovered()) explanation_tooltip(ui, analysis, layer);
            next_cell();
            text(type_cell(layer));
            next_cell();
            if (!quiz_cell(state, ui, layer.index, app::QuizColumn::shape)) text(invalid ? layer.error : output_shape_text(layer));
            next_cell();
            if (!quiz_cell(state, ui, layer.index, app::QuizColumn::params)) right_aligned(number_cell(layer, layer.params));
            // An open count hides the row's other counts (they add up to it); MACs are made of both.
            const bool counts_hidden = app::hides(ui.quiz, layer.index, app::QuizColumn::params);
            const bool macs_hidden = counts_hidden || app::hides(ui.quiz, layer.index, app::QuizColumn::shape);
            next_cell();
            right_aligned(counts_hidden ? "?" : number_cell(layer, layer.trainable_params));
            next_cell();
            right_aligned(counts_hidden ? "?" : number_cell(layer, layer.non_trainable_params));
            next_cell();
            right_aligned(macs_hidden ? "?" : macs_cell(layer));
            if (invalid) ImGui::PopStyleColor();
            ImGui::PopID();
        }
    }
    // The columns a person hides in the wide table (right-click on the header) are hidden in the
    // embed code too, until the embed dialog chooses otherwise; the narrow table's defaults are not
    // a choice.
    if (!ui.view.embed && !ui.narrow) {
        std::vector<std::string> hidden;
        for (int column = 0; column < IM_ARRAYSIZE(kSummaryColumns); ++column)
            if (!kSummaryColumns[column].view_name.empty() && !(ImGui::TableGetColumnFlags(column) & ImGuiTableColumnFlags_IsEnabled))
                hidden.emplace_back(kSummaryColumns[column].view_name);
        if (hidden != ui.table_hidden_columns) ui.embed_choice.hidden_columns = ui.table_hidden_columns = std::move(hidden);
    }
    // What the columns got, for the tests that check no number is cut.
    for (size_t i = 0; i < std::size(kSummaryColumns); ++i) {
        const ImGuiTable* table = ImGui::GetCurrentTable();
        ui.summary_widths[i] = (table->Columns[static_cast<int>(i)].Flags & ImGuiTableColumnFlags_IsEnabled)
                                   ? table->Columns[static_cast<int>(i)].WidthGiven
                                   : 0.0f;
    }
    ImGui::EndTable();
}

// --------------------------------------------------------------------------------------------
// [SECTION] Working and totals
// --------------------------------------------------------------------------------------------

std::string_view summary_column_heading(std::string_view view_name) {
    for (const SummaryColumn& column : kSummaryColumns)
        if (column.view_name == view_name) return column.heading;
    return view_name;
}

float summary_with_totals(app::AppState& state, UiState& ui, float height) {
    const float top = ImGui::GetCursorPosY();
    quiz_progress(state, ui);
    totals(state, ui, false);
    ImGui::Spacing();
    const float totals_height = ImGui::GetCursorPosY() - top;
    const float whole = whole_table_height(ui, state.analysis);
    const float row = row_height(ui);
    const float least = std::min(whole, row * 6.0f + ImGui::GetStyle().ScrollbarSize);
    const float chooser = ui.narrow ? ImGui::GetFrameHeightWithSpacing() : 0.0f;
    summary_table(state, ui, std::clamp(height - totals_height - chooser, least, whole));
    return totals_height + chooser + whole;
}

void totals(app::AppState& state, UiState& ui, bool show_memory_options) {
    const Analysis& analysis = state.analysis;
    if (analysis.error) {
        error_text(ui, analysis.error->message);
        if (analysis.error->layer_index && ImGui::SmallButton("Go to the layer")) select_layer(ui, *analysis.error->layer_index);
        ImGui::TextDisabled("Totals need every layer valid; the layers before it are counted in the table.");
        return;
    }
    const int options[3] = {ui.batch_size, ui.optimizer, ui.dtype};
    if (ui.totals_revision != state.revision || !std::equal(options, options + 3, ui.totals_options)) {
        ui.totals = totals_lines(analysis, memory_options(ui));
        ui.totals_revision = state.revision;
        std::copy(options, options + 3, ui.totals_options);
    }
    ImGui::PushTextWrapPos(0.0f);
    bool held_back = false; // an exercise's open answers hide the totals that hold them (web/quiz.h)
    for (const std::string& line : ui.totals)
        if (app::hides_total(ui.quiz, line)) held_back = true;
        else glossary_line(ui, line);
    if (app::any_open(ui.quiz)) held_back = held_back || !analysis.warnings.empty(); // notes quote shapes
    else for (const std::string& warning : analysis.warnings) disabled_text(cat("Note: ", warning));
    if (held_back) ImGui::TextDisabled("More totals show once every answer is right or shown.");
    ImGui::PopTextWrapPos();
    if (!show_memory_options) return;
    ImGui::Spacing();
    // The estimate's options on one line when they fit, else each on its own (never cut).
    const float font = ImGui::GetFontSize();
    ImGui::TextDisabled("Training estimate:");
    same_line_if_it_fits(labelled_box_width(font * 5.0f, "batch"));
    ImGui::SetNextItemWidth(font * 5.0f);
    if (ImGui::InputInt("batch", &ui.batch_size, 0)) ui.batch_size = std::clamp(ui.batch_size, 1, 1 << 20);
    same_line_if_it_fits(font * 7.0f);
    ImGui::SetNextItemWidth(font * 7.0f);
    ImGui::Combo("##optimizer", &ui.optimizer, "SGD\0SGD + momentum\0Adam\0");
    same_line_if_it_fits(font * 4.5f);
    ImGui::SetNextItemWidth(font * 4.5f);
    ImGui::Combo("##dtype", &ui.dtype, "fp32\0fp16\0bf16\0int8\0");
}

void copy_working(const LayerResult& layer, UiState& ui, const Platform& platform) {
    platform.copy_text(working_text(layer, ui.full_formulas)); // as the pane shows it
    notify(ui, cat("Working of ", layer.name, " copied as text"));
}

void working(app::AppState& state, UiState& ui, const Platform& platform) {
    if (!ui.selected || *ui.selected >= state.analysis.layers.size()) {
        ImGui::TextDisabled("Select a layer to see how its numbers were computed.");
        return;
    }
    const size_t index = *ui.selected;
    const LayerResult& layer = state.analysis.layers[index];
    if (ui.narrow) { // no list beside it: the neighbours are a tap away
        ImGui::BeginDisabled(index == 0);
        if (ImGui::Button("< Previous")) select_layer(ui, index - 1);
        ImGui::EndDisabled();
        ImGui::SameLine();
        ImGui::BeginDisabled(index + 1 >= state.analysis.layers.size());
        if (ImGui::Button("Next >")) select_layer(ui, index + 1);
        ImGui::EndDisabled();
    }
    const bool waits = app::hides_working(ui.quiz, state.analysis, index); // an exercise's open answer
    if (!waits && ImGui::SmallButton("Copy working")) copy_working(layer, ui, platform);
    if (!waits) tooltip(ui, "The layer's name, type, output shape, parameters and working, as plain text");
    // Lines wrap at spaces where the pane is narrow: a formula keeps its result in view, and a
    // number, which has no spaces, is never split.
    ImGui::PushTextWrapPos(0.0f);
    text(layer_label(layer));
    if (waits) {
        working_waits();
    } else if (layer.status == LayerStatus::error) {
        error_text(ui, layer.error);
    } else if (layer.status == LayerStatus::not_reached) {
        ImGui::TextDisabled("Not reached: a layer it depends on is invalid.");
    } else {
        with_font(ui.fonts.mono, [&] {
            draw_working(ui, layer);
        });
    }
    ImGui::PopTextWrapPos();
}

} // namespace netshape::ui
