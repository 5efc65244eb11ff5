// Export to Keras: a design in Keras's conventions written as the JSON model.to_json() writes (a
// functional Model: one InputLayer per model input, every layer with its config and the calls that
// feed it; a shared layer is one layer called again), which keras.models.model_from_json and
// TensorFlow.js's tf.models.modelFromJSON build; and as the functional Python code that builds the
// same model with keras.layers, each layer's arguments being its config.
#pragma once

#include "analysis.h"
#include "architecture.h"
#include "export_pytorch.h"

namespace netshape {

// Refuses a design with an error, one in PyTorch's conventions, and kinds or fields Keras has no
// layer for (adaptive pooling, explicit padding amounts in a convolution, attention); the message
// names the layer and the field.
CodeExport export_keras_json(const Architecture& architecture, const Analysis& analysis);
CodeExport export_keras_code(const Architecture& architecture, const Analysis& analysis);

} // namespace netshape
