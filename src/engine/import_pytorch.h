// Import from PyTorch's print(model): the module tree a notebook prints, read into a design.
//
// A repr shows modules, not forward(): where the tree is a Sequential the order is exact; a custom
// module's children are taken in definition order, and the result says so in a warning. Blocks
// torchvision defines (BasicBlock, Bottleneck, InvertedResidual, MBConv, SqueezeExcitation, Fire,
// _DenseBlock) are recognised by name and given the skip connections, concatenations and scalings
// their forward() has. What forward() does without a module is filled in only where the next
// module shows it (a Linear whose in_features is the flattened size gets a flatten before it, one
// whose in_features is the channel count a global average pool), each with a warning. Layers are
// named by their module paths ("layer1.0.conv1"), as state_dict names them.
#pragma once

#include "import.h"

#include <string_view>

namespace netshape {

// `input_shape`: one sample's shape, which the repr does not show. `attention_heads`: the heads of
// every MultiheadAttention, which the repr does not show either; 0 when not given, and such a
// module is then an error that says so. torchvision's VisionTransformer and EncoderBlock are
// recognised by name, given their class token, position embedding and skips.
ImportResult import_pytorch_print(std::string_view text, const Shape& input_shape, int64_t attention_heads = 0);

// The same from code as written in notebooks: the first nn.Sequential(…) call (nn. or torch.nn.
// prefixes, positional and keyword arguments as the constructors take them, comments, trailing
// commas, nested Sequentials, OrderedDict and ModuleList children). Modules in variables or sizes
// in variables are errors: the code is read, not run.
ImportResult import_pytorch_code(std::string_view text, const Shape& input_shape);

// Whether `text` starts as print(model) does: "Name(" on its first line, "(key): Module(" on the
// next (so a pasted repr can be offered an import instead of a link-text error).
bool looks_like_pytorch_print(std::string_view text);

} // namespace netshape
