// Edits a person makes to a design in the editor, as pure functions on the engine's Architecture:
// the ImGui front end calls them and hands the result to set_design (one undo step each). They
// include no ImGui or browser header, so native tests check them.
//
// Edits keep graphs intact: references are kept by identity. A layer that others read by its
// default name (conv2d_2) would get another default name once layers move or another layer of its
// kind is named, so such names are written into the layer first ("pinned"); renaming a layer or a
// model input rewrites every reference to it; removing a layer reconnects its readers to what it
// read. An edit that would make a design the link text cannot say, or a graph that reads itself,
// is refused with a message instead of applied. The structural edits keep the block uses they
// leave whole (engine/link_blocks.h keep_block_uses); an edit of a layer in place (a field, the
// activation) goes with detach_block_use_at.
#pragma once

#include "engine/architecture.h"
#include "engine/layer_kind.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netshape::app {

// --------------------------------------------------------------------------------------------
// Field and shape text, as the editor's text boxes show and accept it
// --------------------------------------------------------------------------------------------

// "5", "3x3", "same", "0.25", "true"; "" for a field left at its default.
std::string field_text(const FieldValue& value);

struct FieldParse {
    FieldValue value;  // monostate for an empty text: the field goes back to its default
    std::string error; // empty when the text was understood
};

// Reads what a person typed into a field's box: integers, lists ("3x3", "3, 3", "[3, 3]"),
// "same"/"valid" for padding, numbers, choices. The kind's limits are checked by the analysis,
// which names the layer and field; this only refuses text that is not a value of the type.
FieldParse parse_field_text(const FieldSpec& spec, std::string_view text);

// "1x28x28", "1, 28, 28", "[1, 28, 28]" → {1, 28, 28}; error set on anything else.
std::optional<Shape> parse_shape_text(std::string_view text, std::string& error);
std::string shape_text(const Shape& shape); // {1, 28, 28} → "1x28x28"

// Sets a field (monostate removes it, so the default applies), keeping the order fields were written in.
void set_field(LayerSpec& layer, std::string_view name, FieldValue value);

// --------------------------------------------------------------------------------------------
// Structural edits
// --------------------------------------------------------------------------------------------

// Gives every layer that another layer reads (inputs or shares) under its default name that
// name explicitly, so reordering cannot change what it is called.
void pin_referenced_names(Architecture& design);

// A new layer of `type` at `index` (clamped to the end), with its kind's fields at their defaults.
Architecture with_layer_inserted(Architecture design, size_t index, std::string_view type);

// Without layer `index`; layers that read it read what it read instead.
Architecture with_layer_removed(Architecture design, size_t index);

// Layer `from` moved to position `to` (both clamped to the list).
Architecture with_layer_moved(Architecture design, size_t from, size_t to);

// A copy of layer `index` right after it; a named layer's copy gets a new name ("conv_a_copy").
Architecture with_layer_duplicated(Architecture design, size_t index);

// --------------------------------------------------------------------------------------------
// Edits that can be refused (a person typing a name or a reference)
// --------------------------------------------------------------------------------------------

struct Edited {
    Architecture design; // the edited design (the original when refused)
    std::string refused; // why the edit was not made; empty when it was
};

// Layer `index` named `name` ("" gives it back its default name). Every layer that read it (as
// input or by sharing its weights) reads it under the new name. Refused: a name with characters
// other than letters, digits, '_', '-', '.', or a name another layer or model input has.
Edited with_layer_renamed(Architecture design, size_t index, std::string_view name);

// Layer `index` reads `inputs` (empty: the layer before it). Refused: the layer itself among them,
// or a name no layer could have. A name nothing has yet is taken (the analysis reports it).
Edited with_layer_inputs(Architecture design, size_t index, std::vector<std::string> inputs);

// Model input `index` named `name`; layers that read it read it under the new name. Refused as
// for layers.
Edited with_input_renamed(Architecture design, size_t index, std::string_view name);

// Another model input, shaped like the last one, under a name no input or layer has (input2, …).
Architecture with_input_added(Architecture design);

// A new, empty design: no title, no layers, no input yet (the editor asks for its shape; the link
// text "ns1" says the same), the same convention.
Architecture new_design(Convention convention);

// The design under the other convention: every image-like input shape ([C, H, W] ↔ [H, W, C],
// [C, L] ↔ [L, C] where convolutions or pools read it, 3-D volumes likewise), explicit concat axes
// and image-like reshape targets move between channels-first and channels-last, so that the same
// network reads under the new convention. `notes` says what moved.
Architecture with_convention(const Architecture& design, Convention convention, std::vector<std::string>* notes = nullptr);

// A hint when an input shape looks like the other convention's layout (3x32x32 under Keras,
// 32x32x3 under PyTorch); empty otherwise.
std::string layout_hint(const Shape& shape, Convention convention);

// The layers a palette entry such as "conv2d(6,5)+relu" or "2*(linear(64)/relu)" stands for,
// read as link text. Empty with `error` set when it does not read.
std::vector<LayerSpec> layers_from_text(std::string_view text, std::string& error);

// `layers` inserted at `index` (clamped to the end). Refused: a layer named with a name the
// design already gives to a layer or a model input.
Edited with_layers_inserted(Architecture design, size_t index, std::vector<LayerSpec> layers);

} // namespace netshape::app
