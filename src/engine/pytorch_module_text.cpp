// Reading PyTorch module text into a tree (src/engine/pytorch_module_text.h).
#include "pytorch_module_text.h"

#include "checked.h"
#include "text.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace netshape::pytorch_text {

[[noreturn]] void fail(int line, int column, const std::string& message) {
    throw ParseFailure{{line > 0 ? cat("line ", line, ", column ", column, ": ", message) : message, line, column}};
}

bool identifier_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }

namespace {

// ---- print(model): the repr ----

struct Line {
    std::string_view text;
    int number;
    size_t indent;
};

// The index just past the parenthesis that closes the one at `open`, or npos when the line ends first.
size_t closing_parenthesis(std::string_view text, size_t open) {
    int depth = 0;
    char quote = 0;
    for (size_t i = open; i < text.size(); ++i) {
        const char c = text[i];
        if (quote) {
            if (c == quote) quote = 0;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '(' || c == '[') {
            ++depth;
        } else if ((c == ')' || c == ']') && --depth == 0) {
            return i + 1;
        }
    }
    return std::string_view::npos;
}

constexpr int kMaxNesting = 100;

class ReprParser {
public:
    explicit ReprParser(std::string_view text) {
        int number = 0;
        size_t start = 0;
        while (start <= text.size()) {
            size_t end = text.find('\n', start);
            if (end == std::string_view::npos) end = text.size();
            std::string_view line = text.substr(start, end - start);
            if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
            ++number;
            const size_t indent = line.find_first_not_of(" \t");
            if (indent != std::string_view::npos) lines_.push_back({line, number, indent});
            start = end + 1;
        }
    }

    Module parse() {
        if (lines_.empty()) fail(1, 1, "no module: paste what print(model) prints, such as ResNet( … )");
        Module root = module(std::string());
        if (next_ < lines_.size())
            fail(lines_[next_].number, static_cast<int>(lines_[next_].indent) + 1,
                 "text after the model's closing parenthesis");
        return root;
    }

private:
    // One module starting at line next_, after its "(key): " if `key` is set.
    Module module(std::string key, int depth = 0) {
        const Line& line = lines_[next_];
        // Real models nest a handful of levels; the limit keeps a hostile text off the stack's end.
        if (depth > kMaxNesting)
            fail(line.number, static_cast<int>(line.indent) + 1, cat("modules nested more than ", kMaxNesting, " deep"));
        std::string_view rest = line.text.substr(line.indent);
        size_t offset = line.indent;
        if (!key.empty()) {
            const size_t colon = rest.find("): ");
            rest.remove_prefix(colon + 3);
            offset += colon + 3;
        }
        Module result;
        result.key = std::move(key);
        result.line = line.number;
        result.column = static_cast<int>(offset) + 1;
        size_t name_end = 0;
        while (name_end < rest.size() && identifier_char(rest[name_end])) ++name_end;
        if (name_end == 0 || name_end == rest.size() || rest[name_end] != '(')
            fail(result.line, result.column,
                 cat("expected a module such as Conv2d(…) or Sequential(; received '", rest.substr(0, 40), "'"));
        result.class_name = std::string(rest.substr(0, name_end));
        const size_t close = closing_parenthesis(rest, name_end);
        ++next_;
        if (close != std::string_view::npos) { // a leaf: Conv2d(3, 64, kernel_size=(7, 7), …)
            if (trim_space(rest.substr(close)).size() != 0)
                fail(result.line, static_cast<int>(offset + close) + 1, "text after the module's closing parenthesis");
            result.arguments = std::string(rest.substr(name_end + 1, close - name_end - 2));
            return result;
        }
        if (rest.substr(name_end) != "(")
            fail(result.line, static_cast<int>(offset + name_end) + 1, "a parenthesis that is never closed");
        result.container = true;
        for (;;) {
            if (next_ >= lines_.size())
                fail(result.line, result.column, cat(result.class_name, "( is never closed"));
            const Line& inner = lines_[next_];
            const std::string_view body = inner.text.substr(inner.indent);
            if (body == ")" && inner.indent <= line.indent) {
                ++next_;
                return result;
            }
            if (inner.indent <= line.indent)
                fail(inner.number, static_cast<int>(inner.indent) + 1,
                     cat("expected ')' closing ", result.class_name, "( of line ", result.line));
            if (body.starts_with("(") && body.find("): ") != std::string_view::npos) {
                result.children.push_back(module(std::string(body.substr(1, body.find("): ") - 1)), depth + 1));
            } else { // the container's own extra_repr
                result.arguments += std::string(body) + " ";
                ++next_;
            }
        }
    }

    std::vector<Line> lines_;
    size_t next_ = 0;
};

// ---- nn.Sequential(…) code, as written in notebooks ----

// Reads the first nn.Sequential(…) (or torch.nn.Sequential, or Sequential) call in Python code into
// the same tree a repr gives: its modules in order, nested Sequentials, OrderedDict([('name', …)])
// and ModuleList([…]) children with their names; each other call is a module with its arguments.
class CodeParser {
public:
    explicit CodeParser(std::string_view text) : text_(text) {
        // Comments become spaces (columns stay where the person sees them).
        char quote = 0;
        for (size_t i = 0; i < text_.size(); ++i) {
            const char c = text_[i];
            if (quote) {
                if (c == quote) quote = 0;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '#') {
                while (i < text_.size() && text_[i] != '\n') text_[i++] = ' ';
            }
        }
    }

    Module parse() {
        size_t at = text_.find("Sequential(");
        while (at != std::string::npos && at > 0 && identifier_char(text_[at - 1]) && text_[at - 1] != '.')
            at = text_.find("Sequential(", at + 1);
        if (at == std::string::npos) fail(1, 1, "no nn.Sequential( in the code: netshape reads a model written as nn.Sequential(…)");
        while (at > 0 && identifier_char(text_[at - 1])) --at; // back to "nn." or "torch.nn."
        position_ = at;
        return call(std::string(), 0);
    }

private:
    void skip_space() {
        while (position_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[position_]))) ++position_;
    }

    bool take(char c) {
        skip_space();
        if (position_ < text_.size() && text_[position_] == c) {
            ++position_;
            return true;
        }
        return false;
    }

    void where(size_t at, int& line, int& column) const {
        line = 1;
        column = 1;
        for (size_t i = 0; i < at && i < text_.size(); ++i) {
            if (text_[i] == '\n') ++line, column = 1;
            else ++column;
        }
    }

    [[noreturn]] void fail_here(const std::string& message) const {
        int line = 0, column = 0;
        where(position_, line, column);
        fail(line, column, message);
    }

    // A call such as nn.Conv2d(1, 32, 3) at position_, for the child named `key`.
    Module call(std::string key, int depth) {
        if (depth > kMaxNesting) fail_here(cat("modules nested more than ", kMaxNesting, " deep"));
        skip_space();
        const size_t start = position_;
        while (position_ < text_.size() && identifier_char(text_[position_])) ++position_;
        std::string_view name = std::string_view(text_).substr(start, position_ - start);
        Module module;
        module.key = std::move(key);
        where(start, module.line, module.column);
        if (name.empty() || position_ >= text_.size() || text_[position_] != '(') {
            position_ = start;
            fail_here(cat("expected a module such as nn.Conv2d(…); received '",
                          trim_space(std::string_view(text_).substr(start, 30)), "'"));
        }
        for (std::string_view prefix : {"torch.nn.", "nn."})
            if (name.starts_with(prefix)) name.remove_prefix(prefix.size());
        module.class_name = std::string(name);
        if (name == "Sequential" || name == "ModuleList") {
            module.container = true;
            ++position_;
            children(module, depth, name == "ModuleList");
            return module;
        }
        const size_t close = closing_parenthesis(text_, position_);
        if (close == std::string::npos) {
            position_ = start;
            fail_here(cat(name, "( is never closed"));
        }
        module.arguments = text_.substr(position_ + 1, close - position_ - 2);
        position_ = close;
        return module;
    }

    void children(Module& module, int depth, bool list) {
        if (list && !take('[')) fail_here("ModuleList takes a list: ModuleList([…])");
        const char end = list ? ']' : ')';
        size_t index = 0;
        for (;;) {
            if (take(end)) break;
            skip_space();
            if (std::string_view(text_).substr(position_).starts_with("OrderedDict(")) {
                position_ += 12;
                named_children(module, depth);
            } else {
                module.children.push_back(call(std::to_string(index++), depth + 1));
            }
            if (take(',')) continue;
            if (take(end)) break;
            fail_here(cat("expected ',' or '", end, "'"));
        }
        if (list && !take(')')) fail_here("expected ')' closing ModuleList(");
    }

    // OrderedDict([('conv1', nn.Conv2d(…)), …]) after its "(".
    void named_children(Module& module, int depth) {
        if (!take('[')) fail_here("OrderedDict takes a list of ('name', module) pairs");
        for (;;) {
            if (take(']')) break;
            if (!take('(')) fail_here("expected ('name', module)");
            skip_space();
            const char quote = position_ < text_.size() ? text_[position_] : 0;
            const size_t name_end = quote == '\'' || quote == '"' ? text_.find(quote, position_ + 1) : std::string::npos;
            if (name_end == std::string::npos) fail_here("expected a quoted module name");
            std::string name = text_.substr(position_ + 1, name_end - position_ - 1);
            position_ = name_end + 1;
            if (!take(',')) fail_here("expected ',' after the module's name");
            module.children.push_back(call(std::move(name), depth + 1));
            if (!take(')')) fail_here("expected ')' closing ('name', module)");
            if (!take(',') && !take(']')) fail_here("expected ',' or ']'");
            else if (text_[position_ - 1] == ']') break;
        }
        if (!take(')')) fail_here("expected ')' closing OrderedDict(");
    }

    std::string text_;
    size_t position_ = 0;
};

// Whole-number arithmetic as notebooks write sizes: 64 * 6 * 6, 2 * (128 + 64), 512 // 4.
// nullopt when the text is not such an expression (or divides by zero, or overflows).
class SizeArithmetic {
public:
    static std::optional<int64_t> evaluate(std::string_view text) {
        if (text.find_first_not_of("0123456789+-*/() \t\n") != std::string_view::npos) return std::nullopt;
        SizeArithmetic reader(text);
        try {
            const std::optional<int64_t> value = reader.sum(0);
            reader.skip();
            if (!value || reader.at_ != text.size()) return std::nullopt;
            return value;
        } catch (const OverflowError&) {
            return std::nullopt;
        }
    }

private:
    explicit SizeArithmetic(std::string_view text) : text_(text) {}
    void skip() {
        while (at_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[at_]))) ++at_;
    }
    bool take(std::string_view token) {
        skip();
        if (!text_.substr(at_).starts_with(token)) return false;
        at_ += token.size();
        return true;
    }
    std::optional<int64_t> sum(int depth) {
        std::optional<int64_t> value = product(depth);
        while (value) {
            if (take("+")) {
                const auto right = product(depth);
                value = right ? std::optional(checked_add(*value, *right)) : std::nullopt;
            } else if (take("-")) {
                const auto right = product(depth);
                value = right ? std::optional(checked_sub(*value, *right)) : std::nullopt;
            } else {
                break;
            }
        }
        return value;
    }
    std::optional<int64_t> product(int depth) {
        std::optional<int64_t> value = factor(depth);
        while (value) {
            if (take("//")) {
                const auto right = factor(depth);
                if (!right || *right == 0) return std::nullopt;
                value = *value / *right; // sizes are positive: floor and truncation agree
            } else if (take("*")) {
                const auto right = factor(depth);
                value = right ? std::optional(checked_mul(*value, *right)) : std::nullopt;
            } else {
                break;
            }
        }
        return value;
    }
    std::optional<int64_t> factor(int depth) {
        if (depth > 50) return std::nullopt;
        if (take("-")) { // end_dim=-1
            const auto value = factor(depth + 1);
            return value ? std::optional(checked_sub(0, *value)) : std::nullopt;
        }
        if (take("(")) {
            const auto value = sum(depth + 1);
            return value && take(")") ? value : std::nullopt;
        }
        skip();
        const size_t start = at_;
        while (at_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[at_]))) ++at_;
        int64_t value = 0;
        const auto [end, problem] = std::from_chars(text_.data() + start, text_.data() + at_, value);
        if (start == at_ || problem != std::errc()) return std::nullopt;
        return value;
    }

    std::string_view text_;
    size_t at_ = 0;
};

FieldValue read_value(std::string_view text, const Module& module) {
    text = trim_space(text);
    if (text == "True") return true;
    if (text == "False") return false;
    if (text == "None") return std::monostate{};
    if (text.size() >= 2 && (text.front() == '\'' || text.front() == '"')) return std::string(text.substr(1, text.size() - 2));
    if (text.front() == '(' || text.front() == '[') {
        std::vector<int64_t> items;
        std::string_view inner = text.substr(1, text.size() - 2);
        while (!trim_space(inner).empty()) {
            const size_t comma = inner.find(',');
            const std::string_view item = trim_space(inner.substr(0, comma));
            int64_t value = 0;
            if (auto [end, problem] = std::from_chars(item.data(), item.data() + item.size(), value);
                problem != std::errc() || end != item.data() + item.size())
                fail(module.line, module.column,
                     cat(module.class_name, ": '", item, "' in ", text, " is not a whole number netshape can use"));
            items.push_back(value);
            if (comma == std::string_view::npos) break;
            inner.remove_prefix(comma + 1);
        }
        return items;
    }
    if (const std::optional<int64_t> size = SizeArithmetic::evaluate(text)) return *size;
    const bool numeric = std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+';
    });
    if (numeric)
        if (std::optional<double> real = decimal_to_double(std::string(text))) return *real;
    return std::string(text); // a bare word: mode=nearest, padding=same
}

} // namespace

Arguments read_arguments(const Module& module) {
    Arguments arguments;
    std::string_view text = module.arguments;
    size_t start = 0;
    int depth = 0;
    for (size_t i = 0; i <= text.size(); ++i) {
        const char c = i < text.size() ? text[i] : ',';
        if (c == '(' || c == '[') ++depth;
        if (c == ')' || c == ']') --depth;
        if (c != ',' || depth != 0) continue;
        const std::string_view item = trim_space(text.substr(start, i - start));
        start = i + 1;
        if (item.empty()) continue;
        const size_t equals = item.find('=');
        if (equals != std::string_view::npos && std::all_of(item.begin(), item.begin() + equals, identifier_char))
            arguments.named[std::string(item.substr(0, equals))] = read_value(item.substr(equals + 1), module);
        else
            arguments.positional.push_back(read_value(item, module));
    }
    return arguments;
}

Module read_repr(std::string_view text) { return ReprParser(text).parse(); }

Module read_sequential_code(std::string_view text) { return CodeParser(text).parse(); }

} // namespace netshape::pytorch_text
