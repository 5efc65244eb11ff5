// The design editor: the title and input shapes, the layer list (select, drag, keys), the
// palette ("+ Add layer": kinds by name, or layers written as link text) and the selected
// layer's fields, each with its widget. Edits go through FrameEdits (web/ui_common.h).
#include "ui_common.h"

#include "drawn_items.h"
#include "editing.h"
#include "engine/analysis.h"
#include "engine/catalog.h"
#include "engine/limits.h"
#include "engine/link_blocks.h"
#include "engine/report.h"
#include "engine/text.h"

#include <imgui_internal.h> // the palette keeps Up/Down from ImGui's navigation
#include <misc/cpp/imgui_stdlib.h>

#include <algorithm>

namespace netshape::ui {

namespace {

// --------------------------------------------------------------------------------------------
// [SECTION] Design editor: header, inputs, layer list, palette, fields
// --------------------------------------------------------------------------------------------

void field_error_under(const UiState& ui, std::string_view id) {
    if (ui.field_error_id == id && !ui.field_error.empty()) error_text(ui, ui.field_error);
}

// What was typed into box `id` as an edit: made (the box's message goes), or refused (the reason
// shows under the box and nothing changes).
void commit_typed(FrameEdits& edits, UiState& ui, app::Edited edited, const std::string& id, std::string_view edit_key) {
    if (!edited.refused.empty()) {
        ui.field_error = std::move(edited.refused);
        ui.field_error_id = id;
        return;
    }
    commit(edits, std::move(edited.design), edit_key);
    ui.field_error.clear();
}

// The box of model input `index`'s shape, or, without an index, of the first input a new design
// is still waiting for (what is typed there makes it).
void input_shape_box(const app::AppState& state, UiState& ui, FrameEdits& edits, std::optional<size_t> index) {
    const std::string id = cat("inputs[", index.value_or(0), "]");
    std::string shape = index ? app::shape_text(state.design.inputs[*index].shape) : std::string();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 9.0f);
    take_focus(ui, "input shape");
    const char* hint = state.design.convention == Convention::keras ? "e.g. 28x28x1" : "e.g. 1x28x28";
    if (!ImGui::InputTextWithHint("##input shape", hint, &shape)) return;
    std::string error;
    std::optional<Shape> parsed = app::parse_shape_text(shape, error);
    if (!parsed) {
        ui.field_error = error;
        ui.field_error_id = id;
        return;
    }
    Architecture design = state.design;
    if (index) design.inputs[*index].shape = *parsed;
    else design.inputs.push_back({std::string(kDefaultInputName), *parsed});
    commit(edits, std::move(design), cat(id, ".shape"));
    ui.field_error.clear();
}

void design_header(app::AppState& state, UiState& ui, FrameEdits& edits) {
    std::string title = state.design.name;
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (ImGui::InputTextWithHint("##title", "Title (optional)", &title)) {
        if (title.size() > kMaxTitleBytes) { // the link could not hold it (src/engine/limits.h)
            ui.field_error = cat("a title holds at most ", with_thousands(kMaxTitleBytes), " bytes");
            ui.field_error_id = "title";
        } else {
            Architecture design = state.design;
            design.name = title;
            commit(edits, std::move(design), "title");
            ui.field_error.clear();
        }
    }
    field_error_under(ui, "title");

    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(state.design.inputs.size() > 1 ? "Inputs" : "Input");
    tooltip(ui, state.design.convention == Convention::keras
                ? "One sample's shape, no batch dimension, channels last: 28x28x1"
                : "One sample's shape, no batch dimension, channels first: 1x28x28");
    for (size_t i = 0; i < state.design.inputs.size(); ++i) {
        ImGui::PushID(static_cast<int>(i));
        const ModelInput& input = state.design.inputs[i];
        const std::string id = cat("inputs[", i, "]");
        if (state.design.inputs.size() > 1) {
            std::string name = input.name;
            ImGui::SetNextItemWidth(ImGui::GetFontSize() * 6.0f);
            if (ImGui::InputTextWithHint("##input name", "name", &name)) {
                // Layers that read the input read it under its new name.
                commit_typed(edits, ui, app::with_input_renamed(state.design, i, name), id, cat(id, ".name"));
            }
            ImGui::SameLine();
        }
        input_shape_box(state, ui, edits, i);
        if (state.design.inputs.size() > 1) {
            ImGui::SameLine();
            if (ImGui::SmallButton("Remove")) {
                Architecture design = state.design;
                design.inputs.erase(design.inputs.begin() + static_cast<ptrdiff_t>(i));
                commit(edits, std::move(design));
                ImGui::PopID();
                break;
            }
        }
        field_error_under(ui, id);
        if (const std::string hint = app::layout_hint(input.shape, state.design.convention); !hint.empty()) {
            ImGui::PushTextWrapPos(0.0f);
            ImGui::TextDisabled("%s", hint.c_str());
            ImGui::PopTextWrapPos();
        }
        ImGui::PopID();
    }
    if (state.design.inputs.empty()) {
        // A new design: its input shape is the first thing to give. The same ID as the box of
        // input 0 above, so the box keeps the keyboard once the first character makes the input.
        ImGui::PushID(0);
        ImGui::SameLine();
        input_shape_box(state, ui, edits, std::nullopt);
        field_error_under(ui, "inputs[0]");
        ImGui::PopID();
    }
    if (ImGui::SmallButton("+ input")) commit(edits, app::with_input_added(state.design));
    tooltip(ui, "Another model input: layers read it by name in their \"inputs\"");
}

bool kind_matches(const LayerKind& kind, const std::string& filter) {
    if (filter.empty()) return true;
    for (std::string_view haystack : {kind.type, kind.pytorch_class, kind.keras_class, kind.category})
        if (lowercase(haystack).find(filter) != std::string::npos) return true;
    return false;
}

// "Add layer": a searchable list of every kind, grouped by category; Up/Down move the highlight
// among the matches, Enter takes it, a click takes any.
void layer_palette(app::AppState& state, UiState& ui, FrameEdits& edits) {
    if (!ImGui::BeginPopup("palette")) return;
    if (ui.focus_palette_filter) {
        ImGui::SetKeyboardFocusHere();
        ui.focus_palette_filter = false;
    }
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 18.0f);
    const std::string previous_filter = ui.palette_filter;
    const bool enter = ImGui::InputTextWithHint("##filter", "Search: conv, Dense, pool…", &ui.palette_filter,
                                                ImGuiInputTextFlags_EnterReturnsTrue);
    // Up/Down move the highlight while the search box keeps the keyboard, not ImGui's navigation.
    if (ImGui::IsItemActive()) GImGui->ActiveIdUsingNavDirMask |= (1 << ImGuiDir_Up) | (1 << ImGuiDir_Down);
    if (ui.palette_filter != previous_filter) ui.palette_cursor = 0;
    const size_t insert_at = ui.selected ? *ui.selected + 1 : state.design.layers.size();

    // A layer written as link text ("conv2d(6,5)+relu", "2*(linear(64)/relu)"): Enter inserts it.
    if (ui.palette_filter.find_first_of("(+*/=@") != std::string::npos) {
        std::string error;
        std::vector<LayerSpec> layers = app::layers_from_text(ui.palette_filter, error);
        const size_t inserted = layers.size();
        app::Edited edited = error.empty() ? app::with_layers_inserted(state.design, insert_at, std::move(layers))
                                           : app::Edited{};
        if (error.empty() && edited.refused.empty()) {
            ImGui::TextDisabled("Enter inserts %zu layer%s as written", inserted, inserted == 1 ? "" : "s");
            if (enter) {
                commit(edits, std::move(edited.design));
                select_layer(ui, insert_at + inserted - 1);
                ui.palette_filter.clear();
                ImGui::CloseCurrentPopup();
            }
        } else {
            error_text(ui, error.empty() ? edited.refused : error);
            // Enter ends a box's editing: the keyboard goes back to it, to fix what was refused.
            if (enter) ui.focus_palette_filter = true;
        }
        ImGui::EndPopup();
        return;
    }
    const std::string filter = lowercase(ui.palette_filter);
    std::vector<const LayerKind*> matches;
    for (const LayerKind& kind : catalog())
        if (kind_matches(kind, filter)) matches.push_back(&kind);
    const int count = static_cast<int>(matches.size());
    if (key_pressed(ImGuiKey_DownArrow)) ui.palette_cursor = std::min(ui.palette_cursor + 1, count - 1);
    if (key_pressed(ImGuiKey_UpArrow)) ui.palette_cursor = std::max(ui.palette_cursor - 1, 0);
    ui.palette_cursor = std::clamp(ui.palette_cursor, 0, std::max(count - 1, 0));

    const LayerKind* picked = enter && count > 0 ? matches[static_cast<size_t>(ui.palette_cursor)] : nullptr;
    ImGui::BeginChild("kinds", ImVec2(ImGui::GetFontSize() * 24.0f, ImGui::GetFontSize() * 20.0f));
    if (count == 0) ImGui::TextDisabled("No layer type matches.");
    std::string_view category;
    for (int i = 0; i < count; ++i) {
        const LayerKind& kind = *matches[static_cast<size_t>(i)];
        if (kind.category != category) {
            category = kind.category;
            ImGui::TextDisabled("%.*s", static_cast<int>(category.size()), category.data());
        }
        const std::string label = cat("  ", kind.type, "  (", kind.class_name(state.design.convention), ")");
        const bool highlighted = i == ui.palette_cursor;
        if (ImGui::Selectable(label.c_str(), highlighted)) picked = &kind;
        if (highlighted && (key_pressed(ImGuiKey_DownArrow) || key_pressed(ImGuiKey_UpArrow))) ImGui::SetScrollHereY();
        tooltip(ui, kind.doc);
    }
    ImGui::EndChild();
    if (picked) {
        commit(edits, app::with_layer_inserted(state.design, insert_at, picked->type));
        select_layer(ui, insert_at);
        // Its first required field takes the keyboard: type the value, Tab to the next.
        for (const FieldSpec& field : picked->fields)
            if (field.required) {
                ui.focus_field = cat("field:", field.name);
                break;
            }
        ui.palette_filter.clear();
        ui.palette_cursor = 0;
        ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
}

void layer_toolbar(app::AppState& state, UiState& ui, FrameEdits& edits) {
    const ImGuiIO& io = ImGui::GetIO();
    const bool add_key = !io.WantTextInput && !io.KeyCtrl && !io.KeyAlt && !io.KeySuper && letter_pressed('A');
    if (ImGui::Button("+ Add layer") || add_key) {
        ImGui::OpenPopup("palette");
        ui.focus_palette_filter = true;
    }
    tooltip(ui, ui.selected ? "Insert after the selected layer" : "Append at the end");
    layer_palette(state, ui, edits);
    if (!ui.selected || *ui.selected >= state.design.layers.size()) return;
    const size_t at = *ui.selected;
    ImGui::SameLine();
    if (ImGui::Button("Duplicate")) {
        commit(edits, app::with_layer_duplicated(state.design, at));
        select_layer(ui, at + 1);
    }
    tooltip(ui, ImGui::GetIO().ConfigMacOSXBehaviors ? "Cmd+D" : "Ctrl+D");
    ImGui::SameLine();
    if (ImGui::Button("Remove")) {
        commit(edits, app::with_layer_removed(state.design, at));
        if (state.design.layers.empty()) ui.selected.reset();
        else ui.selected = std::min(at, state.design.layers.size() - 1);
    }
    tooltip(ui, "Delete. Layers that read it read what it read instead.");
    ImGui::SameLine();
    ImGui::BeginDisabled(at == 0);
    if (ImGui::ArrowButton("up", ImGuiDir_Up)) {
        commit(edits, app::with_layer_moved(state.design, at, at - 1));
        ui.selected = at - 1;
    }
    ImGui::EndDisabled();
    tooltip(ui, "Move up (Alt+Up); or drag the layer in the list");
    ImGui::SameLine();
    ImGui::BeginDisabled(at + 1 >= state.design.layers.size());
    if (ImGui::ArrowButton("down", ImGuiDir_Down)) {
        commit(edits, app::with_layer_moved(state.design, at, at + 1));
        ui.selected = at + 1;
    }
    ImGui::EndDisabled();
    tooltip(ui, "Move down (Alt+Down)");
}

// The layers, in order: click to select, drag to reorder.
void layer_list(app::AppState& state, UiState& ui, FrameEdits& edits, float height) {
    const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersOuter;
    if (!on_screen(height)) return;
    if (!ImGui::BeginTable("layer list", 2, flags, ImVec2(0, height))) return;
    ImGui::TableSetupColumn("layer", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("shape", ImGuiTableColumnFlags_WidthFixed);
    const std::vector<LayerResult>& layers = state.analysis.layers;
    std::optional<std::pair<size_t, size_t>> move;
    ImGuiListClipper clipper;
    clipper.Begin(static_cast<int>(layers.size()));
    if (ui.scroll_to_selected && ui.selected) clipper.ForceDisplayRangeByIndices(static_cast<int>(*ui.selected), static_cast<int>(*ui.selected) + 1);
    while (clipper.Step()) {
        for (int row = clipper.DisplayStart; row < clipper.DisplayEnd; ++row) {
            const size_t i = static_cast<size_t>(row);
            const LayerResult& layer = layers[i];
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::PushID(row);
            const bool is_selected = ui.selected == i;
            const std::string label = cat(i + 1, "  ", layer_label(layer));
            if (layer.status == LayerStatus::error) ImGui::PushStyleColor(ImGuiCol_Text, error_color(ui));
            if (ImGui::Selectable(label.c_str(), is_selected, ImGuiSelectableFlags_SpanAllColumns)) ui.selected = i;
            if (layer.status == LayerStatus::error) ImGui::PopStyleColor();
            if (is_selected && ui.scroll_to_selected) {
                ImGui::SetScrollHereY(0.5f);
            }
            if (ImGui::BeginDragDropSource()) {
                const int payload = row;
                ImGui::SetDragDropPayload("netshape layer", &payload, sizeof payload);
                text(label);
                ImGui::EndDragDropSource();
            }
            if (ImGui::BeginDragDropTarget()) {
                if (const ImGuiPayload* payload = ImGui::AcceptDragDropPayload("netshape layer"))
                    move = std::pair{static_cast<size_t>(*static_cast<const int*>(payload->Data)), i};
                ImGui::EndDragDropTarget();
            }
            ImGui::TableNextColumn();
            // An exercise's open shape is not given away here either.
            ImGui::TextDisabled("%s", app::hides(ui.quiz, i, app::QuizColumn::shape) ? "?" : output_shape_text(layer).c_str());
            ImGui::PopID();
        }
    }
    ImGui::EndTable();
    ui.scroll_to_selected = false;
    if (move && move->first != move->second) {
        commit(edits, app::with_layer_moved(state.design, move->first, move->second));
        ui.selected = move->second;
    }
}

// One field's widget: a checkbox, a list of choices, or a text box that takes what people type.
void field_widget(app::AppState& state, UiState& ui, FrameEdits& edits, size_t index, const FieldSpec& spec) {
    const LayerSpec& layer = state.design.layers[index];
    const FieldValue* given = layer.find(spec.name);
    const std::string id = cat("layers[", index, "].", spec.name);
    // In Keras's words under Keras (filters, units, strides); the link and the JSON keep one name.
    const std::string label(spec.name_in(state.design.convention));
    const std::string widget = cat("##", spec.name); // unique in the fields table, and what tests find it by
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    text(label);
    tooltip(ui, cat(spec.doc, " (", field_type_name(spec.type), label != spec.name ? cat("; in the link and JSON: ", spec.name) : std::string(), ")"));
    ImGui::TableNextColumn();
    ImGui::SetNextItemWidth(-FLT_MIN);
    auto apply = [&](FieldValue value) {
        Architecture design = state.design;
        app::set_field(design.layers[index], spec.name, std::move(value));
        detach_block_use_at(design, index); // the use that wrote the layer no longer does
        commit(edits, std::move(design), id);
    };
    if (spec.type == FieldType::boolean) {
        bool value = given && std::holds_alternative<bool>(*given) ? std::get<bool>(*given)
                     : std::holds_alternative<bool>(spec.default_value) ? std::get<bool>(spec.default_value)
                                                                          : false;
        if (ImGui::Checkbox(widget.c_str(), &value)) apply(value);
    } else if (spec.type == FieldType::choice) {
        const std::string current = given ? app::field_text(*given) : cat(app::field_text(spec.default_value), " (default)");
        const bool open = ImGui::BeginCombo(widget.c_str(), current.c_str());
        note_last_item(widget.c_str());
        if (open) {
            if (ImGui::Selectable(cat(app::field_text(spec.default_value), " (default)").c_str(), !given))
                apply(std::monostate{});
            for (std::string_view choice : spec.choices)
                if (ImGui::Selectable(std::string(choice).c_str(), given && app::field_text(*given) == choice))
                    apply(std::string(choice));
            ImGui::EndCombo();
        }
    } else {
        std::string value = given ? app::field_text(*given) : std::string();
        const std::string default_value = app::field_text(spec.default_value);
        const std::string hint = spec.required                   ? std::string("required")
                                 : !spec.default_text.empty()     ? cat("default: ", spec.default_text)
                                 : !default_value.empty()         ? cat("default: ", default_value)
                                                                  : std::string("optional");
        take_focus(ui, cat("field:", spec.name));
        if (ImGui::InputTextWithHint(widget.c_str(), hint.c_str(), &value)) {
            app::FieldParse parsed = app::parse_field_text(spec, value);
            if (parsed.error.empty()) {
                apply(std::move(parsed.value));
                ui.field_error.clear();
            } else {
                ui.field_error = parsed.error;
                ui.field_error_id = id;
            }
        }
        if (ImGui::IsItemDeactivated() && ui.field_error_id == id) ui.field_error.clear();
        field_error_under(ui, id);
    }
}

// A text box for one of the fields every layer has (name, inputs, shares). `edit` makes the
// design with what was typed, or refuses it: the reason shows under the box and nothing changes
// (the box keeps what was typed while it has the keyboard).
void common_text_field(app::AppState& state, UiState& ui, FrameEdits& edits, size_t index, const char* label,
                       const std::string& hint, std::string value, auto&& edit) {
    const std::string id = cat("layers[", index, "].", label);
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(label);
    ImGui::TableNextColumn();
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (ImGui::InputTextWithHint(cat("##", label).c_str(), hint.c_str(), &value)) {
        commit_typed(edits, ui, edit(state.design, value), id, id);
    }
    if (ImGui::IsItemDeactivated() && ui.field_error_id == id) ui.field_error.clear();
    field_error_under(ui, id);
}

std::vector<std::string> split_names(const std::string& text) {
    std::vector<std::string> names;
    std::string current;
    for (char c : text + ",") {
        if (c == ',' || c == ' ') {
            if (!current.empty()) names.push_back(current);
            current.clear();
        } else {
            current += c;
        }
    }
    return names;
}

void activation_combo(app::AppState& state, const UiState& ui, FrameEdits& edits, size_t index) {
    const LayerSpec& layer = state.design.layers[index];
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("activation");
    tooltip(ui, "Applied after the layer, as Keras's activation= argument (no parameters)");
    ImGui::TableNextColumn();
    ImGui::SetNextItemWidth(-FLT_MIN);
    const bool open = ImGui::BeginCombo("##activation", layer.activation.empty() ? "none" : layer.activation.c_str());
    note_last_item("##activation");
    if (!open) return;
    auto set = [&](std::string activation) {
        Architecture design = state.design;
        design.layers[index].activation = std::move(activation);
        detach_block_use_at(design, index);
        commit(edits, std::move(design));
    };
    if (ImGui::Selectable("none", layer.activation.empty())) set({});
    for (const LayerKind& kind : catalog())
        if (is_activation(kind) && ImGui::Selectable(std::string(kind.type).c_str(), layer.activation == kind.type))
            set(std::string(kind.type));
    ImGui::EndCombo();
}

void layer_fields(app::AppState& state, UiState& ui, FrameEdits& edits) {
    if (!ui.selected || *ui.selected >= state.design.layers.size()) {
        ImGui::TextDisabled("Select a layer to edit its fields.");
        return;
    }
    const size_t index = *ui.selected;
    const LayerSpec& layer = state.design.layers[index];
    const LayerResult& result = state.analysis.layers[index];
    const LayerKind* kind = find_kind(layer.type);
    text(layer_label(result));
    if (kind) tooltip(ui, kind->doc);
    if (!ImGui::BeginTable("fields", 2, ImGuiTableFlags_SizingStretchProp)) return;
    ImGui::TableSetupColumn("field", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch);
    // Renaming rewrites every reference to the layer; what it reads is kept by identity too.
    common_text_field(state, ui, edits, index, "name", cat(result.name, " (default)"), layer.name,
                      [&](const Architecture& design, const std::string& value) {
                          return app::with_layer_renamed(design, index, value);
                      });
    // A learnable tensor (parameter) reads nothing; other kinds read the previous layer by default.
    const bool reads_nothing = kind && kind->max_inputs == 0;
    common_text_field(state, ui, edits, index, "inputs", reads_nothing ? "none (a learnable tensor)" : "the previous layer",
                      join(layer.inputs, ", "),
                      [&](const Architecture& design, const std::string& value) {
                          return app::with_layer_inputs(design, index, split_names(value));
                      });
    tooltip(ui, "Names of the layers or model inputs it reads, comma-separated");
    if (!layer.shares.empty())
        common_text_field(state, ui, edits, index, "shares", "", layer.shares,
                          [&](const Architecture& design, const std::string& value) {
                              app::Edited edited{design, {}};
                              detach_block_use_at(edited.design, index);
                              // A layer of its own kind may untie its weights; a second call needs the layer.
                              if (value.empty() && !layer.type.empty()) {
                                  edited.design.layers[index].shares.clear();
                                  return edited;
                              }
                              if (value == result.name) edited.refused = "a layer cannot share its own weights";
                              else edited.refused = name_problem(value);
                              if (edited.refused.empty()) edited.design.layers[index].shares = value;
                              return edited;
                          });
    if (kind) {
        if (!is_activation(*kind)) activation_combo(state, ui, edits, index);
        for (const FieldSpec& spec : kind->fields) field_widget(state, ui, edits, index, spec);
    }
    ImGui::EndTable();
    if (result.status == LayerStatus::error) error_text(ui, result.error);
}

} // namespace

// `fit_content`: sized by what it shows, never by the window (the embed view, whose frame takes
// the content's height: a size from the window would grow the frame, which grows the window…).
void design_editor(app::AppState& state, UiState& ui, FrameEdits& edits, bool fit_content) {
    design_header(state, ui, edits);
    ImGui::Separator();
    layer_toolbar(state, ui, edits);
    const float row = ImGui::GetTextLineHeight() + ImGui::GetStyle().CellPadding.y * 2.0f;
    const float list_height =
        fit_content ? row * static_cast<float>(std::clamp<size_t>(state.design.layers.size(), 1, 10)) + row * 0.5f
                    : std::max(ImGui::GetFontSize() * 8.0f, ImGui::GetContentRegionAvail().y * 0.45f);
    layer_list(state, ui, edits, list_height);
    ImGui::Separator();
    if (fit_content) {
        layer_fields(state, ui, edits);
        return;
    }
    ImGui::BeginChild("fields pane");
    layer_fields(state, ui, edits);
    ImGui::EndChild();
}

} // namespace netshape::ui
