// Edits a person makes to a design in the editor, as pure functions on the engine's Architecture:
// the ImGui front end calls them and hands the result to set_design (one undo step each). They
// include no ImGui or browser header, so native tests check them.
//
// Structural edits keep graphs intact: a layer that others read by its default name (conv2d_2)
// would get another default name once layers move, so such names are written into the layer
// first ("pinned"); removing a layer reconnects its readers to what it read.
#pragma once

#include "engine/architecture.h"
#include "engine/layer_kind.h"

#include <optional>
#include <string>
#include <string_view>

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

} // namespace netshape::app
