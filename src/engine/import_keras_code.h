// Import from Keras code as written in notebooks: keras.Sequential([...]) or model.add(layers.X(...))
// one after another, and the functional style (x = layers.Dense(10)(x), keras.Model(inputs,
// outputs)), with keras., tf.keras., keras.layers. or no prefix (from tensorflow.keras.layers import
// Dense), keras.Input(shape=...) or input_shape=, positional and keyword arguments as Keras's
// documented signatures take them, comments and trailing commas.
//
// The code is read, not run: top-level assignments of plain values (hidden = 64) are followed, in
// order, as are the bodies of functions and `with` blocks; a loop or condition that adds layers, a
// size computed by a call, or an argument Keras's signature does not have is an error with its line
// and column (and the nearest known name). The code becomes the JSON Keras's model.to_json() would
// write, which import_keras_json's reader turns into the design (import_keras_model.h).
#pragma once

#include "import.h"

#include <string_view>

namespace netshape {

// `input_shape`: one sample's shape, used only when the code gives none (a Sequential without an
// Input or input_shape); empty otherwise.
ImportResult import_keras_code(std::string_view text, const Shape& input_shape = {});

// Whether `text` reads as Keras code rather than PyTorch code or netshape's link text: it names
// keras or layers., builds a Sequential(, Model( or Input(, and has no "nn." (PyTorch's prefix).
bool looks_like_keras_code(std::string_view text);

} // namespace netshape
