// Human-readable summaries of an analysis: a torchinfo-like text table and a Markdown table.
#pragma once

#include "analysis.h"
#include "memory.h"

#include <string>
#include <vector>

namespace netshape {

struct ReportOptions {
    bool explain = false; // add each layer's weights and working under it
    bool full_formulas = false; // … with each formula also in full (the terms at their defaults too)
    MemoryOptions memory; // dtype, batch size and optimizer of the memory estimate
};

std::string format_table(const Analysis& analysis, const ReportOptions& options = {});
std::string format_markdown(const Analysis& analysis, const ReportOptions& options = {});

// "conv2d_1 (Conv2d) + relu", "enc_2 (Linear) shares enc": the table's "Layer (type)" text.
std::string layer_label(const LayerResult& layer);

// The output shape column: "[32, 24, 24]", or "error" / "not reached" for a layer without one.
std::string output_shape_text(const LayerResult& layer);

// The lines under the table: parameter totals, MACs, memory, the output's receptive field and shape.
std::vector<std::string> totals_lines(const Analysis& analysis, const MemoryOptions& memory = {});

// "5x5 input positions, jump 2x2"; "the whole input"; "n/a (…why…)" when it is not tracked.
std::string describe_receptive_field(const ReceptiveField* field);

// "weight [32, 1, 5, 5] + bias [32]"; buffers are marked as such.
std::string describe_weights(const LayerResult& layer);

// A valid layer's working as the app's working pane shows it: "[32, 12, 12] -> [32, 10, 10]", the
// weights, then the explanation lines. Empty for a layer that is invalid or not reached.
// Each formula also in full (its "full formula:" line) when asked.
std::vector<std::string> working_lines(const LayerResult& layer, bool full_formulas = false);

// The layer's working as plain text, for the clipboard ("Copy working") and course notes:
//   Layer: conv2d2
//   Type: Conv2d + relu
//   Output shape: [32, 10, 10]
//   Params: 9,248 (trainable 9,248, non-trainable 0)
//   Working:
//     [32, 12, 12] -> [32, 10, 10]
//     … the working lines, indented …
// An invalid layer gives its error instead of the working; each line ends with '\n'.
std::string working_text(const LayerResult& layer, bool full_formulas = false);

} // namespace netshape
