// The summary as a file for other tools: CSV for spreadsheets and a LaTeX table for papers and
// course notes. Both hold what the summary table holds: one row per layer, then the totals.
#pragma once

#include "analysis.h"

#include <string>

namespace netshape {

// RFC 4180: a header row (layer, type, inputs, output_shape, params, trainable_params,
// non_trainable_params, macs), one row per layer; fields with commas, quotes or line breaks are
// quoted, quotes doubled. A layer with no shape has "error" or "not reached"; MACs without a
// rule are empty.
std::string format_csv(const Analysis& analysis);

// A booktabs table (\toprule, \midrule, \bottomrule) with the summary's three columns and the
// totals under it; the characters LaTeX treats specially are escaped.
std::string format_latex(const Analysis& analysis);

} // namespace netshape
