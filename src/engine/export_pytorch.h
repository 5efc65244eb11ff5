// Export to PyTorch: a design written as an nn.Module that runs as it is and builds the same model.
//
// The class's __init__ declares one module per layer that has one (in_channels, in_features and
// num_features filled in from the shapes the analysis found), named after the layer; forward()
// holds one local variable per layer, named after it too, so a reader can follow the design and a
// test can compare every layer's shape with the analysis (and, for a recurrent layer whose final
// states an rnn_state layer reads, one holding the tuple its module returned). Merges, slicing, padding and reshapes
// are written in forward() as the tensor operations they are. A layer that shares another's
// weights calls the other's module.
#pragma once

#include "analysis.h"
#include "architecture.h"

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace netshape {

struct CodeExport {
    std::string code;  // empty when refused
    std::string error; // why the design cannot be written in the target framework (refused), or empty
    // Python names for the layers (variables in forward(); module attributes where they own one)
    // and the model inputs (forward()'s parameters), in the design's order: a name is changed only
    // where Python or nn.Module would not take it ("conv-1" → "conv_1", "train" → "train_layer").
    std::vector<std::string> layer_identifiers;
    std::vector<std::string> input_identifiers;
};

// Refuses a design with an error (its message is the analysis's) and a design in Keras's
// conventions (channels last). The code runs in PyTorch 1.13 and later; where a field needs a later
// version (bias=False in LayerNorm and the transformer layers: 2.1), its line says so.
CodeExport export_pytorch(const Architecture& architecture, const Analysis& analysis);

// The public names of torch.nn.Module's own attributes that a layer's module may not take.
const std::vector<std::string>& pytorch_module_attributes();

// Python identifiers for design names, each new and none a keyword, a name the written code uses,
// or an nn.Module attribute: "conv-1" → "conv_1", "train" → "train_layer", a second "x" → "x_2".
class PythonNames {
public:
    std::string make(std::string_view name);

private:
    std::set<std::string> taken_;
};

} // namespace netshape
