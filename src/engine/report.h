// Human-readable summaries of an analysis: a torchinfo-like text table and a Markdown table.
#pragma once

#include "analysis.h"
#include "memory.h"

#include <string>

namespace netshape {

struct ReportOptions {
    bool explain = false; // add each layer's weights and working under it
    MemoryOptions memory; // dtype, batch size and optimizer of the memory estimate
};

std::string format_table(const Analysis& analysis, const ReportOptions& options = {});
std::string format_markdown(const Analysis& analysis, const ReportOptions& options = {});

// "weight [32, 1, 5, 5] + bias [32]"; buffers are marked as such.
std::string describe_weights(const LayerResult& layer);

} // namespace netshape
