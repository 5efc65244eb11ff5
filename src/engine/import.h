// What reading another framework's description of a model gives: a design, what was inferred
// rather than read, or an error with its place (import_pytorch.h, import_keras.h).
#pragma once

#include "architecture.h"

#include <optional>
#include <string>
#include <vector>

namespace netshape {

struct ImportError {
    std::string message; // "line 7, column 5: unknown module 'Conv2D'; did you mean 'Conv2d'?"
    int line = 0;        // 1-based; 0 when the error has no place
    int column = 0;
};

struct ImportResult {
    Architecture architecture;
    std::vector<std::string> warnings; // what was inferred rather than read
    std::optional<ImportError> error;
};

// Leaves out the fields an imported layer states at their defaults, and writes a size the same in
// every dimension once (kernel_size=(3, 3) → 3): the design's link stays short.
void drop_default_fields(LayerSpec& spec);

} // namespace netshape
