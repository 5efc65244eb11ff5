#include "export_table.h"

#include "report.h"
#include "text.h"

namespace netshape {

namespace {

std::string csv_field(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + "\"";
}

std::string latex_text(std::string_view text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '\\': out += "\\textbackslash{}"; break;
        case '~': out += "\\textasciitilde{}"; break;
        case '^': out += "\\textasciicircum{}"; break;
        case '&': case '%': case '$': case '#': case '_': case '{': case '}':
            out += '\\';
            out += c;
            break;
        default: out += c;
        }
    }
    return out;
}

} // namespace

std::string format_csv(const Analysis& analysis) {
    std::string out = "layer,type,inputs,output_shape,params,trainable_params,non_trainable_params,macs\r\n";
    for (const LayerResult& layer : analysis.layers) {
        const bool done = layer.status == LayerStatus::ok;
        std::vector<std::string> row = {
            csv_field(layer.name), csv_field(layer.type), csv_field(join(layer.inputs, " ")),
            csv_field(output_shape_text(layer)), done ? std::to_string(layer.params) : "",
            done ? std::to_string(layer.trainable_params) : "", done ? std::to_string(layer.non_trainable_params) : "",
            done && layer.macs ? std::to_string(*layer.macs) : ""};
        out += join(row, ",") + "\r\n";
    }
    return out;
}

std::string format_latex(const Analysis& analysis) {
    std::string out = "% netshape's summary; needs \\usepackage{booktabs}\n";
    out += "\\begin{tabular}{lrr}\n\\toprule\n";
    out += "Layer (type) & Output shape & Param \\# \\\\\n\\midrule\n";
    for (const LayerResult& layer : analysis.layers)
        out += cat(latex_text(layer_label(layer)), " & ", latex_text(output_shape_text(layer)), " & ",
                   layer.status == LayerStatus::ok ? latex_text(with_thousands(layer.params)) : "", " \\\\\n");
    out += "\\midrule\n";
    for (const std::string& line : totals_lines(analysis)) out += cat("\\multicolumn{3}{l}{", latex_text(line), "} \\\\\n");
    out += "\\bottomrule\n\\end{tabular}\n";
    return out;
}

} // namespace netshape
