// Analysis: runs every layer's rule in order and gathers shapes, weights, counts, explanations
// and totals. It never throws: an invalid layer ends the analysis with an error that names it,
// and the layers before it keep their results.
#pragma once

#include "architecture.h"
#include "layer_kind.h"
#include "receptive_field.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace netshape {

enum class LayerStatus {
    ok,
    error,       // this layer is invalid; Analysis::error says why
    not_reached, // after an invalid layer, so it has no input shape to work from
};

struct LayerResult {
    size_t index = 0;
    std::string name;                // as given, or type_N by default ("conv2d_1")
    std::string type;                // "conv2d"
    std::string class_name;          // "Conv2d" under pytorch, "Conv2D" under keras; empty for an unknown type
    std::string activation;          // fused activation, or empty
    std::string shares;              // the layer whose weights this one reuses, or empty
    bool tied = false;               // of its own kind, reusing only the weights of matching shape
    std::vector<std::string> inputs; // the names it reads: layers or model inputs
    LayerStatus status = LayerStatus::not_reached;
    std::string error; // why this layer is invalid (status error)
    Shape input_shape; // of the first input
    Shape output_shape;
    std::vector<Weight> weights; // parameters and buffers, as the framework declares them
    int64_t params = 0;          // trainable + non-trainable (buffers are not parameters)
    int64_t trainable_params = 0;
    int64_t non_trainable_params = 0;
    int64_t buffer_elements = 0;
    std::optional<int64_t> macs; // multiply-accumulates per sample; nullopt: no rule ("n/a")
    int64_t output_elements = 0; // activation size of one sample
    // Null: not tracked through this layer (n/a). Shared, since element-wise layers pass theirs on.
    std::shared_ptr<const ReceptiveField> receptive_field;
    // A sliding window's kernel, stride, dilation and leading padding per spatial dimension
    // (convolution and pooling), for the hints that explain a wrong answer (answers.h).
    std::optional<LayerOutput::WindowStep> window;
    std::vector<std::string> explain; // how each number was computed, values substituted
    // What the shapes show that is likely a slip (the framework accepts it): each also ends the
    // working as "note: …", and is in Analysis::warnings with the layer named.
    std::vector<std::string> warnings;
    // A recurrent layer's final states, which an rnn_state layer reading it takes (layer_kind.h).
    std::vector<RecurrentState> states;
};

struct AnalysisError {
    std::string message; // complete: "layers[2] 'conv2d_2' (conv2d): kernel_size …"
    std::string where;   // "input", "layers[2]", …
    std::string detail;  // the message without the location
    std::optional<size_t> layer_index;
    std::string layer_name;
    std::string field; // the field at fault, when one is
};

struct Analysis {
    std::string name;
    Convention convention = Convention::pytorch;
    std::vector<ModelInput> inputs;
    Shape input_shape;                 // of the first model input
    std::vector<LayerResult> layers;   // exactly one per layer of the architecture, in order
    Shape output_shape;                // of the last layer in the list
    std::vector<std::string> outputs;  // layers no other layer reads: the model's outputs
    std::vector<std::string> warnings; // layers' likely slips, then unused layers and inputs
    int64_t total_params = 0;
    int64_t trainable_params = 0;
    int64_t non_trainable_params = 0;
    int64_t buffer_elements = 0;
    int64_t total_macs = 0;                       // over the layers that have a MAC rule
    std::vector<std::string> layers_without_macs; // names of those that have none: the total is a lower bound
    std::optional<AnalysisError> error;           // the first invalid layer in list order

    bool ok() const { return !error.has_value(); }
};

Analysis analyze(const Architecture& architecture);

// Every layer's name: as given, or type_N for an unnamed layer, N counting that type in list
// order and skipping names a person took. Layers refer to each other by these names.
std::vector<std::string> layer_names(const Architecture& architecture);

// Why `name` cannot name a layer or a model input (letters, digits, '_', '-', '.'), or "" when it can.
std::string name_problem(const std::string& name);

} // namespace netshape
