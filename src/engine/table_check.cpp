#include "table_check.h"

#include "text.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace netshape {

std::string_view table_column_name(TableColumn column) {
    switch (column) {
    case TableColumn::shape: return "output shape";
    case TableColumn::elements: return "activation size";
    case TableColumn::params: return "params";
    }
    return "";
}

namespace {

// A pasted table is a few hundred lines at most; past this many rows the rest is not read (said
// in the notes), so a stranger's huge paste cannot make the check slow.
constexpr size_t kMaxRows = 5000;
constexpr size_t kMaxLineBytes = 4000;
// Finding the slip behind a wrong cell re-runs the layer's rule a few times; past this many wrong
// cells only the right values are given.
constexpr size_t kMaxExplainedCells = 200;

void replace_all(std::string& text, std::string_view from, std::string_view to) {
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
}

// LaTeX, arrows and typography from a rendered page, in the plain forms the readers take.
std::string plain_line(std::string_view line) {
    std::string text(line);
    static constexpr std::pair<std::string_view, std::string_view> kForms[] = {
        {"$", ""},           {"\\times", " x "}, {"\\cdot", "*"},  {"\\rightarrow", "->"}, {"\\Rightarrow", "->"},
        {"\\longrightarrow", "->"}, {"\\to ", "-> "}, {"\\left", ""}, {"\\right", ""},   {"{,}", ","},
        {"\\,", ""},         {"\\ ", " "},       {"\\text", ""},   {"{", ""},             {"}", ""},
        {"\xE2\x86\x92", "->"}, // →
        {"\xE2\x87\x92", "->"}, // ⇒
        {"\xE2\x86\x90", ""},   // ← (an arrow pointing at a cell)
    };
    for (const auto& [from, to] : kForms) replace_all(text, from, to);
    return ascii_typography(text);
}

enum class Layout { markdown, tabs, csv, spaces };

// Cells of one line. Spaces: runs of two or more separate cells (one space is inside a cell).
std::vector<std::string> split_cells(std::string_view line, Layout layout) {
    std::vector<std::string> cells;
    if (layout == Layout::markdown) {
        std::string_view rest = trim_space(line);
        if (!rest.empty() && rest.front() == '|') rest.remove_prefix(1);
        if (!rest.empty() && rest.back() == '|') rest.remove_suffix(1);
        size_t start = 0;
        for (size_t i = 0; i <= rest.size(); ++i)
            if (i == rest.size() || rest[i] == '|') {
                cells.emplace_back(trim_space(rest.substr(start, i - start)));
                start = i + 1;
            }
        return cells;
    }
    if (layout == Layout::tabs || layout == Layout::csv) {
        const char separator = layout == Layout::tabs ? '\t' : ',';
        std::string cell;
        bool quoted = false;
        int depth = 0; // commas inside (…) and […] belong to a shape
        for (char c : line) {
            if (layout == Layout::csv && c == '"') {
                quoted = !quoted;
                continue;
            }
            if (c == '(' || c == '[') ++depth;
            if ((c == ')' || c == ']') && depth > 0) --depth;
            if (c == separator && !quoted && (layout == Layout::tabs || depth == 0)) {
                cells.emplace_back(trim_space(cell));
                cell.clear();
            } else {
                cell += c;
            }
        }
        cells.emplace_back(trim_space(cell));
        return cells;
    }
    std::string_view rest = trim_space(line);
    size_t start = 0;
    for (size_t i = 0; i < rest.size(); ++i)
        if (rest[i] == ' ' && i + 1 < rest.size() && rest[i + 1] == ' ') {
            if (i > start) cells.emplace_back(trim_space(rest.substr(start, i - start)));
            while (i < rest.size() && rest[i] == ' ') ++i;
            start = i;
        }
    if (start < rest.size()) cells.emplace_back(trim_space(rest.substr(start)));
    return cells;
}

Layout layout_of(const std::vector<std::string>& lines) {
    for (const std::string& line : lines) {
        std::string_view text = trim_space(line);
        if (text.empty()) continue;
        if (text.front() == '|') return Layout::markdown;
        if (line.find('\t') != std::string::npos) return Layout::tabs;
        // CSV when the first line is a header of comma-separated words ("layer,shape,params").
        bool letters_only = std::none_of(text.begin(), text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
        if (letters_only && std::count(text.begin(), text.end(), ',') >= 1) return Layout::csv;
        return Layout::spaces;
    }
    return Layout::spaces;
}

// What a cell's working comes to: the part after the last "->", else after the last "=".
std::string_view result_part(std::string_view cell) {
    size_t arrow = cell.rfind("->");
    if (arrow != std::string_view::npos) return trim_space(cell.substr(arrow + 2));
    size_t equals = cell.rfind('=');
    if (equals != std::string_view::npos) return trim_space(cell.substr(equals + 1));
    return trim_space(cell);
}

struct FoundShape {
    size_t begin = 0, end = 0;
    std::string text;
};

// The first shape written in running text: "(10, 10, 32)", "[6, 24, 24]" or "6x24x24" (not
// "5*5*1", which is working).
std::optional<FoundShape> first_shape_in(std::string_view text) {
    for (size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '(' || c == '[') {
            // No shape is longer than a few dozen characters: the search for the closing bracket
            // stops there, so a line of a million '(' is read in linear time.
            size_t close = text.substr(0, std::min(text.size(), i + 200)).find(c == '(' ? ')' : ']', i);
            if (close == std::string_view::npos) continue;
            std::string_view candidate = text.substr(i, close - i + 1);
            if (candidate.find(',') != std::string_view::npos && read_shape_answer(candidate))
                return FoundShape{i, close + 1, std::string(candidate)};
        } else if (std::isdigit(static_cast<unsigned char>(c)) &&
                   (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])))) {
            // digits, then (spaces, x, spaces, digits) as often as written
            auto digits_end = [&](size_t at) {
                while (at < text.size() && std::isdigit(static_cast<unsigned char>(text[at]))) ++at;
                return at;
            };
            size_t end = digits_end(i);
            size_t factors = 1;
            for (;;) {
                size_t at = end;
                while (at < text.size() && text[at] == ' ') ++at;
                if (at >= text.size() || (text[at] != 'x' && text[at] != 'X')) break;
                ++at;
                while (at < text.size() && text[at] == ' ') ++at;
                if (at >= text.size() || !std::isdigit(static_cast<unsigned char>(text[at]))) break;
                end = digits_end(at);
                ++factors;
            }
            // "3x3x32+1" is a count's working, not a shape.
            size_t after = end;
            while (after < text.size() && text[after] == ' ') ++after;
            bool in_working = after < text.size() && (text[after] == '+' || text[after] == '*' || text[after] == ')');
            std::string_view candidate = text.substr(i, end - i);
            if (factors > 1 && !in_working && read_shape_answer(candidate)) return FoundShape{i, end, std::string(candidate)};
            i = end - 1;
        }
    }
    return std::nullopt;
}

// A count at the start of the text ("3,072 a^(1)" → "3,072"), as written.
std::string leading_count(std::string_view text) {
    text = trim_space(text);
    size_t end = 0;
    while (end < text.size() && (std::isdigit(static_cast<unsigned char>(text[end])) || text[end] == ',' ||
                                 text[end] == '\'' || text[end] == '_' ||
                                 (text[end] == ' ' && end + 1 < text.size() &&
                                  std::isdigit(static_cast<unsigned char>(text[end + 1])))))
        ++end;
    std::string_view count = trim_space(text.substr(0, end));
    while (!count.empty() && !std::isdigit(static_cast<unsigned char>(count.back()))) count.remove_suffix(1);
    return std::string(count);
}

// The values a row claims, as written.
struct RowClaims {
    std::string label;
    std::optional<std::string> shape, elements, params;
};

std::string shape_in_cell(std::string_view cell) {
    std::string_view result = result_part(cell);
    if (read_shape_answer(result)) return std::string(result);
    if (auto found = first_shape_in(result)) return found->text;
    std::string count = leading_count(result);
    return count.empty() ? std::string(result) : count; // a bare "256" is a rank-1 shape
}

// A row without a header to say which cell is which: the label is the first word, the shape the
// first one written (after the last "->" when there is one), the count what the last "=" gives,
// or else the last bare number.
RowClaims claims_without_header(const std::vector<std::string>& cells) {
    std::vector<std::string> rest(cells.begin(), cells.end());
    // A leading index column ("1", "#1") is not the name.
    if (rest.size() > 1 && !rest[0].empty() &&
        std::all_of(rest[0].begin(), rest[0].end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == '#' || c == '.'; }))
        rest.erase(rest.begin());
    std::string line = join(rest, "  ");
    RowClaims claims;
    std::string_view view = trim_space(line);
    size_t label_end = 0;
    while (label_end < view.size() && !std::isspace(static_cast<unsigned char>(view[label_end])) && view[label_end] != '(' &&
           view[label_end] != '[' && view[label_end] != '|')
        ++label_end;
    claims.label = std::string(view.substr(0, label_end));
    std::string_view body = view.substr(label_end);

    size_t params_at = body.size();
    size_t equals = body.rfind('=');
    if (equals != std::string_view::npos) {
        std::string count = leading_count(body.substr(equals + 1));
        if (!count.empty() && trim_space(body.substr(equals + 1)).size() == count.size()) {
            claims.params = count;
            params_at = equals;
        }
    }
    std::string_view shape_zone = body.substr(0, params_at);
    size_t arrow = shape_zone.rfind("->");
    if (arrow != std::string_view::npos) shape_zone = shape_zone.substr(arrow + 2);
    std::optional<FoundShape> shape = first_shape_in(shape_zone);
    if (shape) claims.shape = shape->text;
    // Bare numbers: "dense 256 205,056" (shape then count) or "pool1 6x12x12 0".
    std::vector<std::string> numbers;
    std::string_view after_shape = shape ? shape_zone.substr(shape->end) : shape_zone;
    for (size_t i = 0; i < after_shape.size();) {
        while (i < after_shape.size() && std::isspace(static_cast<unsigned char>(after_shape[i]))) ++i;
        size_t end = i;
        while (end < after_shape.size() && !std::isspace(static_cast<unsigned char>(after_shape[end]))) ++end;
        std::string_view token = after_shape.substr(i, end - i);
        if (!token.empty() && read_count_answer(token)) numbers.emplace_back(token);
        i = end;
    }
    const std::string key = lowercase(claims.label);
    const bool total = key.starts_with("total") || key.starts_with("trainable") || key.starts_with("non");
    if (!claims.params && !numbers.empty() && (shape || total || numbers.size() >= 2)) claims.params = numbers.back();
    if (!shape && numbers.size() >= 2) claims.shape = numbers.front();
    return claims;
}

struct Header {
    std::optional<size_t> name, shape, elements, params;
};

bool contains(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// A header names its columns in words: "Layer (type)", "Output Shape", "Param #", "size", "#".
std::optional<Header> read_header(const std::vector<std::string>& cells) {
    if (cells.size() < 2) return std::nullopt;
    Header header;
    std::optional<size_t> size_column, empty_column;
    for (size_t i = 0; i < cells.size(); ++i) {
        std::string cell = lowercase(cells[i]);
        if (read_count_answer(cell) || read_shape_answer(cell)) return std::nullopt;
        if (contains(cell, "param") || contains(cell, "weights") || contains(cell, "learnable")) {
            if (!header.params) header.params = i;
        } else if (contains(cell, "shape") || contains(cell, "output")) {
            if (!header.shape) header.shape = i;
        } else if (contains(cell, "element") || contains(cell, "activation size")) {
            if (!header.elements) header.elements = i;
        } else if (contains(cell, "size") || contains(cell, "dim")) {
            if (!size_column) size_column = i;
        } else if (contains(cell, "name") || contains(cell, "layer") || contains(cell, "type")) {
            if (!header.name) header.name = i;
        } else if (cell.empty()) {
            if (!empty_column) empty_column = i;
        }
    }
    if (size_column) { // "size" is the shape unless another column is; then the activation size
        if (!header.shape)
            header.shape = size_column;
        else if (!header.elements)
            header.elements = size_column;
    }
    if (!header.shape && !header.params && !header.elements) return std::nullopt;
    if (!header.name) header.name = empty_column ? empty_column : std::optional<size_t>(0);
    return header;
}

RowClaims claims_from_header(const Header& header, const std::vector<std::string>& cells) {
    RowClaims claims;
    auto cell = [&](std::optional<size_t> column) -> std::optional<std::string> {
        if (!column || *column >= cells.size() || trim_space(cells[*column]).empty()) return std::nullopt;
        return cells[*column];
    };
    if (auto name = cell(header.name)) {
        std::string_view text = trim_space(*name);
        size_t end = 0;
        while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) && text[end] != '(' && text[end] != ':')
            ++end;
        claims.label = std::string(text.substr(0, end));
    }
    if (auto shape = cell(header.shape)) claims.shape = shape_in_cell(*shape);
    if (auto elements = cell(header.elements)) claims.elements = leading_count(result_part(*elements));
    if (auto params = cell(header.params)) {
        std::string count = leading_count(result_part(*params));
        claims.params = count.empty() ? std::string(trim_space(*params)) : count;
    }
    return claims;
}

// "**Total**", "`conv1`": Markdown's emphasis is not part of the name.
std::string without_emphasis(std::string_view label) {
    while (!label.empty() && (label.front() == '*' || label.front() == '_' || label.front() == '`')) label.remove_prefix(1);
    while (!label.empty() && (label.back() == '*' || label.back() == '_' || label.back() == '`' || label.back() == ':'))
        label.remove_suffix(1);
    return std::string(label);
}

std::string key_of(std::string_view label) {
    std::string key;
    for (char c : label)
        if (std::isalnum(static_cast<unsigned char>(c))) key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return key;
}

// The kind a row's name suggests ("CONV1" → a convolution), for matching rows to layers in order
// when the names differ from the design's.
bool kind_fits(std::string_view key, std::string_view type) {
    struct Word {
        std::string_view in_name, in_type;
    };
    static constexpr Word kWords[] = {
        {"conv", "conv"},  {"pool", "pool"},  {"fc", "linear"},     {"dense", "linear"}, {"linear", "linear"},
        {"output", "linear"}, {"softmax", "linear"}, {"classifier", "linear"}, {"logits", "linear"},
        {"hidden", "linear"}, {"flatten", "flatten"}, {"norm", "norm"}, {"bn", "norm"}, {"drop", "dropout"},
        {"lstm", "lstm"},  {"gru", "gru"},    {"rnn", "rnn"},       {"embed", "embedding"}, {"attention", "attention"},
    };
    for (const Word& word : kWords)
        if (key.starts_with(word.in_name)) return contains(type, word.in_type);
    // No telling word: any layer that does something a table shows (not a flatten, dropout or activation).
    return !contains(type, "flatten") && !contains(type, "dropout") && !contains(type, "relu") && !contains(type, "sigmoid") &&
           !contains(type, "tanh") && !contains(type, "softmax") && !contains(type, "gelu");
}

// A sentence around a table, not a row of one: five or more words of three letters or more.
bool is_prose(std::string_view line) {
    size_t words = 0, letters = 0;
    for (char c : line) {
        if (std::isalpha(static_cast<unsigned char>(c))) {
            ++letters;
            continue;
        }
        if (letters >= 3) ++words;
        letters = 0;
    }
    if (letters >= 3) ++words;
    return words >= 5;
}

TableCellCheck count_cell(TableColumn column, const std::string& written, int64_t right) {
    TableCellCheck cell{column, written, {}};
    std::optional<int64_t> claim = read_count_answer(written);
    cell.check.right_value = with_thousands(right);
    cell.check.verdict = !claim ? AnswerVerdict::unreadable : *claim == right ? AnswerVerdict::right : AnswerVerdict::wrong;
    if (!claim) cell.check.note = "expected a whole number such as 9248 or 9,248";
    return cell;
}

} // namespace

TableCheck check_table(const Architecture& architecture, const Analysis& analysis, std::string_view table) {
    TableCheck result;
    std::vector<std::string> lines;
    for (size_t start = 0; start <= table.size();) {
        size_t end = table.find('\n', start);
        if (end == std::string_view::npos) end = table.size();
        std::string_view line = table.substr(start, end - start);
        if (line.size() > kMaxLineBytes) { // no row of a table is this long: not read, and said
            result.notes.push_back(cat("line ", lines.size() + 1, " is longer than ", kMaxLineBytes, " bytes and was not read"));
            line = {};
        }
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        lines.push_back(plain_line(line));
        start = end + 1;
        if (lines.size() > kMaxRows) {
            result.notes.push_back(cat("only the first ", kMaxRows, " lines were read"));
            break;
        }
    }
    const Layout layout = layout_of(lines);

    std::unordered_map<std::string, size_t> by_key;
    for (const LayerResult& layer : analysis.layers) by_key.emplace(key_of(layer.name), layer.index);
    std::vector<bool> layer_checked(analysis.layers.size(), false);
    std::optional<Header> header;
    size_t next_in_order = 0;

    for (size_t number = 0; number < lines.size(); ++number) {
        const std::string& line = lines[number];
        if (trim_space(line).empty()) continue;
        if (layout == Layout::markdown &&
            line.find_first_not_of("|-: \t") == std::string::npos) // the |---|---| line under a header
            continue;
        std::vector<std::string> cells = split_cells(line, layout);
        if (!header && (header = read_header(cells))) continue;
        RowClaims claims = header ? claims_from_header(*header, cells) : claims_without_header(cells);
        claims.label = without_emphasis(claims.label);
        if (!claims.shape && !claims.elements && !claims.params) continue; // prose around the table
        if (!header && is_prose(line)) continue;                           // "The input is 1x28x28."

        TableRowCheck row;
        row.line = number + 1;
        row.label = claims.label;
        const std::string key = key_of(claims.label);
        // "32  x  24" from LaTeX's spacing, shown as one space.
        for (std::optional<std::string>* claim : {&claims.shape, &claims.elements, &claims.params})
            if (*claim) (*claim)->erase(std::unique((*claim)->begin(), (*claim)->end(), [](char a, char b) { return a == ' ' && b == ' '; }), (*claim)->end());

        auto add = [&](TableCellCheck cell) {
            ++result.cells_checked;
            if (cell.check.verdict == AnswerVerdict::wrong) ++result.cells_wrong;
            if (cell.check.verdict == AnswerVerdict::unreadable) ++result.cells_unreadable;
            row.cells.push_back(std::move(cell));
        };

        if (key.starts_with("input")) {
            row.checked_against = "the model input";
            if (claims.shape)
                add({TableColumn::shape, *claims.shape, check_input_shape_answer(analysis, *claims.shape)});
            if (claims.elements)
                add(count_cell(TableColumn::elements, *claims.elements, element_count(analysis.input_shape)));
            if (claims.params) add(count_cell(TableColumn::params, *claims.params, 0));
            result.rows.push_back(std::move(row));
            continue;
        }
        if (key.starts_with("total") || key.starts_with("trainable") || key.starts_with("nontrainable")) {
            const bool non = contains(key, "nontrainable");
            const bool trainable = !non && contains(key, "trainable");
            row.checked_against = non ? "the non-trainable total" : trainable ? "the trainable total" : "the total";
            if (claims.params)
                add(count_cell(TableColumn::params, *claims.params,
                               non ? analysis.non_trainable_params : trainable ? analysis.trainable_params : analysis.total_params));
            else if (claims.shape) // "Total params: 217,706" read without a header
                add(count_cell(TableColumn::params, *claims.shape,
                               non ? analysis.non_trainable_params : trainable ? analysis.trainable_params : analysis.total_params));
            result.rows.push_back(std::move(row));
            continue;
        }

        std::optional<size_t> layer;
        if (auto it = by_key.find(key); it != by_key.end() && !key.empty()) {
            layer = it->second;
            row.matched_by = "name";
        } else {
            for (size_t i = next_in_order; i < analysis.layers.size(); ++i)
                if (!layer_checked[i] && kind_fits(key, analysis.layers[i].type)) {
                    layer = i;
                    row.matched_by = "order";
                    break;
                }
        }
        if (!layer) {
            result.notes.push_back(cat("line ", row.line, " '", claims.label, "': no layer of the design matches it, by name or in order"));
            continue;
        }
        const LayerResult& matched = analysis.layers[*layer];
        layer_checked[*layer] = true;
        next_in_order = *layer + 1;
        row.checked_against = cat("layer '", matched.name, "' (", matched.type, ")");
        if (matched.status != LayerStatus::ok) {
            result.notes.push_back(cat("line ", row.line, " '", claims.label, "': ", row.checked_against,
                                       " has no result (the design has an error)"));
            continue;
        }
        const bool explain = result.cells_wrong < kMaxExplainedCells;
        if (claims.shape)
            add({TableColumn::shape, *claims.shape, check_shape_answer(architecture, analysis, *layer, *claims.shape, explain)});
        if (claims.elements) add(count_cell(TableColumn::elements, *claims.elements, matched.output_elements));
        if (claims.params)
            add({TableColumn::params, *claims.params,
                 check_params_answer(architecture, analysis, *layer, *claims.params, explain)});
        result.rows.push_back(std::move(row));
    }

    for (const LayerResult& layer : analysis.layers)
        if (!layer_checked[layer.index] && layer.params > 0 && layer.status == LayerStatus::ok)
            result.notes.push_back(cat("layer '", layer.name, "' (", layer.type, ", ", with_thousands(layer.params),
                                       " params) has no row in the table"));
    return result;
}

std::string format_table_check(const TableCheck& check) {
    std::string out;
    for (const TableRowCheck& row : check.rows) {
        out += cat("line ", row.line, "  ", row.label, " — ", row.checked_against,
                   row.matched_by == "order" ? " (matched in order)" : "", "\n");
        for (const TableCellCheck& cell : row.cells) {
            const AnswerCheck& answer = cell.check;
            switch (answer.verdict) {
            case AnswerVerdict::right:
                out += cat("  right  ", table_column_name(cell.column), " ", cell.written, "\n");
                break;
            case AnswerVerdict::right_but_written_differently:
                out += cat("  right  ", table_column_name(cell.column), " ", cell.written, " (", answer.note, ")\n");
                break;
            case AnswerVerdict::wrong:
                out += cat("  WRONG  ", table_column_name(cell.column), " ", cell.written, ": it is ", answer.right_value,
                           answer.slips.empty() ? std::string() : cat(" — ", answer.slips.front()), "\n");
                break;
            case AnswerVerdict::unreadable:
                out += cat("  ?      ", table_column_name(cell.column), " '", cell.written, "': ", answer.note, "\n");
                break;
            }
        }
    }
    for (const std::string& note : check.notes) out += cat("note: ", note, "\n");
    out += cat(check.cells_wrong, " of ", check.cells_checked, check.cells_checked == 1 ? " cell" : " cells", " wrong",
               check.cells_unreadable ? cat(", ", check.cells_unreadable, " not read") : std::string(), "\n");
    return out;
}

} // namespace netshape
