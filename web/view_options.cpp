#include "view_options.h"

#include "app_state.h"
#include "engine/text.h"

#include <algorithm>

namespace netshape::app {

bool ViewOptions::hides(std::string_view column) const {
    return std::find(hidden_columns.begin(), hidden_columns.end(), column) != hidden_columns.end();
}

namespace {

// "a,b,,c" → {"a", "b", "c"}
std::vector<std::string> split_list(const std::string& value) {
    std::vector<std::string> items;
    for (size_t start = 0; start <= value.size();) {
        const size_t comma = std::min(value.find(',', start), value.size());
        if (comma > start) items.push_back(value.substr(start, comma - start));
        start = comma + 1;
    }
    return items;
}

} // namespace

ViewOptions parse_view_options(std::string_view query) {
    if (!query.empty() && query.front() == '?') query.remove_prefix(1);
    ViewOptions options;
    while (!query.empty()) {
        const size_t end = std::min(query.find('&'), query.size());
        const std::string item = percent_decode(query.substr(0, end));
        query.remove_prefix(end == query.size() ? end : end + 1);
        if (item.empty()) continue;
        const size_t equals = item.find('=');
        const std::string key = item.substr(0, equals);
        const std::string value = equals == std::string::npos ? std::string() : item.substr(equals + 1);
        if (key == "embed") {
            options.embed = true;
        } else if (key == "edit") {
            options.allow_edit = true;
        } else if (key == "editor") {
            options.show_editor = options.allow_edit = true;
        } else if (key == "theme" && (value == "dark" || value == "light")) {
            options.dark = value == "dark";
        } else if (key == "view" && (value == "diagram" || value == "both" || value == "table")) {
            options.panes = value == "diagram" ? SummaryPanes::diagram : value == "both" ? SummaryPanes::both : SummaryPanes::table;
        } else if (key == "diagram" && (value == "blocks" || value == "graph")) {
            options.diagram_style = value == "blocks" ? DiagramStyle::blocks : DiagramStyle::graph;
        } else if (key == "hide") {
            for (const std::string& column : split_list(value)) {
                const bool known = std::find(std::begin(kHideableColumns), std::end(kHideableColumns), column) !=
                                   std::end(kHideableColumns);
                if (known && !options.hides(column)) options.hidden_columns.push_back(column);
                else if (!known) options.ignored.push_back(cat("hide=", column));
            }
        } else if (key == "quiz") {
            // A bare "quiz" asks for both kinds of cell.
            const std::vector<std::string> kinds = value.empty() ? std::vector<std::string>{"shape", "params"} : split_list(value);
            for (const std::string& kind : kinds) {
                if (kind == "shape") options.quiz_shape = true;
                else if (kind == "params") options.quiz_params = true;
                else options.ignored.push_back(cat("quiz=", kind));
            }
        } else if (key == "layers") {
            for (std::string& layer : split_list(value))
                if (std::find(options.quiz_layers.begin(), options.quiz_layers.end(), layer) == options.quiz_layers.end())
                    options.quiz_layers.push_back(std::move(layer));
        } else {
            options.ignored.push_back(item);
        }
    }
    if (!options.quiz() && !options.quiz_layers.empty()) { // layers= says which rows of an exercise
        options.ignored.push_back(cat("layers=", join(options.quiz_layers, ",")));
        options.quiz_layers.clear();
    }
    return options;
}

std::string view_query(const ViewOptions& options) {
    std::vector<std::string> items;
    if (options.embed) items.emplace_back("embed");
    if (options.show_editor) items.emplace_back("editor");
    else if (options.allow_edit) items.emplace_back("edit");
    if (!options.hidden_columns.empty()) items.push_back(cat("hide=", join(options.hidden_columns, ",")));
    if (options.quiz()) {
        std::vector<std::string> kinds;
        if (options.quiz_shape) kinds.emplace_back("shape");
        if (options.quiz_params) kinds.emplace_back("params");
        items.push_back(cat("quiz=", join(kinds, ",")));
        if (!options.quiz_layers.empty()) items.push_back(cat("layers=", join(options.quiz_layers, ",")));
    }
    if (options.panes != SummaryPanes::table)
        items.push_back(options.panes == SummaryPanes::diagram ? "view=diagram" : "view=both");
    if (options.diagram_style == DiagramStyle::blocks) items.emplace_back("diagram=blocks");
    if (options.dark) items.push_back(cat("theme=", *options.dark ? "dark" : "light"));
    return items.empty() ? std::string() : cat("?", join(items, "&"));
}

std::string embed_code(std::string_view page_url, const ViewOptions& options, std::string_view link_text,
                       std::string_view title, int height) {
    ViewOptions embedded = options;
    embedded.embed = true;
    const std::string source = cat(page_url, view_query(embedded), "#", link_text);
    const std::string name = title.empty() ? std::string("a network") : std::string(title);
    return cat("<iframe src=\"", markup_text(source), "\" title=\"netshape: ", markup_text(name),
               "\" style=\"width:100%;height:",
               std::clamp(height, kLeastEmbedHeight, kMostEmbedHeight), "px;border:0\" loading=\"lazy\"></iframe>\n",
               // The frame reports its content height; this resizes the frame that sent it.
               "<script>addEventListener(\"message\",function(e){var d=e.data;if(!d||d.type!==\"netshape:height\")"
               "return;document.querySelectorAll(\"iframe\").forEach(function(f){if(f.contentWindow===e.source)"
               "f.style.height=d.height+\"px\"})});</script>");
}

} // namespace netshape::app
