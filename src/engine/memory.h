// Memory: what the parameters weigh in each number format, how many activation values one sample
// produces, and an estimate of training memory for a batch size and an optimizer — with its
// assumptions written out, since every framework and allocator adds its own overheads.
#pragma once

#include "analysis.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace netshape {

enum class DType { fp32, fp16, bf16, int8 };
enum class Optimizer { sgd, sgd_momentum, adam };

std::string_view dtype_name(DType dtype);
int64_t dtype_bytes(DType dtype);
std::string_view optimizer_name(Optimizer optimizer);
// "fp16" → DType::fp16; nullopt for an unknown name.
std::optional<DType> parse_dtype(std::string_view name);
std::optional<Optimizer> parse_optimizer(std::string_view name); // "sgd", "momentum", "adam"

struct MemoryOptions {
    DType dtype = DType::fp32;
    int64_t batch_size = 1;
    Optimizer optimizer = Optimizer::adam;
};

struct MemoryEstimate {
    MemoryOptions options;
    int64_t parameter_bytes[4] = {};    // all parameters, indexed by DType
    int64_t buffer_bytes = 0;           // running statistics and other buffers, in the chosen dtype
    int64_t activation_elements = 0;    // per sample: the model inputs and every layer's output
    int64_t activation_bytes = 0;       // per sample, in the chosen dtype
    int64_t weight_bytes = 0;           // training: parameters and buffers
    int64_t gradient_bytes = 0;         // one gradient per trainable parameter
    int64_t optimizer_bytes = 0;        // momentum (1 per trainable parameter) or Adam's two moments
    int64_t batch_activation_bytes = 0; // activations of the whole batch, kept for the backward pass
    int64_t training_bytes = 0;         // the sum
    std::vector<std::string> explain;   // the formulas and the assumptions
};

// nullopt when the analysis has an error (no true total exists) or a count overflows 64 bits.
std::optional<MemoryEstimate> estimate_memory(const Analysis& analysis, const MemoryOptions& options);

// 871,000 → "0.87 MB" (MB = 10⁶ bytes, as torchinfo reports).
std::string format_megabytes(int64_t bytes);

} // namespace netshape
