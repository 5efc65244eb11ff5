// Edit > Import a model…: what print(model) printed in a notebook (engine/import_pytorch.h), with
// the input shape the repr does not show, Keras's model.to_json() (engine/import_keras.h), or Keras
// code (engine/import_keras_code.h), told apart by the tools (engine/tool_run.cpp). The import is
// one undo step; what was inferred rather than read stays listed in the dialog.
#include "ui_common.h"

#include "drawn_items.h"

#include "engine/answers.h"
#include "engine/text.h"
#include "engine/tool_request.h"

#include <misc/cpp/imgui_stdlib.h>

#include <charconv>

namespace netshape::ui {

namespace {

// Checks the boxes and asks the tools to import (ui_tools.cpp finishes it when they answer).
void run_import(UiState& ui) {
    ui.import_warnings.clear();
    ui.import_failed = true;
    const bool has_shape = import_text_has_shape(ui.import_text);
    const std::optional<ShapeAnswer> shape = read_shape_answer(ui.import_shape);
    if (!shape && !(has_shape && trim_space(ui.import_shape).empty())) {
        ui.import_result = cat("'", ui.import_shape, "' is not a shape: write one sample's, such as 3x224x224.");
        return;
    }
    int64_t heads = 0;
    if (const std::string_view written = trim_space(ui.import_heads); !written.empty()) {
        const auto [end, problem] = std::from_chars(written.data(), written.data() + written.size(), heads);
        if (problem != std::errc() || end != written.data() + written.size() || heads < 1 || heads > 1'000'000) {
            ui.import_result = cat("'", ui.import_heads, "' is not a number of heads: write a whole number, such as 12.");
            return;
        }
    }
    ui.import_result.clear();
    ToolRequest request;
    request.verb = ToolVerb::import_model;
    request.text = ui.import_text;
    if (shape) request.input_shape = shape->shape;
    request.attention_heads = heads;
    ask_tools(ui, {ToolsUse::import_model, encode_tool_request(request), {}, {}});
}

} // namespace

void import_dialog(UiState& ui, const Platform& platform) {
    if (!ui.import_dialog_open || !begin_dialog("Import a model", ui.import_dialog_open)) return;
    if (platform.prepare_tools) platform.prepare_tools(); // fetched while the person pastes
    ImGui::PushTextWrapPos(0.0f);
    disabled_text("Paste what PyTorch's print(model) prints, an nn.Sequential(...) as written in a notebook, "
                        "Keras's model.to_json(), or Keras code (keras.Sequential([...]), model.add(...), or "
                        "x = layers.Dense(10)(x) and keras.Model(inputs, outputs)); or a design saved as JSON "
                        "(Share > Download design), which opens as it was saved. From print(model), "
                        "Sequentials keep their order and torchvision's blocks get their skip connections; a custom "
                        "module's children are taken in the order they are defined. What forward() does without a "
                        "module is added only where the next module shows it, and listed below; a MultiheadAttention's heads, "
                        "which print(model) hides, go in their box. Keras's JSON and "
                        "code have their input shape; the box is then needed only for a Sequential built without one.");
    ImGui::PopTextWrapPos();
    ImGui::InputTextMultiline("##print(model)", &ui.import_text, ImVec2(-1.0f, ImGui::GetTextLineHeight() * 9.0f),
                              ImGuiInputTextFlags_AllowTabInput);
    note_last_item("##print(model)");
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8.0f);
    ImGui::InputText("Input shape (one sample)##import", &ui.import_shape);
    note_last_item("Input shape (one sample)##import");
    // On one line where the dialog is wide enough; on a phone each goes below the last.
    same_line_if_it_fits(labelled_box_width(ImGui::GetFontSize() * 3.0f, "Attention heads##import"));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 3.0f);
    ImGui::InputText("Attention heads##import", &ui.import_heads);
    note_last_item("Attention heads##import");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("print(model) does not show a MultiheadAttention's heads: ViT-B/16 has 12");
    same_line_if_it_fits(ImGui::CalcTextSize("Import").x + ImGui::GetStyle().FramePadding.x * 2.0f);
    const bool waiting = waiting_for_tools(ui, ToolsUse::import_model);
    ImGui::BeginDisabled(waiting);
    if (ImGui::Button("Import")) run_import(ui);
    note_last_item("Import");
    ImGui::EndDisabled();
    if (waiting && ui.pending_tools_asked) {
        ImGui::Separator();
        disabled_text("Loading the import tools...");
    } else if (!ui.import_result.empty()) {
        ImGui::Separator();
        if (ui.import_failed) {
            error_text(ui, ui.import_result);
        } else {
            ImGui::PushTextWrapPos(0.0f);
            text(ui.import_result);
            for (const std::string& warning : ui.import_warnings) text(cat("note: ", warning));
            ImGui::PopTextWrapPos();
        }
    }
    ImGui::End();
}

} // namespace netshape::ui
