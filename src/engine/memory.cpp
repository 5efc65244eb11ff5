#include "memory.h"

#include "checked.h"
#include "text.h"

#include <cstdio>

namespace netshape {

std::string_view dtype_name(DType dtype) {
    switch (dtype) {
    case DType::fp32: return "fp32";
    case DType::fp16: return "fp16";
    case DType::bf16: return "bf16";
    case DType::int8: return "int8";
    }
    return "?";
}

int64_t dtype_bytes(DType dtype) {
    switch (dtype) {
    case DType::fp32: return 4;
    case DType::fp16:
    case DType::bf16: return 2;
    case DType::int8: return 1;
    }
    return 4;
}

std::string_view optimizer_name(Optimizer optimizer) {
    switch (optimizer) {
    case Optimizer::sgd: return "SGD";
    case Optimizer::sgd_momentum: return "SGD with momentum";
    case Optimizer::adam: return "Adam";
    }
    return "?";
}

std::optional<DType> parse_dtype(std::string_view name) {
    for (DType dtype : {DType::fp32, DType::fp16, DType::bf16, DType::int8})
        if (dtype_name(dtype) == name) return dtype;
    return std::nullopt;
}

std::optional<Optimizer> parse_optimizer(std::string_view name) {
    if (name == "sgd") return Optimizer::sgd;
    if (name == "momentum" || name == "sgd_momentum") return Optimizer::sgd_momentum;
    if (name == "adam") return Optimizer::adam;
    return std::nullopt;
}

std::string format_megabytes(int64_t bytes) {
    char text[64];
    std::snprintf(text, sizeof text, "%.2f MB", static_cast<double>(bytes) / 1e6);
    return text;
}

// Training memory = weights + gradients + optimizer state + the batch's activations:
//   weights:     (parameters + buffers)·bytes
//   gradients:   trainable parameters·bytes
//   optimizer:   SGD 0, momentum 1, Adam 2 values per trainable parameter
//   activations: batch·(inputs + every layer's output)·bytes, all kept for the backward pass
std::optional<MemoryEstimate> estimate_memory(const Analysis& analysis, const MemoryOptions& options) {
    if (!analysis.ok() || options.batch_size < 1) return std::nullopt;
    try {
        MemoryEstimate estimate;
        estimate.options = options;
        for (DType dtype : {DType::fp32, DType::fp16, DType::bf16, DType::int8})
            estimate.parameter_bytes[static_cast<int>(dtype)] = checked_mul(analysis.total_params, dtype_bytes(dtype));
        const int64_t bytes = dtype_bytes(options.dtype);
        const std::string_view dtype = dtype_name(options.dtype);

        for (const ModelInput& input : analysis.inputs)
            estimate.activation_elements = checked_add(estimate.activation_elements, element_count(input.shape));
        for (const LayerResult& layer : analysis.layers)
            estimate.activation_elements = checked_add(estimate.activation_elements, layer.output_elements);
        estimate.activation_bytes = checked_mul(estimate.activation_elements, bytes);
        estimate.buffer_bytes = checked_mul(analysis.buffer_elements, bytes);

        const int64_t states = options.optimizer == Optimizer::adam           ? 2
                               : options.optimizer == Optimizer::sgd_momentum ? 1
                                                                              : 0;
        estimate.weight_bytes = checked_add(checked_mul(analysis.total_params, bytes), estimate.buffer_bytes);
        estimate.gradient_bytes = checked_mul(analysis.trainable_params, bytes);
        estimate.optimizer_bytes = checked_mul(checked_mul(analysis.trainable_params, states), bytes);
        estimate.batch_activation_bytes = checked_mul(estimate.activation_bytes, options.batch_size);
        estimate.training_bytes = checked_add(checked_add(estimate.weight_bytes, estimate.gradient_bytes),
                                              checked_add(estimate.optimizer_bytes, estimate.batch_activation_bytes));

        estimate.explain = {
            cat("parameters: ", analysis.total_params, "·4 B = ", format_megabytes(estimate.parameter_bytes[0]),
                " (fp32), ·2 B = ", format_megabytes(estimate.parameter_bytes[1]),
                " (fp16, bf16), ·1 B = ", format_megabytes(estimate.parameter_bytes[3]), " (int8)"),
            cat("activations per sample: ", estimate.activation_elements,
                " values (the inputs and every layer's output) ·", bytes,
                " B = ", format_megabytes(estimate.activation_bytes), " (", dtype, ")"),
            cat("training, batch ", options.batch_size, ", ", optimizer_name(options.optimizer), ", ", dtype, ": ",
                format_megabytes(estimate.weight_bytes), " weights and buffers + ",
                format_megabytes(estimate.gradient_bytes), " gradients + ", format_megabytes(estimate.optimizer_bytes),
                " optimizer state (", states, " per trainable parameter) + ",
                format_megabytes(estimate.batch_activation_bytes), " activations (", options.batch_size, "·",
                format_megabytes(estimate.activation_bytes), ") = ", format_megabytes(estimate.training_bytes)),
            "assumes: every value in the chosen format (mixed precision keeps fp32 copies, which this leaves out); "
            "every layer's output kept for the backward pass (no in-place operations, no checkpointing); the "
            "gradients of activations, the framework's workspaces and the allocator's overhead not counted",
        };
        return estimate;
    } catch (const OverflowError&) {
        return std::nullopt;
    }
}

} // namespace netshape
