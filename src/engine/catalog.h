// The catalog: every layer kind the engine knows, registered in one explicit list.
#pragma once

#include "layer_kind.h"

#include <string>
#include <string_view>
#include <vector>

namespace netshape {

// All kinds, in the order the catalog lists them (grouped by category).
const std::vector<LayerKind>& catalog();

// The kind named `type`, or nullptr.
const LayerKind* find_kind(std::string_view type);

// "unknown layer type 'dense'; did you mean 'linear'?" — knows the PyTorch and Keras class names,
// so a person who writes Dense, Conv2D or MaxPooling2D is pointed to the right kind.
std::string unknown_type_message(std::string_view type);

// Kinds that may be named in a layer's "activation" field.
bool is_activation(const LayerKind& kind);

} // namespace netshape
