// The architecture a person describes: an input shape and a list of layers with their fields.
//
// This is the engine's input model. It holds what was written, not what it means: field values
// are checked against each layer kind's field list by the analysis, so that an error in layer 7
// still leaves layers 0–6 analysed. Readers (JSON today) only check the structure.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace netshape {

// One sample's shape, without the batch dimension.
using Shape = std::vector<int64_t>;

// [32, 24, 24] → "[32, 24, 24]"
std::string format_shape(const Shape& shape);

// Which framework's conventions decide layout and counting.
//   pytorch: channels-first samples ([C, H, W]); batch-norm running statistics are buffers.
//   keras:   channels-last samples ([H, W, C]); batch-norm moving statistics are non-trainable
//            parameters; Keras's rules for padding="same".
enum class Convention { pytorch, keras };

std::string_view convention_name(Convention convention);

// A field's value as written. Absent (monostate) means "use the default", as JSON null does.
using FieldValue = std::variant<std::monostate, bool, int64_t, double, std::string, std::vector<int64_t>>;

// "5", "[5, 3]", "\"same\"", "true", "0.2"
std::string format_field_value(const FieldValue& value);

struct LayerSpec {
    std::string type;                // a kind in the catalog, e.g. "conv2d"; empty when `shares` is set
    std::string name;                // given by the person; empty for the default (type_N)
    std::string activation;          // Keras-style fused activation; empty for none
    std::vector<std::string> inputs; // names of layers or model inputs; empty: the previous layer
    std::string shares;              // a second call of the named layer: its kind, fields and weights
    std::vector<std::pair<std::string, FieldValue>> fields; // in the order written

    const FieldValue* find(std::string_view field_name) const;
};

// The name a single model input has, which layers use in "inputs".
inline constexpr std::string_view kDefaultInputName = "input";

struct ModelInput {
    std::string name;
    Shape shape;
};

// A block with parameters, defined once in the link text's header and used by name:
//   mb(c,k)=(conv2d(c,k,padding=1)/batchnorm2d/relu)  …  /mb(32,3)/mb(64,3)
// The body is kept as written (white space outside quotes removed); the layers it expands to
// are in `layers` like any others, and `block_uses` says which ranges a use wrote, so that the
// link text is written with the uses again (src/engine/link_blocks.h).
struct BlockDefinition {
    std::string name;
    std::vector<std::string> parameters;
    std::string body; // link text elements separated by '/', parameters standing for values
};

struct BlockUse {
    std::string block;
    std::string name;                 // "s1" in s1=mb(…): its last layer's name; empty when unnamed
    std::vector<std::string> inputs;  // mb(@a,…): what its first layer reads; empty: the layer before
    std::vector<FieldValue> arguments; // one per parameter
    size_t first_layer = 0;
    size_t layer_count = 0;
};

struct Architecture {
    std::string name;
    Convention convention = Convention::pytorch;
    std::vector<ModelInput> inputs; // one sample each; a single one is named "input"
    std::vector<LayerSpec> layers;
    std::vector<BlockDefinition> blocks;
    std::vector<BlockUse> block_uses; // top-level uses, in layer order
};

} // namespace netshape
