#include "catalog.h"

#include "layers/families.h"
#include "text.h"

namespace netshape {

// The one list. Adding a kind: write its record (fields, rule, explanation) in layers/, declare
// its generator in layers/families.h, and add it here.
static std::vector<LayerKind> build_catalog() {
    using namespace layers;
    return {
        // Core
        linear(),
        flatten(),
        parameter(),
        scale(),
        // Convolution (0: the spatial rank comes from the input)
        convolution(0),
        convolution(1),
        convolution(2),
        convolution(3),
        transposed_convolution(1),
        transposed_convolution(2),
        transposed_convolution(3),
        depthwise_convolution(),
        separable_convolution(),
        // Pooling
        max_pooling(0),
        max_pooling(1),
        max_pooling(2),
        max_pooling(3),
        average_pooling(0),
        average_pooling(1),
        average_pooling(2),
        average_pooling(3),
        global_max_pooling(1),
        global_max_pooling(2),
        global_max_pooling(3),
        global_average_pooling(1),
        global_average_pooling(2),
        global_average_pooling(3),
        adaptive_max_pooling(1),
        adaptive_max_pooling(2),
        adaptive_max_pooling(3),
        adaptive_average_pooling(1),
        adaptive_average_pooling(2),
        adaptive_average_pooling(3),
        // Normalization
        batch_norm(0),
        batch_norm(1),
        batch_norm(2),
        batch_norm(3),
        instance_norm(1),
        instance_norm(2),
        instance_norm(3),
        layer_norm(),
        group_norm(),
        // Sequence
        embedding(),
        rnn(),
        lstm(),
        gru(),
        rnn_state(),
        // Attention
        multihead_attention(),
        transformer_encoder_layer(),
        transformer_decoder_layer(),
        window_attention(),
        // Merge
        add(),
        subtract(),
        multiply(),
        maximum(),
        average(),
        concat(),
        matmul(),
        // Reshaping
        reshape(),
        permute(),
        upsample(),
        zero_pad(1),
        zero_pad(2),
        zero_pad(3),
        crop(1),
        crop(2),
        crop(3),
        select(),
        chunk(),
        channel_shuffle(),
        // Regularization
        dropout(),
        channel_dropout(1),
        channel_dropout(2),
        channel_dropout(3),
        alpha_dropout(),
        drop_path(),
        // Activation
        relu(),
        leaky_relu(),
        elu(),
        gelu(),
        silu(),
        sigmoid(),
        tanh(),
        softmax(),
        log_softmax(),
        identity(),
        relu6(),
        hardswish(),
        hardsigmoid(),
        mish(),
        softplus(),
        prelu(),
    };
}

const std::vector<LayerKind>& catalog() {
    static const std::vector<LayerKind> kinds = build_catalog();
    return kinds;
}

const LayerKind* find_kind(std::string_view type) {
    for (const LayerKind& kind : catalog())
        if (kind.type == type) return &kind;
    return nullptr;
}

bool is_activation(const LayerKind& kind) { return kind.category == "Activation"; }

std::string unknown_type_message(std::string_view type) {
    std::string message = cat("unknown layer type '", type, "'");
    // A framework class name (Dense, Conv2D, BatchNormalization) names the kind(s) outright.
    std::string lower = lowercase(type);
    std::vector<std::string> by_class;
    for (const LayerKind& kind : catalog())
        if (lowercase(kind.pytorch_class) == lower || lowercase(kind.keras_class) == lower)
            by_class.push_back(cat("'", kind.type, "'"));
    if (!by_class.empty() && by_class.size() <= 4) return message + cat("; did you mean ", join(by_class, " or "), "?");

    std::vector<std::string_view> types;
    for (const LayerKind& kind : catalog())
        types.push_back(kind.type);
    std::string_view suggestion = nearest_name(type, types);
    if (!suggestion.empty()) return message + cat("; did you mean '", suggestion, "'?");
    return message + " (netshape layers lists the known types)";
}

} // namespace netshape
