// Import from Keras's model.to_json() (TensorFlow.js's model.toJSON() writes the same): Sequential
// models and functional graphs, several inputs and outputs, layers called more than once (their
// later calls share the first's weights). The design follows Keras's conventions and keeps the
// layers' names. A class netshape has no kind for, or a setting it cannot follow (data_format
// "channels_first", a nested model), is an error naming the layer.
#pragma once

#include "import.h"

#include <string_view>

namespace netshape {

// `input_shape`: one sample's shape, used only when the JSON has none (a Sequential built without
// an input shape); empty otherwise.
ImportResult import_keras_json(std::string_view text, const Shape& input_shape = {});

} // namespace netshape
