#include "window.h"

#include "checked.h"
#include "text.h"

#include <algorithm>

namespace netshape {

std::string spatial_label(size_t spatial_rank, size_t dimension) {
    static constexpr std::string_view kNames[3][3] = {{"L"}, {"H", "W"}, {"D", "H", "W"}};
    if (spatial_rank >= 1 && spatial_rank <= 3 && dimension < spatial_rank)
        return std::string(kNames[spatial_rank - 1][dimension]);
    return cat("S", dimension + 1); // beyond 3-D: S1, S2, …
}

namespace {

bool is_pooling(WindowKind kind) { return kind != WindowKind::convolution; }

// One dimension with symmetric explicit padding, PyTorch's documented formulas:
//   Conv, MaxPool:  out = ⌊(in + 2·p − d·(k−1) − 1)/s⌋ + 1
//   AvgPool:        out = ⌊(in + 2·p − k)/s⌋ + 1            (AvgPool has no dilation)
//   ceil_mode:      ⌈…⌉ instead of ⌊…⌋, and the last window must start inside the input or the
//                   left padding: if (out − 1)·s ≥ in + p, out − 1 (PyTorch's pooling_output_shape).
struct DimResult {
    int64_t out = 0;
    std::string explanation;
    int64_t pad_before = 0;
    int64_t pad_after = 0;
    std::string warning; // input positions no window reads, or empty
};

// An even kernel has no centre: "same" pads one zero more after than before, so each output is
// centred half a position after the input position of the same index. The frameworks accept it;
// a person who chose "same" to keep positions aligned may not know. (Strided Keras "same" pads
// unevenly for odd kernels too, by design: not flagged.)
std::string uneven_same_warning(std::string_view label, const Window& window, size_t i, int64_t before, int64_t after) {
    if (window.kind != WindowKind::convolution || window.kernel[i] % 2 != 0 || before == after) return {};
    return cat(label, ": kernel_size ", window.kernel[i], " is even, so padding=\"same\" pads ", before, " before and ",
               after, " after; each output is centred half a position after the input position of the same index (an "
               "odd kernel_size pads evenly)");
}

// Input positions at the end that no window reads, when the windows otherwise tile the input
// without gaps (span ≥ stride: a 1×1 convolution with stride 2 skips every other row by design,
// and saying so of the last one would mislead). The windows read padded positions 0 …
// (out−1)·s + d·(k−1); the input's own are pad … pad + in − 1.
std::string unread_positions_warning(std::string_view label, int64_t in, int64_t out, int64_t stride, int64_t span,
                                     int64_t pad) {
    if (span < stride) return {};
    const int64_t last_read = checked_add(checked_mul(out - 1, stride), span - 1);
    const int64_t unread = pad + in - 1 - last_read;
    if (unread <= 0) return {};
    return cat(label, " ", in, " → ", out, ": the last ", unread, unread == 1 ? " position" : " positions", " along ", label,
               unread == 1 ? " is" : " are", " never read (the ", out, " windows, stride ", stride, ", reach ",
               last_read + 1 - pad, " of ", in, "); padding or an input size that fits keeps ",
               unread == 1 ? "it" : "them");
}

DimResult explicit_padding_dim(std::string_view label, int64_t in, int64_t kernel, int64_t stride, int64_t dilation,
                               int64_t pad, const Window& window) {
    int64_t span = checked_add(checked_mul(dilation, kernel - 1), 1); // d·(k−1) + 1
    int64_t padded = checked_add(in, checked_mul(2, pad));
    // PyTorch's pooling_output_shape asks only for one output: with ceil_mode a window may start
    // inside the input or its left padding and run off the end, so a padded input up to
    // stride − 1 positions shorter than the window still gives one.
    const bool ceil_reaches = window.ceil_mode && checked_add(padded, stride - 1) >= span;
    if (padded < span && !ceil_reaches) {
        std::string spans = (dilation == 1) ? cat(kernel) : cat(dilation, "·(", kernel, "−1) + 1 = ", span);
        throw LayerError("kernel_size",
                         cat("the window does not fit: ", label, " is ", in, " + 2·", pad, " = ", padded,
                             " after padding but the kernel spans ", spans, "; received kernel_size=", kernel,
                             (dilation == 1 ? std::string() : cat(", dilation=", dilation)), ", padding=", pad));
    }
    int64_t numerator = padded - span;
    DimResult result;
    if (!window.ceil_mode) {
        result.out = floor_div(numerator, stride) + 1;
        result.warning = unread_positions_warning(label, in, result.out, stride, span, pad);
        return result;
    }
    result.out = ceil_div(numerator, stride) + 1;
    int64_t last_start = checked_mul(result.out - 1, stride);
    if (last_start >= in + pad) {
        result.out -= 1;
        if (result.out < 1) // only a window that would start in the right padding: PyTorch refuses
            throw LayerError("kernel_size", cat("no window starts inside ", label, ": ", label, " is ", in, " + 2·", pad,
                                                " = ", padded, " after padding, the kernel spans ", span,
                                                ", and ceil_mode's one window would start at ", last_start,
                                                " ≥ ", label, "_in + padding = ", in + pad));
        result.explanation = cat(label, "_out − 1 = ", result.out, " (ceil_mode: the last window would start at ",
                                 last_start, " ≥ ", label, "_in + padding = ", in + pad,
                                 ", outside the input, so it is dropped)");
    }
    return result;
}

// The working of one or more spatial dimensions that share their numbers (a square kernel on a
// square input: "H_out = W_out = …"), in three lines with the terms at their defaults left out:
//   H_out = ⌊(H_in + 2·p − d·(k − 1) − 1)/s⌋ + 1      (PyTorch's formula in full)
//   H_out = H_in − k + 1                                (padding 0, dilation 1, stride 1)
// The full formula follows as a "full formula:" line whenever terms were left out.
void explain_window_dims(const LayerContext& context, const std::vector<size_t>& dims, const Shape& input_sizes,
                         const Window& window, const std::vector<int64_t>& pads, const DimResult& result,
                         LayerOutput& out) {
    const size_t rank = input_sizes.size();
    const size_t i = dims.front();
    const int64_t in = input_sizes[i], k = window.kernel[i], s = window.stride[i], d = window.dilation[i], p = pads[i];
    const bool average = window.kind == WindowKind::average_pooling; // PyTorch's AvgPool has no dilation term
    std::vector<std::string> outs, ins;
    for (size_t dim : dims) {
        outs.push_back(cat(spatial_label(rank, dim), "_out"));
        ins.push_back(cat(spatial_label(rank, dim), "_in"));
    }
    const std::string in_symbol = ins.front();

    auto formula = [&](bool full) {
        std::string symbols = in_symbol, values = cat(in);
        if (full || p != 0) symbols += " + 2·p", values += cat(" + 2·", p);
        if (!average && (full || d != 1))
            symbols += " − d·(k − 1) − 1", values += cat(" − ", d, "·(", k, " − 1) − 1");
        else
            symbols += " − k", values += cat(" − ", k);
        if (full || s != 1 || window.ceil_mode) {
            const char* open = window.ceil_mode ? "⌈(" : "⌊(";
            const char* close = window.ceil_mode ? ")/s⌉ + 1" : ")/s⌋ + 1";
            symbols = cat(open, symbols, close);
            values = cat(open, values, ")/", s, window.ceil_mode ? "⌉ + 1" : "⌋ + 1");
        } else {
            symbols += " + 1";
            values += " + 1";
        }
        return std::pair{symbols, values};
    };
    const auto [symbols, values] = formula(false);
    const std::string result_text = result.explanation.empty()
                                        ? with_thousands(result.out)
                                        : cat(with_thousands(result.out + 1), "; ", result.explanation);

    std::vector<std::string> where{cat(join(ins, " = "), " = ", in, " (", context.input_source(), ")"),
                                   cat("k = ", context.field_word("kernel_size"), " = ", k)};
    if (s != 1 || window.ceil_mode) where.push_back(cat("s = ", context.field_word("stride"), " = ", s));
    if (p != 0) where.push_back(cat("p = ", context.field_word("padding"), " = ", p));
    if (!average && d != 1) where.push_back(cat("d = ", context.field_word("dilation"), " = ", d));
    explain_worked(join(outs, " = "), symbols, values, result_text, join(where, ", "), out.explain);
    const auto [full_symbols, full_values] = formula(true);
    if (full_symbols != symbols)
        out.explain.push_back(cat(kFullFormulaPrefix, outs.front(), " = ", full_symbols, " = ", full_values, " = ",
                                  with_thousands(result.out)));
}

// Keras's padding="same": out = ⌈in/s⌉; the zeros needed, max((out−1)·s + d·(k−1) + 1 − in, 0),
// are split with the extra one after (bottom/right).
DimResult keras_same_dim(int64_t in, int64_t kernel, int64_t stride, int64_t dilation) {
    DimResult result;
    result.out = ceil_div(in, stride);
    int64_t span = checked_add(checked_mul(dilation, kernel - 1), 1);
    int64_t total = std::max<int64_t>(checked_add(checked_mul(result.out - 1, stride), span) - in, 0);
    result.pad_before = total / 2;
    result.pad_after = total - total / 2;
    return result;
}

// The numeric padding a PyTorch user writes instead of "same": d·(k−1)/2, rounded down.
std::string pytorch_same_alternative(const Shape& input_sizes, const Window& window) {
    std::vector<int64_t> pads;
    std::vector<std::string> outs;
    Window numeric = window;
    numeric.padding = Padding{};
    for (size_t i = 0; i < input_sizes.size(); ++i) {
        int64_t pad = window.dilation[i] * (window.kernel[i] - 1) / 2;
        pads.push_back(pad);
        if (input_sizes[i] + 2 * pad >= window.dilation[i] * (window.kernel[i] - 1) + 1)
            outs.push_back(
                cat(spatial_label(input_sizes.size(), i), "_out = ",
                    explicit_padding_dim(spatial_label(input_sizes.size(), i), input_sizes[i], window.kernel[i],
                                         window.stride[i], window.dilation[i], pad, numeric)
                        .out));
    }
    bool uniform = std::all_of(pads.begin(), pads.end(), [&](int64_t p) { return p == pads[0]; });
    std::string padding_text = uniform ? cat(pads[0]) : format_shape(pads);
    return cat("use padding=", padding_text, " (dilation·(kernel_size−1)/2, rounded down)",
               outs.empty() ? std::string() : cat(", which gives ", join(outs, ", ")));
}

// Spatial dimensions whose numbers are all the same (a square window on a square input), in
// groups: each group is worked once ("H_out = W_out = …").
std::vector<std::vector<size_t>> dimensions_alike(const Shape& input_sizes, const Window& window, const std::vector<int64_t>& pads) {
    std::vector<std::vector<size_t>> groups;
    std::vector<bool> grouped(input_sizes.size(), false);
    for (size_t i = 0; i < input_sizes.size(); ++i) {
        if (grouped[i]) continue;
        groups.push_back({i});
        for (size_t j = i + 1; j < input_sizes.size(); ++j)
            if (!grouped[j] && input_sizes[j] == input_sizes[i] && window.kernel[j] == window.kernel[i] &&
                window.stride[j] == window.stride[i] && window.dilation[j] == window.dilation[i] && pads[j] == pads[i]) {
                groups.back().push_back(j);
                grouped[j] = true;
            }
    }
    return groups;
}

// Keras's padding="same" for a group of alike dimensions: ⌈H_in/s⌉ and the zeros it takes.
void explain_keras_same(const LayerContext& context, const std::vector<size_t>& dims, const Shape& input_sizes,
                        const Window& window, const DimResult& result, LayerOutput& out) {
    const size_t rank = input_sizes.size();
    std::vector<std::string> outs, ins;
    for (size_t dim : dims) {
        outs.push_back(cat(spatial_label(rank, dim), "_out"));
        ins.push_back(cat(spatial_label(rank, dim), "_in"));
    }
    const size_t i = dims.front();
    const int64_t in = input_sizes[i], s = window.stride[i];
    const int64_t zeros = result.pad_before + result.pad_after;
    std::string where = cat(join(ins, " = "), " = ", in, " (", context.input_source(), ")");
    if (s != 1) where += cat(", s = ", context.field_word("stride"), " = ", s);
    where += cat("; padding \"same\" adds ", zeros, zeros == 1 ? " zero" : " zeros", ", ", result.pad_before,
                 " before and ", result.pad_after, " after");
    explain_worked(join(outs, " = "), s == 1 ? ins.front() : cat("⌈", ins.front(), "/s⌉"),
                   s == 1 ? cat(in) : cat("⌈", in, "/", s, "⌉"), with_thousands(result.out), where, out.explain);
}

} // namespace

Shape slide_window(const LayerContext& context, const Shape& input_sizes, const Window& window, LayerOutput& out) {
    const size_t rank = input_sizes.size();
    const bool pytorch = context.convention == Convention::pytorch;
    Shape output_sizes(rank);

    LayerOutput::WindowStep step{window.kernel, window.stride, window.dilation, Shape(rank, 0)};

    // PyTorch's MaxPoolNd and AvgPoolNd read padding as numbers only ("valid" is refused too).
    if (window.padding.mode == Padding::Mode::valid && pytorch && is_pooling(window.kind))
        throw LayerError("padding", "PyTorch pooling has no padding=\"valid\"; give padding=0");
    if (window.padding.mode == Padding::Mode::same) {
        if (pytorch && is_pooling(window.kind))
            throw LayerError("padding", cat("PyTorch pooling has no padding=\"same\"; ",
                                            pytorch_same_alternative(input_sizes, window)));
        bool strided = std::any_of(window.stride.begin(), window.stride.end(), [](int64_t s) { return s != 1; });
        if (pytorch && strided)
            throw LayerError("padding",
                             cat("PyTorch refuses padding=\"same\" for strided convolutions (stride=",
                                 format_shape(window.stride), "); ", pytorch_same_alternative(input_sizes, window)));
        std::vector<DimResult> keras_dims;
        for (size_t i = 0; i < rank; ++i) {
            if (pytorch) {
                // PyTorch: stride 1, so out = in; d·(k−1) zeros, the odd one after.
                int64_t total = checked_mul(window.dilation[i], window.kernel[i] - 1);
                step.pad_before[i] = total / 2;
                output_sizes[i] = input_sizes[i];
                out.explain.push_back(cat(spatial_label(rank, i), "_out = ", spatial_label(rank, i),
                                          "_in = ", input_sizes[i], " (padding=\"same\": ", window.dilation[i], "·(",
                                          window.kernel[i], "−1) = ", total, " zeros, ", total / 2, " before and ",
                                          total - total / 2, " after)"));
                std::string warning = uneven_same_warning(spatial_label(rank, i), window, i, total / 2, total - total / 2);
                if (!warning.empty()) out.warnings.push_back(std::move(warning));
            } else {
                DimResult dim = keras_same_dim(input_sizes[i], window.kernel[i], window.stride[i], window.dilation[i]);
                output_sizes[i] = dim.out;
                step.pad_before[i] = dim.pad_before;
                std::string warning = uneven_same_warning(spatial_label(rank, i), window, i, dim.pad_before, dim.pad_after);
                if (!warning.empty()) out.warnings.push_back(std::move(warning));
                keras_dims.push_back(std::move(dim));
            }
        }
        if (!pytorch)
            for (const std::vector<size_t>& group : dimensions_alike(input_sizes, window, Shape(rank, 0)))
                explain_keras_same(context, group, input_sizes, window, keras_dims[group.front()], out);
        out.window = std::move(step);
        return output_sizes;
    }

    std::vector<int64_t> pads(rank);
    std::vector<DimResult> dims(rank);
    for (size_t i = 0; i < rank; ++i) {
        int64_t pad = window.padding.mode == Padding::Mode::valid ? 0 : window.padding.amounts[i];
        if (pytorch && is_pooling(window.kind) && pad > window.kernel[i] / 2)
            throw LayerError("padding", cat("PyTorch pooling needs padding ≤ kernel_size/2; received padding=", pad,
                                            " with kernel_size=", window.kernel[i], " along ", spatial_label(rank, i)));
        dims[i] = explicit_padding_dim(spatial_label(rank, i), input_sizes[i], window.kernel[i], window.stride[i],
                                       window.dilation[i], pad, window);
        pads[i] = pad;
        output_sizes[i] = dims[i].out;
        step.pad_before[i] = pad;
    }
    for (const std::vector<size_t>& group : dimensions_alike(input_sizes, window, pads))
        explain_window_dims(context, group, input_sizes, window, pads, dims[group.front()], out);
    for (DimResult& dim : dims)
        if (!dim.warning.empty()) out.warnings.push_back(std::move(dim.warning));
    out.window = std::move(step);
    return output_sizes;
}

} // namespace netshape
