#include "glossary.h"

#include <iterator>

namespace netshape {

namespace {

// Kept short (the web app downloads it) and checked against the engine: the counts in
// layers/normalization.cpp, the MAC rules' scope in layer_kind.h, memory.cpp's estimate and
// window.cpp's receptive field. No abbreviation with a ". " in a text: first_sentence cuts there.
constexpr GlossaryEntry kEntries[] = {
    {"params", "Parameters",
     "The numbers a network learns: each layer's weights and biases, as many as the product of each weight's shape "
     "(a Conv2d with bias: C_out·C_in/groups·k_h·k_w + C_out). Total params adds every layer's; a layer that shares "
     "another's weights adds none. It is PyTorch's sum of p.numel() over model.parameters() and Keras's "
     "model.count_params(); buffers are not parameters.",
     "Total params|Params"},
    {"trainable", "Trainable and non-trainable parameters",
     "Trainable parameters are those the optimizer updates from gradients; non-trainable ones are stored with them but "
     "left alone by it. Keras's BatchNormalization has 4·C parameters, of which moving_mean and moving_variance (2·C) "
     "are non-trainable, updated as running averages. PyTorch keeps those statistics as buffers, so its non-trainable "
     "count here is 0 (freezing layers, requires_grad=False, is a training choice a design does not record).",
     "Trainable params|Non-trainable params|Trainable|Non-trainable"},
    {"buffers", "Buffers",
     "State a PyTorch module saves with its parameters but does not learn: BatchNorm's running_mean and running_var "
     "(C values each) and num_batches_tracked (1). They are not in Total params (model.parameters() leaves them out). "
     "Keras has no buffers: it counts the same statistics as non-trainable parameters. The training memory estimate "
     "includes buffers.",
     "Buffers"},
    {"macs", "MACs and FLOPs",
     "A MAC (multiply-accumulate) is one product added to a sum, a·b + c. netshape counts one sample's forward MACs in "
     "convolutions, linear (Dense) layers, attention's matrix products and recurrent cells; bias adds, normalisation, "
     "activations and pooling count 0, as torchvision's published GFLOPS figures do. FLOPs = 2·MACs (a multiply and an "
     "add); beware that fvcore and torchvision's GFLOPS column report MACs under the name FLOPs. A layer "
     "with no MAC rule shows n/a, and the total is then \"at least\".",
     "Total MACs|MACs"},
    {"output_shape", "Output shape",
     "The shape of one sample's output, without the batch dimension that torchinfo shows as the batch size and Keras as "
     "None. Its element count is the layer's activations for one sample.",
     "Output shape"},
    {"layout", "Channels first and channels last",
     "Where an image's channel axis is. PyTorch is channels-first: a sample is [C, H, W], a batch NCHW. Keras defaults "
     "to channels-last (data_format=\"channels_last\"): [H, W, C], a batch NHWC. netshape writes shapes in the chosen "
     "convention's layout, and switching the convention moves the channel axis; the layout itself changes no count.",
     ""},
    {"params_size", "Params size",
     "The parameters' storage: Total params times the bytes of a value, 4 in fp32, 2 in fp16 or bf16, 1 in int8 "
     "(buffers not included). 1 MB = 10⁶ bytes, as torchinfo reports.",
     "Params size"},
    {"activations", "Activations per sample",
     "The values one sample's forward pass produces: the model inputs and every layer's output, times the bytes of a "
     "value. Training keeps them all for the backward pass, once per sample in the batch; inference needs only a few at "
     "a time.",
     "Activations per sample"},
    {"training_memory", "Training memory estimate",
     "Parameters and buffers + one gradient per trainable parameter + the optimizer's state (SGD 0, momentum 1, Adam 2 "
     "values per trainable parameter) + the batch's activations, all in the chosen number format. It leaves out "
     "mixed precision's fp32 copies, the gradients of activations, the framework's workspaces and the allocator's "
     "overhead, so real use is higher.",
     "Training memory estimate|Memory estimate"},
    {"receptive_field", "Receptive field",
     "The input positions one output position depends on, per spatial dimension. A window of kernel k, stride s and "
     "dilation d grows it to r = r_in + (k−1)·d·j_in, and the jump between neighbouring outputs to j = j_in·s. After "
     "a flatten, global pooling, attention or a recurrent layer every output sees the whole input; a linear layer, "
     "softmax or a normalisation sees the whole of the axes it acts on (H 3, W whole), and a permute moves the axes "
     "the field follows; n/a where a layer's kind is not tracked.",
     "Receptive field of the last layer|Receptive field"},
};

bool matches(std::string_view line, std::string_view label) {
    if (label.empty() || line.substr(0, label.size()) != label) return false;
    const std::string_view rest = line.substr(label.size());
    return rest.empty() || rest.front() == ':' || rest.substr(0, 2) == " (";
}

} // namespace

std::span<const GlossaryEntry> glossary() { return kEntries; }

const GlossaryEntry* glossary_entry_for(std::string_view line) {
    for (const GlossaryEntry& entry : kEntries) {
        std::string_view labels = entry.labels;
        while (!labels.empty()) {
            const size_t bar = labels.find('|');
            if (matches(line, labels.substr(0, bar))) return &entry;
            labels = bar == std::string_view::npos ? std::string_view() : labels.substr(bar + 1);
        }
    }
    return nullptr;
}

const GlossaryEntry* glossary_entry(std::string_view id) {
    for (const GlossaryEntry& entry : kEntries)
        if (entry.id == id) return &entry;
    return nullptr;
}

std::string_view first_sentence(std::string_view text) {
    const size_t end = text.find(". ");
    return end == std::string_view::npos ? text : text.substr(0, end + 1);
}

} // namespace netshape
