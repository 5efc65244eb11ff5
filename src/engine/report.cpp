#include "report.h"

#include "text.h"

#include <algorithm>
#include <cstdint>

namespace netshape {

namespace {

// What the "Layer (type)" column says: "conv2d_1 (Conv2d) + relu".
std::string layer_label(const LayerResult& layer) {
    std::string label = cat(layer.name, " (", layer.class_name.empty() ? layer.type : layer.class_name, ")");
    if (!layer.activation.empty()) label += cat(" + ", layer.activation);
    return label;
}

std::string shape_cell(const LayerResult& layer) {
    switch (layer.status) {
    case LayerStatus::ok: return format_shape(layer.output_shape);
    case LayerStatus::error: return "error";
    case LayerStatus::not_reached: return "not reached";
    }
    return "";
}

std::string params_cell(const LayerResult& layer) {
    return layer.status == LayerStatus::ok ? with_thousands(layer.params) : "--";
}

std::string pad_right(const std::string& text, size_t width) {
    size_t used = display_width(text);
    return text + std::string(width > used ? width - used : 0, ' ');
}

std::string pad_left(const std::string& text, size_t width) {
    size_t used = display_width(text);
    return std::string(width > used ? width - used : 0, ' ') + text;
}

// A table cell must not contain a bare '|' (a name from a stranger's file might).
std::string markdown_cell(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '|' || c == '\\') out += '\\';
        out += c;
    }
    return out;
}

std::string heading(const Analysis& analysis) {
    std::string title = analysis.name.empty() ? std::string("Network") : analysis.name;
    return cat(title, " — ", convention_name(analysis.convention), " convention, input ",
               format_shape(analysis.input_shape), " (one sample, no batch dimension)");
}

std::vector<std::string> totals_lines(const Analysis& analysis) {
    if (!analysis.ok()) return {"Totals: none (the architecture has an error)"};
    std::vector<std::string> lines = {
        cat("Total params: ", with_thousands(analysis.total_params)),
        cat("Trainable params: ", with_thousands(analysis.trainable_params)),
        cat("Non-trainable params: ", with_thousands(analysis.non_trainable_params)),
    };
    if (analysis.buffer_elements > 0)
        lines.push_back(cat("Buffers (state, not parameters): ", with_thousands(analysis.buffer_elements)));
    std::string macs = cat("Total MACs: ", analysis.layers_without_macs.empty() ? "" : "at least ",
                           with_thousands(analysis.total_macs));
    if (analysis.total_macs <= INT64_MAX / 2)
        macs += cat(" (FLOPs = 2·MACs = ", with_thousands(2 * analysis.total_macs), ")");
    if (!analysis.layers_without_macs.empty()) macs += cat("; n/a for ", join(analysis.layers_without_macs, ", "));
    lines.push_back(macs);
    lines.push_back(cat("Output shape: ", format_shape(analysis.output_shape)));
    return lines;
}

} // namespace

std::string describe_weights(const LayerResult& layer) {
    std::vector<std::string> parts;
    for (const Weight& weight : layer.weights) {
        std::string part = cat(weight.name, " ", format_shape(weight.shape));
        if (weight.role == WeightRole::non_trainable) part += " (non-trainable)";
        if (weight.role == WeightRole::buffer) part += " (buffer)";
        parts.push_back(part);
    }
    return join(parts, " + ");
}

std::string format_table(const Analysis& analysis, const ReportOptions& options) {
    struct Row {
        std::string label, shape, params;
        const LayerResult* layer;
    };
    std::vector<Row> rows;
    rows.push_back({"input", format_shape(analysis.input_shape), "0", nullptr});
    for (const LayerResult& layer : analysis.layers)
        rows.push_back({layer_label(layer), shape_cell(layer), params_cell(layer), &layer});

    size_t label_width = std::string_view("Layer (type)").size();
    size_t shape_width = std::string_view("Output Shape").size();
    size_t params_width = std::string_view("Param #").size();
    for (const Row& row : rows) {
        label_width = std::max(label_width, display_width(row.label));
        shape_width = std::max(shape_width, display_width(row.shape));
        params_width = std::max(params_width, display_width(row.params));
    }
    const size_t gap = 4;
    const size_t total_width = label_width + gap + shape_width + gap + params_width;
    const std::string double_rule(total_width, '=');
    const std::string single_rule(total_width, '-');
    const std::string spacer(gap, ' ');

    std::string out = heading(analysis) + "\n" + double_rule + "\n";
    out += pad_right("Layer (type)", label_width) + spacer + pad_right("Output Shape", shape_width) + spacer +
           pad_left("Param #", params_width) + "\n" + double_rule + "\n";
    for (const Row& row : rows) {
        out += pad_right(row.label, label_width) + spacer + pad_right(row.shape, shape_width) + spacer +
               pad_left(row.params, params_width) + "\n";
        if (!options.explain || !row.layer) continue;
        if (!row.layer->weights.empty()) out += "    weights: " + describe_weights(*row.layer) + "\n";
        for (const std::string& line : row.layer->explain)
            out += "    " + line + "\n";
    }
    out += double_rule + "\n";
    for (const std::string& line : totals_lines(analysis))
        out += line + "\n";
    out += single_rule + "\n";
    return out;
}

std::string format_markdown(const Analysis& analysis, const ReportOptions& options) {
    std::string out = cat("**", heading(analysis), "**\n\n");
    out += "| # | Layer | Type | Output shape | Params | Trainable | Non-trainable |\n";
    out += "|--:|---|---|---|--:|--:|--:|\n";
    out += cat("| | input | | ", format_shape(analysis.input_shape), " | 0 | 0 | 0 |\n");
    for (const LayerResult& layer : analysis.layers) {
        std::string type = layer.class_name.empty() ? layer.type : layer.class_name;
        if (!layer.activation.empty()) type += cat(" + ", layer.activation);
        const bool ok = layer.status == LayerStatus::ok;
        out +=
            cat("| ", layer.index, " | ", markdown_cell(layer.name), " | ", markdown_cell(type), " | ",
                shape_cell(layer), " | ", params_cell(layer), " | ", ok ? with_thousands(layer.trainable_params) : "--",
                " | ", ok ? with_thousands(layer.non_trainable_params) : "--", " |\n");
    }
    out += "\n";
    for (const std::string& line : totals_lines(analysis))
        out += cat("- ", line, "\n");
    if (analysis.error) out += cat("\n**Error:** ", analysis.error->message, "\n");
    if (!options.explain) return out;

    out += "\n**Working**\n";
    for (const LayerResult& layer : analysis.layers) {
        if (layer.status != LayerStatus::ok) continue;
        out += cat("\n", layer.name, " (", layer.class_name, ")\n");
        if (!layer.weights.empty()) out += cat("- weights: `", describe_weights(layer), "`\n");
        for (const std::string& line : layer.explain)
            out += cat("- `", line, "`\n");
    }
    return out;
}

} // namespace netshape
