// Inside the engine: a Keras model as to_json() writes it, already parsed, into a design; what both
// the JSON import (import_keras.cpp) and the code import (import_keras_code.cpp, which writes the
// JSON the code's model would) share.
#pragma once

#include "import.h"

#include <nlohmann/json.hpp>

#include <vector>

namespace netshape {

struct SourcePlace {
    int line = 0, column = 0; // 1-based
};

// `places[i]`: where config.layers[i] is written in code, so that an error names its line and
// column; empty for JSON, whose errors name "layers[i]".
ImportResult import_keras_model(const nlohmann::ordered_json& model, const Shape& input_shape,
                                const std::vector<SourcePlace>& places);

} // namespace netshape
