#include "report.h"

#include "text.h"

#include <algorithm>
#include <cstdint>

namespace netshape {

namespace {

} // namespace

std::string layer_label(const LayerResult& layer) {
    std::string label = cat(layer.name, " (", layer.class_name.empty() ? layer.type : layer.class_name, ")");
    if (!layer.activation.empty()) label += cat(" + ", layer.activation);
    if (!layer.shares.empty()) label += cat(layer.tied ? " ties " : " shares ", layer.shares);
    return label;
}

namespace {

// True when every layer reads just the one before it (the first, the only model input).
bool is_sequential(const Analysis& analysis) {
    if (analysis.inputs.size() != 1) return false;
    for (size_t i = 0; i < analysis.layers.size(); ++i) {
        const LayerResult& layer = analysis.layers[i];
        const std::string& previous = i == 0 ? analysis.inputs[0].name : analysis.layers[i - 1].name;
        if (!layer.shares.empty()) return false;
        if (layer.status != LayerStatus::not_reached && (layer.inputs.size() != 1 || layer.inputs[0] != previous))
            return false;
    }
    return true;
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

// Text from a stranger's file in Markdown: a bare '|' would split the cell, HTML would be
// rendered by the page the table is pasted into, and a line break would end the table. All are
// escaped; control characters are made visible.
std::string markdown_text(std::string_view text) {
    std::string out;
    for (char c : terminal_text(text)) {
        switch (c) {
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '&': out += "&amp;"; break;
        case '\n': out += "<br>"; break;
        case '\t': out += ' '; break;
        case '|':
        case '\\':
            out += '\\';
            out += c;
            break;
        default: out += c;
        }
    }
    return out;
}

std::string heading(const Analysis& analysis) {
    std::string title = analysis.name.empty() ? std::string("Network") : analysis.name;
    std::vector<std::string> inputs;
    for (const ModelInput& input : analysis.inputs)
        inputs.push_back(cat(input.name, " ", format_shape(input.shape)));
    std::string shapes = analysis.inputs.size() == 1 ? cat("input ", format_shape(analysis.input_shape))
                                                     : cat("inputs ", join(inputs, ", "));
    return cat(title, " — ", convention_name(analysis.convention), " convention, ", shapes,
               " (one sample, no batch dimension)");
}

std::string sizes_text(const std::vector<int64_t>& sizes) {
    std::string text;
    for (size_t i = 0; i < sizes.size(); ++i) text += cat(i ? "x" : "", sizes[i]);
    return text;
}

} // namespace

std::string output_shape_text(const LayerResult& layer) {
    switch (layer.status) {
    case LayerStatus::ok: return format_shape(layer.output_shape);
    case LayerStatus::error: return "error";
    case LayerStatus::not_reached: return "not reached";
    }
    return "";
}

std::vector<std::string> working_lines(const LayerResult& layer, bool full_formulas) {
    if (layer.status != LayerStatus::ok) return {};
    std::vector<std::string> lines{layer.inputs.empty()
                                       ? cat("no input -> ", format_shape(layer.output_shape))
                                       : cat(format_shape(layer.input_shape), " -> ", format_shape(layer.output_shape))};
    if (!layer.weights.empty()) lines.push_back(cat("weights: ", describe_weights(layer)));
    for (const std::string& line : layer.explain)
        if (full_formulas || !is_full_formula_line(line)) lines.push_back(line);
    return lines;
}

std::string working_text(const LayerResult& layer, bool full_formulas) {
    std::string type = layer.class_name.empty() ? layer.type : layer.class_name;
    if (!layer.activation.empty()) type += cat(" + ", layer.activation);
    if (!layer.shares.empty()) type += cat(layer.tied ? " (ties " : " (shares ", layer.shares, ")");
    std::string out = cat("Layer: ", layer.name, "\nType: ", type, "\nOutput shape: ", output_shape_text(layer), "\n");
    if (layer.status == LayerStatus::error) return out + cat("Error: ", layer.error, "\n");
    if (layer.status == LayerStatus::not_reached) return out + "Not reached: a layer it depends on is invalid.\n";
    out += cat("Params: ", with_thousands(layer.params), " (trainable ", with_thousands(layer.trainable_params),
               ", non-trainable ", with_thousands(layer.non_trainable_params));
    if (layer.buffer_elements > 0) out += cat("; buffers ", with_thousands(layer.buffer_elements));
    out += ")\nWorking:\n";
    for (const std::string& line : working_lines(layer, full_formulas)) out += cat("  ", line, "\n");
    return out;
}

std::string describe_receptive_field(const ReceptiveField* field) {
    if (field == nullptr)
        return "n/a (the input has no spatial positions, or a layer the tracking does not model: "
               "transposed convolution, upsampling, reshape)";
    if (field->whole_input) return "the whole input";
    if (field->constant) return "none: it depends on no input (a learnable tensor)";
    bool any_whole = false;
    for (size_t d = 0; d < field->size.size(); ++d) any_whole = any_whole || field->whole_along(d);
    if (!any_whole) return cat(sizes_text(field->size), " input positions, jump ", sizes_text(field->jump));
    // Per dimension when they differ: "H 3 input positions (jump 1), W whole (all 28)".
    std::vector<std::string> parts;
    for (size_t d = 0; d < field->size.size(); ++d)
        parts.push_back(field->whole_along(d)
                            ? cat(receptive_dimension_name(*field, d), " whole (all ", field->extent[d], ")")
                            : cat(receptive_dimension_name(*field, d), " ", field->size[d], " input positions (jump ",
                                  field->jump[d], ")"));
    return join(parts, ", ");
}

std::vector<std::string> totals_lines(const Analysis& analysis, const MemoryOptions& memory_options) {
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
    if (!analysis.layers_without_macs.empty()) {
        // Named, but a line stays a line: a design may hold 100,000 such layers (the JSON has all).
        constexpr size_t kNamed = 10;
        const std::vector<std::string>& names = analysis.layers_without_macs;
        macs += cat("; n/a for ", join({names.begin(), names.begin() + std::min(names.size(), kNamed)}, ", "));
        if (names.size() > kNamed) macs += cat(" and ", with_thousands(static_cast<int64_t>(names.size() - kNamed)), " more");
    }
    lines.push_back(macs);
    if (std::optional<MemoryEstimate> memory = estimate_memory(analysis, memory_options)) {
        const int64_t* bytes = memory->parameter_bytes;
        lines.push_back(cat("Params size: ", format_megabytes(bytes[0]), " (fp32), ", format_megabytes(bytes[1]),
                            " (fp16/bf16), ", format_megabytes(bytes[3]), " (int8)"));
        lines.push_back(cat("Activations per sample: ", with_thousands(memory->activation_elements), " values, ",
                            format_megabytes(memory->activation_bytes), " (", dtype_name(memory_options.dtype), ")"));
        lines.push_back(cat("Training memory estimate (batch ", memory_options.batch_size, ", ",
                            optimizer_name(memory_options.optimizer), ", ", dtype_name(memory_options.dtype),
                            "): ", format_megabytes(memory->training_bytes)));
    } else {
        // Said, not left out: a reader who looks for the memory lines learns why they are missing.
        lines.push_back(cat("Memory estimate: n/a (a byte count for batch ", memory_options.batch_size,
                            " does not fit in a 64-bit number)"));
    }
    if (!analysis.layers.empty())
        lines.push_back(cat("Receptive field of the last layer: ",
                            describe_receptive_field(analysis.layers.back().receptive_field.get())));
    lines.push_back(cat("Output shape: ", format_shape(analysis.output_shape)));
    return lines;
}

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
    // Columns as torchinfo prints them; a graph gets Keras's "Connected to" column as well.
    const bool graph = !is_sequential(analysis);
    struct Row {
        std::vector<std::string> cells; // label, shape, params[, connected to]
        const LayerResult* layer;
    };
    std::vector<Row> rows;
    for (const ModelInput& input : analysis.inputs)
        rows.push_back({{input.name, format_shape(input.shape), "0", ""}, nullptr});
    for (const LayerResult& layer : analysis.layers)
        rows.push_back({{layer_label(layer), output_shape_text(layer), params_cell(layer), join(layer.inputs, ", ")}, &layer});

    const std::vector<std::string> headers = {"Layer (type)", "Output Shape", "Param #", "Connected to"};
    const size_t columns = graph ? 4 : 3;
    std::vector<size_t> widths(columns);
    for (size_t c = 0; c < columns; ++c) {
        widths[c] = display_width(headers[c]);
        for (const Row& row : rows)
            widths[c] = std::max(widths[c], display_width(row.cells[c]));
    }
    const std::string spacer(4, ' ');
    auto line = [&](const std::vector<std::string>& cells) {
        std::string text;
        for (size_t c = 0; c < columns; ++c) {
            if (c) text += spacer;
            bool last = c + 1 == columns;
            text += c == 2 ? pad_left(cells[c], widths[c]) : (last ? cells[c] : pad_right(cells[c], widths[c]));
        }
        return text + "\n";
    };
    size_t total_width = 0;
    for (size_t w : widths)
        total_width += w;
    total_width += spacer.size() * (columns - 1);
    const std::string double_rule(total_width, '=');
    const std::string single_rule(total_width, '-');

    std::string out = heading(analysis) + "\n" + double_rule + "\n" + line(headers) + double_rule + "\n";
    for (const Row& row : rows) {
        out += line(row.cells);
        if (!options.explain || !row.layer) continue;
        if (!row.layer->weights.empty()) out += "    weights: " + describe_weights(*row.layer) + "\n";
        for (const std::string& text : row.layer->explain)
            if (options.full_formulas || !is_full_formula_line(text)) out += "    " + text + "\n";
    }
    out += double_rule + "\n";
    for (const std::string& text : totals_lines(analysis, options.memory))
        out += text + "\n";
    for (const std::string& warning : analysis.warnings)
        out += "warning: " + warning + "\n";
    out += single_rule + "\n";
    return out;
}

std::string format_markdown(const Analysis& analysis, const ReportOptions& options) {
    std::string out = cat("**", markdown_text(heading(analysis)), "**\n\n");
    out += "| # | Layer | Type | Output shape | Params | Trainable | Non-trainable |\n";
    out += "|--:|---|---|---|--:|--:|--:|\n";
    for (const ModelInput& input : analysis.inputs)
        out += cat("| | ", markdown_text(input.name), " | | ", format_shape(input.shape), " | 0 | 0 | 0 |\n");
    for (const LayerResult& layer : analysis.layers) {
        std::string type = layer.class_name.empty() ? layer.type : layer.class_name;
        if (!layer.activation.empty()) type += cat(" + ", layer.activation);
        const bool ok = layer.status == LayerStatus::ok;
        out +=
            cat("| ", layer.index, " | ", markdown_text(layer.name), " | ", markdown_text(type), " | ",
                output_shape_text(layer), " | ", params_cell(layer), " | ", ok ? with_thousands(layer.trainable_params) : "--",
                " | ", ok ? with_thousands(layer.non_trainable_params) : "--", " |\n");
    }
    out += "\n";
    for (const std::string& line : totals_lines(analysis, options.memory))
        out += cat("- ", markdown_text(line), "\n");
    for (const std::string& warning : analysis.warnings)
        out += cat("- warning: ", markdown_text(warning), "\n");
    if (analysis.error) out += cat("\n**Error:** ", markdown_text(analysis.error->message), "\n");
    if (!options.explain) return out;

    out += "\n**Working**\n";
    for (const LayerResult& layer : analysis.layers) {
        if (layer.status != LayerStatus::ok) continue;
        out += cat("\n", markdown_text(layer.name), " (", layer.class_name, ")\n");
        if (!layer.weights.empty()) out += cat("- weights: `", describe_weights(layer), "`\n");
        for (const std::string& line : layer.explain)
            if (options.full_formulas || !is_full_formula_line(line)) out += cat("- `", line, "`\n");
    }
    return out;
}

} // namespace netshape
